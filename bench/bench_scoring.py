"""Benchmark: scoring a 1,000,000-complaint fiscal year (target ≤ 3 s, ≤ 500 MB peak).

Run: python bench/bench_scoring.py [n]. Prints the time of ``score()`` and the
peak memory of the scoring step (tracemalloc: Python + numpy allocations)
against the targets, and the time of a plain pandas groupby over the same
progress table as a same-run reference.
"""

from __future__ import annotations

import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).parent))

from _synthetic import synthetic_year

from cplkpi.scoring.scores import score


def main(n: int = 1_000_000) -> None:
    complaints, progress = synthetic_year(n)
    print(f"complaints {len(complaints):,}, progress reports {len(progress):,}")
    score(complaints.head(1000), progress, None, rules="bma-2557", fiscal_year=2563)  # warm caches
    t = time.perf_counter()
    progress.groupby("complaint_id")["reported_on"].max()
    ref = time.perf_counter() - t
    runs = []
    for _ in range(3):
        t = time.perf_counter()
        result = score(complaints, progress, None, rules="bma-2557", fiscal_year=2563)
        runs.append(time.perf_counter() - t)
    took = min(runs)
    tracemalloc.start()  # a separate run: tracing slows allocation down
    score(complaints, progress, None, rules="bma-2557", fiscal_year=2563)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    print(result.components[["key", "correct", "total", "pct", "score"]].to_string(index=False))
    print(f"score(): best of 3 {took:.2f} s, runs {', '.join(f'{r:.2f}' for r in runs)} (target ≤ 3 s: {'OK' if took <= 3 else 'MISSED'}), "
          f"{took / ref:.1f}× a pandas groupby-max over the progress table ({ref:.2f} s)")
    print(f"peak memory allocated by score() (tracemalloc): {peak / 2**20:.0f} MB (target ≤ 500 MB: "
          f"{'OK' if peak <= 500 * 2**20 else 'MISSED'})")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000)
