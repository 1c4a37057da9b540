"""Level scoring and deductions of project rule sets (Best Service, ``rulesets/best-service-2558.toml``).

A project is judged on its indicators:

* result % of an indicator = achieved × 100 / target, capped (``cap_pct``);
* overall % = the mean of the indicators' results;
* level 1 … 5 at the rule set's ``thresholds_pct`` (60, 70, 80, 90, 100), linear
  interpolation between two thresholds when ``interpolate`` is set (else the
  highest level reached), ``below_first`` (0) under the first threshold and the
  top level above the last;
* deductions, from the indicator's weight: a project sent after its deadline
  costs ``project_late`` (0.5) plus ``project_late_per_day`` (0.01) for every
  further day; a revision not sent within ``revision_business_days`` (10)
  business days counting from the day after the circular costs
  ``revision_late`` (0.02); a project not approved within ``max_reviews`` (3)
  committee reviews is not evaluated.

Decisions (the criteria leave them open): "per further day" counts calendar days
(the criteria say วันละ, business days are always written วันทำการ), so a project
1 day late loses 0.5 and one 3 days late 0.52. Arithmetic is decimal, the
value the user typed (``67.3`` → level 1.73, never 1.7299999999999998),
rounded half up to the rule set's ``score_decimals``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import numpy as np

from .calendar import Calendar, thai_calendar
from .days import as_days
from .percent import quantize_half_up, to_decimal
from .rules import LevelRules, RuleSet, RuleSetError, load_rules

__all__ = [
    "announce_due",
    "appeal_due",
    "evaluated",
    "level",
    "level_score",
    "overall_pct",
    "project_late_deduction",
    "result_pct",
    "revision_due",
    "revision_late_deduction",
]

#: The level-scoring rule set used unless told otherwise (the complaint jobs use rules.DEFAULT_RULES).
DEFAULT_LEVEL_RULES = "best-service-2558"


def _rules(rules: RuleSet | str | None) -> tuple[LevelRules, int]:
    rs = load_rules(rules or DEFAULT_LEVEL_RULES)
    if rs.levels is None:
        raise RuleSetError(
            f"ชุดเกณฑ์ {rs.name} ไม่ใช่เกณฑ์แบบระดับคะแนน (rule set {rs.name} has no level scoring; "
            f"use e.g. {DEFAULT_LEVEL_RULES})"
        )
    return rs.levels, rs.score_decimals


def _elementwise(fn: Callable[..., float | None], *args: Any) -> Any:
    """Apply a scalar Decimal function over broadcast arguments: scalar in, float (or None) out;
    arrays in, a float array out with NaN where the result is missing."""
    if all(np.ndim(a) == 0 for a in args):
        return fn(*args)
    arrays = np.broadcast_arrays(*(np.asarray(a, dtype=object) for a in args))
    flat = [fn(*vals) for vals in zip(*(a.ravel() for a in arrays))]
    return np.array([np.nan if v is None else v for v in flat], dtype=float).reshape(arrays[0].shape)


def result_pct(achieved: Any, target: Any, *, rules: RuleSet | str | None = None, places: int = 2) -> Any:
    """Result % of an indicator: ``achieved * 100 / target`` capped at the rule set's cap (100).

    Missing values or a target that is not positive give None (NaN in arrays).

    >>> result_pct(45, 50), result_pct(60, 50), result_pct(2, 3)
    (90.0, 100.0, 66.67)
    """
    lv, _ = _rules(rules)
    cap = Decimal(str(lv.cap_pct))

    def one(a: Any, t: Any) -> float | None:
        a, t = to_decimal(a), to_decimal(t)
        if a is None or t is None or t <= 0:
            return None
        return quantize_half_up(min(a * 100 / t, cap), places)

    return _elementwise(one, achieved, target)


def overall_pct(pcts: Any, places: int = 2) -> float | None:
    """The mean of the indicators' result % (missing ones ignored); None when there is none."""
    values = [d for d in (to_decimal(x) for x in np.ravel(np.asarray(pcts, dtype=object))) if d is not None]
    if not values:
        return None
    return quantize_half_up(sum(values, Decimal(0)) / len(values), places)


def _level_one(pct: Any, lv: LevelRules, places: int) -> float | None:
    p = to_decimal(pct)
    if p is None:
        return None
    t = [Decimal(str(x)) for x in lv.thresholds_pct]
    if p < t[0]:
        return quantize_half_up(Decimal(str(lv.below_first)), places)
    if p >= t[-1]:
        return float(len(t))
    i = max(k for k in range(len(t)) if t[k] <= p)  # level i + 1 reached
    if not lv.interpolate:
        return float(i + 1)
    return quantize_half_up(i + 1 + (p - t[i]) / (t[i + 1] - t[i]), places)


def level(pct: Any, *, rules: RuleSet | str | None = None) -> Any:
    """Level (0, 1 … 5) of a result %, vectorised: 60 → 1, 75 → 2.5, 100 → 5, 59.99 → 0.

    >>> level(60), level(75), level(67.3), level(100), level(59.99)
    (1.0, 2.5, 1.73, 5.0, 0.0)
    """
    lv, places = _rules(rules)
    return _elementwise(lambda p: _level_one(p, lv, places), pct)


def level_score(pct: Any, deductions: Any = 0, *, rules: RuleSet | str | None = None) -> Any:
    """Level of ``pct`` less ``deductions``, not below 0 (vectorised)."""
    lv, places = _rules(rules)

    def one(p: Any, d: Any) -> float | None:
        lev, ded = _level_one(p, lv, places), to_decimal(d)
        if lev is None:
            return None
        return quantize_half_up(max(Decimal(str(lev)) - (ded or Decimal(0)), Decimal(0)), places)

    return _elementwise(one, pct, deductions)


def project_late_deduction(days_late: Any, *, rules: RuleSet | str | None = None) -> Any:
    """Deduction for a project sent ``days_late`` calendar days after its deadline (vectorised).

    0 when on time (``days_late <= 0``), else ``project_late + project_late_per_day * (days_late - 1)``:
    1 day → 0.5, 3 days → 0.52.
    """
    lv, places = _rules(rules)
    base, per_day = Decimal(str(lv.project_late)), Decimal(str(lv.project_late_per_day))

    def one(n: Any) -> float | None:
        d = to_decimal(n)
        if d is None:
            return None
        days = int(d)
        return 0.0 if days <= 0 else quantize_half_up(base + per_day * (days - 1), places)

    return _elementwise(one, days_late)


def revision_due(circular_on: Any, *, rules: RuleSet | str | None = None,
                 calendar: Calendar | None = None) -> Any:
    """Deadline of a revision: ``WORKDAY(circular_on, revision_business_days)`` (10 business days
    counting from the day after the circular)."""
    lv, _ = _rules(rules)
    return (calendar or thai_calendar()).workday(circular_on, lv.revision_business_days)


def announce_due(decided_on: Any, *, rules: RuleSet | str | None = None, calendar: Calendar | None = None) -> Any:
    """Deadline for announcing the committee's decision: ``WORKDAY(decided_on, announce_business_days)``
    (7 business days by the rule set)."""
    lv, _ = _rules(rules)
    return (calendar or thai_calendar()).workday(decided_on, lv.announce_business_days)


def appeal_due(notified_on: Any, *, rules: RuleSet | str | None = None, calendar: Calendar | None = None) -> Any:
    """Deadline for an appeal: ``WORKDAY(notified_on, appeal_business_days)`` (7 business days from the
    notification, by the rule set)."""
    lv, _ = _rules(rules)
    return (calendar or thai_calendar()).workday(notified_on, lv.appeal_business_days)


def revision_late_deduction(circular_on: Any, sent_on: Any, *, as_of: Any = None,
                            rules: RuleSet | str | None = None, calendar: Calendar | None = None) -> Any:
    """``revision_late`` (0.02) where the revision was sent after :func:`revision_due`, or not sent
    although the deadline is before ``as_of``; 0 otherwise; NaN where there is no circular date
    (or, unsent, no ``as_of`` yet past the deadline to judge by). Vectorised."""
    lv, _ = _rules(rules)
    circ, restore = as_days(circular_on)
    sent, restore_s = as_days(sent_on)
    if circ.ndim == 0 and sent.ndim > 0:
        restore = restore_s
    circ, sent = np.broadcast_arrays(circ, sent)
    ok = ~np.isnat(circ)
    due = np.full(circ.shape, np.datetime64("NaT"), dtype="datetime64[D]")
    if ok.any():
        due[ok] = revision_due(circ[ok], rules=rules, calendar=calendar)
    late_sent = ok & ~np.isnat(sent) & (sent > due)
    if as_of is None:
        missing_late = np.zeros(circ.shape, dtype=bool)
        unknown = ok & np.isnat(sent)
    else:
        t = as_days(as_of)[0]
        missing_late = ok & np.isnat(sent) & (t > due)
        unknown = ok & np.isnat(sent) & ~(t > due)
    out = np.where(late_sent | missing_late, lv.revision_late, 0.0)
    out = np.where(ok & ~unknown, out, np.nan)
    return restore(out)


def evaluated(reviews: Any, *, rules: RuleSet | str | None = None) -> Any:
    """True where a project was approved within ``max_reviews`` committee reviews (vectorised)."""
    lv, _ = _rules(rules)
    return np.asarray(reviews) <= lv.max_reviews if np.ndim(reviews) else bool(reviews <= lv.max_reviews)
