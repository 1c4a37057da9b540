"""The file an agency submits to กองกลาง each month, and how to build it.

**A submitted agency workbook** is one ``.xlsx`` file: the agency's complaint
workbook (its sheets as in :data:`cplkpi.scoring.tables.SHEETS`: เรื่องร้องเรียน,
รายงานความก้าวหน้า, รายงานประจำเดือน, ปฏิทิน, …) with the month's filled reports
added as two more sheets, ``CPL_R003`` and ``CPL_R001``, exactly as the report
job fills them (``templates/LAYOUT.md``): the same cells, formulas with their
cached values, and the workbook-level defined names ``R003_…``/``R001_…``.
Optionally a third sheet, ``แบบรายงานความก้าวหน้า``, holds the monthly
project-progress texts of the fiscal year so far: one row per report
(A รายงานครั้งที่, B วันที่รายงาน, C ความก้าวหน้า, from row 5), e.g.
"จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 1 ตุลาคม - 31 ตุลาคม 2562 จำนวน 91 เรื่อง
ดำเนินการเสร็จสิ้นแล้ว 71 เรื่อง กำลังดำเนินการ 20 เรื่อง".

:func:`build_submission` makes that file from a complaint workbook and a
month (``cplkpi audit-pack``): it asks the report job
(:func:`cplkpi.macros.reports.compute_figures`, ``render_r003``,
``render_r001``) for the filled sheets and copies them, with their styles,
merged cells, print setup, charts and names, into a copy of the complaint
workbook. The source workbook is never written.
"""

from __future__ import annotations

from collections.abc import Iterable
from copy import copy
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.styles.cell_style import StyleArray
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.guard import reading
from cplkpi.importers.writer import EVENTS_SHEET, SUMMARY_SHEET
from cplkpi.ooxml.cached import workbook_bytes
from cplkpi.outputs import ensure_not_input
from cplkpi.reader import CSV_SUFFIXES, ComplaintWorkbook, one_agency, read_workbook
from cplkpi.scoring.errors import InputError, Problem
from cplkpi.scoring.rules import DEFAULT_RULES, RuleSet
from cplkpi.scoring.scores import period_summary
from cplkpi.scoring.thaidate import fiscal_months, month_end
from cplkpi.templates import layout
from cplkpi.templates.build import add_r003_charts
from cplkpi.xlsx import (
    THAI_DATE_FORMAT,
    THAI_FONT,
    print_setup,
    quote_formula_text,
    set_text,
    write_bytes_atomic,
)

from .narrative import monthly_text
from .reports import MonthFigures, compute_figures, render_r001, render_r003

__all__ = [
    "NARRATIVE_SHEET",
    "REPORT_SHEETS",
    "attach_report_sheets",
    "build_submission",
    "copy_sheet",
    "keep_agency_rows",
    "keep_data_rows",
    "submission_bytes",
    "write_narrative_sheet",
]

REPORT_SHEETS = (layout.R003_SHEET, layout.R001_SHEET)
NARRATIVE_SHEET = "แบบรายงานความก้าวหน้า"
NARRATIVE_FIRST_ROW = 5


def copy_sheet(src: Worksheet, target_wb: Workbook, title: str) -> Worksheet:
    """Copy worksheet ``src`` (of another openpyxl workbook) into ``target_wb`` as ``title``.

    Values and formulas, text kept as text, styles, merged cells, column widths, row heights and
    hidden rows, freeze panes and the whole print setup. Charts are not copied (openpyxl cannot).
    """
    dst = target_wb.create_sheet(title)
    styles: dict[tuple[int, ...], StyleArray] = {}  # source style → the same style in the target workbook
    for row in src.iter_rows():
        for c in row:
            if c.value is None and not c.has_style:
                continue
            d = dst.cell(row=c.row, column=c.column)
            d.value = c.value
            if c.data_type == "s":
                d.data_type = "s"  # citizen text stays text, even when it starts with "="
            if c.has_style:
                # types-openpyxl leaves StyleableObject._style (a __slots__ entry) undeclared
                key = tuple(c._style)  # type: ignore[union-attr]
                if key in styles:
                    d._style = copy(styles[key])
                    continue
                d.font, d.border, d.fill = copy(c.font), copy(c.border), copy(c.fill)
                d.number_format, d.protection, d.alignment = c.number_format, copy(c.protection), copy(c.alignment)
                d.quotePrefix = c.quotePrefix
                styles[key] = copy(d._style)
    for rng in src.merged_cells.ranges:
        dst.merge_cells(str(rng))
    for letter, col_dim in src.column_dimensions.items():
        dst.column_dimensions[letter].width = col_dim.width
        dst.column_dimensions[letter].hidden = col_dim.hidden
    for number, row_dim in src.row_dimensions.items():
        if row_dim.height is not None:
            dst.row_dimensions[number].height = row_dim.height
        dst.row_dimensions[number].hidden = row_dim.hidden
    dst.freeze_panes = src.freeze_panes
    dst.page_setup = copy(src.page_setup)
    dst.page_margins = copy(src.page_margins)
    dst.print_options = copy(src.print_options)
    dst.sheet_properties.pageSetUpPr = copy(src.sheet_properties.pageSetUpPr)
    dst.HeaderFooter = copy(src.HeaderFooter)
    dst.row_breaks = copy(src.row_breaks)
    if src.print_title_rows:
        dst.print_title_rows = src.print_title_rows
    if src.print_area:
        dst.print_area = src.print_area
    return dst


def attach_report_sheets(target_wb: Workbook, r003_wb: Workbook, r001_wb: Workbook) -> None:
    """Put the filled CPL_R003 and CPL_R001 sheets and their defined names into ``target_wb``.

    Report sheets and names already there (last month's submission) are replaced.
    """
    for title in REPORT_SHEETS:
        if title in target_wb.sheetnames:
            del target_wb[title]
    for name in list(target_wb.defined_names):
        if name.startswith(("R003_", "R001_")):
            del target_wb.defined_names[name]
    for src_wb, title in ((r003_wb, layout.R003_SHEET), (r001_wb, layout.R001_SHEET)):
        ws = copy_sheet(src_wb[title], target_wb, title)
        if title == layout.R003_SHEET:
            add_r003_charts(ws)
        for name, dn in src_wb.defined_names.items():
            target_wb.defined_names[name] = copy(dn)


def write_narrative_sheet(target_wb: Workbook, book: ComplaintWorkbook, fig: MonthFigures) -> Worksheet:
    """The monthly project-progress form: one monthly text per month from October to the report month.

    Each text is the report job's monthly narrative (:func:`cplkpi.macros.narrative.monthly_text`)
    of that month's :func:`~cplkpi.scoring.scores.period_summary` as of the month's last day.
    """
    if NARRATIVE_SHEET in target_wb.sheetnames:
        del target_wb[NARRATIVE_SHEET]
    ws = target_wb.create_sheet(NARRATIVE_SHEET)
    ws["A1"] = "แบบแสดงรายงานความก้าวหน้าและข้อมูลเกี่ยวกับโครงการ"
    ws["A1"].font = Font(name=THAI_FONT, bold=True, size=13)
    set_text(ws["A2"], f"หน่วยงานที่รับผิดชอบ : {fig.agency or ''}   ปีงบประมาณ พ.ศ. : {fig.fiscal_year}")
    for col, (text, width) in enumerate(zip(("รายงานครั้งที่", "วันที่รายงาน", "ความก้าวหน้า"), (10, 14, 110)), 1):
        c = ws.cell(NARRATIVE_FIRST_ROW - 1, col, text)
        c.font = Font(name=THAI_FONT, bold=True)
        ws.column_dimensions[c.column_letter].width = width
    r = NARRATIVE_FIRST_ROW
    for i, m in enumerate(m for m in fiscal_months(fig.fiscal_year) if m <= fig.month):
        end = month_end(m)
        ws.cell(r, 1, i + 1)
        ws.cell(r, 2, end).number_format = THAI_DATE_FORMAT
        set_text(ws.cell(r, 3), monthly_text(period_summary(book.complaints.table, m, end, end,
                                                            fig.rules.pct_decimals)))
        ws.cell(r, 3).alignment = Alignment(wrap_text=True, vertical="top")
        r += 1
    print_setup(ws, title_rows=f"{NARRATIVE_FIRST_ROW - 1}:{NARRATIVE_FIRST_ROW - 1}")
    return ws


def submission_bytes(target_wb: Workbook, book: ComplaintWorkbook, month: Any, *, rules: RuleSet | str = DEFAULT_RULES,
                     as_of: Any = None, narrative: bool = True) -> bytes:
    """The bytes of ``target_wb`` (the complaint workbook, openpyxl) with the month's reports of ``book`` added."""
    fig = compute_figures(book, month, rules=rules, as_of=as_of)
    wb3, cache3, _ = render_r003(fig)
    wb1, cache1, _ = render_r001(fig)
    attach_report_sheets(target_wb, wb3, wb1)
    if narrative:
        write_narrative_sheet(target_wb, book, fig)
    return workbook_bytes(target_wb, {**cache3, **cache1})


def keep_data_rows(ws: Worksheet, header_row: int, keep: Iterable[Any]) -> None:
    """Keep only the data rows ``keep`` (Excel row numbers) of worksheet ``ws``, moved up in their order
    below the header rows; cells, styles and row heights move with their row."""
    kept = sorted(int(r) for r in keep if int(r) > header_row)
    new_row = {old: header_row + 1 + k for k, old in enumerate(kept)}
    cells = {}
    for (r, c), cell in ws._cells.items():
        if r <= header_row:
            cells[(r, c)] = cell
        elif r in new_row:
            cell.row = new_row[r]
            cells[(new_row[r], c)] = cell
    ws._cells = cells
    heights = {r: d for r, d in ws.row_dimensions.items() if r <= header_row}
    for old, new in new_row.items():
        if old in ws.row_dimensions:
            dim = ws.row_dimensions[old]
            dim.index = new
            heights[new] = dim
    ws.row_dimensions.clear()
    ws.row_dimensions.update(heights)
    ws.merged_cells.ranges = {m for m in ws.merged_cells.ranges if m.max_row <= header_row}
    ws.auto_filter.ref = None


def keep_agency_rows(target_wb: Workbook, book: ComplaintWorkbook) -> None:
    """Narrow the sheets of ``target_wb`` (openpyxl, the whole workbook) to the rows of ``book``, the
    workbook narrowed to one agency (:meth:`cplkpi.reader.ComplaintWorkbook.for_agency`): its
    complaints, their progress reports, its monthly-report and audit-sample rows. An imported workbook's
    state history keeps the agency's complaints' rows, and its import summary (the whole file's counts,
    every district: nothing of it is this agency's alone) is dropped."""
    for part in (book.complaints, book.progress, book.monthly_reports, book.audit_sample):
        if part is not None and part.sheet in target_wb.sheetnames:
            keep_data_rows(target_wb[part.sheet], part.header_row, part.table.index)
    if SUMMARY_SHEET in target_wb.sheetnames:
        del target_wb[SUMMARY_SHEET]
    if EVENTS_SHEET in target_wb.sheetnames:  # its first column is the complaint id (importers.writer)
        ws = target_wb[EVENTS_SHEET]
        ids = set(book.complaints.table["complaint_id"].astype(str))
        keep_data_rows(ws, 1, [c.row for (c,) in ws.iter_rows(min_row=2, max_col=1)
                               if c.value is not None and str(c.value).strip() in ids])


def build_submission(
    workbook: str | Path,
    month: Any,
    out: str | Path,
    *,
    rules: RuleSet | str = DEFAULT_RULES,
    as_of: Any = None,
    narrative: bool = True,
    agency: str | None = None,
) -> Path:
    """Write the submission file ``out``: a copy of complaint workbook ``workbook`` with the month's reports.

    With ``narrative``, the project-progress form of the fiscal year so far is added too. A workbook
    holding several agencies needs ``agency`` (:func:`cplkpi.reader.one_agency` refuses it otherwise,
    listing the agencies): the copy then holds that agency's rows only.
    """
    workbook, out = Path(workbook), ensure_not_input(out, workbook)
    whole = read_workbook(workbook)
    if workbook.suffix.lower() in CSV_SUFFIXES:  # read fine, but a text file cannot carry the report sheets
        raise InputError([Problem(
            "submission_needs_xlsx",
            "ไฟล์ส่งกองกลางต้องสร้างจากสมุดงาน Excel: เปิดไฟล์นี้ใน Excel แล้วบันทึกเป็น .xlsx ก่อน",
            "the submission is built from an Excel workbook: open this file in Excel and save it as .xlsx "
            "first", sheet=workbook.name)])
    book = one_agency(whole, agency)
    with reading(workbook):  # the guard let it through (read_workbook): what openpyxl raises names the file
        target = load_workbook(workbook, keep_vba=False, keep_links=False)
    if book is not whole and len(book.complaints.table) != len(whole.complaints.table):
        keep_agency_rows(target, book)
    quote_formula_text(target)  # citizen text such as "=1+1" stays text in the copy (guarantees §4)
    data = submission_bytes(target, book, month, rules=rules, as_of=as_of, narrative=narrative)
    return write_bytes_atomic(data, out)
