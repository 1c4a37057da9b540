"""Validation of filled CPL_R001/CPL_R003 reports and of seed-003 style progress forms.

The checks are the mistakes real forms contain (seed 003, SPEC §8):

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
:class:`PeriodFigures`), and :func:`parse_progress_form` reads the text of a
seed-003 progress form into it. Every :class:`Finding` names its sheet and
cell (or, for a text form, the report it comes from).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

import numpy as np
from openpyxl.utils.cell import range_boundaries

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
    BE_OFFSET,
    DateParseError,
    fiscal_months,
    format_thai_date,
    format_thai_month,
    parse_date,
)
from cplkpi.templates import layout

__all__ = [
    "CODES",
    "FINDINGS_HEADERS",
    "Finding",
    "PeriodFigures",
    "check_periods",
    "findings_rows",
    "parse_progress_form",
    "parse_progress_text",
    "problem_cell",
    "validate_reports",
]

Severity = Literal["error", "warning"]

#: Finding codes: Thai and English descriptions (docs/reports.md lists them with examples).
CODES: dict[str, tuple[str, str]] = {
    "counts_mismatch": ("จำนวนรับเรื่องไม่เท่ากับเสร็จสิ้นรวมกำลังดำเนินการ", "received != completed + in progress"),
    "total_mismatch": ("ยอดรวมไม่เท่ากับผลรวมของรายการ", "a total is not the sum of its rows"),
    "pct_mismatch": ("ร้อยละไม่สอดคล้องกับจำนวน", "a percentage does not follow from its counts"),
    "score_mismatch": ("คะแนนไม่เป็นไปตามสูตร", "a score does not follow the rule set's formula"),
    "deduction_mismatch": ("การหักคะแนนไม่เป็นไปตามเกณฑ์", "a deduction does not follow the rule set"),
    "no_data_unsaid": ("ช่วงที่ไม่มีข้อมูลเลยแสดงคะแนนเต็มโดยไม่ระบุว่าไม่มีข้อมูล",
                       "a period without any data shows full points without saying there is no data"),
    "period_missing": ("ไม่ระบุช่วงวันที่", "a period without start or end date"),
    "period_reversed": ("วันเริ่มต้นอยู่หลังวันสิ้นสุด", "a period that ends before it starts"),
    "period_gap": ("ช่วงวันที่ขาดหาย ไม่ต่อเนื่อง", "days between periods that no period covers"),
    "period_overlap": ("ช่วงวันที่ซ้อนทับกัน", "days counted in two periods"),
    "period_outside": ("มีตัวเลขของช่วงเวลาหลังวันสิ้นสุดรายงาน", "figures for a period after the report's end"),
    "month_copied": ("ตัวเลขซ้ำกับเดือนอื่น อาจคัดลอกมา", "a month's figures equal another month's"),
    "value_unreadable": ("อ่านค่าไม่ได้", "a value that is not a number or date"),
    "counts_unreadable": ("อ่านจำนวนเรื่องในข้อความรายงานความก้าวหน้าไม่ได้",
                          "the counts of a progress text cannot be read"),
    "not_calculated": ("สูตรยังไม่ได้คำนวณ", "a formula without a calculated value"),
    "formula_replaced": ("สูตรถูกแทนที่ด้วยค่าที่พิมพ์", "a formula of the form replaced by a typed value"),
    "names_missing": ("ไม่พบชื่อที่กำหนด (defined names) ใช้ตำแหน่งตามแบบฟอร์ม",
                      "defined names missing: template addresses used"),
    "duplicate_complaint": ("เลขที่เรื่องซ้ำในรายงานเรื่องคงค้าง", "a complaint listed twice in CPL_R001"),
    "pending_after_period": ("เรื่องคงค้างที่ศูนย์แจ้งหลังวันสิ้นสุดรายงาน", "a pending complaint forwarded after the period"),
    "pending_not_in_r003": ("เรื่องคงค้างใน CPL_R001 ไม่ตรงกับจำนวนกำลังดำเนินการใน CPL_R003",
                            "CPL_R001 lists pending complaints that CPL_R003 does not count"),
    "pending_missing_from_r001": ("CPL_R003 นับเรื่องกำลังดำเนินการมากกว่าที่ CPL_R001 แสดง",
                                  "CPL_R003 counts complaints in progress that CPL_R001 does not list"),
    "reports_mismatch": ("CPL_R001 และ CPL_R003 ไม่ใช่หน่วยงานหรือช่วงเวลาเดียวกัน",
                         "CPL_R001 and CPL_R003 differ in agency or period"),
}


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a report, located by sheet and cell."""

    code: str
    sheet: str | None
    cell: str | None
    message_th: str
    message_en: str
    severity: Severity = "error"
    #: which report (``CPL_R003``, ``CPL_R001``, a file name or a form)
    report: str | None = None

    @property
    def where(self) -> str:
        """``CPL_R003!E13`` (or the report label for a text form)."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell or self.report or ""

    @property
    def message(self) -> str:
        return f"{self.message_th} ({self.message_en})"

    def __str__(self) -> str:
        level = "ข้อผิดพลาด" if self.severity == "error" else "คำเตือน"
        return f"{level} [{self.code}] {self.where}: {self.message}"


#: Column headers of a findings sheet (the rows of :func:`findings_rows`).
FINDINGS_HEADERS = ["ระดับ (severity)", "รหัส (code)", "รายงาน (report)", "ชีต (sheet)", "เซลล์ (cell)", "ข้อความ",
                    "message"]


def problem_cell(problem: Problem) -> str | None:
    """The cell of an input problem (``D14``), its column (``D``) or row (``14``) alone, None when unknown."""
    return f"{problem.letter or ''}{problem.row or ''}" or None


def findings_rows(findings: Iterable[Finding]) -> list[list[Any]]:
    """Rows for a findings sheet: ระดับ, รหัส, รายงาน, ชีต, เซลล์, ข้อความ, message."""
    return [["ข้อผิดพลาด (error)" if f.severity == "error" else "คำเตือน (warning)", f.code, f.report or "",
             f.sheet or "", f.cell or "", f.message_th, f.message_en] for f in findings]


# --- the layout-free core ------------------------------------------------------------


@dataclass(frozen=True)
class PeriodFigures:
    """A reported period and its counts, with where each value sits (field → cell, e.g. ``received`` → ``E13``)."""

    label: str
    start: _dt.date | None
    end: _dt.date | None
    received: float | None
    completed: float | None
    in_progress: float | None
    completed_pct: float | None = None
    sheet: str | None = None
    cells: dict[str, str] = field(default_factory=dict)

    def cell(self, key: str) -> str | None:
        return self.cells.get(key) or self.cells.get("row") or (None if self.sheet else self.label)


def _d(day: _dt.date | None) -> str:
    return format_thai_date(day) if day else "-"


def _n(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def _eq(a: float | None, b: float | None, tol: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tol


def check_counts(p: PeriodFigures, report: str | None = None) -> list[Finding]:
    """Received = completed + in progress, and the completion % consistent with the counts."""
    out = []
    if None not in (p.received, p.completed, p.in_progress) and not _eq(p.received, p.completed + p.in_progress):
        total = p.completed + p.in_progress
        out.append(Finding(
            "counts_mismatch", p.sheet, p.cell("received"),
            f"{p.label}: รับเรื่อง {_n(p.received)} เรื่อง แต่เสร็จสิ้น {_n(p.completed)} + กำลังดำเนินการ "
            f"{_n(p.in_progress)} = {_n(total)} เรื่อง (ต่างกัน {_n(p.received - total)})",
            f"{p.label}: received {_n(p.received)} but completed {_n(p.completed)} + in progress "
            f"{_n(p.in_progress)} = {_n(total)}", report=report))
    if p.completed_pct is not None and p.received is not None and p.completed is not None and p.received >= 0:
        expected = percent(int(p.completed), int(p.received)) if float(p.received).is_integer() and \
            float(p.completed).is_integer() else None
        if expected is not None and not _eq(p.completed_pct, expected, 1e-6):
            out.append(Finding(
                "pct_mismatch", p.sheet, p.cell("completed_pct"),
                f"{p.label}: ร้อยละเสร็จสิ้น {p.completed_pct} แต่ {_n(p.completed)}×100/{_n(p.received)} = {expected:.2f}",
                f"{p.label}: completed % is {p.completed_pct}, but {_n(p.completed)}*100/{_n(p.received)} = "
                f"{expected:.2f}", report=report))
    return out


def check_periods(
    periods: Sequence[PeriodFigures],
    *,
    report: str | None = None,
    expected_start: _dt.date | None = None,
    expected_end: _dt.date | None = None,
) -> list[Finding]:
    """Counts, periods (missing, reversed, gaps, overlaps) and copied figures of consecutive periods.

    ``periods`` are in reporting order. ``expected_start``/``expected_end``
    (e.g. the fiscal year's first day and the report's last day) turn a
    period that starts late or stops early into a gap.
    """
    out: list[Finding] = []
    for p in periods:
        out += check_counts(p, report)
        if p.start is None or p.end is None:
            out.append(Finding("period_missing", p.sheet, p.cell("start"),
                               f"{p.label}: ไม่ระบุช่วงวันที่ของตัวเลข ตรวจความต่อเนื่องไม่ได้",
                               f"{p.label}: no period given for the figures; continuity cannot be checked",
                               report=report))
        elif p.start > p.end:
            out.append(Finding("period_reversed", p.sheet, p.cell("start"),
                               f"{p.label}: เริ่ม {_d(p.start)} หลังวันสิ้นสุด {_d(p.end)}",
                               f"{p.label}: starts {p.start} after its end {p.end}", report=report))
        if expected_end is not None and p.start is not None and p.start > expected_end and p.received:
            out.append(Finding("period_outside", p.sheet, p.cell("received"),
                               f"{p.label}: มีตัวเลขของช่วงหลังวันสิ้นสุดรายงาน {_d(expected_end)}",
                               f"{p.label}: figures for a period after the report's end {expected_end}",
                               report=report))

    dated = [p for p in periods if p.start is not None and p.end is not None and p.start <= p.end]
    if expected_start is not None and dated and dated[0].start > expected_start and periods[0] is dated[0]:
        first = dated[0]
        out.append(_gap(None, first, expected_start, first.start - _dt.timedelta(days=1), report))
    for prev, cur, between in _consecutive(periods):
        if between:
            continue  # a period without dates lies between them: already reported as missing
        if cur.start > prev.end + _dt.timedelta(days=1):
            out.append(_gap(prev, cur, prev.end + _dt.timedelta(days=1), cur.start - _dt.timedelta(days=1), report))
        elif cur.start <= prev.end:
            last = min(prev.end, cur.end)
            out.append(Finding(
                "period_overlap", cur.sheet, cur.cell("start"),
                f"{cur.label} ({_d(cur.start)} – {_d(cur.end)}) ซ้อนทับกับ {prev.label} ({_d(prev.start)} – "
                f"{_d(prev.end)}) ช่วง {_d(cur.start)} – {_d(last)} ถูกนับสองครั้ง",
                f"{cur.label} ({cur.start} – {cur.end}) overlaps {prev.label} ({prev.start} – {prev.end}): "
                f"{cur.start} – {last} counted twice", report=report))
    if expected_end is not None and dated:
        last = max((p for p in dated if p.start <= expected_end), key=lambda p: p.end, default=None)
        if last is not None and last.end < expected_end and periods[-1] is last:
            out.append(_gap(last, None, last.end + _dt.timedelta(days=1), expected_end, report))

    seen: list[PeriodFigures] = []
    for p in periods:
        figures = (p.received, p.completed, p.in_progress)
        if p.received and None not in figures:
            for q in seen:
                if (q.received, q.completed, q.in_progress) == figures:
                    same_period = (q.start, q.end) == (p.start, p.end)
                    out.append(Finding(
                        "month_copied", p.sheet, p.cell("received"),
                        f"{p.label}: ตัวเลข (รับ {_n(p.received)} เสร็จสิ้น {_n(p.completed)} กำลังดำเนินการ "
                        f"{_n(p.in_progress)}) ซ้ำกับ {q.label}"
                        + (" และช่วงวันที่เดียวกัน: คัดลอกรายงานเดิมมา" if same_period else " อาจคัดลอกมา"),
                        f"{p.label}: figures (received {_n(p.received)}, completed {_n(p.completed)}, in progress "
                        f"{_n(p.in_progress)}) equal {q.label}'s"
                        + (" with the same period: a copy of the earlier report" if same_period else ""),
                        "error" if same_period else "warning", report=report))
                    break
            seen.append(p)
    return out


def _consecutive(periods: Sequence[PeriodFigures]) -> Iterable[tuple[PeriodFigures, PeriodFigures, bool]]:
    """Pairs of dated periods in order, and whether an undated period lies between them."""
    prev, between = None, False
    for p in periods:
        if p.start is None or p.end is None or p.start > p.end:
            between = between or prev is not None
            continue
        if prev is not None:
            yield prev, p, between
        prev, between = p, False


def _gap(prev: PeriodFigures | None, cur: PeriodFigures | None, first: _dt.date, last: _dt.date,
         report: str | None) -> Finding:
    at = cur or prev
    assert at is not None
    days = (last - first).days + 1
    after = f"หลัง {prev.label} " if prev else "ตั้งแต่ต้นช่วง "
    before = f"ก่อน {cur.label}" if cur else "ถึงวันสิ้นสุดรายงาน"
    return Finding(
        "period_gap", at.sheet, at.cell("start" if cur else "end"),
        f"ช่วงวันที่ {_d(first)} – {_d(last)} ({days} วัน) ไม่มีรายงานใดครอบคลุม ({after}{before})",
        f"{first} – {last} ({days} day{'s' if days != 1 else ''}) covered by no period "
        f"({'after ' + prev.label if prev else 'from the start'}, {'before ' + cur.label if cur else 'to the end'})",
        report=report)


# --- seed-003 progress forms ------------------------------------------------------------

_NUM = r"(\d[\d,]*)"
#: the unit after a count: เรื่อง or รายการ
PROGRESS_UNIT = r"\s*(?:เรื่อง|รายการ)"
_DONE_WORDS, _OPEN_WORDS = r"เสร็จ|แล้วเสร็จ", r"กำลังดำเนินการ|ระหว่างดำเนินการ|ค้าง|คงเหลือ|เหลือ"


def _after(words: str, other: str) -> re.Pattern[str]:
    """A count after one of ``words``, with a few filler words between (ไปแล้ว, อยู่, จำนวน), none of ``other``."""
    return re.compile(rf"(?:{words})(?:(?!{other})\D){{0,16}}?" + _NUM + PROGRESS_UNIT)


_RECEIVED = re.compile(r"(?:จำนวน|ทั้งหมด)\s*" + _NUM + PROGRESS_UNIT)
_COMPLETED = _after(_DONE_WORDS, _OPEN_WORDS)
_PENDING = _after(_OPEN_WORDS, _DONE_WORDS)
#: every count a progress text states (what the three readers above must account for)
PROGRESS_COUNT = re.compile(r"\d[\d,]*" + PROGRESS_UNIT)
_RANGE = re.compile(r"(?:ตั้งแต่(?:วันที่)?\s*)?(\d{1,2}(?:\s*[^\d\s-]+\.?(?:\s*\d{2,4})?)?)\s*-\s*"
                    r"(\d{1,2}\s*[^\d\s-]+(?:\s*\d{2,4})?)(?=\s*(?:จำนวน|ทั้งหมด))")
_REPORT = re.compile(r"รายงานครั้งที่\s*(\d+)\s*(?:<p>)?\s*::\s*(\d{1,2}/\d{1,2}/\d{4})\s*:\s*(.*?)(?:\s*::|</p>|$)")


def _num(m: re.Match[str] | None) -> float | None:
    return float(m[1].replace(",", "")) if m else None


def parse_progress_text(text: str, reported_on: Any = None, label: str | None = None) -> PeriodFigures:
    """A seed-003 progress line → period and counts.

    Reads "จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 1 ตุลาคม - 31 ตุลาคม 2562 จำนวน 91 เรื่อง
    ดำเนินการเสร็จสิ้นแล้ว 71 เรื่อง กำลังดำเนินการ 20 เรื่อง" and its variants (``1 - 30
    มีนาคม 2563``, ``27 พ.ค. 63 - 26 มิ.ย. 63``, done written เสร็จสิ้นไปแล้ว / แก้ไขแล้วเสร็จ, pending
    written กำลังดำเนินการอยู่ / ค้าง / ระหว่างดำเนินการ / คงเหลือ, counts in เรื่อง or รายการ).
    A date without a year takes the year of ``reported_on`` (the year before
    when the period would otherwise end after the report); what cannot be
    read is None (a period without dates is reported by :func:`check_periods`).
    """
    start = end = None
    m = _RANGE.search(text)
    rest = text
    if m:
        rest = text[m.end():]
        try:
            reported = parse_date(reported_on)
        except DateParseError:  # an impossible report date (31/2/2563): the text's own years only
            reported = None
        start, end = _parse_range(m[1].strip(), m[2].strip(), reported)
    return PeriodFigures(
        label=label or text[:40], start=start, end=end,
        received=_num(_RECEIVED.search(rest)), completed=_num(_COMPLETED.search(rest)),
        in_progress=_num(_PENDING.search(rest)),
    )


def _parse_range(left: str, right: str, reported_on: _dt.date | None) -> tuple[_dt.date | None, _dt.date | None]:
    """The dates of ``left - right``; a side without a year takes the year that puts it before the other
    (and the end on or before ``reported_on``). A day its month does not have leaves that side None."""

    def read(text: str, year: int | None = None) -> _dt.date | None:
        try:
            return parse_date(text if year is None else f"{text} {year + BE_OFFSET}")
        except DateParseError:
            return None

    end = read(right)
    if end is None and reported_on is not None:
        # the report's year, or the year before when that would end after the report was written
        end = read(right, reported_on.year)
        if end is None or end > reported_on:
            end = read(right, reported_on.year - 1) or end
    if end is None:
        return None, None
    if left.isdigit():  # "1 - 30 พฤศจิกายน 2562": the end's month
        try:
            return end.replace(day=int(left)), end
        except ValueError:  # a day the month does not have
            return None, end
    start = read(left)
    if start is None:
        start = read(left, end.year)
        if start is None or start > end:
            start = read(left, end.year - 1)
    return start, end


def parse_progress_form(text: str) -> list[PeriodFigures]:
    """Every ``รายงานครั้งที่ n :: d/m/yyyy : …`` report of a seed-003 progress form, in order."""
    out = []
    for m in _REPORT.finditer(text):
        p = parse_progress_text(m[3], m[2], label=f"รายงานครั้งที่ {m[1]} ({m[2]})")
        if any(v is not None for v in (p.received, p.completed, p.in_progress)):
            out.append(p)
    return out


# --- filled workbooks --------------------------------------------------------------------


class _Sheet:
    """Values (and formulas, when known) of one report workbook, located by defined names."""

    def __init__(self, values_wb: Any, formulas_wb: Any | None, default_sheet: str, names: dict[str, str],
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
        return self.fwb[self.sheet][ref].value if self.is_formula(ref) else None

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


def _open(source: Any, data_only: bool) -> Any:
    """An openpyxl workbook: ``source`` itself, or the file ``source`` once the guard has let it through
    (:func:`cplkpi.guard.check_workbook_file`: not a workbook, encrypted, a zip bomb, a far cell are refused)
    and opened with what a parser raises on a broken file reported as an :class:`InputError` naming it."""
    from openpyxl import load_workbook

    from cplkpi.guard import check_workbook_file

    from .audit_source import reading

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
    _, first, _, last = range_boundaries(range_ref)
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
        if total is not None and not _eq(total, expected, 1e-6):
            out.append(Finding("total_mismatch", s.sheet, ref,
                               f"ยอดรวม {_n(total)} ไม่เท่ากับผลรวมรายเดือน {_n(expected)}",
                               f"total {_n(total)} is not the sum of the months {_n(expected)}", report=s.report))
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
            expected = percent(int(values["in_progress"]), int(values["received"]))
            if not _eq(pending_pct, expected, 1e-6):
                out.append(Finding("pct_mismatch", s.sheet, pct_p,
                                   f"{label}: ร้อยละกำลังดำเนินการ {pending_pct} แต่คำนวณได้ {expected:.2f}",
                                   f"{label}: in-progress % is {pending_pct}, the counts give {expected:.2f}",
                                   report=s.report))
        s.expect_formula([*names.values(), pct_c, pct_p])
        if src is None:
            continue
        for key, ref in names.items():
            row_value = s.number(f"{mc[key]}{src}")
            if values[key] is not None and row_value is not None and not _eq(values[key], row_value):
                out.append(Finding("total_mismatch", s.sheet, ref,
                                   f"{label}: {_n(values[key])} ไม่ตรงกับตาราง {mc[key]}{src} ({_n(row_value)})",
                                   f"{label}: {_n(values[key])} differs from the table's {mc[key]}{src} "
                                   f"({_n(row_value)})", report=s.report))

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
        month = months.get(r)
        if month is not None:
            rule_due = monthly_report_due(month, rules.deadlines.monthly_report_due_day)
            if due is not None and due != rule_due:
                s.findings.append(Finding(
                    "deduction_mismatch", s.sheet, f"{mc['report_due']}{r}",
                    f"กำหนดส่งรายงานสรุปเดือน{format_thai_month(month)} เป็น {_d(due)} แต่ตามเกณฑ์คือ {_d(rule_due)}",
                    f"the summary of {month:%Y-%m} is due {due} here, the rule set says {rule_due}", report=s.report))
            due = rule_due
        if due is not None and as_of is not None:
            passed = report_due_passed(due, as_of) and not no_data
            expected = (layout.REPORT_NO_DATA if no_data else layout.REPORT_NOT_DUE if not passed else
                        layout.REPORT_MISSING if sent is None else
                        layout.REPORT_ON_TIME if on_time(sent, due) else layout.REPORT_LATE)
            if status is not None and status != expected:
                s.findings.append(Finding("deduction_mismatch", s.sheet, f"{mc['report_status']}{r}",
                                          f"ผลการส่งรายงานเป็น {status!r} แต่กำหนด {_d(due)} ส่ง {_d(sent)} คือ {expected!r}",
                                          f"report status {status!r}, but due {due} and sent {sent} give {expected!r}",
                                          report=s.report))
            if month is not None and rules.late_report is not None:
                # not judged before the due day is over (a summary dated after the as-of date included)
                want = float(np.nan_to_num(monthly_report_deduction(sent, month, as_of, rules=rules)[0])) \
                    if passed else 0.0
            else:
                want = late if expected in (layout.REPORT_MISSING, layout.REPORT_LATE) else 0.0
            got = s.number(f"{mc['late_deduction']}{r}")
            if got is not None and not _eq(got, want):
                s.findings.append(Finding("deduction_mismatch", s.sheet, f"{mc['late_deduction']}{r}",
                                          f"หักคะแนนรายงานสรุป {got:g} แต่ตามเกณฑ์ควรเป็น {want:g}",
                                          f"late-report deduction {got:g}, the rule set gives {want:g}",
                                          report=s.report))
        base = s.number(f"{mc['completed_in_month']}{r}")
        sample = s.number(f"{mc['audit_sample']}{r}")
        if base is not None and sample is not None and float(base).is_integer():
            want = audit_sample_size(int(base), sample_pct)
            if not _eq(sample, want):
                s.findings.append(Finding("deduction_mismatch", s.sheet, f"{mc['audit_sample']}{r}",
                                          f"จำนวนสุ่มตรวจ {_n(sample)} แต่ร้อยละ {sample_pct:g} ของ {_n(base)} ปัดขึ้นคือ {want}",
                                          f"audit sample {_n(sample)}, but ceil({sample_pct:g} % of {_n(base)}) = {want}",
                                          report=s.report))
        accuracy, got = s.number(f"{mc['audit_accuracy_pct']}{r}"), s.number(f"{mc['audit_deduction']}{r}")
        want = audit if accuracy is not None and min_acc is not None and accuracy < min_acc else 0.0
        if got is not None and not _eq(got, want):
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
        if got is not None and not _eq(got, no_data):
            s.findings.append(Finding("total_mismatch", s.sheet, f"{cc['no_data']}{r}",
                                      f"ไม่มีข้อมูล {_n(got)} เดือน แต่ตารางรายเดือนมีเดือนที่ไม่มีข้อมูล {no_data} เดือน",
                                      f"{_n(got)} months without data, but the monthly table shows {no_data}",
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
            if not _eq(pct, want, 1e-6):
                out.append(Finding("pct_mismatch", s.sheet, f"{cc['pct']}{r}",
                                   f"ร้อยละ {pct} แต่ {_n(correct)}×100/{_n(total)} = {want:.2f}",
                                   f"percentage {pct}, but {_n(correct)}*100/{_n(total)} = {want:.2f}",
                                   report=s.report))
        if points is not None and score is not None:
            monthly = label in monthly_labels or (rules is None and s.formula(f"{cc['score']}{r}") ==
                                              layout.component_formulas(r, monthly=True)["score"])
            if monthly or not total:
                want_score = points
            elif pct is not None and threshold is not None:
                want_score = step_score(pct, points, threshold)
            else:
                want_score = None
            if want_score is not None and not _eq(score, want_score, 1e-6):
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
        want = {
            "points": sum(p for p, _ in comps),
            "score_before": round_half_up(sum(x for _, x in comps), 4),
            "deductions": round_half_up((late_total if step == late_step else 0) +
                                        (audit_total if step == audit_step else 0), 4),
        }
        want["score"] = round_half_up(max(want["score_before"] - want["deductions"], 0), 4)
        for key, value in want.items():
            ref = f"{stc[key]}{r}"
            got = s.number(ref)
            if got is not None:
                sums[key] += got
            if got is not None and not _eq(got, value, 1e-6):
                out.append(Finding("score_mismatch", s.sheet, ref,
                                   f"ขั้นตอนที่ {step:g}: {got:g} แต่คำนวณจากองค์ประกอบและการหักคะแนนได้ {value:g}",
                                   f"step {step:g}: {got:g}, but its components and deductions give {value:g}",
                                   report=s.report))
        s.expect_formula(f"{stc[k]}{r}" for k in want)
    for key, name in (("points", "R003_TOTAL_POINTS"), ("score_before", "R003_SCORE_BEFORE"),
                      ("deductions", "R003_DEDUCTIONS"), ("score", "R003_TOTAL")):
        ref = s.ref(name)
        got = s.number(ref)
        if got is not None and not _eq(got, round_half_up(sums[key], 4), 1e-6):
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
                               f"เรื่อง {cid} ศูนย์แจ้งเรื่อง {_d(fwd)} หลังวันสิ้นสุดรายงาน {_d(period_end)}",
                               f"complaint {cid} forwarded {fwd}, after the period end {period_end}", report=s.report))
    in_fy = sum(1 for _, _, f, _ in rows if f is not None and period_start is not None and period_end is not None
                and period_start <= f <= period_end)
    status_count = lambda text: sum(1 for *_, st in rows if st == text)
    expected = {
        "R001_PENDING_TOTAL": len(rows), "R001_OVERDUE": status_count(STATUS_LABELS["overdue"][0]),
        "R001_DUE_SOON": status_count(STATUS_LABELS["due_soon"][0]),
        "R001_ON_TIME": status_count(STATUS_LABELS["on_time"][0]),
        "R001_PENDING_FY": in_fy, "R001_CARRIED_OVER": len(rows) - in_fy,
    }
    for name, want in expected.items():
        ref = s.ref(name)
        got = s.number(ref)
        if got is not None and not _eq(got, want):
            out.append(Finding("total_mismatch", s.sheet, ref,
                               f"แสดง {_n(got)} เรื่อง แต่รายการในตารางนับได้ {want} เรื่อง",
                               f"shows {_n(got)}, but the table's rows give {want}", report=s.report))
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
            f"ช่วง {_d(start)} – {_d(end)}: CPL_R003 นับกำลังดำเนินการ {_n(in_progress)} เรื่อง แต่ CPL_R001 แสดง "
            f"{len(listed)} เรื่อง ({rows_text}{more})",
            f"{start} – {end}: CPL_R003 counts {_n(in_progress)} in progress, CPL_R001 lists {len(listed)} "
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
    r003: Any = None,
    r001: Any = None,
    *,
    r003_formulas: Any = None,
    r001_formulas: Any = None,
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
