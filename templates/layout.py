"""The layout contract of the report templates CPL_R001 and CPL_R003: what other code reads.

File and sheet names, the cells and defined names, the table columns and rows, the status texts and the
formula builders shared by the templates (:mod:`.build` draws them) and the filled reports
(:mod:`cplkpi.macros.reports`, the validator and the audits import them from here rather than repeating
them). ``templates/LAYOUT.md`` documents every cell, defined name and formula defined here.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook import Workbook
from openpyxl.workbook.defined_name import DefinedName

from cplkpi.scoring.deadlines import STATUS_LABELS

__all__ = [
    "CHART_ANCHOR",
    "COMPONENTS_HEADER_ROW",
    "COMPONENT_ROWS",
    "COUNT_FORMAT",
    "COVERAGE_LABEL_CELLS",
    "MONTHS_HEADER_ROW",
    "MONTHS_TOTAL_ROW",
    "MONTH_ROWS",
    "NO_PENDING",
    "PCT_FORMAT",
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
    "SCORE_FORMAT",
    "STEPS_HEADER_ROW",
    "STEPS_TOTAL_ROW",
    "STEP_ROWS",
    "TEMPLATE_DIR",
    "THAI_MONTH_FORMAT",
    "component_formulas",
    "month_formulas",
    "r001_summary_formulas",
    "set_name",
    "step_formulas",
    "steps_total_formulas",
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


def set_name(wb: Workbook, name: str, sheet: str, ref: str) -> None:
    """Define (or redefine) the workbook-level name ``name`` as an absolute reference on ``sheet``."""
    if name in wb.defined_names:
        del wb.defined_names[name]
    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{absolute_coordinate(ref)}")


def template_path(name: str) -> Path:
    """Path of a committed template (``CPL_R001.xlsx`` or ``CPL_R003.xlsx``)."""
    return TEMPLATE_DIR / name
