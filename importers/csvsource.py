"""Reading a CSV export: which format it is, where its records are, and its columns chunk by chunk.

:func:`detect_format` tells the three Traffy Fondue formats and MIS exports apart by header names;
:func:`scan_csv` finds each record's fields and line without decoding the text; :class:`CsvSource`
reads the wanted columns of one file and collects its problems and rejected rows
(:mod:`.traffy` reads the values).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from cplkpi.guard import check_regular_file
from cplkpi.scoring.errors import Problem, column_letter
from cplkpi.scoring.tables import header_key
from cplkpi.scoring.text import change_note, normalize_text
from cplkpi.textfile import cp874_warning, csv_header

from .snapshot import Rejection

__all__ = ["SPREADSHEET_SUFFIXES", "CsvRecords", "CsvSource", "detect_format", "scan_csv"]

#: Files read as spreadsheets (MIS/1555 exports); every other file is read as CSV text.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
_CHUNK_ROWS = 50_000
_SCAN_BYTES = 1 << 24
#: bytes other than tab, LF, CR and space: a record without any is a blank line
_SOLID = np.ones(256, dtype=bool)
_SOLID[[9, 10, 13, 32]] = False


def detect_format(path: str | Path) -> str:
    """``traffy_dump``, ``traffy_geojson``, ``traffy_web`` or ``mis``, from the file's header names
    (a missing file, a folder or a pipe is refused first: reading a pipe may wait for ever)."""
    path = check_regular_file(path)
    if path.suffix.lower() in SPREADSHEET_SUFFIXES:
        return "mis"
    keys = {header_key(h) for h in csv_header(path)}
    web = {"ticketid", "date", "time", "status", "description"}
    if {"ticketid", "forwardedstatus"} <= keys or web <= keys:
        return "traffy_web"
    if {"ticketid", "state", "timestamp"} <= keys:
        return "traffy_dump" if "comment" in keys and "commentphoto" not in keys else "traffy_geojson"
    return "mis"


@dataclass(frozen=True)
class CsvRecords:
    """What a byte scan of a CSV says about its records (blank lines left out; record 0 = the header)."""

    #: number of fields of each record
    fields: np.ndarray
    #: the row each record is on as a spreadsheet shows the file (blank lines counted, header = 1)
    rows: np.ndarray
    #: the physical line each record starts on
    lines: np.ndarray


def scan_csv(path: str | Path) -> CsvRecords:
    """Count the fields of every CSV record and where it starts, without decoding the text.

    A newline or comma separates only outside quotes: after an even number
    of ``"`` (RFC 4180 doubles a quote inside a quoted field). This finds
    lines with too many or too few fields, which the CSV reader would pad or
    cut silently, and gives every rejected row its line number. A line of
    nothing but spaces, tabs and carriage returns is a blank line, as the
    CSV reader skips it.
    """
    fields: list[np.ndarray] = []
    rows: list[np.ndarray] = []
    lines: list[np.ndarray] = []
    parity = newlines = carry = records = 0
    filled = False
    start_line = 1
    with open(path, "rb") as fh:
        while block := fh.read(_SCAN_BYTES):
            buf = np.frombuffer(block, dtype=np.uint8)
            quotes = np.flatnonzero(buf == 34)
            nl = np.flatnonzero(buf == 10)
            outside = (np.searchsorted(quotes, nl) + parity) % 2 == 0
            ends = nl[outside]
            commas = np.flatnonzero(buf == 44)
            commas = commas[(np.searchsorted(quotes, commas) + parity) % 2 == 0]
            counts = np.bincount(np.searchsorted(ends, commas), minlength=len(ends) + 1)
            counts[0] += carry
            # a record with a comma is not blank; one without may be a line of spaces and tabs only
            solid = counts > 0
            solid[0] |= filled
            check = np.flatnonzero(~solid)
            if len(check):
                solid[check] = _has_solid(buf, np.concatenate([[0], ends + 1])[check],
                                          np.append(ends, len(buf))[check])
            if len(ends):
                end_lines = newlines + np.flatnonzero(outside) + 1  # newlines up to and including each end
                starts = np.concatenate([[start_line], end_lines[:-1] + 1])
                blank = ~solid[: len(ends)]
                numbers = records + np.arange(1, len(ends) + 1)
                fields.append(counts[: len(ends)][~blank] + 1)
                rows.append(numbers[~blank])
                lines.append(starts[~blank])
                records += len(ends)
                start_line = int(end_lines[-1]) + 1
            carry, filled = int(counts[len(ends)]), bool(solid[len(ends)])
            newlines += len(nl)
            parity = (parity + len(quotes)) % 2
    if filled:  # a last record without a final newline
        fields.append(np.array([carry + 1]))
        rows.append(np.array([records + 1]))
        lines.append(np.array([start_line]))

    def cat(parts: list[np.ndarray]) -> np.ndarray:
        return np.concatenate(parts).astype(np.int64) if parts else np.array([], dtype=np.int64)

    return CsvRecords(cat(fields), cat(rows), cat(lines))


def _has_solid(buf: np.ndarray, starts: np.ndarray, stops: np.ndarray) -> np.ndarray:
    """Whether each byte range ``[start, stop)`` of ``buf`` holds a byte other than space, tab, CR, LF."""
    lengths = stops - starts
    firsts = np.cumsum(lengths) - lengths  # where each range starts among the gathered bytes
    gathered = _SOLID[buf[np.arange(int(lengths.sum())) + np.repeat(starts - firsts, lengths)]]
    out = np.zeros(len(starts), dtype=bool)
    some = lengths > 0
    if some.any():
        out[some] = np.logical_or.reduceat(gathered, firsts[some])
    return out


@dataclass
class CsvSource:
    """One CSV being read: where each role's column is, and what went wrong so far."""

    #: the bytes read: the file itself or its UTF-8 copy (:func:`cplkpi.textfile.ascii_compatible`)
    path: Path
    spec: dict[str, tuple[str, ...]]
    #: the file's name in the table, rejections and problems
    name: str = ""
    header: list[str] = field(default_factory=list)
    #: pandas' encoding for ``path``
    encoding: str = "utf-8-sig"
    roles: dict[str, str] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    missing_ids: list[int] = field(default_factory=list)
    bad_lines: list[tuple[int, str]] = field(default_factory=list)
    rows_read: int = 0

    def __post_init__(self) -> None:
        self.name = self.name or self.path.name
        self.header = csv_header(self.path)
        if self.encoding == "cp874":
            self.problems.append(cp874_warning(self.name))
        lookup = {header_key(a): role for role, aliases in self.spec.items() for a in aliases}
        for h in self.header:
            role = lookup.get(header_key(h))
            if role is not None and role not in self.roles:
                self.roles[role] = h
        self.letters = {h: column_letter(i + 1) for i, h in reversed(list(enumerate(self.header)))}
        for h in self.header:
            if (clean := normalize_text(h).strip()) != h.strip():
                th, en = change_note(h, clean, ("หัวตาราง", "header"))
                self.problems.append(Problem("header_normalized", th, en, self.name, 1, clean, self.letters[h],
                                             "warning"))
        self.records = scan_csv(self.path)
        self.lines = dict(zip(self.records.rows.tolist(), self.records.lines.tolist()))

    def problem(self, mask: pd.Series, role: str, code: str, th: str, en: str,
                values: pd.Series | None = None, severity: Literal["error", "warning"] = "warning") -> None:
        """One problem per True row of ``mask``, located as a spreadsheet shows the file."""
        header = self.roles.get(role, role)
        for row in mask.index[mask.to_numpy(dtype=bool, na_value=False)]:
            shown = f": {values[row]!r}" if values is not None else ""
            self.problems.append(Problem(code, f"{th}{shown}", f"{en}{shown}", self.name, int(row),
                                         header, self.letters.get(header), severity))

    def chunks(self, process: Callable[[dict[str, pd.Series], pd.Index], Any]) -> list[Any]:
        """Read the wanted columns as text, chunk by chunk, and ``process`` each chunk.

        ``process`` gets role → column, indexed by the row number a
        spreadsheet shows (header = row 1), and that index. Rows whose number
        of fields differs from the header's are set aside as rejections.
        """
        data = CsvRecords(self.records.fields[1:], self.records.rows[1:], self.records.lines[1:])
        width = int(self.records.fields[0]) if len(self.records.fields) else 0
        wanted = set(self.roles.values())
        reader = pd.read_csv(self.path, dtype=str, keep_default_na=False, na_filter=False,
                             encoding=self.encoding, usecols=lambda h: h in wanted, chunksize=_CHUNK_ROWS)
        out, cursor = [], 0
        with reader:
            for chunk in _decoded(reader, self.name, self.encoding):
                if cursor + len(chunk) > len(data.rows):
                    raise _misaligned(self.name)
                rows, fields = data.rows[cursor:cursor + len(chunk)], data.fields[cursor:cursor + len(chunk)]
                cursor += len(chunk)
                chunk.index = pd.Index(rows, name="row")
                bad = fields != width
                for r, n in zip(rows[bad].tolist(), fields[bad].tolist()):
                    self.bad_lines.append((r, f"{n} ≠ {width}"))
                chunk = chunk[~bad]
                self.rows_read += len(rows)
                if len(chunk):
                    out.append(process({role: chunk[h] for role, h in self.roles.items()}, chunk.index))
        if cursor != len(data.rows):
            raise _misaligned(self.name)
        return out

    def rejections(self) -> list[Rejection]:
        out = [Rejection(self.name, r, self.lines.get(r), "missing_id") for r in self.missing_ids]
        out += [Rejection(self.name, r, self.lines.get(r), "bad_line", why) for r, why in self.bad_lines]
        return sorted(out, key=lambda x: x.row or 0)


def _decoded(reader: Any, name: str, encoding: str) -> Any:
    """The reader's chunks; a byte that is not valid in the file's encoding is a clear error."""
    try:
        yield from reader
    except UnicodeDecodeError as exc:
        raise _undecodable(name, encoding, exc) from exc


def _undecodable(name: str, encoding: str, exc: UnicodeDecodeError) -> ValueError:
    return ValueError(f"อ่านไฟล์ {name} ไม่ได้: ไม่ใช่ข้อความ {encoding} ทั้งไฟล์ (cannot read {name}: "
                      f"not {encoding} text throughout: {exc.reason})")


def _misaligned(name: str) -> ValueError:
    return ValueError(
        f"อ่านไฟล์ {name} ไม่ได้: จำนวนแถวไม่ตรงกับการตรวจเครื่องหมายคำพูด อาจมีเครื่องหมาย \" "
        f"อยู่ในช่องที่ไม่ได้ครอบด้วยเครื่องหมายคำพูด (cannot read {name}: its records do not line up; "
        "a field probably holds a \" without being quoted)")
