"""Checks on untrusted workbook files before anything parses them.

Submitted workbooks are untrusted (the committee's audit). Before a file is
opened it must exist, not be empty or absurdly large, be an OOXML zip (not an
encrypted or legacy OLE file, an HTML page or a CSV renamed to .xlsx, an .xlsb
or .ods), open as a zip, expand to no more than a cap (zip bombs, measured
while decompressing, not trusted from the headers), pass its CRC checks and
use no sheet beyond :data:`MAX_ROWS` rows or :data:`MAX_CELLS` cells (measured
by streaming the sheet XML, before a reader builds it in memory).

Macros, external links, data connections and embedded objects are never run,
followed or refreshed: cplkpi reads stored cell values only. Their presence
is reported as a warning, because the values a user sees in Excel may differ
from the stored ones.

:func:`check_workbook_file` raises :class:`InputError` for a refused file and
returns the warnings; :func:`ensure_not_input` (from :mod:`cplkpi.outputs`) refuses an
output path that is one of the inputs.
"""

from __future__ import annotations

import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from openpyxl.utils import column_index_from_string

from cplkpi.outputs import ensure_not_input
from cplkpi.scoring.errors import InputError, Problem, column_letter
from cplkpi.xlsx import sheet_parts

__all__ = [
    "MAX_FILE_BYTES",
    "MAX_UNZIPPED_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_CELLS",
    "check_workbook_file",
    "check_csv_file",
    "ensure_not_input",
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

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_CHUNK = 1 << 20
#: A cell with content (not self-closing) and its reference.
_CELL_REF = re.compile(rb'<(?:\w+:)?c\s[^>]*?\br="([A-Z]{1,3})(\d+)"[^>]*?(?<!/)>')


def _fail(code: str, th: str, en: str, path: Path) -> InputError:
    return InputError([Problem(code, th, en, sheet=path.name)])


def _warn(code: str, th: str, en: str, path: Path) -> Problem:
    return Problem(code, th, en, sheet=path.name, severity="warning")


def _common_checks(path: Path) -> int:
    if not path.is_file():
        raise _fail("file_missing", f"ไม่พบไฟล์ {path}", f"file not found: {path}", path)
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


def _sheet_extent(chunks: Iterator[bytes]) -> tuple[int, int]:
    """(last row, last column) with a cell with content in a sheet part, streamed (nothing built in memory).

    A reader builds the dense area up to these; a tiny file with one cell at
    ``XFD1048576`` would otherwise take gigabytes. Stops once the row limit is passed.
    """
    max_row = max_col = 0
    tail = b""
    for chunk in _with_end(chunks):
        data = tail + chunk
        if chunk:
            cut = data.rfind(b"<")
            data, tail = data[:cut], data[cut:]
        refs = _CELL_REF.findall(data)
        if refs:
            cols, rows = zip(*refs)
            max_row = max(max_row, max(map(int, rows)))
            max_col = max(max_col, max(column_index_from_string(c.decode()) for c in set(cols)))
        if max_row > MAX_ROWS:  # enough to refuse: no need to read the rest
            break
    return max_row, max_col


# Cell references whose column has two or more letters, or whose row is 300,000 or more. A sheet
# without any lies within A1:Z299999, inside both limits, so it needs no exact scan (found with a
# literal-prefix search, ~10× faster than matching every cell of a large sheet).
_WIDE_OR_DEEP = re.compile(rb'r="(?:[A-Z]{2,3}\d|[A-Z](?:[3-9]\d{5}|\d{7}))')
_FAST_BOUNDS_OK = 299_999 < MAX_ROWS + 1 and 299_999 * 26 <= MAX_CELLS


def _within_fast_bounds(chunks: Iterator[bytes]) -> bool:
    """True when the sheet part has no cell beyond Z299999 (every chunk is read, for the zip checks)."""
    inside, tail = _FAST_BOUNDS_OK, b""
    for chunk in chunks:
        if inside and _WIDE_OR_DEEP.search(tail + chunk):
            inside = False
        tail = chunk[-16:]
    return inside


def _with_end(chunks: Iterator[bytes]) -> Iterator[bytes]:
    yield from chunks
    yield b""


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


def check_workbook_file(path: str | Path) -> list[Problem]:
    """Refuse (raise :class:`InputError` naming the file) a workbook we cannot read safely.

    Returns warnings for what is kept but not used: macros (never run),
    external links (stored values used, never followed), data connections
    (never refreshed) and embedded objects (never opened).
    """
    path = Path(path)
    _common_checks(path)
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head.startswith(b"PK"):
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
        if "xl/workbook.xml" not in names:
            _refuse_other_zip(zf, names, path)
        total = sum(i.file_size for i in infos)
        packed = max(sum(i.compress_size for i in infos), 1)
        if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
            raise _bomb(path, total, ratio=total / packed)
        try:
            parts = sheet_parts(zf)
        except Exception as exc:  # defusedxml refuses entities; a broken workbook.xml is corrupt
            raise _corrupt(path, f"xl/workbook.xml: {exc}") from exc
        sheet_of = {part: name for name, (part, _) in parts.items()}
        with path.open("rb") as raw:
            for info in infos:
                try:
                    chunks = _member_chunks(raw, info)
                    if info.filename in sheet_of and not _within_fast_bounds(chunks):
                        _check_extent(sheet_of[info.filename], *_sheet_extent(_member_chunks(raw, info)))
                    else:
                        for _ in chunks:
                            pass
                except _Lying as exc:
                    raise _bomb(path, info.file_size, lying=info.filename) from exc
                except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
                    raise _corrupt(path, f"{info.filename}: {exc}") from exc
        return _warnings(zf, names, path)


def _check_extent(sheet: str, max_row: int, max_col: int) -> None:
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
    if "mimetype" in names and b"opendocument.spreadsheet" in zf.read("mimetype")[:100]:
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
    raw = path.read_bytes()
    utf16 = raw.startswith((b"\xff\xfe", b"\xfe\xff"))
    if raw.startswith((b"PK\x03\x04", _OLE)) or (not utf16 and b"\x00" in raw[:65536]):
        raise _fail("csv_binary", "ไฟล์ไม่ใช่ข้อความ CSV (เป็นไฟล์ไบนารี เช่น Excel ที่ตั้งนามสกุลเป็น .csv)",
                    "the file is not CSV text (it is binary, such as an Excel file named .csv)", path)
    # UTF-16: count newline code units, not 0x0A bytes (Thai ช is U+0E0A)
    lines = raw.decode("utf-16", "replace").count("\n") if utf16 else raw.count(b"\n")
    if lines > MAX_ROWS + 1:
        raise _fail("too_many_rows",
                    f"ไฟล์มีข้อมูลเกิน {MAX_ROWS:,} แถว ซึ่งเกินขีดจำกัด: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน",
                    f"the file has more than {MAX_ROWS:,} rows of data, over the limit: split the file by "
                    "fiscal year or by agency", path)
    return raw
