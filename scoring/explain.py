"""Explanations: why each complaint lost each component, and each deduction.

:func:`explain` turns a :class:`~cplkpi.scoring.scores.ScoreResult` into one
row per (complaint, component), one per month of the monthly-report
component, and one per deduction, each with a reason code and Thai and
English text, e.g. ``ตอบรับช้า 2 วันทำการ: กำหนด 3 ต.ค. 2562 ตอบรับ 7 ต.ค. 2562``.
Counting ``correct`` per component reproduces the step percentages, and the
``deduction`` column adds up to the deductions, so a total can be traced to
these rows.
"""

from __future__ import annotations

import string
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from .catalogue import catalogue
from .days import to_date
from .thaidate import format_thai_date, format_thai_dates, format_thai_month

if TYPE_CHECKING:
    from .rules import RuleSet
    from .scores import ScoreResult

__all__ = ["REASON_TEXTS", "component_labels", "explain", "for_people", "reason_text", "short_reasons"]

COLUMNS = ["row", "complaint_id", "month", "step", "component", "correct", "reason_code",
           "reason_th", "reason_en", "due", "actual", "days_late", "deduction"]


def component_labels(rules: RuleSet) -> dict[str, str]:
    """The Thai label a person reads for each component key of ``rules`` (and the audit deduction's
    ``audit``): ``acknowledge`` → ``ขั้นตอนที่ 1 การรับเรื่อง…``."""
    return {**{c.key: c.label_th for c in rules.components}, "audit": "การสุ่มตรวจความถูกต้อง (กองกลาง)"}


def for_people(table: pd.DataFrame, rules: RuleSet) -> pd.DataFrame:
    """An explanation table as written for people: component labels in Thai instead of their keys,
    whole row numbers (blank for month rows)."""
    out, labels = table.copy(), component_labels(rules)
    out["component"] = out["component"].map(lambda k: labels.get(k, k))
    out["row"] = pd.array(out["row"].to_numpy(), dtype="Int64")
    return out


REASON_TEXTS: dict[str, dict[str, str]] = catalogue(__package__ or "cplkpi.scoring", "reasons")

# which evaluation columns fill {due}, {actual}, {days} for each reason
_FIELDS: dict[str, tuple[str | None, str | None, str | None]] = {
    "ACK": ("ack_due", "acknowledged_on", "ack_late_days"),
    "PROGRESS": ("progress_due", "first_progress_on", "progress_late_days"),
    "FOLLOWUP": ("first_missed_followup", None, None),
}


def _en_date(value: Any) -> str:
    d = to_date(value)
    return f"{d.day} {d:%b %Y}" if d else ""


def reason_text(code: str, **values: Any) -> tuple[str, str]:
    """Thai and English text of a reason code with its placeholders filled."""
    t = REASON_TEXTS[code]
    return t["th"].format(**values), t["en"].format(**values)


def short_reasons(table: pd.DataFrame) -> np.ndarray:
    """The short Thai reason (``short_th`` of each code, e.g. ``ตอบรับช้า 2 วันทำการ``) of each row of an
    :func:`explain` table, filled from its ``days_late`` and ``due`` columns (object array)."""
    codes = table["reason_code"].to_numpy(dtype=object)
    days = table["days_late"].to_numpy(dtype=float)
    due = pd.to_datetime(table["due"]).to_numpy().astype("datetime64[D]")
    out = np.full(len(table), "", dtype=object)
    for code in pd.unique(codes):
        m = np.flatnonzero(codes == code)
        fields = {"days": _ints(days[m]), "due": format_thai_dates(due[m])}
        out[m] = _fill(REASON_TEXTS[code]["short_th"], fields, len(m))
    return out


def explain(result: ScoreResult) -> pd.DataFrame:
    """The explanation table of a score result (see the module docstring)."""
    ev = result.complaints
    as_of_th, as_of_en = format_thai_date(result.as_of), _en_date(result.as_of)
    frames = []
    for comp in result.rules.components:
        if comp.monthly:
            continue
        reasons = pd.Categorical(ev[f"{comp.key}_reason"])
        codes = reasons.codes
        names = list(reasons.categories)
        due = np.full(len(ev), np.datetime64("NaT"), "datetime64[D]")
        actual = due.copy()
        days = np.full(len(ev), np.nan)
        for prefix, (due_col, actual_col, days_col) in _FIELDS.items():
            mask = np.isin(codes, [k for k, name in enumerate(names) if name.startswith(prefix)])
            if due_col:
                due[mask] = ev[due_col].to_numpy().astype("datetime64[D]")[mask]
            if actual_col:
                actual[mask] = ev[actual_col].to_numpy().astype("datetime64[D]")[mask]
            if days_col:
                days[mask] = ev[days_col].to_numpy()[mask]
        missed = (ev["followups_required"] - ev["followups_met_count"]).to_numpy()
        required = ev["followups_required"].to_numpy()
        th = np.empty(len(ev), dtype=object)
        en = np.empty(len(ev), dtype=object)
        for k in np.unique(codes):
            at = np.flatnonzero(codes == k)
            t = REASON_TEXTS[names[k]]
            if "{" not in t["th"] + t["en"]:  # the same text for every row (OK, NO_EVIDENCE, ...)
                th[at], en[at] = t["th"], t["en"]
                continue
            fields = {
                "due": format_thai_dates(due[at]), "actual": format_thai_dates(actual[at]), "as_of": as_of_th,
                "due_en": _en_dates(due[at]), "actual_en": _en_dates(actual[at]), "as_of_en": as_of_en,
                "days": _ints(days[at]), "missed": missed[at].astype(str).astype(object),
                "required": required[at].astype(str).astype(object),
            }
            th[at], en[at] = _fill(t["th"], fields, len(at)), _fill(t["en"], fields, len(at))
        frames.append(pd.DataFrame({
            "row": ev.index.to_numpy(), "complaint_id": ev["complaint_id"].to_numpy(), "month": None,
            "step": comp.step, "component": comp.key, "correct": ev[f"{comp.key}_correct"].to_numpy(),
            "reason_code": np.asarray(reasons.astype(str)), "reason_th": th, "reason_en": en, "due": due,
            "actual": actual,
            "days_late": days, "deduction": 0.0,
        }))
    rows = []
    monthly = [c for c in result.rules.components if c.monthly]
    ded, audit = result.deductions, result.rules.audit
    for _, month_row in result.months.iterrows():
        month, month_en = format_thai_month(month_row["month"], long=True), f"{month_row['month']:%B %Y}"
        fill = {"month": month, "month_en": month_en, "due": format_thai_date(month_row["report_due"]),
                "due_en": _en_date(month_row["report_due"]), "actual": format_thai_date(month_row["report_sent_on"]),
                "actual_en": _en_date(month_row["report_sent_on"])}
        if monthly and month_row["report_due_passed"]:
            code = ("REPORT_ON_TIME" if month_row["report_on_time"]
                    else "LATE_REPORT" if month_row["report_sent_on"] is not None else "MISSING_REPORT")
            amount = ded.loc[(ded["month"] == month_row["month"]) & ded["kind"].isin(["late_report", "missing_report"]),
                             "amount"].sum()
            text_th, text_en = reason_text(code, **fill)
            rows.append((None, None, month_row["month"], monthly[0].step, monthly[0].key, bool(month_row["report_on_time"]),
                         code, text_th, text_en, month_row["report_due"], month_row["report_sent_on"], np.nan, float(amount)))
        if month_row["audit_deducted"] and audit is not None:  # deducted only under a rule set with audits
            amount = ded.loc[(ded["month"] == month_row["month"]) & (ded["kind"] == "audit"), "amount"].sum()
            text_th, text_en = reason_text("AUDIT", **fill, accuracy=month_row["audit_accuracy_pct"],
                                           min=audit.min_accuracy_pct)
            rows.append((None, None, month_row["month"], audit.from_step, "audit", False, "AUDIT",
                         text_th, text_en, None, None, np.nan, float(amount)))
    if rows:
        frames.append(pd.DataFrame(rows, columns=COLUMNS))
    if not frames:
        return pd.DataFrame(columns=COLUMNS)
    return pd.concat([f for f in frames if len(f)], ignore_index=True) if any(len(f) for f in frames) \
        else pd.DataFrame(columns=COLUMNS)


def _ints(values: np.ndarray) -> np.ndarray:
    """Whole numbers as text, "" for NaN (object array)."""
    out = np.full(len(values), "", dtype=object)
    ok = ~np.isnan(values)
    out[ok] = values[ok].astype(np.int64).astype(str).astype(object)
    return out


_EN_MONTHS = np.array(["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"],
                      dtype=object)


def _en_dates(days: np.ndarray) -> np.ndarray:
    """``3 Oct 2019`` for each date, "" for NaT (object array)."""
    out = np.full(len(days), "", dtype=object)
    ok = ~np.isnat(days)
    if ok.any():
        d = days[ok]
        months = d.astype("datetime64[M]").astype(np.int64)
        dom = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
        out[ok] = (dom.astype(str).astype(object) + " " + _EN_MONTHS[months % 12] + " "
                   + (months // 12 + 1970).astype(str).astype(object))
    return out


def _fill(template: str, fields: dict[str, Any], n: int) -> np.ndarray:
    """``template.format(**fields)`` for ``n`` rows at once; a field is a scalar or an array of n strings."""
    out = np.full(n, "", dtype=object)
    for literal, name, _, _ in string.Formatter().parse(template):
        out = out + literal
        if name:
            out = out + fields[name]
    return out
