"""Properties of deadlines: follow-up checkpoints, late days, monitoring status (hypothesis)."""

from __future__ import annotations

import datetime as dt

import numpy as np
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cplkpi.scoring import thai_calendar
from cplkpi.scoring.deadlines import (
    ack_due,
    business_days_late,
    followup_checkpoints,
    next_followup,
    progress_due,
)

CAL = thai_calendar()
SETTINGS = settings(max_examples=300, deadline=None)
days = st.dates(min_value=dt.date(1998, 1, 1), max_value=dt.date(2027, 11, 30))


@SETTINGS
@given(days)
def test_next_followup_is_a_business_day_on_or_after_the_day_within_the_month_window(day):
    cp = next_followup(day)
    assert cp >= day and CAL.is_workday(cp)
    # the 15th/30th rule: never more than a half month and a long holiday away
    assert (cp - day).days <= 16 + 10


def _nominal(year: int, month: int) -> list[dt.date]:
    """The 15th and the 30th (February: its last day) of a month."""
    last = (dt.date(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    return [dt.date(year, month, 15), dt.date(year, month, min(30, last))]


@SETTINGS
@given(st.integers(1998, 2027), st.integers(2, 11))
def test_checkpoints_are_the_15th_and_30th_moved_to_the_next_business_day(year, month):
    first, end = dt.date(year, month, 1), dt.date(year, month + 1, 28)
    expected = sorted(
        {
            d if CAL.is_workday(d) else CAL.workday(d, 1)
            for m in (month - 1, month, month + 1)
            for d in _nominal(year, m)
        }
    )
    expected = [d for d in expected if first <= d <= end]
    assert [d.astype(object) for d in followup_checkpoints(first, end)] == expected


@SETTINGS
@given(days, st.integers(-30, 60))
def test_business_days_late_is_zero_when_on_time_and_counts_business_days_after_the_due_date(due, offset):
    assume(CAL.is_workday(due))  # every deadline the engine computes is a business day
    actual = due + dt.timedelta(days=offset)
    assume(actual <= CAL.last.astype(object))  # inside the covered calendar
    late = business_days_late(actual, due)
    if offset <= 0:
        assert late == 0
    else:
        assert late == CAL.networkdays(due, actual) - int(CAL.is_workday(due)) and late >= 0


@SETTINGS
@given(days, days)
def test_deadlines_follow_the_order_of_their_inputs(a, b):
    assume(a <= b)
    assert ack_due(a) <= ack_due(b) and progress_due(a) <= progress_due(b)
    assert CAL.networkdays(a, ack_due(a)) == 1 + int(CAL.is_workday(a))
    assert progress_due(ack_due(a)) > ack_due(a)
    assert (
        np.busday_count(
            np.datetime64(ack_due(a)), np.datetime64(progress_due(ack_due(a))), busdaycal=CAL.busdaycalendar()
        )
        == 3
    )


def test_business_days_late_after_a_due_date_on_a_day_off():
    # due Saturday 4 Jan 2020: Sunday is 0 business days late, Monday 6 Jan 1 business day late
    assert business_days_late(dt.date(2020, 1, 5), dt.date(2020, 1, 4)) == 0
    assert business_days_late(dt.date(2020, 1, 6), dt.date(2020, 1, 4)) == 1
    # due Saturday 1 Jan 2000: Monday 3 Jan 2000 is the New Year substitute, Tuesday is the first day late
    assert business_days_late(dt.date(2000, 1, 3), dt.date(2000, 1, 1)) == 0
    assert business_days_late(dt.date(2000, 1, 4), dt.date(2000, 1, 1)) == 1
