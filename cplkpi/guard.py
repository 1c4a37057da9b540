"""Checks on untrusted workbook files before anything parses them.

Submitted workbooks are untrusted (issue: the committee's audit). Before a
file is opened: it must exist, be an OOXML zip (not an encrypted/legacy OLE
file), not be absurdly large, and its zip must not expand to more than a cap
(zip bombs). Macros and external links are never executed: cplkpi only reads
cell values and never evaluates anything.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from cplkpi.scoring.errors import InputError, Problem

__all__ = ["MAX_FILE_BYTES", "MAX_UNZIPPED_BYTES", "MAX_RATIO", "check_workbook_file"]

MAX_FILE_BYTES = 200 * 1024**2
MAX_UNZIPPED_BYTES = 1024**3
MAX_RATIO = 200

_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _fail(code: str, th: str, en: str, path: Path) -> InputError:
    return InputError([Problem(code, th, en, sheet=path.name)])


def check_workbook_file(path: str | Path) -> None:
    """Raise :class:`InputError` (naming the file) when ``path`` is not a workbook we can read safely."""
    path = Path(path)
    if not path.is_file():
        raise _fail("file_missing", f"ไม่พบไฟล์ {path}", f"file not found: {path}", path)
    size = path.stat().st_size
    if size > MAX_FILE_BYTES:
        raise _fail("file_too_large", f"ไฟล์ใหญ่เกินไป ({size:,} ไบต์ เกิน {MAX_FILE_BYTES:,})",
                    f"file too large ({size:,} bytes, limit {MAX_FILE_BYTES:,})", path)
    with path.open("rb") as fh:
        head = fh.read(8)
    if head == _OLE:
        raise _fail("encrypted_or_xls", "ไฟล์ถูกเข้ารหัสด้วยรหัสผ่าน หรือเป็นไฟล์ .xls รุ่นเก่า: "
                    "ให้บันทึกเป็น .xlsx โดยไม่ใส่รหัสผ่าน",
                    "the file is password-protected or a legacy .xls: save it as .xlsx without a password", path)
    if not zipfile.is_zipfile(path):
        raise _fail("not_xlsx", "ไม่ใช่ไฟล์ Excel (.xlsx) หรือไฟล์เสียหาย",
                    "not an Excel .xlsx file, or the file is corrupt", path)
    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except zipfile.BadZipFile as exc:
        raise _fail("not_xlsx", "ไฟล์ Excel เสียหาย", f"corrupt Excel file ({exc})", path) from exc
    total = sum(i.file_size for i in infos)
    packed = max(sum(i.compress_size for i in infos), 1)
    if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
        raise _fail("zip_bomb", f"ไฟล์ขยายตัวผิดปกติ ({total:,} ไบต์เมื่อแตกไฟล์) ปฏิเสธเพื่อความปลอดภัย",
                    f"the file expands abnormally ({total:,} bytes unpacked); refused for safety", path)
    if "xl/workbook.xml" not in {i.filename for i in infos}:
        raise _fail("not_xlsx", "ไม่ใช่ไฟล์ Excel (.xlsx): ไม่มี xl/workbook.xml",
                    "not an Excel .xlsx file: no xl/workbook.xml", path)
