"""Thai dates in every form staff type, B.E. formatting, fiscal years, Excel serials."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cplkpi.scoring.thaidate import (
    DateParseError,
    excel_serial,
    fiscal_months,
    fiscal_year,
    fiscal_year_range,
    format_thai_date,
    format_thai_dates,
    format_thai_month,
    from_excel_serial,
    parse_date,
    parse_dates,
    parse_month,
)

D = dt.date


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2019-10-01", D(2019, 10, 1)),
        ("30/10/2562", D(2019, 10, 30)),
        ("4/2/2563", D(2020, 2, 4)),
        ("1 ต.ค. 2562", D(2019, 10, 1)),
        ("1 ต.ค.2562", D(2019, 10, 1)),
        ("1 ตุลาคม 2562", D(2019, 10, 1)),
        ("6 ธ.ค. 67", D(2024, 12, 6)),
        ("27 พ.ค. 63", D(2020, 5, 27)),
        ("วันที่ 29 กุมภาพันธ์ 2563", D(2020, 2, 29)),
        ("๓๐/๑๐/๒๕๖๒", D(2019, 10, 30)),
        ("6 ธ.ค. 67 08:28 น.", D(2024, 12, 6)),
        ("1 Oct 2019", D(2019, 10, 1)),
        ("2023-05-11 20:41:00+00", D(2023, 5, 12)),  # UTC evening is the next day in Bangkok
        ("2023-05-11 16:59:59+00:00", D(2023, 5, 11)),
    ],
)
def test_parse_text_forms(text, expected):
    assert parse_date(text) == expected


def test_parse_values_excel_sends():
    assert parse_date(43739) == D(2019, 10, 1)  # serial
    assert parse_date(43739.75) == D(2019, 10, 1)  # time of day dropped
    assert parse_date(dt.datetime(2019, 10, 1, 23, 0)) == D(2019, 10, 1)
    utc = dt.datetime(2019, 9, 30, 18, 0, tzinfo=dt.UTC)
    assert parse_date(utc) == D(2019, 10, 1)  # 01:00 in Bangkok
    assert parse_date(None) is None and parse_date("") is None and parse_date(float("nan")) is None


def test_be_ce_confusions_are_read_with_a_warning():
    res = parse_dates([dt.datetime(2562, 10, 30), "30/10/2019", "30/10/2562"])
    assert list(res.days) == [np.datetime64("2019-10-30")] * 3
    codes = [(i.position, i.code, i.severity) for i in res.issues]
    assert codes == [(0, "year_be_as_ce", "warning"), (1, "year_ce", "warning")]


@pytest.mark.parametrize(
    ("value", "code"),
    [("31/02/2562", "date_impossible"), ("29/02/2562", "date_impossible"), ("พรุ่งนี้", "date_invalid"),
     ("#N/A", "date_excel_error"), (True, "date_invalid"), (12, "date_invalid"), ("1/1/1299", "date_year_implausible")],
)
def test_unreadable_values_give_errors(value, code):
    res = parse_dates(["1 ต.ค. 2562", value])
    assert np.isnat(res.days[1]) and res.days[0] == np.datetime64("2019-10-01")
    assert [(i.position, i.code, i.severity) for i in res.issues] == [(1, code, "error")]
    with pytest.raises(DateParseError):
        parse_date(value)


def test_error_message_names_the_value_in_thai_and_english():
    issue = parse_dates(["31/02/2562"]).issues[0]
    assert issue.message_th == 'ไม่มีวันที่นี้ในปฏิทิน: "31/02/2562"'
    assert issue.message_en == 'no such calendar date: "31/02/2562"'


@pytest.mark.parametrize(
    ("text", "th", "en"),
    [
        ("2019-10-01 10:00:00+99", "(ไม่มีเขตเวลา UTC+99: เขตเวลาอยู่ระหว่าง −12:00 ถึง +14:00 กรุงเทพฯ คือ +07:00)",
         "(no such time zone UTC+99: zones run from −12:00 to +14:00; Bangkok is +07:00)"),
        ("2019-10-01T10:00-13:00", "(ไม่มีเขตเวลา UTC-13:00: เขตเวลาอยู่ระหว่าง −12:00 ถึง +14:00 กรุงเทพฯ คือ +07:00)",
         "(no such time zone UTC-13:00: zones run from −12:00 to +14:00; Bangkok is +07:00)"),
        ("2019-10-01 10:00+0775", "(ไม่มีเขตเวลา UTC+0775: เขตเวลาอยู่ระหว่าง −12:00 ถึง +14:00 กรุงเทพฯ คือ +07:00)",
         "(no such time zone UTC+0775: zones run from −12:00 to +14:00; Bangkok is +07:00)"),
        ("2019-10-01 25:61:00+07", "(ไม่มีเวลา 25:61:00 ในหนึ่งวัน)", "(no such time of day 25:61:00)"),
        ("1/10/2562 24:00", "(ไม่มีเวลา 24:00 ในหนึ่งวัน)", "(no such time of day 24:00)"),
        ("1 ต.ค. 2562 เวลา 08:75 น.", "(ไม่มีเวลา 08:75 ในหนึ่งวัน)", "(no such time of day 08:75)"),
        ("2562/10/01 10:00:61", "(ไม่มีเวลา 10:00:61 ในหนึ่งวัน)", "(no such time of day 10:00:61)"),
    ],
)
def test_a_time_or_zone_that_does_not_exist_makes_the_date_unreadable(text, th, en):
    res = parse_dates(["1 ต.ค. 2562", text])
    assert np.isnat(res.days[1]) and res.days[0] == np.datetime64("2019-10-01")
    assert [(i.position, i.code, i.message_th, i.message_en) for i in res.issues] == [
        (1, "date_invalid", f'อ่านวันที่ไม่ได้ {th}: "{text}"', f'cannot read the date {en}: "{text}"')]


@pytest.mark.parametrize(
    ("text", "expected"),
    [("2019-10-01T23:59:59-12:00", D(2019, 10, 2)), ("2019-10-01 10:00+14", D(2019, 10, 1)),
     ("2019-10-01 00:00:00+14:00", D(2019, 9, 30)), ("1/10/2562 23:59", D(2019, 10, 1))],
)
def test_times_and_zones_at_the_limits_are_read(text, expected):
    assert parse_date(text) == expected


def test_number_as_text_is_a_serial_with_warning():
    res = parse_dates(["43739"])
    assert res.days[0] == np.datetime64("2019-10-01") and res.issues[0].code == "number_as_text"


@pytest.mark.parametrize(("day", "style", "expected"), [
    (D(2019, 10, 1), "short", "1 ต.ค. 2562"),
    (D(2019, 10, 1), "long", "1 ตุลาคม 2562"),
    (D(2019, 10, 1), "numeric", "1/10/2562"),
    (D(2024, 12, 6), "short2", "6 ธ.ค. 67"),
    (None, "short", ""),
])
def test_format_thai_date(day, style, expected):
    assert format_thai_date(day, style) == expected


def test_format_thai_dates_of_a_column_leave_nat_empty():
    assert list(format_thai_dates(np.array(["2020-02-29", "NaT"], dtype="M8[D]"))) == ["29 ก.พ. 2563", ""]


@pytest.mark.parametrize(("long", "expected"), [(False, "ต.ค. 2562"), (True, "ตุลาคม 2562")])
def test_format_thai_month(long, expected):
    assert format_thai_month(D(2019, 10, 15), long=long) == expected


def test_an_unknown_date_style_is_refused():
    with pytest.raises(ValueError, match="unknown date style"):
        format_thai_date(D(2019, 10, 1), "roman")


@pytest.mark.parametrize(("day", "expected"), [
    (D(2019, 9, 30), 2562),
    (D(2019, 10, 1), 2563),
    (D(2020, 9, 30), 2563),
])
def test_fiscal_year(day, expected):
    assert fiscal_year(day) == expected


@pytest.mark.parametrize(("year", "expected"), [
    (2563, (D(2019, 10, 1), D(2020, 9, 30))),
    (2557, (D(2013, 10, 1), D(2014, 9, 30))),
])
def test_fiscal_year_range(year, expected):
    assert fiscal_year_range(year) == expected


def test_fiscal_months_run_october_to_september():
    months = fiscal_months(2563)
    assert (months[0], months[3], months[-1]) == (D(2019, 10, 1), D(2020, 1, 1), D(2020, 9, 1))


def test_fiscal_year_of_a_column_keeps_missing_dates_missing():
    out = fiscal_year(pd.Series(pd.to_datetime(["2019-10-01", "2019-09-30", None])))
    assert out.iloc[0] == 2563 and out.iloc[1] == 2562 and np.isnan(out.iloc[2])


def test_a_christian_era_fiscal_year_is_refused():
    with pytest.raises(ValueError, match=r"B\.E\."):
        fiscal_year_range(2019)


def test_parse_month_forms():
    for text in ("ต.ค. 2562", "ตุลาคม 2562", "10/2562", "2019-10", "เดือนตุลาคม 2562", "ต.ค. 62"):
        assert parse_month(text) == D(2019, 10, 1), text
    assert parse_month(D(2019, 10, 17)) == D(2019, 10, 1)
    with pytest.raises(DateParseError):
        parse_month("13/2562")


def test_excel_serials_round_trip():
    assert excel_serial(D(2019, 10, 1)) == 43739
    assert excel_serial(D(1900, 3, 1)) == 61
    days = np.array(["2019-10-01", "2027-12-31"], dtype="M8[D]")
    assert list(from_excel_serial(excel_serial(days))) == list(days)


def test_month_end_and_fiscal_quarter():
    from cplkpi.scoring.thaidate import fiscal_quarter, month_end

    assert month_end(D(2020, 2, 10)) == D(2020, 2, 29) and month_end(D(2019, 12, 1)) == D(2019, 12, 31)
    assert [fiscal_quarter(D(2020, m, 1)) for m in (10, 12, 1, 3, 4, 6, 7, 9)] == [1, 1, 2, 2, 3, 3, 4, 4]


def test_parse_month_english_and_dashed():
    assert parse_month("Oct 19") == D(2019, 10, 1) and parse_month("Oct-19") == D(2019, 10, 1)
    assert parse_month("ต.ค.-62") == D(2019, 10, 1) and parse_month("2563-09") == D(2020, 9, 1)
