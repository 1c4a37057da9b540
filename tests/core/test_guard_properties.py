"""Property of the size guard (hypothesis): hostile sheet XML never gets a grid past the limits to the reader.

Sheets are generated as rows of cells, each cell with or without a reference, with or without a
value, far away or near, under any declared dimension, then written every way the XML (and the
reader, python-calamine) allows:
either quote, any case of the column letters, whitespace around ``=``, a namespace prefix, ``r``
first or last, empty cells self-closing or not, the part behind a relationship target in another
case, absolute or under another folder. The expected grid is worked out here from the generated
cells, the way the reader places them (a cell without ``r`` takes its row's number, else the row
after the previous one, and the column after the previous cell); small accepted sheets are also
read with python-calamine to check that this model is the reader's.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cplkpi.guard import MAX_CELLS, MAX_ROWS, check_workbook_file
from cplkpi.scoring.errors import InputError, column_letter

NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG = "http://schemas.openxmlformats.org/package/2006/relationships"

#: (relationship target, zip member) pairs that the reader follows to the same part
TARGETS = [
    ("worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"),
    ("WORKSHEETS/Sheet1.XML", "xl/worksheets/sheet1.xml"),
    ("/xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"),
    ("xl/worksheets/sheet1.xml", "xl/worksheets/sheet1.xml"),
    ("worksheets/sheet1.xml", "XL/Worksheets/SHEET1.xml"),
    ("data/part.xml", "xl/data/part.xml"),
    ("/xl/DATA/part.xml", "xl/data/part.xml"),
]
FAR = [(299_999, 26), (300_000, 1), (300_001, 1), (250_000, 1000), (1_048_576, 16_384), (9, 16_384),
       (20_000, 600), (5, 20_000), (10_000, 1000), (100_000, 100), (100_000, 101)]
coords = st.one_of(st.tuples(st.integers(1, 60), st.integers(1, 40)), st.sampled_from(FAR))
cells = st.lists(st.fixed_dictionaries({"ref": st.one_of(st.none(), coords), "value": st.booleans()}), max_size=4)
rows = st.lists(st.fixed_dictionaries({
    "r": st.one_of(st.none(), st.integers(1, 60), st.sampled_from([299_999, 300_000, 1_048_576])),
    "cells": cells,
    "blank": st.integers(0, 3),  # empty cells without r before the others: they move the column on
}), max_size=5)
styles = st.fixed_dictionaries({
    "quote": st.sampled_from(['"', "'"]),
    "eq": st.sampled_from(["=", " = ", "=\n", "\t="]),
    "lower": st.booleans(),
    "prefix": st.sampled_from(["", "x:"]),
    "r_last": st.booleans(),
    "empty_pair": st.booleans(),
    "target": st.sampled_from(TARGETS),
    # the declared used range: not what the reader builds (a stale or hostile one changes nothing)
    "dimension": st.sampled_from([None, "A1", "A1:XFD1048576", "a1:zz99", "B2:IV300000"]),
})


def _letters(col: int, lower: bool) -> str:
    return column_letter(col).lower() if lower else column_letter(col)


def render(sheet: list[dict], style: dict) -> str:
    """The sheet part's XML for the generated rows, in the generated style."""
    q, eq, p = style["quote"], style["eq"], style["prefix"]

    def attrs(ref: str | None) -> str:
        parts = [f" s{eq}{q}1{q}"]
        if ref is not None:
            parts.insert(len(parts) if style["r_last"] else 0, f" r{eq}{q}{ref}{q}")
        return "".join(parts)

    def cell(ref: str | None, value: bool) -> str:
        if value:
            return f"<{p}c{attrs(ref)}><{p}v>1</{p}v></{p}c>"
        return f"<{p}c{attrs(ref)}></{p}c>" if style["empty_pair"] else f"<{p}c{attrs(ref)}/>"

    out = []
    for row in sheet:
        r = "" if row["r"] is None else f" r{eq}{q}{row['r']}{q}"
        body = "".join(cell(None, False) for _ in range(row["blank"]))
        for c in row["cells"]:
            ref = None if c["ref"] is None else f"{_letters(c['ref'][1], style['lower'])}{c['ref'][0]}"
            body += cell(ref, c["value"])
        out.append(f"<{p}row{r}>{body}</{p}row>")
    dim = "" if style["dimension"] is None else f"<{p}dimension ref{eq}{q}{style['dimension']}{q}/>"
    return (f'<?xml version="1.0" encoding="UTF-8"?><{p}worksheet xmlns="{NS}" xmlns:x="{NS}">'
            f'{dim}<{p}sheetData>{"".join(out)}</{p}sheetData></{p}worksheet>')


def reader_grid(sheet: list[dict], *, count_empty: bool = False) -> tuple[int, int]:
    """(rows, columns) of the grid the reader builds: up to the last cell with a value (1-based)."""
    row_index = col_index = 0
    last_row = last_col = 0
    for row in sheet:
        if row["r"] is not None:
            row_index = row["r"] - 1
        col_index += row["blank"]
        for c in row["cells"]:
            if c["ref"] is not None:
                r, col = c["ref"][0] - 1, c["ref"][1] - 1
                col_index = col
            else:
                r, col = row_index, col_index
            col_index += 1
            if c["value"] or (count_empty and c["ref"] is not None):
                last_row, last_col = max(last_row, r + 1), max(last_col, col + 1)
        row_index += 1
        col_index = 0
    return last_row, last_col


def write(path: Path, xml: str, target: str, member: str) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", '<Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                    'content-types"><Default Extension="xml" ContentType="application/xml"/></Types>')
        zf.writestr("_rels/.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                    f'Type="{REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>')
        zf.writestr("xl/workbook.xml", f'<workbook xmlns="{NS}" xmlns:r="{REL}"><sheets><sheet name="S" '
                    'sheetId="1" r:id="rId1"/></sheets></workbook>')
        zf.writestr("xl/_rels/workbook.xml.rels", f'<Relationships xmlns="{PKG}"><Relationship Id="rId1" '
                    f'Type="{REL}/worksheet" Target="{target}"/></Relationships>')
        zf.writestr(member, xml)
    return path


def over(grid: tuple[int, int]) -> bool:
    return grid[0] > MAX_ROWS or grid[0] * grid[1] > MAX_CELLS


def off_the_grid(grid: tuple[int, int]) -> bool:
    """A cell with a value beyond Excel's last column XFD (refused as well, with its own message)."""
    return grid[1] > 16_384


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(sheet=rows, style=styles)
def test_the_guard_never_lets_a_grid_past_the_limits_reach_the_reader(tmp_path, sheet, style):
    target, member = style["target"]
    path = write(tmp_path / "hostile.xlsx", render(sheet, style), target, member)
    exact, at_most = reader_grid(sheet), reader_grid(sheet, count_empty=True)
    try:
        check_workbook_file(path)
        refused = None
    except InputError as exc:
        refused = exc.problems[0]
    if over(exact):
        assert refused is not None and refused.code in ("too_many_rows", "sheet_too_large"), (exact, refused)
    elif off_the_grid(exact):
        assert refused is not None and refused.code == "beyond_excel_grid", (exact, refused)
    elif not over(at_most) and not off_the_grid(at_most):
        assert refused is None, (exact, refused)  # nothing within the limits is refused
    if refused is None and exact[0] * exact[1] <= 4000 and member.startswith("xl/worksheets/"):
        from python_calamine import CalamineError, CalamineWorkbook

        try:
            grid = CalamineWorkbook.from_path(str(path)).get_sheet_by_name("S").to_python(skip_empty_area=False)
        except CalamineError:
            return  # the reader refuses this spelling itself, cleanly
        assert (len(grid), max(map(len, grid), default=0)) == exact  # the model is the reader's


@pytest.mark.parametrize("ref", ["XFD1048576", "xfd1048576", "ALL250000", "IV300000"])
def test_a_far_cell_is_refused_however_it_is_quoted(tmp_path, ref):
    for q, eq in (('"', "="), ("'", "="), ('"', " = "), ("'", "\n=\t")):
        xml = f'<worksheet xmlns="{NS}"><sheetData><row><c r{eq}{q}{ref}{q}><v>1</v></c></row></sheetData></worksheet>'
        path = write(tmp_path / "far.xlsx", xml, "worksheets/sheet1.xml", "xl/worksheets/sheet1.xml")
        with pytest.raises(InputError) as exc:
            check_workbook_file(path)
        assert exc.value.problems[0].code in ("too_many_rows", "sheet_too_large")
