"""Workbooks in the 1904 date system (older Mac files): their dates are read as the dates they show.

Date cells arrive as real dates from every reader (calamine and openpyxl on a file, COM and
AppleScript in classic Excel). What used to be read 1,462 days early are plain numbers in a date
column (a date column formatted as General, a serial pasted from another program): serial 42,277
is 1 October 2019 in a 1904 workbook, 30 September 2015 in a 1900 one. The readers now detect the
1904 date system (``workbookPr date1904`` in the file; ``Date1904``/``date_1904`` of the open book)
and read those numbers as 1904 serials.
"""

from __future__ import annotations

import datetime as dt
import types

import pandas as pd
import pytest
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from cplkpi.macros import xlbook
from cplkpi.scoring.thaidate import DATE1904_OFFSET, date_system_1904, excel_serial, parse_dates
from cplkpi.workbook import read_workbook

from test_buttons_jobs import FakeBook

COLUMN = 8  # H: วันที่ศูนย์แจ้งเรื่อง


@pytest.fixture(scope="module")
def mac_file(sample_path, tmp_path_factory):
    """The sample saved in the 1904 date system, the forwarding date of row 2 as a plain 1904 serial."""
    wb = load_workbook(sample_path)
    wb.epoch = CALENDAR_MAC_1904  # openpyxl writes the date cells as 1904 serials
    ws = wb["เรื่องร้องเรียน"]
    assert ws.cell(1, COLUMN).value == "วันที่ศูนย์แจ้งเรื่อง"
    day = ws.cell(2, COLUMN).value.date()
    ws.cell(2, COLUMN).value = excel_serial(day) - DATE1904_OFFSET
    ws.cell(2, COLUMN).number_format = "General"
    path = tmp_path_factory.mktemp("mac") / "sample_1904.xlsx"
    wb.save(path)
    return path, day


def test_the_offset_is_excels():
    assert excel_serial(dt.date(2019, 10, 1)) == 43739
    with date_system_1904():
        assert parse_dates([42277.0, 42277, "1 ต.ค. 2562"]).days.tolist() == [dt.date(2019, 10, 1)] * 3
    assert parse_dates([42277.0]).days.tolist() == [dt.date(2015, 9, 30)]  # back to the 1900 system


def test_a_1904_file_reads_the_dates_it_shows(mac_file, sample_book):
    path, day = mac_file
    assert day == dt.date(2019, 10, 25)
    book = read_workbook(path)
    got, want = book.complaints.table, sample_book.complaints.table
    assert got["forwarded_on"].iloc[0] == pd.Timestamp(day)
    pd.testing.assert_series_equal(got["forwarded_on"], want["forwarded_on"])
    pd.testing.assert_series_equal(got["resolved_on"], want["resolved_on"])
    assert book.errors == []


def test_an_open_1904_book_reads_the_dates_it_shows(mac_file, sample_book):
    path, day = mac_file

    class MacBook(FakeBook):
        api = types.SimpleNamespace(Date1904=True)  # what COM says of the workbook

    book = MacBook(load_workbook(path, data_only=True), None, str(path))
    assert xlbook.uses_1904(book)
    got = xlbook.complaint_workbook(book).complaints.table
    assert got["forwarded_on"].iloc[0] == pd.Timestamp(day)
    pd.testing.assert_series_equal(got["forwarded_on"], sample_book.complaints.table["forwarded_on"])


def test_the_date_system_of_an_open_book():
    class Lite:
        @property
        def api(self):
            raise NotImplementedError("xlwings Lite has no book.api")

    mac = types.SimpleNamespace(api=types.SimpleNamespace(date_1904=types.SimpleNamespace(get=lambda: True)))
    windows_1900 = types.SimpleNamespace(api=types.SimpleNamespace(Date1904=False))
    assert xlbook.uses_1904(mac) is True
    assert xlbook.uses_1904(windows_1900) is False
    assert xlbook.uses_1904(Lite()) is False
