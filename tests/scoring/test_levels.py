"""Best Service level scoring and deductions (SPEC §6, seed 002, rule set best-service-2558)."""

from __future__ import annotations

import datetime as dt
import math

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from cplkpi.scoring import levels
from cplkpi.scoring.rules import RuleSetError


@pytest.mark.parametrize(
    ("pct", "expected"),
    [(0, 0.0), (59.99, 0.0), (60, 1.0), (65, 1.5), (67.3, 1.73), (70, 2.0), (75, 2.5), (89.99, 3.999),
     (90, 4.0), (95, 4.5), (99.999, 4.9999), (100, 5.0), (130, 5.0)],
)
def test_level_thresholds_and_interpolation(pct, expected):
    assert levels.level(pct) == expected


def test_level_is_vectorised_and_keeps_missing():
    out = levels.level(np.array([60, None, 75, 100], dtype=object))
    assert out.shape == (4,)
    assert out[0] == 1.0 and math.isnan(out[1]) and out[2] == 2.5 and out[3] == 5.0
    assert levels.level(None) is None


@given(st.floats(min_value=60, max_value=100, allow_nan=False))
def test_level_is_monotonic_and_in_range(pct):
    lev = levels.level(pct)
    assert 1.0 <= lev <= 5.0
    assert levels.level(min(pct + 0.5, 100)) >= lev


def test_result_pct_is_capped_and_exact():
    assert levels.result_pct(45, 50) == 90.0
    assert levels.result_pct(60, 50) == 100.0  # above target counts as 100 %
    assert levels.result_pct(2, 3) == 66.67
    assert levels.result_pct(1, 0) is None
    out = levels.result_pct([45, 1, None], [50, 8, 50])
    assert out[0] == 90.0 and out[1] == 12.5 and math.isnan(out[2])


def test_overall_is_the_mean_of_the_indicators():
    assert levels.overall_pct([90, 100, 66.67]) == 85.56
    assert levels.overall_pct([None, 80]) == 80.0
    assert levels.overall_pct([]) is None


def test_project_late_deduction_half_a_point_plus_a_hundredth_per_further_day():
    assert levels.project_late_deduction(0) == 0.0
    assert levels.project_late_deduction(1) == 0.5
    assert levels.project_late_deduction(3) == 0.52
    assert list(levels.project_late_deduction([-1, 2, 11])) == [0.0, 0.51, 0.6]


def test_revision_due_counts_ten_business_days_from_the_day_after_the_circular():
    # Circular Thu 10 Oct 2019; 14 Oct (substitute for King Bhumibol memorial day) and
    # 23 Oct (Chulalongkorn Day) are holidays: the tenth business day is Mon 28 Oct 2019.
    assert levels.revision_due(dt.date(2019, 10, 10)) == dt.date(2019, 10, 28)


def test_revision_late_deduction():
    circ = dt.date(2019, 10, 10)
    sent = np.array(["2019-10-28", "2019-10-29", "NaT", "NaT"], dtype="datetime64[D]")
    out = levels.revision_late_deduction(circ, sent, as_of=dt.date(2019, 11, 1))
    assert list(out[:3]) == [0.0, 0.02, 0.02]  # on the due day; a day late; not sent and overdue
    pending = levels.revision_late_deduction(circ, None, as_of=dt.date(2019, 10, 25))
    assert math.isnan(pending)  # not sent, not yet due: no judgement


def test_level_score_subtracts_deductions_not_below_zero():
    assert levels.level_score(75, 0.52) == 1.98
    assert levels.level_score(60, 2) == 0.0


def test_reviews_limit():
    assert levels.evaluated(3) is True
    assert list(levels.evaluated([1, 4])) == [True, False]


def test_a_complaint_rule_set_is_refused():
    with pytest.raises(ValueError, match="level scoring"):
        levels.level(70, rules="bma-2557")
    with pytest.raises(RuleSetError):
        levels.level(70, rules="no-such-rules")


def test_announce_and_appeal_deadlines_are_seven_business_days():
    import datetime as _dt

    from cplkpi.scoring.levels import announce_due, appeal_due

    # decided Friday 11 Oct 2019: 14 Oct and 23 Oct are holidays, so 7 business days end on 24 Oct
    assert announce_due(_dt.date(2019, 10, 11)) == _dt.date(2019, 10, 24)
    # notified 17 Oct 2019: 23 Oct (Chulalongkorn Day) is skipped
    assert appeal_due(_dt.date(2019, 10, 17)) == _dt.date(2019, 10, 29)
