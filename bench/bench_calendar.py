"""Benchmark: our vectorised WORKDAY against numpy and pandas on the same calendar.

Run: python bench/bench_calendar.py [n]. Draws n (default 1,000,000) random
(start date, n business days) pairs over the covered years, n in [-40, 40],
and prints ns per row for:

* ``Calendar.workday`` (a precomputed business-day index: two array lookups);
* raw ``numpy.busday_offset`` (one call, roll="forward") on the same holidays;
* the numpy composition that gives Excel's semantics (three calls), which the
  results are checked against;
* pandas ``CustomBusinessDay`` (per-row offsets; timed on a 20,000-row subset).

Targets (issue 3): ≤ 0.5× numpy's time and ≥ 100× faster than pandas.
"""

from __future__ import annotations

import sys
import time

import numpy as np
import pandas as pd

from cplkpi.scoring import thai_calendar


def best(fn, repeat: int = 5) -> float:
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def main(n: int = 1_000_000) -> None:
    cal = thai_calendar()
    bc = cal.busdaycalendar()
    rng = np.random.default_rng(7)
    lo = np.datetime64("1998-01-01")
    span = int((np.datetime64("2027-06-30") - lo).astype(int))
    start = (lo + rng.integers(0, span, n)).astype("datetime64[D]")
    days = rng.integers(-40, 41, n)

    ours = best(lambda: cal.workday(start, days))
    raw = best(lambda: np.busday_offset(start, days, roll="forward", busdaycal=bc))

    def excel_numpy():
        fwd = np.busday_offset(start, days, roll="backward", busdaycal=bc)
        back = np.busday_offset(start, days, roll="forward", busdaycal=bc)
        return np.where(days > 0, fwd, np.where(days < 0, back, start))

    composed = best(excel_numpy, repeat=3)
    assert (cal.workday(start, days) == excel_numpy()).all(), "results differ from numpy's Excel composition"

    m = 20_000
    cbd = pd.offsets.CustomBusinessDay(holidays=cal.holiday_dates, weekmask="Mon Tue Wed Thu Fri")
    sub_s, sub_n = pd.to_datetime(start[:m]), days[:m]

    def pandas_rows():
        return [s + k * cbd if k else s for s, k in zip(sub_s, sub_n)]

    t = time.perf_counter()
    pandas_rows()
    pandas_ns = (time.perf_counter() - t) / m * 1e9

    per = lambda sec: sec / n * 1e9  # noqa: E731
    print(f"rows: {n:,} random (date, n) pairs, n in [-40, 40]; same calendar ({len(cal.holiday_dates)} holidays)")
    print(f"cplkpi Calendar.workday      : {per(ours):8.1f} ns/row")
    print(f"numpy.busday_offset (raw)    : {per(raw):8.1f} ns/row   ours/numpy = {ours / raw:.3f} (target ≤ 0.5)")
    print(f"numpy, Excel semantics (3×)  : {per(composed):8.1f} ns/row   (results identical: yes)")
    print(f"pandas CustomBusinessDay     : {pandas_ns:8.1f} ns/row   pandas/ours = {pandas_ns / per(ours):,.0f}× "
          "(target ≥ 100×)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
