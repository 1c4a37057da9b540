"""The layout of the report templates CPL_R001 and CPL_R003, and the script that builds them.

Run ``python -m cplkpi.templates.build`` to rebuild ``CPL_R001.xlsx`` and
``CPL_R003.xlsx`` beside this file, byte for byte: a change to a template is
a change to this file, reviewed as code. ``templates/LAYOUT.md`` documents
every cell, defined name and formula defined here; the report job
(:mod:`cplkpi.macros.reports`) and the validator (:mod:`cplkpi.macros.validate`)
import the constants and formula builders below rather than repeating them.
"""

from __future__ import annotations

import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.pagebreak import Break

from cplkpi.scoring.deadlines import STATUS_LABELS
from cplkpi.scoring.thaidate import THAI_MONTHS_SHORT
from cplkpi.xlsx import THAI_DATE_FORMAT, THAI_FONT, print_setup, save_workbook_atomic

__all__ = [
    "COMPONENT_ROWS",
    "COVERAGE_LABEL_CELLS",
    "MONTHS_TOTAL_ROW",
    "MONTH_ROWS",
    "NO_PENDING",
    "R001_COLS",
    "R001_FILE",
    "R001_FIRST_ROW",
    "R001_HEADER_ROW",
    "R001_LAST_COL",
    "R001_NAMES",
    "R001_SHEET",
    "R003_COMPONENT_COLS",
    "R003_FILE",
    "R003_MONTH_COLS",
    "R003_NAMES",
    "R003_SHEET",
    "R003_STEP_COLS",
    "REPORT_LATE",
    "REPORT_MISSING",
    "REPORT_NOT_DUE",
    "REPORT_NO_DATA",
    "REPORT_ON_TIME",
    "STEPS_TOTAL_ROW",
    "STEP_ROWS",
    "TEMPLATE_DIR",
    "THAI_MONTH_FORMAT",
    "add_r003_charts",
    "build_all",
    "build_r001",
    "build_r003",
    "component_formulas",
    "header_row",
    "month_formulas",
    "r001_summary_formulas",
    "set_name",
    "step_formulas",
    "summary_formulas",
    "template_path",
    "total_formulas",
]

TEMPLATE_DIR = Path(__file__).resolve().parent
R001_FILE = "CPL_R001.xlsx"
R003_FILE = "CPL_R003.xlsx"
R001_SHEET = "CPL_R001"
R003_SHEET = "CPL_R003"

#: Long Thai month and B.E. year: กันยายน 2563
THAI_MONTH_FORMAT = "[$-107041E]mmmm yyyy;@"
PCT_FORMAT = "0.00"
SCORE_FORMAT = "0.0000"
COUNT_FORMAT = "#,##0"

#: Results of the monthly-summary status formula (column K of the monthly table).
REPORT_NOT_DUE = "ยังไม่ถึงกำหนด"
REPORT_MISSING = "ไม่ส่ง"
REPORT_ON_TIME = "ทันกำหนด"
REPORT_LATE = "ส่งช้า"
#: Label cells of the coverage row (row 5) of both reports: cleared when the workbook is not an import.
COVERAGE_LABEL_CELLS = ("A5", "E5")
#: A month outside the days an imported snapshot covers (R003_DATA_FROM – R003_DATA_TO): not a missing report.
REPORT_NO_DATA = "ไม่มีข้อมูล"
#: Text written in an R001 without open complaints (column F of the first data row).
NO_PENDING = "ไม่มีเรื่องคงค้าง"

# --- CPL_R003 layout -----------------------------------------------------------

MONTH_ROWS = range(13, 25)          # the twelve months, October first
MONTHS_HEADER_ROW = 12
MONTHS_TOTAL_ROW = 25
COMPONENTS_HEADER_ROW = 28
COMPONENT_ROWS = range(29, 37)      # up to eight scored components
STEPS_HEADER_ROW = 38
STEP_ROWS = range(39, 45)           # up to six steps
STEPS_TOTAL_ROW = 45
CHART_ANCHOR = "A54"

R003_MONTH_COLS: dict[str, str] = {
    "no": "A", "label": "B", "start": "C", "end": "D", "received": "E", "completed": "F",
    "in_progress": "G", "completed_pct": "H", "report_due": "I", "report_sent_on": "J",
    "report_status": "K", "late_deduction": "L", "completed_in_month": "M", "audit_sample": "N",
    "audit_accuracy_pct": "O", "audit_deduction": "P",
}
R003_COMPONENT_COLS: dict[str, str] = {
    "step": "A", "label": "B", "points": "F", "correct": "G", "total": "H", "pct": "I", "score": "J",
    "short": "K", "not_yet_due": "L", "no_data": "M",
}
R003_STEP_COLS: dict[str, str] = {
    "step": "A", "label": "B", "points": "F", "score_before": "G", "deductions": "H", "score": "I",
}

#: Defined name → address on sheet ``CPL_R003`` (see LAYOUT.md).
R003_NAMES: dict[str, str] = {
    "R003_AGENCY": "C2",
    "R003_FISCAL_YEAR": "L2",
    "R003_PERIOD_START": "C3",
    "R003_PERIOD_END": "F3",
    "R003_AS_OF": "L3",
    "R003_MONTH": "C4",
    "R003_RULES": "L4",
    "R003_DATA_FROM": "C5",
    "R003_DATA_TO": "F5",
    "R003_RECEIVED_MONTH": "E8",
    "R003_COMPLETED_MONTH": "F8",
    "R003_IN_PROGRESS_MONTH": "G8",
    "R003_COMPLETED_PCT_MONTH": "H8",
    "R003_IN_PROGRESS_PCT_MONTH": "I8",
    "R003_RECEIVED_FYTD": "E9",
    "R003_COMPLETED_FYTD": "F9",
    "R003_IN_PROGRESS_FYTD": "G9",
    "R003_COMPLETED_PCT_FYTD": "H9",
    "R003_IN_PROGRESS_PCT_FYTD": "I9",
    "R003_TABLE_MONTHS": f"A{MONTHS_HEADER_ROW}:P{MONTH_ROWS[-1]}",
    "R003_MONTHS_DATA": f"A{MONTH_ROWS[0]}:P{MONTH_ROWS[-1]}",
    "R003_MONTHS_TOTAL": f"A{MONTHS_TOTAL_ROW}:P{MONTHS_TOTAL_ROW}",
    "R003_TABLE_COMPONENTS": f"A{COMPONENTS_HEADER_ROW}:M{COMPONENT_ROWS[-1]}",
    "R003_COMPONENTS_DATA": f"A{COMPONENT_ROWS[0]}:M{COMPONENT_ROWS[-1]}",
    "R003_TABLE_STEPS": f"A{STEPS_HEADER_ROW}:I{STEP_ROWS[-1]}",
    "R003_STEPS_DATA": f"A{STEP_ROWS[0]}:I{STEP_ROWS[-1]}",
    "R003_TOTAL_POINTS": f"F{STEPS_TOTAL_ROW}",
    "R003_SCORE_BEFORE": f"G{STEPS_TOTAL_ROW}",
    "R003_DEDUCTIONS": f"H{STEPS_TOTAL_ROW}",
    "R003_TOTAL": f"I{STEPS_TOTAL_ROW}",
    "R003_NOTE": f"A{STEPS_TOTAL_ROW + 1}",
    "R003_THRESHOLD": "E48",
    "R003_LATE_PER_MONTH": "E49",
    "R003_LATE_FROM_STEP": "H49",
    "R003_AUDIT_SAMPLE_PCT": "E50",
    "R003_AUDIT_MIN_ACCURACY": "H50",
    "R003_AUDIT_PER_MONTH": "E51",
    "R003_AUDIT_FROM_STEP": "H51",
    "R003_CHARTS": CHART_ANCHOR,
}

# --- CPL_R001 layout -----------------------------------------------------------

R001_HEADER_ROW = 10
R001_FIRST_ROW = 11
R001_COLS: dict[str, str] = {
    "no": "A", "complaint_id": "B", "received_on": "C", "forwarded_on": "D", "reopened_on": "E",
    "subject": "F", "unit": "G", "business_days_open": "H", "phase": "I", "due": "J", "status": "K",
    "last_report_on": "L", "source_status": "M",
}
#: The last column of the CPL_R001 table.
R001_LAST_COL = max(R001_COLS.values())
#: Defined name → address on sheet ``CPL_R001``; the table names are set to the filled extent.
R001_NAMES: dict[str, str] = {
    "R001_AGENCY": "C2",
    "R001_FISCAL_YEAR": "K2",
    "R001_AS_OF": "C3",
    "R001_MONTH": "K3",
    "R001_PERIOD_START": "C4",
    "R001_PERIOD_END": "F4",
    "R001_DATA_FROM": "C5",
    "R001_DATA_TO": "F5",
    "R001_PENDING_TOTAL": "C6",
    "R001_OVERDUE": "F6",
    "R001_DUE_SOON": "K6",
    "R001_PENDING_FY": "C7",
    "R001_CARRIED_OVER": "F7",
    "R001_ON_TIME": "K7",
    "R001_TABLE": f"A{R001_HEADER_ROW}:{R001_LAST_COL}{R001_FIRST_ROW}",
    "R001_DATA": f"A{R001_FIRST_ROW}:{R001_LAST_COL}{R001_FIRST_ROW}",
}

# --- formulas (shared by the template and the filled reports) ------------------


def _pct(num: str, den: str) -> str:
    return f'=IF(N({den})=0,"",ROUND({num}*100/{den},2))'


def month_formulas(r: int) -> dict[str, str]:
    """Formula per column of month row ``r`` of the CPL_R003 monthly table."""
    c = R003_MONTH_COLS
    e, f, i, j, k, m, o, a, b = (f"{c[x]}{r}" for x in ("received", "completed", "report_due", "report_sent_on",
                                                          "report_status", "completed_in_month", "audit_accuracy_pct",
                                                          "start", "end"))
    return {
        "in_progress": f'=IF({e}="","",{e}-{f})',
        "completed_pct": _pct(f, e),
        # judged once the due day is over (scoring.scores.report_due_passed: due < as-of); a month outside
        # the days an imported snapshot covers has no data (scoring.coverage.Coverage.has_data) unless it has
        # complaints, completions or a summary (scoring.scores: months.has_data)
        "report_status": (f'=IF({i}="","",IF(AND(N(R003_DATA_FROM)>0,OR({b}<R003_DATA_FROM,{a}>R003_DATA_TO),'
                          f'N({e})=0,N({m})=0,{j}=""),'
                          f'"{REPORT_NO_DATA}",IF({i}>=R003_AS_OF,"{REPORT_NOT_DUE}",IF({j}="","{REPORT_MISSING}",'
                          f'IF({j}<={i},"{REPORT_ON_TIME}","{REPORT_LATE}")))))'),
        "late_deduction": (f'=IF({k}="","",IF(OR({k}="{REPORT_MISSING}",{k}="{REPORT_LATE}"),'
                           f'N(R003_LATE_PER_MONTH),0))'),
        "audit_sample": f'=IF({m}="","",ROUNDUP({m}*N(R003_AUDIT_SAMPLE_PCT)/100,0))',
        "audit_deduction": (f'=IF({m}="","",IF(AND({o}<>"",N({o})<N(R003_AUDIT_MIN_ACCURACY)),'
                            f'N(R003_AUDIT_PER_MONTH),0))'),
    }


def total_formulas() -> dict[str, str]:
    """Formulas of the fiscal-year-to-date total row of the CPL_R003 monthly table."""
    c, first, last, r = R003_MONTH_COLS, MONTH_ROWS[0], MONTH_ROWS[-1], MONTHS_TOTAL_ROW
    out = {k: f"=SUM({c[k]}{first}:{c[k]}{last})" for k in
           ("received", "completed", "in_progress", "late_deduction", "completed_in_month", "audit_sample",
            "audit_deduction")}
    out["completed_pct"] = _pct(f"{c['completed']}{r}", f"{c['received']}{r}")
    return out


def summary_formulas(month_row: int) -> dict[str, str]:
    """Formulas of the summary block (rows 8 and 9) for the report month in ``month_row``."""
    c = R003_MONTH_COLS
    out = {}
    for row, src in ((8, month_row), (9, MONTHS_TOTAL_ROW)):
        for key in ("received", "completed", "in_progress"):
            out[f"{c[key]}{row}"] = f"={c[key]}{src}"
        out[f"H{row}"] = _pct(f"F{row}", f"E{row}")
        out[f"I{row}"] = _pct(f"G{row}", f"E{row}")
    return out


def component_formulas(r: int, monthly: bool) -> dict[str, str]:
    """Formulas of component row ``r``; ``monthly`` for the monthly-summary component (full minus deductions)."""
    c, m = R003_COMPONENT_COLS, R003_MONTH_COLS
    a, f, g, h, i = (f"{c[x]}{r}" for x in ("step", "points", "correct", "total", "pct"))
    out = {"pct": _pct(g, h)}
    if monthly:
        k = f"${m['report_status']}${MONTH_ROWS[0]}:${m['report_status']}${MONTH_ROWS[-1]}"
        out["correct"] = f'=COUNTIF({k},"{REPORT_ON_TIME}")'
        out["total"] = (f'=COUNTIF({k},"{REPORT_ON_TIME}")+COUNTIF({k},"{REPORT_LATE}")'
                        f'+COUNTIF({k},"{REPORT_MISSING}")')
        out["score"] = f'=IF({a}="","",{f})'
        out["no_data"] = f'=COUNTIF({k},"{REPORT_NO_DATA}")'
    else:
        out["score"] = (f'=IF({a}="","",IF(N({h})=0,{f},IF({i}>=R003_THRESHOLD,{f},'
                        f'ROUND({i}*{f}/R003_THRESHOLD,4))))')
    return out


def step_formulas(r: int) -> dict[str, str]:
    """Formulas of step row ``r`` of the steps table."""
    c, cc, m = R003_STEP_COLS, R003_COMPONENT_COLS, R003_MONTH_COLS
    a = f"{c['step']}{r}"
    first, last = COMPONENT_ROWS[0], COMPONENT_ROWS[-1]
    steps = f"${cc['step']}${first}:${cc['step']}${last}"
    late, audit = f"${m['late_deduction']}${MONTHS_TOTAL_ROW}", f"${m['audit_deduction']}${MONTHS_TOTAL_ROW}"
    return {
        "points": f'=IF({a}="","",SUMIF({steps},{a},${cc["points"]}${first}:${cc["points"]}${last}))',
        "score_before": f'=IF({a}="","",ROUND(SUMIF({steps},{a},${cc["score"]}${first}:${cc["score"]}${last}),4))',
        "deductions": (f'=IF({a}="","",ROUND(IF({a}=R003_LATE_FROM_STEP,{late},0)'
                       f'+IF({a}=R003_AUDIT_FROM_STEP,{audit},0),4))'),
        "score": f'=IF({a}="","",ROUND(MAX({c["score_before"]}{r}-{c["deductions"]}{r},0),4))',
    }


def steps_total_formulas() -> dict[str, str]:
    """Formulas of the total row of the steps table (cell → formula)."""
    first, last, r = STEP_ROWS[0], STEP_ROWS[-1], STEPS_TOTAL_ROW
    return {
        f"F{r}": f"=SUM(F{first}:F{last})",
        f"G{r}": f"=ROUND(SUM(G{first}:G{last}),4)",
        f"H{r}": f"=ROUND(SUM(H{first}:H{last}),4)",
        f"I{r}": f"=ROUND(SUM(I{first}:I{last}),4)",
    }


def r001_summary_formulas(last_row: int) -> dict[str, str]:
    """Formulas of the CPL_R001 summary cells when the table's data ends at ``last_row``."""
    c, first = R001_COLS, R001_FIRST_ROW
    ids = f"{c['complaint_id']}{first}:{c['complaint_id']}{last_row}"
    status = f"{c['status']}{first}:{c['status']}{last_row}"
    fwd = f"{c['forwarded_on']}{first}:{c['forwarded_on']}{last_row}"
    n = R001_NAMES
    return {
        n["R001_PENDING_TOTAL"]: f"=COUNTA({ids})",
        n["R001_OVERDUE"]: f'=COUNTIF({status},"{STATUS_LABELS["overdue"][0]}")',
        n["R001_DUE_SOON"]: f'=COUNTIF({status},"{STATUS_LABELS["due_soon"][0]}")',
        n["R001_ON_TIME"]: f'=COUNTIF({status},"{STATUS_LABELS["on_time"][0]}")',
        n["R001_PENDING_FY"]: f'=COUNTIFS({fwd},">="&R001_PERIOD_START,{fwd},"<="&R001_PERIOD_END)',
        n["R001_CARRIED_OVER"]: f"={n['R001_PENDING_TOTAL']}-{n['R001_PENDING_FY']}",
    }


# --- building blocks -------------------------------------------------------------

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
LABEL_FILL = PatternFill("solid", fgColor="FFF2CC")


def font(size: float | None = 10, bold: bool = False, color: str | None = None) -> Font:
    """The report font (Tahoma) at ``size`` (None: the application's default size)."""
    return Font(name=THAI_FONT, size=size, bold=bold, color=color)


def set_name(wb: Any, name: str, sheet: str, ref: str) -> None:
    """Define (or redefine) the workbook-level name ``name`` as an absolute reference on ``sheet``."""
    if name in wb.defined_names:
        del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{absolute_coordinate(ref)}")


def _style_range(ws: Any, ref: str, **style: Any) -> None:
    for row in ws[ref]:
        for cell in row:
            for key, value in style.items():
                setattr(cell, key, value)


def _label(ws: Any, ref: str, text: str, *, bold: bool = True, size: float = 10, merge: str | None = None) -> None:
    ws[ref] = text
    ws[ref].font = font(size, bold)
    ws[ref].alignment = Alignment(vertical="center")
    if merge:
        ws.merge_cells(f"{ref}:{merge}")


def _value_cell(ws: Any, ref: str, number_format: str | None = None, merge: str | None = None) -> None:
    cell = ws[ref]
    cell.font = font(10)
    cell.fill = LABEL_FILL
    cell.alignment = Alignment(horizontal="left", vertical="center")
    if number_format:
        cell.number_format = number_format
    if merge:
        ws.merge_cells(f"{ref}:{merge}")
        _style_range(ws, f"{ref}:{merge}", fill=LABEL_FILL)


def header_row(ws: Any, row: int, headers: Mapping[str, str] | Sequence[str], *, height: float = 45,
               size: float | None = 9, border_color: str | None = "808080",
               widths: Sequence[float] | None = None) -> None:
    """Style the header row of a table: bold Tahoma at ``size`` (None: the default size), light-blue fill,
    thin borders, centred wrapped text, the row ``height`` high.

    ``headers`` maps column letters to texts, or lists the texts from column A on; ``widths`` sets the
    widths of the columns from A on.
    """
    cells = headers if isinstance(headers, Mapping) else {get_column_letter(j): h for j, h in enumerate(headers, 1)}
    side = Side(style="thin", color=border_color)
    border = Border(left=side, right=side, top=side, bottom=side)
    for col, text in cells.items():
        cell = ws[f"{col}{row}"]
        cell.value = text
        cell.font = font(size, True)
        cell.fill = HEADER_FILL
        cell.border = border
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for j, width in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(j)].width = width
    ws.row_dimensions[row].height = height


def _data_cells(ws: Any, row: int, formats: dict[str, str | None], *, fill: PatternFill | None = None,
                bold: bool = False) -> None:
    for col, fmt in formats.items():
        cell = ws[f"{col}{row}"]
        cell.font = font(9, bold)
        cell.border = BORDER
        if fill is not None:
            cell.fill = fill
        if fmt:
            cell.number_format = fmt
        cell.alignment = Alignment(vertical="center", horizontal="left" if fmt is None else None,
                                   wrap_text=fmt is None)


def _print_setup(ws: Any, *, title_rows: str, area: str, code: str, title: str) -> None:
    print_setup(ws, title_rows=title_rows, footer_right="จัดทำโดย cplkpi")
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_area = area
    ws.oddHeader.left.text = f"{code} {title}"
    ws.oddHeader.left.size = 8
    ws.oddHeader.left.font = THAI_FONT
    ws.oddFooter.center.size = 8
    ws.oddFooter.center.font = THAI_FONT
    ws.oddFooter.right.size = 8
    ws.oddFooter.right.font = THAI_FONT


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


def add_r003_charts(ws: Any) -> None:
    """Put the two native charts of CPL_R003 on ``ws``, replacing any it holds: a sheet openpyxl loaded
    from the template already has them (drawn twice, one over the other, a report would carry four), a
    copied sheet has none."""
    ws._charts = []
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
        chart.height = 7.5
        chart.width = 15.5
    ws.add_chart(months, CHART_ANCHOR)
    ws.add_chart(pct, f"I{CHART_ANCHOR[1:]}")


def build_r003() -> Workbook:
    """The blank CPL_R003 template (formulas in place, no figures)."""
    wb = Workbook()
    ws = wb.active
    ws.title = R003_SHEET
    for col, width in _R003_WIDTHS.items():
        ws.column_dimensions[col].width = width
    _label(ws, "A1", f"แบบรายงานรหัส CPL_R003 {R003_TITLE}", size=14, merge="P1")
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    n = R003_NAMES
    _label(ws, "A2", "หน่วยงาน", merge="B2")
    _value_cell(ws, n["R003_AGENCY"], merge="H2")
    _label(ws, "J2", "ปีงบประมาณ พ.ศ.", merge="K2")
    _value_cell(ws, n["R003_FISCAL_YEAR"], "0")
    _label(ws, "A3", "ข้อมูลตั้งแต่วันที่", merge="B3")
    _value_cell(ws, n["R003_PERIOD_START"], THAI_DATE_FORMAT, merge="D3")
    _label(ws, "E3", "ถึงวันที่")
    _value_cell(ws, n["R003_PERIOD_END"], THAI_DATE_FORMAT, merge="G3")
    _label(ws, "J3", "ประเมิน ณ วันที่", merge="K3")
    _value_cell(ws, n["R003_AS_OF"], THAI_DATE_FORMAT, merge="M3")
    _label(ws, "A4", "เดือนที่รายงาน", merge="B4")
    _value_cell(ws, n["R003_MONTH"], THAI_MONTH_FORMAT, merge="D4")
    _label(ws, "J4", "ชุดเกณฑ์", merge="K4")
    _value_cell(ws, n["R003_RULES"], merge="P4")
    # an imported snapshot: the days its data covers (empty for a workbook kept by the agency)
    _label(ws, COVERAGE_LABEL_CELLS[0], "ข้อมูลครอบคลุมวันที่", merge="B5")
    _value_cell(ws, n["R003_DATA_FROM"], THAI_DATE_FORMAT, merge="D5")
    _label(ws, COVERAGE_LABEL_CELLS[1], "ถึงวันที่")
    _value_cell(ws, n["R003_DATA_TO"], THAI_DATE_FORMAT, merge="G5")

    # 1. summary
    _label(ws, "A6", "1. สรุปจำนวนเรื่องร้องทุกข์", size=11)
    header_row(ws, 7, {"A": "ช่วงเวลา", "E": "รับเรื่อง", "F": "ดำเนินการเสร็จสิ้น", "G": "กำลังดำเนินการ",
                        "H": "ร้อยละเสร็จสิ้น", "I": "ร้อยละกำลังดำเนินการ"}, height=32)
    ws.merge_cells("A7:D7")
    for row, text in ((8, "เดือนที่รายงาน"), (9, "สะสมตั้งแต่ต้นปีงบประมาณ")):
        _data_cells(ws, row, {"A": None, "B": None, "C": None, "D": None, "E": COUNT_FORMAT, "F": COUNT_FORMAT,
                              "G": COUNT_FORMAT, "H": PCT_FORMAT, "I": PCT_FORMAT}, bold=row == 9)
        ws[f"A{row}"] = text
        ws.merge_cells(f"A{row}:D{row}")
    for ref, formula in summary_formulas(MONTH_ROWS[0]).items():
        ws[ref] = formula

    # 2. monthly table
    _label(ws, f"A{MONTHS_HEADER_ROW - 1}", "2. ผลการดำเนินงานและการรายงานผลรายเดือน", size=11)
    header_row(ws, MONTHS_HEADER_ROW, {R003_MONTH_COLS[k]: v for k, v in _MONTH_HEADERS.items()})
    fmts = {R003_MONTH_COLS[k]: v for k, v in _MONTH_FORMATS.items()}
    for i, r in enumerate(MONTH_ROWS):
        _data_cells(ws, r, fmts)
        ws[f"A{r}"] = i + 1
        ws[f"B{r}"] = _FISCAL_MONTHS_SHORT[i]
        for key, formula in month_formulas(r).items():
            ws[f"{R003_MONTH_COLS[key]}{r}"] = formula
    r = MONTHS_TOTAL_ROW
    _data_cells(ws, r, fmts, fill=TOTAL_FILL, bold=True)
    ws[f"A{r}"] = "รวมตั้งแต่ต้นปีงบประมาณ"
    ws.merge_cells(f"A{r}:D{r}")
    for key, formula in total_formulas().items():
        ws[f"{R003_MONTH_COLS[key]}{r}"] = formula

    # 3. components
    _label(ws, f"A{COMPONENTS_HEADER_ROW - 1}", "3. ผลการประเมินตามเกณฑ์รายองค์ประกอบ (ตั้งแต่ต้นปีงบประมาณ)", size=11)
    header_row(ws, COMPONENTS_HEADER_ROW, {R003_COMPONENT_COLS[k]: v for k, v in _COMPONENT_HEADERS.items()},
                height=30)
    ws.merge_cells(f"B{COMPONENTS_HEADER_ROW}:E{COMPONENTS_HEADER_ROW}")
    fmts = {R003_COMPONENT_COLS[k]: v for k, v in _COMPONENT_FORMATS.items()}
    for r in COMPONENT_ROWS:
        _data_cells(ws, r, {**fmts, "C": None, "D": None, "E": None})
        ws.merge_cells(f"B{r}:E{r}")
        ws.row_dimensions[r].height = 30
        for key, formula in component_formulas(r, monthly=False).items():
            ws[f"{R003_COMPONENT_COLS[key]}{r}"] = formula

    # 4. steps
    _label(ws, f"A{STEPS_HEADER_ROW - 1}", "4. สรุปคะแนนรายขั้นตอน", size=11)
    header_row(ws, STEPS_HEADER_ROW, {R003_STEP_COLS[k]: v for k, v in _STEP_HEADERS.items()}, height=30)
    ws.merge_cells(f"B{STEPS_HEADER_ROW}:E{STEPS_HEADER_ROW}")
    fmts = {R003_STEP_COLS[k]: v for k, v in _STEP_FORMATS.items()}
    for r in STEP_ROWS:
        _data_cells(ws, r, {**fmts, "C": None, "D": None, "E": None})
        ws.merge_cells(f"B{r}:E{r}")
        for key, formula in step_formulas(r).items():
            ws[f"{R003_STEP_COLS[key]}{r}"] = formula
    r = STEPS_TOTAL_ROW
    _data_cells(ws, r, {**fmts, "C": None, "D": None, "E": None}, fill=TOTAL_FILL, bold=True)
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
    _label(ws, "A47", "5. เกณฑ์ที่ใช้คำนวณ", size=11)
    params = [
        ("A48", "ร้อยละที่ได้คะแนนเต็มในขั้นตอน", "R003_THRESHOLD", None, None),
        ("A49", "หักคะแนนรายงานสรุปช้าหรือไม่ส่ง (ต่อเดือน)", "R003_LATE_PER_MONTH", "F49", "R003_LATE_FROM_STEP"),
        ("A50", "สุ่มตรวจร้อยละของเรื่องที่เสร็จสิ้นในเดือน", "R003_AUDIT_SAMPLE_PCT", "F50", "R003_AUDIT_MIN_ACCURACY"),
        ("A51", "หักคะแนนผลสุ่มตรวจต่ำกว่าเกณฑ์ (ต่อเดือน)", "R003_AUDIT_PER_MONTH", "F51", "R003_AUDIT_FROM_STEP"),
    ]
    second = {"R003_LATE_FROM_STEP": "หักจากขั้นตอนที่", "R003_AUDIT_MIN_ACCURACY": "ถูกต้องไม่น้อยกว่าร้อยละ",
              "R003_AUDIT_FROM_STEP": "หักจากขั้นตอนที่"}
    for ref, text, name, ref2, name2 in params:
        _label(ws, ref, text, bold=False, merge=f"D{ref[1:]}")
        _value_cell(ws, n[name], "0.####")
        if ref2 and name2:
            _label(ws, ref2, second[name2], bold=False, merge=f"G{ref2[1:]}")
            _value_cell(ws, n[name2], "0.####")

    # 6. charts and signature
    _label(ws, f"A{int(CHART_ANCHOR[1:]) - 1}", "6. กราฟ", size=11)
    add_r003_charts(ws)
    _label(ws, "A71", "ขอรับรองว่าข้อมูลในรายงานนี้จัดทำจากข้อมูลเรื่องร้องทุกข์ของหน่วยงาน เพื่อเป็นหลักฐานไว้ตรวจสอบ",
           bold=False)
    _label(ws, "I73", "ลงชื่อ ........................................ ผู้รายงานข้อมูล", bold=False)
    _label(ws, "I74", "ตำแหน่ง ........................................", bold=False)

    ws.row_breaks.append(Break(id=COMPONENTS_HEADER_ROW - 2))
    ws.row_breaks.append(Break(id=int(CHART_ANCHOR[1:]) - 2))
    ws.freeze_panes = None
    _print_setup(ws, title_rows="1:4", area="A1:P75", code="CPL_R003", title=R003_TITLE)
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
    ws = wb.active
    ws.title = R001_SHEET
    for col, width in _R001_WIDTHS.items():
        ws.column_dimensions[col].width = width
    _label(ws, "A1", f"แบบรายงานรหัส CPL_R001 {R001_TITLE}", size=14, merge=f"{R001_LAST_COL}1")
    ws["A1"].alignment = Alignment(horizontal="center", vertical="center")
    ws.row_dimensions[1].height = 26
    n = R001_NAMES
    _label(ws, "A2", "หน่วยงาน", merge="B2")
    _value_cell(ws, n["R001_AGENCY"], merge="G2")
    _label(ws, "I2", "ปีงบประมาณ พ.ศ.", merge="J2")
    _value_cell(ws, n["R001_FISCAL_YEAR"], "0")
    _label(ws, "A3", "เรื่องคงค้าง ณ วันที่", merge="B3")
    _value_cell(ws, n["R001_AS_OF"], THAI_DATE_FORMAT, merge="D3")
    _label(ws, "I3", "เดือนที่รายงาน", merge="J3")
    _value_cell(ws, n["R001_MONTH"], THAI_MONTH_FORMAT, merge="L3")
    _label(ws, "A4", "ปีงบประมาณตั้งแต่วันที่", merge="B4")
    _value_cell(ws, n["R001_PERIOD_START"], THAI_DATE_FORMAT, merge="D4")
    _label(ws, "E4", "ถึงวันที่")
    _value_cell(ws, n["R001_PERIOD_END"], THAI_DATE_FORMAT, merge="G4")
    _label(ws, COVERAGE_LABEL_CELLS[0], "ข้อมูลครอบคลุมวันที่", merge="B5")
    _value_cell(ws, n["R001_DATA_FROM"], THAI_DATE_FORMAT, merge="D5")
    _label(ws, COVERAGE_LABEL_CELLS[1], "ถึงวันที่")
    _value_cell(ws, n["R001_DATA_TO"], THAI_DATE_FORMAT, merge="G5")
    status = {code: th for code, (th, _) in STATUS_LABELS.items()}
    for ref, text, merge in (("A6", "เรื่องคงค้างทั้งหมด", "B6"), ("D6", status["overdue"], "E6"),
                             ("I6", status["due_soon"], "J6"), ("A7", "รับเรื่องในปีงบประมาณนี้", "B7"),
                             ("D7", "ยกมาจากปีงบประมาณก่อน", "E7"), ("I7", status["on_time"], "J7")):
        _label(ws, ref, text, merge=merge)
    for name in ("R001_PENDING_TOTAL", "R001_OVERDUE", "R001_DUE_SOON", "R001_PENDING_FY", "R001_CARRIED_OVER",
                 "R001_ON_TIME"):
        _value_cell(ws, n[name], COUNT_FORMAT)
        ws[n[name]].font = font(10, True)
    _label(ws, f"A{R001_HEADER_ROW - 1}", "รายการเรื่องที่ยังดำเนินการไม่แล้วเสร็จ (เรียงตามวันที่ศูนย์แจ้งเรื่อง)", size=11)
    header_row(ws, R001_HEADER_ROW, {R001_COLS[k]: v for k, v in _R001_HEADERS.items()}, height=32)
    _data_cells(ws, R001_FIRST_ROW, {R001_COLS[k]: v for k, v in R001_FORMATS.items()})
    for ref, formula in r001_summary_formulas(R001_FIRST_ROW).items():
        ws[ref] = formula
    ws.freeze_panes = f"A{R001_FIRST_ROW}"
    _print_setup(ws, title_rows=f"{R001_HEADER_ROW}:{R001_HEADER_ROW}", area=f"A1:{R001_LAST_COL}{R001_FIRST_ROW}",
                 code="CPL_R001", title=R001_TITLE)
    for name, ref in R001_NAMES.items():
        set_name(wb, name, R001_SHEET, ref)
    return wb


def template_path(name: str) -> Path:
    """Path of a committed template (``CPL_R001.xlsx`` or ``CPL_R003.xlsx``)."""
    return TEMPLATE_DIR / name


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
