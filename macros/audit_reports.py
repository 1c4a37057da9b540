"""Compare a submitted CPL_R003/CPL_R001 with the reports recomputed from the complaint rows.

The *recomputed* side is the report job itself run on the submitted
complaint rows (:func:`cplkpi.macros.reports.compute_figures`,
``render_r003``, ``render_r001``: the engine's figures placed in the
template's cells, with the formulas the template prescribes and the engine's
value of each formula). The *reported* side is what the agency's file holds,
read through the workbook-level defined names of ``templates/LAYOUT.md``
(falling back to the layout's addresses when a name is missing).

Per cell of the report's figure regions:

* a value cell (V) whose value differs → ``figure_differs`` (reported vs recomputed);
* a formula cell (F) holding a typed value instead → ``formula_replaced``;
  a different formula → ``formula_changed``; an intact formula whose stored
  result differs from the engine's → ``figure_differs``;

CPL_R001 is compared complaint by complaint (not row by row): open
complaints missing from it, listed complaints that are not open or not in the
complaint sheet, and the fields of each listed complaint. The report validator
(:func:`cplkpi.macros.validate.validate_reports`: totals that do not add up,
months copied from another, gaps and overlaps between periods, each month's
in-progress count in CPL_R003 against the CPL_R001 rows of that month) runs on
the submitted sheets, and so does its period check on the progress texts of
the optional progress-form sheet (:data:`NARRATIVE_SHEET`), whose figures are
also recomputed with :func:`~cplkpi.scoring.scores.period_summary`.

This module holds the entry point (:func:`compare_reports`) and the figure comparison of each report;
the rest lives in rooms of its own, whose public names are importable from here too:
:mod:`.audit_reading` (the submitted sheets and what their names say), :mod:`.audit_compare` (the
comparer and the checks of names, texts and rows), :mod:`.audit_validator` (the validator and the
progress-form check on the submitted sheets), :mod:`.audit_look` (what the printout shows) and
:mod:`.audit_recalc` (LibreOffice's recalculation).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from openpyxl.utils.cell import coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.reader import ComplaintWorkbook
from cplkpi.scoring.thaidate import format_thai_date
from cplkpi.templates import layout

from .audit_compare import (
    Comparer,
    check_names,
    check_rows_without_id,
    check_texts,
    expected_at,
    formula_note,
    region_cells,
)
from .audit_look import check_formats, format_key, structure_findings
from .audit_reading import (
    READ_SHEETS,
    expected_sheets,
    is_empty,
    month_signals,
    read_reports,
    reported_agency,
    reported_as_of,
    reported_month,
    split_ref,
)
from .audit_recalc import compare_recalculated, recalculated_reports
from .audit_source import Cell, ReportSheets
from .audit_submission import NARRATIVE_SHEET, REPORT_SHEETS
from .audit_validator import as_openpyxl, compare_narrative, narrative_rows, validator_findings
from .findings import Finding
from .reports import MonthFigures, render_r001, render_r003
from .sheets import row_number

__all__ = [
    "NARRATIVE_SHEET",
    "REPORT_SHEETS",
    "as_openpyxl",
    "compare_reports",
    "expected_sheets",
    "format_key",
    "formula_note",
    "month_signals",
    "narrative_rows",
    "read_reports",
    "recalculated_reports",
    "reported_agency",
    "reported_as_of",
    "reported_month",
]

# --- CPL_R003 -------------------------------------------------------------------------


_R003_SKIP = {"R003_TABLE_MONTHS", "R003_TABLE_COMPONENTS", "R003_TABLE_STEPS", "R003_CHARTS"}


def _compare_r003(cmp: Comparer, wb3: Workbook, cache3: dict[str, Any]) -> None:
    sheet = layout.R003_SHEET
    ws = wb3[sheet]
    cache = cache3[sheet]
    names = layout.R003_NAMES
    check_names(cmp, sheet, {k: v for k, v in names.items() if k not in _R003_SKIP})
    done: set[str] = set()
    for name, ref in names.items():
        if name in _R003_SKIP:
            continue
        for r in region_cells(ref):
            if r in done:
                continue
            done.add(r)
            cmp.cell(sheet, r, expected_at(ws, r), cache, what=_what(ws, name, r))


#: table region → (header row, column of the row label)
_R003_TABLES = {
    "R003_MONTHS_DATA": (layout.MONTHS_HEADER_ROW, layout.R003_MONTH_COLS["label"]),
    "R003_MONTHS_TOTAL": (layout.MONTHS_HEADER_ROW, "A"),
    "R003_COMPONENTS_DATA": (layout.COMPONENTS_HEADER_ROW, layout.R003_COMPONENT_COLS["short"]),
    "R003_STEPS_DATA": (layout.STEPS_HEADER_ROW, layout.R003_STEP_COLS["label"]),
}


def _what(ws: Worksheet, name: str, ref: str) -> str:
    """What a cell shows, for messages: ``รับเรื่อง มี.ค. 2563`` in a table, the defined name otherwise."""
    if name not in _R003_TABLES:
        return name
    header_row, label_col = _R003_TABLES[name]
    row, col = split_ref(ref)
    header = ws.cell(header_row, col).value
    label = ws[f"{label_col}{row}"].value
    return " ".join(str(x) for x in (header, label) if x not in (None, "")) or name


# --- CPL_R001 -------------------------------------------------------------------------


def _r001_rows(reports: ReportSheets) -> dict[int, dict[str, Any]]:
    """Submitted CPL_R001 data rows with a complaint id: Excel row → {column key: value}."""
    cells = reports.cells.get(layout.R001_SHEET, {})
    first = layout.R001_FIRST_ROW
    last = max((split_ref(ref)[0] for ref in cells), default=0)
    cols = layout.R001_COLS
    out = {}
    for r in range(first, last + 1):
        cid = cells.get(f"{cols['complaint_id']}{r}", Cell(None)).value
        if is_empty(cid):
            continue
        out[r] = {k: cells.get(f"{col}{r}", Cell(None)).value for k, col in cols.items()}
    return out


def _compare_r001(cmp: Comparer, wb1: Workbook, cache1: dict[str, Any], fig: MonthFigures, book: ComplaintWorkbook) -> None:
    sheet = layout.R001_SHEET
    ws = wb1[sheet]
    cache = cache1[sheet]
    names = {k: v for k, v in layout.R001_NAMES.items() if k not in ("R001_TABLE", "R001_DATA")}
    check_names(cmp, sheet, {**names, "R001_DATA": layout.R001_NAMES["R001_DATA"]})
    cols = layout.R001_COLS
    first = layout.R001_FIRST_ROW
    submitted = _r001_rows(cmp.reports)
    sub_last = max(submitted, default=first)
    # header cells (values)
    for name, ref in names.items():
        expected = expected_at(ws, ref)
        if not (isinstance(expected, str) and expected.startswith("=")):
            cmp.cell(sheet, ref, expected, cache, what=name)
    # summary formulas over the submitted table, their results against the engine's counts
    for ref, formula in layout.r001_summary_formulas(sub_last).items():
        cmp.cell(sheet, ref, formula, cache, what=next(n for n, r in names.items() if r == ref))

    expected_rows: dict[str, int] = {}
    r = first
    while True:
        cid = ws[f"{cols['complaint_id']}{r}"].value
        if is_empty(cid):
            break
        expected_rows[str(cid).strip()] = r
        r += 1
    ids = book.complaints.table["complaint_id"].astype("string")
    where = {str(v): row_number(i) for i, v in ids.items() if v is not None and str(v) != "<NA>"}
    seen: Counter[str] = Counter()
    for row, values in submitted.items():
        cid = str(values["complaint_id"]).strip()
        seen[cid] += 1
        ref = f"{cols['complaint_id']}{row}"
        if seen[cid] > 1:
            continue  # the validator reports duplicates
        if cid not in expected_rows:
            if cid not in where:
                cmp.add("unknown_complaint", sheet, ref, cid, None,
                        f"เรื่อง {cid} ในรายงาน CPL_R001 ไม่มีในชีตเรื่องร้องเรียน",
                        f"complaint {cid} listed in CPL_R001 is not in the complaint sheet", complaint_id=cid)
            else:
                cmp.add("not_pending", sheet, ref, cid, None,
                        f"เรื่อง {cid} อยู่ในรายงานเรื่องคงค้าง แต่ตามชีตเรื่องร้องเรียนไม่ได้คงค้าง ณ "
                        f"{format_thai_date(fig.as_of)}",
                        f"complaint {cid} is listed as pending but per the complaint sheet it is not open on "
                        f"{fig.as_of:%Y-%m-%d}", complaint_id=cid)
            continue
        er = expected_rows[cid]
        for key, col in cols.items():
            if key in ("no", "complaint_id"):
                continue
            cmp.cell(sheet, f"{col}{er}", expected_at(ws, f"{col}{er}"), cache, what=f"{cid} {key}",
                     sub_ref=f"{col}{row}")
    comp = book.complaints
    for cid in expected_rows:
        if cid not in seen:
            at = where.get(cid)
            cmp.add("missing_from_report", comp.sheet, comp.cell("complaint_id", at) if at else None, None, cid,
                    f"เรื่อง {cid} ยังดำเนินการไม่แล้วเสร็จ ณ {format_thai_date(fig.as_of)} แต่ไม่อยู่ในรายงาน CPL_R001",
                    f"complaint {cid} is still open on {fig.as_of:%Y-%m-%d} but missing from CPL_R001",
                    complaint_id=cid)


# --- the entry point -------------------------------------------------------------------------


def compare_reports(fig: MonthFigures, reports: ReportSheets, book: ComplaintWorkbook,
                    recalculated: ReportSheets | None = None) -> list[Finding]:
    """Every finding of the submitted reports against the recomputed ones (``fig``: the month's figures).

    Own comparisons first; the validator's findings follow, without those already reported for the
    same cell and kind. ``recalculated``: the same sheets after LibreOffice recalculated the file
    (:func:`recalculated_reports`); every formula's value there is compared with the engine's.
    """
    cmp = Comparer(reports)
    for title in REPORT_SHEETS:
        if title not in reports.cells:
            cmp.add("report_missing", title, None, None, None, f"ไม่พบชีตรายงาน {title} ในไฟล์ที่ส่ง",
                    f"the submitted file has no {title} sheet")
    rendered: dict[str, Worksheet] = {}
    caches: dict[str, dict[str, Any]] = {}
    if layout.R003_SHEET in reports.cells:
        wb3, cache3, _ = render_r003(fig)
        _compare_r003(cmp, wb3, cache3)
        rendered[layout.R003_SHEET], caches[layout.R003_SHEET] = wb3[layout.R003_SHEET], cache3[layout.R003_SHEET]
    if layout.R001_SHEET in reports.cells:
        wb1, cache1, _ = render_r001(fig)
        _compare_r001(cmp, wb1, cache1, fig, book)
        rendered[layout.R001_SHEET], caches[layout.R001_SHEET] = wb1[layout.R001_SHEET], cache1[layout.R001_SHEET]
    if recalculated is not None:
        for title, ws in rendered.items():
            compare_recalculated(cmp, title, recalculated, ws, caches[title])
    for title in READ_SHEETS:
        if title in reports.cells:
            cmp.scan_formulas(title, rendered.get(title))
            check_formats(cmp, title, rendered.get(title))
    infos = {s.name: s for s in reports.sheets or ()}
    for title, ws in rendered.items():  # CPL_R001's table rows move with the data: its header part only
        check_texts(cmp, title, ws, ws.max_row if title == layout.R003_SHEET else layout.R001_FIRST_ROW - 1,
                     infos.get(title))
    if layout.R001_SHEET in rendered:
        check_rows_without_id(cmp, rendered[layout.R001_SHEET])
    if reports.sheets is not None:
        structure_findings(cmp, reports.sheets, rendered)
    extra: list[Finding] = []
    if any(t in reports.cells for t in REPORT_SHEETS):
        extra += validator_findings(reports, fig.rules, fig.month)
    rows = narrative_rows(reports)
    if rows:
        extra += compare_narrative(cmp, rows, fig, book)
    seen = {(f.code, f.sheet, f.cell) for f in cmp.findings}
    differs = {(f.sheet, _row(f.cell)) for f in cmp.findings if f.code == "figure_differs"}
    return cmp.findings + [f for f in extra if (f.code, f.sheet, f.cell) not in seen
                           and not _coincidence(f, differs)]


def _row(cell: str | None) -> int | None:
    try:
        return coordinate_from_string(cell)[1] if cell else None
    except CellCoordinatesException:  # a finding located by a range or a report, not by one cell
        return None


def _coincidence(f: Finding, differs: set[tuple[str | None, int | None]]) -> bool:
    """A "copied month" warning (same figures, other period) whose figures the recomputation confirms.

    Two months of a small agency can have the same counts by chance; when the engine gets exactly
    the reported figures, they were not copied. A copy with the same period too stays an error.
    """
    return f.code == "month_copied" and f.severity == "warning" and (f.sheet, _row(f.cell)) not in differs
