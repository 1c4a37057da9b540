"""The guard's limits (file size, unpacked size, rows, cells) and its refusals, each naming the file."""

from __future__ import annotations

import stat
from pathlib import Path

from cplkpi.scoring.errors import InputError, Problem, column_letter

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

OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
CHUNK = 1 << 20


def fail(code: str, th: str, en: str, path: Path) -> InputError:
    return InputError([Problem(code, th, en, sheet=path.name)])


def warn(code: str, th: str, en: str, path: Path) -> Problem:
    return Problem(code, th, en, sheet=path.name, severity="warning")


def check_regular_file(path: str | Path) -> Path:
    """Refuse an input that is missing, a folder, or not a regular file (a FIFO, device or socket:
    reading one may wait for ever); every command's input files pass here before being opened."""
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError:
        raise fail("file_missing", f"ไม่พบไฟล์ {path}", f"file not found: {path}", path) from None
    if stat.S_ISDIR(mode):
        raise fail("not_a_file", f"{path} เป็นโฟลเดอร์ ไม่ใช่ไฟล์: ระบุไฟล์ในโฟลเดอร์นั้น",
                    f"{path} is a folder, not a file: give a file in it", path)
    if not stat.S_ISREG(mode):
        raise fail("not_a_file", f"{path} ไม่ใช่ไฟล์ปกติ (เป็น pipe/FIFO อุปกรณ์ หรือ socket): บันทึกข้อมูลเป็นไฟล์ก่อน",
                    f"{path} is not a regular file (a pipe/FIFO, device or socket): save the data to a file "
                    "first", path)
    return path


def common_checks(path: Path) -> int:
    check_regular_file(path)
    size = path.stat().st_size
    if size == 0:
        raise fail("file_empty", "ไฟล์ว่างเปล่า (0 ไบต์)", "the file is empty (0 bytes)", path)
    if size > MAX_FILE_BYTES:
        raise fail("file_too_large", f"ไฟล์ใหญ่เกินไป ({size:,} ไบต์ เกิน {MAX_FILE_BYTES:,})",
                    f"file too large ({size:,} bytes, limit {MAX_FILE_BYTES:,})", path)
    return size


def corrupt_error(path: Path, detail: str) -> InputError:
    return fail("corrupt_xlsx", "ไฟล์ Excel เสียหาย อ่านไม่ได้: ขอไฟล์ต้นฉบับใหม่ หรือเปิดใน Excel "
                 "แล้วบันทึกใหม่", f"the Excel file is corrupt and cannot be read ({detail}): get the "
                 "original again, or open it in Excel and save it again", path)


def over_limits(rows: int, cols: int) -> bool:
    return rows > MAX_ROWS or rows * cols > MAX_CELLS


def check_extent(path: Path, sheet: str, max_row: int, max_col: int) -> None:
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


def bomb(path: Path, total: int, lying: str | None = None, ratio: float = 0.0) -> InputError:
    if lying is not None:
        return fail("zip_bomb", f"ไฟล์ขยายตัวเกินขนาดที่ระบุไว้ในไฟล์ ({lying} ระบุ {total:,} ไบต์) "
                     "ปฏิเสธเพื่อความปลอดภัย", f"the file expands beyond the sizes it declares ({lying} "
                     f"declares {total:,} bytes); refused for safety", path)
    return fail("zip_bomb", f"ไฟล์ขยายตัวผิดปกติ ({total:,} ไบต์เมื่อแตกไฟล์ = {ratio:,.0f} เท่าของขนาดไฟล์; "
                 f"ขีดจำกัด {MAX_UNZIPPED_BYTES:,} ไบต์และ {MAX_RATIO} เท่า) ปฏิเสธเพื่อความปลอดภัย",
                 f"the file expands abnormally ({total:,} bytes unpacked = {ratio:,.0f} times its size; "
                 f"limits {MAX_UNZIPPED_BYTES:,} bytes and {MAX_RATIO} times); refused for safety", path)
