"""On-demand cross-check of the engine with LibreOffice: 100,000 cases or more (not a test).

Run: python bench/crosscheck_100k.py [cases] [seed]   (defaults 100000, a seed from the clock)

Prints the case count, the formula cells compared, the disagreements (expected
0, each one listed), the coverage of the corners and LibreOffice's
recalculation time next to the total. Exit status 1 when any cell disagrees.
CI runs the same tool with 20,000 cases (tests/core/test_crosscheck_libreoffice.py).
"""

from __future__ import annotations

import sys
import time

from cplkpi.crosscheck import run


def main(n_cases: int = 100_000, seed: int | None = None) -> int:
    seed = int(time.time()) % 100_000 if seed is None else seed
    result = run(n_cases, seed, rows_per_sheet=20_000)
    print(result.summary())
    print("coverage: " + ", ".join(f"{k} {v:,}" for k, v in result.coverage.items()))
    print(f"recalculation share of the run: {result.seconds_recalc / result.seconds_total:.0%}")
    if not result.ok:
        print(result.listing(200))
        return 1
    return 0


if __name__ == "__main__":
    args = [int(a) for a in sys.argv[1:3]]
    raise SystemExit(main(*args))
