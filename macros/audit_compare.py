"""The comparer: a reported value against the recomputed one, cell by cell, and the checks of one sheet's
names, texts and rows.

:class:`Comparer` collects the findings of one comparison (``figure_differs``, ``formula_replaced``,
``formula_changed``, ``formula_in_value_cell``, ``value_as_text``); the checks here use it for the
defined names (``name_changed``), the template's texts (``text_changed``) and rows without a complaint id.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from typing import Any

from openpyxl.utils.cell import absolute_coordinate, column_index_from_string
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.ooxml.look import HEADER_FOOTER_TAGS, header_footer_parts
from cplkpi.scoring.errors import column_letter
from cplkpi.scoring.thaidate import format_thai_date
from cplkpi.templates import layout

from .audit_reading import as_date, is_empty, name_offset, split_ref, value_at
from .audit_source import Cell, ReportSheets, SheetInfo
from .findings import Finding, Severity
from .sheets import bounds

__all__ = [
    "formula_note",
]


def same_value(reported: Any, expected: Any) -> bool:
    """Whether a reported cell value is the expected one *as Excel's formulas read it*.

    Strict where a formula would see a difference: a blank cell must be blank (a space is not),
    text must match exactly (``COUNTIF`` does not match ``"เกินกำหนด "``), a date must be a whole day.
    Numbers written as text compare by their number here; :meth:`Comparer.cell` reports their type.
    """
    if is_empty(expected):
        return reported is None or reported == ""
    if is_empty(reported):
        return False
    if isinstance(expected, _dt.date):
        if isinstance(reported, _dt.datetime) and reported.time() != _dt.time(0):
            return False
        return as_date(reported) == (expected.date() if isinstance(expected, _dt.datetime) else expected)
    if isinstance(expected, bool) or isinstance(reported, bool):  # TRUE is no 1: SUM and SUMIF skip it
        return isinstance(reported, bool) and isinstance(expected, bool) and reported == expected
    if isinstance(expected, int | float):
        if isinstance(reported, str):
            try:
                reported = float(reported.replace(",", "").strip())
            except ValueError:
                return False
        if not isinstance(reported, int | float):
            return False
        return abs(float(reported) - float(expected)) <= 1e-9 * max(1.0, abs(float(expected)))
    return str(reported) == str(expected)


def _show(v: Any) -> Any:
    """A value as the committee reads it (dates in Thai B.E.)."""
    if isinstance(v, _dt.datetime):
        v = v.date()
    if isinstance(v, _dt.date):
        return format_thai_date(v)
    return None if is_empty(v) else v


def shown_th(v: Any) -> str:
    """A value inside a Thai message: dates in B.E., a blank as (ว่าง), text quoted (spaces too)."""
    if isinstance(v, str) and v:
        return repr(v)
    v = _show(v)
    return "(ว่าง)" if v is None else str(v)


def shown_en(v: Any) -> str:
    """A value inside an English message: ISO dates, a blank as (blank), text quoted."""
    if isinstance(v, _dt.datetime):
        v = v.date()
    if isinstance(v, _dt.date):
        return v.isoformat()
    if v is None or v == "":
        return "(blank)"
    return repr(v) if isinstance(v, str) else str(v)


def _formula_key(f: str) -> str:
    return re.sub(r"\s+", "", f.lstrip("=")).replace("_xlfn.", "").upper()


_VOLATILE = re.compile(r"\b(INDIRECT|OFFSET|TODAY|NOW|RAND|RANDBETWEEN|RANDARRAY|INFO|CELL)\s*\(", re.I)
_EXTERNAL = re.compile(r"\[[^\]]+\][^!\[\]]*!|https?://|file:", re.I)  # [1]Sheet!A1, '[b.xlsx]S'!A1, URLs


def formula_note(formula: str) -> tuple[str, str]:
    """Why a formula's stored result cannot be trusted (Thai, English): volatile or another workbook."""
    if _EXTERNAL.search(formula):
        return ("อ้างอิงสมุดงานอื่น ค่าจะเปลี่ยนตามไฟล์ภายนอก", "refers to another workbook")
    if _VOLATILE.search(formula):
        return ("ใช้ฟังก์ชันที่คำนวณใหม่ทุกครั้ง (เช่น INDIRECT, TODAY) ค่าที่แสดงจะเปลี่ยน",
                "volatile function: the value shown changes when Excel recalculates")
    return ("ค่าที่แสดงมาจากสูตร ไม่ใช่ค่าที่รายงาน", "the value shown comes from a formula, not a reported value")


def _is_number(v: Any) -> bool:
    return isinstance(v, int | float) and not isinstance(v, bool)


class Comparer:
    """Collects findings while comparing the submitted cells with the recomputed report."""

    def __init__(self, reports: ReportSheets):
        self.reports = reports
        self.findings: list[Finding] = []
        #: (sheet, cell) compared as a template formula, and those already found holding a formula
        self.formula_cells: set[tuple[str, str]] = set()
        #: (sheet, cell) compared as a reported figure or formula
        self.compared: set[tuple[str, str]] = set()
        self.formula_found: set[tuple[str, str]] = set()

    def add(self, code: str, sheet: str | None, cell: str | None, reported: Any, recomputed: Any, th: str, en: str,
            severity: Severity = "error", name: str | None = None, complaint_id: str | None = None) -> None:
        self.findings.append(Finding(code, sheet, cell, th, en, severity, reported=_show(reported),
                                     recomputed=_show(recomputed), name=name, complaint_id=complaint_id))

    def cell(self, sheet: str, ref: str, expected: Any, cache: dict[str, Any], *, what: str = "",
             sub_ref: str | None = None) -> None:
        """Compare one cell: ``expected`` is the recomputed cell value or formula, ``cache`` its formula values."""
        sub_ref = sub_ref or ref
        self.compared.add((sheet, sub_ref))
        sub = value_at(self.reports, sheet, sub_ref)
        label = f" ({what})" if what else ""
        if isinstance(expected, str) and expected.startswith("="):
            self.formula_cells.add((sheet, sub_ref))
            want = cache.get(ref)
            if sub.formula is None:
                self.add("formula_replaced", sheet, sub_ref, sub.value, want,
                         f"เซลล์ {sub_ref}{label} ต้องเป็นสูตร {expected} แต่มีค่าที่พิมพ์ไว้ {shown_th(sub.value)}",
                         f"cell {sub_ref}{label} must hold the formula {expected} but holds a typed value "
                         f"{shown_en(sub.value)}")
            elif _formula_key(sub.formula) != _formula_key(expected):
                self.add("formula_changed", sheet, sub_ref, sub.formula, expected,
                         f"สูตรในเซลล์ {sub_ref}{label} ถูกแก้ไข: {sub.formula} (ต้องเป็น {expected})",
                         f"the formula in {sub_ref}{label} was changed: {sub.formula} (template: {expected})")
            elif not is_empty(sub.value) and not same_value(sub.value, want):
                self.add("figure_differs", sheet, sub_ref, sub.value, want,
                         f"ผลของสูตรในเซลล์ {sub_ref}{label} เป็น {shown_th(sub.value)} แต่คำนวณใหม่ได้ {shown_th(want)}",
                         f"the result shown in {sub_ref}{label} is {shown_en(sub.value)}, recomputed {shown_en(want)}")
            return
        if sub.formula is not None:
            self.formula_in_value_cell(sheet, sub_ref, sub, expected, label)
        if isinstance(sub.value, str) and sub.value.strip() and (_is_number(expected) or isinstance(
                expected, _dt.date)):
            self.add("value_as_text", sheet, sub_ref, sub.value, expected,
                     f"เซลล์ {sub_ref}{label} เก็บ {shown_en(sub.value)} เป็นข้อความ สูตรของ Excel (เช่น SUM) จะไม่นับค่านี้",
                     f"{sub_ref}{label} holds {shown_en(sub.value)} as text: Excel formulas (SUM, comparisons) skip or "
                     "misread it")
            if _is_number(expected) and same_value(sub.value, expected):
                return
        if isinstance(sub.value, bool) and (_is_number(expected) or isinstance(expected, _dt.date)):
            shown = "TRUE" if sub.value else "FALSE"
            self.add("value_as_text", sheet, sub_ref, shown, expected,
                     f"เซลล์ {sub_ref}{label} เก็บ {shown} เป็นค่าตรรกะ (boolean) แทนตัวเลข สูตรของ Excel (เช่น SUM, "
                     "SUMIF) จะไม่นับค่านี้",
                     f"{sub_ref}{label} holds the boolean {shown} where the template has a number: Excel formulas "
                     "(SUM, SUMIF) skip it")
            return
        if not same_value(sub.value, expected):
            self.add("figure_differs", sheet, sub_ref, sub.value, expected,
                     f"ตัวเลขในเซลล์ {sub_ref}{label} รายงาน {shown_th(sub.value)} แต่คำนวณใหม่ได้ {shown_th(expected)}",
                     f"{sub_ref}{label} reports {shown_en(sub.value)}, recomputed {shown_en(expected)}")


    def formula_in_value_cell(self, sheet: str, ref: str, sub: Cell, expected: Any, label: str = "") -> None:
        """A formula where the template holds a value (or nothing): what Excel shows is no reported figure."""
        if (sheet, ref) in self.formula_found:
            return
        self.formula_found.add((sheet, ref))
        th, en = formula_note(sub.formula or "")
        self.add("formula_in_value_cell", sheet, ref, sub.formula, expected,
                 f"เซลล์ {ref}{label} ต้องเป็นค่าที่รายงาน แต่มีสูตร {sub.formula}: {th}",
                 f"{ref}{label} must hold a reported value but holds the formula {sub.formula}: {en}")

    def scan_formulas(self, sheet: str, ws: Worksheet | None) -> None:
        """Every formula of a submitted report sheet against the template's cell at the same address.

        A formula where the rendered report has a value or nothing is a finding; a formula that
        differs from the template's formula is one too (cells compared already are not repeated).
        """
        for ref, sub in self.reports.cells.get(sheet, {}).items():
            if sub.formula is None or (sheet, ref) in self.formula_cells:
                continue
            row, col = split_ref(ref)
            tc = ws._cells.get((row, col)) if ws is not None else None  # never create cells in the rendered sheet
            want = tc.value if tc is not None else None
            if isinstance(want, str) and want.startswith("="):
                if _formula_key(sub.formula) != _formula_key(want):
                    th, en = formula_note(sub.formula)
                    self.add("formula_changed", sheet, ref, sub.formula, want,
                             f"สูตรในเซลล์ {ref} ถูกแก้ไข: {sub.formula} (ต้องเป็น {want}): {th}",
                             f"the formula in {ref} was changed: {sub.formula} (template: {want}): {en}")
            else:
                self.formula_in_value_cell(sheet, ref, sub, want)


def expected_at(ws: Worksheet, ref: str) -> Any:
    v = ws[ref].value
    return v.date() if isinstance(v, _dt.datetime) else v


def region_cells(ref: str) -> Iterable[str]:
    """Every cell of a range (or the one cell of a reference), row by row."""
    c1, r1, c2, r2 = bounds(ref)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            yield f"{column_letter(c)}{r}"


def _name_key(text: str) -> str:
    """A defined name's formula text compared as Excel reads it: no ``=``, quotes, ``$`` signs, spaces or case."""
    return re.sub(r"[\s'$]", "", text.lstrip("=")).upper()


def check_names(cmp: Comparer, sheet: str, names: dict[str, str]) -> None:
    """A missing or moved defined name is a finding at its layout address, where the cell is still compared.

    Excel's formulas read the names (``R003_AS_OF`` in the report-status formula): a name pointing
    elsewhere changes what the report shows, so the audit never follows it.
    """
    for name, ref in names.items():
        off = name_offset(cmp.reports, name, sheet, ref)
        cell = ref.split(":")[0]
        text = cmp.reports.name_texts.get(name)
        template = f"'{sheet}'!{absolute_coordinate(ref)}"
        # a name must be a plain reference (a range of CPL_R001's data grows with its rows): any other text,
        # arithmetic such as 'CPL_R003'!$E$48-45 included, is a changed name
        dest = cmp.reports.names.get(name)
        plain = dest is not None and _name_key(text or "") == _name_key(f"'{dest[0]}'!{dest[1]}")
        if text is not None and not plain:
            cmp.add("name_changed", sheet, cell, text, template,
                    f"ชื่อที่กำหนด {name} ถูกแก้เป็น {text} (ต้องเป็น {template}): สูตรของรายงานที่อ่านชื่อนี้จะแสดงค่าอื่น"
                    " ตรวจจากตำแหน่งในแม่แบบแทน",
                    f"defined name {name} was edited to {text} (template: {template}): the report's formulas "
                    "reading it show other figures; compared at the template's address", name=name)
        elif off is None:
            cmp.add("name_changed", sheet, cell, None, ref,
                    f"ไม่พบชื่อที่กำหนด {name} (ต้องชี้ที่ {sheet}!{ref}) ตรวจจากตำแหน่งในแม่แบบแทน",
                    f"defined name {name} is missing (template: {sheet}!{ref}); compared at the template's "
                    "address", name=name)
        elif off != (0, 0):
            where = "!".join(cmp.reports.names[name])
            cmp.add("name_changed", sheet, cell, where, ref,
                    f"ชื่อที่กำหนด {name} ถูกย้ายไปที่ {where} (ต้องอยู่ที่ {sheet}!{ref}): มีการแทรก/ลบแถวหรือคอลัมน์"
                    " หรือแก้ชื่อ ตรวจจากตำแหน่งในแม่แบบแทน",
                    f"defined name {name} moved to {where} (template: {sheet}!{ref}): rows or columns inserted "
                    "or the name edited; compared at the template's address", name=name)


def _text_key(v: Any) -> str:
    return " ".join(str(v).split())


def _reads_the_same(submitted: Any, want: Any) -> bool:
    """A submitted cell value against the recomputed report's: a text with its runs of spaces normalised,
    anything else by :func:`same_value`."""
    if isinstance(want, str) and not is_empty(want):
        return isinstance(submitted, str) and _text_key(submitted) == _text_key(want)
    return same_value(submitted, want)


def check_texts(cmp: Comparer, sheet: str, ws: Worksheet, last_row: int, info: SheetInfo | None) -> None:
    """Every cell of the template's extent (up to ``last_row``) not compared as a figure or formula: a
    constant text must read the same (spaces normalised), an empty cell must stay empty; the page headers
    and footers must print the template's text."""
    for r in range(1, last_row + 1):
        for c in range(1, ws.max_column + 1):
            ref = f"{column_letter(c)}{r}"
            if (sheet, ref) in cmp.compared or (sheet, ref) in cmp.formula_cells:
                continue
            sub = value_at(cmp.reports, sheet, ref)
            tc = ws._cells.get((r, c))  # never create cells in the rendered sheet
            want = tc.value if tc is not None else None
            if sub.formula is not None or (isinstance(want, str) and want.startswith("=")):
                continue  # scan_formulas compares formulas
            if _reads_the_same(sub.value, want):
                continue
            what = f"ข้อความ {shown_th(want)}" if not is_empty(want) else "เซลล์ว่าง"
            cmp.add("text_changed", sheet, ref, sub.value, want,
                    f"เซลล์ {ref} ของแม่แบบเป็น{what} แต่ไฟล์ที่ส่งมี {shown_th(sub.value)}",
                    f"{ref} of the template holds {shown_en(want)}, the submitted file {shown_en(sub.value)}")
    if info is None:
        return
    template: set[tuple[str, str, str]] = set()
    for tag in HEADER_FOOTER_TAGS:
        template |= header_footer_parts(getattr(ws, tag, None), tag)
    mine = {(g, p): t for g, p, t in info.header_footer}
    theirs = {(g, p): t for g, p, t in template}
    for tag, part in sorted(mine.keys() | theirs.keys()):
        got, want = mine.get((tag, part)), theirs.get((tag, part))
        if got == want:
            continue
        where = f"{tag} ({part})"
        cmp.add("text_changed", sheet, None, got, want,
                f"หัวหรือท้ายกระดาษ {where} ของรายงาน {sheet} เป็น {shown_th(got)} แต่แม่แบบเป็น {shown_th(want)}",
                f"the page {where} of report {sheet} prints {shown_en(got)}, the template {shown_en(want)}")


def check_rows_without_id(cmp: Comparer, ws: Worksheet) -> None:
    """CPL_R001's table rows (within the template's extent) are compared by complaint id: a row without an
    id holds only what the recomputed report ``ws`` holds there (nothing, or its ไม่มีเรื่องคงค้าง line);
    anything else typed in it is ``text_changed`` at its cell."""
    sheet = layout.R001_SHEET
    cells = cmp.reports.cells.get(sheet, {})
    id_col = column_index_from_string(layout.R001_COLS["complaint_id"])
    rendered = ws._cells  # read, never create cells in the rendered sheet
    for r in range(layout.R001_FIRST_ROW, ws.max_row + 1):
        if not is_empty(cells.get(f"{column_letter(id_col)}{r}", Cell(None)).value):
            continue
        own_row = (r, id_col) not in rendered or is_empty(rendered[(r, id_col)].value)
        for c in range(1, ws.max_column + 1):
            ref = f"{column_letter(c)}{r}"
            sub = cells.get(ref, Cell(None))
            want = rendered[(r, c)].value if own_row and (r, c) in rendered else None
            if sub.formula is None and not is_empty(sub.value) and not _reads_the_same(sub.value, want):
                cmp.add("text_changed", sheet, ref, sub.value, None,
                        f"เซลล์ {ref} อยู่ในแถวของตารางที่ไม่มีเลขที่เรื่อง แต่มี {shown_th(sub.value)}",
                        f"{ref} is in a table row without a complaint id but holds {shown_en(sub.value)}")
