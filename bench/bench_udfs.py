"""Benchmark: one call of CPL_ACK_DUE and CPL_STATUS over a 100,000-row column (target ≤ 0.2 s each).

Run: python bench/bench_udfs.py [n] [--profile]. The columns are built the way
xlwings hands them to a cell function declared with ``ndim=2``: a list of
one-element lists, as classic xlwings on Windows passes them (date cells as
``datetime.datetime``, formula dates as float serials, empty cells as None) and
as xlwings Lite/Server passes them (float serials, empty cells as ""). Times
are the Python side only (Excel's own transfer excluded), best of 3, next to
the engine call alone on ready numpy arrays in the same run (the reference:
what is left is conversion). ``--profile`` prints where a CPL_STATUS call
spends its time.
"""

from __future__ import annotations

import cProfile
import datetime as dt
import os
import pstats
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).parent))

from _synthetic import synthetic_year

from cplkpi.scoring.deadlines import ack_due, status_as_of
from cplkpi.udfs import CPL_ACK_DUE, CPL_STATUS

TARGET = 0.2
AS_OF = dt.datetime(2020, 6, 30)
EXCEL_EPOCH = np.datetime64("1899-12-30", "D")


def as_excel(days: np.ndarray, flavour: str, rng: np.random.Generator) -> list[list[object]]:
    """A datetime64[D] column as xlwings passes it: ``classic`` (80 % datetime cells, 20 % float
    serials from formulas, None when empty) or ``lite`` (float serials, "" when empty)."""
    serial = (days - EXCEL_EPOCH).astype(np.int64).astype(float)
    empty = np.isnat(days)
    if flavour == "lite":
        return [[""] if e else [s] for s, e in zip(serial.tolist(), empty.tolist())]
    stamps = days.astype("datetime64[s]").astype(dt.datetime)  # object array of datetimes
    is_serial = rng.random(len(days)) < 0.2
    return [[None] if e else [s] if f else [d]
            for d, s, e, f in zip(stamps.tolist(), serial.tolist(), empty.tolist(), is_serial.tolist())]


def best(fn, *args, runs: int = 3) -> tuple[float, float, object]:
    """Best-of-``runs`` wall-clock and CPU time of ``fn(*args)`` (CPU time is what the call itself
    costs when the machine is shared), and its result."""
    walls, cpus, out = [], [], None
    for _ in range(runs):
        t, c = time.perf_counter(), time.process_time()
        out = fn(*args)
        walls.append(time.perf_counter() - t)
        cpus.append(time.process_time() - c)
    return min(walls), min(cpus), out


def main(n: int = 100_000, profile: bool = False) -> None:
    complaints, progress = synthetic_year(n)
    rng = np.random.default_rng(2563)
    fwd = complaints["forwarded_on"].to_numpy().astype("datetime64[D]")
    ack = complaints["acknowledged_on"].to_numpy().astype("datetime64[D]")
    ack = np.where(rng.random(n) < 0.1, np.datetime64("NaT"), ack)  # some not acknowledged yet
    last = progress.groupby("complaint_id")["reported_on"].max()
    rep = last.reindex(complaints["complaint_id"]).to_numpy().astype("datetime64[D]")
    res = complaints["resolved_on"].to_numpy().astype("datetime64[D]")
    as_of = np.datetime64(AS_OF.date(), "D")
    CPL_ACK_DUE([[AS_OF]])  # warm the calendar caches

    ref_ack, ref_ack_cpu, _ = best(ack_due, fwd)
    ref_status, ref_status_cpu, _ = best(
        lambda: status_as_of(fwd, ack, rep, res, as_of)["status_th"].to_numpy())
    print(f"{n:,} rows; load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs (wall time grows "
          f"with it, CPU time does not)")
    print(f"engine alone on numpy arrays: ack_due {ref_ack * 1000:.1f} ms wall / {ref_ack_cpu * 1000:.1f} ms "
          f"CPU, status_as_of {ref_status * 1000:.1f} ms wall / {ref_status_cpu * 1000:.1f} ms CPU")
    for flavour in ("classic", "lite"):
        cols = [as_excel(c, flavour, rng) for c in (fwd, ack, rep, res)]
        t_ack, cpu_ack, out_ack = best(CPL_ACK_DUE, cols[0])
        t_status, cpu_status, out_status = best(CPL_STATUS, *cols, [[AS_OF]])
        assert len(out_ack) == n and len(out_status) == n
        counts = {}
        for (s,) in out_status:
            counts[s] = counts.get(s, 0) + 1
        for name, took, cpu, ref in (("CPL_ACK_DUE", t_ack, cpu_ack, ref_ack_cpu),
                                     ("CPL_STATUS", t_status, cpu_status, ref_status_cpu)):
            print(f"{flavour:8s} {name:12s} {took * 1000:7.1f} ms wall, {cpu * 1000:7.1f} ms CPU "
                  f"(target ≤ {TARGET * 1000:.0f} ms: wall {'OK' if took <= TARGET else 'MISSED'}, "
                  f"CPU {'OK' if cpu <= TARGET else 'MISSED'}; the engine's share of the CPU time "
                  f"{ref / cpu:.0%})")
        print(f"         statuses: {', '.join(f'{k} {v:,}' for k, v in sorted(counts.items(), key=str))}")
    if profile:
        cols = [as_excel(c, "classic", rng) for c in (fwd, ack, rep, res)]
        prof = cProfile.Profile()
        prof.runcall(CPL_STATUS, *cols, [[AS_OF]])
        pstats.Stats(prof).sort_stats("tottime").print_stats(15)


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(int(args[0]) if args else 100_000, profile="--profile" in sys.argv)
