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
"""

from __future__ import annotations

import datetime as _dt
import re
from collections import Counter
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import (
    absolute_coordinate,
    column_index_from_string,
    coordinate_from_string,
    range_boundaries,
)
from openpyxl.utils.exceptions import CellCoordinatesException

from cplkpi.scoring.errors import column_letter
from cplkpi.scoring.thaidate import fiscal_year, format_thai_date, parse_date
from cplkpi.templates import build as layout
from cplkpi.reader import ComplaintWorkbook

from .audit import Finding
from .audit_source import Cell, Drawn, ReportSheets, SheetInfo, header_footer_parts, read_report_sheets
from .audit_submission import NARRATIVE_SHEET, REPORT_SHEETS

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

READ_SHEETS = (*REPORT_SHEETS, NARRATIVE_SHEET)


def read_reports(*paths: str | Path, checked: bool = False, whole: bool = False) -> ReportSheets:
    """The CPL_R003/CPL_R001 (and progress-form) sheets of one or more files, merged.

    Each file goes through the guard first unless ``checked`` (it already did). With ``whole`` the file
    is a whole submitted workbook and every sheet of it is described (``sheets``: sheets beyond the
    template's set are findings); separate report files hold sheets of their own (the validation
    sheet), so only their report sheets and sheets claiming a report are described.
    """
    out = ReportSheets(source=", ".join(Path(p).name for p in paths), sheets=[])
    for p in paths:
        part = read_report_sheets(p, READ_SHEETS, checked=checked, known=expected_sheets())
        out.cells.update(part.cells)
        out.formats.update(part.formats)
        out.looks.update(part.looks)
        out.names.update({k: v for k, v in part.names.items() if k.startswith(("R003_", "R001_"))})
        out.name_texts.update({k: v for k, v in part.name_texts.items() if k.startswith(("R003_", "R001_"))})
        out.sheets += [s for s in part.sheets or () if whole or s.name in READ_SHEETS or s.claims]
    return out


# --- reading through the names ---------------------------------------------------------


def _split(ref: str) -> tuple[int, int]:
    """(row, column) of a cell reference, ``$`` signs allowed: ``$E$8`` → (8, 5)."""
    letters, row = coordinate_from_string(ref)
    return row, column_index_from_string(letters)


def _offset(reports: ReportSheets, name: str, sheet: str, layout_ref: str) -> tuple[int, int] | None:
    """(rows, columns) the submitted name is moved from the layout; None when the name is missing.

    A name pointing at another sheet counts as moved far away.
    """
    if name not in reports.names:
        return None
    if reports.names[name][0] != sheet:
        return (1 << 20, 1 << 14)
    r0, c0 = _split(layout_ref.split(":")[0])
    try:
        r1, c1 = _split(reports.names[name][1].replace("$", "").split(":")[0])
    except (CellCoordinatesException, ValueError):  # a whole row or column ($L:$L): no cell of the layout
        return (1 << 20, 1 << 14)
    return r1 - r0, c1 - c0


def _value_at(reports: ReportSheets, sheet: str, ref: str) -> Cell:
    return reports.cells.get(sheet, {}).get(ref, Cell(None))


def _named_value(reports: ReportSheets, name: str, sheet: str, layout_ref: str) -> Any:
    """The value at a name's layout address: a moved or deleted name is a finding, never a new address."""
    return _value_at(reports, sheet, layout_ref).value


def reported_month(reports: ReportSheets) -> _dt.date | None:
    """The report month the submission states (``R003_MONTH``, else ``R001_MONTH``)."""
    for name, sheet, names in (("R003_MONTH", layout.R003_SHEET, layout.R003_NAMES),
                               ("R001_MONTH", layout.R001_SHEET, layout.R001_NAMES)):
        d = _as_date(_named_value(reports, name, sheet, names[name]))
        if d is not None:
            return d.replace(day=1)
    return None


def month_signals(reports: ReportSheets) -> list[tuple[str, str, _dt.date]]:
    """Every cell of the submitted reports that tells the report month: (sheet, cell, month).

    CPL_R003: the month (``C4``), the period end (``F3``), the monthly-table row the month summary's
    formula points at (``E8`` = ``=E18`` → the sixth fiscal month) and the last month row holding a
    received count; CPL_R001: its month (``K3``) and period end (``F4``).
    """
    from cplkpi.scoring.thaidate import fiscal_months

    out: list[tuple[str, str, _dt.date]] = []
    r3, r1 = layout.R003_SHEET, layout.R001_SHEET
    for sheet, names, keys in ((r3, layout.R003_NAMES, ("R003_MONTH", "R003_PERIOD_END")),
                               (r1, layout.R001_NAMES, ("R001_MONTH", "R001_PERIOD_END"))):
        for key in keys:
            d = _as_date(_value_at(reports, sheet, names[key]).value)
            if d is not None:
                out.append((sheet, names[key], d.replace(day=1)))
    start = _as_date(_value_at(reports, r3, layout.R003_NAMES["R003_PERIOD_START"]).value)
    if start is not None and r3 in reports.cells:
        months = fiscal_months(int(fiscal_year(start)))
        col = layout.R003_MONTH_COLS["received"]
        ref = layout.R003_NAMES["R003_RECEIVED_MONTH"]
        f = _value_at(reports, r3, ref).formula
        m = re.fullmatch(rf"=\$?{col}\$?(\d+)", (f or "").replace(" ", ""), re.I)
        if m and int(m[1]) in layout.MONTH_ROWS:
            out.append((r3, ref, months[int(m[1]) - layout.MONTH_ROWS[0]]))
        filled = [r for r in layout.MONTH_ROWS if not _empty(_value_at(reports, r3, f"{col}{r}").value)]
        if filled:
            out.append((r3, f"{col}{filled[-1]}", months[filled[-1] - layout.MONTH_ROWS[0]]))
    return out


def reported_as_of(reports: ReportSheets) -> _dt.date | None:
    """The evaluation date the submission states (``R003_AS_OF``, else ``R001_AS_OF``)."""
    for name, sheet, names in (("R003_AS_OF", layout.R003_SHEET, layout.R003_NAMES),
                               ("R001_AS_OF", layout.R001_SHEET, layout.R001_NAMES)):
        d = _as_date(_named_value(reports, name, sheet, names[name]))
        if d is not None:
            return d
    return None


def reported_agency(reports: ReportSheets) -> str | None:
    """The agency named in the submitted reports."""
    for name, sheet, names in (("R003_AGENCY", layout.R003_SHEET, layout.R003_NAMES),
                               ("R001_AGENCY", layout.R001_SHEET, layout.R001_NAMES)):
        v = _named_value(reports, name, sheet, names[name])
        if isinstance(v, str) and v.strip():
            return v.strip()
    return None


# --- comparing values ------------------------------------------------------------------


def _as_date(v: Any) -> _dt.date | None:
    """A reported date as written (a date, a serial number or Thai text), None when unreadable."""
    try:
        return parse_date(v)
    except (ValueError, TypeError, OverflowError):
        return None


def _empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def _same(reported: Any, expected: Any) -> bool:
    """Whether a reported cell value is the expected one *as Excel's formulas read it*.

    Strict where a formula would see a difference: a blank cell must be blank (a space is not),
    text must match exactly (``COUNTIF`` does not match ``"เกินกำหนด "``), a date must be a whole day.
    Numbers written as text compare by their number here; :meth:`_Comparer.cell` reports their type.
    """
    if _empty(expected):
        return reported is None or reported == ""
    if _empty(reported):
        return False
    if isinstance(expected, _dt.date):
        if isinstance(reported, _dt.datetime) and reported.time() != _dt.time(0):
            return False
        return _as_date(reported) == (expected.date() if isinstance(expected, _dt.datetime) else expected)
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
    return None if _empty(v) else v


def _say(v: Any) -> str:
    """A value inside a Thai message: dates in B.E., a blank as (ว่าง), text quoted (spaces too)."""
    if isinstance(v, str) and v:
        return repr(v)
    v = _show(v)
    return "(ว่าง)" if v is None else str(v)


def _say_en(v: Any) -> str:
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


class _Comparer:
    """Collects findings while comparing the submitted cells with the recomputed report."""

    def __init__(self, reports: ReportSheets):
        self.reports = reports
        self.findings: list[Finding] = []
        #: (sheet, cell) compared as a template formula, and those already found holding a formula
        self.formula_cells: set[tuple[str, str]] = set()
        #: (sheet, cell) compared as a reported figure or formula
        self.compared: set[tuple[str, str]] = set()
        self.formula_found: set[tuple[str, str]] = set()

    def add(self, kind: str, sheet: str | None, cell: str | None, reported: Any, recomputed: Any, th: str, en: str,
            severity: str = "error", name: str | None = None, complaint_id: str | None = None) -> None:
        self.findings.append(Finding(kind, sheet, cell, _show(reported), _show(recomputed), th, en, severity,  # type: ignore[arg-type]
                                     name, complaint_id))

    def cell(self, sheet: str, ref: str, expected: Any, cache: dict[str, Any], *, what: str = "",
             sub_ref: str | None = None) -> None:
        """Compare one cell: ``expected`` is the recomputed cell value or formula, ``cache`` its formula values."""
        sub_ref = sub_ref or ref
        self.compared.add((sheet, sub_ref))
        sub = _value_at(self.reports, sheet, sub_ref)
        label = f" ({what})" if what else ""
        if isinstance(expected, str) and expected.startswith("="):
            self.formula_cells.add((sheet, sub_ref))
            want = cache.get(ref)
            if sub.formula is None:
                self.add("formula_replaced", sheet, sub_ref, sub.value, want,
                         f"เซลล์ {sub_ref}{label} ต้องเป็นสูตร {expected} แต่มีค่าที่พิมพ์ไว้ {_say(sub.value)}",
                         f"cell {sub_ref}{label} must hold the formula {expected} but holds a typed value "
                         f"{_say_en(sub.value)}")
            elif _formula_key(sub.formula) != _formula_key(expected):
                self.add("formula_changed", sheet, sub_ref, sub.formula, expected,
                         f"สูตรในเซลล์ {sub_ref}{label} ถูกแก้ไข: {sub.formula} (ต้องเป็น {expected})",
                         f"the formula in {sub_ref}{label} was changed: {sub.formula} (template: {expected})")
            elif not _empty(sub.value) and not _same(sub.value, want):
                self.add("figure_differs", sheet, sub_ref, sub.value, want,
                         f"ผลของสูตรในเซลล์ {sub_ref}{label} เป็น {_say(sub.value)} แต่คำนวณใหม่ได้ {_say(want)}",
                         f"the result shown in {sub_ref}{label} is {_say_en(sub.value)}, recomputed {_say_en(want)}")
            return
        if sub.formula is not None:
            self.formula_in_value_cell(sheet, sub_ref, sub, expected, label)
        if isinstance(sub.value, str) and sub.value.strip() and (_is_number(expected) or isinstance(
                expected, _dt.date)):
            self.add("value_as_text", sheet, sub_ref, sub.value, expected,
                     f"เซลล์ {sub_ref}{label} เก็บ {_say_en(sub.value)} เป็นข้อความ สูตรของ Excel (เช่น SUM) จะไม่นับค่านี้",
                     f"{sub_ref}{label} holds {_say_en(sub.value)} as text: Excel formulas (SUM, comparisons) skip or "
                     "misread it")
            if _is_number(expected) and _same(sub.value, expected):
                return
        if isinstance(sub.value, bool) and (_is_number(expected) or isinstance(expected, _dt.date)):
            shown = "TRUE" if sub.value else "FALSE"
            self.add("value_as_text", sheet, sub_ref, shown, expected,
                     f"เซลล์ {sub_ref}{label} เก็บ {shown} เป็นค่าตรรกะ (boolean) แทนตัวเลข สูตรของ Excel (เช่น SUM, "
                     "SUMIF) จะไม่นับค่านี้",
                     f"{sub_ref}{label} holds the boolean {shown} where the template has a number: Excel formulas "
                     "(SUM, SUMIF) skip it")
            return
        if not _same(sub.value, expected):
            self.add("figure_differs", sheet, sub_ref, sub.value, expected,
                     f"ตัวเลขในเซลล์ {sub_ref}{label} รายงาน {_say(sub.value)} แต่คำนวณใหม่ได้ {_say(expected)}",
                     f"{sub_ref}{label} reports {_say_en(sub.value)}, recomputed {_say_en(expected)}")


    def formula_in_value_cell(self, sheet: str, ref: str, sub: Cell, expected: Any, label: str = "") -> None:
        """A formula where the template holds a value (or nothing): what Excel shows is no reported figure."""
        if (sheet, ref) in self.formula_found:
            return
        self.formula_found.add((sheet, ref))
        th, en = formula_note(sub.formula or "")
        self.add("formula_in_value_cell", sheet, ref, sub.formula, expected,
                 f"เซลล์ {ref}{label} ต้องเป็นค่าที่รายงาน แต่มีสูตร {sub.formula}: {th}",
                 f"{ref}{label} must hold a reported value but holds the formula {sub.formula}: {en}")

    def scan_formulas(self, sheet: str, ws: Any | None) -> None:
        """Every formula of a submitted report sheet against the template's cell at the same address.

        A formula where the rendered report has a value or nothing is a finding; a formula that
        differs from the template's formula is one too (cells compared already are not repeated).
        """
        for ref, sub in self.reports.cells.get(sheet, {}).items():
            if sub.formula is None or (sheet, ref) in self.formula_cells:
                continue
            row, col = _split(ref)
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


def _expected(ws: Any, ref: str) -> Any:
    v = ws[ref].value
    return v.date() if isinstance(v, _dt.datetime) else v


def _region_cells(ref: str) -> Iterable[str]:
    """Every cell of a range (or the one cell of a reference), row by row."""
    c1, r1, c2, r2 = range_boundaries(ref)
    for r in range(r1, r2 + 1):
        for c in range(c1, c2 + 1):
            yield f"{column_letter(c)}{r}"


def _name_key(text: str) -> str:
    """A defined name's formula text compared as Excel reads it: no ``=``, quotes, ``$`` signs, spaces or case."""
    return re.sub(r"[\s'$]", "", text.lstrip("=")).upper()


def _check_names(cmp: _Comparer, sheet: str, names: dict[str, str]) -> None:
    """A missing or moved defined name is a finding at its layout address, where the cell is still compared.

    Excel's formulas read the names (``R003_AS_OF`` in the report-status formula): a name pointing
    elsewhere changes what the report shows, so the audit never follows it.
    """
    for name, ref in names.items():
        off = _offset(cmp.reports, name, sheet, ref)
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


def _check_texts(cmp: _Comparer, sheet: str, ws: Any, last_row: int, info: SheetInfo | None) -> None:
    """Every cell of the template's extent (up to ``last_row``) not compared as a figure or formula: a
    constant text must read the same (spaces normalised), an empty cell must stay empty; the page headers
    and footers must print the template's text."""
    for r in range(1, last_row + 1):
        for c in range(1, ws.max_column + 1):
            ref = f"{column_letter(c)}{r}"
            if (sheet, ref) in cmp.compared or (sheet, ref) in cmp.formula_cells:
                continue
            sub = _value_at(cmp.reports, sheet, ref)
            tc = ws._cells.get((r, c))  # never create cells in the rendered sheet
            want = tc.value if tc is not None else None
            if sub.formula is not None or (isinstance(want, str) and want.startswith("=")):
                continue  # scan_formulas compares formulas
            if isinstance(want, str) and not _empty(want):
                same = isinstance(sub.value, str) and _text_key(sub.value) == _text_key(want)
            else:
                same = _same(sub.value, want)
            if same:
                continue
            what = f"ข้อความ {_say(want)}" if not _empty(want) else "เซลล์ว่าง"
            cmp.add("text_changed", sheet, ref, sub.value, want,
                    f"เซลล์ {ref} ของแม่แบบเป็น{what} แต่ไฟล์ที่ส่งมี {_say(sub.value)}",
                    f"{ref} of the template holds {_say_en(want)}, the submitted file {_say_en(sub.value)}")
    if info is None:
        return
    template: set[tuple[str, str, str]] = set()
    for tag in ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter"):
        template |= header_footer_parts(getattr(ws, tag, None), tag)
    mine = {(g, p): t for g, p, t in info.header_footer}
    theirs = {(g, p): t for g, p, t in template}
    for tag, part in sorted(mine.keys() | theirs.keys()):
        got, want = mine.get((tag, part)), theirs.get((tag, part))
        if got == want:
            continue
        where = f"{tag} ({part})"
        cmp.add("text_changed", sheet, None, got, want,
                f"หัวหรือท้ายกระดาษ {where} ของรายงาน {sheet} เป็น {_say(got)} แต่แม่แบบเป็น {_say(want)}",
                f"the page {where} of report {sheet} prints {_say_en(got)}, the template {_say_en(want)}")


def _check_rows_without_id(cmp: _Comparer, ws: Any) -> None:
    """CPL_R001's table rows (within the template's extent) are compared by complaint id: a row without an
    id must be empty, anything typed in it is ``text_changed`` at its cell."""
    sheet = layout.R001_SHEET
    cells = cmp.reports.cells.get(sheet, {})
    id_col = column_index_from_string(layout.R001_COLS["complaint_id"])
    for r in range(layout.R001_FIRST_ROW, ws.max_row + 1):
        if not _empty(cells.get(f"{column_letter(id_col)}{r}", Cell(None)).value):
            continue
        for c in range(1, ws.max_column + 1):
            ref = f"{column_letter(c)}{r}"
            sub = cells.get(ref, Cell(None))
            if sub.formula is None and not _empty(sub.value):
                cmp.add("text_changed", sheet, ref, sub.value, None,
                        f"เซลล์ {ref} อยู่ในแถวของตารางที่ไม่มีเลขที่เรื่อง แต่มี {_say(sub.value)}",
                        f"{ref} is in a table row without a complaint id but holds {_say_en(sub.value)}")


# --- CPL_R003 -------------------------------------------------------------------------


_R003_SKIP = {"R003_TABLE_MONTHS", "R003_TABLE_COMPONENTS", "R003_TABLE_STEPS", "R003_CHARTS"}


def _compare_r003(cmp: _Comparer, wb3: Any, cache3: dict[str, Any]) -> None:
    sheet = layout.R003_SHEET
    ws = wb3[sheet]
    cache = cache3[sheet]
    names = layout.R003_NAMES
    _check_names(cmp, sheet, {k: v for k, v in names.items() if k not in _R003_SKIP})
    done: set[str] = set()
    for name, ref in names.items():
        if name in _R003_SKIP:
            continue
        for r in _region_cells(ref):
            if r in done:
                continue
            done.add(r)
            cmp.cell(sheet, r, _expected(ws, r), cache, what=_what(ws, name, r))


#: table region → (header row, column of the row label)
_R003_TABLES = {
    "R003_MONTHS_DATA": (layout.MONTHS_HEADER_ROW, layout.R003_MONTH_COLS["label"]),
    "R003_MONTHS_TOTAL": (layout.MONTHS_HEADER_ROW, "A"),
    "R003_COMPONENTS_DATA": (layout.COMPONENTS_HEADER_ROW, layout.R003_COMPONENT_COLS["short"]),
    "R003_STEPS_DATA": (layout.STEPS_HEADER_ROW, layout.R003_STEP_COLS["label"]),
}


def _what(ws: Any, name: str, ref: str) -> str:
    """What a cell shows, for messages: ``รับเรื่อง มี.ค. 2563`` in a table, the defined name otherwise."""
    if name not in _R003_TABLES:
        return name
    header_row, label_col = _R003_TABLES[name]
    row, col = _split(ref)
    header = ws.cell(header_row, col).value
    label = ws[f"{label_col}{row}"].value
    return " ".join(str(x) for x in (header, label) if x not in (None, "")) or name


# --- CPL_R001 -------------------------------------------------------------------------


def _r001_rows(reports: ReportSheets) -> dict[int, dict[str, Any]]:
    """Submitted CPL_R001 data rows with a complaint id: Excel row → {column key: value}."""
    cells = reports.cells.get(layout.R001_SHEET, {})
    first = layout.R001_FIRST_ROW
    last = max((_split(ref)[0] for ref in cells), default=0)
    cols = layout.R001_COLS
    out = {}
    for r in range(first, last + 1):
        cid = cells.get(f"{cols['complaint_id']}{r}", Cell(None)).value
        if _empty(cid):
            continue
        out[r] = {k: cells.get(f"{col}{r}", Cell(None)).value for k, col in cols.items()}
    return out


def _compare_r001(cmp: _Comparer, wb1: Any, cache1: dict[str, Any], fig: Any, book: ComplaintWorkbook) -> None:
    sheet = layout.R001_SHEET
    ws = wb1[sheet]
    cache = cache1[sheet]
    names = {k: v for k, v in layout.R001_NAMES.items() if k not in ("R001_TABLE", "R001_DATA")}
    _check_names(cmp, sheet, {**names, "R001_DATA": layout.R001_NAMES["R001_DATA"]})
    cols = layout.R001_COLS
    first = layout.R001_FIRST_ROW
    submitted = _r001_rows(cmp.reports)
    sub_last = max(submitted, default=first)
    # header cells (values)
    for name, ref in names.items():
        expected = _expected(ws, ref)
        if not (isinstance(expected, str) and expected.startswith("=")):
            cmp.cell(sheet, ref, expected, cache, what=name)
    # summary formulas over the submitted table, their results against the engine's counts
    for ref, formula in layout.r001_summary_formulas(sub_last).items():
        cmp.cell(sheet, ref, formula, cache, what=next(n for n, r in names.items() if r == ref))

    expected_rows: dict[str, int] = {}
    r = first
    while True:
        cid = ws[f"{cols['complaint_id']}{r}"].value
        if _empty(cid):
            break
        expected_rows[str(cid).strip()] = r
        r += 1
    ids = book.complaints.table["complaint_id"].astype("string")
    where = {str(v): int(i) for i, v in ids.items() if v is not None and str(v) != "<NA>"}
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
            cmp.cell(sheet, f"{col}{er}", _expected(ws, f"{col}{er}"), cache, what=f"{cid} {key}",
                     sub_ref=f"{col}{row}")
    comp = book.complaints
    for cid in expected_rows:
        if cid not in seen:
            row = where.get(cid)
            cmp.add("missing_from_report", comp.sheet, comp.cell("complaint_id", row) if row else None, None, cid,
                    f"เรื่อง {cid} ยังดำเนินการไม่แล้วเสร็จ ณ {format_thai_date(fig.as_of)} แต่ไม่อยู่ในรายงาน CPL_R001",
                    f"complaint {cid} is still open on {fig.as_of:%Y-%m-%d} but missing from CPL_R001",
                    complaint_id=cid)


# --- the validator on the submitted sheets ---------------------------------------------------


def as_openpyxl(reports: ReportSheets, *, formulas: bool) -> Any:
    """An in-memory openpyxl workbook of the report sheets (values, or formulas where there are any)."""
    from openpyxl import Workbook
    from openpyxl.workbook.defined_name import DefinedName

    wb = Workbook()
    wb.remove(wb.active)
    for title, cells in reports.cells.items():
        ws = wb.create_sheet(title)
        for ref, c in cells.items():
            row, col = _split(ref)
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


def _validator_findings(reports: ReportSheets, rules: Any, month: _dt.date) -> list[Finding]:
    """The report validator on the submitted sheets, for the audited (cross-checked) month.

    The month cells hold the audited month for it (a changed month cell is a finding of its own), and
    "not calculated" is no finding here: the audit recomputes every template formula with the engine.
    """
    from openpyxl.workbook.defined_name import DefinedName

    from .validate import validate_reports

    values, formulas = as_openpyxl(reports, formulas=False), as_openpyxl(reports, formulas=True)
    # the audit never follows a submitted name (a moved, missing or edited name is a name_changed finding):
    # the validator reads the template's addresses, whichever way the book was read (file or open Excel)
    # (CPL_R001's table ranges end at the submitted table's last row)
    last = max((_split(r)[0] for r in reports.cells.get(layout.R001_SHEET, {})), default=layout.R001_FIRST_ROW)
    for sheet, names in ((layout.R003_SHEET, layout.R003_NAMES), (layout.R001_SHEET, layout.R001_NAMES)):
        for name, ref in names.items():
            if name in ("R001_DATA", "R001_TABLE"):
                c1, r1, c2, _ = range_boundaries(ref)
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
    return [Finding(f.code, f.sheet, f.cell, None, None, f.message_th, f.message_en, f.severity) for f in found
            if f.code != "not_calculated"]


# --- the narrative (seed-003 project-progress form) ----------------------------------------------

def narrative_rows(reports: ReportSheets) -> list[tuple[int, Any, Any, str]]:
    """(Excel row, report no., report date, text) of each progress text in the narrative sheet."""
    from .validate import PROGRESS_COUNT

    cells = reports.cells.get(NARRATIVE_SHEET, {})
    rows: dict[int, dict[int, Any]] = {}
    for ref, c in cells.items():
        r, col = _split(ref)
        rows.setdefault(r, {})[col] = c.value
    out = []
    for r in sorted(rows):
        text = rows[r].get(3)
        if isinstance(text, str) and PROGRESS_COUNT.search(text):
            out.append((r, rows[r].get(1), rows[r].get(2), text))
    return out


def _compare_narrative(cmp: _Comparer, rows: list[tuple[int, Any, Any, str]], fig: Any,
                       book: ComplaintWorkbook) -> list[Finding]:
    """Gaps, overlaps and copies between the progress texts, and each text's figures against the engine."""
    from dataclasses import replace

    from cplkpi.scoring.scores import period_summary

    from .validate import PROGRESS_COUNT, check_periods, parse_progress_text

    periods = []
    for r, no, reported_on, text in rows:
        when = _as_date(reported_on)
        label = f"รายงานครั้งที่ {no}" if not _empty(no) else f"แถว {r}"
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
            if got is not None and not _same(got, want[key]):
                th = {"received": "จำนวนเรื่อง", "completed": "ดำเนินการเสร็จสิ้น", "pending": "กำลังดำเนินการ"}[key]
                cmp.add("figure_differs", NARRATIVE_SHEET, f"C{r}", got, want[key],
                        f"{label} ({_thai_span(p.start, p.end)}): {th} {got:g} เรื่อง แต่คำนวณใหม่ได้ {want[key]} เรื่อง",
                        f"{label} ({p.start} – {p.end}): {key} {got:g}, recomputed {want[key]}")
    found = check_periods(periods, report=NARRATIVE_SHEET, expected_start=fig.period_start,
                          expected_end=fig.period_end)
    return [Finding(f.code, f.sheet, f.cell, None, None, f.message_th, f.message_en, f.severity) for f in found]


def _thai_span(start: _dt.date, end: _dt.date) -> str:
    return f"{format_thai_date(start)} – {format_thai_date(end)}"


# --- what the printout shows: sheets, their order and visibility ------------------------------------


def expected_sheets() -> frozenset[str]:
    """The sheet names a submitted workbook may hold: the complaint workbook's (with their accepted
    aliases, and the sheets ``cplkpi import`` adds, its coverage sheet included), the sample summary, the two reports and the progress form."""
    from cplkpi.importers.workbook import EVENTS_SHEET
    from cplkpi.importers.workbook import SUMMARY_SHEET as IMPORT_SUMMARY
    from cplkpi.scoring.coverage import COVERAGE_SHEET_NAMES
    from cplkpi.scoring.tables import SHEETS

    from .audit_sample import SUMMARY_SHEET as SAMPLE_SUMMARY

    names = {n for name, aliases in SHEETS.values() for n in (name, *aliases)}
    return frozenset({*names, EVENTS_SHEET, IMPORT_SUMMARY, *COVERAGE_SHEET_NAMES, SAMPLE_SUMMARY, *READ_SHEETS})


def format_key(fmt: str | None) -> str:
    """A number format as it shows, for comparing: LibreOffice writes ``d mmm`` as ``d\\ mmm`` and
    ``General`` in any case; escapes and quotes of literal text do not change what shows."""
    return re.sub(r'[\\"]', "", fmt or "General").strip().casefold()


def _check_formats(cmp: _Comparer, sheet: str, ws: Any | None) -> None:
    """Every cell with a value must show as the template's cell does: the same number format (a
    format that shows 5 for 4.95, 0 for 32 or a date as a serial number is another number), text as
    readable (contrast of ink on paper, font size; theme and indexed colours resolved, pattern fills
    blended) as the template's. A sheet without template (``ws`` None: the progress form) is only held
    to readable text on its own."""
    from .audit_source import MIN_CONTRAST, MIN_FONT_SIZE, Look, cell_look, theme_colours

    theme = theme_colours(ws.parent) if ws is not None else theme_colours(None)
    plain = Look("000000", "FFFFFF", 11.0)  # a cell the template does not have: black on the white page
    for ref, look in sorted(cmp.reports.looks.get(sheet, {}).items(), key=lambda x: _split(x[0])):
        row, col = _split(ref)
        tc = ws._cells.get((row, col)) if ws is not None else None
        want = cell_look(tc, theme) if tc is not None else plain
        shown = _value_at(cmp.reports, sheet, ref).value
        if look.contrast < min(MIN_CONTRAST, want.contrast):
            cmp.add("hidden_value", sheet, ref, shown, None,
                    f"ตัวอักษรในเซลล์ {ref} (สี #{look.ink} บนพื้น #{look.paper}) แทบมองไม่เห็น ค่า {_say(shown)} "
                    f"จะมองไม่เห็นในเอกสารที่พิมพ์ (ความต่างของสี {look.contrast:.2f}:1 แม่แบบ {want.contrast:.2f}:1)",
                    f"the text of {ref} (#{look.ink} on #{look.paper}) can hardly be seen: its value "
                    f"{_say_en(shown)} does not show (contrast {look.contrast:.2f}:1, template {want.contrast:.2f}:1)")
        if look.size < min(MIN_FONT_SIZE, want.size) or look.size < want.size / 2:
            cmp.add("hidden_value", sheet, ref, shown, None,
                    f"ตัวอักษรในเซลล์ {ref} ขนาด {look.size:g} พอยต์ (แม่แบบ {want.size:g}) เล็กจนอ่านไม่ได้ "
                    f"ค่า {_say(shown)} จะมองไม่เห็นในเอกสารที่พิมพ์",
                    f"the text of {ref} is {look.size:g} pt (template {want.size:g} pt): its value "
                    f"{_say_en(shown)} cannot be read")
    for ref, fmt in sorted(cmp.reports.formats.get(sheet, {}).items() if ws is not None else (),
                           key=lambda x: _split(x[0])):
        row, col = _split(ref)
        tc = ws._cells.get((row, col))
        want_fmt = tc.number_format if tc is not None else "General"
        if format_key(fmt) == format_key(want_fmt):
            continue
        shown = _value_at(cmp.reports, sheet, ref).value
        cmp.add("hidden_value", sheet, ref, shown, None,
                f"รูปแบบตัวเลขของเซลล์ {ref} ({fmt}) ไม่ใช่ของแม่แบบ ({want_fmt}) ค่า {_say(shown)} "
                "อาจไม่แสดงหรือแสดงเป็นค่าอื่นในเอกสารที่พิมพ์",
                f"the number format of {ref} ({fmt}) is not the template's ({want_fmt}): its value "
                f"{_say_en(shown)} may not show or show as another one")


def _check_merges(cmp: _Comparer, s: SheetInfo, ws: Any) -> None:
    """Merged ranges the template does not have that cover a value (only the first cell of a merge shows)."""
    have = {str(r).upper() for r in ws.merged_cells.ranges}
    cells = cmp.reports.cells.get(s.name, {})
    for rng in sorted(s.merged - have):
        try:
            refs = list(_region_cells(rng))
        except (ValueError, TypeError):
            continue
        for ref in refs[1:]:
            if ref in cells and not _empty(cells[ref].value):
                cmp.add("hidden_value", s.name, ref, cells[ref].value, None,
                        f"เซลล์ {ref} ถูกรวมเซลล์ ({rng}) ทับ ค่า {_say(cells[ref].value)} จะไม่แสดงในเอกสารที่พิมพ์",
                        f"{ref} lies under the merged range {rng}: its value {_say_en(cells[ref].value)} is not shown")


def _check_print_area(cmp: _Comparer, s: SheetInfo, ws: Any) -> None:
    """The submitted print area must cover the template's: rows or columns left out do not print."""
    def boxes(text: str) -> list[tuple[int, int, int, int]]:
        out = []
        for part in text.replace("$", "").split(","):
            try:
                out.append(range_boundaries(part.split("!")[-1].strip()))
            except (ValueError, TypeError):
                continue
        return out

    have = boxes(s.print_area or "")
    for c1, r1, c2, r2 in boxes(ws.print_area):
        corners = ((c1, r1), (c2, r2), (c1, r2), (c2, r1))
        if not all(any(a <= c <= b and t <= r <= u for a, t, b, u in have) for c, r in corners):
            cmp.add("hidden_rows", s.name, None, s.print_area, ws.print_area.replace("$", "").split("!")[-1],
                    f"ช่วงพิมพ์ของรายงาน {s.name} ({s.print_area}) ไม่ครอบคลุมรายงานทั้งหมด บางส่วนจะไม่ปรากฏในเอกสารที่พิมพ์",
                    f"the print area of report {s.name} ({s.print_area}) leaves part of the report out of the printout")
            return


#: a row lower than this (points) or a column narrower than this (characters) cannot be read, nor one
#: less than half the template's
MIN_ROW_HEIGHT, MIN_COL_WIDTH = 6.0, 2.0


def _template_sizes(ws: Any) -> tuple[Callable[[int], float], Callable[[int], float]]:
    """The height of a template row and the width of a template column (openpyxl sheet ``ws``)."""
    fmt = ws.sheet_format
    default_height = float(fmt.defaultRowHeight or 15)
    default_width = float(fmt.defaultColWidth or (fmt.baseColWidth or 8) + 0.43)
    widths: dict[int, float] = {}
    for dim in ws.column_dimensions.values():
        if dim.customWidth and dim.width and dim.min and dim.max:
            widths.update(dict.fromkeys(range(dim.min, dim.max + 1), float(dim.width)))

    def height(r: int) -> float:
        dim = ws.row_dimensions.get(r)
        return float(dim.height) if dim is not None and dim.height else default_height

    return height, lambda c: widths.get(c, default_width)


def _small(size: float, template: float, minimum: float) -> bool:
    return size < min(minimum, template) or size < template / 2


def _check_sizes(cmp: _Comparer, s: SheetInfo, ws: Any, hidden_rows: set[int], hidden_cols: set[int]) -> None:
    """Rows and columns holding a value that are too small to read (:data:`MIN_ROW_HEIGHT`,
    :data:`MIN_COL_WIDTH`, half the template's), the sheet's default height and width included."""
    if s.sizes is None:
        return
    height, width = _template_sizes(ws)
    refs = [_split(r) for r, c in cmp.reports.cells.get(s.name, {}).items() if not _empty(c.value)]
    rows = {r: (s.sizes.height(r), height(r)) for r in {r for r, _ in refs} - hidden_rows
            if _small(s.sizes.height(r), height(r), MIN_ROW_HEIGHT)}
    cols = {c: (s.sizes.width(c), width(c)) for c in {c for _, c in refs} - hidden_cols
            if _small(s.sizes.width(c), width(c), MIN_COL_WIDTH)}
    for a, b in _runs(rows):
        span = str(a) if a == b else f"{a}–{b}"
        got, want = rows[a]
        cmp.add("hidden_rows", s.name, f"{a}:{b}", got, want,
                f"แถว {span} ของรายงาน {s.name} สูงเพียง {got:g} พอยต์ (แม่แบบ {want:g}) ข้อมูลในแถวนี้จะมองไม่เห็นในเอกสารที่พิมพ์",
                f"row{'' if a == b else 's'} {span} of report {s.name} {'is' if a == b else 'are'} {got:g} pt high "
                f"(template {want:g}): unreadable in the printout")
    for a, b in _runs(cols):
        span = column_letter(a) if a == b else f"{column_letter(a)}–{column_letter(b)}"
        got, want = cols[a]
        cmp.add("hidden_rows", s.name, f"{column_letter(a)}:{column_letter(b)}", got, want,
                f"คอลัมน์ {span} ของรายงาน {s.name} กว้างเพียง {got:g} ตัวอักษร (แม่แบบ {want:g}) "
                "ข้อมูลในคอลัมน์นี้จะมองไม่เห็นในเอกสารที่พิมพ์",
                f"column{'' if a == b else 's'} {span} of report {s.name} {'is' if a == b else 'are'} {got:g} "
                f"characters wide (template {want:g}): unreadable in the printout")


_DRAWN_TH = {"chart": "แผนภูมิ", "shape": "รูปร่างหรือกล่องข้อความ", "picture": "รูปภาพ", "group": "กลุ่มรูปวาด",
             "connector": "เส้นเชื่อม", "ink": "ลายเส้นหมึก", "vml": "รูปวาดแบบเก่า (VML)"}


@lru_cache(maxsize=4)
def _template_drawings(sheet: str) -> tuple[Drawn, ...]:
    """What the report template of ``sheet`` draws over it (its charts)."""
    import zipfile

    from cplkpi.xlsx import sheet_parts

    from .audit_source import sheet_drawings

    file = {layout.R003_SHEET: layout.R003_FILE, layout.R001_SHEET: layout.R001_FILE}[sheet]
    with zipfile.ZipFile(layout.template_path(file)) as zf:
        return sheet_drawings(zf, sheet_parts(zf)[sheet][0])


def _check_drawings(cmp: _Comparer, s: SheetInfo) -> None:
    """Drawings beyond the template's (a text box showing another figure over a cell, a picture) and
    charts whose series do not come from the template's ranges (numbers written into the chart)."""
    template = _template_drawings(s.name)
    ranges = {x for d in template for x in d.sources}
    room = Counter(d.kind for d in template)
    for d in s.drawings:
        where = f" ที่เซลล์ {d.cell}" if d.cell else ""
        where_en = f" at {d.cell}" if d.cell else ""
        if room[d.kind] > 0:
            room[d.kind] -= 1
        else:
            said = f" ข้อความ «{d.text}»" if d.text else ""
            cmp.add("hidden_value", s.name, d.cell, d.text or d.kind, None,
                    f"มี{_DRAWN_TH.get(d.kind, d.kind)}วาดทับรายงาน {s.name}{where} ซึ่งแม่แบบไม่มี{said} "
                    "จะปรากฏทับค่าในเอกสารที่พิมพ์",
                    f"a {d.kind} the template does not have is drawn over report {s.name}{where_en}"
                    f"{f' reading {d.text!r}' if d.text else ''}: it shows over the report's values")
        if d.kind == "chart" and (not d.sources or not set(d.sources) <= ranges):
            other = ", ".join(sorted(set(d.sources) - ranges)) or "literal"
            cmp.add("hidden_value", s.name, d.cell, other, None,
                    f"แผนภูมิ{where}ของรายงาน {s.name} ไม่ได้ใช้ช่วงข้อมูลของแม่แบบ ({other}) "
                    "จึงแสดงตัวเลขที่ไม่ใช่ค่าในรายงานได้",
                    f"the chart{where_en} of report {s.name} takes series from outside the template's ranges "
                    f"({other}): it can show numbers other than the report's")


def _runs(numbers: Iterable[int]) -> list[tuple[int, int]]:
    """Contiguous runs of whole numbers: {3, 4, 5, 9} → [(3, 5), (9, 9)]."""
    out: list[tuple[int, int]] = []
    for n in sorted(numbers):
        if out and n == out[-1][1] + 1:
            out[-1] = (out[-1][0], n)
        else:
            out.append((n, n))
    return out


def _structure_findings(cmp: _Comparer, sheets: list[SheetInfo], rendered: dict[str, Any]) -> None:
    """Hidden report sheets, rows and columns; other sheets claiming a report; sheets beyond the template's set."""
    allowed = {n.casefold() for n in expected_sheets()}
    position = {s.name: s.position for s in sheets}
    for s in sheets:
        if s.name in READ_SHEETS:
            if s.state != "visible":
                cmp.add("hidden_sheet", s.name, None, s.state, "visible",
                        f"ชีตรายงาน {s.name} ถูกซ่อน ({s.state}) จะไม่ปรากฏเมื่อเปิดหรือพิมพ์",
                        f"report sheet {s.name} is hidden ({s.state}): not shown nor printed")
            ws = rendered.get(s.name)
            # within the report's extent (the template's and what the file holds): hiding the empty rest of
            # the sheet hides nothing
            refs = [_split(r) for r in cmp.reports.cells.get(s.name, {})]
            last_row = max([ws.max_row if ws is not None else 0, *(r for r, _ in refs)], default=0)
            last_col = max([ws.max_column if ws is not None else 0, *(c for _, c in refs)], default=0)
            rows = {r for r in s.hidden_rows if r <= last_row} - (
                {r for r, d in ws.row_dimensions.items() if d.hidden} if ws is not None else set())
            cols = {column_index_from_string(c) for c in s.hidden_cols} - (
                {column_index_from_string(c) for c, d in ws.column_dimensions.items() if d.hidden}
                if ws is not None else set())
            for a, b in _runs(rows):
                cmp.add("hidden_rows", s.name, f"{a}:{b}", None, None,
                        f"แถว {a if a == b else f'{a}–{b}'} ของรายงาน {s.name} ถูกซ่อน ข้อมูลในแถวนี้จะไม่ปรากฏในเอกสารที่พิมพ์",
                        f"row{'' if a == b else 's'} {a if a == b else f'{a}–{b}'} of report {s.name} hidden: left "
                        "out of the printout")
            for a, b in _runs({c for c in cols if c <= last_col}):
                span = column_letter(a) if a == b else f"{column_letter(a)}–{column_letter(b)}"
                cmp.add("hidden_rows", s.name, f"{column_letter(a)}:{column_letter(b)}", None, None,
                        f"คอลัมน์ {span} ของรายงาน {s.name} ถูกซ่อน ข้อมูลในคอลัมน์นี้จะไม่ปรากฏในเอกสารที่พิมพ์",
                        f"column{'' if a == b else 's'} {span} of report {s.name} hidden: left out of the printout")
            if ws is not None:
                _check_sizes(cmp, s, ws, set(s.hidden_rows), {column_index_from_string(c) for c in s.hidden_cols})
            if s.name in REPORT_SHEETS:
                _check_drawings(cmp, s)
            for name in sorted(s.local_names):
                cmp.add("name_changed", s.name, None, name, None,
                        f"มีชื่อที่กำหนด {name} เฉพาะชีต {s.name} ซึ่งสูตรในชีตนี้จะใช้แทนชื่อของสมุดงาน",
                        f"name {name} is defined on sheet {s.name} itself: the sheet's formulas use it instead of "
                        "the workbook's", name=name)
            if ws is not None and s.print_area and ws.print_area:
                _check_print_area(cmp, s, ws)
            if ws is not None:
                _check_merges(cmp, s, ws)
                template = {str(r.sqref).upper() for r in ws.conditional_formatting}
                for rng in sorted(s.conditional - template):
                    cmp.add("hidden_value", s.name, rng.split()[0].split(":")[0] if rng.strip() else None, rng or None, None,
                            f"รายงาน {s.name} มีการจัดรูปแบบตามเงื่อนไขที่แม่แบบไม่มี ({rng}) ซึ่งเปลี่ยนการแสดงค่าได้ "
                            "(เช่น ตัวอักษรสีขาว)",
                            f"report {s.name} has conditional formatting the template does not ({rng}): it can "
                            "change how values show (white text, say)")
        for code in sorted(s.claims - {s.name}):
            if code not in REPORT_SHEETS:
                continue
            where = ("ก่อนชีตรายงานจริง" if s.position < position.get(code, s.position)
                     else "หลังชีตรายงานจริง") if code in position else "โดยไม่มีชีตรายงานจริง"
            cmp.add("duplicate_report", s.name, None, s.name, code,
                    f"ชีต {s.name} อ้างว่าเป็นรายงาน {code} อีกชุดหนึ่ง ({where}): ตรวจเฉพาะชีต {code}",
                    f"sheet {s.name} claims to be report {code} as well "
                    f"({'placed before' if code in position and s.position < position[code] else 'besides'} "
                    f"the real one): only sheet {code} is audited")
        if s.name.casefold() not in allowed and not (s.claims - {s.name}):
            cmp.add("extra_sheet", s.name, None, s.state, None,
                    f"ชีต {s.name} ไม่อยู่ในชุดชีตของแม่แบบ ({'ซ่อนอยู่' if s.state != 'visible' else 'แสดงอยู่'})",
                    f"sheet {s.name} is not one of the template's sheets"
                    f"{' (hidden)' if s.state != 'visible' else ''}", "warning")


# --- what LibreOffice shows after recalculating ---------------------------------------------------


def recalculated_reports(path: str | Path) -> ReportSheets:
    """The report sheets of workbook ``path`` after headless LibreOffice recalculated every formula.

    LibreOffice opens a copy with a fresh profile (macros are not run, links not updated); raises
    :class:`~cplkpi.scoring.errors.CplError` when LibreOffice is missing or fails.
    """
    import tempfile

    from cplkpi.office import OfficeError, recalculate, soffice
    from cplkpi.scoring.errors import CplError

    if soffice() is None:
        raise CplError("การคำนวณใหม่ต้องใช้ LibreOffice แต่ไม่พบในเครื่อง (--recalc needs LibreOffice: "
                       "apt-get install -y --no-install-recommends libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory(prefix="cplkpi-audit-") as tmp:
        try:
            copy = recalculate(path, Path(tmp) / "recalculated.xlsx")
        except OfficeError as exc:
            raise CplError(f"LibreOffice คำนวณไฟล์ {Path(path).name} ใหม่ไม่ได้ (could not recalculate): {exc}") from exc
        return read_report_sheets(copy, READ_SHEETS, checked=True)


def _compare_recalculated(cmp: _Comparer, sheet: str, recalculated: ReportSheets, ws: Any,
                          cache: dict[str, Any]) -> None:
    """Each formula's value after recalculation against what the report must show (the engine's)."""
    for ref, c in sorted(recalculated.cells.get(sheet, {}).items(), key=lambda x: _split(x[0])):
        if c.formula is None:
            continue
        row, col = _split(ref)
        tc = ws._cells.get((row, col))
        template_formula = tc is not None and isinstance(tc.value, str) and tc.value.startswith("=")
        if template_formula and ref not in cache:
            continue
        want = cache[ref] if template_formula else (_expected(ws, ref) if tc is not None else None)
        if _same(c.value, want):
            continue
        cmp.add("recalculated_differs", sheet, ref, c.value, want,
                f"เมื่อคำนวณใหม่ เซลล์ {ref} แสดง {_say(c.value)} แต่ที่ถูกต้องคือ {_say(want)}",
                f"after recalculation {ref} shows {_say_en(c.value)}, it must show {_say_en(want)}")


# --- the entry point -------------------------------------------------------------------------


def compare_reports(fig: Any, reports: ReportSheets, book: ComplaintWorkbook,
                    recalculated: ReportSheets | None = None) -> list[Finding]:
    """Every finding of the submitted reports against the recomputed ones (``fig``: the month's figures).

    Own comparisons first; the validator's findings follow, without those already reported for the
    same cell and kind. ``recalculated``: the same sheets after LibreOffice recalculated the file
    (:func:`recalculated_reports`); every formula's value there is compared with the engine's.
    """
    from .reports import render_r001, render_r003

    cmp = _Comparer(reports)
    for title in REPORT_SHEETS:
        if title not in reports.cells:
            cmp.add("report_missing", title, None, None, None, f"ไม่พบชีตรายงาน {title} ในไฟล์ที่ส่ง",
                    f"the submitted file has no {title} sheet")
    rendered: dict[str, Any] = {}
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
            _compare_recalculated(cmp, title, recalculated, ws, caches[title])
    for title in READ_SHEETS:
        if title in reports.cells:
            cmp.scan_formulas(title, rendered.get(title))
            _check_formats(cmp, title, rendered.get(title))
    infos = {s.name: s for s in reports.sheets or ()}
    for title, ws in rendered.items():  # CPL_R001's table rows move with the data: its header part only
        _check_texts(cmp, title, ws, ws.max_row if title == layout.R003_SHEET else layout.R001_FIRST_ROW - 1,
                     infos.get(title))
    if layout.R001_SHEET in rendered:
        _check_rows_without_id(cmp, rendered[layout.R001_SHEET])
    if reports.sheets is not None:
        _structure_findings(cmp, reports.sheets, rendered)
    extra: list[Finding] = []
    if any(t in reports.cells for t in REPORT_SHEETS):
        extra += _validator_findings(reports, fig.rules, fig.month)
    rows = narrative_rows(reports)
    if rows:
        extra += _compare_narrative(cmp, rows, fig, book)
    seen = {(f.kind, f.sheet, f.cell) for f in cmp.findings}
    differs = {(f.sheet, _row(f.cell)) for f in cmp.findings if f.kind == "figure_differs"}
    return cmp.findings + [f for f in extra if (f.kind, f.sheet, f.cell) not in seen
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
    return f.kind == "month_copied" and f.severity == "warning" and (f.sheet, _row(f.cell)) not in differs
