"""The script that builds the report templates CPL_R001 and CPL_R003 from their layout.

Run ``python -m cplkpi.templates.build`` to rebuild ``CPL_R001.xlsx`` and
``CPL_R003.xlsx`` beside this file, byte for byte: a change to a template is
a change to the code, reviewed as code. What other code reads (cells, defined
names, formulas) is the contract in :mod:`.layout`; this module draws it, with
the styles of :mod:`.styles`.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment
from openpyxl.utils import column_index_from_string
from openpyxl.worksheet.pagebreak import Break
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.scoring.deadlines import STATUS_LABELS
from cplkpi.scoring.thaidate import THAI_MONTHS_SHORT
from cplkpi.xlsx import THAI_DATE_FORMAT, save_workbook_atomic

from .layout import (
    CHART_ANCHOR,
    COMPONENT_ROWS,
    COMPONENTS_HEADER_ROW,
    COUNT_FORMAT,
    COVERAGE_LABEL_CELLS,
    MONTH_ROWS,
    MONTHS_HEADER_ROW,
    MONTHS_TOTAL_ROW,
    PCT_FORMAT,
    R001_COLS,
    R001_FILE,
    R001_FIRST_ROW,
    R001_HEADER_ROW,
    R001_LAST_COL,
    R001_NAMES,
    R001_SHEET,
    R003_COMPONENT_COLS,
    R003_FILE,
    R003_MONTH_COLS,
    R003_NAMES,
    R003_SHEET,
    R003_STEP_COLS,
    SCORE_FORMAT,
    STEP_ROWS,
    STEPS_HEADER_ROW,
    STEPS_TOTAL_ROW,
    TEMPLATE_DIR,
    THAI_MONTH_FORMAT,
    component_formulas,
    month_formulas,
    r001_summary_formulas,
    set_name,
    step_formulas,
    steps_total_formulas,
    summary_formulas,
    total_formulas,
)
from .styles import TOTAL_FILL, data_cells, font, header_row, label, page_setup, value_cell

__all__ = ["R001_FORMATS", "add_r003_charts", "build_all", "build_r001", "build_r003", "main"]


#: A labelled value of a report's heading: label cell, its text and merge end; the defined name of the
#: value cell, its number format and merge end.
_Field = tuple[str, str, str | None, str, str | None, str | None]


def _heading_fields(ws: Worksheet, names: Mapping[str, str], fields: Sequence[_Field]) -> None:
    """Draw the labelled values of a report's heading, each label followed by its value cell."""
    for ref, text, merge, name, number_format, value_merge in fields:
        label(ws, ref, text, merge=merge)
        value_cell(ws, names[name], number_format, merge=value_merge)


def _report_sheet(wb: Workbook, title: str, widths: Mapping[str, float], heading: str, last_col: str) -> Worksheet:
    """The new workbook's sheet as a report: its name, column widths and the centred heading in row 1."""
    ws = wb.active
    if not isinstance(ws, Worksheet):  # a new Workbook always starts with one worksheet
        raise TypeError("a new workbook has no worksheet")
    ws.title = title
    for col, width in widths.items():
        ws.column_dimensions[col].width = width
    label(ws, "A1", heading, size=14, merge=f"{last_col}1")
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    return ws


# --- CPL_R003 ------------------------------------------------------------------------

R003_TITLE = "รายงานผลการปฏิบัติงานในระบบเรื่องราวร้องทุกข์"
R001_TITLE = "รายงานเรื่องคงค้างหน่วยงานดำเนินการ"

_MONTH_HEADERS = {
    "no": "ลำดับ", "label": "เดือน", "start": "ตั้งแต่วันที่", "end": "ถึงวันที่", "received": "รับเรื่อง",
    "completed": "ดำเนินการเสร็จสิ้น", "in_progress": "กำลังดำเนินการ", "completed_pct": "ร้อยละเสร็จสิ้น",
    "report_due": "กำหนดส่งรายงานสรุป", "report_sent_on": "วันที่ส่งรายงานสรุป", "report_status": "ผลการส่งรายงาน",
    "late_deduction": "หักคะแนนรายงานสรุป", "completed_in_month": "เสร็จสิ้นในเดือน (ฐานสุ่มตรวจ)",
    "audit_sample": "จำนวนสุ่มตรวจ", "audit_accuracy_pct": "ร้อยละถูกต้องจากการสุ่มตรวจ",
    "audit_deduction": "หักคะแนนสุ่มตรวจ",
}
_MONTH_FORMATS = {
    "no": "0", "label": None, "start": THAI_DATE_FORMAT, "end": THAI_DATE_FORMAT, "received": COUNT_FORMAT,
    "completed": COUNT_FORMAT, "in_progress": COUNT_FORMAT, "completed_pct": PCT_FORMAT,
    "report_due": THAI_DATE_FORMAT, "report_sent_on": THAI_DATE_FORMAT, "report_status": None,
    "late_deduction": "0.00", "completed_in_month": COUNT_FORMAT, "audit_sample": COUNT_FORMAT,
    "audit_accuracy_pct": PCT_FORMAT, "audit_deduction": "0.00",
}
_COMPONENT_HEADERS = {
    "step": "ขั้นตอน", "label": "องค์ประกอบตามเกณฑ์", "points": "คะแนนเต็ม", "correct": "จำนวนที่ถูกต้อง",
    "total": "จำนวนทั้งหมด", "pct": "ร้อยละ", "score": "คะแนนก่อนหัก", "short": "ชื่อย่อ",
    "not_yet_due": "ยังไม่ถึงกำหนด", "no_data": "ไม่มีข้อมูล",
}
_COMPONENT_FORMATS = {
    "step": "0", "label": None, "points": "0.####", "correct": COUNT_FORMAT, "total": COUNT_FORMAT,
    "pct": PCT_FORMAT, "score": SCORE_FORMAT, "short": None, "not_yet_due": COUNT_FORMAT, "no_data": COUNT_FORMAT,
}
_STEP_HEADERS = {
    "step": "ขั้นตอน", "label": "รายการ", "points": "คะแนนเต็ม", "score_before": "คะแนนก่อนหัก",
    "deductions": "หักคะแนน", "score": "คะแนนที่ได้",
}
_STEP_FORMATS = {
    "step": "0", "label": None, "points": "0.####", "score_before": SCORE_FORMAT, "deductions": SCORE_FORMAT,
    "score": SCORE_FORMAT,
}
_R003_WIDTHS = {"A": 7, "B": 11, "C": 12, "D": 12, "E": 9, "F": 11, "G": 11, "H": 10, "I": 12, "J": 12, "K": 14,
                "L": 16, "M": 11, "N": 9, "O": 12, "P": 10}
#: The fiscal year's months, October first: ต.ค. … ก.ย.
_FISCAL_MONTHS_SHORT = THAI_MONTHS_SHORT[9:] + THAI_MONTHS_SHORT[:9]


def add_r003_charts(ws: Worksheet) -> None:
    """Put the two native charts of CPL_R003 on ``ws``, replacing any it holds: a sheet openpyxl loaded
    from the template already has them (drawn twice, one over the other, a report would carry four), a
    copied sheet has none."""
    ws._charts = []  # type: ignore[attr-defined]  # openpyxl keeps a sheet's charts there; no public way to drop them
    c = R003_MONTH_COLS
    first, last = MONTH_ROWS[0], MONTH_ROWS[-1]
    col = {k: column_index_from_string(v) for k, v in c.items()}
    months = BarChart()
    months.type = "col"
    months.title = "เรื่องที่รับและดำเนินการเสร็จสิ้นรายเดือน"
    months.y_axis.title = "จำนวนเรื่อง"
    months.add_data(Reference(ws, min_col=col["received"], max_col=col["completed"], min_row=MONTHS_HEADER_ROW,
                              max_row=last), titles_from_data=True)
    months.set_categories(Reference(ws, min_col=col["label"], min_row=first, max_row=last))
    cc = {k: column_index_from_string(v) for k, v in R003_COMPONENT_COLS.items()}
    pct = BarChart()
    pct.type = "col"
    pct.title = "ร้อยละที่ถูกต้องตามเกณฑ์รายองค์ประกอบ"
    pct.y_axis.title = "ร้อยละ"
    pct.y_axis.scaling.min = 0
    pct.y_axis.scaling.max = 100
    pct.add_data(Reference(ws, min_col=cc["pct"], min_row=COMPONENTS_HEADER_ROW, max_row=COMPONENT_ROWS[-1]),
                 titles_from_data=True)
    pct.set_categories(Reference(ws, min_col=cc["short"], min_row=COMPONENT_ROWS[0], max_row=COMPONENT_ROWS[-1]))
    pct.legend = None
    for chart in (months, pct):
        chart.x_axis.delete = False
        chart.y_axis.delete = False
        # centimetres: openpyxl takes a float (its stubs type width as int)
        chart.height = 7.5
        chart.width = 15.5  # type: ignore[assignment]
    ws.add_chart(months, CHART_ANCHOR)
    ws.add_chart(pct, f"I{CHART_ANCHOR[1:]}")


def build_r003() -> Workbook:
    """The blank CPL_R003 template (formulas in place, no figures)."""
    wb = Workbook()
    ws = _report_sheet(wb, R003_SHEET, _R003_WIDTHS, f"แบบรายงานรหัส CPL_R003 {R003_TITLE}", "P")
    n = R003_NAMES
    _heading_fields(ws, n, [
        ("A2", "หน่วยงาน", "B2", "R003_AGENCY", None, "H2"),
        ("J2", "ปีงบประมาณ พ.ศ.", "K2", "R003_FISCAL_YEAR", "0", None),
        ("A3", "ข้อมูลตั้งแต่วันที่", "B3", "R003_PERIOD_START", THAI_DATE_FORMAT, "D3"),
        ("E3", "ถึงวันที่", None, "R003_PERIOD_END", THAI_DATE_FORMAT, "G3"),
        ("J3", "ประเมิน ณ วันที่", "K3", "R003_AS_OF", THAI_DATE_FORMAT, "M3"),
        ("A4", "เดือนที่รายงาน", "B4", "R003_MONTH", THAI_MONTH_FORMAT, "D4"),
        ("J4", "ชุดเกณฑ์", "K4", "R003_RULES", None, "P4"),
        # an imported snapshot: the days its data covers (empty for a workbook kept by the agency)
        (COVERAGE_LABEL_CELLS[0], "ข้อมูลครอบคลุมวันที่", "B5", "R003_DATA_FROM", THAI_DATE_FORMAT, "D5"),
        (COVERAGE_LABEL_CELLS[1], "ถึงวันที่", None, "R003_DATA_TO", THAI_DATE_FORMAT, "G5"),
    ])

    # 1. summary
    label(ws, "A6", "1. สรุปจำนวนเรื่องร้องทุกข์", size=11)
    header_row(ws, 7, {"A": "ช่วงเวลา", "E": "รับเรื่อง", "F": "ดำเนินการเสร็จสิ้น", "G": "กำลังดำเนินการ",
                        "H": "ร้อยละเสร็จสิ้น", "I": "ร้อยละกำลังดำเนินการ"}, height=32)
    ws.merge_cells("A7:D7")
    for row, text in ((8, "เดือนที่รายงาน"), (9, "สะสมตั้งแต่ต้นปีงบประมาณ")):
        data_cells(ws, row, {"A": None, "B": None, "C": None, "D": None, "E": COUNT_FORMAT, "F": COUNT_FORMAT,
                              "G": COUNT_FORMAT, "H": PCT_FORMAT, "I": PCT_FORMAT}, bold=row == 9)
        ws[f"A{row}"] = text
        ws.merge_cells(f"A{row}:D{row}")
    for ref, formula in summary_formulas(MONTH_ROWS[0]).items():
        ws[ref] = formula

    # 2. monthly table
    label(ws, f"A{MONTHS_HEADER_ROW - 1}", "2. ผลการดำเนินงานและการรายงานผลรายเดือน", size=11)
    header_row(ws, MONTHS_HEADER_ROW, {R003_MONTH_COLS[k]: v for k, v in _MONTH_HEADERS.items()})
    fmts = {R003_MONTH_COLS[k]: v for k, v in _MONTH_FORMATS.items()}
    for i, r in enumerate(MONTH_ROWS):
        data_cells(ws, r, fmts)
        ws[f"A{r}"] = i + 1
        ws[f"B{r}"] = _FISCAL_MONTHS_SHORT[i]
        for key, formula in month_formulas(r).items():
            ws[f"{R003_MONTH_COLS[key]}{r}"] = formula
    r = MONTHS_TOTAL_ROW
    data_cells(ws, r, fmts, fill=TOTAL_FILL, bold=True)
    ws[f"A{r}"] = "รวมตั้งแต่ต้นปีงบประมาณ"
    ws.merge_cells(f"A{r}:D{r}")
    for key, formula in total_formulas().items():
        ws[f"{R003_MONTH_COLS[key]}{r}"] = formula

    # 3. components
    label(ws, f"A{COMPONENTS_HEADER_ROW - 1}", "3. ผลการประเมินตามเกณฑ์รายองค์ประกอบ (ตั้งแต่ต้นปีงบประมาณ)", size=11)
    header_row(ws, COMPONENTS_HEADER_ROW, {R003_COMPONENT_COLS[k]: v for k, v in _COMPONENT_HEADERS.items()},
                height=30)
    ws.merge_cells(f"B{COMPONENTS_HEADER_ROW}:E{COMPONENTS_HEADER_ROW}")
    fmts = {R003_COMPONENT_COLS[k]: v for k, v in _COMPONENT_FORMATS.items()}
    for r in COMPONENT_ROWS:
        data_cells(ws, r, {**fmts, "C": None, "D": None, "E": None})
        ws.merge_cells(f"B{r}:E{r}")
        ws.row_dimensions[r].height = 30
        for key, formula in component_formulas(r, monthly=False).items():
            ws[f"{R003_COMPONENT_COLS[key]}{r}"] = formula

    # 4. steps
    label(ws, f"A{STEPS_HEADER_ROW - 1}", "4. สรุปคะแนนรายขั้นตอน", size=11)
    header_row(ws, STEPS_HEADER_ROW, {R003_STEP_COLS[k]: v for k, v in _STEP_HEADERS.items()}, height=30)
    ws.merge_cells(f"B{STEPS_HEADER_ROW}:E{STEPS_HEADER_ROW}")
    fmts = {R003_STEP_COLS[k]: v for k, v in _STEP_FORMATS.items()}
    for r in STEP_ROWS:
        data_cells(ws, r, {**fmts, "C": None, "D": None, "E": None})
        ws.merge_cells(f"B{r}:E{r}")
        for key, formula in step_formulas(r).items():
            ws[f"{R003_STEP_COLS[key]}{r}"] = formula
    r = STEPS_TOTAL_ROW
    data_cells(ws, r, {**fmts, "C": None, "D": None, "E": None}, fill=TOTAL_FILL, bold=True)
    ws[f"A{r}"] = "รวมคะแนน"
    ws.merge_cells(f"A{r}:E{r}")
    for ref, formula in steps_total_formulas().items():
        ws[ref] = formula
    # R003_NOTE: empty, or the sentence saying the period has no data at all (its full score is not earned)
    note = ws[R003_NAMES["R003_NOTE"]]
    note.font = font(10, True)
    note.alignment = Alignment(vertical="top", wrap_text=True)
    ws.merge_cells(f"{R003_NAMES['R003_NOTE']}:P{STEPS_TOTAL_ROW + 1}")
    ws.row_dimensions[STEPS_TOTAL_ROW + 1].height = 30

    # 5. parameters
    label(ws, "A47", "5. เกณฑ์ที่ใช้คำนวณ", size=11)
    params = [
        ("A48", "ร้อยละที่ได้คะแนนเต็มในขั้นตอน", "R003_THRESHOLD", None, None),
        ("A49", "หักคะแนนรายงานสรุปช้าหรือไม่ส่ง (ต่อเดือน)", "R003_LATE_PER_MONTH", "F49", "R003_LATE_FROM_STEP"),
        ("A50", "สุ่มตรวจร้อยละของเรื่องที่เสร็จสิ้นในเดือน", "R003_AUDIT_SAMPLE_PCT", "F50", "R003_AUDIT_MIN_ACCURACY"),
        ("A51", "หักคะแนนผลสุ่มตรวจต่ำกว่าเกณฑ์ (ต่อเดือน)", "R003_AUDIT_PER_MONTH", "F51", "R003_AUDIT_FROM_STEP"),
    ]
    second = {"R003_LATE_FROM_STEP": "หักจากขั้นตอนที่", "R003_AUDIT_MIN_ACCURACY": "ถูกต้องไม่น้อยกว่าร้อยละ",
              "R003_AUDIT_FROM_STEP": "หักจากขั้นตอนที่"}
    for ref, text, name, ref2, name2 in params:
        label(ws, ref, text, bold=False, merge=f"D{ref[1:]}")
        value_cell(ws, n[name], "0.####")
        if ref2 and name2:
            label(ws, ref2, second[name2], bold=False, merge=f"G{ref2[1:]}")
            value_cell(ws, n[name2], "0.####")

    # 6. charts and signature
    label(ws, f"A{int(CHART_ANCHOR[1:]) - 1}", "6. กราฟ", size=11)
    add_r003_charts(ws)
    label(ws, "A71", "ขอรับรองว่าข้อมูลในรายงานนี้จัดทำจากข้อมูลเรื่องร้องทุกข์ของหน่วยงาน เพื่อเป็นหลักฐานไว้ตรวจสอบ",
           bold=False)
    label(ws, "I73", "ลงชื่อ ........................................ ผู้รายงานข้อมูล", bold=False)
    label(ws, "I74", "ตำแหน่ง ........................................", bold=False)

    ws.row_breaks.append(Break(id=COMPONENTS_HEADER_ROW - 2))
    ws.row_breaks.append(Break(id=int(CHART_ANCHOR[1:]) - 2))
    ws.freeze_panes = None
    page_setup(ws, title_rows="1:4", area="A1:P75", code="CPL_R003", title=R003_TITLE)
    for name, ref in R003_NAMES.items():
        set_name(wb, name, R003_SHEET, ref)
    return wb


# --- CPL_R001 ------------------------------------------------------------------------

_R001_HEADERS = {
    "no": "ลำดับ", "complaint_id": "เลขที่เรื่อง", "received_on": "วันที่รับแจ้ง", "forwarded_on": "วันที่ศูนย์แจ้งเรื่อง",
    "reopened_on": "วันที่ส่งเรื่องใหม่", "subject": "เรื่อง", "unit": "ฝ่าย", "business_days_open": "จำนวนวันทำการ",
    "phase": "ขั้นที่รอ", "due": "กำหนดถัดไป", "status": "สถานะ", "last_report_on": "รายงานความก้าวหน้าล่าสุด",
    "source_status": "สถานะตามต้นทาง",
}
R001_FORMATS: dict[str, str | None] = {
    "no": "0", "complaint_id": "@", "received_on": THAI_DATE_FORMAT, "forwarded_on": THAI_DATE_FORMAT,
    "reopened_on": THAI_DATE_FORMAT, "subject": None, "unit": None, "business_days_open": COUNT_FORMAT,
    "phase": None, "due": THAI_DATE_FORMAT, "status": None, "last_report_on": THAI_DATE_FORMAT,
    "source_status": None,
}
_R001_WIDTHS = {"A": 7, "B": 13, "C": 12, "D": 12, "E": 12, "F": 32, "G": 26, "H": 10, "I": 16, "J": 12, "K": 13,
                "L": 13, "M": 16}


def build_r001() -> Workbook:
    """The blank CPL_R001 template (summary formulas over an empty one-row table)."""
    wb = Workbook()
    ws = _report_sheet(wb, R001_SHEET, _R001_WIDTHS, f"แบบรายงานรหัส CPL_R001 {R001_TITLE}", R001_LAST_COL)
    n = R001_NAMES
    _heading_fields(ws, n, [
        ("A2", "หน่วยงาน", "B2", "R001_AGENCY", None, "G2"),
        ("I2", "ปีงบประมาณ พ.ศ.", "J2", "R001_FISCAL_YEAR", "0", None),
        ("A3", "เรื่องคงค้าง ณ วันที่", "B3", "R001_AS_OF", THAI_DATE_FORMAT, "D3"),
        ("I3", "เดือนที่รายงาน", "J3", "R001_MONTH", THAI_MONTH_FORMAT, "L3"),
        ("A4", "ปีงบประมาณตั้งแต่วันที่", "B4", "R001_PERIOD_START", THAI_DATE_FORMAT, "D4"),
        ("E4", "ถึงวันที่", None, "R001_PERIOD_END", THAI_DATE_FORMAT, "G4"),
        (COVERAGE_LABEL_CELLS[0], "ข้อมูลครอบคลุมวันที่", "B5", "R001_DATA_FROM", THAI_DATE_FORMAT, "D5"),
        (COVERAGE_LABEL_CELLS[1], "ถึงวันที่", None, "R001_DATA_TO", THAI_DATE_FORMAT, "G5"),
    ])
    status = {code: th for code, (th, _) in STATUS_LABELS.items()}
    for ref, text, merge in (("A6", "เรื่องคงค้างทั้งหมด", "B6"), ("D6", status["overdue"], "E6"),
                             ("I6", status["due_soon"], "J6"), ("A7", "รับเรื่องในปีงบประมาณนี้", "B7"),
                             ("D7", "ยกมาจากปีงบประมาณก่อน", "E7"), ("I7", status["on_time"], "J7")):
        label(ws, ref, text, merge=merge)
    for name in ("R001_PENDING_TOTAL", "R001_OVERDUE", "R001_DUE_SOON", "R001_PENDING_FY", "R001_CARRIED_OVER",
                 "R001_ON_TIME"):
        value_cell(ws, n[name], COUNT_FORMAT)
        ws[n[name]].font = font(10, True)
    label(ws, f"A{R001_HEADER_ROW - 1}", "รายการเรื่องที่ยังดำเนินการไม่แล้วเสร็จ (เรียงตามวันที่ศูนย์แจ้งเรื่อง)", size=11)
    header_row(ws, R001_HEADER_ROW, {R001_COLS[k]: v for k, v in _R001_HEADERS.items()}, height=32)
    data_cells(ws, R001_FIRST_ROW, {R001_COLS[k]: v for k, v in R001_FORMATS.items()})
    for ref, formula in r001_summary_formulas(R001_FIRST_ROW).items():
        ws[ref] = formula
    ws.freeze_panes = f"A{R001_FIRST_ROW}"
    page_setup(ws, title_rows=f"{R001_HEADER_ROW}:{R001_HEADER_ROW}", area=f"A1:{R001_LAST_COL}{R001_FIRST_ROW}",
                 code="CPL_R001", title=R001_TITLE)
    for name, ref in R001_NAMES.items():
        set_name(wb, name, R001_SHEET, ref)
    return wb


def build_all(out_dir: Path = TEMPLATE_DIR) -> list[Path]:
    """Write both templates into ``out_dir`` (reproducibly, atomically) and return their paths."""
    return [save_workbook_atomic(build_r001(), Path(out_dir) / R001_FILE, reproducible=True),
            save_workbook_atomic(build_r003(), Path(out_dir) / R003_FILE, reproducible=True)]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    for path in build_all(Path(argv[0]) if argv else TEMPLATE_DIR):
        print(path)


if __name__ == "__main__":
    main()
