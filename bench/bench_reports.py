"""Bench: CPL_R001 + CPL_R003 for one month from a 100,000-row complaint workbook, end to end (target ≤ 10 s).

Generates (once, cached in the temp folder) an agency workbook shaped like
the sample: 100,000 complaints over fiscal year 2563 with acknowledgements,
first progress reports, resolutions (some still open), result details,
evidence, reopened complaints, a progress sheet of about 200,000 reports
and the Step-3 monthly-report sheet. Then times, for September 2020 (ก.ย.
2563, the last month: every month in the table), reading the workbook
values-only with python-calamine and ``fill_monthly_reports`` (engine
figures, both templates filled, validation, narratives, atomic writes).

Run: ``python bench/bench_reports.py [--rows 100000] [--pdf] [--profile]``
"""

from __future__ import annotations

import argparse
import cProfile
import datetime as _dt
import pstats
import tempfile
import time
from pathlib import Path

import numpy as np

from cplkpi.macros.reports import compute_figures, fill_monthly_reports
from cplkpi.reader import read_workbook
from cplkpi.scoring import thai_calendar
from cplkpi.scoring.tables import SHEETS

TARGET_S = 10.0
SUBJECTS = ["ไฟฟ้าส่องสว่างดับ", "ทางเท้าชำรุด", "ท่อระบายน้ำอุดตัน", "ขยะตกค้าง", "หาบเร่แผงลอย", "เสียงดังรบกวน",
            "ทางเท้าชำรุด กระเบื้องแตกหลายแผ่น หน้าปากซอยมีน้ำขังเวลาฝนตก คนเดินลำบาก ขอให้ซ่อมโดยด่วน"]
UNITS = ["ฝ่ายโยธา", "ฝ่ายรักษาความสะอาดและสวนสาธารณะ", "ฝ่ายเทศกิจ", "ฝ่ายสิ่งแวดล้อมและสุขาภิบาล"]


def generate(path: Path, n: int, seed: int = 4) -> Path:
    """Write an n-complaint agency workbook for fiscal year 2563 (vectorised; openpyxl write-only)."""
    from openpyxl import Workbook

    rng = np.random.default_rng(seed)
    cal = thai_calendar()
    start, end = np.datetime64("2019-10-01"), np.datetime64("2020-09-30")
    bdays = (cal.bdays.astype(np.int64) + int(cal.first.astype(np.int64))).astype("datetime64[D]")
    bdays = bdays[(bdays >= start) & (bdays <= end)]
    fwd = np.sort(bdays[rng.integers(0, len(bdays), n)])
    ack = cal.workday(fwd, rng.choice([0, 1, 1, 1, 2], n))
    first = cal.workday(ack, rng.choice([1, 2, 3, 3, 4], n))
    resolved = cal.workday(ack, np.where(rng.random(n) < 0.7, rng.integers(1, 15, n), rng.integers(15, 120, n)))
    resolved = np.where(resolved > end, np.datetime64("NaT"), resolved)
    reopened = np.where((rng.random(n) < 0.02) & ~np.isnat(resolved), cal.workday(np.where(np.isnat(resolved), fwd,
                                                                                             resolved), 3),
                        np.datetime64("NaT"))
    reopened = np.where(reopened > end, np.datetime64("NaT"), reopened)
    n_rep = 2 * n
    who = rng.integers(0, n, n_rep)
    rep = cal.workday(first[who], rng.integers(1, 40, n_rep))
    keep = rep <= end

    def day(x: np.datetime64) -> _dt.date | None:
        return None if np.isnat(x) else x.astype(_dt.date)

    wb = Workbook(write_only=True)
    ws = wb.create_sheet(SHEETS["complaints"][0])
    ws.append(["เลขที่เรื่อง", "หน่วยงาน", "ฝ่าย", "ช่องทาง", "เรื่อง", "วันที่รับแจ้ง", "วันที่ศูนย์แจ้งเรื่อง", "วันที่ตอบรับ",
               "วันที่รายงานความก้าวหน้า", "วันที่แล้วเสร็จ", "สถานะ", "ผลการดำเนินการ", "หลักฐาน", "วันที่ส่งเรื่องใหม่"])
    subj = rng.integers(0, len(SUBJECTS), n)
    unit = rng.integers(0, len(UNITS), n)
    detail = rng.random(n) < 0.97
    evidence = rng.random(n) < 0.94
    for i in range(n):
        done = not np.isnat(resolved[i])
        ws.append([f"63{i:07d}", "สำนักงานเขตทดสอบ", UNITS[unit[i]], "1555", SUBJECTS[subj[i]],
                   _dt.datetime.combine(day(fwd[i]), _dt.time(9, 30)), day(fwd[i]), day(ack[i]), day(first[i]),
                   day(resolved[i]), "เสร็จสิ้น" if done else "กำลังดำเนินการ",
                   "ดำเนินการแก้ไขแล้ว แจ้งผู้ร้องทราบ" if done and detail[i] else "", "มี" if evidence[i] else "ไม่มี",
                   day(reopened[i])])
    ws = wb.create_sheet(SHEETS["progress"][0])
    ws.append(["เลขที่เรื่อง", "วันที่รายงาน", "ความก้าวหน้า"])
    for w, r in zip(who[keep], rep[keep]):
        ws.append([f"63{w:07d}", day(r), "อยู่ระหว่างดำเนินการ"])
    ws = wb.create_sheet(SHEETS["monthly_reports"][0])
    ws.append(["หน่วยงาน", "เดือน", "วันที่ส่งรายงาน"])
    for m in range(12):
        month = _dt.date(2019 + (m >= 3), (m + 9) % 12 + 1, 1)
        due = _dt.date(month.year + (month.month == 12), month.month % 12 + 1, 8)
        ws.append(["สำนักงานเขตทดสอบ", month, due if m != 4 else None])
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp.xlsx")
    wb.save(tmp)
    tmp.replace(path)
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--month", default="2563-09")
    parser.add_argument("--pdf", action="store_true", help="also render both PDFs (needs LibreOffice)")
    parser.add_argument("--profile", action="store_true", help="print the 25 most expensive functions")
    args = parser.parse_args()

    path = Path(tempfile.gettempdir()) / f"cplkpi-bench-reports-v2-{args.rows}.xlsx"
    if not path.exists():
        t = time.perf_counter()
        generate(path, args.rows)
        print(f"generated {path} in {time.perf_counter() - t:.1f} s (not timed)")
    out = Path(tempfile.mkdtemp(prefix="cplkpi-bench-reports-"))

    # same-run reference: the bare calamine read of the complaint and progress sheets (no normalisation)
    from python_calamine import CalamineWorkbook

    t = time.perf_counter()
    raw = CalamineWorkbook.from_path(str(path))
    for name in (SHEETS["complaints"][0], SHEETS["progress"][0]):
        raw.get_sheet_by_name(name).to_python()
    ref = time.perf_counter() - t

    profiler = cProfile.Profile() if args.profile else None
    if profiler:
        profiler.enable()
    t0 = time.perf_counter()
    book = read_workbook(path)
    t1 = time.perf_counter()
    fills = []
    for _ in range(1 if args.pdf or args.profile else 2):
        t = time.perf_counter()
        result = fill_monthly_reports(book, args.month, out_dir=out, pdf=args.pdf)
        fills.append(time.perf_counter() - t)
    if profiler:
        profiler.disable()
    t = time.perf_counter()
    compute_figures(book, args.month)
    figures_s = time.perf_counter() - t

    read_s, fill_s = t1 - t0, min(fills)
    total = read_s + fill_s
    print(f"rows: {len(book.complaints.table):,} complaints, {len(book.progress.table):,} progress reports; "
          f"R001 lists {len(result.figures.pending):,} open complaints; findings: {len(result.findings)}")
    print(f"reference: bare calamine read of the two sheets {ref:.2f} s")
    print(f"read_workbook {read_s:.2f} s ({read_s / ref:.1f}x the reference) | fill both reports"
          f"{' + PDFs' if args.pdf else ''} {fill_s:.2f} s (best of {len(fills)}: "
          f"{', '.join(f'{x:.2f}' for x in fills)}; {fill_s / ref:.1f}x the reference; engine figures alone "
          f"{figures_s:.2f} s)")
    print(f"end to end: {total:.2f} s  (target {TARGET_S:.0f} s: {'OK' if total <= TARGET_S else 'MISSED'}, "
          f"ratio {total / TARGET_S:.2f}); the report job alone {fill_s:.2f} s "
          f"({'OK' if fill_s <= TARGET_S else 'MISSED'})")
    if result.pdf_skipped:
        print(result.pdf_skipped)
    if profiler:
        pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
