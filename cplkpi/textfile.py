"""The one reader of text files: CSV for score, import and MIS, the progress-form text of validate-report.

Every command that reads text goes through here, so every command reads the
same encodings and refuses the same files with the same words:

* UTF-8 with or without a BOM (several BOMs in a row, left by tools that
  add one when they re-save a file, are all dropped: a BOM is never content);
* UTF-16 little or big endian, with a BOM or without one (then told by where
  its NUL bytes fall: ASCII and Thai text in UTF-16 has a 0x00 or 0x0E byte in
  every other place);
* Windows Thai (TIS-620/cp874), with a warning, when the text is not UTF-8.

A file that is none of these, UTF-16 cut to an odd number of bytes, an
unpaired surrogate, or a CSV field longer than :data:`MAX_FIELD_CHARS` is
refused with a message naming the file and the line. Size, binary content and
row count are checked first by :func:`cplkpi.guard.check_csv_file`.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import io
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from cplkpi.scoring.errors import InputError, Problem

__all__ = ["CSV_FILE", "MAX_FIELD_CHARS", "SNIFF_BYTES", "TEXT_FILE", "Encoding", "TextKind",
           "ascii_compatible", "cp874_warning", "csv_header", "csv_records", "decode_text", "file_encoding",
           "sniff_encoding"]

#: Longest CSV field accepted (characters). An Excel cell holds at most 32,767; a field 32 times that is
#: a broken quote, not a complaint.
MAX_FIELD_CHARS = 1 << 20
#: How much of a file tells its encoding when it is read in pieces (bytes).
SNIFF_BYTES = 1 << 20
_BOMS = ((codecs.BOM_UTF8, "utf-8", "UTF-8"), (codecs.BOM_UTF16_LE, "utf-16-le", "UTF-16 LE"),
         (codecs.BOM_UTF16_BE, "utf-16-be", "UTF-16 BE"))
#: High bytes of UTF-16 code units for ASCII (0x00) and Thai (0x0E): the NUL pattern of BOM-less UTF-16.
_UTF16_HIGH = (0x00, 0x0E)


@dataclass(frozen=True)
class Encoding:
    """How a text file is encoded: Python codec, bytes of BOM(s) before the text, name shown to people."""

    codec: str
    skip: int
    label: str

    @property
    def ascii_compatible(self) -> bool:
        """True when a byte 0x0A is a newline and 0x22 a quote (UTF-8, cp874), so bytes can be scanned."""
        return not self.codec.startswith("utf-16")


def _utf16_by_nuls(head: bytes) -> str | None:
    """``utf-16-le``/``utf-16-be`` when the bytes look like BOM-less UTF-16 text, else None."""
    n = min(len(head), 4096) & ~1
    if n < 4:
        return None
    even, odd = head[0:n:2], head[1:n:2]
    for high, low, codec in ((odd, even, "utf-16-le"), (even, odd, "utf-16-be")):
        if high.count(0) == 0:
            continue
        share = sum(high.count(b) for b in _UTF16_HIGH) / len(high)
        if share >= 0.9 and low.count(0) <= len(low) // 20:
            return codec
    return None


def sniff_encoding(head: bytes) -> Encoding:
    """The encoding of a file from its first bytes: BOM(s), the NUL pattern of UTF-16, else UTF-8 when the
    bytes decode as UTF-8 (a character cut at the end of ``head`` is fine), else cp874."""
    for bom, codec, label in _BOMS:
        if head.startswith(bom):
            skip = len(bom)
            while head.startswith(bom, skip):  # a BOM saved twice
                skip += len(bom)
            return Encoding(codec, skip, label)
    nul_codec = _utf16_by_nuls(head)
    if nul_codec is not None:
        return Encoding(nul_codec, 0, nul_codec.upper().replace("-LE", " LE").replace("-BE", " BE"))
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
        return Encoding("utf-8", 0, "UTF-8")
    except UnicodeDecodeError:
        return Encoding("cp874", 0, "TIS-620/cp874")


def file_encoding(path: str | Path) -> Encoding:
    """:func:`sniff_encoding` of the first :data:`SNIFF_BYTES` of a file."""
    with open(path, "rb") as fh:
        return sniff_encoding(fh.read(SNIFF_BYTES))


@dataclass(frozen=True)
class TextKind:
    """What a text file is called in messages (Thai, English)."""

    th: str
    en: str


CSV_FILE = TextKind("ไฟล์ CSV", "CSV file")
TEXT_FILE = TextKind("ไฟล์ข้อความ", "text file")


def _line_of(raw: bytes, enc: Encoding, offset: int) -> int:
    """The line (from 1) holding byte ``offset`` of ``raw``."""
    if enc.ascii_compatible:
        return raw.count(b"\n", 0, offset) + 1
    return raw[enc.skip:offset & ~1].decode(enc.codec, "replace").count("\n") + 1


def _refuse(code: str, th: str, en: str, path: Path) -> InputError:
    return InputError([Problem(code, th, en, sheet=path.name)])


def refuse_utf32(head: bytes, path: str | Path) -> None:
    """Refuse a text file starting with a UTF-32 byte-order mark: an encoding not read (its BOM would
    otherwise pass for UTF-16's, and its text for no header row at all)."""
    if head.startswith((codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE)):
        order = "LE" if head.startswith(codecs.BOM_UTF32_LE) else "BE"
        raise _refuse("text_utf32", f"ไฟล์เข้ารหัสแบบ UTF-32 {order} ซึ่งไม่รองรับ: บันทึกใหม่เป็น UTF-8",
                      f"the file is encoded as UTF-32 {order}, which is not supported: save it again as UTF-8",
                      Path(path))


def decode_text(raw: bytes, path: str | Path, kind: TextKind = CSV_FILE) -> tuple[str, Problem | None]:
    """The text of a file's bytes and the warning, if any (read as cp874). Raises :class:`InputError`
    naming the file and the line for bytes that are not text in any of the accepted encodings."""
    path = Path(path)
    refuse_utf32(raw[:4], path)
    enc = sniff_encoding(raw[:SNIFF_BYTES])
    if not enc.ascii_compatible:
        body = len(raw) - enc.skip
        if body % 2:
            line = _line_of(raw, enc, len(raw) - 1)
            raise _refuse("text_truncated",
                          f"{kind.th} ไม่สมบูรณ์: ข้อความ {enc.label} ต้องมีจำนวนไบต์เป็นเลขคู่ แต่ไฟล์นี้ขาดไป 1 ไบต์ "
                          f"ที่ท้ายไฟล์ (บรรทัด {line:,}): ไฟล์อาจถูกตัดระหว่างคัดลอก ขอไฟล์ใหม่จากต้นทาง",
                          f"the {kind.en} is incomplete: {enc.label} text has an even number of bytes but this "
                          f"file ends one byte short (line {line:,}): it may have been cut while copied; get the "
                          "file again", path)
        try:
            return raw[enc.skip:].decode(enc.codec), None
        except UnicodeDecodeError as exc:
            line = _line_of(raw, enc, enc.skip + exc.start)
            raise _refuse("text_undecodable",
                          f"อ่าน{kind.th} ไม่ได้: อักขระ {enc.label} ไม่สมบูรณ์ (surrogate ไม่มีคู่) ที่บรรทัด {line:,} "
                          f"ไบต์ที่ {exc.start + enc.skip:,}: บันทึกใหม่เป็น UTF-8",
                          f"cannot read the {kind.en}: an incomplete {enc.label} character (unpaired surrogate) "
                          f"on line {line:,}, byte {exc.start + enc.skip:,}: save it again as UTF-8", path) from exc
    try:
        return raw[enc.skip:].decode("utf-8"), None
    except UnicodeDecodeError as exc:
        position = enc.skip + exc.start
    try:
        text = raw[enc.skip:].decode("cp874")
    except UnicodeDecodeError as exc:
        position = max(position, enc.skip + exc.start)
        line = _line_of(raw, enc, position)
        raise _refuse(
            "csv_encoding",
            f"อ่านรหัสอักขระของ{kind.th} ไม่ได้ (ไม่ใช่ UTF-8, UTF-16 หรือ TIS-620/cp874 ที่บรรทัด {line:,} "
            f"ไบต์ที่ {position:,}): บันทึกใหม่เป็น UTF-8",
            f"cannot tell the character encoding of the {kind.en} (neither UTF-8, UTF-16 nor TIS-620/cp874 on "
            f"line {line:,}, byte {position:,}): save it again as UTF-8", path) from exc
    return text, cp874_warning(path.name, kind)


def cp874_warning(name: str, kind: TextKind = CSV_FILE) -> Problem:
    """The warning that a file was read as Windows Thai (TIS-620/cp874), not UTF-8."""
    return Problem(
        "csv_encoding_cp874", f"{kind.th} ไม่ได้เข้ารหัส UTF-8 จึงอ่านด้วยรหัสภาษาไทย TIS-620 (cp874): "
        "ตรวจว่าอักษรไทยถูกต้อง", f"the {kind.en} is not UTF-8, so it was read as Thai TIS-620 (cp874): "
        "check that the Thai text is right", sheet=name, severity="warning")


def csv_records(text: str, path: str | Path) -> list[list[str]]:
    """The records of CSV text as rows (blank lines kept, so row numbers stay line numbers); the
    delimiter is the most frequent of ``,`` ``;`` tab ``|`` in the first non-blank line. A field over
    :data:`MAX_FIELD_CHARS` characters (or any other CSV error) is refused naming the file and line."""
    path = Path(path)
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max(",;\t|", key=first.count)
    if csv.field_size_limit() < MAX_FIELD_CHARS:
        csv.field_size_limit(MAX_FIELD_CHARS)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    rows: list[list[str]] = []
    while True:
        line = reader.line_num + 1  # where the next record starts
        try:
            rows.append(next(reader))
        except StopIteration:
            return rows
        except csv.Error as exc:
            if "field larger than field limit" in str(exc):
                raise _refuse("csv_field_too_long",
                              f"ช่องข้อมูลในแถวที่เริ่มที่บรรทัด {line:,} ยาวเกิน {MAX_FIELD_CHARS:,} อักขระ: มักเกิดจาก"
                              "เครื่องหมาย \" ที่ไม่มีคู่ ตรวจบรรทัดนั้น",
                              f"a field of the record starting on line {line:,} is longer than {MAX_FIELD_CHARS:,} "
                              "characters: usually a \" without its closing quote; check that line", path) from exc
            raise _refuse("csv_invalid", f"อ่านไฟล์ CSV ไม่ได้ที่แถวที่เริ่มที่บรรทัด {line:,}: {exc}",
                          f"cannot read the CSV record starting on line {line:,}: {exc}", path) from exc


def csv_header(path: str | Path) -> list[str]:
    """The first record of a CSV file (its header row), read from the file's first
    :data:`SNIFF_BYTES` in its own encoding (:func:`file_encoding`), every BOM dropped. A header that is
    not text is refused naming the file and the line."""
    path = Path(path)
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
    refuse_utf32(head, path)
    enc = sniff_encoding(head)
    try:
        text = codecs.getincrementaldecoder(enc.codec)().decode(head[enc.skip:], final=False)
    except UnicodeDecodeError:
        decode_text(head, path)  # raises the message naming the file and line
        raise
    first = text.split("\n", 1)[0] if '"' not in text else text
    records = csv_records(first, path) if first.strip() else []
    return next((r for r in records if r), [])


def _stream_encoding(path: Path) -> Encoding:
    """The encoding of the whole file, read in pieces: as :func:`decode_text` decides it (UTF-8 only when
    every byte is UTF-8, else cp874), refused with the same message naming the line."""
    with open(path, "rb") as fh:
        head = fh.read(SNIFF_BYTES)
        enc = sniff_encoding(head)
        decoder = codecs.getincrementaldecoder(enc.codec)()
        fh.seek(enc.skip)
        try:
            while block := fh.read(SNIFF_BYTES):
                decoder.decode(block)
            decoder.decode(b"", final=True)
            return enc
        except UnicodeDecodeError:
            if enc.codec != "utf-8":
                decode_text(path.read_bytes(), path)  # raises the message naming the file and line
                raise
        fh.seek(enc.skip)
        decoder = codecs.getincrementaldecoder("cp874")()
        try:
            while block := fh.read(SNIFF_BYTES):
                decoder.decode(block)
        except UnicodeDecodeError:
            decode_text(path.read_bytes(), path)
            raise
        return Encoding("cp874", enc.skip, "TIS-620/cp874")


@contextlib.contextmanager
def ascii_compatible(path: str | Path) -> Iterator[tuple[Path, str]]:
    """A file with the text of ``path`` that a byte scanner and pandas can read (UTF-8 or cp874 after at
    most one BOM), and its pandas encoding: ``path`` itself when it already is one, else a temporary
    UTF-8 copy (UTF-16, several BOMs), deleted afterwards. The encoding is decided and checked on the
    whole file, in pieces, as :func:`decode_text` decides it; an undecodable file is refused naming the
    line before anything is read."""
    path = Path(path)
    enc = _stream_encoding(path)
    one_bom = enc.codec == "utf-8" and enc.skip == len(codecs.BOM_UTF8)
    if enc.ascii_compatible and (enc.skip == 0 or one_bom):
        yield path, "utf-8-sig" if enc.codec == "utf-8" else enc.codec
        return
    folder = tempfile.mkdtemp(prefix="cplkpi-")
    try:
        copy = Path(folder) / "text.csv"
        decoder = codecs.getincrementaldecoder(enc.codec)()
        with open(path, "rb") as src, open(copy, "w", encoding="utf-8", newline="") as dst:
            src.seek(enc.skip)
            while block := src.read(SNIFF_BYTES):
                dst.write(decoder.decode(block))
            dst.write(decoder.decode(b"", final=True))
        yield copy, "utf-8"
    finally:
        shutil.rmtree(folder, ignore_errors=True)
