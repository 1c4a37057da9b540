"""Validation of filled CPL_R001/CPL_R003 reports (and the entry point of the report validator).

The checks are the mistakes real forms contain (docs/reports.md lists them with examples):

* counts that do not add up (received ≠ completed + in progress), totals
  that are not the sum of their rows, percentages and scores that do not
  follow from their counts;
* periods with a gap or an overlap between them, a missing or reversed
  period, figures for a period after the report's end;
* a month's figures copied from another month;
* a complaint pending in CPL_R001 that CPL_R003 does not count as in progress
  (or the other way round), duplicate complaints, summary counts of R001 that
  do not match its rows;
* formulas of the form replaced by typed values, or never calculated.

:func:`validate_reports` reads a filled workbook (a path, or openpyxl
workbooks) through the defined names of ``templates/LAYOUT.md`` and falls
back to the template addresses when a name is missing, so it also works on
a workbook that someone else filled or tampered with.
:func:`check_periods` is the layout-free core (a sequence of
:class:`PeriodFigures`, :mod:`.validate_periods`), and :func:`parse_progress_form`
reads the text of a progress form into it (:mod:`.validate_progress`); both are
importable from here too. Every :class:`~.findings.Finding` names its sheet and
cell (or, for a text form, the report it comes from).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, TypeAlias

import numpy as np
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cplkpi.guard import check_workbook_file
from cplkpi.scoring.deadlines import STATUS_LABELS, on_time
from cplkpi.scoring.errors import InputError, Problem
from cplkpi.scoring.percent import percent, round_half_up
from cplkpi.scoring.rules import RuleSet, available_rules, load_rules
from cplkpi.scoring.scores import (
    audit_sample_size,
    monthly_report_deduction,
    monthly_report_due,
    report_due_passed,
    step_score,
)
from cplkpi.scoring.thaidate import (
    BE_MIN_YEAR,
    DateParseError,
    fiscal_months,
    format_thai_month,
    parse_date,
)
from cplkpi.templates import layout

from .audit_source import reading
from .findings import FINDINGS_HEADERS, VALIDATE_CODES, Finding, findings_rows
from .sheets import bounds
from .validate_periods import PeriodFigures, check_counts, check_periods, day_text, figure_text, same_figure
from .validate_progress import parse_progress_form, parse_progress_text

__all__ = [
    "CODES",
    "FINDINGS_HEADERS",
    "Finding",
    "PeriodFigures",
    "check_periods",
    "findings_rows",
    "parse_progress_form",
    "parse_progress_text",
    "validate_reports",
]

#: The validator's finding codes: Thai and English descriptions (``data/findings.toml``; docs/reports.md
#: lists them with examples).
CODES = VALIDATE_CODES


class _Sheet:
    """Values (and formulas, when known) of one report workbook, located by defined names."""

    def __init__(self, values_wb: Workbook, formulas_wb: Workbook | None, default_sheet: str, names: dict[str, str],
                 report: str, findings: list[Finding], overlay: Mapping[str, Mapping[str, Any]] | None = None):
        self.wb, self.fwb, self.report = values_wb, formulas_wb, report
        self.findings = findings
        missing = [n for n in names if n not in values_wb.defined_names]
        self.names = {}
        for name, ref in names.items():
            dn = values_wb.defined_names.get(name)
            dest = next(iter(dn.destinations), None) if dn is not None else None
            if (dest is not None and dest[0] in values_wb.sheetnames  # a cell or a cell range, no $L:$L
                    and re.fullmatch(r"[A-Z]+\d+(?::[A-Z]+\d+)?", dest[1].replace("$", "").upper())):
                self.names[name] = (dest[0], dest[1].replace("$", "").upper())
            else:
                sheet = default_sheet if default_sheet in values_wb.sheetnames else values_wb.sheetnames[0]
                self.names[name] = (sheet, ref)
        self.sheet = self.names[next(iter(names))][0]
        self.overlay = (overlay or {}).get(self.sheet, {})
        if missing:
            findings.append(Finding("names_missing", self.sheet, None,
                                    f"ไม่พบชื่อ {', '.join(missing[:5])}{' …' if len(missing) > 5 else ''} "
                                    "ใช้ตำแหน่งตามแบบฟอร์มแทน",
                                    f"defined names {', '.join(missing[:5])} missing; template addresses used",
                                    "warning", report))

    def ref(self, name: str) -> str:
        return self.names[name][1]

    def raw(self, ref: str) -> Any:
        if ref in self.overlay:
            return self.overlay[ref]
        cell = self.wb[self.sheet][ref]
        if cell.data_type == "f":  # a workbook loaded with its formulas, not their values
            return _NOT_CALCULATED
        return cell.value

    def formula(self, ref: str) -> str | None:
        """The formula of a cell (``=…``), None for a value or when the formulas are unknown."""
        if self.fwb is None or not self.is_formula(ref):
            return None
        value: str | None = self.fwb[self.sheet][ref].value
        return value

    def is_formula(self, ref: str) -> bool | None:
        if self.fwb is None:
            return None
        cell = self.fwb[self.sheet][ref]
        return cell.data_type == "f" or (isinstance(cell.value, str) and cell.value.startswith("="))

    def check_calculated(self, names: Iterable[str]) -> None:
        """Report the workbook as not calculated when key formula cells (always numeric) have no value."""
        for name in names:
            ref = self.ref(name)
            value = self.raw(ref)
            if value is _NOT_CALCULATED or (value is None and self.is_formula(ref)):
                self.findings.append(Finding(
                    "not_calculated", self.sheet, ref,
                    "สูตรในรายงานยังไม่ได้คำนวณ ตรวจตัวเลขไม่ได้ (เปิดและบันทึกใน Excel หรือคำนวณใหม่)",
                    "the report's formulas have no calculated values, figures cannot be checked "
                    "(open and save in Excel, or recalculate)", "warning", self.report))
                return

    def number(self, ref: str) -> float | None:
        value = self.raw(ref)
        if value is _NOT_CALCULATED:
            return None
        if value is None or value == "":
            return None
        if isinstance(value, bool):
            return float(value)
        if isinstance(value, int | float):
            return float(value) if math.isfinite(value) else None
        try:
            return float(str(value).replace(",", "").strip())
        except ValueError:
            self.findings.append(Finding("value_unreadable", self.sheet, ref, f"อ่านเป็นตัวเลขไม่ได้: {value!r}",
                                         f"not a number: {value!r}", "error", self.report))
            return None

    def date(self, ref: str) -> _dt.date | None:
        value = self.raw(ref)
        if value is _NOT_CALCULATED or value is None or value == "":
            return None
        if isinstance(value, _dt.datetime):
            return value.date()
        if isinstance(value, _dt.date):
            return value
        try:
            return parse_date(value)
        except (DateParseError, TypeError, ValueError):
            self.findings.append(Finding("value_unreadable", self.sheet, ref, f"อ่านเป็นวันที่ไม่ได้: {value!r}",
                                         f"not a date: {value!r}", "error", self.report))
            return None

    def text(self, ref: str) -> str | None:
        value = self.raw(ref)
        if value is _NOT_CALCULATED or value is None:
            return None
        return str(value)

    def expect_formula(self, refs: Iterable[str]) -> None:
        """Report cells that the form computes with a formula but hold a typed value."""
        if self.fwb is None:
            return
        for ref in refs:
            cell = self.fwb[self.sheet][ref]
            if cell.value is not None and not self.is_formula(ref):
                self.findings.append(Finding(
                    "formula_replaced", self.sheet, ref,
                    f"ช่องนี้ต้องเป็นสูตรตามแบบฟอร์ม แต่พิมพ์ค่า {cell.value!r} แทน",
                    f"the form computes this cell with a formula, but it holds a typed value {cell.value!r}",
                    "warning", self.report))


_NOT_CALCULATED = object()

#: a filled report: a workbook file, or an openpyxl workbook already open
ReportSource: TypeAlias = Workbook | str | Path


def _open(source: ReportSource, data_only: bool) -> Workbook:
    """An openpyxl workbook: ``source`` itself, or the file ``source`` once the guard has let it through
    (:func:`cplkpi.guard.check_workbook_file`: not a workbook, encrypted, a zip bomb, a far cell are refused)
    and opened with what a parser raises on a broken file reported as an :class:`InputError` naming it."""
    if isinstance(source, str | Path):
        check_workbook_file(source)
        with reading(Path(source)):
            wb = load_workbook(source, data_only=data_only)
        if not wb.sheetnames:  # e.g. its only sheet is related as an external target, which is never followed
            name = Path(source).name
            raise InputError([Problem("no_sheets", f"ไฟล์ {name} ไม่มีชีตที่อ่านได้: เปิดใน Excel แล้วบันทึกใหม่",
                                      f"{name} has no sheet that can be read: open it in Excel and save it again",
                                      sheet=name)])
        return wb
    return source


def _rows_of(range_ref: str) -> range:
    """The rows of a range (``A13:P24``) or of a single cell."""
    _, first, _, last = bounds(range_ref)
    return range(first, last + 1)


def _sheet_rules(s: _Sheet, rules: RuleSet | str | None) -> RuleSet | None:
    """The rule set the report was made with: ``rules`` when given, else the shipped one it names."""
    if rules is not None:
        return load_rules(rules)
    name = (s.text(s.ref("R003_RULES")) or "").strip()
    # only a shipped rule set: a submitted workbook must not name a file to read
    return load_rules(name) if name in available_rules() else None


def _check_r003(s: _Sheet, rules: RuleSet | None) -> dict[str, Any]:
    """All R003 checks; returns what the cross-check with R001 needs."""
    out = s.findings
    s.check_calculated(["R003_RECEIVED_FYTD", "R003_TOTAL"])
    mc, cc, stc = layout.R003_MONTH_COLS, layout.R003_COMPONENT_COLS, layout.R003_STEP_COLS
    rows = _rows_of(s.ref("R003_MONTHS_DATA"))
    total_row = _rows_of(s.ref("R003_MONTHS_TOTAL"))[0]
    period_start, period_end = s.date(s.ref("R003_PERIOD_START")), s.date(s.ref("R003_PERIOD_END"))
    as_of, month = s.date(s.ref("R003_AS_OF")), s.date(s.ref("R003_MONTH"))

    periods, month_row = [], None
    for r in rows:
        cells = {k: f"{mc[k]}{r}" for k in ("start", "end", "received", "completed", "in_progress", "completed_pct")}
        p = PeriodFigures(
            label=s.text(f"{mc['label']}{r}") or f"แถว {r}",
            start=s.date(cells["start"]), end=s.date(cells["end"]),
            received=s.number(cells["received"]), completed=s.number(cells["completed"]),
            in_progress=s.number(cells["in_progress"]), completed_pct=s.number(cells["completed_pct"]),
            sheet=s.sheet, cells=cells,
        )
        if p.received is None and p.completed is None and p.in_progress is None:
            continue
        periods.append((r, p))
        if month is not None and p.start is not None and p.end is not None and p.start <= month <= p.end:
            month_row = r
        s.expect_formula([f"{mc[k]}{r}" for k in layout.month_formulas(r)])
    out += check_periods([p for _, p in periods], report=s.report, expected_start=period_start,
                         expected_end=period_end)

    # totals of the monthly table
    for key in ("received", "completed", "in_progress", "late_deduction", "completed_in_month", "audit_sample",
                "audit_deduction"):
        ref = f"{mc[key]}{total_row}"
        total = s.number(ref)
        parts = [s.number(f"{mc[key]}{r}") for r, _ in periods]
        expected = round(sum(x for x in parts if x is not None), 9)
        if total is not None and not same_figure(total, expected, 1e-6):
            out.append(Finding("total_mismatch", s.sheet, ref,
                               f"ยอดรวม {figure_text(total)} ไม่เท่ากับผลรวมรายเดือน {figure_text(expected)}",
                               f"total {figure_text(total)} is not the sum of the months {figure_text(expected)}", report=s.report))
    s.expect_formula(f"{mc[k]}{total_row}" for k in layout.total_formulas())
    tp = PeriodFigures("รวมตั้งแต่ต้นปีงบประมาณ", None, None, s.number(f"{mc['received']}{total_row}"),
                       s.number(f"{mc['completed']}{total_row}"), s.number(f"{mc['in_progress']}{total_row}"),
                       s.number(f"{mc['completed_pct']}{total_row}"), s.sheet,
                       {k: f"{mc[k]}{total_row}" for k in ("received", "completed", "in_progress", "completed_pct")})
    out += check_counts(tp, s.report)

    # summary block: the month row and the total row, counts and %
    summary = {"MONTH": month_row, "FYTD": total_row}
    for suffix, src in summary.items():
        names = {k: s.ref(f"R003_{k.upper()}_{suffix}") for k in ("received", "completed", "in_progress")}
        pct_c, pct_p = s.ref(f"R003_COMPLETED_PCT_{suffix}"), s.ref(f"R003_IN_PROGRESS_PCT_{suffix}")
        values = {k: s.number(ref) for k, ref in names.items()}
        label = "เดือนที่รายงาน" if suffix == "MONTH" else "สะสมตั้งแต่ต้นปีงบประมาณ"
        sp = PeriodFigures(label, None, None, values["received"], values["completed"], values["in_progress"],
                           s.number(pct_c), s.sheet, {**names, "completed_pct": pct_c})
        out += check_counts(sp, s.report)
        pending_pct = s.number(pct_p)
        if pending_pct is not None and values["received"] and values["in_progress"] is not None:
            pending_want = percent(int(values["in_progress"]), int(values["received"]))
            if pending_want is not None and not same_figure(pending_pct, pending_want, 1e-6):
                out.append(Finding("pct_mismatch", s.sheet, pct_p,
                                   f"{label}: ร้อยละกำลังดำเนินการ {pending_pct} แต่คำนวณได้ {pending_want:.2f}",
                                   f"{label}: in-progress % is {pending_pct}, the counts give {pending_want:.2f}",
                                   report=s.report))
        s.expect_formula([*names.values(), pct_c, pct_p])
        if src is None:
            continue
        for key, ref in names.items():
            row_value = s.number(f"{mc[key]}{src}")
            if values[key] is not None and row_value is not None and not same_figure(values[key], row_value):
                out.append(Finding("total_mismatch", s.sheet, ref,
                                   f"{label}: {figure_text(values[key])} ไม่ตรงกับตาราง {mc[key]}{src} ({figure_text(row_value)})",
                                   f"{label}: {figure_text(values[key])} differs from the table's {mc[key]}{src} "
                                   f"({figure_text(row_value)})", report=s.report))

    _check_deductions(s, [r for r, _ in periods], as_of, rules)
    _check_no_data(s, [r for r, _ in periods], total_row, rules)
    _check_scores(s, cc, stc, total_row, rules)
    in_progress = {(p.start, p.end): (r, p.in_progress) for r, p in periods}
    return {"period_start": period_start, "period_end": period_end, "as_of": as_of, "in_progress": in_progress,
            "fytd_ref": s.ref("R003_IN_PROGRESS_FYTD"), "fytd": s.number(s.ref("R003_IN_PROGRESS_FYTD")),
            "agency": s.text(s.ref("R003_AGENCY"))}


def _param(s: _Sheet, name: str) -> float | None:
    return s.number(s.ref(name))


def _row_months(s: _Sheet) -> dict[int, _dt.date]:
    """Excel row → the month it reports (the monthly table holds the fiscal year's months, October first)."""
    fy = _param(s, "R003_FISCAL_YEAR")
    if fy is None or not fy.is_integer() or fy < BE_MIN_YEAR:
        return {}
    return dict(zip(_rows_of(s.ref("R003_MONTHS_DATA")), fiscal_months(int(fy))))


def _check_deductions(s: _Sheet, rows: list[int], as_of: _dt.date | None, rules: RuleSet | None) -> None:
    """The monthly summary's due day, status and late deduction (by the rule set when known, else by the
    sheet's own parameters), the audit sample size and the audit deduction of each month row."""
    mc = layout.R003_MONTH_COLS
    late, sample_pct = _param(s, "R003_LATE_PER_MONTH") or 0.0, _param(s, "R003_AUDIT_SAMPLE_PCT") or 0.0
    min_acc, audit = _param(s, "R003_AUDIT_MIN_ACCURACY"), _param(s, "R003_AUDIT_PER_MONTH") or 0.0
    months = _row_months(s) if rules is not None else {}
    data_from, data_to = s.date(s.ref("R003_DATA_FROM")), s.date(s.ref("R003_DATA_TO"))
    for r in rows:
        due, sent = s.date(f"{mc['report_due']}{r}"), s.date(f"{mc['report_sent_on']}{r}")
        status = s.text(f"{mc['report_status']}{r}")
        # a month outside the days an imported snapshot covers has no data: no summary is expected, unless
        # the month has complaints, completions or a summary (scoring.scores: months.has_data)
        m_start, m_end = s.date(f"{mc['start']}{r}"), s.date(f"{mc['end']}{r}")
        no_data = (data_from is not None and data_to is not None and m_start is not None and m_end is not None
                   and (m_end < data_from or m_start > data_to) and sent is None
                   and not s.number(f"{mc['received']}{r}") and not s.number(f"{mc['completed_in_month']}{r}"))
        month = months.get(r)  # only with a rule set
        if month is not None and rules is not None:
            rule_due = monthly_report_due(month, rules.deadlines.monthly_report_due_day)
            if due is not None and due != rule_due:
                s.findings.append(Finding(
                    "deduction_mismatch", s.sheet, f"{mc['report_due']}{r}",
                    f"กำหนดส่งรายงานสรุปเดือน{format_thai_month(month)} เป็น {day_text(due)} แต่ตามเกณฑ์คือ {day_text(rule_due)}",
                    f"the summary of {month:%Y-%m} is due {due} here, the rule set says {rule_due}", report=s.report))
            due = rule_due
        if due is not None and as_of is not None:
            passed = report_due_passed(due, as_of) and not no_data
            expected = (layout.REPORT_NO_DATA if no_data else layout.REPORT_NOT_DUE if not passed else
                        layout.REPORT_MISSING if sent is None else
                        layout.REPORT_ON_TIME if on_time(sent, due) else layout.REPORT_LATE)
            if status is not None and status != expected:
                s.findings.append(Finding("deduction_mismatch", s.sheet, f"{mc['report_status']}{r}",
                                          f"ผลการส่งรายงานเป็น {status!r} แต่กำหนด {day_text(due)} ส่ง {day_text(sent)} คือ {expected!r}",
                                          f"report status {status!r}, but due {due} and sent {sent} give {expected!r}",
                                          report=s.report))
            if month is not None and rules is not None and rules.late_report is not None:
                # not judged before the due day is over (a summary dated after the as-of date included)
                want = float(np.nan_to_num(monthly_report_deduction(sent, month, as_of, rules=rules)[0])) \
                    if passed else 0.0
            else:
                want = late if expected in (layout.REPORT_MISSING, layout.REPORT_LATE) else 0.0
            got = s.number(f"{mc['late_deduction']}{r}")
            if got is not None and not same_figure(got, want):
                s.findings.append(Finding("deduction_mismatch", s.sheet, f"{mc['late_deduction']}{r}",
                                          f"หักคะแนนรายงานสรุป {got:g} แต่ตามเกณฑ์ควรเป็น {want:g}",
                                          f"late-report deduction {got:g}, the rule set gives {want:g}",
                                          report=s.report))
        base = s.number(f"{mc['completed_in_month']}{r}")
        sample = s.number(f"{mc['audit_sample']}{r}")
        if base is not None and sample is not None and float(base).is_integer():
            want = audit_sample_size(int(base), sample_pct)
            if not same_figure(sample, want):
                s.findings.append(Finding("deduction_mismatch", s.sheet, f"{mc['audit_sample']}{r}",
                                          f"จำนวนสุ่มตรวจ {figure_text(sample)} แต่ร้อยละ {sample_pct:g} ของ {figure_text(base)} ปัดขึ้นคือ {want}",
                                          f"audit sample {figure_text(sample)}, but ceil({sample_pct:g} % of {figure_text(base)}) = {want}",
                                          report=s.report))
        accuracy, got = s.number(f"{mc['audit_accuracy_pct']}{r}"), s.number(f"{mc['audit_deduction']}{r}")
        want = audit if accuracy is not None and min_acc is not None and accuracy < min_acc else 0.0
        if got is not None and not same_figure(got, want):
            s.findings.append(Finding("deduction_mismatch", s.sheet, f"{mc['audit_deduction']}{r}",
                                      f"หักคะแนนสุ่มตรวจ {got:g} แต่ตามเกณฑ์ควรเป็น {want:g}",
                                      f"audit deduction {got:g}, the rule set gives {want:g}", report=s.report))


def _check_no_data(s: _Sheet, rows: list[int], months_total_row: int, rules: RuleSet | None) -> None:
    """The months without data (status ไม่มีข้อมูล) counted apart in the monthly-summary component's column
    ``no_data``, never as not yet due; and a report whose months all lack data and that counts no complaint
    says so in ``R003_NOTE`` (its full score is not earned)."""
    mc, cc = layout.R003_MONTH_COLS, layout.R003_COMPONENT_COLS
    statuses = [s.text(f"{mc['report_status']}{r}") for r in rows]
    no_data = sum(x == layout.REPORT_NO_DATA for x in statuses)
    monthly_labels = {c.label_th for c in rules.components if c.monthly} if rules else set()
    for r in _rows_of(s.ref("R003_COMPONENTS_DATA")):
        label = (s.text(f"{cc['label']}{r}") or "").strip()
        if label not in monthly_labels and (
                s.formula(f"{cc['score']}{r}") != layout.component_formulas(r, monthly=True)["score"]):
            continue  # not the monthly-summary component
        got = s.number(f"{cc['no_data']}{r}")
        s.expect_formula([f"{cc['no_data']}{r}"])
        if got is not None and not same_figure(got, no_data):
            s.findings.append(Finding("total_mismatch", s.sheet, f"{cc['no_data']}{r}",
                                      f"ไม่มีข้อมูล {figure_text(got)} เดือน แต่ตารางรายเดือนมีเดือนที่ไม่มีข้อมูล {no_data} เดือน",
                                      f"{figure_text(got)} months without data, but the monthly table shows {no_data}",
                                      report=s.report))
    received = s.number(f"{mc['received']}{months_total_row}")
    if statuses and no_data == len(statuses) and not received:
        note = s.text(s.ref("R003_NOTE")) or ""
        if "ไม่มีข้อมูล" not in note:
            s.findings.append(Finding("no_data_unsaid", s.sheet, s.ref("R003_NOTE"),
                                      "ทุกเดือนในรายงานไม่มีข้อมูลและไม่มีเรื่อง แต่ไม่มีหมายเหตุว่าคะแนนเต็มนี้ไม่ใช่ผลการดำเนินงาน",
                                      "every month of the report has no data and no complaint, but no note says its "
                                      "full score is not earned", report=s.report))


def _check_scores(s: _Sheet, cc: dict[str, str], stc: dict[str, str], months_total_row: int,
                  rules: RuleSet | None) -> None:
    out = s.findings
    threshold = _param(s, "R003_THRESHOLD")
    monthly_labels = {c.label_th for c in rules.components if c.monthly} if rules else set()
    comp_rows = _rows_of(s.ref("R003_COMPONENTS_DATA"))
    by_step: dict[float, list[tuple[float, float]]] = {}
    for r in comp_rows:
        step = s.number(f"{cc['step']}{r}")
        if step is None:
            continue
        points, correct, total = (s.number(f"{cc[k]}{r}") for k in ("points", "correct", "total"))
        pct, score = s.number(f"{cc['pct']}{r}"), s.number(f"{cc['score']}{r}")
        label = (s.text(f"{cc['label']}{r}") or "").strip()
        s.expect_formula([f"{cc['pct']}{r}", f"{cc['score']}{r}"])
        if correct is not None and total and pct is not None:
            want = percent(int(correct), int(total))
            if not same_figure(pct, want, 1e-6):
                out.append(Finding("pct_mismatch", s.sheet, f"{cc['pct']}{r}",
                                   f"ร้อยละ {pct} แต่ {figure_text(correct)}×100/{figure_text(total)} = {want:.2f}",
                                   f"percentage {pct}, but {figure_text(correct)}*100/{figure_text(total)} = {want:.2f}",
                                   report=s.report))
        if points is not None and score is not None:
            monthly = label in monthly_labels or (rules is None and s.formula(f"{cc['score']}{r}") ==
                                              layout.component_formulas(r, monthly=True)["score"])
            want_score: float | None
            if monthly or not total:
                want_score = points
            elif pct is not None and threshold is not None:
                want_score = step_score(pct, points, threshold)
            else:
                want_score = None
            if want_score is not None and not same_figure(score, want_score, 1e-6):
                out.append(Finding("score_mismatch", s.sheet, f"{cc['score']}{r}",
                                   f"คะแนน {score:g} แต่ตามสูตร (ร้อยละ {pct}, เต็ม {points:g}, เกณฑ์ {threshold:g}) "
                                   f"ได้ {want_score:g}",
                                   f"score {score:g}, but the formula (pct {pct}, full {points:g}, threshold "
                                   f"{threshold:g}) gives {want_score:g}", report=s.report))
            by_step.setdefault(step, []).append((points, score))

    late_step, audit_step = _param(s, "R003_LATE_FROM_STEP"), _param(s, "R003_AUDIT_FROM_STEP")
    mc = layout.R003_MONTH_COLS
    late_total = s.number(f"{mc['late_deduction']}{months_total_row}") or 0.0
    audit_total = s.number(f"{mc['audit_deduction']}{months_total_row}") or 0.0
    step_rows = _rows_of(s.ref("R003_STEPS_DATA"))
    sums = {"points": 0.0, "score_before": 0.0, "deductions": 0.0, "score": 0.0}
    for r in step_rows:
        step = s.number(f"{stc['step']}{r}")
        if step is None:
            continue
        comps = by_step.get(step, [])
        wants: dict[str, float] = {
            "points": sum(p for p, _ in comps),
            "score_before": round_half_up(sum(x for _, x in comps), 4),
            "deductions": round_half_up((late_total if step == late_step else 0) +
                                        (audit_total if step == audit_step else 0), 4),
        }
        wants["score"] = round_half_up(max(wants["score_before"] - wants["deductions"], 0), 4)
        for key, value in wants.items():
            ref = f"{stc[key]}{r}"
            got = s.number(ref)
            if got is not None:
                sums[key] += got
            if got is not None and not same_figure(got, value, 1e-6):
                out.append(Finding("score_mismatch", s.sheet, ref,
                                   f"ขั้นตอนที่ {step:g}: {got:g} แต่คำนวณจากองค์ประกอบและการหักคะแนนได้ {value:g}",
                                   f"step {step:g}: {got:g}, but its components and deductions give {value:g}",
                                   report=s.report))
        s.expect_formula(f"{stc[k]}{r}" for k in wants)
    for key, name in (("points", "R003_TOTAL_POINTS"), ("score_before", "R003_SCORE_BEFORE"),
                      ("deductions", "R003_DEDUCTIONS"), ("score", "R003_TOTAL")):
        ref = s.ref(name)
        got = s.number(ref)
        if got is not None and not same_figure(got, round_half_up(sums[key], 4), 1e-6):
            out.append(Finding("total_mismatch", s.sheet, ref,
                               f"ยอดรวม {got:g} ไม่เท่ากับผลรวมรายขั้นตอน {round_half_up(sums[key], 4):g}",
                               f"total {got:g} is not the sum of the steps {round_half_up(sums[key], 4):g}",
                               report=s.report))
        s.expect_formula([ref])


def _check_r001(s: _Sheet) -> dict[str, Any]:
    out, cols = s.findings, layout.R001_COLS
    s.check_calculated(["R001_PENDING_TOTAL"])
    ws = s.wb[s.sheet]
    data = _rows_of(s.ref("R001_DATA"))
    first = data[0]
    period_start, period_end = s.date(s.ref("R001_PERIOD_START")), s.date(s.ref("R001_PERIOD_END"))
    rows: list[tuple[int, str, _dt.date | None, str | None]] = []
    seen: dict[str, int] = {}
    for r in range(first, max(ws.max_row, data[-1]) + 1):
        cid = s.raw(f"{cols['complaint_id']}{r}")
        if cid is None or str(cid).strip() == "":
            continue
        cid = str(cid).strip()
        fwd = s.date(f"{cols['forwarded_on']}{r}")
        status = s.text(f"{cols['status']}{r}")
        rows.append((r, cid, fwd, status))
        if cid in seen:
            out.append(Finding("duplicate_complaint", s.sheet, f"{cols['complaint_id']}{r}",
                               f"เรื่อง {cid} ซ้ำกับแถว {seen[cid]}", f"complaint {cid} repeats row {seen[cid]}",
                               report=s.report))
        else:
            seen[cid] = r
        if fwd is not None and period_end is not None and fwd > period_end:
            out.append(Finding("pending_after_period", s.sheet, f"{cols['forwarded_on']}{r}",
                               f"เรื่อง {cid} ศูนย์แจ้งเรื่อง {day_text(fwd)} หลังวันสิ้นสุดรายงาน {day_text(period_end)}",
                               f"complaint {cid} forwarded {fwd}, after the period end {period_end}", report=s.report))
    in_fy = sum(1 for _, _, f, _ in rows if f is not None and period_start is not None and period_end is not None
                and period_start <= f <= period_end)

    def status_count(text: str) -> int:
        return sum(1 for *_, st in rows if st == text)

    expected = {
        "R001_PENDING_TOTAL": len(rows), "R001_OVERDUE": status_count(STATUS_LABELS["overdue"][0]),
        "R001_DUE_SOON": status_count(STATUS_LABELS["due_soon"][0]),
        "R001_ON_TIME": status_count(STATUS_LABELS["on_time"][0]),
        "R001_PENDING_FY": in_fy, "R001_CARRIED_OVER": len(rows) - in_fy,
    }
    for name, want in expected.items():
        ref = s.ref(name)
        got = s.number(ref)
        if got is not None and not same_figure(got, want):
            out.append(Finding("total_mismatch", s.sheet, ref,
                               f"แสดง {figure_text(got)} เรื่อง แต่รายการในตารางนับได้ {want} เรื่อง",
                               f"shows {figure_text(got)}, but the table's rows give {want}", report=s.report))
        s.expect_formula([ref])
    return {"rows": rows, "period_start": period_start, "period_end": period_end,
            "as_of": s.date(s.ref("R001_AS_OF")), "agency": s.text(s.ref("R001_AGENCY")),
            "pending_fy_ref": s.ref("R001_PENDING_FY")}


def _cross_check(r3: dict[str, Any], r1: dict[str, Any], s3: _Sheet, s1: _Sheet) -> list[Finding]:
    out = []
    for key, label in (("agency", "หน่วยงาน"), ("as_of", "ณ วันที่"), ("period_end", "วันสิ้นสุด"),
                       ("period_start", "วันเริ่มต้น")):
        if r3[key] is not None and r1[key] is not None and r3[key] != r1[key]:
            out.append(Finding("reports_mismatch", s1.sheet, None,
                               f"{label}ใน CPL_R001 ({r1[key]}) ไม่ตรงกับ CPL_R003 ({r3[key]})",
                               f"{key} differs: CPL_R001 {r1[key]}, CPL_R003 {r3[key]}", report=s1.report))
    if out:
        return out
    mc = layout.R003_MONTH_COLS
    for (start, end), (r, in_progress) in r3["in_progress"].items():
        if start is None or end is None or in_progress is None:
            continue
        listed = [(row, cid) for row, cid, fwd, _ in r1["rows"] if fwd is not None and start <= fwd <= end]
        if len(listed) == in_progress:
            continue
        rows_text = ", ".join(f"{layout.R001_COLS['complaint_id']}{row}" for row, _ in listed[:5])
        more = " …" if len(listed) > 5 else ""
        code = "pending_not_in_r003" if len(listed) > in_progress else "pending_missing_from_r001"
        out.append(Finding(
            code, s3.sheet, f"{mc['in_progress']}{r}",
            f"ช่วง {day_text(start)} – {day_text(end)}: CPL_R003 นับกำลังดำเนินการ {figure_text(in_progress)} เรื่อง แต่ CPL_R001 แสดง "
            f"{len(listed)} เรื่อง ({rows_text}{more})",
            f"{start} – {end}: CPL_R003 counts {figure_text(in_progress)} in progress, CPL_R001 lists {len(listed)} "
            f"({rows_text}{more})", report=f"{s3.report} / {s1.report}"))
    periods = [(start, end) for start, end in r3["in_progress"] if start is not None and end is not None]
    lo, hi = r3["period_start"], r3["period_end"]
    unmatched = [(row, cid) for row, cid, fwd, _ in r1["rows"]
                 if fwd is not None and lo is not None and hi is not None and lo <= fwd <= hi
                 and not any(start <= fwd <= end for start, end in periods)]
    for row, cid in unmatched:
        out.append(Finding(
            "pending_not_in_r003", s1.sheet, f"{layout.R001_COLS['forwarded_on']}{row}",
            f"เรื่อง {cid} คงค้างใน CPL_R001 แต่ไม่มีช่วงเวลาใน CPL_R003 ที่นับวันที่ศูนย์แจ้งเรื่องของเรื่องนี้",
            f"complaint {cid} is pending in CPL_R001, but no CPL_R003 period covers its forwarding date",
            report=f"{s3.report} / {s1.report}"))
    return out


def validate_reports(
    r003: ReportSource | None = None,
    r001: ReportSource | None = None,
    *,
    r003_formulas: Workbook | None = None,
    r001_formulas: Workbook | None = None,
    values: Mapping[str, Mapping[str, Any]] | None = None,
    rules: RuleSet | str | None = None,
) -> list[Finding]:
    """Validate a filled CPL_R003 and/or CPL_R001 (paths or openpyxl workbooks) and, given both, their agreement.

    With a path, the file is read twice with openpyxl: the calculated values
    (what Excel saved) and the formulas (to find formulas replaced by typed
    numbers). With openpyxl workbooks, ``r003``/``r001`` should be loaded with
    ``data_only=True``; pass the formula workbooks as ``r003_formulas``/
    ``r001_formulas`` to check formulas too. ``values`` (sheet → cell →
    value) overrides what a workbook holds: the report job validates its
    in-memory workbooks (formulas) with the engine's results of their formula
    cells, the values it caches in the file, without writing and re-reading it.
    ``rules`` is the rule set the report was made with (a name, a TOML path or
    a :class:`RuleSet`); without it, the shipped rule set the report names
    (``R003_RULES``) is used, and a report made with another rule-set file is
    checked against its own parameters and formulas.
    """
    findings: list[Finding] = []
    r3 = r1 = None
    s3 = s1 = None
    if r003 is not None:
        formulas = r003_formulas if r003_formulas is not None else (
            _open(r003, False) if isinstance(r003, str | Path) else None)
        s3 = _Sheet(_open(r003, True), formulas, layout.R003_SHEET, layout.R003_NAMES,
                    Path(r003).name if isinstance(r003, str | Path) else "CPL_R003", findings, values)
        r3 = _check_r003(s3, _sheet_rules(s3, rules))
    if r001 is not None:
        formulas = r001_formulas if r001_formulas is not None else (
            _open(r001, False) if isinstance(r001, str | Path) else None)
        s1 = _Sheet(_open(r001, True), formulas, layout.R001_SHEET, layout.R001_NAMES,
                    Path(r001).name if isinstance(r001, str | Path) else "CPL_R001", findings, values)
        r1 = _check_r001(s1)
    if r3 is not None and r1 is not None and s3 is not None and s1 is not None:
        findings += _cross_check(r3, r1, s3, s1)
    return findings
