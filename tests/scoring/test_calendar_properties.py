"""Properties of the business-day calendar (hypothesis), against numpy's busday functions as an independent oracle."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cplkpi.scoring import thai_calendar
from cplkpi.scoring.errors import CalendarRangeError

CAL = thai_calendar()
# starts far enough from the ends of the covered calendar (1997–2027) for |n| <= 60 business days
starts = st.dates(min_value=dt.date(1997, 4, 1), max_value=dt.date(2027, 9, 30))
steps = st.integers(min_value=-60, max_value=60)
SETTINGS = settings(max_examples=300, deadline=None)
BASE_HOLIDAYS = [d.astype(object) for d in CAL.holiday_dates]


def d64(day: dt.date) -> np.datetime64:
    return np.datetime64(day, "D")


@SETTINGS
@given(starts)
def test_workday_is_monotone_in_n_and_strictly_so_away_from_zero(start):
    results = CAL.workday(np.full(121, d64(start)), np.arange(-60, 61))
    assert (np.diff(results) >= np.timedelta64(0, "D")).all()
    assert (np.diff(results[61:]) > np.timedelta64(0, "D")).all()  # n = 1 … 60
    assert (np.diff(results[:60]) > np.timedelta64(0, "D")).all()  # n = -60 … -1
    assert results[61] > d64(start) > results[59]


@SETTINGS
@given(starts)
def test_workday_zero_returns_the_start_even_on_a_holiday(start):
    assert CAL.workday(start, 0) == start
    assert CAL.workday(start, 0.9) == start and CAL.workday(start, -0.9) == start  # truncated toward zero


@SETTINGS
@given(starts, steps)
def test_networkdays_of_workday_counts_n_plus_the_start(start, n):
    assume(n != 0)
    end = CAL.workday(start, n)
    own = int(CAL.is_workday(start))
    expected = n + own if n > 0 else n - own
    assert CAL.networkdays(start, end) == expected
    assert CAL.is_workday(end)


@SETTINGS
@given(starts, steps)
def test_workday_there_and_back_from_a_business_day(start, n):
    assume(CAL.is_workday(start) and n != 0)
    assert CAL.workday(CAL.workday(start, n), -n) == start


@SETTINGS
@given(starts, st.integers(min_value=-400, max_value=400))
def test_networkdays_is_antisymmetric_and_counts_a_single_day_once(start, offset):
    end = start + dt.timedelta(days=offset)
    assume(dt.date(1997, 1, 1) <= end <= dt.date(2027, 12, 31))
    if offset:
        assert CAL.networkdays(start, end) == -CAL.networkdays(end, start)
        assert np.sign(CAL.networkdays(start, end)) in (0, np.sign(offset))
    else:
        assert CAL.networkdays(start, start) == int(CAL.is_workday(start))


@SETTINGS
@given(starts, st.integers(0, 200), st.integers(0, 200))
def test_networkdays_adds_up_over_consecutive_spans(a, x, y):
    b, c = a + dt.timedelta(days=x), a + dt.timedelta(days=x + y)
    assume(c <= dt.date(2027, 12, 31))
    assert CAL.networkdays(a, c) == CAL.networkdays(a, b) + CAL.networkdays(b, c) - int(CAL.is_workday(b))


@SETTINGS
@given(starts, steps)
def test_workday_agrees_with_numpy_busday_offset(start, n):
    """numpy's own business-day arithmetic on the same weekmask and holidays is an independent oracle."""
    cal = CAL.busdaycalendar()
    s = d64(start)
    if n == 0:
        expected = s
    elif np.is_busday(s, busdaycal=cal):
        expected = np.busday_offset(s, n, busdaycal=cal)
    elif n > 0:  # from a day off: the first business day after it is the 1st
        expected = np.busday_offset(s, n - 1, roll="forward", busdaycal=cal)
    else:
        expected = np.busday_offset(s, n + 1, roll="backward", busdaycal=cal)
    assert d64(CAL.workday(start, n)) == expected


@SETTINGS
@given(starts, st.integers(0, 400))
def test_networkdays_agrees_with_numpy_busday_count(start, length):
    end = start + dt.timedelta(days=length)
    assume(end <= dt.date(2027, 12, 31))
    assert CAL.networkdays(start, end) == np.busday_count(
        d64(start), d64(end) + 1, busdaycal=CAL.busdaycalendar()
    )


@SETTINGS
@given(st.lists(starts, max_size=8), st.lists(st.sampled_from(BASE_HOLIDAYS), max_size=5), starts)
def test_overrides_change_exactly_their_own_days(extra_holidays, extra_workdays, probe):
    assume(not set(extra_holidays) & set(extra_workdays))
    cal = thai_calendar(extra_holidays, extra_workdays)
    for day in extra_holidays:
        assert not cal.is_workday(day)
    for day in extra_workdays:
        assert cal.is_workday(day)
    if probe not in extra_holidays and probe not in extra_workdays:
        assert cal.is_workday(probe) == CAL.is_workday(probe)


@SETTINGS
@given(st.lists(starts, min_size=1, max_size=50), steps)
def test_vectorised_equals_scalar(days, n):
    arr = CAL.workday(np.array(days, dtype="datetime64[D]"), n)
    assert [d.astype(object) for d in arr] == [CAL.workday(d, n) for d in days]


def test_leaving_the_covered_calendar_is_an_error_not_a_guess():
    with pytest.raises(CalendarRangeError):
        CAL.workday(dt.date(2027, 12, 30), 5)
    with pytest.raises(CalendarRangeError):
        CAL.networkdays(dt.date(1996, 12, 31), dt.date(1997, 1, 10))
