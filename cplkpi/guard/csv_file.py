"""The check of a CSV (or other text) file before it is read: size, binary content, rows; its checked text."""

from __future__ import annotations

from pathlib import Path

from cplkpi.guard.limits import (
    MAX_ROWS,
    OLE_MAGIC,
    common_checks,
    fail,
)
from cplkpi.scoring.errors import Problem
from cplkpi.textfile import (
    CSV_FILE,
    SNIFF_BYTES,
    TextKind,
    csv_records,
    decode_text,
    refuse_utf32,
    sniff_encoding,
)


def check_csv_file(path: str | Path) -> bytes:
    """Refuse a CSV file that is missing, empty, too large, binary or has too many rows; return its bytes."""
    path = Path(path)
    common_checks(path)
    raw = path.read_bytes()
    refuse_utf32(raw[:4], path)
    enc = sniff_encoding(raw[:SNIFF_BYTES])  # UTF-16 (with or without BOM) has NUL bytes, and is text
    head = raw[:65536]
    # a stray NUL inside a text field is not binary: a binary file has many (at least 1% of its first bytes)
    if raw.startswith((b"PK\x03\x04", OLE_MAGIC)) or (enc.ascii_compatible and head.count(b"\x00") * 100 >= max(
            len(head), 1600)):
        raise fail("csv_binary", "ไฟล์ไม่ใช่ข้อความ CSV (เป็นไฟล์ไบนารี เช่น Excel ที่ตั้งนามสกุลเป็น .csv)",
                    "the file is not CSV text (it is binary, such as an Excel file named .csv)", path)
    # UTF-16: count newline code units, not 0x0A bytes (Thai ช is U+0E0A)
    if enc.ascii_compatible:
        lines = raw.count(b"\n")
    else:
        lines = raw[enc.skip:].decode(enc.codec, "replace").count("\n")
    if lines > MAX_ROWS + 1:
        raise fail("too_many_rows",
                    f"ไฟล์มีข้อมูลเกิน {MAX_ROWS:,} แถว ซึ่งเกินขีดจำกัด: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน",
                    f"the file has more than {MAX_ROWS:,} rows of data, over the limit: split the file by "
                    "fiscal year or by agency", path)
    return raw


def read_text(path: str | Path, kind: TextKind = CSV_FILE) -> tuple[str, Problem | None]:
    """The checked (:func:`check_csv_file`) and decoded text of a file, and the encoding
    warning, if any."""
    return decode_text(check_csv_file(path), path, kind)


def csv_rows(path: str | Path) -> tuple[list[list[str]], Problem | None]:
    """The records of a CSV file as rows (blank lines kept, so row numbers stay line numbers) and the
    encoding warning, if any, read by the one text reader :mod:`cplkpi.textfile` (UTF-8, UTF-16 with or
    without BOM, else Thai TIS-620/cp874); the delimiter is the most frequent of ``,`` ``;`` tab ``|`` in
    the first non-blank line."""
    text, warning = read_text(path)
    return csv_records(text, path), warning
