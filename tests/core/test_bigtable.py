"""Large tables streamed into sheet XML: the same cells openpyxl would write, readable everywhere."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from cplkpi.office import convert
from cplkpi.ooxml.stream import TableColumn, save_with_tables
from cplkpi.xlsx import THAI_DATE_FORMAT, THAI_DATETIME_FORMAT, write_table_sheet

TEXTS = ["=HYPERLINK(\"x\")", "a < b & c > d", "ท่อระบายน้ำ\x07อุดตัน", None, "", "+66 81", " spaced "]


def _write(tmp_path, chunk: int = 3):
    wb = Workbook()
    wb.remove(wb.active)
    write_table_sheet(wb, "ตาราง", ["ข้อความ", "จำนวน", "ทศนิยม", "ใช่", "วันที่", "เวลา"], [])
    n = len(TEXTS)
    days = pd.Series(pd.to_datetime(["2019-10-01", None, "2020-02-29", "2027-12-31", "2019-10-02", None,
                                     "2020-01-01"]))
    stamps = pd.Series(pd.to_datetime(["2022-10-30 22:10:00", None, "2019-10-01 08:28:00", None, None, None,
                                       "2020-01-01 00:00:01"]))
    tables = {"ตาราง": [
        TableColumn(TEXTS, "text"),
        TableColumn(pd.array([1, None, 3, 0, 5, 6, 7], dtype="Int64"), "int"),
        TableColumn([0.5, float("nan"), 98.08, 1e-7, -2.25, 3.0, 12345678.9], "float"),
        TableColumn(pd.array([True, False, None, True, False, None, True], dtype="boolean"), "bool"),
        TableColumn(days, "date"),
        TableColumn(stamps, "datetime"),
    ]}
    seen = []
    path = save_with_tables(wb, tmp_path / "t.xlsx", tables, chunk=chunk, on_rows=seen.append)
    assert sum(seen) == n and max(seen) <= chunk
    return path


def test_cells_read_back_with_their_types_and_formats(tmp_path):
    ws = load_workbook(_write(tmp_path))["ตาราง"]
    assert ws.max_row == 8 and ws.max_column == 6
    assert [c.value for c in ws["A"]][1:] == ['=HYPERLINK("x")', "a < b & c > d", "ท่อระบายน้ำอุดตัน", None, None,
                                              "+66 81", " spaced "]
    assert ws["A2"].data_type == "s" and ws["A2"].quotePrefix and ws["A7"].quotePrefix and not ws["A3"].quotePrefix
    assert [c.value for c in ws["B"]][1:] == [1, None, 3, 0, 5, 6, 7]
    assert [c.value for c in ws["C"]][1:] == [0.5, None, 98.08, 1e-7, -2.25, 3, 12345678.9]
    assert [c.value for c in ws["D"]][1:] == [True, False, None, True, False, None, True]
    assert ws["E2"].value == dt.datetime(2019, 10, 1) and ws["E2"].number_format == THAI_DATE_FORMAT
    assert ws["E4"].value == dt.datetime(2020, 2, 29) and ws["E3"].value is None
    assert ws["F2"].value == dt.datetime(2022, 10, 30, 22, 10) and ws["F2"].number_format == THAI_DATETIME_FORMAT
    assert ws["F8"].value == dt.datetime(2020, 1, 1, 0, 0, 1)
    assert ws["A1"].value == "ข้อความ" and ws["A1"].font.b and ws.freeze_panes == "A2"


def test_calamine_reads_dates_as_dates(tmp_path):
    rows = CalamineWorkbook.from_path(str(_write(tmp_path, chunk=100))).get_sheet_by_name("ตาราง").to_python()
    assert rows[1][4] == dt.date(2019, 10, 1) and rows[1][5] == dt.datetime(2022, 10, 30, 22, 10)
    assert rows[1][0] == '=HYPERLINK("x")'


def test_libreoffice_opens_the_file(tmp_path, libreoffice):
    out = convert(_write(tmp_path), "csv:Text - txt - csv (StarCalc):44,34,76", tmp_path / "csv")  # UTF-8
    text = out.read_text("utf-8")
    assert "ท่อระบายน้ำอุดตัน" in text and '=HYPERLINK(""x"")' in text and "a < b & c > d" in text
