"""The one cell writer (cplkpi.ooxml.cells): every shape of ``<c>`` the package writes, byte for byte."""

from __future__ import annotations

import pytest

from cplkpi.ooxml.cells import cell, column_letter, escape, number_text, row


@pytest.mark.parametrize(("kwargs", "xml"), [
    ({"v": "3"}, '<c r="B7"><v>3</v></c>'),
    ({"v": "1", "t": "b"}, '<c r="B7" t="b"><v>1</v></c>'),
    ({"v": "2.5", "t": "n", "style": ' s="4"'}, '<c r="B7" s="4" t="n"><v>2.5</v></c>'),
    ({"v": "a<b", "t": "e"}, '<c r="B7" t="e"><v>a&lt;b</v></c>'),
    ({"text": "A & B"}, '<c r="B7" t="inlineStr"><is><t>A &amp; B</t></is></c>'),
    ({"text": " x ", "preserve": True}, '<c r="B7" t="inlineStr"><is><t xml:space="preserve"> x </t></is></c>'),
    ({"f": "SUM(A1:A2)>0"}, '<c r="B7"><f>SUM(A1:A2)&gt;0</f><v /></c>'),
    ({"f": "A1", "v": "POISON", "t": "str"}, '<c r="B7" t="str"><f>A1</f><v>POISON</v></c>'),
    ({"f": "A1&amp;B1", "v": "", "t": "str", "escaped": True}, '<c r="B7" t="str"><f>A1&amp;B1</f><v></v></c>'),
    ({"style": ' s="2"'}, '<c r="B7" s="2"/>'),
])
def test_one_cell_of_each_shape(kwargs, xml):
    assert cell("B7", **kwargs) == xml


@pytest.mark.parametrize(("value", "text"), [(3.0, "3"), (-2, "-2"), (0.1, "0.1"), (44012.5, "44012.5")])
def test_number_text(value, text):
    assert number_text(value) == text


def test_escape_row_and_column_letters():
    assert escape('<a href="x">&</a>') == '&lt;a href="x"&gt;&amp;&lt;/a&gt;'
    assert row(5, "<c/>", ' ht="20"') == '<row r="5" ht="20"><c/></row>'
    assert [column_letter(i) for i in (1, 26, 27, 16384)] == ["A", "Z", "AA", "XFD"]
