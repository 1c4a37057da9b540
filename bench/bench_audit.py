"""Benchmark: the committee's batch audit of 50 agency workbooks of 2,000 complaints each (target ≤ 60 s).

Run: python bench/bench_audit.py [--agencies 50] [--complaints 2000] [--workers 2] [--dir DIR] [--reuse]

Writes the synthetic submissions (complaint sheets + filled CPL_R003/CPL_R001 +
progress form, ``bench/agencies_synthetic.py``) into DIR (not timed;
``--reuse`` keeps an existing folder), then times ``audit_folder`` exactly as
``cplkpi audit-batch`` runs it (process pool, samples drawn into a folder,
committee workbook written; the PDF separately). As a same-run reference it
times reading every workbook values-only with ``read_workbook``: the floor of
any audit, which must read each file.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

from agencies_synthetic import agency_name, write_agency_submission

from cplkpi.macros.audit_batch import audit_folder, workbook_files
from cplkpi.reader import read_workbook

MONTH = _dt.date(2020, 9, 1)  # the fiscal year's last month: every month's figures are in the reports
TARGET_S = 60.0


def _cpu() -> float:
    """User + system CPU seconds of this process and of its finished child processes."""
    me, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return me.ru_utime + me.ru_stime + kids.ru_utime + kids.ru_stime


def _write(args: tuple[Path, int, int]) -> Path:
    folder, i, n = args
    return write_agency_submission(folder / f"{i + 1:02d}_{agency_name(i)}.xlsx", i, MONTH, n)


def generate(folder: Path, agencies: int, complaints: int, workers: int) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    with ProcessPoolExecutor(max_workers=workers) as pool:
        return list(pool.map(_write, [(folder, i, complaints) for i in range(agencies)]))


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--agencies", type=int, default=50)
    ap.add_argument("--complaints", type=int, default=2000)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--dir", type=Path, default=None, help="folder of the synthetic submissions")
    ap.add_argument("--reuse", action="store_true", help="keep the submissions already in --dir")
    ap.add_argument("--pdf", action="store_true", help="also time the committee PDF (LibreOffice)")
    a = ap.parse_args(argv)
    folder = a.dir or Path(tempfile.gettempdir()) / f"cplkpi-bench-audit-{a.agencies}x{a.complaints}"
    files = workbook_files(folder) if folder.exists() else []
    if not (a.reuse and len(files) == a.agencies):
        t = time.perf_counter()
        files = generate(folder, a.agencies, a.complaints, a.workers)
        print(f"generated {len(files)} submissions of {a.complaints:,} complaints in {time.perf_counter() - t:.1f} s "
              f"({folder})")
    size = sum(p.stat().st_size for p in files) / len(files)
    print(f"{len(files)} agency workbooks, {a.complaints:,} complaints each, {size / 2**20:.1f} MB on average")

    t, c = time.perf_counter(), time.process_time()
    for p in files:
        read_workbook(p)
    ref, ref_cpu = time.perf_counter() - t, time.process_time() - c

    with tempfile.TemporaryDirectory(prefix="cplkpi-bench-audit-out-") as out:
        cpu0 = _cpu()
        t = time.perf_counter()
        result = audit_folder(folder, out_dir=out, workers=a.workers, pdf=False, made_on=_dt.date(2020, 10, 20))
        took = time.perf_counter() - t
        cpu = _cpu() - cpu0
        pdf_took = None
        if a.pdf:
            from cplkpi.office import to_pdf

            t = time.perf_counter()
            to_pdf(result.workbook, Path(out) / "committee.pdf")
            pdf_took = time.perf_counter() - t
    n = len(files)
    findings = sum(s.findings for s in result.audited)
    print(f"audited {len(result.audited)}/{n} ({len(result.errors)} errors, {findings} findings), "
          f"committee workbook written")
    print(f"batch audit: {took:.1f} s with {a.workers} worker processes = {took / n:.2f} s per workbook "
          f"(wall), {took * a.workers / n:.2f} s per workbook per worker (target ≤ {TARGET_S:.0f} s: "
          f"{'OK' if took <= TARGET_S else 'MISSED'})")
    print(f"CPU time of the batch (this process and its workers): {cpu:.1f} s = {cpu / a.workers:.1f} s on "
          f"{a.workers} otherwise idle cores ({os.getloadavg()[0]:.1f} load average now: other work slows the wall time)")
    print(f"reference: reading the {n} workbooks values-only (read_workbook, 1 process) {ref:.1f} s "
          f"({ref_cpu:.1f} s CPU) = {ref_cpu / n:.2f} s CPU each; the audit takes {cpu / ref_cpu:.1f}× that CPU "
          "(it reads each file, recomputes and re-renders both reports, validates, draws the sample)")
    if pdf_took is not None:
        print(f"committee PDF (LibreOffice): {pdf_took:.1f} s")
    return 0 if took <= TARGET_S else 1


if __name__ == "__main__":
    sys.exit(main())
