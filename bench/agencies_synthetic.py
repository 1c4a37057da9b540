"""Synthetic agency submissions: the bundled sample varied into many agencies (tests, benchmarks, doc pictures).

Not part of the installed package: the tests import it through ``tests/conftest.py`` (which puts
``bench/`` on ``sys.path``), the benchmarks and ``scripts/render_doc_images.py`` from beside them.

Each synthetic agency is one of Bangkok's 50 districts. Its complaints are
drawn (deterministically, by the agency's index) from the bundled sample
workbook of สำนักงานเขตบางกอกน้อย, fiscal year 2563, renumbered, with their
progress reports; its file is a *submitted agency workbook* as defined in
:mod:`cplkpi.macros.audit_submission` (complaint sheets + filled CPL_R003/CPL_R001 + the
progress form), built by the report job. With ``clean=True`` every
completed complaint has a result detail and evidence, so an untouched file
has no finding at all.

``python bench/agencies_synthetic.py FOLDER [COUNT] [COMPLAINTS] [MONTH]``
writes a folder to try ``cplkpi audit-batch`` on.
"""

from __future__ import annotations

import datetime as _dt
import functools
import sys
from pathlib import Path
from typing import Any

import numpy as np
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from cplkpi.examples import sample_path
from cplkpi.importers.agencies import BANGKOK_DISTRICTS
from cplkpi.macros.audit_submission import submission_bytes
from cplkpi.reader import ComplaintWorkbook, from_sheets
from cplkpi.scoring.rules import DEFAULT_RULES
from cplkpi.scoring.tables import SHEETS
from cplkpi.xlsx import write_bytes_atomic, write_table_sheet

__all__ = [
    "DISTRICTS",
    "agency_book",
    "agency_name",
    "agency_sheets",
    "write_agency_folder",
    "write_agency_submission",
]

#: The 50 district offices of Bangkok (สำนักงานเขต…).
DISTRICTS = tuple(f"สำนักงานเขต{n}" for n in BANGKOK_DISTRICTS)
_RESULT = "ลงพื้นที่ตรวจสอบและดำเนินการแก้ไขเรียบร้อยแล้ว พร้อมภาพถ่ายก่อน-หลัง ได้แจ้งผู้ร้องทราบแล้ว"


def agency_name(index: int) -> str:
    """District name of synthetic agency ``index`` (beyond 50: numbered departments)."""
    return DISTRICTS[index] if index < len(DISTRICTS) else f"สำนักงานทดสอบที่ {index + 1}"


@functools.cache
def _sample_rows() -> dict[str, list[list[Any]]]:
    wb = CalamineWorkbook.from_path(str(sample_path()))
    return {name: wb.get_sheet_by_name(name).to_python() for name in wb.sheet_names}


def agency_sheets(index: int, complaints: int = 300, *, clean: bool = True) -> dict[str, list[list[Any]]]:
    """The sheets (rows, header first) of synthetic agency ``index`` with ``complaints`` complaints."""
    rows = _sample_rows()
    c_name, p_name, m_name = SHEETS["complaints"][0], SHEETS["progress"][0], SHEETS["monthly_reports"][0]
    header, data = rows[c_name][0], rows[c_name][1:]
    col = {h: i for i, h in enumerate(header)}
    rng = np.random.default_rng(10_000 + index)
    pick = np.sort(rng.choice(len(data), size=complaints, replace=complaints > len(data)))
    agency = agency_name(index)
    progress: dict[str, list[list[Any]]] = {}
    for r in rows[p_name][1:]:
        progress.setdefault(str(r[0]), []).append(r)
    out_c, out_p = [header], [rows[p_name][0]]
    for j, i in enumerate(pick):
        r = list(data[i])
        old = str(r[col["เลขที่เรื่อง"]])
        new = f"{63 + index % 30:02d}{index:02d}{j + 1:05d}"
        r[col["เลขที่เรื่อง"]] = new
        r[col["หน่วยงาน"]] = agency
        if clean and (r[col["วันที่แล้วเสร็จ"]] not in (None, "") or r[col["สถานะ"]] == "เสร็จสิ้น"):
            if str(r[col["ผลการดำเนินการ"]] or "").strip() in ("", "-"):
                r[col["ผลการดำเนินการ"]] = _RESULT
            r[col["หลักฐาน"]] = "มี"
        out_c.append(r)
        out_p += [[new, *p[1:]] for p in progress.get(old, [])]
    monthly = [rows[m_name][0]] + [[agency, *r[1:]] for r in rows[m_name][1:]]
    return {c_name: out_c, p_name: out_p, m_name: monthly, SHEETS["calendar"][0]: [["วันที่", "ประเภท", "หมายเหตุ"]]}


def agency_book(sheets: dict[str, list[list[Any]]]) -> ComplaintWorkbook:
    """The engine's view of synthetic sheets."""
    return from_sheets(sheets)


def write_agency_submission(path: str | Path, index: int, month: Any, complaints: int = 300, *, clean: bool = True,
                            rules: str = DEFAULT_RULES, narrative: bool = True, as_of: Any = None) -> Path:
    """Write the submitted workbook of synthetic agency ``index`` for ``month`` (as of ``as_of``, default the
    month's last day) to ``path``."""
    sheets = agency_sheets(index, complaints, clean=clean)
    wb = Workbook()
    wb.remove(wb.active)
    widths = {SHEETS["complaints"][0]: [13, 24, 26, 14, 20, 40, 18, 14, 14, 14, 14, 14, 48, 9, 10, 14]}
    for title, rows in sheets.items():
        write_table_sheet(wb, title, rows[0], [[_cell(v) for v in r] for r in rows[1:]], widths.get(title))
    data = submission_bytes(wb, agency_book(sheets), month, rules=rules, as_of=as_of, narrative=narrative)
    return write_bytes_atomic(data, path)


def _cell(v: Any) -> Any:
    if isinstance(v, _dt.datetime) and v.time() == _dt.time(0):
        return v.date()
    return None if v == "" else v


def write_agency_folder(folder: str | Path, count: int, month: Any, complaints: int = 300, *, clean: bool = True,
                        start: int = 0) -> list[Path]:
    """Write ``count`` synthetic submissions (agencies ``start`` …) into ``folder``; return their paths."""
    folder = Path(folder)
    return [write_agency_submission(folder / f"{i + 1:02d}_{agency_name(i)}.xlsx", i, month, complaints, clean=clean)
            for i in range(start, start + count)]


def main(argv: list[str] | None = None) -> None:
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        print("usage: python bench/agencies_synthetic.py FOLDER [COUNT] [COMPLAINTS] [MONTH]")
        raise SystemExit(2)
    count = int(argv[1]) if len(argv) > 1 else 10
    n = int(argv[2]) if len(argv) > 2 else 300
    month = argv[3] if len(argv) > 3 else "2020-03-01"
    for p in write_agency_folder(argv[0], count, _dt.date.fromisoformat(month), n):
        print(p)


if __name__ == "__main__":
    main()
