"""The committed templates: rebuilt byte for byte, named, printable, documented."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from openpyxl import load_workbook

from cplkpi.templates import layout
from cplkpi.templates.build import add_r003_charts, build_all
from cplkpi.xlsx import THAI_FONT

LAYOUT_MD = Path(layout.__file__).with_name("LAYOUT.md")


def test_templates_rebuild_byte_for_byte(tmp_path):
    for built in build_all(tmp_path):
        committed = layout.template_path(built.name)
        assert built.read_bytes() == committed.read_bytes(), (
            f"{committed.name} differs from templates/build.py: run python -m cplkpi.templates.build")


@pytest.mark.parametrize(("file", "sheet", "names"), [
    (layout.R003_FILE, layout.R003_SHEET, layout.R003_NAMES),
    (layout.R001_FILE, layout.R001_SHEET, layout.R001_NAMES),
])
def test_every_figure_and_table_has_a_defined_name(file, sheet, names):
    wb = load_workbook(layout.template_path(file))
    for name, ref in names.items():
        dests = list(wb.defined_names[name].destinations)
        assert dests == [(sheet, re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", ref))], name


@pytest.mark.parametrize("file", [layout.R003_FILE, layout.R001_FILE])
def test_print_setup(file):
    ws = load_workbook(layout.template_path(file)).worksheets[0]
    assert int(ws.page_setup.paperSize) == 9 and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.sheet_properties.pageSetUpPr.fitToPage
    assert ws.print_title_rows and "&P" in ws.oddFooter.center.text and "&N" in ws.oddFooter.center.text
    assert {c.font.name for row in ws.iter_rows() for c in row if c.value is not None} == {THAI_FONT}


def test_template_formulas_are_the_shared_ones():
    ws = load_workbook(layout.template_path(layout.R003_FILE))[layout.R003_SHEET]
    r = layout.MONTH_ROWS[3]
    for key, formula in layout.month_formulas(r).items():
        assert ws[f"{layout.R003_MONTH_COLS[key]}{r}"].value == formula
    r = layout.COMPONENT_ROWS[0]
    assert ws[f"J{r}"].value == layout.component_formulas(r, monthly=False)["score"]
    assert ws[f"J{r}"].value == ('=IF(A29="","",IF(N(H29)=0,F29,IF(I29>=R003_THRESHOLD,F29,'
                                 'ROUND(I29*F29/R003_THRESHOLD,4))))')
    assert ws["H9"].value == '=IF(N(E9)=0,"",ROUND(F9*100/E9,2))'


def test_layout_md_documents_every_name():
    text = LAYOUT_MD.read_text(encoding="utf-8")
    for name, ref in {**layout.R003_NAMES, **layout.R001_NAMES}.items():
        assert f"`{name}`" in text, name
        if ":" not in ref and name != "R003_CHARTS":
            assert re.search(rf"`{name}` \| {ref} \|", text), f"{name} should be documented at {ref}"


def test_a_rendered_r003_draws_the_templates_two_charts_once(tmp_path):
    """openpyxl keeps the template's charts when it loads it: rendering must not draw them a second time."""
    import zipfile

    from cplkpi.ooxml.drawings import sheet_drawings
    from cplkpi.ooxml.parts import sheet_parts

    wb = load_workbook(layout.template_path(layout.R003_FILE))
    add_r003_charts(wb[layout.R003_SHEET])
    wb.save(tmp_path / "r.xlsx")
    with zipfile.ZipFile(tmp_path / "r.xlsx") as zf:
        drawn = sheet_drawings(zf, sheet_parts(zf)[layout.R003_SHEET][0])
    assert [(d.kind, d.cell, d.sources[-1]) for d in drawn] == [
        ("chart", "A54", "cpl_r003!f13:f24"), ("chart", "I54", "cpl_r003!i29:i36")]
