"""The look of the report templates: the report font, borders and fills, and the cell styles the
builders (:mod:`.build`) and the audits' own sheets draw with.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.xlsx import THAI_FONT, odd_page, print_setup

__all__ = ["BORDER", "HEADER_FILL", "LABEL_FILL", "TOTAL_FILL", "data_cells", "font", "header_row", "label",
           "page_setup", "value_cell"]

_THIN = Side(style="thin", color="808080")
BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
TOTAL_FILL = PatternFill("solid", fgColor="F2F2F2")
LABEL_FILL = PatternFill("solid", fgColor="FFF2CC")


def font(size: float | None = 10, bold: bool = False, color: str | None = None) -> Font:
    """The report font (Tahoma) at ``size`` (None: the application's default size)."""
    return Font(name=THAI_FONT, size=size, bold=bold, color=color)


def _style_range(ws: Worksheet, ref: str, **style: Any) -> None:
    for row in ws[ref]:
        for cell in row:
            for key, value in style.items():
                setattr(cell, key, value)


def label(ws: Worksheet, ref: str, text: str, *, bold: bool = True, size: float = 10, merge: str | None = None) -> None:
    ws[ref] = text
    ws[ref].font = font(size, bold)
    ws[ref].alignment = Alignment(vertical="center")
    if merge:
        ws.merge_cells(f"{ref}:{merge}")


def value_cell(ws: Worksheet, ref: str, number_format: str | None = None, merge: str | None = None) -> None:
    cell = ws[ref]
    cell.font = font(10)
    cell.fill = LABEL_FILL
    cell.alignment = Alignment(horizontal="left", vertical="center")
    if number_format:
        cell.number_format = number_format
    if merge:
        ws.merge_cells(f"{ref}:{merge}")
        _style_range(ws, f"{ref}:{merge}", fill=LABEL_FILL)


def header_row(ws: Worksheet, row: int, headers: Mapping[str, str] | Sequence[str], *, height: float = 45,
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


def data_cells(ws: Worksheet, row: int, formats: dict[str, str | None], *, fill: PatternFill | None = None,
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


def page_setup(ws: Worksheet, *, title_rows: str, area: str, code: str, title: str) -> None:
    print_setup(ws, title_rows=title_rows, footer_right="จัดทำโดย cplkpi")
    ws.page_margins.header = ws.page_margins.footer = 0.3
    ws.print_area = area
    header, footer = odd_page(ws)
    header.left.text = f"{code} {title}"
    header.left.size = 8
    header.left.font = THAI_FONT
    footer.center.size = 8
    footer.center.font = THAI_FONT
    footer.right.size = 8
    footer.right.font = THAI_FONT
