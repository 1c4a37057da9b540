"""Writing the filled reports: cached formula values, and the fast writer for big sheets."""

from __future__ import annotations

import datetime as _dt
from io import BytesIO

import pytest
from openpyxl import Workbook, load_workbook

from cplkpi.macros.reports import compute_figures, render_r001, render_r003
from cplkpi.ooxml import cached as cache


@pytest.fixture(scope="module")
def rendered(sample_book):
    fig = compute_figures(sample_book, "2563-09")
    return render_r001(fig), render_r003(fig)


def _snapshot(data: bytes) -> dict:
    out = {}
    for data_only in (False, True):
        wb = load_workbook(BytesIO(data), data_only=data_only)
        for ws in wb.worksheets:
            for row in ws.iter_rows():
                for c in row:
                    out[(data_only, ws.title, c.coordinate)] = (
                        c.value, c.data_type, c.number_format, c.font.name, c.font.b, c.font.color and c.font.color.rgb,
                        c.border.left.style, c.fill.fgColor.rgb, c.alignment.wrap_text, c.quotePrefix)
            out[(data_only, ws.title, "dims")] = (
                {r: (d.height, d.hidden) for r, d in ws.row_dimensions.items() if d.height or d.hidden},
                sorted(str(m) for m in ws.merged_cells.ranges), ws.print_area, ws.print_title_rows,
                ws.calculate_dimension())
        out[(data_only, "names")] = {n: d.attr_text for n, d in wb.defined_names.items()}
    return out


@pytest.mark.parametrize("which", [0, 1])
def test_fast_writer_writes_what_openpyxl_writes(rendered, which, monkeypatch):
    wb, values, _ = rendered[which]
    monkeypatch.setattr(cache, "FAST_SHEET_CELLS", 10**9)
    slow = cache.workbook_bytes(wb, values)
    monkeypatch.setattr(cache, "FAST_SHEET_CELLS", 0)
    fast = cache.workbook_bytes(wb, values)
    assert _snapshot(fast) == _snapshot(slow)
    assert slow != fast  # really two different writers
    # the cells are back in the workbook after writing
    assert len(wb.worksheets[0]._cells) > 100


def test_every_formula_needs_an_engine_value():
    wb = Workbook()
    ws = wb.active
    ws["A1"], ws["A2"], ws["A3"] = 1, "=A1*2", "=A1*3"
    with pytest.raises(KeyError, match="A3"):
        cache.workbook_bytes(wb, {ws.title: {"A2": 2}})
    data = cache.workbook_bytes(wb, {ws.title: {"A2": 2, "A3": "x"}})
    values = load_workbook(BytesIO(data), data_only=True).active
    assert (values["A2"].value, values["A3"].value) == (2, "x")


def test_cached_types_and_text(monkeypatch):
    monkeypatch.setattr(cache, "FAST_SHEET_CELLS", 0)
    wb = Workbook()
    ws = wb.active
    ws["A1"] = "=1"
    ws["A2"] = "=2"
    ws["A3"] = "=3"
    ws["B1"] = " เว้นวรรค <&> "
    ws["B2"] = _dt.date(2020, 9, 30)
    ws["B3"] = True
    data = cache.workbook_bytes(wb, {ws.title: {"A1": 99.89, "A2": _dt.date(2020, 9, 30), "A3": 'ร้อยละ "<&>"'}})
    values = load_workbook(BytesIO(data), data_only=True).active
    assert [values[r].value for r in ("A1", "A3", "B1", "B3")] == [99.89, 'ร้อยละ "<&>"', " เว้นวรรค <&> ", True]
    assert values["A2"].value == 44104 and values["B2"].value == _dt.datetime(2020, 9, 30)
