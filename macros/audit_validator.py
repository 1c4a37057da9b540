"""The report validator and the progress-form check, run on the submitted sheets.

:func:`as_openpyxl` rebuilds the submitted sheets as an openpyxl workbook for
:func:`cplkpi.macros.validate.validate_reports`; :func:`narrative_rows` reads the optional progress-form
sheet, whose periods are checked (:func:`~.validate_periods.check_periods`) and whose figures are
recomputed with :func:`~cplkpi.scoring.scores.period_summary`.
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import replace
from typing import Any

from openpyxl import Workbook
from openpyxl.utils.cell import absolute_coordinate
from openpyxl.workbook.defined_name import DefinedName

from cplkpi.reader import ComplaintWorkbook
from cplkpi.scoring.errors import column_letter
from cplkpi.scoring.scores import period_summary
from cplkpi.scoring.thaidate import format_thai_date
from cplkpi.templates import layout

from .audit_compare import Comparer, same_value
from .audit_reading import as_date, is_empty, split_ref
from .audit_source import ReportSheets
from .audit_submission import NARRATIVE_SHEET, REPORT_SHEETS
from .findings import Finding
from .sheets import bounds, worksheet
from .validate import validate_reports
from .validate_periods import check_periods
from .validate_progress import PROGRESS_COUNT, parse_progress_text

__all__ = [
    "as_openpyxl",
    "narrative_rows",
]


def as_openpyxl(reports: ReportSheets, *, formulas: bool) -> Workbook:
    """An in-memory openpyxl workbook of the report sheets (values, or formulas where there are any)."""
    wb = Workbook()
    wb.remove(worksheet(wb))
    for title, cells in reports.cells.items():
        ws = wb.create_sheet(title)
        for ref, c in cells.items():
            row, col = split_ref(ref)
            if formulas and c.formula:
                ws.cell(row, col, c.formula)
            else:
                cell = ws.cell(row, col, c.value)
                if isinstance(c.value, str):
                    cell.data_type = "s"
    for name, (sheet, ref) in reports.names.items():
        if sheet in reports.cells:
            wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{absolute_coordinate(ref)}")
    return wb


def validator_findings(reports: ReportSheets, rules: Any, month: _dt.date) -> list[Finding]:
    """The report validator on the submitted sheets, for the audited (cross-checked) month.

    The month cells hold the audited month for it (a changed month cell is a finding of its own), and
    "not calculated" is no finding here: the audit recomputes every template formula with the engine.
    """
    values, formulas = as_openpyxl(reports, formulas=False), as_openpyxl(reports, formulas=True)
    # the audit never follows a submitted name (a moved, missing or edited name is a name_changed finding):
    # the validator reads the template's addresses, whichever way the book was read (file or open Excel)
    # (CPL_R001's table ranges end at the submitted table's last row)
    last = max((split_ref(r)[0] for r in reports.cells.get(layout.R001_SHEET, {})), default=layout.R001_FIRST_ROW)
    for sheet, names in ((layout.R003_SHEET, layout.R003_NAMES), (layout.R001_SHEET, layout.R001_NAMES)):
        for name, ref in names.items():
            if name in ("R001_DATA", "R001_TABLE"):
                c1, r1, c2, _ = bounds(ref)
                ref = f"{column_letter(c1)}{r1}:{column_letter(c2)}{max(last, r1)}"
            for wb in (values, formulas):
                if sheet in wb.sheetnames:
                    wb.defined_names[name] = DefinedName(name, attr_text=f"'{sheet}'!{absolute_coordinate(ref)}")
    for sheet, ref in ((layout.R003_SHEET, layout.R003_NAMES["R003_MONTH"]),
                       (layout.R001_SHEET, layout.R001_NAMES["R001_MONTH"])):
        if sheet in reports.cells:
            values[sheet][ref].value = formulas[sheet][ref].value = month
    has = {t: t in reports.cells for t in REPORT_SHEETS}
    found = validate_reports(
        r003=values if has[layout.R003_SHEET] else None, r001=values if has[layout.R001_SHEET] else None,
        r003_formulas=formulas if has[layout.R003_SHEET] else None,
        r001_formulas=formulas if has[layout.R001_SHEET] else None, rules=rules)
    return [replace(f, report=None) for f in found if f.code != "not_calculated"]


# --- the narrative (the project-progress form) -------------------------------------------------

def narrative_rows(reports: ReportSheets) -> list[tuple[int, Any, Any, str]]:
    """(Excel row, report no., report date, text) of each progress text in the narrative sheet."""
    cells = reports.cells.get(NARRATIVE_SHEET, {})
    rows: dict[int, dict[int, Any]] = {}
    for ref, c in cells.items():
        r, col = split_ref(ref)
        rows.setdefault(r, {})[col] = c.value
    out = []
    for r in sorted(rows):
        text = rows[r].get(3)
        if isinstance(text, str) and PROGRESS_COUNT.search(text):
            out.append((r, rows[r].get(1), rows[r].get(2), text))
    return out


def compare_narrative(cmp: Comparer, rows: list[tuple[int, Any, Any, str]], fig: Any,
                       book: ComplaintWorkbook) -> list[Finding]:
    """Gaps, overlaps and copies between the progress texts, and each text's figures against the engine."""
    periods = []
    for r, no, reported_on, text in rows:
        when = as_date(reported_on)
        label = f"รายงานครั้งที่ {no}" if not is_empty(no) else f"แถว {r}"
        p = parse_progress_text(text, when, label=label)
        periods.append(replace(p, sheet=NARRATIVE_SHEET, cells={"row": f"C{r}"}))
        read = [v for v in (p.received, p.completed, p.in_progress) if v is not None]
        stated = len(PROGRESS_COUNT.findall(text))
        if p.completed is None or p.in_progress is None or len(read) < stated:
            cmp.add("counts_unreadable", NARRATIVE_SHEET, f"C{r}", text, None,
                    f"{label}: อ่านจำนวนเรื่องที่เสร็จสิ้นและกำลังดำเนินการจากข้อความไม่ได้ ตรวจสอบตัวเลขไม่ได้ "
                    "(เขียนว่า จำนวน … เรื่อง ดำเนินการเสร็จสิ้นแล้ว … เรื่อง กำลังดำเนินการ … เรื่อง)",
                    f"{label}: the completed and in-progress counts of the text cannot be read, so they cannot be "
                    "checked (write จำนวน … เรื่อง ดำเนินการเสร็จสิ้นแล้ว … เรื่อง กำลังดำเนินการ … เรื่อง)")
        if p.start is None or p.end is None or p.start > p.end:
            continue
        want = period_summary(book.complaints.table, p.start, p.end, when if when and when >= p.start else p.end)
        for key, got in (("received", p.received), ("completed", p.completed), ("pending", p.in_progress)):
            if got is not None and not same_value(got, want[key]):
                th = {"received": "จำนวนเรื่อง", "completed": "ดำเนินการเสร็จสิ้น", "pending": "กำลังดำเนินการ"}[key]
                cmp.add("figure_differs", NARRATIVE_SHEET, f"C{r}", got, want[key],
                        f"{label} ({_thai_span(p.start, p.end)}): {th} {got:g} เรื่อง แต่คำนวณใหม่ได้ {want[key]} เรื่อง",
                        f"{label} ({p.start} – {p.end}): {key} {got:g}, recomputed {want[key]}")
    found = check_periods(periods, report=NARRATIVE_SHEET, expected_start=fig.period_start,
                          expected_end=fig.period_end)
    return [replace(f, report=None) for f in found]


def _thai_span(start: _dt.date, end: _dt.date) -> str:
    return f"{format_thai_date(start)} – {format_thai_date(end)}"
