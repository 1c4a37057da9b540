"""The cross-check's cases: override scenarios, random cases hitting the corners, the engine's answers."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from cplkpi.scoring.calendar import Calendar, thai_calendar
from cplkpi.scoring.errors import CalendarRangeError
from cplkpi.scoring.thaidate import excel_serial

FIRST_START = _dt.date(2000, 1, 1)
LAST_START = _dt.date(2027, 12, 31)


# --- scenarios and cases -----------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    """One set of workbook overrides; scenario 0 is the shipped calendar as it is."""

    key: int
    extra_holidays: tuple[np.datetime64, ...] = ()
    extra_workdays: tuple[np.datetime64, ...] = ()

    @property
    def calendar(self) -> Calendar:
        return thai_calendar(list(self.extra_holidays), list(self.extra_workdays))

    @property
    def override_days(self) -> np.ndarray:
        return np.array([*self.extra_holidays, *self.extra_workdays], dtype="datetime64[D]")


def _day(d: _dt.date | np.datetime64) -> np.datetime64:
    return np.datetime64(d, "D") if isinstance(d, _dt.date) else d.astype("datetime64[D]")


def make_scenarios(rng: np.random.Generator, count: int = 12) -> list[Scenario]:
    """Scenario 0 without overrides, then ``count - 1`` random override sets in 2000–2027."""
    base = thai_calendar()
    lo, hi = _day(FIRST_START), _day(LAST_START)
    span = int((hi - lo).astype(np.int64)) + 1
    weekday_holidays = base.holiday_dates[(base.holiday_dates >= lo) & (base.holiday_dates <= hi)]
    out = [Scenario(0)]
    for key in range(1, count):
        anywhere = lo + rng.integers(0, span, rng.integers(5, 30))  # working days, weekends, holidays
        k = rng.integers(2, 10)
        bridges = rng.choice(weekday_holidays, k) + rng.choice([-1, 1], k)
        holidays = np.unique(np.concatenate([anywhere, bridges]).astype("datetime64[D]"))
        work = rng.choice(weekday_holidays, rng.integers(2, 12), replace=False)
        work = np.setdiff1d(work, holidays)
        out.append(Scenario(key, tuple(holidays), tuple(np.sort(work))))
    for s in out:  # the cross-check only holds cases that Excel's WORKDAY.INTL can express
        if len(s.calendar.weekend_workdays):
            raise AssertionError(f"scenario {s.key}: a weekend working day cannot be given to Excel")
    return out


def make_cases(n_cases: int, seed: int, n_scenarios: int = 12) -> tuple[list[Scenario], pd.DataFrame]:
    """Draw ``n_cases`` random cases. Returns the scenarios and a table with one row per case.

    Columns: ``case`` (1-based), ``scenario``, ``start`` and ``end`` (``datetime64[D]``),
    ``days`` (float; fractional for some), ``start_kind`` (how the start was drawn),
    ``workday_excluded`` (True when the WORKDAY result would leave the covered calendar).
    """
    rng = np.random.default_rng(seed)
    scenarios = make_scenarios(rng, n_scenarios)
    cal0 = scenarios[0].calendar
    lo, hi = _day(FIRST_START), _day(LAST_START)
    span = int((hi - lo).astype(np.int64)) + 1
    scen = np.where(rng.random(n_cases) < 0.4, 0, rng.integers(1, n_scenarios, n_cases))
    kinds = np.array(["any", "holiday", "weekend", "override", "near_holiday", "edge"])
    kind = rng.choice(kinds, n_cases, p=[0.30, 0.20, 0.15, 0.15, 0.12, 0.08])
    start = lo + rng.integers(0, span, n_cases).astype("timedelta64[D]")
    for s in scenarios:
        mine = scen == s.key
        cal = s.calendar
        hol = cal.holiday_dates[(cal.holiday_dates >= lo) & (cal.holiday_dates <= hi)]
        pick = mine & (kind == "holiday")
        start[pick] = rng.choice(hol, pick.sum())
        pick = mine & (kind == "near_holiday")
        start[pick] = rng.choice(hol, pick.sum()) + rng.choice([-3, -2, -1, 1, 2, 3], pick.sum())
        pick = mine & (kind == "override")
        near = s.override_days if len(s.override_days) else hol
        start[pick] = rng.choice(near, pick.sum()) + rng.integers(-10, 11, pick.sum())
    pick = kind == "weekend"  # move to the Saturday or Sunday of the drawn week
    monday = start[pick] - ((start[pick].astype(np.int64) + 3) % 7).astype("timedelta64[D]")
    start[pick] = monday + rng.choice([5, 6], pick.sum())
    pick = kind == "edge"  # the last 90 days of the covered calendar, or the first days of 2000
    late = rng.random(pick.sum()) < 0.75
    start[pick] = np.where(
        late, _day(cal0.last) - rng.integers(0, 90, pick.sum()), lo + rng.integers(0, 30, pick.sum())
    )
    start = np.clip(start, lo, hi)

    whole = rng.integers(-40, 41, n_cases)
    special = rng.random(n_cases)
    whole = np.where(special < 0.10, 0, whole)
    whole = np.where((special >= 0.10) & (special < 0.25), rng.choice([-1, 1], n_cases), whole)
    whole = np.where((special >= 0.25) & (special < 0.35), rng.choice([-3, 3], n_cases), whole)
    frac = rng.random(n_cases) < 0.05  # Excel truncates toward zero: 2.7 → 2, -0.4 → 0
    days = whole + np.where(
        frac,
        np.sign(whole + (whole == 0) * rng.choice([-1, 1], n_cases))
        * rng.uniform(0.05, 0.95, n_cases).round(2),
        0.0,
    )

    end = start + rng.integers(-60, 61, n_cases).astype("timedelta64[D]")
    same = rng.random(n_cases) < 0.10
    end[same] = start[same]
    table = pd.DataFrame(
        {
            "case": np.arange(1, n_cases + 1),
            "scenario": scen,
            "start": start,
            "days": days,
            "end": end,
            "start_kind": kind,
        }
    )
    table["workday_excluded"] = False
    for s in scenarios:
        mine = scen == s.key
        if mine.any():
            table.loc[mine, "workday_excluded"] = leaves_calendar(s.calendar, start[mine], days[mine])
    # a quarter of the NETWORKDAYS ends are the WORKDAY result (networkdays(s, workday(s, n)))
    chained = (rng.random(n_cases) < 0.25) & ~table["workday_excluded"].to_numpy()
    for s in scenarios:
        pick = chained & (scen == s.key)
        if pick.any():
            end[pick] = s.calendar.workday(start[pick], days[pick])
    first, last = _day(cal0.first), _day(cal0.last)
    table["end"] = np.clip(end, first, last)
    return scenarios, table


def leaves_calendar(cal: Calendar, start: np.ndarray, days: np.ndarray) -> np.ndarray:
    """True where WORKDAY(start, days) lies outside the covered calendar: fewer than |days|
    business days of the calendar come after (days > 0) or before (days < 0) the start."""
    n = np.trunc(days).astype(np.int64)
    own = cal.is_workday(start).astype(np.int64)
    after = cal.networkdays(start, np.full(start.shape, cal.last)) - own
    before = cal.networkdays(np.full(start.shape, cal.first), start) - own
    return ((n > 0) & (n > after)) | ((n < 0) & (-n > before))


def expected_values(scenarios: Sequence[Scenario], cases: pd.DataFrame) -> pd.DataFrame:
    """The engine's results as Excel serials: ``workday`` (NaN where excluded) and ``networkdays``.

    Also checks that the engine refuses every excluded case with :class:`CalendarRangeError`.
    """
    workday = np.full(len(cases), np.nan)
    networkdays = np.full(len(cases), np.nan)
    start = cases["start"].to_numpy().astype("datetime64[D]")
    end = cases["end"].to_numpy().astype("datetime64[D]")
    days = cases["days"].to_numpy()
    excluded = cases["workday_excluded"].to_numpy()
    scen = cases["scenario"].to_numpy()
    for s in scenarios:
        mine = scen == s.key
        if not mine.any():
            continue
        cal = s.calendar
        ok = mine & ~excluded
        workday[ok] = excel_serial(cal.workday(start[ok], days[ok]))
        networkdays[mine] = cal.networkdays(start[mine], end[mine])
        for i in np.flatnonzero(mine & excluded):
            try:
                cal.workday(start[i], days[i])
            except CalendarRangeError:
                continue
            raise AssertionError(f"case {i + 1}: the engine did not refuse a result outside its calendar")
    return pd.DataFrame({"workday": workday, "networkdays": networkdays}, index=cases.index)


