"""The one sheet-XML scanner (cplkpi.ooxml.scan) reads the XML as written, not one writer's output."""

from __future__ import annotations

import pytest

from cplkpi.ooxml.scan import DATE1904, scan_sheet, small_numbers

USUAL = (b'<worksheet><sheetData><row r="3" hidden="1"><c r="B3" t="e"><f>1/0</f><v>#DIV/0!</v></c>'
         b'<c r="C3" t="str"><f>TODAY()</f><v>1</v></c><c r="D3"><f>A1</f><v/></c>'
         b'<c r="E3" s="1"><v>0</v></c></row></sheetData><cols><col min="2" max="3" hidden="1"/></cols></worksheet>')
#: the same sheet: single quotes, spaces around '=', a namespace prefix, a line break in a tag, a lower-case reference
ODD = (b"<worksheet><sheetData><row r='3' hidden = 'true'><c r='B3' t='e'><f>1/0</f><v>#DIV/0!</v></c>"
       b'<x:c\nr="c3" t = "str"><x:f>TODAY()</x:f><x:v>1</x:v></x:c><c r = \'D3\'><f>A1</f></c>'
       b"<c s='1' r='E3'><v>0</v></c></row></sheetData><cols><col max = \"3\" min='2' hidden=\"true\"/></cols>"
       b"</worksheet>")


@pytest.mark.parametrize("xml", [USUAL, ODD], ids=["usual", "odd"])
def test_what_the_values_reader_drops(xml):
    scan = scan_sheet(xml)
    assert scan.hidden_rows == [2]
    assert scan.hidden_cols == [1, 2]
    assert scan.errors == {(2, 1): "#DIV/0!"} and scan.errors[(2, 1)].formula == "1/0"
    assert scan.no_value == [(2, 3)]
    assert scan.volatile == [(2, 2, "=TODAY()")]
    assert list(small_numbers(xml)) == [(2, 4, b"0")]


@pytest.mark.parametrize(("xml", "found"), [
    (b'<workbookPr date1904="1"/>', True), (b"<x:workbookPr codeName='a' date1904 = 'true'/>", True),
    (b'<workbookPr date1904="0"/>', False), (b"<workbookPr/>", False),
])
def test_date1904(xml, found):
    assert (DATE1904.search(xml) is not None) is found
