"""Reading submitted report sheets, and what they say through their defined names.

:func:`read_reports` reads the CPL_R003/CPL_R001 (and progress-form) sheets of one or more files;
:func:`reported_month`, :func:`month_signals`, :func:`reported_as_of` and :func:`reported_agency` read
the month, the as-of date and the agency the reports state, through the workbook-level defined names
of ``templates/LAYOUT.md`` (the layout's addresses when a name is missing).
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path
from typing import Any

from openpyxl.utils.cell import column_index_from_string, coordinate_from_string
from openpyxl.utils.exceptions import CellCoordinatesException

from cplkpi.importers.writer import EVENTS_SHEET
from cplkpi.importers.writer import SUMMARY_SHEET as IMPORT_SUMMARY
from cplkpi.scoring.coverage import COVERAGE_SHEET_NAMES
from cplkpi.scoring.tables import SHEETS
from cplkpi.scoring.thaidate import fiscal_months, fiscal_year, parse_date
from cplkpi.templates import layout

from .audit_sample import SUMMARY_SHEET as SAMPLE_SUMMARY
from .audit_source import Cell, ReportSheets, SheetInfo, read_report_sheets
from .audit_submission import NARRATIVE_SHEET, REPORT_SHEETS

__all__ = [
    "READ_SHEETS",
    "expected_sheets",
    "month_signals",
    "read_reports",
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
    sheets: list[SheetInfo] = []
    out = ReportSheets(source=", ".join(Path(p).name for p in paths), sheets=sheets)
    for p in paths:
        part = read_report_sheets(p, READ_SHEETS, checked=checked, known=expected_sheets())
        out.cells.update(part.cells)
        out.formats.update(part.formats)
        out.looks.update(part.looks)
        out.names.update({k: v for k, v in part.names.items() if k.startswith(("R003_", "R001_"))})
        out.name_texts.update({k: v for k, v in part.name_texts.items() if k.startswith(("R003_", "R001_"))})
        sheets += [s for s in part.sheets or () if whole or s.name in READ_SHEETS or s.claims]
    return out


# --- reading through the names ---------------------------------------------------------


def split_ref(ref: str) -> tuple[int, int]:
    """(row, column) of a cell reference, ``$`` signs allowed: ``$E$8`` → (8, 5)."""
    letters, row = coordinate_from_string(ref)
    return row, column_index_from_string(letters)


def name_offset(reports: ReportSheets, name: str, sheet: str, layout_ref: str) -> tuple[int, int] | None:
    """(rows, columns) the submitted name is moved from the layout; None when the name is missing.

    A name pointing at another sheet counts as moved far away.
    """
    if name not in reports.names:
        return None
    if reports.names[name][0] != sheet:
        return (1 << 20, 1 << 14)
    r0, c0 = split_ref(layout_ref.split(":")[0])
    try:
        r1, c1 = split_ref(reports.names[name][1].replace("$", "").split(":")[0])
    except (CellCoordinatesException, ValueError):  # a whole row or column ($L:$L): no cell of the layout
        return (1 << 20, 1 << 14)
    return r1 - r0, c1 - c0


def value_at(reports: ReportSheets, sheet: str, ref: str) -> Cell:
    return reports.cells.get(sheet, {}).get(ref, Cell(None))


def _named_value(reports: ReportSheets, name: str, sheet: str, layout_ref: str) -> Any:
    """The value at a name's layout address: a moved or deleted name is a finding, never a new address."""
    return value_at(reports, sheet, layout_ref).value


def reported_month(reports: ReportSheets) -> _dt.date | None:
    """The report month the submission states (``R003_MONTH``, else ``R001_MONTH``)."""
    for name, sheet, names in (("R003_MONTH", layout.R003_SHEET, layout.R003_NAMES),
                               ("R001_MONTH", layout.R001_SHEET, layout.R001_NAMES)):
        d = as_date(_named_value(reports, name, sheet, names[name]))
        if d is not None:
            return d.replace(day=1)
    return None


def month_signals(reports: ReportSheets) -> list[tuple[str, str, _dt.date]]:
    """Every cell of the submitted reports that tells the report month: (sheet, cell, month).

    CPL_R003: the month (``C4``), the period end (``F3``), the monthly-table row the month summary's
    formula points at (``E8`` = ``=E18`` → the sixth fiscal month) and the last month row holding a
    received count; CPL_R001: its month (``K3``) and period end (``F4``).
    """
    out: list[tuple[str, str, _dt.date]] = []
    r3, r1 = layout.R003_SHEET, layout.R001_SHEET
    for sheet, names, keys in ((r3, layout.R003_NAMES, ("R003_MONTH", "R003_PERIOD_END")),
                               (r1, layout.R001_NAMES, ("R001_MONTH", "R001_PERIOD_END"))):
        for key in keys:
            d = as_date(value_at(reports, sheet, names[key]).value)
            if d is not None:
                out.append((sheet, names[key], d.replace(day=1)))
    start = as_date(value_at(reports, r3, layout.R003_NAMES["R003_PERIOD_START"]).value)
    if start is not None and r3 in reports.cells:
        months = fiscal_months(int(fiscal_year(start)))
        col = layout.R003_MONTH_COLS["received"]
        ref = layout.R003_NAMES["R003_RECEIVED_MONTH"]
        f = value_at(reports, r3, ref).formula
        m = re.fullmatch(rf"=\$?{col}\$?(\d+)", (f or "").replace(" ", ""), re.I)
        if m and int(m[1]) in layout.MONTH_ROWS:
            out.append((r3, ref, months[int(m[1]) - layout.MONTH_ROWS[0]]))
        filled = [r for r in layout.MONTH_ROWS if not is_empty(value_at(reports, r3, f"{col}{r}").value)]
        if filled:
            out.append((r3, f"{col}{filled[-1]}", months[filled[-1] - layout.MONTH_ROWS[0]]))
    return out


def reported_as_of(reports: ReportSheets) -> _dt.date | None:
    """The evaluation date the submission states (``R003_AS_OF``, else ``R001_AS_OF``)."""
    for name, sheet, names in (("R003_AS_OF", layout.R003_SHEET, layout.R003_NAMES),
                               ("R001_AS_OF", layout.R001_SHEET, layout.R001_NAMES)):
        d = as_date(_named_value(reports, name, sheet, names[name]))
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


def as_date(v: Any) -> _dt.date | None:
    """A reported date as written (a date, a serial number or Thai text), None when unreadable."""
    try:
        return parse_date(v)
    except (ValueError, TypeError, OverflowError):
        return None


def is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, str) and not v.strip())


def expected_sheets() -> frozenset[str]:
    """The sheet names a submitted workbook may hold: the complaint workbook's (with their accepted
    aliases, and the sheets ``cplkpi import`` adds, its coverage sheet included), the sample summary, the two reports and the progress form."""
    names = {n for name, aliases in SHEETS.values() for n in (name, *aliases)}
    return frozenset({*names, EVENTS_SHEET, IMPORT_SUMMARY, *COVERAGE_SHEET_NAMES, SAMPLE_SUMMARY, *READ_SHEETS})
