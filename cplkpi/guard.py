"""Checks on untrusted workbook files before anything parses them.

Submitted workbooks are untrusted (the committee's audit). Before a file is
opened it must exist, not be empty or absurdly large, be a format the
command reads (an OOXML zip for the complaint workbook and reports; ``import``
also takes .xlsb, .xls and .ods; encrypted files, HTML pages or CSVs renamed
to .xlsx are refused), open as a zip, expand to no more than a cap (zip
bombs, measured while decompressing, not trusted from the headers), pass its
CRC checks and use no sheet beyond :data:`MAX_ROWS` rows or :data:`MAX_CELLS`
cells. The sheet limits are measured on the file as written, the way the
values reader (python-calamine) places cells (any quoting, case, namespace
prefix, relationship target in any case, cells without a reference, repeated
.ods rows and cells, binary records), streamed in constant memory, before the
reader builds its dense grid.

Macros, external links, data connections and embedded objects are never run,
followed or refreshed: cplkpi reads stored cell values only. Their presence
is reported as a warning, because the values a user sees in Excel may differ
from the stored ones.

:func:`check_workbook_file` raises :class:`InputError` for a refused file and
returns the warnings; :func:`reading` turns what a reader raises on a
file that passed into one clear error. Outputs are checked by :mod:`cplkpi.outputs`.
"""

from __future__ import annotations

import array
import contextlib
import posixpath
import re
import stat
import struct
import sys
import zipfile
import zlib
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from cplkpi.ooxml.scan import (
    MalformedXml,
    MergeWalk,
    SheetWalk,
    UnsafeXml,
    fast_extent,
    walk_xml,
)
from cplkpi.scoring.errors import InputError, Problem, column_letter
from cplkpi.xlsx import sheet_parts

__all__ = [
    "IMPORT_FORMATS",
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_TEXT_CHARS",
    "MAX_UNZIPPED_BYTES",
    "WORKBOOK_FORMATS",
    "check_csv_file",
    "check_regular_file",
    "check_workbook_file",
    "reading",
    "sheet_parts",
]

#: Largest file accepted (bytes).
MAX_FILE_BYTES = 200 * 1024**2
#: Largest total size of the unpacked parts of an .xlsx (bytes).
MAX_UNZIPPED_BYTES = 1024**3
#: Largest ratio of unpacked to packed size.
MAX_RATIO = 200
#: Last row a sheet may use (a district has a few thousand complaints a year, a department tens of thousands).
MAX_ROWS = 300_000
#: Largest used area of a sheet (last used row × last used column): what a values reader builds in memory.
MAX_CELLS = 10_000_000

#: Longest text of one cell (Excel's limit), as a reader expands it (.ods ``text:s text:c`` spaces).
MAX_CELL_CHARS = 32_767
#: Most characters of text the sheets of an .ods may expand to (every repeated cell counted): the reader
#: builds them all when it opens the file.
MAX_TEXT_CHARS = 200_000_000

#: Excel's grid: columns A…XFD (rows stop earlier, at :data:`MAX_ROWS`, far below Excel's 1,048,576).
EXCEL_COLUMNS = 16_384

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20


def _fail(code: str, th: str, en: str, path: Path) -> InputError:
    return InputError([Problem(code, th, en, sheet=path.name)])


def _warn(code: str, th: str, en: str, path: Path) -> Problem:
    return Problem(code, th, en, sheet=path.name, severity="warning")


def check_regular_file(path: str | Path) -> Path:
    """Refuse an input that is missing, a folder, or not a regular file (a FIFO, device or socket:
    reading one may wait for ever); every command's input files pass here before being opened."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError:
        raise _fail("file_missing", f"ไม่พบไฟล์ {path}", f"file not found: {path}", path) from None
    if stat.S_ISDIR(mode):
        raise _fail("not_a_file", f"{path} เป็นโฟลเดอร์ ไม่ใช่ไฟล์: ระบุไฟล์ในโฟลเดอร์นั้น",
                    f"{path} is a folder, not a file: give a file in it", path)
    if not stat.S_ISREG(mode):
        raise _fail("not_a_file", f"{path} ไม่ใช่ไฟล์ปกติ (เป็น pipe/FIFO อุปกรณ์ หรือ socket): บันทึกข้อมูลเป็นไฟล์ก่อน",
                    f"{path} is not a regular file (a pipe/FIFO, device or socket): save the data to a file "
                    "first", path)
    return path


def _common_checks(path: Path) -> int:
    check_regular_file(path)
    size = path.stat().st_size
    if size == 0:
        raise _fail("file_empty", "ไฟล์ว่างเปล่า (0 ไบต์)", "the file is empty (0 bytes)", path)
    if size > MAX_FILE_BYTES:
        raise _fail("file_too_large", f"ไฟล์ใหญ่เกินไป ({size:,} ไบต์ เกิน {MAX_FILE_BYTES:,})",
                    f"file too large ({size:,} bytes, limit {MAX_FILE_BYTES:,})", path)
    return size


def _ole_kind(path: Path) -> str:
    """``encrypted`` (an Office file protected by a password), ``xls`` or ``other`` for an OLE file."""
    encrypted, legacy = "EncryptedPackage".encode("utf-16-le"), "Workbook".encode("utf-16-le")
    found_xls = False
    with path.open("rb") as fh:
        tail = b""
        while chunk := fh.read(_CHUNK):
            block = tail + chunk
            if encrypted in block:
                return "encrypted"
            found_xls = found_xls or legacy in block or "Book".encode("utf-16-le") + b"\x00\x00" in block
            tail = block[-64:]
    return "xls" if found_xls else "other"


def _refuse_non_zip(path: Path, head: bytes) -> None:
    if head.startswith(_OLE):
        kind = _ole_kind(path)
        if kind == "encrypted":
            raise _fail("encrypted", "ไฟล์ถูกเข้ารหัสด้วยรหัสผ่าน: เปิดใน Excel แล้วเอารหัสผ่านออก "
                        "(ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก > เข้ารหัสด้วยรหัสผ่าน) แล้วบันทึกเป็น .xlsx",
                        "the workbook is encrypted with a password: remove the password in Excel "
                        "(File > Info > Protect Workbook > Encrypt with Password) and save as .xlsx", path)
        if kind == "xls":
            raise _fail("legacy_xls", "ไฟล์เป็น Excel รุ่นเก่า (.xls): เปิดใน Excel แล้วบันทึกเป็น .xlsx",
                        "the file is a legacy Excel .xls workbook: open it in Excel and save it as .xlsx",
                        path)
        raise _fail("not_xlsx", "ไม่ใช่ไฟล์ Excel (.xlsx): เป็นไฟล์ Office รุ่นเก่าชนิดอื่น",
                    "not an Excel .xlsx file: another legacy Office (OLE) file", path)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in text[:512]:
        raise _fail("html_as_excel", "ไฟล์เป็นหน้าเว็บ (HTML) ที่ตั้งนามสกุลเป็น Excel: เปิดใน Excel "
                    "แล้วบันทึกเป็น .xlsx", "the file is a web page (HTML) named like an Excel file: "
                    "open it in Excel and save it as .xlsx", path)
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise _fail("xml_spreadsheet", "ไฟล์เป็น XML Spreadsheet 2003: เปิดใน Excel แล้วบันทึกเป็น .xlsx",
                    "the file is an XML Spreadsheet 2003: open it in Excel and save it as .xlsx", path)
    if b"\x00" not in head:
        raise _fail("text_as_excel", "ไฟล์เป็นข้อความ (เช่น CSV) แต่ตั้งนามสกุลเป็น Excel: "
                    "เปลี่ยนนามสกุลเป็น .csv หรือบันทึกเป็น .xlsx",
                    "the file is plain text (such as CSV) named like an Excel file: "
                    "rename it to .csv or save it as .xlsx", path)
    raise _fail("not_xlsx", "ไม่ใช่ไฟล์ Excel (.xlsx) หรือไฟล์เสียหาย",
                "not an Excel .xlsx file, or the file is corrupt", path)


def _corrupt(path: Path, detail: str) -> InputError:
    return _fail("corrupt_xlsx", "ไฟล์ Excel เสียหาย อ่านไม่ได้: ขอไฟล์ต้นฉบับใหม่ หรือเปิดใน Excel "
                 "แล้วบันทึกใหม่", f"the Excel file is corrupt and cannot be read ({detail}): get the "
                 "original again, or open it in Excel and save it again", path)


# --- the sheet XML: how far its cells reach, parsed the way the reader does -------------------------
#
# python-calamine builds a dense grid from A1 (or the first cell) to the last cell with a value, so a
# 1 KB file with one value at XFD1048576 asks for 17 billion cells. The extent is measured on the XML
# as written (:mod:`cplkpi.ooxml.scan`), before the reader opens the file.


def _exact_extent(chunks: Iterator[bytes], path: Path, part: str) -> tuple[int, int]:
    """(last row, last column) of the cells with a value (as the reader places them), by a streaming parse."""
    walk = SheetWalk()
    _walk_xml(walk.start, walk.end, chunks, path, part, lambda: _over(walk.rows, walk.cols))
    return walk.rows, walk.cols


def _over(rows: int, cols: int) -> bool:
    return rows > MAX_ROWS or rows * cols > MAX_CELLS


def _walk_xml(start: Callable[[str, dict[str, str]], None], end: Callable[[str], None],
              chunks: Iterator[bytes], path: Path, part: str, enough: Callable[[], bool],
              text: Callable[[str], None] | None = None) -> None:
    """:func:`cplkpi.ooxml.scan.walk_xml`, XML that is not well-formed refused as a corrupt file."""
    try:
        walk_xml(start, end, chunks, part, enough, text)
    except MalformedXml as exc:
        raise _corrupt(path, str(exc)) from exc.__cause__


# --- declared counts: shared strings and styles ---------------------------------------------------------
#
# The values reader reserves memory for as many shared strings as xl/sharedStrings.xml declares
# (``uniqueCount``, ``count``) before reading one: a 1.8 KB file declaring 4,294,967,295 strings asked
# for 103 GB and aborted the process. Every count the workbook's string and style parts declare is
# therefore checked against what the part really holds, streamed, before any reader opens the file.

#: The parts whose declared counts a reader may size memory from (any folder, any case).
_COUNTED_PART = re.compile(r"(?i)(?:^|/)(?:sharedstrings|styles)[^/]*\.xml$")
#: How far a declared count may exceed the entries the part holds (writers round; a stale count is harmless).
_COUNT_SLACK = 1000


class _CountWalk:
    """Each element declaring ``count``/``uniqueCount``, and how many child elements it really has."""

    def __init__(self) -> None:
        self.open: list[list] = []  # [local name, declared counts, children so far]
        self.found: list[tuple[str, dict[str, int], int]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.open:
            self.open[-1][2] += 1
        declared = {k: _declared(v) for k, v in attrs.items() if k in ("count", "uniqueCount")}
        self.open.append([name.rpartition(":")[2], declared, 0])

    def end(self, name: str) -> None:
        local, declared, children = self.open.pop()
        if declared:
            self.found.append((local, declared, children))


def _declared(text: str) -> int:
    """A declared count as the reader parses it (digits, surrounding blanks allowed); 0 if unreadable."""
    text = text.strip()
    return int(text) if text.isdigit() else 0


def _counted_targets(zf: zipfile.ZipFile, lower: dict[str, str]) -> set[str]:
    """Members the workbook relates as its shared strings or styles, whatever their names (resolved like
    sheet targets: ``/xl/…`` as it is, else under ``xl/``, ``..`` followed; any case)."""
    import xml.etree.ElementTree as ET

    rels = lower.get("xl/_rels/workbook.xml.rels")
    if rels is None:
        return set()
    data = zf.read(rels)
    if b"<!" in data:
        return set()  # a DTD: refused with the sheet relationships (_sheet_members, defusedxml)
    out = set()
    for el in ET.fromstring(data).iter():
        if str(el.tag).endswith("Relationship") and el.get("Type", "").rpartition("/")[2] in (
                "sharedStrings", "styles"):
            target = el.get("Target", "")
            name = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
            if name.lower() in lower:
                out.add(lower[name.lower()])
    return out


def _check_declared_counts(path: Path, chunks: Iterator[bytes], part: str, sheets: int) -> None:
    """Refuse a shared-strings or styles part declaring far more entries than it holds (a reader would
    reserve memory for all of them): ``uniqueCount`` or a style list's ``count`` more than
    :data:`_COUNT_SLACK` above its entries, or the string references ``count`` above :data:`MAX_CELLS`
    per sheet."""
    walk = _CountWalk()
    _walk_xml(walk.start, walk.end, chunks, path, part, lambda: False)
    for local, declared, children in walk.found:
        for key, number in declared.items():
            if local == "sst" and key == "count":
                most = MAX_CELLS * sheets
            else:
                most = children + _COUNT_SLACK
            if number > most:
                raise _fail("declared_count_too_large",
                            f"ไฟล์ระบุจำนวนรายการใน {part} ({local} {key}=\"{number:,}\") เกินกว่าที่มีจริง "
                            f"({children:,} รายการ, ขีดจำกัด {most:,}) ปฏิเสธเพื่อความปลอดภัย: เปิดใน Excel แล้วบันทึกใหม่",
                            f"the file declares more entries in {part} ({local} {key}=\"{number:,}\") than it "
                            f"holds ({children:,}, limit {most:,}); refused for safety: open it in Excel and "
                            "save it again", path)


# --- OpenDocument (.ods): repeated rows and cells ----------------------------------------------------
#
# python-calamine expands ``table:number-columns-repeated`` of a cell with a value (empty ones only when
# a value follows in the row) and ``table:number-rows-repeated`` of every row up to the last row with a
# value, then the reader pads the grid from A1: a 1 KB file can describe billions of cells.


class _OdsWalk:
    """The reader's grid of each ``table:table`` in content.xml: rows up to the last row with a value
    (repeats counted, from the first row) × columns up to the last cell with a value."""

    _CELLS = ("table:table-cell", "table:covered-table-cell")
    #: Elements that stand for characters in a cell's text: ``text:s`` for ``text:c`` spaces (default 1).
    _EXPANDS = ("text:s", "text:tab", "text:line-break")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cell_chars: int | None = None  # characters of the current cell's text (None outside a cell)
        self.cell_at = (0, 0, 1)  # row, column (1-based) and repeat of the current cell
        self.chars = 0  # characters of every cell so far, repeats counted
        self.stack: list[str] = []
        self.sheet = ""
        self.rows = self.cols = 0  # of the current table
        self.row_start = 0  # rows before the current row (repeats counted)
        self.row_repeat = 1
        self.row_width = 0  # columns up to the last cell with a value in the current row
        self.col = 0  # columns of the current row so far (repeats counted)
        self.tables: list[tuple[str, int, int]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        if name == "table:table":
            self.sheet, self.rows, self.cols, self.row_start = attrs.get("table:name", ""), 0, 0, 0
        elif name == "table:table-row":
            self.row_repeat = _count(attrs.get("table:number-rows-repeated"))
            self.row_width = self.col = 0
        elif name in self._CELLS and parent == "table:table-row":
            repeat = _count(attrs.get("table:number-columns-repeated"))
            self.cell_chars, self.cell_at = 0, (self.row_start + 1, self.col + 1, repeat)
            self.col += repeat
            if any(k.startswith("office:") or k == "table:formula" for k in attrs):
                self.row_width = self.col  # a value (or a formula): the repeats up to here are built

        elif name in self._EXPANDS and self.cell_chars is not None:
            self.cell_chars += _count(attrs.get("text:c")) if name == "text:s" else 1
            self._check_cell()

    def text(self, data: str) -> None:
        """Character data: counted towards the current cell's text."""
        if self.cell_chars is not None:
            self.cell_chars += len(data)
            self._check_cell()

    def _check_cell(self) -> None:
        """Refuse a cell whose text passes :data:`MAX_CELL_CHARS`, or a file whose sheets' text passes
        :data:`MAX_TEXT_CHARS` (the reader builds every sheet, and each repeat of a cell again)."""
        row, col, repeat = self.cell_at
        where = f"{self.path.name}: {self.sheet}" if self.sheet else self.path.name
        if self.cell_chars > MAX_CELL_CHARS:
            raise InputError([Problem(
                "cell_text_too_long",
                f"ข้อความในเซลล์ยาวเกิน {MAX_CELL_CHARS:,} อักขระ (ขีดจำกัดของ Excel) ปฏิเสธเพื่อความปลอดภัย",
                f"the cell's text is longer than {MAX_CELL_CHARS:,} characters (Excel's limit); refused for "
                "safety", sheet=where, row=row, letter=column_letter(col))])
        if self.chars + self.cell_chars * repeat * self.row_repeat > MAX_TEXT_CHARS:
            raise InputError([Problem(
                "text_too_large",
                f"ข้อความในทุกชีตของไฟล์รวมกันเกิน {MAX_TEXT_CHARS:,} อักขระ (นับเซลล์ที่ซ้ำกันทุกครั้ง) ถึงเซลล์นี้ "
                "ปฏิเสธเพื่อความปลอดภัย",
                f"the text of the file's sheets adds up to more than {MAX_TEXT_CHARS:,} characters (each "
                "repeated cell counted) by this cell; refused for safety", sheet=where, row=row, letter=column_letter(col))])

    def end(self, name: str) -> None:
        self.stack.pop()
        if name in self._CELLS and self.cell_chars is not None and self.stack[-1:] == ["table:table-row"]:
            self.chars += self.cell_chars * self.cell_at[2] * self.row_repeat
            self.cell_chars = None
        if name == "table:table-row":
            if self.row_width:
                self.rows = self.row_start + self.row_repeat
                self.cols = max(self.cols, self.row_width)
            self.row_start += self.row_repeat
        elif name == "table:table":
            self.tables.append((self.sheet, self.rows, self.cols))


def _count(text: str | None) -> int:
    """A repeat count as written (1 when absent; an unreadable one makes the reader fail, cleanly)."""
    return int(text) if text is not None and text.strip().isdigit() else 1


def _check_ods_content(path: Path, chunks: Iterator[bytes]) -> None:
    """Refuse an .ods whose content.xml describes a sheet past the limits (streamed, constant memory)."""
    walk = _OdsWalk(path)
    _walk_xml(walk.start, walk.end, chunks, path, "content.xml", lambda: _over(walk.rows, walk.cols) or any(
        _over(rows, cols) for _, rows, cols in walk.tables), walk.text)
    for sheet, rows, cols in [*walk.tables, (walk.sheet, walk.rows, walk.cols)]:
        _check_extent(path, sheet, rows, cols)


class _Lying(Exception):
    """A member inflates far beyond the size its headers declare."""


def _member_chunks(fh: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The real content of a zip member, inflated from its raw data in chunks.

    Unlike a zip reader, which stops at the declared size, this counts what the
    data really holds: far more than declared is a zip bomb (:class:`_Lying`);
    a different size or CRC is damage (:class:`zipfile.BadZipFile`).
    """
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header of {info.filename}")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-15)
    elif info.compress_type != zipfile.ZIP_STORED:
        raise NotImplementedError(f"compression method {info.compress_type} of {info.filename}")
    bomb_at = max(2 * info.file_size, info.file_size + _CHUNK)
    left, out, crc = info.compress_size, 0, 0
    while left > 0:
        raw = fh.read(min(_CHUNK, left))
        if not raw:
            raise zipfile.BadZipFile(f"{info.filename} is truncated")
        left -= len(raw)
        piece = raw if info.compress_type == zipfile.ZIP_STORED else inflate.decompress(raw, _CHUNK)
        while True:
            out += len(piece)
            if out > bomb_at:
                raise _Lying(info.filename)
            crc = zlib.crc32(piece, crc)
            yield piece
            if info.compress_type == zipfile.ZIP_STORED or not inflate.unconsumed_tail:
                break
            piece = inflate.decompress(inflate.unconsumed_tail, _CHUNK)
    if info.compress_type == zipfile.ZIP_DEFLATED and (rest := inflate.flush()):
        out += len(rest)
        if out > bomb_at:
            raise _Lying(info.filename)
        crc = zlib.crc32(rest, crc)
        yield rest
    if out != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 or size for {info.filename}")


#: What each command may read: the complaint workbook and reports are .xlsx/.xlsm; ``import`` also
#: reads MIS exports saved as .xlsb, .xls or OpenDocument .ods.
WORKBOOK_FORMATS = ("xlsx",)
IMPORT_FORMATS = ("xlsx", "xlsb", "xls", "ods")


def check_workbook_file(path: str | Path, formats: tuple[str, ...] = WORKBOOK_FORMATS) -> list[Problem]:
    """Refuse (raise :class:`InputError` naming the file) a workbook we cannot read safely.

    ``formats`` are those the caller reads (``xlsx``: .xlsx/.xlsm; ``xlsb``, ``xls``, ``ods``); any other
    kind is
    refused with what to do. Every format gets the same limits: file size, zip bombs, and sheets whose
    cells would reach beyond :data:`MAX_ROWS` rows or :data:`MAX_CELLS` cells in the reader.

    Returns warnings for what is kept but not used: macros (never run),
    external links (stored values used, never followed), data connections
    (never refreshed) and embedded objects (never opened).
    """
    path = Path(path)
    _common_checks(path)
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head.startswith(b"PK"):
        if "xls" in formats and head.startswith(_OLE) and _ole_kind(path) == "xls":
            _check_xls(path)
            return []
        _refuse_non_zip(path, head)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise _corrupt(path, f"zip: {exc}") from exc
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if any(i.flag_bits & 0x1 for i in infos):
            raise _fail("encrypted", "ไฟล์ถูกเข้ารหัสด้วยรหัสผ่าน: เอารหัสผ่านออกแล้วบันทึกเป็น .xlsx",
                        "the file is encrypted with a password: remove the password and save as .xlsx", path)
        kind = ("xlsx" if "xl/workbook.xml" in names else "xlsb" if "xl/workbook.bin" in names
                else "ods" if _is_ods(zf, names) else None)
        if kind not in formats:
            _refuse_other_zip(zf, names, path)
        total = sum(i.file_size for i in infos)
        packed = max(sum(i.compress_size for i in infos), 1)
        if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
            raise _bomb(path, total, ratio=total / packed)
        lower = _unique_names(infos, path)
        # The reader picks its format by the file's extension, not by what the zip holds: every kind of
        # sheet the zip holds is measured (an .xlsb named file with a harmless xl/workbook.xml beside its
        # binary sheets is read as .xlsb).
        xml_sheets = _sheet_members(zf, lower, path, "xlsx") if "xl/workbook.xml" in lower else {}
        bin_sheets = _sheet_members(zf, lower, path, "xlsb") if "xl/workbook.bin" in lower else {}
        counted = _counted_targets(zf, lower) if kind == "xlsx" else set()
        with path.open("rb") as raw:
            for info in infos:
                try:
                    measured = False
                    if info.filename in xml_sheets:
                        _check_sheet_part(path, raw, info, xml_sheets[info.filename])
                        measured = True
                    if info.filename in bin_sheets:
                        extent = _xlsb_extent(_member_chunks(raw, info))
                        _check_extent(path, bin_sheets[info.filename], *extent)
                        measured = True
                    if kind == "xlsx" and (_COUNTED_PART.search(info.filename) or info.filename in counted):
                        _check_declared_counts(path, _member_chunks(raw, info), info.filename,
                                               max(sum(not _COUNTED_PART.search(m) for m in xml_sheets), 1))
                        measured = True
                    if info.filename.lower() == "content.xml":
                        _check_ods_content(path, _member_chunks(raw, info))
                        measured = True
                    if not measured:
                        for _ in _member_chunks(raw, info):
                            pass
                except _Lying as exc:
                    raise _bomb(path, info.file_size, lying=info.filename) from exc
                except UnsafeXml as exc:
                    raise _fail("unsafe_xml",
                                f"ไฟล์มี XML ที่ไม่ปลอดภัย (DTD/entity) ใน {exc} ปฏิเสธเพื่อความปลอดภัย",
                                f"the file contains unsafe XML (DTD/entities) in {exc}; refused for safety",
                                path) from exc
                except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
                    raise _corrupt(path, f"{info.filename}: {exc}") from exc
        return _warnings(zf, names, path) if kind == "xlsx" else []


def _is_ods(zf: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names:
        return False
    with zf.open("mimetype") as fh:
        return b"opendocument.spreadsheet" in fh.read(100)


# --- Excel binary workbook (.xlsb): BIFF12 records ------------------------------------------------------
#
# A sheet part is a stream of records (type and size as 7-bit varints). The reader sets the row from
# each BrtRowHdr (type 0) and takes the column of a cell with a value (types 2–10; 11 counted too) from
# its first four bytes, then builds the dense grid: 4-byte numbers reach billions of cells.

#: Cell records the extent counts (BrtCellRk … BrtFmlaError); blanks (1, 12) hold no value.
_XLSB_CELLS = frozenset(range(2, 12))


def _varint(buf: bytes | bytearray, pos: int, most: int) -> tuple[int, int] | None:
    """(value, next position) of a little-endian 7-bit varint of at most ``most`` bytes; None if cut."""
    value = 0
    for i in range(most):
        if pos + i >= len(buf):
            return None
        byte = buf[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return value, pos + i + 1
    return value, pos + most


def _xlsb_records(chunks: Iterator[bytes], wanted: frozenset[int],
                  whole: int = 4) -> Iterator[tuple[int, bytes]]:
    """(type, first ``whole`` bytes of the data) of every record of a ``wanted`` type, streamed: the rest
    of a record is skipped without being kept, so memory stays at one chunk whatever the sizes say."""
    buf, skip = bytearray(), 0
    for chunk in chunks:
        if skip >= len(chunk):
            skip -= len(chunk)
            continue
        buf += chunk[skip:]
        skip = pos = 0
        while True:
            typ = _varint(buf, pos, 2)
            size = None if typ is None else _varint(buf, typ[1], 4)
            if typ is None or size is None:
                break
            at, end = size[1], size[1] + size[0]
            if typ[0] in wanted:
                if len(buf) < at + min(size[0], whole):
                    break  # the first bytes are in the next chunk
                yield typ[0], bytes(buf[at:at + min(size[0], whole)])
            if end > len(buf):
                skip, pos = end - len(buf), len(buf)
                break
            pos = end
        del buf[:pos]


def _xlsb_extent(chunks: Iterator[bytes]) -> tuple[int, int]:
    """(rows, columns) of the grid the reader builds from an .xlsb sheet part (1-based last row/column)."""
    row = rows = cols = 0
    for typ, head in _xlsb_records(chunks, _XLSB_CELLS | {0}):
        if len(head) < 4:
            continue  # a record too short to hold its position: the reader fails on it, cleanly
        number = int.from_bytes(head, "little")
        if typ == 0:
            row = number
        else:
            rows, cols = max(rows, row + 1), max(cols, number + 1)
            if _over(rows, cols):
                break
    return rows, cols


def _xlsb_sheet_names(zf: zipfile.ZipFile, lower: dict[str, str]) -> dict[str, str]:
    """Relationship id → sheet name, from the BrtBundleSh records (type 156) of xl/workbook.bin."""
    out: dict[str, str] = {}
    if "xl/workbook.bin" not in lower:
        return out
    with zf.open(lower["xl/workbook.bin"]) as fh:
        chunks = iter(lambda: fh.read(_CHUNK), b"")
        for _, data in _xlsb_records(chunks, frozenset({156}), whole=1024):
            rel, at = _wide(data, 8)
            name, _ = _wide(data, at)
            if rel is not None and name is not None:
                out[rel] = name
    return out


def _wide(data: bytes, at: int) -> tuple[str | None, int]:
    """An XLWideString (character count, then UTF-16) at ``at``, and the position after it."""
    if at + 4 > len(data):
        return None, at
    count = struct.unpack_from("<I", data, at)[0]
    if count == 0xFFFFFFFF or at + 4 + 2 * count > len(data):
        return None, at + 4
    return data[at + 4:at + 4 + 2 * count].decode("utf-16-le", "replace"), at + 4 + 2 * count


# --- legacy Excel (.xls): BIFF8 records in an OLE compound file ------------------------------------------
#
# Cell records carry a 16-bit row and column (MULRK a range of columns): 4 billion cells. The
# DIMENSIONS record is not counted (the reader builds nothing from it, as for .xlsx). The compound file
# is read sector by sector through its allocation table, every chain bounded by the number of sectors in
# the file (a loop is damage, not an endless read).

_XLS_CELLS = {0x0203, 0x00FD, 0x0204, 0x027E, 0x0205, 0x0006, 0x00D6, 0x00BD}
_XLS_BOF, _XLS_EOF, _XLS_BOUNDSHEET = 0x0809, 0x000A, 0x0085


class _Cfb:
    """A minimal reader of an OLE compound file: streams by name, read through the FAT (or mini FAT)."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh = fh
        head = fh.read(512)
        if len(head) < 512 or not head.startswith(_OLE):
            raise ValueError("not a compound file")
        self.sector = 1 << struct.unpack_from("<H", head, 0x1E)[0]
        self.mini = 1 << struct.unpack_from("<H", head, 0x20)[0]
        if self.sector not in (512, 4096) or self.mini != 64:
            raise ValueError("bad sector size")
        self.count = max(size // self.sector, 1)
        n_fat, first_dir = struct.unpack_from("<II", head, 0x2C)
        self.cutoff, first_mini_fat, _, first_difat, n_difat = struct.unpack_from("<IIIII", head, 0x38)
        difat = list(struct.unpack_from("<109I", head, 0x4C))
        per = self.sector // 4
        nxt = first_difat
        for _ in range(min(n_difat, self.count)):
            if nxt >= self.count:
                break
            entries = struct.unpack(f"<{per}I", self._read(nxt))
            difat += entries[:-1]
            nxt = entries[-1]
        fat_sectors = [s for s in difat[:n_fat] if s < self.count]
        if len(set(fat_sectors)) != len(fat_sectors):
            raise ValueError("a sector listed twice in the allocation table")
        self.fat = _numbers(b"".join(self._read(s) for s in fat_sectors))
        directory = b"".join(self._chain(first_dir))
        self.entries: dict[str, tuple[int, int]] = {}
        root: tuple[int, int] | None = None
        for off in range(0, len(directory) - 127, 128):
            entry = directory[off:off + 128]
            length = min(struct.unpack_from("<H", entry, 64)[0], 64)
            kind, start, stream_size = entry[66], *struct.unpack_from("<IQ", entry, 116)
            name = entry[:max(length - 2, 0)].decode("utf-16-le", "replace")
            if kind == 5:
                root = (start, stream_size)
            elif kind == 2:
                self.entries.setdefault(name, (start, stream_size))
        self.mini_fat = _numbers(b"".join(self._chain(first_mini_fat)))
        self.root = root

    def _read(self, sector: int) -> bytes:
        self.fh.seek((sector + 1) * self.sector)
        return self.fh.read(self.sector)

    def _chain(self, start: int) -> Iterator[bytes]:
        sector, seen = start, 0
        while sector < len(self.fat) and sector < self.count and seen <= self.count:
            yield self._read(sector)
            sector, seen = self.fat[sector], seen + 1

    def stream(self, name: str) -> Iterator[bytes] | None:
        """The stream's bytes in chunks (one sector, or the whole of a small stream), or None."""
        if name not in self.entries:
            return None
        start, size = self.entries[name]
        if size >= self.cutoff:
            return _cut(self._chain(start), size)
        if self.root is None:
            return None
        container = b"".join(_cut(self._chain(self.root[0]), self.root[1]))
        out, sector, seen = bytearray(), start, 0
        while sector < len(self.mini_fat) and len(out) < size and seen <= len(self.mini_fat):
            out += container[sector * 64:(sector + 1) * 64]
            sector, seen = self.mini_fat[sector], seen + 1
        return iter([bytes(out[:size])])


def _numbers(data: bytes) -> array.array:
    """Little-endian 32-bit sector numbers (4 bytes each, not a Python int each)."""
    out = array.array("I")
    out.frombytes(data[:len(data) // 4 * 4])
    if sys.byteorder == "big":
        out.byteswap()
    return out


def _cut(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    left = size
    for chunk in chunks:
        if left <= 0:
            return
        yield chunk[:left]
        left -= len(chunk)


def _xls_records(chunks: Iterator[bytes]) -> Iterator[tuple[int, bytes]]:
    """(type, data) of every BIFF record of a workbook stream (records are at most 8,224 bytes)."""
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
        pos = 0
        while pos + 4 <= len(buf):
            typ, size = struct.unpack_from("<HH", buf, pos)
            if pos + 4 + size > len(buf):
                break
            yield typ, bytes(buf[pos + 4:pos + 4 + size])
            pos += 4 + size
        del buf[:pos]


def _check_xls(path: Path) -> None:
    """Refuse an .xls whose sheets' cells with a value reach beyond the limits."""
    with path.open("rb") as fh:
        try:
            cfb = _Cfb(fh, path.stat().st_size)
            stream = cfb.stream("Workbook") or cfb.stream("Book")
        except (ValueError, struct.error, OSError) as exc:
            raise _corrupt(path, f"OLE: {exc}") from exc
        if stream is None:
            raise _corrupt(path, "OLE: no Workbook stream")
        names: dict[int, str] = {}
        offset, sheet, rows, cols = 0, path.name, 0, 0
        for typ, data in _xls_records(stream):
            if typ == _XLS_BOUNDSHEET and len(data) >= 8:
                at = struct.unpack_from("<I", data)[0]
                count, wide = data[6], data[7] & 1
                raw = data[8:8 + count * (2 if wide else 1)]
                names[at] = raw.decode("utf-16-le" if wide else "cp1252", "replace")
            elif typ == _XLS_BOF:
                sheet, rows, cols = names.get(offset, path.name), 0, 0
            elif typ in _XLS_CELLS and len(data) >= 4:
                row, col = struct.unpack_from("<HH", data)
                if typ == 0x00BD and len(data) >= 6:  # MULRK: first column … last column at the end
                    col = struct.unpack_from("<H", data, len(data) - 2)[0]
                rows, cols = max(rows, row + 1), max(cols, col + 1)
            elif typ == _XLS_EOF:
                _check_extent(path, sheet, rows, cols)
            offset += 4 + len(data)
        _check_extent(path, sheet, rows, cols)


def _unique_names(infos: list[zipfile.ZipInfo], path: Path) -> dict[str, str]:
    """Lower-case name → name of every member; two members whose names differ only in case are refused.

    The reader finds parts by name in any case, so such a pair would let it read another part than
    the one checked here.
    """
    lower: dict[str, str] = {}
    for info in infos:
        key = info.filename.lower()
        if key in lower:
            raise _corrupt(path, f"two parts named {lower[key]} and {info.filename}")
        lower[key] = info.filename
    return lower


def _sheet_members(zf: zipfile.ZipFile, lower: dict[str, str], path: Path, kind: str) -> dict[str, str]:
    """Member → sheet name (or the member's name) of every part the reader may read as a sheet.

    That is every target of the workbook's relationships (``kind`` ``xlsx``: xl/workbook.xml's,
    ``xlsb``: xl/workbook.bin's), resolved the way the reader does (``/xl/…`` and ``xl/…`` as they are,
    anything else under ``xl/``) and as the OPC standard does (relative to ``xl/``, ``..`` followed),
    both matched in any case; and every ``.xml`` (``.bin``) part in a ``worksheets``/``chartsheets``/
    ``dialogsheets``/``macrosheets`` folder.
    """
    from defusedxml.ElementTree import fromstring

    rels_name = f"xl/_rels/workbook.{'xml' if kind == 'xlsx' else 'bin'}.rels"
    try:
        sheet_of = {part.lower(): name for name, (part, _) in sheet_parts(zf).items()} if (
            kind == "xlsx") else {}
        rels = fromstring(zf.read(lower[rels_name])) if rels_name in lower else None
        names = _xlsb_sheet_names(zf, lower) if kind == "xlsb" else {}
    except Exception as exc:  # defusedxml refuses entities; a broken workbook part is corrupt
        raise _corrupt(path, f"workbook: {exc}") from exc
    relations = [] if rels is None else [
        el for el in rels.iter() if str(el.tag).rpartition("}")[2] == "Relationship"]
    wanted = set()
    for el in relations:
        target = el.get("Target", "")
        reader = (target[1:] if target.startswith("/xl/") else target if target.startswith("xl/")
                  else f"xl/{target}")
        opc = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
        wanted |= {reader.lower(), opc.lower()}
        if el.get("Id") in names:
            sheet_of[opc.lower()] = names[el.get("Id")]
    out = {}
    ext = ".xml" if kind == "xlsx" else ".bin"
    for key, name in lower.items():
        folder = posixpath.basename(posixpath.dirname(key))
        if key in wanted or (key.endswith(ext) and folder in (
                "worksheets", "chartsheets", "dialogsheets", "macrosheets")):
            out[name] = sheet_of.get(key, name)
    return out


def _check_sheet_part(path: Path, raw: BinaryIO, info: zipfile.ZipInfo, sheet: str) -> None:
    """Refuse a sheet part whose cells with a value reach beyond the limits (reads the part whole).

    The ``<dimension>`` a sheet declares is not counted: no reader used builds cells from it
    (python-calamine reserves at most 100,000 cells from it, openpyxl's are reset), so a wrong one
    costs nothing and a real workbook with a stale one is still read.
    """
    if _mentions(_member_chunks(raw, info), b"mergeCell"):
        _check_merges(path, sheet, _member_chunks(raw, info), info.filename)
    extent = fast_extent(_member_chunks(raw, info), False, _over)
    if extent is False:
        extent = fast_extent(_member_chunks(raw, info), True, _over)
    if not extent:
        extent = _exact_extent(_member_chunks(raw, info), path, info.filename)
    _check_extent(path, sheet, *extent)


def _mentions(chunks: Iterator[bytes], word: bytes) -> bool:
    """Whether ``word`` occurs in the streamed part (across chunk boundaries too)."""
    tail = b""
    for chunk in chunks:
        if word in tail + chunk[:len(word)] or word in chunk:
            for _ in chunks:  # the zip checks of the whole part still run
                pass
            return True
        tail = chunk[-len(word):]
    return False


def _check_merges(path: Path, sheet: str, chunks: Iterator[bytes], part: str) -> None:
    """Refuse merged ranges reaching beyond the limits, or covering more than :data:`MAX_CELLS` in all."""
    walk = MergeWalk()
    _walk_xml(walk.start, walk.end, chunks, path, part, lambda: walk.cells > MAX_CELLS or _over(walk.rows, 1))
    _check_extent(path, sheet, walk.rows, walk.cols)
    if walk.cells > MAX_CELLS:
        where = f"{path.name}: {sheet}" if sheet and sheet != path.name else path.name
        raise InputError([Problem(
            "merged_too_large",
            f"เซลล์ที่ผสานรวมกันในชีตครอบคลุมเกิน {MAX_CELLS:,} เซลล์: ยกเลิกการผสานเซลล์ที่ไม่ใช้",
            f"the sheet's merged cells cover more than {MAX_CELLS:,} cells: unmerge the unused ones",
            sheet=where)])


def _check_extent(path: Path, sheet: str, max_row: int, max_col: int) -> None:
    """Refuse a sheet whose cells with a value reach beyond :data:`MAX_ROWS` or :data:`MAX_CELLS`; the
    message names the file and the sheet (``import`` and ``audit-batch`` read many files)."""
    sheet = f"{path.name}: {sheet}" if sheet and sheet != path.name else path.name
    if max_row > MAX_ROWS:
        raise InputError([Problem(
            "too_many_rows",
            f"ชีตใช้แถวเกินขีดจำกัด {MAX_ROWS:,} แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน หรือลบแถวที่ไม่ใช้ออก",
            f"the sheet uses more than the limit of {MAX_ROWS:,} rows: split the file by fiscal year or by "
            "agency, or delete the unused rows", sheet=sheet)])
    if max_row * max_col > MAX_CELLS:
        corner = f"{column_letter(max_col)}{max_row}"
        raise InputError([Problem(
            "sheet_too_large",
            f"ชีตใช้พื้นที่ถึงเซลล์ {corner} ({max_row * max_col:,} เซลล์ เกินขีดจำกัด {MAX_CELLS:,}): "
            "ลบแถวและคอลัมน์ที่ไม่ใช้ออก",
            f"the sheet is used up to cell {corner} ({max_row * max_col:,} cells, over the limit of "
            f"{MAX_CELLS:,}): delete the unused rows and columns", sheet=sheet)])
    if max_col > EXCEL_COLUMNS:
        raise InputError([Problem(
            "beyond_excel_grid",
            f"ชีตมีเซลล์ที่คอลัมน์ {column_letter(max_col)} เลยคอลัมน์สุดท้ายของ Excel (XFD = {EXCEL_COLUMNS:,} คอลัมน์): "
            "ไฟล์ไม่ได้เขียนโดย Excel หรือเสียหาย เปิดใน Excel แล้วบันทึกใหม่",
            f"the sheet has a cell in column {column_letter(max_col)}, beyond Excel's last column (XFD = "
            f"{EXCEL_COLUMNS:,} columns): the file was not written by Excel or is damaged; open it in Excel and "
            "save it again", sheet=sheet)])


def _bomb(path: Path, total: int, lying: str | None = None, ratio: float = 0.0) -> InputError:
    if lying is not None:
        return _fail("zip_bomb", f"ไฟล์ขยายตัวเกินขนาดที่ระบุไว้ในไฟล์ ({lying} ระบุ {total:,} ไบต์) "
                     "ปฏิเสธเพื่อความปลอดภัย", f"the file expands beyond the sizes it declares ({lying} "
                     f"declares {total:,} bytes); refused for safety", path)
    return _fail("zip_bomb", f"ไฟล์ขยายตัวผิดปกติ ({total:,} ไบต์เมื่อแตกไฟล์ = {ratio:,.0f} เท่าของขนาดไฟล์; "
                 f"ขีดจำกัด {MAX_UNZIPPED_BYTES:,} ไบต์และ {MAX_RATIO} เท่า) ปฏิเสธเพื่อความปลอดภัย",
                 f"the file expands abnormally ({total:,} bytes unpacked = {ratio:,.0f} times its size; "
                 f"limits {MAX_UNZIPPED_BYTES:,} bytes and {MAX_RATIO} times); refused for safety", path)


def _refuse_other_zip(zf: zipfile.ZipFile, names: set[str], path: Path) -> None:
    if "xl/workbook.bin" in names:
        raise _fail("xlsb", "ไฟล์เป็น Excel แบบไบนารี (.xlsb): เปิดใน Excel แล้วบันทึกเป็น .xlsx",
                    "the file is an Excel binary workbook (.xlsb): open it in Excel and save it as .xlsx",
                    path)
    if _is_ods(zf, names):
        raise _fail("ods", "ไฟล์เป็น OpenDocument (.ods): บันทึกเป็น .xlsx ก่อน",
                    "the file is an OpenDocument spreadsheet (.ods): save it as .xlsx first", path)
    if "word/document.xml" in names:
        raise _fail("not_xlsx", "ไฟล์เป็นเอกสาร Word ไม่ใช่ Excel (.xlsx)",
                    "the file is a Word document, not an Excel .xlsx workbook", path)
    raise _fail("not_xlsx", "ไม่ใช่ไฟล์ Excel (.xlsx): ไม่มี xl/workbook.xml",
                "not an Excel .xlsx file: no xl/workbook.xml", path)


def _external_targets(zf: zipfile.ZipFile, names: set[str]) -> list[str]:
    targets = []
    for name in sorted(names):
        if re.fullmatch(r"xl/externalLinks/_rels/externalLink\d+\.xml\.rels", name):
            targets += re.findall(r'Target="([^"]*)"', zf.read(name).decode("utf-8", "replace"))
    return [posixpath.basename(t.replace("\\", "/").replace("%20", " ")) or t for t in targets]


def _warnings(zf: zipfile.ZipFile, names: set[str], path: Path) -> list[Problem]:
    out = []
    if any(n.endswith("vbaProject.bin") or n.startswith("xl/macrosheets/") for n in names):
        out.append(_warn("macros", "ไฟล์มีแมโคร (VBA): cplkpi ไม่เรียกใช้แมโคร อ่านเฉพาะค่าที่บันทึกในเซลล์",
                          "the file contains macros (VBA): cplkpi never runs them and reads stored cell "
                          "values only", path))
    if any(n.startswith("xl/externalLinks/") for n in names):
        targets = _external_targets(zf, names)
        shown = ", ".join(targets[:3]) + (f" และอีก {len(targets) - 3}" if len(targets) > 3 else "")
        out.append(_warn("external_links",
                         f"ไฟล์เชื่อมโยงข้อมูลจากไฟล์อื่น ({shown}): ใช้ค่าที่บันทึกไว้ล่าสุด ไม่ได้เปิดไฟล์ที่เชื่อมโยง "
                         "ค่าอาจไม่เป็นปัจจุบัน",
                         f"the workbook links to other files ({shown}): the values last stored are used and "
                         "the linked files are not opened, so they may be out of date", path))
    if "xl/connections.xml" in names:
        out.append(_warn("data_connections", "ไฟล์มีการเชื่อมต่อข้อมูลภายนอก (Power Query/ODBC): ไม่ได้รีเฟรช "
                         "ใช้ค่าที่บันทึกไว้ล่าสุด", "the workbook has external data connections "
                         "(Power Query/ODBC): they are not refreshed; the values last stored are used", path))
    if any(n.startswith(("xl/embeddings/", "xl/activeX/")) for n in names):
        out.append(_warn("embedded_objects", "ไฟล์มีวัตถุฝังหรือ ActiveX: ไม่ได้เปิดหรือเรียกใช้",
                         "the workbook has embedded objects or ActiveX controls: they are not opened or run",
                         path))
    return out


def check_csv_file(path: str | Path) -> bytes:
    """Refuse a CSV file that is missing, empty, too large, binary or has too many rows; return its bytes."""
    path = Path(path)
    _common_checks(path)
    from cplkpi.textfile import SNIFF_BYTES, refuse_utf32, sniff_encoding

    raw = path.read_bytes()
    refuse_utf32(raw[:4], path)
    enc = sniff_encoding(raw[:SNIFF_BYTES])  # UTF-16 (with or without BOM) has NUL bytes, and is text
    head = raw[:65536]
    # a stray NUL inside a text field is not binary: a binary file has many (at least 1% of its first bytes)
    if raw.startswith((b"PK\x03\x04", _OLE)) or (enc.ascii_compatible and head.count(b"\x00") * 100 >= max(
            len(head), 1600)):
        raise _fail("csv_binary", "ไฟล์ไม่ใช่ข้อความ CSV (เป็นไฟล์ไบนารี เช่น Excel ที่ตั้งนามสกุลเป็น .csv)",
                    "the file is not CSV text (it is binary, such as an Excel file named .csv)", path)
    # UTF-16: count newline code units, not 0x0A bytes (Thai ช is U+0E0A)
    if enc.ascii_compatible:
        lines = raw.count(b"\n")
    else:
        lines = raw[enc.skip:].decode(enc.codec, "replace").count("\n")
    if lines > MAX_ROWS + 1:
        raise _fail("too_many_rows",
                    f"ไฟล์มีข้อมูลเกิน {MAX_ROWS:,} แถว ซึ่งเกินขีดจำกัด: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน",
                    f"the file has more than {MAX_ROWS:,} rows of data, over the limit: split the file by "
                    "fiscal year or by agency", path)
    return raw


#: Exception names of the readers' own kinds, matched by name so that no reader is imported here:
#: pyo3's ``PanicException`` (a Rust panic, a ``BaseException``), python-calamine's errors, defusedxml's.
_READER_ERRORS = ("PanicException", "CalamineError", "DefusedXmlException", "InvalidFileException")


def _reader_error(exc: BaseException) -> bool:
    """Whether ``exc`` is what a parser raises on a broken or hostile file (not KeyboardInterrupt, not
    SystemExit): the errors of malformed data, of sizes and indexes a file declares, and the readers' own."""
    kinds = {k.__name__ for k in type(exc).__mro__}
    return bool(kinds & set(_READER_ERRORS)) or isinstance(exc, (
        zipfile.BadZipFile, zlib.error, EOFError, LookupError, ValueError, TypeError, AttributeError,
        ArithmeticError, MemoryError, NotImplementedError, SyntaxError, struct.error))


@contextlib.contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """Turn what a reader (openpyxl, python-calamine, zipfile, the XML parsers) raises on a file the guard
    let through into an :class:`InputError` naming the file: never a traceback. The one wrapper of every
    workbook load of every command.

    Wrap only the parser calls (opening a workbook, reading a sheet's rows), so that an error of our own
    code is not passed off as a corrupt file. XML refused
    by defusedxml (a DTD, entities) is said as unsafe XML.
    """
    path = Path(path)
    try:
        yield
    except InputError:
        raise
    except BaseException as exc:
        if not _reader_error(exc):
            raise
        cause: BaseException | None = exc
        while cause is not None and "DefusedXmlException" not in {k.__name__ for k in type(cause).__mro__}:
            cause = cause.__cause__ or cause.__context__
        if cause is not None or "entity" in str(exc).lower():
            raise InputError([Problem(
                "unsafe_xml", f"ไฟล์ {path.name} มี XML ที่ไม่ปลอดภัย (DTD/entity) ปฏิเสธเพื่อความปลอดภัย",
                f"{path.name} contains unsafe XML (DTD/entities); refused for safety", sheet=path.name)]) from exc
        text = str(exc).strip()
        detail = text.splitlines()[0][:200] if text else type(exc).__name__
        if isinstance(exc, MemoryError):
            detail = "ต้องใช้หน่วยความจำเกินกว่าที่มี (needs more memory than there is)"
        raise InputError([Problem(
            "unreadable", f"อ่านไฟล์ {path.name} ไม่ได้ ไฟล์อาจเสียหาย ({detail})",
            f"cannot read {path.name}, the file may be corrupt ({type(exc).__name__}: {detail})",
            sheet=path.name)]) from exc
