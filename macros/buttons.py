"""The report buttons: one function per job, each taking the open ``xlwings.Book``.

Jobs (:data:`JOBS`):

* ``monthly_reports``: CPL_R001/CPL_R003 of the month from the complaint sheet
  (:func:`cplkpi.macros.reports.fill_monthly_reports`), written as files into the
  output folder;
* ``validate``: check the CPL_R003/CPL_R001 sheets of the open book
  (:func:`cplkpi.macros.validate.validate_reports`) and its complaint data;
* ``score``: the fiscal year's score into the sheet สรุปคะแนน, with the reasons
  complaints lost points in คำอธิบายคะแนน (:meth:`ComplaintWorkbook.score`);
* ``overdue``: complaints overdue or due soon as of today into เรื่องเกินกำหนด, most fiscal-year
  points at stake first (:func:`cplkpi.scoring.stakes.points_at_stake`);
* ``audit``: the committee's audit of a submitted workbook
  (:func:`cplkpi.macros.audit.audit_workbook`) into ผลการตรวจของคณะกรรมการ;
* ``import``: Traffy Fondue CSVs and MIS/1555 exports in the import folder into a
  new complaint workbook (:func:`cplkpi.importers.import_files`), with the import
  summary in สรุปการนำเข้า.

Settings (month, fiscal year, as-of date, rule set, folders, PDF, keep going)
are read from the control sheet ``cplkpi`` (:mod:`.xlbook`); every run writes
its progress and its outcome (or the error, in Thai with English) into the
control sheet's status cell, and input problems into the sheet
ปัญหาในข้อมูล, so nothing fails silently.

Entry points:

* classic xlwings (``RunPython``): :func:`main` runs the job chosen in the
  control sheet (the button of ``templates/cplkpi_excel.xlsm``); one function
  per job (``monthly_reports_button()`` …) for a VBA ``Sub`` of one's own;
* xlwings Lite/Server: the ``@script`` functions ``cpl_*`` (a ``book: xw.Book``
  argument), shown as buttons in the task pane. Lite cannot write files to the
  user's disk, so there the monthly-report job says so instead of writing.
"""

from __future__ import annotations

import datetime as _dt
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, cast

import xlwings as xw

from cplkpi.importers import IMPORT_SUFFIXES, district_filter, import_files
from cplkpi.outputs import OutputError, check_output_folder, protected_inputs
from cplkpi.reader import ComplaintWorkbook, find_sheet, one_agency
from cplkpi.scoring.days import BANGKOK
from cplkpi.scoring.errors import CplError, InputError, Problem
from cplkpi.scoring.explain import component_labels
from cplkpi.scoring.monitor import phase_th
from cplkpi.scoring.rules import DEFAULT_RULES, available_rules
from cplkpi.scoring.tables import yes_no
from cplkpi.scoring.thaidate import (
    date_code,
    fiscal_year,
    fiscal_year_range,
    format_thai_date,
    format_thai_month,
    parse_date,
    parse_month,
)

from . import xlbook
from .audit import audit_workbook, month_label
from .audit_reports import NARRATIVE_SHEET, REPORT_SHEETS, as_openpyxl
from .reports import VALIDATION_SHEET, fill_monthly_reports, output_names
from .validate import FINDINGS_HEADERS, findings_rows, validate_reports
from .xlbook import Block

__all__ = [
    "JOBS",
    "Job",
    "audit_button",
    "committee_audit",
    "cpl_audit",
    "cpl_import",
    "cpl_monthly_reports",
    "cpl_overdue",
    "cpl_score",
    "cpl_validate",
    "import_button",
    "import_complaints",
    "main",
    "monthly_reports",
    "monthly_reports_button",
    "overdue_button",
    "overdue_today",
    "run",
    "run_selected",
    "score_button",
    "score_fiscal_year",
    "validate_button",
    "validate_workbook",
]

PROBLEMS_SHEET = "ปัญหาในข้อมูล"
SCORE_SHEET = "สรุปคะแนน"
EXPLAIN_SHEET = "คำอธิบายคะแนน"
OVERDUE_SHEET = "เรื่องเกินกำหนด"
#: Title of the block under the overdue list: the projected totals and how the points are computed.
STAKES_TITLE = "คะแนนที่คาดการณ์และวิธีคิดคะแนนที่ได้คืน (projected score and how points at stake are computed)"
AUDIT_SHEET = "ผลการตรวจของคณะกรรมการ"
IMPORT_SHEET = "สรุปการนำเข้า"
REPORTS_FOLDER = "cplkpi_reports"


class Stopped(CplError):
    """A job stopped on purpose; the message (Thai, English in parentheses) goes to the status cell."""


# --- settings from the control sheet ------------------------------------------------------


def _today() -> _dt.date:
    return _dt.datetime.now(BANGKOK).date()


def _where(key: str) -> str:
    return f"{xlbook.CONTROL_SHEET}!B{xlbook.FIRST_FIELD_ROW + list(xlbook.FIELDS).index(key)}"


def _date_setting(ctl: dict[str, Any], key: str) -> _dt.date | None:
    value = ctl[key]
    if value is None:
        return None
    try:
        return parse_date(value)  # also a B.E. year kept as C.E. by a date cell (2563-09-30)
    except (ValueError, TypeError) as exc:
        raise Stopped(f"{_where(key)} {xlbook.FIELDS[key]}: {exc}") from exc


def _month_setting(ctl: dict[str, Any]) -> _dt.date:
    """The report month typed in the control sheet; default: the month before today's."""
    if ctl["month"] is None:
        return (_today().replace(day=1) - _dt.timedelta(days=1)).replace(day=1)
    try:
        return parse_month(ctl["month"])
    except (ValueError, TypeError) as exc:
        raise Stopped(f"{_where('month')} อ่านเดือนไม่ได้ ตัวอย่าง ก.ย. 2563 (cannot read the month, e.g. "
                      f"ก.ย. 2563): {exc}") from exc


def _fiscal_year_setting(ctl: dict[str, Any]) -> int | None:
    value = ctl["fiscal_year"]
    if value is None:
        return None
    try:
        fy = int(float(str(value).strip()))
        fiscal_year_range(fy)  # refuses a C.E. year
    except (ValueError, OverflowError) as exc:
        raise Stopped(f"{_where('fiscal_year')} ปีงบประมาณต้องเป็น พ.ศ. เช่น 2563 "
                      f"(the fiscal year must be B.E., e.g. 2563): {value!r}") from exc
    return fy


def _rules_setting(ctl: dict[str, Any]) -> str:
    name = str(ctl["rules"] or DEFAULT_RULES).strip()
    if name not in available_rules():
        raise Stopped(f"{_where('rules')} ไม่รู้จักชุดเกณฑ์ {name!r} (unknown rule set); "
                      f"มีให้เลือก (available): {', '.join(available_rules())}")
    return name


def _flag_setting(ctl: dict[str, Any], key: str, default: bool) -> bool:
    value = ctl[key]
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value != 0
    try:
        flag = yes_no(value)
    except ValueError as exc:
        raise Stopped(f"{_where(key)} {xlbook.FIELDS[key]}: ใส่ ใช่ หรือ ไม่ (write yes or no): "
                      f"{value!r}") from exc
    return default if flag is None else flag


def _folder(book: Any, ctl: dict[str, Any], key: str) -> Path | None:
    """A folder typed in the control sheet; relative folders are next to the workbook."""
    value = ctl[key]
    if value is None:
        return None
    path = Path(str(value).strip()).expanduser()
    home = Path(str(book.fullname)).parent
    return path if path.is_absolute() or not home.is_absolute() else home / path


# --- shared steps ----------------------------------------------------------------------------


def _problem_rows(problems: list[Problem]) -> list[list[Any]]:
    ordered = sorted(problems, key=lambda p: (p.severity != "error", p.sheet or "", p.row or 0))
    return [["ข้อผิดพลาด (error)" if p.severity == "error" else "คำเตือน (warning)", p.where, p.message_th,
             p.message_en, p.code] for p in ordered]


def _write_problems(book: Any, problems: list[Problem]) -> None:
    """List ``problems`` in their sheet; when there are none, clear an earlier run's list (if any)."""
    if not problems and PROBLEMS_SHEET not in xlbook.sheet_names(book):
        return
    headers = ["ระดับ (level)", "ตำแหน่ง (where)", "ข้อความ", "message", "รหัส (code)"]
    rows = _problem_rows(problems) or [["", "", "ไม่พบปัญหาในข้อมูล", "no input problems", ""]]
    xlbook.write_table(book, PROBLEMS_SHEET, headers, rows, [18, 34, 60, 60, 18])


def _complaints(book: Any, ctl: dict[str, Any]) -> ComplaintWorkbook:
    """The complaint workbook of the open book; its problems go to a sheet, errors stop the job
    unless the control sheet says to keep going."""
    cbook = xlbook.complaint_workbook(book)
    _write_problems(book, cbook.problems)
    if cbook.errors and not _flag_setting(ctl, "keep_going", False):
        n = len(cbook.errors)
        raise Stopped(f"หยุด: ข้อมูลมีข้อผิดพลาด {n:,} รายการ ดูชีต {PROBLEMS_SHEET} แก้แล้วกดใหม่ หรือตั้งค่า "
                      f"ทำต่อแม้ข้อมูลมีข้อผิดพลาด = ใช่ (stopped: {n:,} input errors, see sheet {PROBLEMS_SHEET})")
    return cbook


def _one_agency(cbook: ComplaintWorkbook) -> ComplaintWorkbook:
    """A report or a score sheet is one agency's: a complaint sheet naming several is refused, listing them
    (the command line scores them one row each: ``cplkpi score``)."""
    return one_agency(cbook, hint="เก็บไว้เฉพาะแถวของหน่วยงานเดียวในชีตเรื่องร้องเรียน หรือใช้คำสั่ง cplkpi "
                                  "--agency (keep one agency's rows in the complaint sheet, or use the command "
                                  "line with --agency)")


# --- the jobs --------------------------------------------------------------------------------


def monthly_reports(book: Any) -> str:
    """Fill the month's CPL_R001 and CPL_R003 (xlsx, narrative, PDF) from the open book's complaint sheet."""
    if sys.platform == "emscripten":
        raise Stopped("xlwings Lite บันทึกไฟล์ลงเครื่องไม่ได้ ใช้ Excel ที่ติดตั้ง xlwings แบบปกติ หรือคำสั่ง "
                      "cplkpi report (xlwings Lite cannot save files to your disk: use desktop Excel with "
                      "classic xlwings, or the command cplkpi report)")
    ctl = xlbook.control_values(book)
    month, rules, as_of = _month_setting(ctl), _rules_setting(ctl), _date_setting(ctl, "as_of")
    out_dir = _folder(book, ctl, "out_dir")
    if out_dir is None:
        home = Path(str(book.fullname)).parent
        if not home.is_absolute():
            raise Stopped(f"{_where('out_dir')} บันทึกสมุดงานก่อน หรือระบุโฟลเดอร์ผลลัพธ์ (save the workbook "
                          "first, or give an output folder)")
        out_dir = home / REPORTS_FOLDER
    check_output_folder(out_dir, names=output_names(month))  # before the work: never over the open book
    cbook = _one_agency(_complaints(book, ctl))
    xlbook.set_status(book, f"กำลังจัดทำรายงานเดือน {format_thai_month(month, long=True)} … "
                            "(filling the reports)")
    result = fill_monthly_reports(cbook, month, out_dir=out_dir, rules=rules, as_of=as_of,
                                  pdf=_flag_setting(ctl, "pdf", True))
    xlbook.write_table(book, VALIDATION_SHEET, FINDINGS_HEADERS, findings_rows(result.findings),
                       [16, 22, 16, 14, 10, 70, 70])
    errors, warnings = len(result.errors), len(result.findings) - len(result.errors)
    files = ", ".join(p.name for p in result.paths)
    note = f" {result.pdf_skipped}" if result.pdf_skipped else ""
    return (f"จัดทำรายงานเดือน {result.figures.month_label} แล้ว ที่ {out_dir}: {files}; ผลตรวจสอบ ข้อผิดพลาด "
            f"{errors} คำเตือน {warnings} (ดูชีต {VALIDATION_SHEET}) (monthly reports written; validation: "
            f"{errors} errors, {warnings} warnings).{note}")


def validate_workbook(book: Any) -> str:
    """Validate the CPL_R003/CPL_R001 sheets of the open book and the complaint data in it."""
    names = xlbook.sheet_names(book)
    reports, with_formulas = xlbook.report_sheets(book, REPORT_SHEETS)
    has_complaints = find_sheet(names, "complaints") is not None
    if reports is None and not has_complaints:
        raise Stopped(f"ไม่พบชีต {' หรือ '.join(REPORT_SHEETS)} หรือชีตเรื่องร้องเรียนในสมุดงานนี้ "
                      f"(no {' or '.join(REPORT_SHEETS)} sheet and no complaint sheet in this workbook)")
    findings = []
    if reports is not None:
        values = as_openpyxl(reports, formulas=False)
        forms = as_openpyxl(reports, formulas=True) if with_formulas else None
        has = {s: s in reports.cells for s in REPORT_SHEETS}
        r003, r001 = REPORT_SHEETS
        findings = validate_reports(
            r003=values if has[r003] else None, r001=values if has[r001] else None,
            r003_formulas=forms if has[r003] else None, r001_formulas=forms if has[r001] else None)
        xlbook.write_table(book, VALIDATION_SHEET, FINDINGS_HEADERS, findings_rows(findings),
                           [16, 22, 16, 14, 10, 70, 70])
    problems: list[Problem] = []
    if has_complaints:
        problems = xlbook.complaint_workbook(book).problems
        _write_problems(book, problems)
    errors = sum(f.severity == "error" for f in findings) + sum(p.severity == "error" for p in problems)
    warnings = len(findings) + len(problems) - errors
    checked = ", ".join([*(s for s in REPORT_SHEETS if reports is not None and s in reports.cells),
                         *(["ข้อมูลเรื่องร้องเรียน (complaint data)"] if has_complaints else [])])
    skipped = "" if reports is None or with_formulas else (
        " ตรวจสูตรไม่ได้ในโปรแกรมนี้ (formulas cannot be read here: formula checks skipped)")
    verdict = "ไม่พบข้อผิดพลาด (no errors)" if errors == 0 else f"ข้อผิดพลาด {errors} รายการ ({errors} errors)"
    return (f"ตรวจสอบ {checked} แล้ว: {verdict}, คำเตือน {warnings} (warnings); ดูชีต {VALIDATION_SHEET} และ "
            f"{PROBLEMS_SHEET} (see the sheets).{skipped}")


def score_fiscal_year(book: Any) -> str:
    """Score the fiscal year into the sheet สรุปคะแนน and explain lost points in คำอธิบายคะแนน."""
    ctl = xlbook.control_values(book)
    fy, rules, as_of = _fiscal_year_setting(ctl), _rules_setting(ctl), _date_setting(ctl, "as_of")
    cbook = _one_agency(_complaints(book, ctl))
    result = cbook.score(fiscal_year=fy, rules=rules, as_of=as_of)
    r = result.rules
    why = result.explain()
    about: list[list[Any]] = [
        ["หน่วยงาน (agency)", cbook.agency or ""],
        ["ชุดเกณฑ์ (rule set)", f"{r.name}: {r.title_th}"],
        ["ช่วงข้อมูล (period)", f"{format_thai_date(result.start)} – {format_thai_date(result.end)}"],
        ["ณ วันที่ (as of)", result.as_of],
        ["จำนวนเรื่อง (complaints)", len(result.complaints)],
        ["คะแนนรวม (total)", result.total],
        ["คะแนนเต็ม (points)", r.total_points],
    ]
    comps = [[c.step, c.label_th, c.counted_th, c.not_yet_due, c.pct, c.points, c.deducted, c.score]
             for c in result.component_summary().itertuples()]
    lost = why[why["deduction"] > 0]
    deductions = [[format_thai_month(m), s, t, d]
                  for m, s, t, d in zip(lost["month"], lost["step"], lost["reason_th"], lost["deduction"])]
    steps = [[s.step, s.points, s.score_before, s.deductions, s.score] for s in result.steps.itertuples()]
    blocks = [
        Block(f"คะแนนตัวชี้วัด ปีงบประมาณ {fiscal_year(result.end)} (KPI score of the fiscal year)",
              ["รายการ (item)", "ค่า (value)"], about),
        Block("คะแนนรายองค์ประกอบ (component scores)", ["ขั้นตอน (step)", "เกณฑ์ (component)", "ผลนับ (counted)",
              "ยังไม่ถึงกำหนด (not yet due)", "ร้อยละ (%)", "คะแนนเต็ม (points)", "หัก (deducted)",
              "คะแนน (score)"], comps),
        Block("การหักคะแนน (deductions)", ["เดือน (month)", "ขั้นตอน (step)", "เหตุผล (reason)", "หัก (amount)"],
              deductions),
        Block("สรุป (summary)", ["ขั้นตอน (step)", "คะแนนเต็ม (points)", "ก่อนหัก (before)", "หัก (deducted)",
                                 "คะแนน (score)"], steps),
    ]
    if result.notes:
        blocks.append(Block("หมายเหตุ (notes)", ["หมายเหตุ (note)"], [[n] for n in result.notes]))
    xlbook.write_blocks(book, SCORE_SHEET, blocks, [34, 60, 26, 16, 12, 14, 14, 14])
    failed = why[why["row"].notna() & ~why["correct"].astype(bool)]
    labels = component_labels(r)
    xlbook.write_table(
        book, EXPLAIN_SHEET,
        ["แถว (row)", "เลขที่เรื่อง (id)", "ขั้นตอน (step)", "เกณฑ์ (component)", "เหตุผล", "reason",
         "กำหนด (due)", "วันที่จริง (actual)", "ช้า วันทำการ (days late)"],
        [[int(cast(float, x.row)), x.complaint_id, x.step, labels.get(str(x.component), str(x.component)),
          x.reason_th, x.reason_en, x.due, x.actual, x.days_late] for x in failed.itertuples()],
        [8, 14, 8, 18, 70, 70, 14, 14, 10])
    return (f"คะแนนปีงบประมาณ {fiscal_year(result.end)}: {result.total:.{r.score_decimals}f} จาก "
            f"{r.total_points:g} คะแนน ดูชีต {SCORE_SHEET} และ {EXPLAIN_SHEET} (FY score {result.total:g} "
            f"of {r.total_points:g}: see the sheets)")


def overdue_today(book: Any) -> str:
    """List complaints overdue or due soon as of today (or the control sheet's date) into เรื่องเกินกำหนด,
    most fiscal-year points at stake first, with the projected totals and how they are computed."""
    ctl = xlbook.control_values(book)
    cbook = _one_agency(_complaints(book, ctl))
    rules = _rules_setting(ctl)
    day = _date_setting(ctl, "as_of") or (cbook.coverage.default_as_of(_today()) if cbook.coverage is not None
                                          else _today())
    stakes = cbook.points_at_stake(day, rules=rules)
    table = stakes.table
    rows = [[int(row), x.complaint_id, getattr(x, "subject", None), getattr(x, "unit", None), x.source_status,
             x.start_on, phase, x.due, x.business_days_open, x.status_th, x.action_th, x.points]
            for row, x, phase in zip(table.index, table.itertuples(), phase_th(table))]
    notes = [[line] for line in stakes.notes_th()]
    xlbook.write_blocks(book, OVERDUE_SHEET, [
        xlbook.Block(None, ["แถว (row)", "เลขที่เรื่อง (id)", "เรื่อง (subject)", "ฝ่าย (unit)",
                            "สถานะตามต้นทาง (source status)", "วันที่ศูนย์แจ้ง (forwarded)", "รอ (waiting for)",
                            "กำหนด (due)", "วันทำการที่เปิดอยู่ (business days open)", "สถานะ (status)",
                            "สิ่งที่ต้องทำวันนี้ (action today)", "คะแนนที่ได้คืน (points at stake)"], rows),
        xlbook.Block(STAKES_TITLE, ["คำอธิบาย (explanation)"], notes),
    ], [8, 14, 30, 26, 16, 14, 26, 14, 12, 16, 30, 14])
    counts = table["status"].value_counts()
    return (f"ณ {format_thai_date(day)} เกินกำหนด {int(counts.get('overdue', 0)):,} เรื่อง ใกล้ครบกำหนด "
            f"{int(counts.get('due_soon', 0)):,} เรื่อง ดูชีต {OVERDUE_SHEET} (as of {day}: "
            f"{int(counts.get('overdue', 0)):,} overdue, {int(counts.get('due_soon', 0)):,} due soon)")


def committee_audit(book: Any) -> str:
    """The committee's audit of the open (submitted) workbook into ผลการตรวจของคณะกรรมการ."""
    ctl = xlbook.control_values(book)
    rules = _rules_setting(ctl)
    month = _month_setting(ctl) if ctl["month"] is not None else None
    cbook = xlbook.complaint_workbook(book)
    _write_problems(book, cbook.problems)
    reports, _ = xlbook.report_sheets(book, (*REPORT_SHEETS, NARRATIVE_SHEET))
    result = audit_workbook(cbook, reports, month=month, rules=rules, samples=_folder(book, ctl, "samples"))
    s = result.summary()
    about: list[list[Any]] = [
        ["หน่วยงาน (agency)", s.agency or ""],
        ["เดือน (month)", month_label(s.month)],
        ["จำนวนเรื่อง (complaints)", s.complaints],
        ["คะแนนที่คำนวณใหม่ (recomputed total)", s.total],
        ["ตัวอย่างสุ่มตรวจ (audit sample)", s.sample_size],
        ["ร้อยละถูกต้องของตัวอย่าง (sample accuracy %)", s.sample_accuracy_pct],
        ["ข้อค้นพบ: ผิดพลาด/ไม่สอดคล้อง (tampering/consistency findings)", s.findings],
        ["ข้อสังเกตคุณภาพข้อมูล (data-quality observations)", s.observations],
        ["ผลการตรวจ (verdict)", "ผ่าน (passed)" if result.passed else f"ไม่ผ่าน: ผิดพลาด {s.errors} รายการ (failed)"],
    ]
    steps = [list(x) for x in s.steps]
    table = result.findings_table()
    blocks = [
        Block("ผลการตรวจของคณะกรรมการ (committee audit)", ["รายการ (item)", "ค่า (value)"], about),
        Block("คะแนนที่คำนวณใหม่รายขั้นตอน (recomputed steps)",
              ["ขั้นตอน (step)", "คะแนนเต็ม (points)", "ก่อนหัก (before)", "หัก (deducted)",
               "คะแนน (score)"], steps),
        Block("ข้อสังเกต (findings)", list(table.columns), table.to_numpy(dtype=object).tolist()),
    ]
    if result.sample is not None and result.sample.size:
        blocks.append(Block(f"ตัวอย่างสุ่มตรวจ {result.sample.label} (10 % sample)", ["เลขที่เรื่อง (id)"],
                            [[cid] for cid in result.sample.complaint_ids]))
    xlbook.write_blocks(book, AUDIT_SHEET, blocks, [34, 24, 14, 10, 16, 16, 60, 60, 18, 10])
    total = "-" if s.total is None else f"{s.total:.4f}"
    return (f"ตรวจ {s.agency or ''} เดือน {month_label(s.month)} แล้ว: คะแนนที่คำนวณใหม่ {total}, ข้อค้นพบ "
            f"{s.findings} รายการ (ผิดพลาด {s.errors}), ข้อสังเกตคุณภาพข้อมูล {s.observations} รายการ ดูชีต "
            f"{AUDIT_SHEET} (audit done: recomputed total {total}, {s.findings} findings, {s.errors} errors, "
            f"{s.observations} observations)")


def import_complaints(book: Any) -> str:
    """Import the Traffy Fondue/MIS files of the import folder into a new complaint workbook.

    The workbook ``นำเข้า_<date>.xlsx`` is written into the output folder (default: the import
    folder); the open book gets the import summary in สรุปการนำเข้า. Nothing in the open book's
    own complaint sheet is changed.
    """
    if sys.platform == "emscripten":
        raise Stopped("xlwings Lite อ่านไฟล์จากเครื่องไม่ได้ ใช้ Excel ที่ติดตั้ง xlwings แบบปกติ หรือคำสั่ง "
                      "cplkpi import (xlwings Lite cannot read files from your disk: use desktop Excel with "
                      "classic xlwings, or the command cplkpi import)")
    ctl = xlbook.control_values(book)
    folder = _folder(book, ctl, "import_dir")
    if folder is None or not folder.is_dir():
        raise Stopped(f"{_where('import_dir')} ระบุโฟลเดอร์ที่มีไฟล์ Traffy/MIS (give the folder with the "
                      f"Traffy/MIS files): {folder or 'ว่าง (empty)'}")
    out_dir = _folder(book, ctl, "out_dir") or folder
    out = out_dir / f"นำเข้า_{date_code(_today())}.xlsx"
    files = sorted(p for p in folder.iterdir() if p.is_file() and p.suffix.lower() in IMPORT_SUFFIXES
                   and not p.name.startswith(("~$", ".", "นำเข้า_")))
    if not files:
        kinds = " ".join(IMPORT_SUFFIXES)
        raise Stopped(f"{_where('import_dir')} ไม่มีไฟล์ {kinds} ในโฟลเดอร์ {folder} "
                      f"(no {kinds} file in the folder)")
    try:
        districts = district_filter([str(ctl["district"])]) if ctl["district"] is not None else ()
    except ValueError as exc:
        raise Stopped(f"{_where('district')} {exc}") from exc
    xlbook.set_status(book, f"กำลังนำเข้า {len(files)} ไฟล์ … (importing {len(files)} files)")
    result = import_files(files, districts=districts)
    result.write(out)
    blocks = [Block(title, list(frame.columns), frame.astype(object).where(frame.notna(), None).values.tolist())
              for title, frame in result.summary.tables().values()]
    xlbook.write_blocks(book, IMPORT_SHEET, blocks, [40, 40, 16, 16, 16, 16, 20])
    s = result.summary
    return (f"นำเข้า {len(files)} ไฟล์ ได้ {s.complaints:,} เรื่อง ปฏิเสธ {s.rejected:,} แถว บันทึกที่ {out} "
            f"ดูชีต {IMPORT_SHEET} (imported {s.complaints:,} complaints from {len(files)} files, "
            f"{s.rejected:,} rows rejected; written to {out.name})")


@dataclass(frozen=True)
class Job:
    """A button's job: its key, Thai and English label and the function taking the book."""

    key: str
    label_th: str
    label_en: str
    fn: Callable[[Any], str]

    @property
    def label(self) -> str:
        return f"{self.label_th} ({self.label_en})"


JOBS: dict[str, Job] = {job.key: job for job in (
    Job("monthly_reports", "จัดทำรายงานประจำเดือน CPL_R001/CPL_R003", "monthly reports", monthly_reports),
    Job("validate", "ตรวจสอบรายงานและข้อมูลในสมุดงานนี้", "validate this workbook", validate_workbook),
    Job("score", "คำนวณคะแนนปีงบประมาณ", "score the fiscal year", score_fiscal_year),
    Job("overdue", "รายการเรื่องเกินกำหนด ณ วันนี้", "overdue complaints today", overdue_today),
    Job("audit", "ตรวจสมุดงานที่หน่วยงานส่ง (คณะกรรมการ)", "committee audit", committee_audit),
    Job("import", "นำเข้าข้อมูล Traffy Fondue/MIS", "import Traffy Fondue/MIS files", import_complaints),
)}


def _own_file_protected(fn: Callable[[Any], str], book: Any) -> str:
    """``fn(book)`` with the open workbook's own file protected: no job writes over it (a report or an import
    named like the open book, in its folder), as no command writes over its input
    (:func:`cplkpi.outputs.protected_inputs`)."""
    with protected_inputs() as protected:
        own = Path(str(book.fullname))
        if own.is_absolute():
            protected.append(own)
        return fn(book)


def run(book: Any, key: str) -> str:
    """Run job ``key`` on ``book`` with progress and outcome in the control sheet's status cell.

    Input errors and stops are reported there (and input problems in their sheet); an unexpected
    error is reported there too and then raised, so xlwings also shows its traceback.
    """
    job = JOBS[key]
    xlbook.set_status(book, f"กำลังทำงาน: {job.label} … (running)")
    try:
        message = _own_file_protected(job.fn, book)
    except OutputError as exc:  # where the job would write, not the data: said in the status cell
        message = f"หยุด: {job.label_th} ({job.label_en}): {exc.problems[0]}"
    except InputError as exc:
        _write_problems(book, exc.problems)
        message = (f"หยุด: {job.label_th} ทำไม่ได้ ข้อมูลมีปัญหา {len(exc.problems)} รายการ ดูชีต {PROBLEMS_SHEET} "
                   f"(stopped: {job.label_en} failed on {len(exc.problems)} input problems)")
    except CplError as exc:
        message = str(exc) if isinstance(exc, Stopped) else f"หยุด: {job.label_th} ({job.label_en}): {exc}"
    except Exception as exc:
        xlbook.set_status(book, f"ข้อผิดพลาดที่ไม่คาดคิด: {job.label_th} (unexpected error): "
                                f"{type(exc).__name__}: {exc}")
        raise
    xlbook.set_status(book, message)
    return message


def run_selected(book: Any) -> str:
    """Run the job chosen in the control sheet (its label or key)."""
    chosen = xlbook.control_values(book)["job"]
    text = str(chosen or "").strip()
    for job in JOBS.values():
        if text and text in (job.key, job.label, job.label_th):
            return run(book, job.key)
    choices = "; ".join(job.label for job in JOBS.values())
    message = (f"{_where('job')} เลือกงานที่จะทำก่อน (choose a job first): {text or 'ว่าง (empty)'}; "
               f"มีให้เลือก (choices): {choices}")
    xlbook.set_status(book, message)
    return message


# --- classic xlwings: RunPython entry points -----------------------------------------------------


def main() -> None:
    """The button of ``cplkpi_excel.xlsm`` (``RunPython "import cplkpi_excel; cplkpi_excel.main()"``)."""
    run_selected(xw.Book.caller())


def monthly_reports_button() -> None:
    """``RunPython "import cplkpi.macros.buttons as b; b.monthly_reports_button()"``."""
    run(xw.Book.caller(), "monthly_reports")


def validate_button() -> None:
    """``RunPython "import cplkpi.macros.buttons as b; b.validate_button()"``."""
    run(xw.Book.caller(), "validate")


def score_button() -> None:
    """``RunPython "import cplkpi.macros.buttons as b; b.score_button()"``."""
    run(xw.Book.caller(), "score")


def overdue_button() -> None:
    """``RunPython "import cplkpi.macros.buttons as b; b.overdue_button()"``."""
    run(xw.Book.caller(), "overdue")


def audit_button() -> None:
    """``RunPython "import cplkpi.macros.buttons as b; b.audit_button()"``."""
    run(xw.Book.caller(), "audit")


def import_button() -> None:
    """``RunPython "import cplkpi.macros.buttons as b; b.import_button()"``."""
    run(xw.Book.caller(), "import")


# --- xlwings Lite / Server: scripts -----------------------------------------------------------------


@xw.script(name="CPL รายงานประจำเดือน (monthly reports)")
def cpl_monthly_reports(book: xw.Book):
    """จัดทำรายงานประจำเดือน CPL_R001/CPL_R003 (monthly reports; needs desktop Excel to save files)."""
    run(book, "monthly_reports")


@xw.script(name="CPL ตรวจสอบรายงาน (validate)")
def cpl_validate(book: xw.Book):
    """ตรวจสอบรายงานและข้อมูลในสมุดงานนี้ (validate this workbook)."""
    run(book, "validate")


@xw.script(name="CPL คะแนนปีงบประมาณ (score)")
def cpl_score(book: xw.Book):
    """คำนวณคะแนนปีงบประมาณลงชีต สรุปคะแนน (score the fiscal year)."""
    run(book, "score")


@xw.script(name="CPL เรื่องเกินกำหนด (overdue)")
def cpl_overdue(book: xw.Book):
    """รายการเรื่องเกินกำหนด ณ วันนี้ (overdue complaints today)."""
    run(book, "overdue")


@xw.script(name="CPL ตรวจของคณะกรรมการ (audit)")
def cpl_audit(book: xw.Book):
    """ตรวจสมุดงานที่หน่วยงานส่ง (committee audit)."""
    run(book, "audit")


@xw.script(name="CPL นำเข้าข้อมูล (import)")
def cpl_import(book: xw.Book):
    """นำเข้าไฟล์ Traffy Fondue/MIS (import files; needs desktop Excel to read files)."""
    run(book, "import")
