"""The cross-check end to end (draw, write, recalculate with LibreOffice, compare) and its command line."""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from cplkpi.crosscheck.cases import make_cases
from cplkpi.crosscheck.compare import CrossCheckResult, compare, scenario_coverage
from cplkpi.crosscheck.formula_book import write_workbook
from cplkpi.office import OfficeError, recalculate


def run(
    n_cases: int = 20_000,
    seed: int = 8,
    *,
    rows_per_sheet: int = 20_000,
    keep: str | Path | None = None,
    timeout: float = 600,
) -> CrossCheckResult:
    """Draw, write, recalculate with LibreOffice and compare ``n_cases`` cases.

    With ``keep`` (a folder), the written workbook (``crosscheck_in.xlsx``), the
    recalculated one (``crosscheck_out.xlsx``) and the disagreements
    (``disagreements.csv``) are kept there for inspection.
    """

    t0 = time.perf_counter()
    scenarios, cases = make_cases(n_cases, seed)
    with tempfile.TemporaryDirectory(prefix="cplkpi-crosscheck-") as tmp:
        folder = Path(keep) if keep is not None else Path(tmp)
        folder.mkdir(parents=True, exist_ok=True)
        src, dst = folder / "crosscheck_in.xlsx", folder / "crosscheck_out.xlsx"
        sheets = write_workbook(scenarios, cases, src, rows_per_sheet=rows_per_sheet)
        t1 = time.perf_counter()
        recalculate(src, dst, timeout=timeout)
        t2 = time.perf_counter()
        disagreements, n_work, n_net, n_excl = compare(
            scenarios, cases, dst, sheets, rows_per_sheet=rows_per_sheet
        )
        if keep is not None and not disagreements.empty:
            disagreements.to_csv(folder / "disagreements.csv", index=False)
    return CrossCheckResult(
        seed,
        n_cases,
        n_work,
        n_net,
        n_excl,
        disagreements,
        scenario_coverage(cases, scenarios),
        t2 - t1,
        time.perf_counter() - t0,
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Command line: ``python -m cplkpi.crosscheck --cases N --seed S [--keep DIR]``.

    Exit status 0 when there is no disagreement, 1 when there are, 2 when
    LibreOffice is missing or fails.
    """

    parser = argparse.ArgumentParser(
        prog="python -m cplkpi.crosscheck",
        description="ตรวจเทียบ WORKDAY.INTL/NETWORKDAYS.INTL ของ LibreOffice กับเครื่องคำนวณของ cplkpi "
        "(cross-check the engine against LibreOffice's WORKDAY.INTL/NETWORKDAYS.INTL)",
    )
    parser.add_argument("--cases", type=int, default=20_000, help="จำนวนกรณี (number of cases)")
    parser.add_argument("--seed", type=int, default=8, help="seed ของการสุ่ม (random seed)")
    parser.add_argument("--rows-per-sheet", type=int, default=20_000, help="rows per sheet")
    parser.add_argument(
        "--keep",
        type=Path,
        default=None,
        help="โฟลเดอร์เก็บไฟล์ที่เขียนและที่คำนวณแล้ว (folder to keep the workbooks in)",
    )
    parser.add_argument("--list", type=int, default=50, help="แสดงรายการไม่ตรงกันสูงสุด (disagreements to list)")
    args = parser.parse_args(argv)
    try:
        result = run(args.cases, args.seed, rows_per_sheet=args.rows_per_sheet, keep=args.keep)
    except OfficeError as exc:
        print(f"ข้อผิดพลาด (error): {exc}", file=sys.stderr)
        return 2
    print(result.summary())
    print("ครอบคลุม (coverage): " + ", ".join(f"{k} {v:,}" for k, v in result.coverage.items()))
    if not result.ok:
        print(result.listing(args.list))
        return 1
    return 0

