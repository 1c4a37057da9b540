"""One error family: the deliberate errors of the engine are ``CplError`` subclasses that keep their old
built-in base (``except ValueError`` still catches them) and their messages."""

from __future__ import annotations

import pandas as pd
import pytest

from cplkpi.scoring import ArgumentError, CplError, RuleSetError, score, thai_calendar
from cplkpi.scoring.coverage import format_thai_period
from cplkpi.scoring.days import date_of
from cplkpi.scoring.percent import decimal_of
from cplkpi.scoring.thaidate import DateParseError, fiscal_year_range, format_thai_date, month_end


@pytest.mark.parametrize("call, error, text", [
    (lambda: date_of(None), ArgumentError, "expected a date"),
    (lambda: decimal_of(float("nan")), ArgumentError, "expected a number"),
    (lambda: month_end(None), ArgumentError, "expected a date"),
    (lambda: fiscal_year_range(63), ArgumentError, "fiscal year must be B.E."),
    (lambda: format_thai_date(pd.Timestamp("2020-01-01"), "fancy"), ArgumentError, "unknown date style"),
    (lambda: thai_calendar(["2020-01-02"], ["2020-01-02"]), ArgumentError, "both an extra holiday"),
    (lambda: format_thai_period("2020-01-01", None), ArgumentError, "a period needs both ends"),
    (lambda: score(pd.DataFrame({"forwarded_on": []})), ArgumentError, "give fiscal_year or start and end"),
    (lambda: score(pd.DataFrame({"forwarded_on": []}), rules="best-service-2558", fiscal_year=2563),
     RuleSetError, "scores projects, not complaints"),
])
def test_a_deliberate_error_is_a_cplerror_and_still_a_valueerror(call, error, text):
    with pytest.raises(error, match=text) as caught:
        call()
    assert isinstance(caught.value, CplError) and isinstance(caught.value, ValueError)


def test_a_date_parse_error_is_a_cplerror_and_a_valueerror():
    assert issubclass(DateParseError, CplError) and issubclass(DateParseError, ValueError)


def test_the_dates_and_numbers_that_are_there_come_back():
    assert str(date_of("2020-09-30")) == "2020-09-30"
    assert str(decimal_of(0.1)) == "0.1"


def test_the_engine_refuses_a_table_with_sheet_headers_naming_each_missing_column():
    """scoring.score takes canonical tables: a sheet's Thai headers are an InputError, not a KeyError."""
    import pandas as pd

    from cplkpi.scoring.errors import InputError
    from cplkpi.scoring.scores import score

    with pytest.raises(InputError) as caught:
        score(pd.DataFrame({"เลขที่เรื่อง": ["1"], "วันที่ศูนย์แจ้งเรื่อง": ["2019-10-01"]}), fiscal_year=2563)
    assert [(p.code, p.column) for p in caught.value.problems] == [("missing_column", "forwarded_on")]
    assert caught.value.problems[0].message == (
        "ตารางเรื่องร้องเรียนไม่มีคอลัมน์ forwarded_on (วันที่ศูนย์แจ้งเรื่อง): ส่งตารางให้ cplkpi.score หรือปรับด้วย "
        "normalize_complaints ก่อน (the complaints table has no canonical column forwarded_on: give it to "
        "cplkpi.score, or normalise it first (cplkpi.scoring.tables.normalize_complaints))")
