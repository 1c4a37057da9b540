"""Workbooks and checks more than one test area uses (importable from every test: tests/ is on sys.path).

- :func:`write_mis`: a synthetic MIS/1555 export with Thai headers and an export's title rows.
- :func:`many_agency_workbook`: a complaint workbook holding several agencies (and an unassigned row).
- :func:`poison` and :func:`assert_recalculates_to_cache`: every formula's cached value replaced, the file
  recalculated in LibreOffice, each formula cell compared with the value the engine cached.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook, load_workbook

from cplkpi.office import recalculate
from cplkpi.templates import layout
from cplkpi.xlsx import set_text

D = dt.date


HEADER = ["ลำดับ", "เลขที่เรื่องร้องทุกข์", "วันที่ร้องทุกข์", "ช่องทางการรับเรื่อง", "ประเภทเรื่องร้องทุกข์",
          "รายละเอียดเรื่องร้องทุกข์", "หน่วยงานผู้รับผิดชอบ", "ฝ่าย", "วันที่ส่งหน่วยงาน", "วันที่หน่วยงานตอบรับ",
          "วันที่ปิดเรื่อง", "สถานะเรื่องร้องทุกข์", "ผลการพิจารณา", "เขต", "แขวง", "สถานที่เกิดเหตุ"]
ROWS = [
    [1, "6302-0001", "1 ต.ค. 2562 08:15", "1555", "ไฟฟ้าส่องสว่าง", "ไฟดับในซอย", "เขตบางกอกน้อย", "ฝ่ายโยธา",
     dt.datetime(2019, 10, 1), "2/10/2562", "15/10/2562", "ยุติเรื่อง", "ซ่อมไฟแล้ว", "บางกอกน้อย", "ศิริราช",
     "ซอยสมมุติ 1"],
    [2, "6302-0002", dt.datetime(2019, 10, 3, 23, 40), "ระบบ MIS", "ขยะ", "=cmd|' /C calc'!A0",
     "สำนักงานเขตบางกอกน้อย", None, "3 ต.ค. 62", None, None, "อยู่ระหว่างดำเนินการ", None, "บางกอกน้อย", None, None],
    [3, None, "4 ต.ค. 2562", "1555", "ถนน", "ไม่มีเลขที่เรื่อง", "เขตบางกอกน้อย", None, "4 ต.ค. 2562", None, None,
     "รอการตอบรับ", None, None, None, None],
    [4, "6302-0004", "5 ต.ค. 2562", "LINE", "น้ำท่วม", "-น้ำท่วมขัง", "สำนักการระบายน้ำ", None, "32/13/2562", None,
     None, "รอตรวจสอบ", None, None, None, None],
]


def write_mis(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "รายงาน"
    ws.append(["รายงานเรื่องร้องทุกข์ ศูนย์รับแจ้งทุกข์ 1555"])
    ws.append([])
    ws.append(HEADER)
    for r in ROWS:
        ws.append([None if isinstance(v, str) else v for v in r])
        for col, v in enumerate(r, start=1):
            if isinstance(v, str):  # text cells, as an export writes them ("=cmd…" stays text)
                set_text(ws.cell(row=ws.max_row, column=col), v)
    wb.save(path)
    return path


def many_agency_workbook(path: Path) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = "เรื่องร้องเรียน"
    ws.append(["เลขที่เรื่อง", "หน่วยงาน", "เรื่อง", "วันที่ศูนย์แจ้งเรื่อง", "วันที่ตอบรับ", "วันที่แล้วเสร็จ",
               "ผลการดำเนินการ", "หลักฐาน"])
    for row in (
        ["S1", "เขตสาทร", "ไฟดับ", D(2023, 5, 2), D(2023, 5, 2), D(2023, 5, 10), "ซ่อมแล้ว แจ้งผู้ร้องแล้ว", "มี"],
        ["S2", "สำนักงานเขต สาทร", "ถนนชำรุด", D(2023, 5, 3), D(2023, 5, 8), None, None, None],
        ["S3", " สำนักงานเขตสาทร ", "น้ำท่วม", D(2023, 5, 31), None, None, None, None],
        ["B1", "สำนักงานเขตบางรัก", "ขยะ", D(2023, 5, 4), D(2023, 5, 4), D(2023, 5, 5), "เก็บแล้ว", "มี"],
        ["B2", "สำนักงานเขตบางรัก", "ทางเท้า", D(2023, 4, 20), None, None, None, None],
        ["Y1", "สำนักการโยธา", "สะพาน", D(2023, 5, 15), D(2023, 5, 15), None, None, None],
        ["N1", None, "อื่น ๆ", D(2023, 5, 16), None, None, None, None],
    ):
        ws.append(row)
    progress = wb.create_sheet("รายงานความก้าวหน้า")
    progress.append(["เลขที่เรื่อง", "วันที่รายงาน", "ความก้าวหน้า"])
    progress.append(["S2", D(2023, 5, 15), "กำลังซ่อม"])
    progress.append(["B2", D(2023, 5, 15), "รอวัสดุ"])
    monthly = wb.create_sheet("รายงานประจำเดือน")
    monthly.append(["หน่วยงาน", "เดือน", "วันที่ส่งรายงาน"])
    monthly.append(["เขตสาทร", D(2023, 4, 1), D(2023, 5, 8)])             # on time (due 10 May)
    monthly.append(["สำนักงานเขตบางรัก", D(2023, 4, 1), D(2023, 5, 20)])  # late; the same month is no duplicate
    wb.save(path)
    return path


POISON = b"999999"
_FORMULA_VALUE = re.compile(rb'(<c r="[A-Z]+\d+"[^>]*?)(?: t="\w+")?(><f>.*?</f>)<v>[^<]*</v>', re.DOTALL)


def poison(src: Path, dst: Path) -> int:
    """Copy ``src`` with every formula's cached value replaced by 999999; returns how many."""
    zin = zipfile.ZipFile(io.BytesIO(src.read_bytes()))
    out, count = io.BytesIO(), 0
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for info in zin.infolist():
            content = zin.read(info.filename)
            if info.filename.startswith("xl/worksheets/"):
                content, n = _FORMULA_VALUE.subn(rb"\1\2<v>" + POISON + b"</v>", content)
                count += n
            z.writestr(info, content)
    dst.write_bytes(out.getvalue())
    return count


def _same(a, b) -> bool:
    a, b = (None if x == "" else x for x in (a, b))
    if isinstance(a, int | float) and isinstance(b, int | float) and not isinstance(a, bool):
        return abs(a - b) < 1e-9
    return a == b


def assert_recalculates_to_cache(path: Path, tmp_path: Path) -> None:
    poisoned, recalculated = tmp_path / "poisoned.xlsx", tmp_path / "recalculated.xlsx"
    formulas = load_workbook(path)
    n_formulas = sum(c.data_type == "f" for ws in formulas.worksheets for row in ws.iter_rows() for c in row)
    assert poison(path, poisoned) == n_formulas > 0
    poisoned_values = load_workbook(poisoned, data_only=True)
    first = formulas.worksheets[0]
    assert poisoned_values[first.title]["E9" if first.title == layout.R003_SHEET else "C6"].value == 999999
    recalculate(poisoned, recalculated)
    engine = load_workbook(path, data_only=True)      # the cached values: the engine's figures
    lo = load_workbook(recalculated, data_only=True)
    wrong = [(ws.title, c.coordinate, c.value, engine[ws.title][c.coordinate].value, lo[ws.title][c.coordinate].value)
             for ws in formulas.worksheets for row in ws.iter_rows() for c in row
             if c.data_type == "f" and not _same(engine[ws.title][c.coordinate].value,
                                                 lo[ws.title][c.coordinate].value)]
    assert wrong == []
    assert all(lo[ws.title][c.coordinate].value != 999999 for ws in formulas.worksheets
               for row in ws.iter_rows() for c in row if c.data_type == "f")
