"""Step percentages, step scores, deductions and the total (docs/decisions.md 18–22).

``score()`` is the one entry point: it evaluates every complaint
(:mod:`.evaluate`), counts the correct ones per component, applies the rule
set's threshold formula, the audit-month and late-report deductions, and
returns a :class:`ScoreResult` whose every figure can be traced back to
per-complaint and per-month rows (:meth:`ScoreResult.explain`).
"""

from __future__ import annotations

import datetime as _dt
import math
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from fractions import Fraction
from typing import Any

import numpy as np
import pandas as pd

from .calendar import Calendar, thai_calendar
from .coverage import Coverage
from .days import as_day_array, date_of, to_date
from .errors import ArgumentError, InputError, Problem
from .evaluate import REASONS, evaluate_complaints, resolved_in_cycle
from .explain import explain as explain_result
from .percent import decimal_of, percent, quantize_half_up
from .rules import DEFAULT_RULES, Component, RuleSet, RuleSetError, load_rules, short_label
from .schema import COMPLAINTS, PROGRESS, Column
from .thaidate import fiscal_year, fiscal_year_range

__all__ = [
    "ScoreResult",
    "audit_sample_size",
    "completed_in_month",
    "month_starts",
    "monthly_report_deduction",
    "monthly_report_due",
    "period_summary",
    "report_due_passed",
    "score",
    "step_score",
]


def step_score(pct: float | None, points: float, threshold_pct: float = 95, places: int = 4) -> float | None:
    """Score of a step: full ``points`` when ``pct >= threshold``, else ``pct * points / threshold``.

    >>> step_score(96.5, 1), step_score(90.25, 1), step_score(47.5, 2)
    (1.0, 0.95, 1.0)
    """
    if pct is None or (isinstance(pct, float) and math.isnan(pct)):
        return None
    if pct >= threshold_pct:
        return float(points)
    return quantize_half_up(decimal_of(pct) * decimal_of(points) / decimal_of(threshold_pct), places)


def audit_sample_size(completed: int, sample_pct: float = 10) -> int:
    """ceil(sample_pct % of the complaints completed in the month), exactly: 41 → 5, 40 → 4, 0 → 0."""
    return math.ceil(Fraction(int(completed)) * Fraction(str(sample_pct)) / 100)


def monthly_report_due(month: Any, due_day: int = 10) -> _dt.date:
    """The monthly summary of ``month`` is due by ``due_day`` of the next month (docs/decisions.md 20)."""
    m = date_of(month)
    nxt = _dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return nxt.replace(day=due_day)


def report_due_passed(due: Any, as_of: Any) -> bool:
    """A monthly summary is judged once its due day is over: ``due < as_of`` (on the due day it can
    still be sent)."""
    return date_of(due) < date_of(as_of)


def monthly_report_deduction(sent: Any, month: Any, as_of: Any = None, *,
                             rules: RuleSet | str = DEFAULT_RULES) -> np.ndarray:
    """The late-report deduction of monthly summaries (vectorised over ``sent``/``month``/``as_of``).

    ``per_month`` when sent after the due day, or not sent and the due day is over by ``as_of``;
    0 when sent on time; NaN when not sent and not yet judged (due day not over, or no ``as_of``).
    """
    rules = load_rules(rules)
    if rules.late_report is None:
        raise RuleSetError(f"rule set {rules.name} has no late-report deduction")
    due_day = rules.deadlines.monthly_report_due_day
    s = np.atleast_1d(as_day_array(sent))
    m = np.atleast_1d(as_day_array(month)).astype("datetime64[M]")
    t = np.atleast_1d(as_day_array(as_of)) if as_of is not None else np.array(["NaT"], dtype="datetime64[D]")
    s, m, t = np.broadcast_arrays(s, m, t)
    s = np.where(~np.isnat(t) & (s > t), np.datetime64("NaT", "D"), s)  # not sent yet as of t
    due = (m + 1).astype("datetime64[D]") + (due_day - 1)
    per = rules.late_report.per_month
    return np.where(np.isnat(m), np.nan,
                    np.where(~np.isnat(s), np.where(s > due, per, 0.0),
                             np.where(~np.isnat(t) & (due < t), per, np.nan)))


def completed_in_month(complaints: pd.DataFrame, month: Any, as_of: Any) -> np.ndarray:
    """Mask of the complaints completed in ``month`` (their current cycle resolved in it by ``as_of``):
    the population of กองกลาง's monthly 10 % sample (dated resolutions only: an undated one has no month)."""
    resolved = resolved_in_cycle(complaints, as_of, closed_without_date=False)
    return resolved.astype("datetime64[M]") == np.datetime64(to_date(month), "M")


def month_starts(start: _dt.date, end: _dt.date) -> list[_dt.date]:
    """First days of the months that overlap [start, end]."""
    out, m = [], start.replace(day=1)
    while m <= end:
        out.append(m)
        m = _dt.date(m.year + (m.month == 12), m.month % 12 + 1, 1)
    return out


def period_summary(
    complaints: pd.DataFrame, start: Any, end: Any, as_of: Any | None = None, places: int = 2
) -> dict[str, Any]:
    """Received, completed and pending complaints of a period (the quarterly figures of the reports).

    Received = complaints forwarded in [start, end] by ``as_of``; completed = those of them
    resolved by ``as_of`` (default ``end``) in their current cycle (a reopened
    complaint is pending again); pending = received − completed. These are the
    same counts as :attr:`ScoreResult.months`.
    Percentages are exact, rounded half up.
    """
    s, e = date_of(start), date_of(end)
    t = to_date(as_of) or e
    fwd = as_day_array(complaints["forwarded_on"])
    inside = (fwd >= np.datetime64(s, "D")) & (fwd <= np.datetime64(min(e, t), "D"))
    received = int(inside.sum())
    completed = int((inside & ~np.isnat(resolved_in_cycle(complaints, t))).sum())
    pending = received - completed
    return {
        "start": s, "end": e, "as_of": t,
        "received": received, "completed": completed, "pending": pending,
        "completed_pct": percent(completed, received, places),
        "pending_pct": percent(pending, received, places),
    }


@dataclass
class ScoreResult:
    """Everything ``score()`` computed, each figure traceable to its rows."""

    rules: RuleSet
    start: _dt.date
    end: _dt.date
    as_of: _dt.date
    #: one row per complaint in the period: evaluation, per-component correct flag and reason
    complaints: pd.DataFrame
    #: one row per component: step, points, correct, total, not_yet_due (of correct: complaints or months
    #: not due yet), no_data (monthly summary: months begun without data, neither due nor missing; 0 for
    #: per-complaint components), pct, score (before deductions)
    components: pd.DataFrame
    #: one row per month: received, completed, monthly report, audit sample
    months: pd.DataFrame
    #: one row per deduction: kind, month, step, amount
    deductions: pd.DataFrame
    #: one row per step: points, score before deductions, deductions, score
    steps: pd.DataFrame
    total: float
    notes: list[str] = field(default_factory=list)
    #: the snapshot time and covered days of an imported workbook (None: the data is taken as complete)
    coverage: Coverage | None = None

    @property
    def no_data(self) -> bool:
        """The period has no data at all: no complaint, and no month begun by the as-of date with data (an
        imported snapshot covering other days). Its full points are not earned: every text says so
        (:meth:`no_data_note`)."""
        m = self.months
        with_data = len(m) > 0 and bool((m["has_data"] & (m["month"] <= self.as_of)).any())
        return len(self.complaints) == 0 and not with_data

    def no_data_note(self) -> str | None:
        """The sentence every output carries when the period has no data at all (:attr:`no_data`), else None."""
        if not self.no_data:
            return None
        where = f" {self.coverage.text_th()}" if self.coverage is not None else ""
        return (f"ไม่มีข้อมูลในช่วงนี้{where}: คะแนน {self.total:.{self.rules.score_decimals}f} ที่แสดงเป็นคะแนนเต็ม"
                f"เพราะไม่มีเรื่องและไม่มีรายงานให้ประเมิน ไม่ใช่ผลการดำเนินงาน (no data in this period: the score "
                f"shown is full points for want of anything to assess, not a result earned)")

    @property
    def fiscal_year(self) -> int:
        """The fiscal year (B.E.) scored: that of the period's end."""
        return int(fiscal_year(self.end))

    def component_summary(self) -> pd.DataFrame:
        """Each component as a person reads it (console, memo, report sheets): one row per component.

        Columns: key, step, label_th, short_th (``ขั้นตอนที่ 2.1``), points, monthly (a monthly-summary component), correct, total,
        not_yet_due (counted as correct), no_data (monthly summary: months without data), counted_th (``ถูกต้อง 5 จาก 7 เรื่อง`` or, for the monthly
        summary, ``ส่งตรงเวลา 0 จาก 7 เดือน``), pct (None when the component is scored by deductions
        alone: its percentage scores nothing), deducted (the late-report deductions of the monthly
        summary; audit deductions stay with their step) and score (after those deductions, not below 0).
        """
        monthly = {c.key: c for c in self.rules.components if c.monthly}
        by_key = {c.key: c for c in self.rules.components}
        late = self.deductions.loc[self.deductions["kind"].isin(["late_report", "missing_report"]), "amount"]
        late_total = sum((decimal_of(x) for x in late), Decimal(0))
        rows = []
        tuples: Iterable[Any] = self.components.itertuples()  # one named tuple per component
        for c in tuples:
            is_monthly = c.key in monthly
            ded = late_total if is_monthly else Decimal(0)
            unit = "เดือน" if is_monthly else "เรื่อง"
            counted = (f"ส่งตรงเวลา {c.correct:,} จาก {c.total:,} {unit}" if is_monthly
                       else f"ถูกต้อง {c.correct:,} จาก {c.total:,} {unit}")
            by_deductions = by_key[c.key].scoring == "full_minus_deductions"
            pct = None if by_deductions or c.pct is None or c.pct != c.pct else float(c.pct)
            after = max(decimal_of(c.score) - ded, Decimal(0))
            rows.append((c.key, c.step, c.label_th, short_label(c.label_th), c.points, is_monthly, c.correct,
                         c.total, c.not_yet_due, c.no_data, counted, pct,
                         quantize_half_up(ded, self.rules.score_decimals),
                         quantize_half_up(after, self.rules.score_decimals)))
        out = pd.DataFrame(rows, columns=["key", "step", "label_th", "short_th", "points", "monthly", "correct",
                                          "total", "not_yet_due", "no_data", "counted_th", "pct", "deducted",
                                          "score"])
        out["pct"] = pd.Series([r[11] for r in rows], index=out.index, dtype=object)  # None stays None
        return out

    def explain(self) -> pd.DataFrame:
        """Why each complaint lost each component, and each deduction: see :mod:`.explain`."""
        return explain_result(self)


#: Reason codes of a criterion not due yet: counted as correct, and counted apart as "ยังไม่ถึงกำหนด".
_PENDING_CODES = [k for k, name in enumerate(REASONS) if name.endswith("_PENDING")]


def _component_correct(ev: pd.DataFrame, comp: Component) -> tuple[np.ndarray, pd.Categorical[str]]:
    """Correct flag and reason of a per-complaint component: the first failing criterion's reason,
    else the first pending one, else OK."""
    n = len(ev)
    correct = np.ones(n, dtype=bool)
    codes = np.zeros(n, dtype=np.int8)  # 0 == "OK"
    for crit in comp.criteria:
        ok = ev[crit].to_numpy(dtype=bool)
        c = ev[f"{crit}_reason"].cat.codes.to_numpy()
        first_fail = correct & ~ok
        codes[first_fail] = c[first_fail]
        pending = correct & ok & (codes == 0) & (c != 0)
        codes[pending] = c[pending]
        correct &= ok
    return correct, pd.Categorical.from_codes(codes, categories=pd.Index(REASONS))


def component_score(comp: Component, pct: float | None, rules: RuleSet) -> float | None:
    """A component's score before deductions: the threshold formula, or its full points when the rule
    set scores it by deductions alone (``scoring = "full_minus_deductions"``)."""
    if comp.scoring == "full_minus_deductions":
        return float(comp.points)
    return step_score(pct, comp.points, rules.threshold_pct, rules.score_decimals)


def _require_canonical(table: pd.DataFrame, needed: list[Column], what_th: str, what: str) -> None:
    """Refuse a table without the canonical columns the engine cannot score without (e.g. a sheet's Thai
    headers, not yet normalised) with an :class:`InputError` naming each, instead of a KeyError deep
    inside. Other canonical columns may be absent: they read as empty."""
    missing = [c for c in needed if c.name not in table.columns]
    if missing:
        raise InputError([Problem(
            "missing_column",
            f"ตาราง{what_th}ไม่มีคอลัมน์ {c.name} ({c.label_th}): ส่งตารางให้ cplkpi.score หรือปรับด้วย normalize_{what} ก่อน",
            f"the {what} table has no canonical column {c.name}: give it to cplkpi.score, or normalise it "
            f"first (cplkpi.scoring.tables.normalize_{what})", column=c.name) for c in missing])


def score(
    complaints: pd.DataFrame,
    progress: pd.DataFrame | None = None,
    monthly_reports: pd.DataFrame | None = None,
    audit_sample: pd.DataFrame | None = None,
    *,
    rules: RuleSet | str = DEFAULT_RULES,
    fiscal_year: int | None = None,
    start: Any = None,
    end: Any = None,
    as_of: Any = None,
    calendar: Calendar | None = None,
    coverage: Coverage | None = None,
) -> ScoreResult:
    """Score an agency's complaints for a fiscal year (or any [start, end]).

    ``complaints`` and ``progress`` are canonical tables
    (:func:`~cplkpi.scoring.tables.normalize_complaints`); the complaints in
    the period are those forwarded in [start, end]. ``monthly_reports`` gives
    the Step-3 summaries (``month``, ``sent_on``); when it is None, every due
    month counts as missing. ``audit_sample`` holds กองกลาง's marked sample
    (``month``, ``complaint_id``, ``correct``); months without one get no audit
    deduction. ``as_of`` (default: the period end, or the snapshot day of ``coverage``) is the
    evaluation date. With ``coverage`` (an imported snapshot) a month outside the covered days has
    no data (``months.has_data`` False): its summary is not due and is never counted as missing.
    """
    _require_canonical(complaints, [COMPLAINTS["forwarded_on"]], "เรื่องร้องเรียน", "complaints")
    if progress is not None:
        _require_canonical(progress, [c for c in PROGRESS.values() if c.required], "รายงานความก้าวหน้า", "progress")
    rules = load_rules(rules)
    if rules.kind != "complaints":
        raise RuleSetError(f"rule set {rules.name} scores projects, not complaints; use scoring.levels")
    cal = calendar or thai_calendar()
    if fiscal_year is not None:
        fy_start, fy_end = fiscal_year_range(fiscal_year)
        start, end = start or fy_start, end or fy_end
    if start is None or end is None:
        raise ArgumentError("ต้องระบุปีงบประมาณหรือช่วงวันที่ (give fiscal_year or start and end)")
    start, end = to_date(start), to_date(end)
    notes: list[str] = []
    if rules.data_window is not None and fiscal_year is not None:
        # the rule set's data window (e.g. BMA-2562: 1 Oct 2018 - 31 Aug 2019) narrows the fiscal year
        w_start, w_end = rules.data_window
        if w_start <= end and w_end >= start and (w_start > start or w_end < end):
            start, end = max(start, w_start), min(end, w_end)
            notes.append(f"ช่วงข้อมูลตามชุดเกณฑ์ {rules.name}: {start:%Y-%m-%d} ถึง {end:%Y-%m-%d} "
                         f"(the rule set's data window)")
    as_of = to_date(as_of) or (coverage.default_as_of(end) if coverage is not None else end)
    if coverage is not None:
        notes.append(f"{coverage.text_th()}: เดือนที่ไม่มีข้อมูลไม่นับเป็นเดือนที่ไม่ส่งรายงาน "
                     f"(data covers {coverage.start:%Y-%m-%d} to {coverage.end:%Y-%m-%d}: months without data "
                     f"are not counted as missing reports)")

    fwd = as_day_array(complaints["forwarded_on"])
    # forwarded in the period and by the as-of date: later ones are not in the report yet
    in_period = (fwd >= np.datetime64(start, "D")) & (fwd <= np.datetime64(min(end, as_of), "D"))
    period = complaints if in_period.all() else complaints[in_period]
    ev = evaluate_complaints(period, progress, as_of=as_of, rules=rules, calendar=cal)

    comp_rows = []
    for comp in rules.components:
        if comp.monthly:
            continue
        correct, reason = _component_correct(ev, comp)
        ev[f"{comp.key}_correct"] = correct
        ev[f"{comp.key}_reason"] = reason
        total = len(ev)
        pct = percent(int(correct.sum()), total, rules.pct_decimals)
        sc = component_score(comp, pct, rules)
        if pct is None:
            sc = comp.points
            notes.append(f"{comp.label_th}: ไม่มีเรื่องในช่วงนี้ ให้คะแนนเต็ม (no complaints in the period: full points)")
        comp_rows.append((comp.key, comp.step, comp.label_th, comp.label_en, comp.points,
                          int(correct.sum()), total, int(np.isin(reason.codes, _PENDING_CODES).sum()), 0, pct, sc))

    months = _months_table(period, ev, complaints, monthly_reports, audit_sample, rules, start, end, as_of,
                           notes, coverage)
    for comp in rules.components:
        if not comp.monthly:
            continue
        due = months["report_due_passed"]
        n_due, n_ok = int(due.sum()), int((months["report_on_time"] & due).sum())
        # months begun by the as-of date: with data and a summary not due yet, or without data (never due)
        begun = (months["month"] <= as_of) if len(months) else pd.Series(dtype=bool)
        has_data = months["has_data"] if len(months) else pd.Series(dtype=bool)
        not_due = int((~due & has_data & begun).sum())
        no_data = int((~has_data & begun).sum())
        pct = percent(n_ok, n_due, rules.pct_decimals)
        comp_rows.append((comp.key, comp.step, comp.label_th, comp.label_en, comp.points, n_ok, n_due, not_due,
                          no_data, pct,
                          component_score(comp, pct, rules) if pct is not None else float(comp.points)))
    components = pd.DataFrame(comp_rows, columns=["key", "step", "label_th", "label_en", "points",
                                                  "correct", "total", "not_yet_due", "no_data", "pct", "score"])

    ded_rows = []
    if rules.late_report is not None:
        for _, m in months[months["report_due_passed"] & ~months["report_on_time"]].iterrows():
            kind = "late_report" if pd.notna(m["report_sent_on"]) else "missing_report"
            ded_rows.append((kind, m["month"], rules.late_report.from_step, rules.late_report.per_month))
    if rules.audit is not None:
        for _, m in months[months["audit_deducted"]].iterrows():
            ded_rows.append(("audit", m["month"], rules.audit.from_step, rules.audit.per_month))
    deductions = pd.DataFrame(ded_rows, columns=["kind", "month", "step", "amount"])

    step_rows = []
    total_score = Decimal(0)
    for step in rules.steps:
        before = sum((decimal_of(x) for x in components.loc[components["step"] == step, "score"]), Decimal(0))
        ded = sum((decimal_of(x) for x in deductions.loc[deductions["step"] == step, "amount"]), Decimal(0))
        after = max(before - ded, Decimal(0))
        total_score += after
        step_rows.append((step, rules.step_points(step), quantize_half_up(before, rules.score_decimals),
                          quantize_half_up(ded, rules.score_decimals), quantize_half_up(after, rules.score_decimals)))
    steps = pd.DataFrame(step_rows, columns=["step", "points", "score_before", "deductions", "score"])
    result = ScoreResult(rules, start, end, as_of, ev, components, months, deductions, steps,
                         quantize_half_up(total_score, rules.score_decimals), notes, coverage)
    note = result.no_data_note()
    if note is not None:  # first: it says what the score below it is worth
        notes.insert(0, note)
    return result


def _months_table(
    period: pd.DataFrame, ev: pd.DataFrame, all_complaints: pd.DataFrame,
    monthly_reports: pd.DataFrame | None, audit_sample: pd.DataFrame | None,
    rules: RuleSet, start: _dt.date, end: _dt.date, as_of: _dt.date, notes: list[str],
    coverage: Coverage | None = None,
) -> pd.DataFrame:
    months = month_starts(start, end)
    fwd_m = as_day_array(period["forwarded_on"]).astype("datetime64[M]")
    res = ev["resolved_on"].to_numpy().astype("datetime64[D]")
    all_res_m = resolved_in_cycle(all_complaints, as_of, closed_without_date=False).astype("datetime64[M]")
    sent: dict[_dt.date, Any] = {}
    if monthly_reports is not None:
        for m, s in zip(monthly_reports["month"], monthly_reports["sent_on"]):
            if pd.notna(m):  # a summary sent after the as-of date is not sent yet
                sent.setdefault(date_of(m).replace(day=1), to_date(s) if pd.notna(s) and date_of(s) <= as_of
                                else None)
    elif any(r for r in rules.components if r.monthly) and coverage is None:
        notes.append("ไม่มีชีตรายงานประจำเดือน ถือว่าไม่ได้ส่งทุกเดือน (no monthly-report sheet: every due month counts as missing)")
    elif any(r for r in rules.components if r.monthly):
        notes.append("ไม่มีชีตรายงานประจำเดือน ถือว่าไม่ได้ส่งทุกเดือนที่มีข้อมูลและถึงกำหนดแล้ว "
                     "(no monthly-report sheet: every due month with data counts as missing)")
    audits: dict[_dt.date, tuple[int, int, int]] = {}
    if audit_sample is not None and len(audit_sample):
        for m, grp in audit_sample.groupby(audit_sample["month"].map(lambda v: date_of(v).replace(day=1))):
            marked = grp["correct"].notna()
            audits[m] = (len(grp), int(marked.sum()), int(grp.loc[marked, "correct"].astype(bool).sum()))
    rows = []
    for m in months:
        mm = np.datetime64(m, "M")
        received = int((fwd_m == mm).sum())
        completed = int(((fwd_m == mm) & ~np.isnat(res)).sum())
        due = monthly_report_due(m, rules.deadlines.monthly_report_due_day)
        sent_on = sent.get(m)
        completed_in_month = int((all_res_m == mm).sum())
        sample_needed = audit_sample_size(completed_in_month, rules.audit.sample_pct) if rules.audit else 0
        n_sample, n_marked, n_correct = audits.get(m, (0, 0, 0))
        accuracy = percent(n_correct, n_marked, rules.pct_decimals) if n_marked and n_marked == n_sample else None
        deducted = bool(rules.audit and accuracy is not None and accuracy < rules.audit.min_accuracy_pct
                        and m <= as_of)
        # a month with complaints or a summary has data whatever a coverage sheet says: a shrunk coverage
        # never excuses a missing summary (docs/decisions.md, coverage)
        has_data = (coverage is None or coverage.has_data(m) or received > 0 or completed_in_month > 0
                    or sent_on is not None)
        rows.append({
            "month": m,
            "received": received,
            "completed": completed,
            "in_progress": received - completed,
            "report_due": due,
            "has_data": has_data,
            "report_due_passed": has_data and report_due_passed(due, as_of),
            "report_sent_on": sent_on,
            "report_on_time": sent_on is not None and sent_on <= due,
            "completed_in_month": completed_in_month,
            "audit_sample_needed": sample_needed,
            "audit_sampled": n_sample,
            "audit_marked": n_marked,
            "audit_correct": n_correct,
            "audit_accuracy_pct": accuracy,
            "audit_deducted": deducted,
        })
    return pd.DataFrame(rows)
