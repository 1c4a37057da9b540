"""Properties of Thai dates and fiscal years (hypothesis): round trips and boundaries."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from cplkpi.scoring.thaidate import (
    THAI_MONTHS_SHORT,
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

SETTINGS = settings(max_examples=400, deadline=None)
days = st.dates(min_value=dt.date(1901, 1, 1), max_value=dt.date(2199, 12, 31))
THAI_DIGITS = str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙")


@SETTINGS
@given(days, st.sampled_from(["short", "long", "numeric"]))
def test_format_then_parse_gives_the_same_date(day, style):
    text = format_thai_date(day, style)
    assert parse_date(text) == day
    assert parse_date(text.translate(THAI_DIGITS)) == day  # Thai digits too
    assert parse_dates([text]).issues == []


@SETTINGS
@given(st.dates(min_value=dt.date(1957, 1, 1), max_value=dt.date(2056, 12, 31)))
def test_two_digit_buddhist_years_round_trip_within_their_century(day):
    text = format_thai_date(day, "short2")
    assert text.endswith(f" {(day.year + 543) % 100:02d}") and parse_date(text) == day


@SETTINGS
@given(st.lists(days, max_size=30), st.sampled_from(["short", "long", "numeric", "short2"]))
def test_vectorised_formatting_equals_one_by_one(values, style):
    arr = np.array(values, dtype="datetime64[D]")
    assert list(format_thai_dates(arr, style)) == [format_thai_date(d, style) for d in values]


@SETTINGS
@given(days)
def test_text_dates_in_every_accepted_form_agree(day):
    be = day.year + 543
    forms = [
        f"{day.day}/{day.month}/{be}",
        f"{day.day:02d}/{day.month:02d}/{be}",
        f"{day.day}.{day.month}.{be}",
        f"{day.day}-{day.month}-{be}",
        f"{be}/{day.month}/{day.day}",
        day.isoformat(),
        f"{day.day} {THAI_MONTHS_SHORT[day.month - 1]} พ.ศ. {be}",
        f"วันที่ {format_thai_date(day, 'long')}",
        f"{day.day}-{THAI_MONTHS_SHORT[day.month - 1]}-{be}",
        f"{format_thai_date(day)} 08:30 น.",
    ]
    parsed = parse_dates(forms)
    assert parsed.issues == []
    assert set(parsed.days.astype(object)) == {day}


@SETTINGS
@given(st.dates(min_value=dt.date(1900, 3, 1), max_value=dt.date(9999, 12, 31)))
def test_excel_serial_round_trip(day):
    serial = excel_serial(day)
    assert from_excel_serial(serial) == day and from_excel_serial(serial + 0.75) == day
    if day.year <= 2200:  # later years are refused as implausible
        assert parse_date(float(serial)) == day


@SETTINGS
@given(days)
def test_fiscal_year_contains_its_dates_and_starts_on_1_october(day):
    fy = fiscal_year(day)
    start, end = fiscal_year_range(fy)
    assert start <= day <= end
    assert (start.month, start.day, end.month, end.day) == (10, 1, 9, 30) and end.year == start.year + 1
    assert fy == end.year + 543
    months = fiscal_months(fy)
    assert months[0] == start and months[-1] == end.replace(day=1) and len(set(months)) == 12
    assert day.replace(day=1) in months


@SETTINGS
@given(st.integers(1901, 2198))
def test_fiscal_year_boundaries(year):
    assert fiscal_year(dt.date(year, 9, 30)) == year + 543
    assert fiscal_year(dt.date(year, 10, 1)) == year + 544
    assert fiscal_year_range(year + 544)[0] == dt.date(year, 10, 1)


@SETTINGS
@given(days, st.booleans())
def test_month_names_round_trip(day, long):
    assert parse_month(format_thai_month(day, long=long)) == day.replace(day=1)
