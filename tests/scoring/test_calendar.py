"""The BMA office calendar: known Thai dates and Excel WORKDAY.INTL/NETWORKDAYS.INTL semantics."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cplkpi.scoring import CalendarRangeError, is_workday, networkdays, thai_calendar, workday

D = dt.date


@pytest.mark.parametrize(
    ("day", "expected", "why"),
    [
        (D(2019, 5, 1), True, "National Labour Day: government offices work"),
        (D(2021, 5, 3), True, "Labour Day substitute: government offices work"),
        (D(2019, 4, 12), False, "cabinet special holiday before Songkran (correction table)"),
        (D(2019, 4, 15), False, "Songkran"),
        (D(2019, 4, 16), False, "Songkran substitute"),
        (D(2019, 11, 4), False, "ASEAN Summit, Bangkok only (correction table)"),
        (D(2019, 11, 5), False, "ASEAN Summit, Bangkok only (correction table)"),
        (D(2020, 12, 7), True, "substitute moved to 11 Dec 2020 (correction table removes it)"),
        (D(2020, 12, 11), False, "the moved substitute day"),
        (D(2021, 10, 21), False, "central-region holiday (correction table)"),
        (D(2021, 10, 22), False, "Chulalongkorn Day substitute moved here (correction table)"),
        (D(2021, 10, 25), True, "substitute moved away (correction table)"),
        (D(2022, 11, 16), False, "APEC 2022 (correction table)"),
        (D(2022, 11, 18), False, "APEC 2022 (correction table)"),
        (D(2023, 1, 2), False, "New Year substitute"),
        (D(2023, 1, 3), True, "not a substitute (correction table removes it)"),
        (D(2026, 1, 2), False, "cabinet bridge day 2 Jan 2026"),
        (D(2019, 10, 14), False, "King Bhumibol memorial day substitute"),
        (D(2019, 10, 15), True, "an ordinary Tuesday"),
        (D(2019, 10, 5), False, "Saturday"),
        (D(2019, 10, 6), False, "Sunday"),
    ],
)
def test_known_days(day, expected, why):
    assert is_workday(day) is expected, why


@pytest.mark.parametrize(("start", "days", "expected", "why"), [
    (D(2019, 4, 11), 1, D(2019, 4, 17), "12 Apr (cabinet day off), 13-16 Apr Songkran"),
    (D(2025, 12, 30), 1, D(2026, 1, 5), "31 Dec, 1 Jan, 2 Jan (bridge), weekend"),
    (D(2019, 10, 1), 10, D(2019, 10, 16), "14 Oct holiday skipped"),
    (D(2019, 10, 31), 1, D(2019, 11, 1), "Thursday to the next day, an ordinary Friday"),
    (D(2019, 11, 1), 1, D(2019, 11, 6), "weekend + ASEAN summit days 4-5 Nov"),
    (D(2019, 4, 13), 0, D(2019, 4, 13), "n = 0 on a holiday: start unchanged (Excel)"),
    (D(2019, 10, 5), 0, D(2019, 10, 5), "n = 0 on a Saturday"),
    (D(2019, 10, 5), 1, D(2019, 10, 7), "Saturday + 1 = Monday"),
    (D(2019, 10, 5), -1, D(2019, 10, 4), "Saturday - 1 = Friday"),
    (D(2019, 10, 16), -2, D(2019, 10, 11), "back over the 14 Oct holiday"),
    (D(2019, 4, 13), -1, D(2019, 4, 11), "from a holiday backwards"),
    (D(2019, 10, 1), 2.9, D(2019, 10, 3), "days truncated like Excel"),
    (D(2019, 10, 4), -1.9, D(2019, 10, 3), "negative days truncated towards zero"),
])
def test_workday(start, days, expected, why):
    assert workday(start, days) == expected, why


@pytest.mark.parametrize(("start", "end", "expected", "why"), [
    (D(2019, 10, 1), D(2019, 10, 31), 21, "23 weekdays - 14 and 23 Oct"),
    (D(2019, 10, 31), D(2019, 10, 1), -21, "reversed ends count negative"),
    (D(2019, 10, 15), D(2019, 10, 15), 1, "both ends count"),
    (D(2019, 10, 14), D(2019, 10, 14), 0, "a holiday"),
    (D(2019, 10, 5), D(2019, 10, 6), 0, "a weekend"),
])
def test_networkdays(start, end, expected, why):
    assert networkdays(start, end) == expected, why


def test_vectorised_forms_keep_shape_index_and_nat():
    starts = pd.Series(pd.to_datetime(["2019-10-01", None, "2019-04-11"]), index=[10, 11, 12], name="fwd")
    out = workday(starts, 1)
    assert isinstance(out, pd.Series) and list(out.index) == [10, 11, 12] and out.name == "fwd"
    assert out[10] == pd.Timestamp("2019-10-02") and pd.isna(out[11]) and out[12] == pd.Timestamp("2019-04-17")
    arr = np.array(["2019-10-01", "2019-10-02"], dtype="datetime64[D]").reshape(2, 1)
    res = workday(arr, np.array([[1], [2]]))
    assert res.shape == (2, 1) and res[1, 0] == np.datetime64("2019-10-04")
    assert workday(D(2019, 10, 1), [1, 2, 3]).tolist() == [D(2019, 10, 2), D(2019, 10, 3), D(2019, 10, 4)]
    assert np.isnan(networkdays(np.array(["NaT"], dtype="M8[D]"), np.array(["2019-10-01"], dtype="M8[D]"))[0])
    assert workday(D(2019, 10, 1), float("nan")) is None


def test_out_of_range_is_an_error():
    with pytest.raises(CalendarRangeError, match="นอกช่วงปฏิทิน"):
        workday(D(1996, 12, 31), 1)
    with pytest.raises(CalendarRangeError, match="outside the covered calendar"):
        workday(D(2027, 12, 29), 5)  # the result would leave the covered years
    with pytest.raises(CalendarRangeError):
        networkdays(D(2019, 1, 1), D(2031, 1, 1))


def test_overrides_win_and_conflicts_are_refused():
    cal = thai_calendar(extra_holidays=[D(2019, 10, 2)])
    assert cal.workday(D(2019, 10, 1), 1) == D(2019, 10, 3)
    cal = thai_calendar(extra_workdays=[D(2019, 10, 14), D(2019, 10, 12)])  # a cancelled holiday, a Saturday
    assert cal.networkdays(D(2019, 10, 1), D(2019, 10, 31)) == 23
    assert cal.is_workday(D(2019, 10, 12))
    assert list(cal.weekend_workdays) == [np.datetime64("2019-10-12")]
    with pytest.raises(ValueError, match="both"):
        thai_calendar(extra_holidays=[D(2019, 10, 2)], extra_workdays=[D(2019, 10, 2)])
    assert thai_calendar() is thai_calendar()  # built once per override set


def test_calendar_agrees_with_numpy_busday_on_the_same_holidays():
    cal = thai_calendar()
    rng = np.random.default_rng(3)
    start = (np.datetime64("1998-01-01") + rng.integers(0, 10_500, 50_000)).astype("datetime64[D]")
    n = rng.integers(-40, 41, 50_000)
    bc = cal.busdaycalendar()
    ref = np.where(n > 0, np.busday_offset(start, n, roll="backward", busdaycal=bc),
                   np.where(n < 0, np.busday_offset(start, n, roll="forward", busdaycal=bc), start))
    assert (cal.workday(start, n) == ref).all()
    end = start + rng.integers(-60, 60, 50_000)
    lo, hi = np.minimum(start, end), np.maximum(start, end)
    count = np.busday_count(lo, hi + 1, busdaycal=bc)
    assert (cal.networkdays(start, end) == np.where(end < start, -count, count)).all()


def test_holiday_table_names_and_sources():
    table = thai_calendar().holiday_table()
    row = table[table["date"] == D(2019, 11, 4)].iloc[0]
    assert "อาเซียน" in row["name_th"] and "cabinet" in row["source"]
    assert D(2019, 5, 1) not in set(table["date"])
    songkran = table[table["date"] == D(2019, 4, 13)].iloc[0]
    assert songkran["name_th"] == "วันสงกรานต์" and songkran["source"].startswith("holidays")


def test_iso_text_is_taken_in_bangkok_and_nat_is_empty():
    assert workday("2023-05-11T20:00:00+00:00", 0) == D(2023, 5, 12)  # 03:00 next day in Bangkok
    assert workday("2566-05-11", 0) == D(2023, 5, 11)  # B.E. year
    assert workday(pd.NaT, 1) is None
