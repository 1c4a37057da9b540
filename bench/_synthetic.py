"""Vectorised synthetic complaint tables for benchmarks (not the committed sample)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from cplkpi.scoring import thai_calendar
from cplkpi.scoring.thaidate import fiscal_year_range


def synthetic_year(n: int, fiscal_year: int = 2563, seed: int = 1, reports_per: float = 2.0):
    """``n`` complaints forwarded in ``fiscal_year`` and about ``reports_per * n`` progress reports."""
    rng = np.random.default_rng(seed)
    cal = thai_calendar()
    start, end = fiscal_year_range(fiscal_year)
    bdays = (cal.bdays.astype(np.int64) + int(cal.first.astype(np.int64))).astype("datetime64[D]")
    bdays = bdays[(bdays >= np.datetime64(start)) & (bdays <= np.datetime64(end))]
    fwd = bdays[rng.integers(0, len(bdays), n)]
    ack = cal.workday(fwd, rng.choice([0, 1, 1, 1, 2], n))
    first = cal.workday(ack, rng.integers(1, 5, n))
    resolved = cal.workday(ack, rng.integers(1, 90, n)).astype("datetime64[D]")
    resolved = np.where(resolved > np.datetime64(end), np.datetime64("NaT"), resolved)
    complaints = pd.DataFrame({
        "complaint_id": pd.array([f"C{i:08d}" for i in range(n)], dtype="string"),
        "forwarded_on": fwd.astype("datetime64[s]"),
        "acknowledged_on": ack.astype("datetime64[s]"),
        "first_progress_on": first.astype("datetime64[s]"),
        "resolved_on": resolved.astype("datetime64[s]"),
        "result_detail": pd.array(np.where(rng.random(n) < 0.97, "ดำเนินการแก้ไขแล้ว", ""), dtype="string"),
        "has_evidence": pd.array(rng.random(n) < 0.95, dtype="boolean"),
        "reopened_on": np.full(n, np.datetime64("NaT"), dtype="datetime64[s]"),
    })
    m = int(n * reports_per)
    who = rng.integers(0, n, m)
    rep = cal.workday(first[who], rng.integers(1, 60, m))
    progress = pd.DataFrame({
        "complaint_id": complaints["complaint_id"].to_numpy()[who],
        "reported_on": rep.astype("datetime64[s]"),
    })
    return complaints, progress
