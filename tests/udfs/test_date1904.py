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
from fakebook import FakeBook
from openpyxl import load_workbook
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from cplkpi.macros import xlbook
from cplkpi.reader import read_workbook
from cplkpi.scoring.thaidate import DATE1904_OFFSET, date_system_1904, excel_serial, parse_dates
from cplkpi.udfs import convert

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
    assert convert.uses_1904(book)
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
    assert convert.uses_1904(mac) is True
    assert convert.uses_1904(windows_1900) is False
    assert convert.uses_1904(Lite()) is False


# --- cell functions: the calling range tells the date system (classic xlwings' reserved `caller`) ---


def _caller(api):
    """A calling Range as classic xlwings passes it: ``caller.sheet.book.api`` is the COM workbook."""
    return types.SimpleNamespace(sheet=types.SimpleNamespace(book=types.SimpleNamespace(api=api)))


class _ComError(Exception):
    """Stands for pywintypes.com_error (the book closed, Excel busy)."""


class _Unreachable:
    @property
    def Date1904(self):
        raise _ComError(-2147418111, "Call was rejected by callee.")


def test_a_cell_function_reads_serials_in_the_date_system_of_its_book():
    from cplkpi.udfs import CPL_THAI_DATE

    windows_1904 = _caller(types.SimpleNamespace(Date1904=True))
    mac_1904 = _caller(types.SimpleNamespace(date_1904=types.SimpleNamespace(get=lambda: True)))
    assert CPL_THAI_DATE([[42277.0]], caller=windows_1904) == [["1 ต.ค. 2562"]]
    assert CPL_THAI_DATE([[42277]], "long", windows_1904) == [["1 ตุลาคม 2562"]]  # classic: caller last
    assert CPL_THAI_DATE([[42277.0]], caller=mac_1904) == [["1 ต.ค. 2562"]]
    # a date cell arrives as a date: the same day in either system
    assert CPL_THAI_DATE([[dt.datetime(2019, 10, 1)]], caller=windows_1904) == [["1 ต.ค. 2562"]]
    # 1900 book, no caller (xlwings Lite/Server, Python), a book that cannot be asked: the 1900 system
    for caller in (_caller(types.SimpleNamespace(Date1904=False)), None, _caller(_Unreachable()), object()):
        assert CPL_THAI_DATE([[42277.0]], caller=caller) == [["30 ก.ย. 2558"]], caller
    assert CPL_THAI_DATE([[42277.0]]) == [["30 ก.ย. 2558"]]


def test_every_date_argument_of_a_1904_book_is_read_in_1904():
    from cplkpi.udfs import CPL_ACK_DUE, CPL_FISCAL_YEAR, CPL_LATE_REPORT_PENALTY, CPL_WORKDAY

    book = _caller(types.SimpleNamespace(Date1904=True))
    s = excel_serial(dt.date(2019, 10, 1)) - DATE1904_OFFSET  # 42277: Tuesday 1 Oct 2019 in a 1904 book
    assert s == 42277
    assert CPL_ACK_DUE([[s, float(s), "1 ต.ค. 2562"]], caller=book) == [[dt.date(2019, 10, 2)] * 3]
    # the extra holiday 2 Oct 2019 is a 1904 serial too: the next business day after 1 Oct is 3 Oct
    assert CPL_WORKDAY([[s]], [[1]], [[s + 1]], caller=book) == [[dt.date(2019, 10, 3)]]
    assert CPL_FISCAL_YEAR([[s - 1]], caller=book) == [[2562]]  # 30 Sep 2019
    # the September 2019 summary sent 11 Oct 2019 (1 day late), the month given as a 1904 serial
    late = CPL_LATE_REPORT_PENALTY([[s + 10]], [[s - 1]], caller=book)
    assert late == CPL_LATE_REPORT_PENALTY([[dt.date(2019, 10, 11)]], [[dt.date(2019, 9, 30)]])
    assert late != CPL_LATE_REPORT_PENALTY([[s + 10]], [[s - 1]])  # the 1900 reading: 2015, a different case


def test_1904_serials_have_no_fictional_day_and_start_in_1904():
    with date_system_1904():
        assert parse_dates([60, 1]).days.tolist() == [dt.date(1904, 3, 1), dt.date(1904, 1, 2)]
        assert parse_dates([-1]).errors[0].code == "date_invalid"
    assert parse_dates([60]).errors[0].code == "date_impossible"  # 29/02/1900 of the 1900 system
