"""A property over every cell function: whatever the cells hold, what comes back is what Excel takes.

Every ``CPL_*`` function, called with arbitrary cell values as classic xlwings or Lite sends them
(numbers, serials, dates, Thai and long texts with vowel and tone marks or emoji, error values,
empties, TRUE/FALSE; a single cell or a column), returns a list of rows of plain Python values
(``str``, ``int``, ``float``, ``bool``, ``datetime.date``, ``None``: no numpy scalars, NaN or NaT)
and no text longer than 255 UTF-16 code units (classic xlwings turns the whole array into
``#VALUE!`` otherwise).
"""

from __future__ import annotations

import datetime as dt
import inspect
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cplkpi.udfs import FUNCTIONS

TEXT = st.one_of(
    st.text(max_size=40),
    st.text(alphabet="กขคงที่ี้๊๋ัิำะาเแโใไ ๑๒๓0123456789/.-:ตุลาคมพ.ศ.", min_size=0, max_size=400),
    st.just("😀" * 140),
    st.sampled_from(["#N/A", "#VALUE!", "1 ต.ค. 2562", "30/10/2562", "ต.ค. 2562", "มี", "ไม่มี", "acknowledge",
                     "short", "long", "2019-10-01", "  "]),
)
CELL = st.one_of(
    st.none(), st.just(""), st.just(0), st.booleans(), TEXT,
    st.floats(allow_nan=True, allow_infinity=True), st.integers(-10**7, 10**7),
    st.floats(min_value=36000, max_value=47000), st.floats(min_value=241000, max_value=243500),
    st.dates(min_value=dt.date(1900, 1, 1), max_value=dt.date(2600, 12, 31)),
    st.datetimes(min_value=dt.datetime(1990, 1, 1), max_value=dt.datetime(2600, 12, 31)),
)
ARGUMENT = st.one_of(CELL, st.lists(st.lists(CELL, min_size=1, max_size=1), min_size=1, max_size=4))


def _plain(value) -> bool:
    if value is None or type(value) in (str, bool, int, dt.date):
        return True
    return type(value) is float and math.isfinite(value)


@pytest.mark.parametrize("name", sorted(FUNCTIONS))
def test_every_result_is_plain_and_fits_excel(name):
    fn = FUNCTIONS[name]
    params = inspect.signature(fn).parameters
    required = sum(p.default is inspect.Parameter.empty for p in params.values())

    @settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(st.lists(ARGUMENT, min_size=required, max_size=len(params)))
    def check(args):
        result = fn(*args)
        assert isinstance(result, list) and result and all(isinstance(r, list) and r for r in result)
        for row in result:
            for value in row:
                assert _plain(value), (type(value), value)
                if isinstance(value, str):
                    assert len(value.encode("utf-16-le")) // 2 <= 255, value

    check()
