"""The committee's audit of a submitted agency workbook (docs/audit.md).

Job API (stable; the CLI, the batch and the Excel button call exactly this)::

    audit_workbook(source, reports=None, *, month=None, rules="bma-2557",
                   samples=None, agency=None) -> AuditResult

* ``source``: the path of a submitted agency workbook, or a
  :class:`cplkpi.reader.ComplaintWorkbook` already read (the xlwings layer
  builds one from the open book with ``cplkpi.reader.from_sheets``).
* ``reports``: the CPL_R001/CPL_R003 sheets as
  :class:`~cplkpi.macros.audit_source.ReportSheets` (values, formulas,
  defined names). Read from ``source`` when it is a path; the xlwings layer
  builds it with ``ReportSheets.from_grids``.
* ``month``: the month the submission reports (default: the report's own
  period, else the last month with complaints).
* ``samples``: the folder of กองกลาง's sample workbooks
  (:mod:`.audit_sample`): the month's 10 % sample is added there if it is not
  yet drawn, and the marks already made are read back into the score.

:class:`AuditResult` holds ``findings`` (:class:`~.findings.Finding`: code, sheet, cell,
reported, recomputed, Thai and English message; codes in ``data/findings.toml``), the
``score`` recomputed by the engine (fiscal year to the month's end), the
month's ``sample`` draw and the input ``problems`` (also listed as findings);
``summary()`` is the committee's one-row view of the agency.

A *submitted agency workbook* is one ``.xlsx`` file: the agency's complaint
workbook (sheets as in :data:`cplkpi.scoring.tables.SHEETS`) with the filled
CPL_R003 and CPL_R001 report sheets in it (see ``docs/audit.md``).
"""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cplkpi.reader import ComplaintWorkbook, one_agency, read_workbook
from cplkpi.scoring.days import as_day_array, to_date
from cplkpi.scoring.errors import CplError, InputError, Problem
from cplkpi.scoring.percent import round_half_up
from cplkpi.scoring.rules import DEFAULT_RULES, RuleSet, load_rules
from cplkpi.scoring.scores import ScoreResult, monthly_report_due
from cplkpi.scoring.tables import has_text
from cplkpi.scoring.thaidate import fiscal_year, format_thai_date, format_thai_month, month_end, parse_month
from cplkpi.templates import layout

from .audit_reading import month_signals, read_reports, reported_agency, reported_as_of, reported_month
from .audit_recalc import recalculated_reports
from .audit_reports import compare_reports
from .audit_sample import (
    MARK_CORRECT,
    MARK_INCORRECT,
    SAMPLE_SHEET,
    SUMMARY_SHEET,
    MonthSample,
    SampleFile,
    draw_month_sample,
    sample_file_path,
    sample_seed,
    update_sample_file,
    whole_number,
)
from .audit_source import ReportSheets
from .audit_submission import REPORT_SHEETS
from .findings import Finding
from .reports import compute_figures
from .sheets import row_number

__all__ = [
    "AgencySummary",
    "AuditResult",
    "Finding",
    "audit_workbook",
    "finding_order",
]

def finding_order(f: Finding) -> tuple[int, int]:
    """Sort key: errors first, then other tampering/consistency findings, observations last."""
    return (0 if f.is_error else 1 if f.category == "tampering" else 2, 0 if f.severity == "error" else 1)


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
    #: tampering/consistency findings (errors and warnings); data-quality observations apart
    findings: int = 0
    sample_size: int = 0
    sample_accuracy_pct: float | None = None
    error: str | None = None
    observations: int = 0
    #: error-level tampering/consistency findings (the submission fails the audit)
    errors: int = 0


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

    @property
    def tampering(self) -> list[Finding]:
        """Tampering/consistency findings, errors first."""
        return sorted((f for f in self.findings if f.category == "tampering"), key=finding_order)

    @property
    def observations(self) -> list[Finding]:
        """Data-quality observations (completed without detail/evidence, input problems), errors first."""
        return sorted((f for f in self.findings if f.category == "observation"), key=finding_order)

    @property
    def passed(self) -> bool:
        """No error-level tampering/consistency finding."""
        return not any(f.is_error for f in self.findings)

    def findings_table(self) -> pd.DataFrame:
        """Findings as a table with Thai column names (what the committee reads)."""
        rows = [(self.agency, category_label(f), f.label_th, f.sheet, f.cell, f.reported, f.recomputed,
                 f.message_th, f.message_en, f.code, f.severity) for f in sorted(self.findings, key=finding_order)]
        return pd.DataFrame(rows, columns=["หน่วยงาน", "กลุ่ม", "ประเภท", "ชีต", "เซลล์", "ค่าที่รายงาน",
                                           "ค่าที่คำนวณใหม่", "รายละเอียด", "detail", "kind", "severity"])

    def summary(self) -> AgencySummary:
        """The committee's one-row view."""
        s = self.score
        findings, observations = len(self.tampering), len(self.observations)
        errors = sum(f.is_error for f in self.findings)
        if s is None:
            return AgencySummary(self.source, self.agency, self.month, self.fiscal_year, findings=findings,
                                 observations=observations, errors=errors)
        comps = tuple((str(c["key"]), str(c["label_th"]), None if pd.isna(c["pct"]) else float(c["pct"]),
                       float(c["score"])) for c in s.components.to_dict("records"))
        steps = tuple((int(x["step"]), float(x["points"]), float(x["score_before"]), float(x["deductions"]),
                       float(x["score"])) for x in s.steps.to_dict("records"))
        ded = tuple((str(k), round_half_up(sum(Decimal(str(a)) for a in g["amount"]), s.rules.score_decimals))
                    for k, g in s.deductions.groupby("kind", sort=True))
        accuracy = None
        if self.month is not None and len(s.months):
            row = s.months[s.months["month"] == self.month]
            if len(row) and pd.notna(row["audit_accuracy_pct"].iloc[0]):
                accuracy = float(row["audit_accuracy_pct"].iloc[0])
        return AgencySummary(self.source, self.agency, self.month, self.fiscal_year, len(s.complaints), comps,
                             steps, ded, float(s.total), sample_size=self.sample.size if self.sample else 0,
                             sample_accuracy_pct=accuracy, findings=findings, observations=observations,
                             errors=errors)


# --- the job -------------------------------------------------------------------


def _default_month(book: ComplaintWorkbook, reports: ReportSheets | None) -> _dt.date:
    if reports is not None:
        m = reported_month(reports)
        if m is not None:
            return m
    fwd = as_day_array(book.complaints.table["forwarded_on"])
    fwd = fwd[~np.isnat(fwd)]
    last = to_date(fwd.max()) if len(fwd) else None
    if last is None:
        raise InputError([Problem("no_rows", "ไม่มีเรื่องร้องเรียนที่มีวันที่ศูนย์แจ้งเรื่อง ระบุเดือนด้วย --month",
                                  "no complaint with a forwarding date; give the month (--month)",
                                  book.complaints.sheet)])
    return last.replace(day=1)


def _cross_checked_month(reports: ReportSheets) -> tuple[_dt.date | None, list[Finding]]:
    """The report month as the reports' own cells tell it, cross-checked; a cell that disagrees is a finding.

    The month cell (``C4``) alone is easy to change: the period ends, the month summary's formula
    row, the last filled month row and CPL_R001's month vote, and ``C4`` only settles a tie.
    """
    signals = month_signals(reports)
    if not signals:
        return None, []
    c4 = (layout.R003_SHEET, layout.R003_NAMES["R003_MONTH"])
    own = next((m for sh, c, m in signals if (sh, c) == c4), None)
    votes = Counter(m for sh, c, m in signals if (sh, c) != c4)
    month: _dt.date | None
    if votes:
        best = max(votes.values())
        tied = [m for m, n in votes.items() if n == best]
        month = own if own in tied else tied[0]
    else:
        month = own
    assert month is not None
    agree = ", ".join(f"{sh}!{c}" for sh, c, m in signals if m == month)
    found = [Finding("month_mismatch", sh, c,
                     f"เซลล์ {c} ระบุเดือน {format_thai_month(m)} แต่รายงานเป็นของเดือน {format_thai_month(month)} "
                     f"(ตาม {agree}) ตรวจเดือน {format_thai_month(month)}",
                     f"{sh}!{c} states {m:%Y-%m} but the report is of {month:%Y-%m} (per {agree}); "
                     f"{month:%Y-%m} is audited",
                     reported=format_thai_month(m), recomputed=format_thai_month(month))
             for sh, c, m in signals if m != month]
    return month, found


def _reported_as_of(reports: ReportSheets | None, month: _dt.date, rules: RuleSet,
                    month_given: bool) -> tuple[_dt.date | None, list[Finding]]:
    """The as-of date the reports state for ``month`` (None: the month's last day), and its findings.

    A date before the month is no evaluation date of the month's reports: the month's end is used and
    the reported date shows as a figure that differs. A date after the report's due date moves the
    goalposts (complaints resolved later, reports "not yet due"): it is a finding, and the month is
    audited as of its due date.
    """
    if reports is None or (month_given and reported_month(reports) != month):
        return None, []
    as_of = reported_as_of(reports)
    if as_of is None or as_of < month:
        return None, []
    due = monthly_report_due(month, rules.deadlines.monthly_report_due_day)
    if as_of <= due:
        return as_of, []
    sheet, cell = next(((sh, names[key]) for sh, names, key in (
        (layout.R003_SHEET, layout.R003_NAMES, "R003_AS_OF"), (layout.R001_SHEET, layout.R001_NAMES, "R001_AS_OF"))
        if reports.cells.get(sh, {}).get(names[key]) is not None), (layout.R003_SHEET, "L3"))
    return due, [Finding("as_of_after_due", sheet, cell,
                         f"รายงานประเมิน ณ วันที่ {format_thai_date(as_of)} ซึ่งหลังกำหนดส่งรายงานเดือน "
                         f"{format_thai_month(month)} ({format_thai_date(due)}) ตรวจ ณ วันกำหนดส่งแทน",
                         f"the report is evaluated as of {as_of:%Y-%m-%d}, after its due date {due:%Y-%m-%d}; "
                         "audited as of the due date",
                         reported=format_thai_date(as_of), recomputed=format_thai_date(due))]


def draw_window(month: _dt.date, rules: RuleSet) -> tuple[_dt.date, _dt.date]:
    """The dates กองกลาง may draw a month's sample as of: from the month's last day (every completion of
    the month is known) to the month report's due date (the latest date an audit is made as of)."""
    return month_end(month), monthly_report_due(month, rules.deadlines.monthly_report_due_day)


def draw_date(month: _dt.date, as_of: _dt.date | None) -> _dt.date | None:
    """The date the committee draws ``month``'s sample as of: the audit's as-of date (already no later
    than the due date), but never before the month's last day; None (the month's last day) without one."""
    return None if as_of is None else max(as_of, month_end(month))


def _sample_findings(book: ComplaintWorkbook, agency: str, month: _dt.date, as_of: _dt.date | None,
                     rules: RuleSet, sf: SampleFile | None) -> list[Finding]:
    """Every sample read back against the sha256 draw, the engine's population and size, and the workbook.

    Both the committee's kept sample file and a sample sheet in the agency's own workbook are checked;
    a month matches the draw as of the date the sample file records for it (files without that date,
    and the agency's own sheet: as of the audit's date or the month's last day).
    """
    table = book.complaints.table
    known = set(table["complaint_id"].dropna().astype(str))
    pct = rules.audit.sample_pct if rules.audit is not None else 10
    draws: dict[tuple[_dt.date, _dt.date | None], list[MonthSample]] = {}

    def candidates(m: _dt.date, drawn_as_of: _dt.date | None = None) -> list[MonthSample]:
        """The draw as of the date the file records; without one, as of the audit's date or the month's end."""
        key = (m, drawn_as_of)
        if key not in draws:
            dates = ([drawn_as_of] if drawn_as_of is not None
                     else [*([draw_date(m, as_of)] if m == month and as_of is not None else []), None])
            draws[key] = [draw_month_sample(table, agency, m, sample_pct=pct, as_of=d) for d in dates]
        return draws[key]

    out: list[Finding] = []

    def unknown(sheet: str, cell: str, cid: str, whose: str) -> None:
        out.append(Finding("sample_unknown_id", sheet, cell,
                           f"เรื่อง {cid} ใน{whose} ไม่มีในชีตเรื่องร้องเรียนของไฟล์ที่ตรวจ",
                           f"complaint {cid} of the {'committee' if 'กองกลาง' in whose else 'agency'} sample is not "
                           "in the audited workbook's complaint sheet",
                           reported=cid, complaint_id=cid))

    def ids_differ(sheet: str, rows: dict[str, str], first: tuple[str, str | None], m: _dt.date,
                   ids: tuple[str, ...], want: MonthSample, whose: str) -> None:
        for cid in sorted(set(ids) - set(want.complaint_ids)):
            out.append(Finding("sample_mismatch", sheet, rows.get(cid),
                               f"เรื่อง {cid} ใน{whose}เดือน {format_thai_month(m)} ไม่ได้มาจากการสุ่มของกองกลาง "
                               f"(seed {want.seed})",
                               f"complaint {cid} in the {m:%Y-%m} sample was not drawn (seed {want.seed})",
                               reported=cid, complaint_id=cid))
        missing = sorted(set(want.complaint_ids) - set(ids))
        if missing:
            out.append(Finding("sample_mismatch", *first,
                               f"{whose}เดือน {format_thai_month(m)} ไม่มีเรื่องที่สุ่มได้: {', '.join(missing)}",
                               f"the {m:%Y-%m} sample lacks the drawn complaints {', '.join(missing)}",
                               recomputed=", ".join(missing)))

    if sf is not None and sf.marks is not None:
        marks = sf.marks
        whose = f"ไฟล์สุ่มตรวจของกองกลาง {sf.path.name} "
        sample_sheet, summary_sheet = f"[{sf.path.name}]{SAMPLE_SHEET}", f"[{sf.path.name}]{SUMMARY_SHEET}"
        id_cells = {str(c): marks.cell("complaint_id", row_number(r)) for r, c in marks.table["complaint_id"].dropna().items()}
        for cid, cell in id_cells.items():
            if cid not in known:
                unknown(sample_sheet, cell, cid, whose)
        month_of_row = {row_number(r): _month_of(v) for r, v in marks.table["month"].dropna().items()}
        for x in sf.samples:
            r = sf.summary_rows.get(x.month)
            # every recorded field of the draw is checked: the seed (summary and each sample row), the draw
            # date, then the ids, population and size as the engine draws them
            seed = sample_seed(agency, x.month)
            if x.seed != seed and r:
                out.append(Finding("sample_mismatch", summary_sheet, f"I{r}",
                                   f"เลขสุ่มตั้งต้นของเดือน {format_thai_month(x.month)} ถูกแก้ไข",
                                   f"the seed of {x.month:%Y-%m} was changed",
                                   reported=x.seed, recomputed=seed))
            for row, got in sorted(sf.row_seeds.items()):
                if month_of_row.get(row) == x.month and whole_number(got) != seed:
                    out.append(Finding("sample_mismatch", sample_sheet, f"K{row}",
                                       f"เลขสุ่มตั้งต้นในแถว {row} ของเดือน {format_thai_month(x.month)} ถูกแก้ไข",
                                       f"the seed in row {row} of the {x.month:%Y-%m} sample was changed",
                                       reported=got, recomputed=seed))
            drawn_as_of = x.as_of
            earliest, latest = draw_window(x.month, rules)
            if drawn_as_of is not None and not earliest <= drawn_as_of <= latest:
                out.append(Finding("sample_mismatch", summary_sheet, f"J{r}" if r else None,
                                   f"วันที่สุ่มของเดือน {format_thai_month(x.month)} ในไฟล์สุ่มตรวจเป็น "
                                   f"{format_thai_date(drawn_as_of)} ซึ่งไม่อยู่ระหว่างสิ้นเดือน "
                                   f"({format_thai_date(earliest)}) ถึงวันกำหนดส่งรายงาน ({format_thai_date(latest)}) "
                                   "ตรวจการสุ่ม ณ วันที่ที่กองกลางสุ่มแทน",
                                   f"the draw date of {x.month:%Y-%m} in the sample file is {drawn_as_of:%Y-%m-%d}, "
                                   f"outside the month's end ({earliest:%Y-%m-%d}) to the report's due date "
                                   f"({latest:%Y-%m-%d}); the draw is checked as of the committee's draw date",
                                   reported=drawn_as_of, recomputed=earliest))
                drawn_as_of = None
            cands = candidates(x.month, drawn_as_of)
            if any((c.complaint_ids, c.population, c.size) == (x.complaint_ids, x.population, x.size) for c in cands):
                continue
            want = next((c for c in cands if c.complaint_ids == x.complaint_ids), cands[0])
            for col, what_th, what_en, got, exp in (("B", "จำนวนเรื่องที่เสร็จสิ้นในเดือน", "population", x.population,
                                                     want.population),
                                                    ("C", "จำนวนที่ต้องสุ่ม", "sample size", x.size, want.size)):
                if got != exp:
                    out.append(Finding("sample_mismatch", summary_sheet, f"{col}{r}" if r else None,
                                       f"{what_th}ของเดือน {format_thai_month(x.month)} ในไฟล์สุ่มตรวจเป็น {got} "
                                       f"แต่คำนวณใหม่ได้ {exp}",
                                       f"the {what_en} of {x.month:%Y-%m} in the sample file is {got}, recomputed {exp}",
                                       reported=got, recomputed=exp))
            ids_differ(sample_sheet, id_cells, (summary_sheet, f"A{r}" if r else None), x.month, x.complaint_ids,
                       want, whose)
    own = book.audit_sample
    if own is not None and len(own.table):
        committee = {}
        if sf is not None and sf.marks is not None and len(sf.marks.table):
            theirs_t = sf.marks.table.dropna(subset=["complaint_id", "month"])
            committee = {(m, str(c)): v for m, c, v in zip(theirs_t["month"].map(_month_of),
                                                            theirs_t["complaint_id"], theirs_t["correct"])}
        t = own.table.dropna(subset=["complaint_id", "month"])
        whose = "ชีตสุ่มตรวจของหน่วยงาน "
        for m, g in t.groupby(t["month"].map(_month_of)):
            cells = {str(c): own.cell("complaint_id", row_number(r)) for r, c in g["complaint_id"].items()}
            for cid, cell in cells.items():
                if cid not in known:
                    unknown(own.sheet or SAMPLE_SHEET, cell, cid, whose)
            ids = tuple(sorted(cells))
            cands = candidates(m)
            if not any(c.complaint_ids == ids for c in cands):
                sheet = own.sheet or SAMPLE_SHEET
                ids_differ(sheet, cells, (sheet, next(iter(cells.values()))), m, ids, cands[0], whose)
            for r, cid, mark in zip(g.index, g["complaint_id"].astype(str), g["correct"]):
                theirs = committee.get((m, cid))
                if theirs is None or pd.isna(theirs) or (not pd.isna(mark) and bool(mark) == bool(theirs)):
                    continue
                out.append(Finding("sample_marks_differ", own.sheet, own.cell("correct", int(r)),
                                   f"ผลการตรวจเรื่อง {cid} ในชีตของหน่วยงานไม่ตรงกับผลที่กองกลางตรวจ",
                                   f"the mark of complaint {cid} in the agency's sheet differs from the committee's",
                                   reported=None if pd.isna(mark) else MARK_CORRECT if bool(mark) else MARK_INCORRECT, recomputed=MARK_CORRECT if bool(theirs) else MARK_INCORRECT, complaint_id=cid))
    return out


def _month_of(value: Any) -> _dt.date:
    """The first day of the month of a (non-missing) month or date value."""
    d = to_date(value)
    assert d is not None
    return d.replace(day=1)


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
            raw: Any = t.at[row, col]  # the cell's value as read: any type
            out.append(Finding(kind, norm.sheet, norm.cell(col, row_number(row)),
                               f"เรื่อง {cid} {th}",
                               f"complaint {cid} {en}",
                               "warning",
                               reported=None if pd.isna(raw) else raw, name=col, complaint_id=cid))
    return out


def audit_workbook(
    source: str | Path | ComplaintWorkbook,
    reports: ReportSheets | None = None,
    *,
    month: Any = None,
    rules: RuleSet | str = DEFAULT_RULES,
    samples: str | Path | None = None,
    agency: str | None = None,
    recalc: bool = False,
) -> AuditResult:
    """Audit one submitted agency workbook: recompute with the engine, compare, draw the 10 % sample.

    Raises :class:`~cplkpi.scoring.errors.InputError` (file, sheet, row, column) when the workbook
    cannot be audited at all (not a workbook, too large, no complaint sheet); problems in single
    rows are kept in ``result.problems`` (and listed as ``input_problem`` findings) and the audit goes on.
    With ``recalc`` (a file only), LibreOffice also recalculates a copy and every formula's value there
    is compared with the engine's (``recalculated_differs``).
    """
    rules = load_rules(rules)
    recalculated = None
    if isinstance(source, ComplaintWorkbook):
        book, name = source, str(source.path.name if source.path else "workbook")
        if recalc:
            raise CplError("คำนวณใหม่ด้วย LibreOffice ได้เฉพาะเมื่อตรวจจากไฟล์ (recalc needs a workbook file)")
    else:
        path = Path(source)
        book, name = read_workbook(path), path.name  # behind the guard: size caps, no macros or links
        if reports is None:
            reports = read_reports(path, checked=True, whole=True)
        if recalc:
            recalculated = recalculated_reports(path)
    if book.complaints.table.empty:
        raise InputError(book.complaints.problems or [Problem(
            "no_rows", "ไม่มีเรื่องร้องเรียนในชีต", "no complaint rows", book.complaints.sheet)])
    # one agency's tickets only: the sample and the figures are never drawn from other agencies' rows
    book = one_agency(book, agency, hint="ระบุ --agency ชื่อหน่วยงาน (choose one with --agency NAME)")
    checks: list[Finding] = []
    if month is not None:
        m = parse_month(month)
    else:
        stated, checks = _cross_checked_month(reports) if reports is not None else (None, [])
        m = stated or _default_month(book, None)
    agency = book.agency or (reported_agency(reports) if reports is not None else None) or Path(name).stem
    as_of, late = _reported_as_of(reports, m, rules, month is not None)
    checks += late
    result = AuditResult(name, agency, m, rules, problems=list(book.problems))

    audited = book
    if rules.audit is not None:
        if samples is not None:
            sf = update_sample_file(sample_file_path(samples, agency, fiscal_year(m)), book.complaints.table,
                                    agency, [m], rules=rules, as_of=draw_date(m, as_of))
            result.sample_file = sf
            result.problems.extend(sf.problems)
            result.sample = sf.sample(m)  # drawn now, or kept: as the file holds it
            if sf.marks is not None and len(sf.marks.table):
                audited = replace(book, audit_sample=sf.marks)  # กองกลาง's marks, not the agency's own
        if result.sample is None:
            result.sample = draw_month_sample(book.complaints.table, agency, m, sample_pct=rules.audit.sample_pct,
                                              as_of=draw_date(m, as_of))

    # the reports are compared with what the agency could compute as of their date (its own data, its own
    # sample sheet); the committee's score counts กองกลาง's marks
    fig = compute_figures(book, m, rules=rules, as_of=as_of)
    result.score = fig.score if audited is book else compute_figures(audited, m, rules=rules, as_of=as_of).score
    if reports is None or not any(t in reports.cells for t in REPORT_SHEETS):
        result.findings.append(Finding("report_missing", None, None,
                                       f"ไม่พบชีตรายงาน {' และ '.join(REPORT_SHEETS)} ในไฟล์ที่ส่ง",
                                       f"the submitted file has no {' or '.join(REPORT_SHEETS)} sheet"))
    else:
        found = compare_reports(fig, reports, book, recalculated)
        said = {(f.sheet, f.cell) for f in checks}  # a month or as-of cell found already is not repeated
        result.findings.extend(checks + [f for f in found if f.code != "figure_differs" or (f.sheet, f.cell) not in said])
    if rules.audit is not None:
        result.findings.extend(_sample_findings(book, agency, m, as_of, rules, result.sample_file))
    result.findings.extend(_complaint_findings(book, result.score))
    result.findings.extend(Finding("input_problem", p.sheet, p.ref,
                                   p.message_th,
                                   p.message_en,
                                   p.severity,
                                   name=p.column) for p in result.problems)
    return result


def category_label(f: Finding) -> str:
    """Thai label of a finding's group, as the committee reads it."""
    if f.category == "observation":
        return "ข้อสังเกตคุณภาพข้อมูล"
    return "ผิดพลาด/ไม่สอดคล้อง" if f.severity == "error" else "เตือน"


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
