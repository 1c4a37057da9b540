"""The engine against LibreOffice's own WORKDAY.INTL/NETWORKDAYS.INTL: 20,000 random cases, 0 disagreements.

The summary line (case count, cells, disagreements) is recorded with
``record_property("crosscheck", ...)`` and printed at the end of every pytest
run by the hook in tests/conftest.py, with or without ``-s`` or xdist.
"""

from __future__ import annotations

import pytest

from cplkpi.crosscheck import run

CI_CASES = 20_000
CI_SEED = 8


@pytest.mark.libreoffice
def test_engine_agrees_with_libreoffice_on_20000_cases(libreoffice, tmp_path, record_property):
    result = run(CI_CASES, CI_SEED, keep=tmp_path)
    record_property("crosscheck", result.summary())
    print(result.summary())
    assert result.cases == CI_CASES
    assert result.workday_cells + result.excluded == CI_CASES
    assert result.networkdays_cells == CI_CASES
    # the corners the cross-check exists for are really in the sample
    cov = result.coverage
    assert cov["start_on_weekend"] > 2000 and cov["start_on_weekday_holiday"] > 2000
    assert cov["zero_days_on_non_business_day"] > 500
    assert cov["negative_days"] > 5000 and cov["end_before_start"] > 5000
    assert cov["fractional_days"] > 500
    assert cov["result_changed_by_overrides"] > 500
    assert cov["excluded_outside_calendar"] == result.excluded > 0
    assert result.ok, f"{result.summary()}\n{result.listing(50)}"
