"""What LibreOffice shows after recalculating a submitted workbook, against the engine's values.

:func:`recalculated_reports` recalculates a copy headless; every formula whose value there differs from
the engine's is a ``recalculated_differs`` finding.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import Any

from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.office import OfficeError, recalculate, soffice
from cplkpi.scoring.errors import CplError

from .audit_compare import Comparer, expected_at, same_value, shown_en, shown_th
from .audit_reading import READ_SHEETS, split_ref
from .audit_source import ReportSheets, read_report_sheets

__all__ = [
    "recalculated_reports",
]


def recalculated_reports(path: str | Path) -> ReportSheets:
    """The report sheets of workbook ``path`` after headless LibreOffice recalculated every formula.

    LibreOffice opens a copy with a fresh profile (macros are not run, links not updated); raises
    :class:`~cplkpi.scoring.errors.CplError` when LibreOffice is missing or fails.
    """
    if soffice() is None:
        raise CplError("การคำนวณใหม่ต้องใช้ LibreOffice แต่ไม่พบในเครื่อง (--recalc needs LibreOffice: "
                       "apt-get install -y --no-install-recommends libreoffice-calc-nogui)")
    with tempfile.TemporaryDirectory(prefix="cplkpi-audit-") as tmp:
        try:
            copy = recalculate(path, Path(tmp) / "recalculated.xlsx")
        except OfficeError as exc:
            raise CplError(f"LibreOffice คำนวณไฟล์ {Path(path).name} ใหม่ไม่ได้ (could not recalculate): {exc}") from exc
        return read_report_sheets(copy, READ_SHEETS, checked=True)


def compare_recalculated(cmp: Comparer, sheet: str, recalculated: ReportSheets, ws: Worksheet,
                          cache: dict[str, Any]) -> None:
    """Each formula's value after recalculation against what the report must show (the engine's)."""
    for ref, c in sorted(recalculated.cells.get(sheet, {}).items(), key=lambda x: split_ref(x[0])):
        if c.formula is None:
            continue
        row, col = split_ref(ref)
        tc = ws._cells.get((row, col))
        template_formula = tc is not None and isinstance(tc.value, str) and tc.value.startswith("=")
        if template_formula and ref not in cache:
            continue
        want = cache[ref] if template_formula else (expected_at(ws, ref) if tc is not None else None)
        if same_value(c.value, want):
            continue
        cmp.add("recalculated_differs", sheet, ref, c.value, want,
                f"เมื่อคำนวณใหม่ เซลล์ {ref} แสดง {shown_th(c.value)} แต่ที่ถูกต้องคือ {shown_th(want)}",
                f"after recalculation {ref} shows {shown_en(c.value)}, it must show {shown_en(want)}")
