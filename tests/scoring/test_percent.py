"""Exact percentages and half-up rounding: seed 001's figures and SPEC §4's 98.075."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from cplkpi.scoring.percent import percent, percent_array, round_half_up


@pytest.mark.parametrize(
    ("num", "den", "expected"),
    [(914, 915, 99.89), (1, 915, 0.11), (1301, 1335, 97.45), (34, 1335, 2.55), (1637, 1669, 98.08),
     (32, 1669, 1.92), (71, 91, 78.02), (0, 5, 0.0), (5, 5, 100.0), (1, 8, 12.5)],
)
def test_seed_001_and_other_percentages(num, den, expected):
    assert percent(num, den) == expected
    assert percent_array([num], [den])[0] == expected


def test_half_up_not_bankers_and_no_float_artefacts():
    assert round_half_up(98.075) == 98.08  # the float 98.075 is 98.07499…, the user typed 98.075
    assert round_half_up(0.125) == 0.13 and round_half_up(2.675) == 2.68
    assert round_half_up(-0.125) == -0.13
    assert percent(1, 8, 1) == 12.5 and percent(1, 16, 2) == 6.25 and percent(1, 16, 1) == 6.3
    assert percent(0, 0) is None and np.isnan(percent_array([0], [0])[0])
    assert round_half_up(Decimal("1.005"), 2) == 1.01


def test_percent_array_matches_decimal_for_many_counts():
    rng = np.random.default_rng(5)
    den = rng.integers(1, 5000, 2000)
    num = (den * rng.random(2000)).astype(int)
    expected = [percent(int(a), int(b)) for a, b in zip(num, den)]
    assert list(percent_array(num, den)) == expected
