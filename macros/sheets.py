"""Loose library types narrowed in one place: a sheet of a workbook, the bounds of a range, a row label.

``wb.active`` and ``wb[name]`` may be a chart sheet (or nothing), ``range_boundaries`` gives
``None`` for a whole column or row; the audit and the validator only deal with worksheets and
bounded ranges, and these helpers say so once instead of an assert at every use. pandas types an
index label as any hashable; the complaint tables are indexed by Excel row number (:func:`row_number`).
"""

from __future__ import annotations

from collections.abc import Hashable

import numpy as np
from openpyxl.utils.cell import range_boundaries
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

__all__ = ["bounds", "row_number", "worksheet"]


def worksheet(wb: Workbook, name: str | None = None) -> Worksheet:
    """The worksheet ``name`` of ``wb`` (the active one without a name); TypeError for a chart sheet."""
    ws = wb.active if name is None else wb[name]
    if not isinstance(ws, Worksheet):
        raise TypeError(f"ไม่ใช่แผ่นงาน (not a worksheet): {name or 'active sheet'}")
    return ws


def bounds(ref: str) -> tuple[int, int, int, int]:
    """``(min_col, min_row, max_col, max_row)`` of a range or cell (``A13:P24``); ValueError when open-ended."""
    c1, r1, c2, r2 = range_boundaries(ref)
    if c1 is None or r1 is None or c2 is None or r2 is None:
        raise ValueError(f"ช่วงเซลล์ไม่มีขอบเขต (an unbounded range): {ref}")
    return c1, r1, c2, r2


def row_number(label: Hashable) -> int:
    """The index label of a complaint-table row as the Excel row number it is."""
    if isinstance(label, (int, np.integer)):
        return int(label)
    raise TypeError(f"not a row number: {label!r}")
