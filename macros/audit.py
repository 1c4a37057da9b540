"""The committee's audit of a submitted agency workbook (SPEC §4, §8; issue 6).

Job API (stable; the CLI, the batch and the Excel button call exactly this)::

    audit_workbook(source, reports=None, *, month=None, rules="bma-2557",
                   samples=None, agency=None) -> AuditResult

* ``source``: the path of a submitted agency workbook, or a
  :class:`cplkpi.workbook.ComplaintWorkbook` already read (the xlwings layer
  builds one from the open book with ``cplkpi.workbook.from_sheets``).
* ``reports``: the CPL_R001/CPL_R003 sheets as
  :class:`~cplkpi.macros.audit_source.ReportSheets` (values, formulas,
  defined names). Read from ``source`` when it is a path; the xlwings layer
  builds it with ``ReportSheets.from_grids``.
* ``month``: the month the submission reports (default: the report's own
  period, else the last month with complaints).
* ``samples``: the folder of กองกลาง's sample workbooks
  (:mod:`.audit_sample`): the month's 10 % sample is added there if it is not
  yet drawn, and the marks already made are read back into the score.

:class:`AuditResult` holds ``findings`` (:class:`Finding`: kind, sheet, cell,
reported, recomputed, Thai and English message; :data:`FINDING_KINDS`), the
``score`` recomputed by the engine (fiscal year to the month's end), the
month's ``sample`` draw and the input ``problems`` (also listed as findings);
``summary()`` is the committee's one-row view of the agency.

A *submitted agency workbook* is one ``.xlsx`` file: the agency's complaint
workbook (sheets as in :data:`cplkpi.scoring.tables.SHEETS`) with the filled
CPL_R003 and CPL_R001 report sheets in it (see ``docs/audit.md``).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd

from cplkpi.scoring.days import as_day_array, to_date
from cplkpi.scoring.errors import CplError, InputError, Problem
from cplkpi.scoring.percent import round_half_up
from cplkpi.scoring.rules import RuleSet, load_rules
from cplkpi.scoring.scores import ScoreResult
from cplkpi.scoring.tables import has_text
from cplkpi.scoring.thaidate import fiscal_year, format_thai_month, parse_month
from cplkpi.workbook import ComplaintWorkbook, one_agency, read_workbook

from .audit_sample import MonthSample, SampleFile, draw_month_sample, sample_file_path, update_sample_file
from .audit_source import ReportSheets
from .validate import CODES as VALIDATE_CODES
from .validate import problem_cell

__all__ = ["Finding", "AuditResult", "AgencySummary", "FINDING_KINDS", "audit_workbook"]

Severity = Literal["error", "warning"]

#: Finding kinds with their Thai and English labels (the committee workbook groups by these); the report
#: validator's codes (:data:`cplkpi.macros.validate.CODES`) are kinds too.
FINDING_KINDS: dict[str, tuple[str, str]] = {
    **VALIDATE_CODES,
    "figure_differs": ("ตัวเลขที่รายงานไม่ตรงกับที่คำนวณใหม่", "reported figure differs from the recomputed one"),
    "formula_changed": ("สูตรหรือโครงสร้างรายงานถูกแก้ไข", "formula or report layout changed"),
    "completed_without_detail": ("เสร็จสิ้นแต่ไม่มีรายละเอียดผลการดำเนินการ", "completed without a result detail"),
    "completed_without_evidence": ("เสร็จสิ้นแต่ไม่มีภาพก่อน-หลังหรือหลักฐาน", "completed without evidence"),
    "missing_from_report": ("เรื่องไม่ปรากฏในรายงาน", "complaint missing from a report"),
    "not_pending": ("เรื่องในรายงานคงค้างไม่ได้คงค้าง", "complaint listed as pending is not pending"),
    "unknown_complaint": ("เรื่องในรายงานไม่มีในชีตเรื่องร้องเรียน", "reported complaint not in the complaint sheet"),
    "report_missing": ("ไม่พบรายงานหรือตัวเลขที่ต้องรายงาน", "report sheet or figure missing"),
    "duplicate_agency": ("หน่วยงานส่งมาหลายไฟล์", "agency sent several files"),
    "input_problem": ("ปัญหาในข้อมูลของไฟล์ที่ส่ง", "problem in the submitted data"),
}


@dataclass(frozen=True)
class Finding:
    """One thing the audit found, pointing at the cell a committee member should look at."""

    kind: str
    sheet: str | None
    cell: str | None
    reported: Any
    recomputed: Any
    message_th: str
    message_en: str
    severity: Severity = "error"
    name: str | None = None
    complaint_id: str | None = None

    @property
    def where(self) -> str:
        return "!".join(x for x in (self.sheet, self.cell) if x)

    @property
    def message(self) -> str:
        return f"{self.message_th} ({self.message_en})"

    @property
    def label_th(self) -> str:
        return FINDING_KINDS.get(self.kind, (self.kind, self.kind))[0]


@dataclass(frozen=True)
class AgencySummary:
    """The committee's one-row view of an agency (small and picklable, for the batch)."""

    file: str
    agency: str | None
    month: _dt.date | None
    fiscal_year: int | None
    complaints: int = 0
    #: (component key, Thai label, pct, score before deductions) per component
    components: tuple[tuple[str, str, float | None, float], ...] = ()
    #: (step, points, score before deductions, deductions, score) per step
    steps: tuple[tuple[int, float, float, float, float], ...] = ()
    #: amount deducted per kind (audit, late_report, missing_report)
    deductions: tuple[tuple[str, float], ...] = ()
    total: float | None = None
    findings: int = 0
    sample_size: int = 0
    sample_accuracy_pct: float | None = None
    error: str | None = None


@dataclass
class AuditResult:
    """Everything one audit produced."""

    source: str
    agency: str | None
    month: _dt.date | None
    rules: RuleSet
    score: ScoreResult | None = None
    findings: list[Finding] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    sample: MonthSample | None = None
    sample_file: SampleFile | None = None

    @property
    def fiscal_year(self) -> int | None:
        return None if self.month is None else fiscal_year(self.month)

    def findings_table(self) -> pd.DataFrame:
        """Findings as a table with Thai column names (what the committee reads)."""
        rows = [(self.agency, f.label_th, f.sheet, f.cell, f.reported, f.recomputed, f.message_th, f.message_en,
                 f.kind, f.severity) for f in self.findings]
        return pd.DataFrame(rows, columns=["หน่วยงาน", "ประเภท", "ชีต", "เซลล์", "ค่าที่รายงาน", "ค่าที่คำนวณใหม่",
                                           "รายละเอียด", "detail", "kind", "severity"])

    def summary(self) -> AgencySummary:
        """The committee's one-row view."""
        s = self.score
        if s is None:
            return AgencySummary(self.source, self.agency, self.month, self.fiscal_year, findings=len(self.findings))
        comps = tuple((c.key, c.label_th, None if pd.isna(c.pct) else float(c.pct), float(c.score))
                      for c in s.components.itertuples())
        steps = tuple((int(x.step), float(x.points), float(x.score_before), float(x.deductions), float(x.score))
                      for x in s.steps.itertuples())
        ded = tuple((k, round_half_up(sum(Decimal(str(a)) for a in g["amount"]), s.rules.score_decimals))
                    for k, g in s.deductions.groupby("kind", sort=True))
        accuracy = None
        if self.month is not None and len(s.months):
            row = s.months[s.months["month"] == self.month]
            if len(row) and pd.notna(row["audit_accuracy_pct"].iloc[0]):
                accuracy = float(row["audit_accuracy_pct"].iloc[0])
        return AgencySummary(self.source, self.agency, self.month, self.fiscal_year, len(s.complaints), comps,
                             steps, ded, float(s.total), len(self.findings),
                             self.sample.size if self.sample else 0, accuracy)


# --- the job -------------------------------------------------------------------


def _default_month(book: ComplaintWorkbook, reports: ReportSheets | None) -> _dt.date:
    from .audit_reports import reported_month

    if reports is not None:
        m = reported_month(reports)
        if m is not None:
            return m
    fwd = as_day_array(book.complaints.table["forwarded_on"])
    fwd = fwd[~np.isnat(fwd)]
    if not len(fwd):
        raise InputError([Problem("no_rows", "ไม่มีเรื่องร้องเรียนที่มีวันที่ศูนย์แจ้งเรื่อง ระบุเดือนด้วย --month",
                                  "no complaint with a forwarding date; give the month (--month)",
                                  book.complaints.sheet)])
    return to_date(fwd.max()).replace(day=1)


def _reported_as_of(reports: ReportSheets | None, month: _dt.date) -> _dt.date | None:
    """The as-of date the reports state when they report ``month`` (None: the month's last day).

    A date before the month is no evaluation date of the month's reports: the month's end is used and
    the reported date shows as a figure that differs.
    """
    from .audit_reports import reported_as_of, reported_month

    if reports is None or reported_month(reports) != month:
        return None
    as_of = reported_as_of(reports)
    return as_of if as_of is not None and as_of >= month else None


def _complaint_findings(book: ComplaintWorkbook, result: ScoreResult) -> list[Finding]:
    """Complaints listed as completed (status or resolution date) without a result detail or evidence."""
    norm = book.complaints
    t = norm.table.loc[result.complaints.index]
    ev = result.complaints
    status_done = (t["status"] == "completed").fillna(False).to_numpy(dtype=bool)
    res = as_day_array(t["resolved_on"])
    not_later = np.isnat(res) | (res <= np.datetime64(result.as_of, "D"))
    listed = ev["resolved"].to_numpy(dtype=bool) | (status_done & not_later)
    no_detail = listed & ~has_text(t["result_detail"]).to_numpy(dtype=bool)
    no_evidence = listed & ~t["has_evidence"].fillna(False).to_numpy(dtype=bool)
    out: list[Finding] = []
    for mask, col, kind, th, en in (
        (no_detail, "result_detail", "completed_without_detail",
         "มีสถานะเสร็จสิ้นแต่ไม่มีรายละเอียดผลการดำเนินการที่ตอบผู้ร้องได้", "listed as completed without a result detail"),
        (no_evidence, "has_evidence", "completed_without_evidence",
         "มีสถานะเสร็จสิ้นแต่ไม่มีภาพก่อน-หลังหรือหลักฐาน", "listed as completed without before/after evidence"),
    ):
        for row in t.index[mask]:
            cid = str(t.at[row, "complaint_id"])
            raw = t.at[row, col]
            out.append(Finding(kind, norm.sheet, norm.cell(col, int(row)), None if pd.isna(raw) else raw, None,
                               f"เรื่อง {cid} {th}", f"complaint {cid} {en}", "warning", col, cid))
    return out


def audit_workbook(
    source: str | Path | ComplaintWorkbook,
    reports: ReportSheets | None = None,
    *,
    month: Any = None,
    rules: RuleSet | str = "bma-2557",
    samples: str | Path | None = None,
    agency: str | None = None,
) -> AuditResult:
    """Audit one submitted agency workbook: recompute with the engine, compare, draw the 10 % sample.

    Raises :class:`~cplkpi.scoring.errors.InputError` (file, sheet, row, column) when the workbook
    cannot be audited at all (not a workbook, too large, no complaint sheet); problems in single
    rows are kept in ``result.problems`` (and listed as ``input_problem`` findings) and the audit goes on.
    """
    from .audit_reports import REPORT_SHEETS, compare_reports, read_reports, reported_agency
    from .reports import compute_figures

    rules = load_rules(rules)
    if isinstance(source, ComplaintWorkbook):
        book, name = source, str(source.path.name if source.path else "workbook")
    else:
        path = Path(source)
        book, name = read_workbook(path), path.name  # behind the guard: size caps, no macros or links
        if reports is None:
            reports = read_reports(path, checked=True)
    if book.complaints.table.empty:
        raise InputError(book.complaints.problems or [Problem(
            "no_rows", "ไม่มีเรื่องร้องเรียนในชีต", "no complaint rows", book.complaints.sheet)])
    # one agency's tickets only: the sample and the figures are never drawn from other agencies' rows
    book = one_agency(book, agency, hint="ระบุ --agency ชื่อหน่วยงาน (choose one with --agency NAME)")
    m = parse_month(month) if month is not None else _default_month(book, reports)
    agency = book.agency or (reported_agency(reports) if reports is not None else None) or Path(name).stem
    as_of = _reported_as_of(reports, m)
    result = AuditResult(name, agency, m, rules, problems=list(book.problems))

    audited = book
    if rules.audit is not None:
        if samples is not None:
            sf = update_sample_file(sample_file_path(samples, agency, fiscal_year(m)), book.complaints.table,
                                    agency, [m], rules=rules, as_of=as_of)
            result.sample_file = sf
            result.problems.extend(sf.problems)
            result.sample = sf.sample(m)  # drawn now, or kept: as the file holds it
            if sf.marks is not None and len(sf.marks.table):
                audited = replace(book, audit_sample=sf.marks)  # กองกลาง's marks, not the agency's own
        if result.sample is None:
            result.sample = draw_month_sample(book.complaints.table, agency, m, sample_pct=rules.audit.sample_pct,
                                              as_of=as_of)

    # the reports are compared with what the agency could compute as of their date (its own data, its own
    # sample sheet); the committee's score counts กองกลาง's marks
    fig = compute_figures(book, m, rules=rules, as_of=as_of)
    result.score = fig.score if audited is book else compute_figures(audited, m, rules=rules, as_of=as_of).score
    if reports is None or not any(t in reports.cells for t in REPORT_SHEETS):
        result.findings.append(Finding("report_missing", None, None, None, None,
                                       f"ไม่พบชีตรายงาน {' และ '.join(REPORT_SHEETS)} ในไฟล์ที่ส่ง",
                                       f"the submitted file has no {' or '.join(REPORT_SHEETS)} sheet"))
    else:
        result.findings.extend(compare_reports(fig, reports, book))
    result.findings.extend(_complaint_findings(book, result.score))
    result.findings.extend(Finding("input_problem", p.sheet, problem_cell(p), None, None,
                                   p.message_th, p.message_en, p.severity, p.column) for p in result.problems)
    return result


def month_label(month: _dt.date | None) -> str:
    """``มี.ค. 2563`` for the audited month ("" when unknown)."""
    return format_thai_month(month) if month else ""


def audit_error(source: str, exc: BaseException) -> str:
    """One-line Thai/English reason why workbook ``source`` could not be audited (naming the file)."""
    if isinstance(exc, InputError):
        text = "; ".join(str(p) for p in exc.problems[:3]) + (
            f" ... (+{len(exc.problems) - 3})" if len(exc.problems) > 3 else "")
    elif isinstance(exc, CplError):
        text = str(exc)
    else:
        text = f"ตรวจไม่ได้ (could not audit): {type(exc).__name__}: {exc}"
    return text if source in text else f"{source}: {text}"
