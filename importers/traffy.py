"""Traffy Fondue CSV exports into the canonical complaint table.

Three formats are read, each recognised by its header names (never by column
position; docs/import.md has the full reading of each):

``traffy_dump``
    The official CSV dump (``ticket_id,type,organization,comment,coords,photo,
    photo_after,…,timestamp,state,star,count_reopen,last_activity``): UTF-8
    with a BOM, timestamps in UTC written with ``+00``, ``type`` a Postgres
    array (``{ถนน,ทางเท้า}``), ``coords`` ``"lon,lat"``.
``traffy_geojson``
    The flattened GeoJSON API export: ``type`` is the geometry ("Point"),
    ``coords`` is ``[lon, lat]``, the header ``comment photo`` is malformed
    (it holds the photo URL; there is no comment text) and the timestamps have
    no zone. They are Bangkok local time (their hour-of-day profile is quiet
    from 01:00 to 06:00, as Bangkok is; read as UTC it would be quiet at
    08:00-13:00 Bangkok time). In this export ``last_activity`` always equals
    ``timestamp``, so it says nothing about later activity.
``traffy_web``
    Scraped from the web UI: ``ticket_id,date,time,status,address,description,
    agency,category,ForwardedStatus,ForwardedDate,ForwardedTime,TakeTime`` with
    Thai short B.E. dates (``6 ธ.ค. 67``) and ``08:28 น.`` times in Bangkok
    time. ``status`` is the ticket's state plus its age (``รอรับเรื่อง 3
    นาทีที่แล้ว``); ``Forwarded*`` is the latest event on the ticket's
    timeline (its state, date and time) and ``TakeTime`` (``ใช้เวลา 51 นาที``)
    is the time from the report to that event, truncated to the unit shown.

What a format does not hold stays empty (never guessed) and is counted in the
import summary.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cplkpi.guard import check_regular_file
from cplkpi.scoring.days import BANGKOK
from cplkpi.scoring.errors import Problem, column_letter
from cplkpi.scoring.tables import CLOSED_STATUSES, header_key
from cplkpi.scoring.text import change_note, normalize_ids, normalize_text, text_changes
from cplkpi.scoring.thaidate import parse_dates
from cplkpi.textfile import ascii_compatible, cp874_warning, csv_header

from .agencies import CHANNEL_1555_TAG, district_name, split_organizations
from .snapshot import Rejection, Snapshot, empty_events, finish_complaints, finish_events
from .states import REOPEN_STATE, map_states, strip_relative_age

__all__ = [
    "CHANNEL_1555",
    "CHANNEL_TRAFFY",
    "SPREADSHEET_SUFFIXES",
    "TRAFFY_HEADERS",
    "WEB_HEADERS",
    "CsvRecords",
    "bangkok_timestamps",
    "detect_format",
    "parse_thai_duration",
    "read_traffy",
    "scan_csv",
]

CHANNEL_TRAFFY = "Traffy Fondue"
CHANNEL_1555 = "1555"

#: Traffy dump / GeoJSON export: role → accepted headers (matched ignoring case, spaces, punctuation).
TRAFFY_HEADERS: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket_id",),
    "type": ("type",),
    "organization": ("organization", "organisation"),
    "comment": ("comment",),
    "photo": ("photo", "comment photo"),
    "photo_after": ("photo_after",),
    "coords": ("coords",),
    "address": ("address",),
    "subdistrict": ("subdistrict",),
    "district": ("district",),
    "timestamp": ("timestamp",),
    "state": ("state",),
    "star": ("star",),
    "count_reopen": ("count_reopen",),
    "last_activity": ("last_activity",),
}

#: Web-scrape format: role → accepted headers.
WEB_HEADERS: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket_id",),
    "date": ("date",),
    "time": ("time",),
    "status": ("status",),
    "address": ("address",),
    "description": ("description",),
    "agency": ("agency",),
    "category": ("category",),
    "event_state": ("ForwardedStatus",),
    "event_date": ("ForwardedDate",),
    "event_time": ("ForwardedTime",),
    "took": ("TakeTime",),
}

_NOT_IN_DUMP = frozenset({"acknowledged_on", "first_progress_on", "result_detail", "reopened_on"})
_NOT_IN_WEB = frozenset({"acknowledged_on", "first_progress_on", "resolved_on", "result_detail",
                         "has_evidence", "reopen_count"})

#: Files read as spreadsheets (MIS/1555 exports); every other file is read as CSV text.
SPREADSHEET_SUFFIXES = (".xlsx", ".xlsm", ".xls", ".xlsb", ".ods")
#: a zone after a time of day (``08:00:00.5+07``); a date alone ends with its day (``2023-05-11``)
_ZONE = r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_COMMON_ZONES = ("+00", "Z", "+00:00", "+0000", "+07", "+07:00", "+0700")
_PLACEHOLDER_PHOTO = "/TeamChadChart/"
_CHUNK_ROWS = 50_000
_SCAN_BYTES = 1 << 24
#: bytes other than tab, LF, CR and space: a record without any is a blank line
_SOLID = np.ones(256, dtype=bool)
_SOLID[[9, 10, 13, 32]] = False


# --- format detection and CSV reading ------------------------------------------------


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
class _Source:
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
                values: pd.Series | None = None, severity: str = "warning") -> None:
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


# --- value conversion -----------------------------------------------------------------


def _per_unique(values: pd.Series, func: Callable[[str], Any], dtype: str = "string") -> pd.Series:
    """``func`` applied once per distinct value (the columns here repeat a few values many times)."""
    codes, uniques = pd.factorize(values)
    mapped = pd.array([func(u) for u in uniques], dtype=dtype)
    return pd.Series(mapped.take(codes, allow_fill=True), index=values.index)


def _stripped(u: str) -> str | None:
    return u.strip() or None


def _nonempty(values: pd.Series) -> pd.Series:
    """Text as it is, empty strings as NA (for columns of mostly distinct values)."""
    s = values.astype("string")
    return s.where(s != "")


def bangkok_timestamps(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text timestamps → naive Bangkok ``datetime64[ns]`` and a mask of unreadable values.

    A value with a zone (``+00``, ``+07:00``, ``Z``) is converted to
    Asia/Bangkok; a value without one is taken as Bangkok local time.
    """
    s = values.astype("string")
    empty = (s.isna() | (s == "")).to_numpy(dtype=bool)
    aware = s.str.endswith(_COMMON_ZONES).to_numpy(dtype=bool, na_value=False)
    rest = ~aware & ~empty
    if rest.any():
        aware[rest] = s[rest].str.contains(_ZONE, regex=True).to_numpy(dtype=bool, na_value=False)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if aware.any():
        t = pd.to_datetime(s[aware], format="ISO8601", utc=True, errors="coerce")
        out[aware] = t.dt.tz_convert(BANGKOK).dt.tz_localize(None).astype("datetime64[ns]")
    naive = ~aware & ~empty
    if naive.any():
        local = pd.to_datetime(s[naive].str.strip(), format="ISO8601", errors="coerce")
        out[naive] = local.astype("datetime64[ns]")
    return out, pd.Series(~empty & out.isna().to_numpy(), index=s.index)


def _thai_datetimes(dates: pd.Series, times: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Thai dates (``6 ธ.ค. 67``, parsed once per distinct text) plus ``08:28 น.`` times (Bangkok), a mask
    of unreadable dates and a mask of times that do not exist (``25:61``: the timestamp is left empty, as
    a date with an impossible time is, docs/decisions.md)."""
    d = dates.astype("string").fillna("")
    codes, uniques = pd.factorize(d)
    days = parse_dates(list(uniques)).days
    day = pd.Series(days[codes].astype("datetime64[ns]"), index=d.index)
    hm = times.astype("string").str.extract(r"(\d{1,2})[:.](\d{2})")
    hours, mins = pd.to_numeric(hm[0], errors="coerce"), pd.to_numeric(hm[1], errors="coerce")
    bad_time = ((hours > 23) | (mins > 59)).fillna(False).astype(bool)
    out = (day + pd.to_timedelta((hours * 60 + mins).fillna(0), unit="min")).where(~bad_time)
    return out, (d.str.strip() != "") & day.isna(), bad_time


_UNIT_MINUTES = {"วัน": 1440, "ชม": 60, "ชั่วโมง": 60, "นาที": 1}


def parse_thai_duration(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``ใช้เวลา 8 วัน 19 ชม.`` → minutes (Int64) and the display granularity in minutes.

    Values without ``ใช้เวลา`` (``รอรับเรื่อง``, or text the scraper put in the
    wrong column) give NA.
    """
    def minutes(u: str) -> tuple[Any, Any]:
        parts = re.findall(r"(\d+)\s*(วัน|ชั่วโมง|ชม|นาที)", u) if u.strip().startswith("ใช้เวลา") else []
        if not parts:
            return pd.NA, pd.NA
        total = sum(int(n) * _UNIT_MINUTES[unit] for n, unit in parts)
        return total, 60 if any(unit == "วัน" for _, unit in parts) else 1

    s = values.astype("string").fillna("")
    codes, uniques = pd.factorize(s)
    pairs = [minutes(u) for u in uniques]
    m = pd.array([p[0] for p in pairs], dtype="Int64").take(codes)
    g = pd.array([p[1] for p in pairs], dtype="Int64").take(codes)
    return pd.Series(m, index=s.index), pd.Series(g, index=s.index)


def _photo(values: pd.Series) -> pd.Series:
    """Photo URLs; empty or the platform's placeholder image → NA."""
    s = _nonempty(values)
    return s.where(~s.str.contains(_PLACEHOLDER_PHOTO, regex=False).fillna(False))


def _subject(u: str) -> str | None:
    """``{ถนน,ทางเท้า}`` → ``ถนน, ทางเท้า``; ``{}`` → None."""
    items = [x.strip().strip('"').strip() for x in u.strip().removeprefix("{").removesuffix("}").split(",")]
    return ", ".join(x for x in items if x) or None


def _coords(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``"100.5,13.7"`` or ``[100.5, 13.7]`` (longitude first) → (lon, lat); anything else → NaN.

    Fast path: all values joined into one text and read by the C CSV parser;
    when that does not give one clean pair per row, each value is split.
    """
    text = values.astype("string").fillna("")
    joined = "\n".join(text.tolist()).replace("[", "").replace("]", "")
    try:
        xy = pd.read_csv(io.StringIO(joined), header=None, names=["lon", "lat"], dtype=float,
                         skip_blank_lines=False, quoting=csv.QUOTE_NONE, on_bad_lines="error",
                         skipinitialspace=True)
        if len(xy) == len(text) and xy.index.equals(pd.RangeIndex(len(text))):
            return (pd.Series(xy["lon"].to_numpy(), index=values.index),
                    pd.Series(xy["lat"].to_numpy(), index=values.index))
    except (ValueError, pd.errors.ParserError):
        pass
    parts = text.str.strip("[] ").str.split(",", n=1, expand=True)
    if parts.shape[1] < 2:
        nan = pd.Series(np.nan, index=values.index)
        return nan, nan.copy()
    return (pd.to_numeric(parts[0].str.strip(), errors="coerce").astype(float),
            pd.to_numeric(parts[1].str.strip(), errors="coerce").astype(float))


def _count(u: str) -> int | None:
    """A whole number >= 0 (``5``, ``5.0``); raises ValueError otherwise; empty → None."""
    u = u.strip()
    if not u:
        return None
    f = float(u)
    if f < 0 or not f.is_integer():
        raise ValueError(u)
    return int(f)


def _counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    def safe(u: str) -> Any:
        try:
            return _count(u)
        except ValueError:
            return -1

    parsed = _per_unique(values, safe, "Int64")
    bad = (parsed == -1).fillna(False)
    return parsed.where(~bad), bad


def _channel(ids: pd.Series, organization: pd.Series, comment: pd.Series | None) -> pd.Series:
    """1555 for tickets filed through the hotline, else Traffy Fondue (docs/import.md).

    Signals: a 6-character ticket id without the year prefix, an
    organisation chain that starts with ``ร้องทุกข์ กทม. 1555``, or a comment
    that ends with ``#1555``.
    """
    is_1555 = ((ids.str.len() == 6) & ~ids.str.contains("-", regex=False)).fillna(False).to_numpy(dtype=bool)
    is_1555 |= _per_unique(organization, lambda u: u.startswith(CHANNEL_1555_TAG), "boolean").fillna(
        False).to_numpy(dtype=bool)
    if comment is not None:
        is_1555 |= comment.str.rstrip().str.endswith("#1555").fillna(False).to_numpy(dtype=bool)
    return pd.Series(np.where(is_1555, CHANNEL_1555, CHANNEL_TRAFFY), index=ids.index, dtype="string")


def _dedupe(t: pd.DataFrame, src: _Source) -> tuple[pd.DataFrame, int]:
    """Keep the latest row (by last activity, then position) of a ticket listed twice in one file."""
    repeated = t["complaint_id"].duplicated(keep=False)
    if not repeated.any():
        return t, 0
    order = t[repeated.to_numpy()].sort_values(["last_activity_at", "source_row"], kind="stable",
                                               na_position="first")
    gone = order[order["complaint_id"].duplicated(keep="last").to_numpy()]
    src.problem(pd.Series(True, index=gone.index), "ticket_id", "duplicate_in_file",
                "เลขที่เรื่องซ้ำในไฟล์เดียวกัน ใช้แถวที่เคลื่อนไหวล่าสุด",
                "ticket listed twice in the file; the row with the latest activity is kept",
                gone["complaint_id"])
    return t.drop(index=gone.index), len(gone)


def _ids(values: pd.Series | None, index: pd.Index, src: _Source) -> pd.Series:
    """Ticket ids normalised as every reader does (:func:`~cplkpi.scoring.text.normalize_ids`), with a
    warning at each cell that normalisation changed; empty ids are counted as rejections."""
    raw = _nonempty(values if values is not None else pd.Series("", index=index))
    ids = normalize_ids(raw)
    ids = ids.where(ids != "")
    header = src.roles.get("ticket_id", "ticket_id")
    for row in index[(ids.notna() & text_changes(raw, ids)).to_numpy(dtype=bool)]:
        th, en = change_note(raw[row], ids[row], ("เลขที่เรื่อง", "complaint id"))
        src.problems.append(Problem("id_normalized", th, en, src.name, int(row), header, src.letters.get(header),
                                    "warning"))
    src.missing_ids += [int(r) for r in index[ids.isna().to_numpy()]]
    return ids


# --- the readers ----------------------------------------------------------------------


def read_traffy(path: str | Path, fmt: str | None = None, *, name: str | None = None) -> Snapshot:
    """Read a Traffy Fondue CSV (any of the three formats) into a :class:`Snapshot`.

    ``name`` is how the file is named in the table and messages (default: its file name).
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt not in ("traffy_web", "traffy_dump", "traffy_geojson"):
        raise ValueError(f"ไม่ใช่ไฟล์ Traffy Fondue (not a Traffy Fondue CSV): {path.name}")
    with ascii_compatible(path) as (data, encoding):  # UTF-16 or several BOMs: read from a UTF-8 copy
        src = _Source(data, WEB_HEADERS if fmt == "traffy_web" else TRAFFY_HEADERS, name or path.name,
                      encoding=encoding)
        return _read_web(path, src) if fmt == "traffy_web" else _read_dump(path, fmt, src)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return frames[0] if len(frames) == 1 else pd.concat(frames)


def _read_dump(path: Path, fmt: str, src: _Source) -> Snapshot:
    seen = {"real_activity": False, "subject": False}

    def process(g: dict[str, pd.Series], index: pd.Index) -> pd.DataFrame:
        blank = pd.Series("", index=index)
        ids = _ids(g.get("ticket_id"), index, src)
        received, bad = bangkok_timestamps(g.get("timestamp", blank))
        src.problem(bad, "timestamp", "date_invalid", "อ่านเวลาแจ้งเรื่องไม่ได้", "cannot read the timestamp",
                    g.get("timestamp"), "error")
        activity, bad = bangkok_timestamps(g.get("last_activity", blank))
        src.problem(bad, "last_activity", "date_invalid", "อ่านเวลาเคลื่อนไหวล่าสุดไม่ได้",
                    "cannot read last_activity", g.get("last_activity"))
        state = _per_unique(g.get("state", blank), _stripped)
        status, unknown = map_states(state)
        src.problem(unknown, "state", "unknown_status", "สถานะไม่รู้จัก เก็บไว้ตามเดิม", "unknown state, kept as is",
                    state)
        # Traffy records no completion time; for a closed ticket (เสร็จสิ้น, ไม่เกี่ยวข้อง) the last activity
        # is the closing, even where it is only a copy of the report time (GeoJSON export): the import
        # summary counts those (docs/import.md). An activity time not after the report time is no activity.
        real_activity = (activity > received).fillna(False)
        seen["real_activity"] |= bool(real_activity.any())
        resolved = activity.dt.normalize().where(status.isin(CLOSED_STATUSES).fillna(False))

        kind = g.get("type")
        if kind is not None and kind.isin(["Point", ""]).all():
            kind = None  # the GeoJSON export's "type" is the geometry, not the complaint type
        seen["subject"] |= kind is not None
        org = _per_unique(g.get("organization", blank), _stripped)
        location = _per_unique(g.get("district", blank), _stripped)
        resp = split_organizations(org, location)
        comment = _nonempty(g["comment"]) if "comment" in g else None
        lon, lat = _coords(g["coords"]) if "coords" in g else (None, None)
        photo_after = _photo(g["photo_after"]) if "photo_after" in g else None
        star = _counts(g["star"])[0] if "star" in g else None
        reopen, bad = _counts(g["count_reopen"]) if "count_reopen" in g else (None, None)
        if bad is not None:
            src.problem(bad, "count_reopen", "not_a_count", "จำนวนครั้งที่เปิดใหม่ต้องเป็นจำนวนเต็มไม่ติดลบ",
                        "count_reopen must be a whole number >= 0", g["count_reopen"])
        t = finish_complaints({
            "complaint_id": ids,
            "agency": resp["agency"],
            "unit": resp["unit"],
            "channel": _channel(ids, org, comment),
            "subject": _per_unique(kind, _subject) if kind is not None else None,
            "detail": comment,
            "received_at": received,
            "forwarded_on": received.dt.normalize(),
            "resolved_on": resolved,
            "status": status,
            "has_evidence": photo_after.notna() if photo_after is not None else None,
            "reopen_count": reopen,
            "district": resp["district"],
            "other_agencies": resp["other_agencies"],
            "organization": org,
            "source_state": state,
            "location_district": location,
            "subdistrict": _per_unique(g.get("subdistrict", blank), _stripped),
            "address": _nonempty(g["address"]) if "address" in g else None,
            "lon": lon,
            "lat": lat,
            "photo_url": _photo(g["photo"]) if "photo" in g else None,
            "photo_after_url": photo_after,
            "star": star,
            "last_activity_at": activity,
            "source_format": fmt,
            "source_file": src.name,
            "source_row": index.to_numpy(),
        }, index)
        return t[ids.notna().to_numpy()]

    frames = src.chunks(process)
    t = _concat(frames) if frames else finish_complaints({}, pd.Index([], name="row"))
    t, dups = _dedupe(t, src)
    not_in = set(_NOT_IN_DUMP)
    if not seen["subject"]:
        not_in.add("subject")
    if "comment" not in src.roles:
        not_in.add("detail")
    if not seen["real_activity"]:  # e.g. the GeoJSON export: last_activity is a copy of timestamp
        not_in.add("resolved_on")
    return Snapshot(path, fmt, t, empty_events(), src.rows_read, src.rejections(), src.problems,
                    frozenset(not_in), dups, src.name)


def _read_web(path: Path, src: _Source) -> Snapshot:

    def process(g: dict[str, pd.Series], index: pd.Index) -> tuple[pd.DataFrame, pd.DataFrame]:
        blank = pd.Series("", index=index)
        ids = _ids(g.get("ticket_id"), index, src)
        received, bad, bad_time = _thai_datetimes(g.get("date", blank), g.get("time", blank))
        src.problem(bad, "date", "date_invalid", "อ่านวันที่แจ้งเรื่องไม่ได้", "cannot read the date", g.get("date"),
                    "error")
        src.problem(bad_time, "time", "date_invalid", "ไม่มีเวลาแจ้งเรื่องนี้ในหนึ่งวัน จึงไม่ใช้วันเวลาแจ้งเรื่อง",
                    "no such time of day; the report date and time are left empty", g.get("time"), "error")
        state = _per_unique(strip_relative_age(g.get("status", blank)), _stripped)
        status, unknown = map_states(state)
        src.problem(unknown, "status", "unknown_status", "สถานะไม่รู้จัก เก็บไว้ตามเดิม",
                    "unknown state, kept as is", state)
        event_state = _per_unique(g.get("event_state", blank), _stripped)
        event_at, bad, bad_time = _thai_datetimes(g.get("event_date", blank), g.get("event_time", blank))
        src.problem(bad, "event_date", "date_invalid", "อ่านวันที่ของสถานะล่าสุดไม่ได้",
                    "cannot read the date of the latest event", g.get("event_date"))
        src.problem(bad_time, "event_time", "date_invalid", "ไม่มีเวลาของสถานะล่าสุดนี้ในหนึ่งวัน",
                    "no such time of day for the latest event; its date and time are left empty",
                    g.get("event_time"))
        event_status, unknown = map_states(event_state)
        src.problem(unknown, "event_state", "unknown_status", "สถานะไม่รู้จัก เก็บไว้ตามเดิม",
                    "unknown state, kept as is", event_state)
        took_events = _took_events(g.get("took"), ids, received, event_at, src)

        reopened = event_at.dt.normalize().where(event_state.eq(REOPEN_STATE).fillna(False))
        address = _per_unique(g.get("address", blank), _stripped)
        location = address.str.extract(r"เขต\s*(\S+)")[0].map(district_name, na_action="ignore")
        location = location.astype("string")
        org = _per_unique(g.get("agency", blank), lambda u: u.strip().rstrip(",").strip() or None)
        resp = split_organizations(org, location)
        t = finish_complaints({
            "complaint_id": ids,
            "agency": resp["agency"],
            "unit": resp["unit"],
            "channel": _channel(ids, org, None),
            "subject": _per_unique(g.get("category", blank), _stripped),
            "detail": _nonempty(g["description"]) if "description" in g else None,
            "received_at": received,
            "forwarded_on": received.dt.normalize(),
            "status": status,
            "reopened_on": reopened,
            "district": resp["district"],
            "other_agencies": resp["other_agencies"],
            "organization": org,
            "source_state": state,
            "location_district": location,
            "subdistrict": address.str.extract(r"แขวง\s*(\S+)")[0].astype("string"),
            "address": address,
            "last_activity_at": event_at.where(event_at.notna(), received),
            "source_format": "traffy_web",
            "source_file": src.name,
            "source_row": index.to_numpy(),
        }, index)
        # the latest event, unless it is the report itself (same state within the report's minute)
        later = (event_at > received) | received.isna()
        has_event = (ids.notna() & event_state.notna() & event_at.notna() & (
            later | (event_state != state).fillna(True))).to_numpy(dtype=bool)
        latest = finish_events(pd.DataFrame({
            "complaint_id": ids[has_event],
            "state": event_state[has_event],
            "status": event_status[has_event],
            "at": event_at[has_event],
            "not_before": event_at[has_event],
            "not_after": event_at[has_event],
            "basis": "traffy_web_latest_event",
            "source_file": src.name,
            "source_row": index[has_event].to_numpy(),
        }))
        return t[ids.notna().to_numpy()], pd.concat([latest, took_events], ignore_index=True)

    parts = src.chunks(process)
    if parts:
        t = _concat([p[0] for p in parts])
        events = finish_events(pd.concat([p[1] for p in parts], ignore_index=True))
    else:
        t, events = finish_complaints({}, pd.Index([], name="row")), empty_events()
    t, dups = _dedupe(t, src)
    return Snapshot(path, "traffy_web", t, events, src.rows_read, src.rejections(), src.problems, _NOT_IN_WEB,
                    dups, src.name)


def _took_events(took: pd.Series | None, ids: pd.Series, received: pd.Series, event_at: pd.Series,
                 src: _Source) -> pd.DataFrame:
    """Read ``TakeTime`` against the report time and the latest event time.

    In the real scrape ``TakeTime`` equals "latest event − report" (truncated
    to the unit shown) on almost every row. Where it is shorter, it measures
    an earlier change whose state the scrape does not give: that change
    becomes an event with an unknown state, dated by the interval the
    truncated duration allows. A duration longer than the time to the latest
    event is inconsistent and reported.
    """
    if took is None:
        return empty_events()
    minutes, gran = parse_thai_duration(took)
    text = took.astype("string").str.strip()
    not_duration = (minutes.isna() & ~text.str.startswith("ใช้เวลา").fillna(False)
                    & ~text.isin(["", "รอรับเรื่อง"]))
    src.problem(not_duration, "took", "took_not_duration",
                "ช่อง TakeTime ไม่ใช่ระยะเวลา (ข้อความถูกเก็บผิดช่อง) ไม่ได้ใช้ค่านี้",
                "TakeTime is not a duration (the scraper stored other text there); ignored")
    elapsed = (event_at - received).dt.total_seconds() // 60
    has = (minutes.notna() & elapsed.notna() & ids.notna()).to_numpy(dtype=bool)
    m = minutes.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    g = gran.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    e = elapsed.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        longer = has & (m - 1 > e)
        earlier = has & (m + g < e)
    src.problem(pd.Series(longer, index=took.index), "took", "took_mismatch",
                "ระยะเวลาใน TakeTime ยาวกว่าเวลาถึงสถานะล่าสุด",
                "TakeTime is longer than the time to the latest event", took)
    start = received[earlier] + pd.to_timedelta(m[earlier], unit="min")
    return finish_events(pd.DataFrame({
        "complaint_id": ids[earlier],
        "not_before": start,
        "not_after": start + pd.to_timedelta(g[earlier] + 1, unit="min"),
        "basis": "traffy_web_take_time",
        "source_file": src.name,
        "source_row": took.index[earlier].to_numpy(),
    }))
