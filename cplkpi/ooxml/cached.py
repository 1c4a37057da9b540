"""Formula cells that carry their values: write an .xlsx whose formulas have cached results.

openpyxl writes a formula cell as ``<f>…</f><v/>``: no cached value. Excel
recalculates such a file when it opens it, but anything that reads values
only (python-calamine, openpyxl ``data_only=True``, a committee's script, a
file previewer) sees empty cells. The report job therefore stores, for every
formula cell, the figure the Python engine computed, as the formula's cached
value, and asks Excel to recalculate on load (``fullCalcOnLoad``): the file
reads the same in every tool, and a recalculation that disagrees with the
engine is a bug the tests catch (they poison the cache and recalculate with
LibreOffice).

Large sheets (a CPL_R001 with thousands of open complaints) are serialised
here rather than by openpyxl's element-per-cell writer, which is ten times
slower: the cells are taken out of the sheet while openpyxl writes the rest
of the file, written as ``<sheetData>`` directly (same types, styles, inline
strings and row attributes as openpyxl), and put back.
"""

from __future__ import annotations

import datetime as _dt
import functools
import io
import math
import os
import re
import zipfile
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.utils.datetime import to_excel
from openpyxl.workbook.properties import CalcProperties
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.ooxml.cells import cell, column_letter, escape, row
from cplkpi.ooxml.scan import DIMENSION, FORMULA_WITHOUT_VALUE, SHEET_DATA
from cplkpi.scoring.thaidate import excel_serial
from cplkpi.xlsx import reproducible_zip, stamp_reproducible, write_bytes_atomic

from .parts import sheet_parts

__all__ = ["CachedValues", "save_with_values", "workbook_bytes"]

#: sheet title → {cell reference → cached value}; ``""``/None is an empty-text result.
CachedValues = Mapping[str, Mapping[str, Any]]



def _value_xml(value: Any) -> tuple[str, str]:
    """(type attribute, escaped ``<v>`` content) of a cached value."""
    if value is None or value == "":
        return "str", ""
    if isinstance(value, bool):
        return "b", "1" if value else "0"
    if isinstance(value, _dt.date):
        return "", str(excel_serial(value))
    if isinstance(value, int):
        return "", str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ValueError(f"cannot cache a non-finite value {value!r}")
        return "", repr(value)
    if isinstance(value, str):
        return "str", escape(value)
    raise TypeError(f"cannot cache a {type(value).__name__} value {value!r}")


def _inject(xml: bytes, values: Mapping[str, Any], sheet: str) -> bytes:
    missing: list[str] = []

    def repl(m: re.Match[bytes]) -> bytes:
        ref = m[1].decode()
        if ref not in values:
            missing.append(ref)
            return m[0]
        t, v = _value_xml(values[ref])
        return cell(ref, v, t=t, style=m[2].decode("utf-8"), f=m[3].decode("utf-8"), escaped=True).encode("utf-8")

    out = FORMULA_WITHOUT_VALUE.sub(repl, xml)
    if missing:
        raise KeyError(f"sheet {sheet!r}: no cached value for formula cells {', '.join(missing[:20])}")
    return out


#: Sheets with more cells than this are serialised by :func:`_sheet_data` instead of openpyxl.
FAST_SHEET_CELLS = 5000


def _cell_xml(c: Cell | MergedCell, epoch: _dt.datetime, style_ids: dict[tuple[int, ...], str]) -> str | None:
    """One ``<c>`` element as openpyxl writes it (None for an empty unstyled cell)."""
    value, t = c.value, c.data_type
    style = ""
    if c.has_style:
        key = tuple(c._style)  # type: ignore[union-attr]  # openpyxl's style array (no public name): the key of a style, unregistered
        style = style_ids.get(key) or style_ids.setdefault(key, f' s="{c.style_id}"')
    ref = c.coordinate
    if value is None or value == "":
        return cell(ref, style=style) if style else None
    if t == "f":
        return cell(ref, style=style, f=str(value)[1:])
    if t == "s":
        text = str(value)
        return cell(ref, style=style, text=text, preserve=text != text.strip())
    if t == "d":
        assert isinstance(value, _dt.date | _dt.time | _dt.timedelta)  # openpyxl's type "d"
        return cell(ref, str(_serial(value, epoch)), t="n", style=style, escaped=True)
    if t == "b":
        return cell(ref, "1" if value else "0", t="b", style=style, escaped=True)
    if t == "n":
        return cell(ref, repr(value) if isinstance(value, float) else str(value), t="n", style=style, escaped=True)
    return cell(ref, str(value), t=t, style=style)


@functools.lru_cache(maxsize=4096)
def _serial(value: _dt.date | _dt.time | _dt.timedelta, epoch: _dt.datetime) -> Any:  # to_excel is untyped
    return to_excel(value, epoch)


def _sheet_data(ws: Worksheet, cells: dict[tuple[int, int], Cell | MergedCell], epoch: _dt.datetime) -> tuple[bytes, str]:
    """``<sheetData>`` of ``cells`` (taken out of ``ws``) and the sheet's dimension reference."""
    rows: dict[int, list[str]] = {}
    style_ids: dict[tuple[int, ...], str] = {}
    for (r, _c), c in sorted(cells.items()):
        xml = _cell_xml(c, epoch, style_ids)
        if xml is not None:
            rows.setdefault(r, []).append(xml)
    for r in ws.row_dimensions.keys() - rows.keys():
        rows[r] = []
    out = ["<sheetData>"]
    for r in sorted(rows):
        attrs = "".join(f' {k}="{v}"' for k, v in ws.row_dimensions.get(r, {}))
        out.append(row(r, "".join(rows[r]), attrs))
    out.append("</sheetData>")
    rs = [r for r, _ in cells] or [1]
    cs = [c for _, c in cells] or [1]
    dimension = f"{column_letter(min(cs))}{min(rs)}:{column_letter(max(cs))}{max(rs)}"
    return "".join(out).encode("utf-8"), dimension


def _plain_cell(c: Cell | MergedCell) -> bool:
    """A cell :func:`_cell_xml` writes exactly: no comment, link, rich text or array/table formula."""
    if c.comment is not None or c.hyperlink:
        return False
    value = c.value
    return value is None or isinstance(value, str | int | float | _dt.date | _dt.time | _dt.timedelta)


def _detach_big_sheets(wb: Workbook) -> dict[str, dict[tuple[int, int], Cell | MergedCell]]:
    """Take the cells out of sheets too big for openpyxl's writer (only sheets of plain cells)."""
    out = {}
    for ws in wb.worksheets:
        if len(ws._cells) <= FAST_SHEET_CELLS:
            continue
        if not all(_plain_cell(c) for c in ws._cells.values()):
            continue
        out[ws.title] = ws._cells
        ws._cells = {}
    return out




def _constant(data: bytes) -> Callable[[re.Match[bytes]], bytes]:
    """A replacement for :func:`re.sub` that puts ``data`` in as it is (no backslash processing)."""
    return lambda _m: data


def workbook_bytes(wb: Workbook, values: CachedValues, *, reproducible: bool = True) -> bytes:
    """The .xlsx bytes of ``wb`` with ``values`` cached in its formula cells.

    Every formula cell of every sheet named in ``values`` must have a value
    (a :class:`KeyError` names the ones missing): a figure without an engine
    counterpart would be a figure nobody checked. The workbook is marked for a
    full recalculation when Excel opens it.
    """
    if wb.calculation is None:  # valid OOXML: a workbook written without <calcPr>
        wb.calculation = CalcProperties()
    wb.calculation.fullCalcOnLoad = True
    if reproducible:
        stamp_reproducible(wb)
    buf = io.BytesIO()
    detached = _detach_big_sheets(wb)
    try:
        # before saving: a cell's style_id registers its style, which the saved stylesheet must hold
        written = {title: _sheet_data(wb[title], cells, wb.epoch) for title, cells in detached.items()}
        wb.save(buf)
    finally:
        for title, cells in detached.items():
            wb[title]._cells = cells
    data = buf.getvalue()
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        parts = {name: part for name, (part, _) in sheet_parts(z).items()}
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        by_part = {parts[s]: s for s in values}
        fast = {parts[s]: s for s in written}
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename in fast:
                sheet_data, dimension = written[fast[info.filename]]
                content = SHEET_DATA.sub(_constant(sheet_data), content, count=1)
                content = DIMENSION.sub(f'<dimension ref="{dimension}" />'.encode(), content, count=1)
            if info.filename in by_part:
                content = _inject(content, values[by_part[info.filename]], by_part[info.filename])
            dst.writestr(info, content)
    data = out.getvalue()
    return reproducible_zip(data) if reproducible else data


def save_with_values(wb: Workbook, path: str | os.PathLike[str], values: CachedValues, *,
                     reproducible: bool = True) -> Path:
    """Write ``wb`` atomically to ``path`` with cached formula values (see :func:`workbook_bytes`)."""
    return write_bytes_atomic(workbook_bytes(wb, values, reproducible=reproducible), path)
