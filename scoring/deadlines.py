"""Deadlines of a complaint (docs/decisions.md 10–13) and its status as of a date (17).

* acknowledgement due = ``WORKDAY(forwarded, 1)``;
* first progress report due = ``WORKDAY(acknowledged, 3)``;
* follow-up checkpoints on every 15th and 30th (February: its last day); a
  checkpoint on a non-business day moves to the next business day (rule-set
  setting ``followup_non_business``);
* on time means ``actual <= due`` (dates; time of day ignored).

The business-day counts and the checkpoint days come from the rule set's
``[deadlines]`` table, the days off from the calendar.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .calendar import Calendar, thai_calendar
from .catalogue import labels
from .days import NAT, as_days
from .rules import DEFAULT_RULES, Deadlines, RuleSet, load_rules

__all__ = [
    "PHASES",
    "PHASE_LABELS",
    "STATUSES",
    "STATUS_LABELS",
    "ack_due",
    "business_days_late",
    "followup_checkpoints",
    "next_followup",
    "on_time",
    "progress_due",
    "status_as_of",
    "status_codes",
]

#: Monitoring status codes with Thai and English labels (``scoring/data/labels.toml``).
STATUS_LABELS: dict[str, tuple[str, str]] = labels(__package__ or "cplkpi.scoring", "labels", "status")

#: What a monitoring status is about, Thai and English (``scoring/data/labels.toml``).
PHASE_LABELS: dict[str, tuple[str, str]] = labels(__package__ or "cplkpi.scoring", "labels", "phase")

#: Status codes in the order of the ints :func:`status_codes` returns.
STATUSES = ("on_time", "due_soon", "overdue", "done")
#: Phase codes: which deadline a status is about.
PHASES = ("ack", "progress", "followup", "done")
_STATUS = {name: i for i, name in enumerate(STATUSES)}
_PHASE = {name: i for i, name in enumerate(PHASES)}


def _setup(rules: RuleSet | str | None, calendar: Calendar | None) -> tuple[Deadlines, Calendar]:
    return load_rules(rules or DEFAULT_RULES).deadlines, calendar or thai_calendar()


def ack_due(forwarded: Any, *, rules: RuleSet | str | None = None, calendar: Calendar | None = None) -> Any:
    """Acknowledgement deadline: ``WORKDAY(forwarded, 1)`` (1 business day from the day after)."""
    dl, cal = _setup(rules, calendar)
    return cal.workday(forwarded, dl.ack_business_days)


def progress_due(acknowledged: Any, *, rules: RuleSet | str | None = None,
                 calendar: Calendar | None = None) -> Any:
    """First-progress deadline: ``WORKDAY(acknowledged, 3)``."""
    dl, cal = _setup(rules, calendar)
    return cal.workday(acknowledged, dl.progress_business_days)


@functools.lru_cache(maxsize=32)
def _checkpoints(cal: Calendar, days: tuple[int, ...], policy: str) -> np.ndarray:
    months = np.arange(cal.first.astype("datetime64[M]"), cal.last.astype("datetime64[M]") + 1)
    month_len = ((months + 1).astype("datetime64[D]") - months.astype("datetime64[D]")).astype(np.int64)
    per_day = []
    for day in days:
        dom = np.minimum(day, month_len)  # 30 → 28/29 in February
        per_day.append(months.astype("datetime64[D]") + (dom - 1))
    cps = np.unique(np.concatenate(per_day))
    if policy != "keep":
        step = 1 if policy == "next" else -1
        not_bday = ~cal.is_workday(cps)
        # near the ends of the covered range a move may leave it: such checkpoints are dropped
        first_b, last_b = cal.first + cal.bdays[0], cal.first + cal.bdays[-1]
        movable = not_bday & ((cps < last_b) if step == 1 else (cps > first_b))
        shifted = cps.copy()
        shifted[movable] = cal.workday(cps[movable], step)
        cps = np.unique(shifted[~not_bday | movable])
    cps.flags.writeable = False
    return cps


@dataclass(frozen=True)
class CheckpointIndex:
    """The checkpoint dates with a per-day lookup table, so that locating millions of dates among them
    is one array gather instead of a binary search each."""

    dates: np.ndarray
    first: int
    table: np.ndarray

    def left(self, days: np.ndarray) -> np.ndarray:
        """``np.searchsorted(dates, days, "left")`` for epoch-day integers: the first checkpoint >= day."""
        return self.table[np.clip(days - self.first, 0, len(self.table) - 1)]

    def right(self, days: np.ndarray) -> np.ndarray:
        """``np.searchsorted(dates, days, "right")``: the first checkpoint > day."""
        return self.left(days + 1)


@functools.lru_cache(maxsize=32)
def checkpoint_index(cal: Calendar, days: tuple[int, ...], policy: str) -> CheckpointIndex:
    """:class:`CheckpointIndex` of the follow-up checkpoints of ``cal`` (cached)."""
    cps = _checkpoints(cal, days, policy)
    first = int(cal.first.astype(np.int64))
    span = np.arange(first, int(cal.last.astype(np.int64)) + 2)
    table = np.searchsorted(cps.view(np.int64), span, side="left").astype(np.int32)
    table.flags.writeable = False
    return CheckpointIndex(cps, first, table)


def followup_checkpoints(
    start: Any = None, end: Any = None, *, rules: RuleSet | str | None = None, calendar: Calendar | None = None
) -> np.ndarray:
    """The follow-up checkpoint dates (``datetime64[D]``), optionally only those in [start, end]."""
    dl, cal = _setup(rules, calendar)
    cps = _checkpoints(cal, tuple(dl.followup_days), dl.followup_non_business)
    if start is not None:
        cps = cps[cps >= as_days(start)[0]]
    if end is not None:
        cps = cps[cps <= as_days(end)[0]]
    return cps


def next_followup(day: Any, *, rules: RuleSet | str | None = None, calendar: Calendar | None = None) -> Any:
    """The first follow-up checkpoint on or after ``day`` (vectorised)."""
    dl, cal = _setup(rules, calendar)
    cps = _checkpoints(cal, tuple(dl.followup_days), dl.followup_non_business)
    d, restore = as_days(day)
    cal._offsets(d)  # range check
    idx = np.searchsorted(cps, d, side="left")
    res = cps[np.minimum(idx, len(cps) - 1)]
    res = np.where((idx < len(cps)) & ~np.isnat(d), res, NAT)
    return restore(res)


def on_time(actual: Any, due: Any) -> Any:
    """True where ``actual <= due`` (False where either is missing)."""
    a, restore = as_days(actual)
    d, restore_d = as_days(due)
    if a.ndim == 0 and d.ndim > 0:
        restore = restore_d
    a, d = np.broadcast_arrays(a, d)
    return restore(~np.isnat(a) & ~np.isnat(d) & (a <= d))


def business_days_late(actual: Any, due: Any, *, calendar: Calendar | None = None) -> Any:
    """Business days after ``due`` up to ``actual`` (due on a day off: the first business day after
    it is 1 day late); 0 when on time, NaN when either is missing."""
    cal = calendar or thai_calendar()
    a, restore = as_days(actual)
    d, restore_d = as_days(due)
    if a.ndim == 0 and d.ndim > 0:
        restore = restore_d
    a, d = np.broadcast_arrays(a, d)
    return restore(late_days_array(cal, a, d))


def late_days_array(cal: Calendar, actual: np.ndarray, due: np.ndarray) -> np.ndarray:
    """Business days in (due, actual]: 0 when on time, NaN where either is missing."""
    ok = ~np.isnat(actual) & ~np.isnat(due)
    late = ok & (actual > due)
    out = np.where(ok, 0.0, np.nan)
    if late.any():
        out[late] = cal.networkdays(due[late], actual[late]) - cal.is_workday(due[late])
    return out


def status_codes(
    start: Any,
    acknowledged: Any,
    last_report: Any,
    resolved: Any,
    as_of: Any,
    *,
    rules: RuleSet | str | None = None,
    calendar: Calendar | None = None,
    acknowledged_by_status: Any = False,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Monitoring status of complaints as of a date, as arrays (vectorised; scalars broadcast).

    ``start`` is the forwarding (or re-forwarding) date, ``last_report`` the
    latest progress report on or before ``as_of``. Returns ``(status, phase,
    due)``: indices into :data:`STATUSES` and :data:`PHASES` (int8, −1 where
    ``start`` or ``as_of`` is missing) and the deadline the status is about
    (``datetime64[D]``, NaT when done). :func:`status_as_of` gives the same
    as a labelled DataFrame.

    A complaint is overdue when its pending deadline has passed: not
    acknowledged after the acknowledgement deadline, no progress report after
    the first-progress deadline, or no report since before the last passed
    follow-up checkpoint. It is due soon when that deadline is within the rule
    set's ``due_soon_business_days`` business days.

    ``acknowledged_by_status`` (bool, per complaint or one for all): the source's state proves the
    complaint was acknowledged though no date is given (:data:`~cplkpi.scoring.tables.ACKNOWLEDGED_STATUSES`):
    it waits for the first progress report, due that many business days after the acknowledgement
    deadline (the latest day the acknowledgement could have been on time), never for an acknowledgement.
    """
    dl, cal = _setup(rules, calendar)
    parts = np.broadcast_arrays(*(np.atleast_1d(as_days(x)[0])
                                  for x in (start, acknowledged, last_report, resolved, as_of)))
    s, ack, rep, res, t = (np.ascontiguousarray(p) for p in parts)
    ok = ~np.isnat(s) & ~np.isnat(t)
    ack = np.where(ack <= t, ack, NAT)
    rep = np.where((rep <= t) & (rep >= s), rep, NAT)
    done = ok & ~np.isnat(res) & (res <= t)
    a_due = cal.workday(s, dl.ack_business_days)
    no_ack, no_rep = np.isnat(ack), np.isnat(rep)
    p_due = cal.workday(np.where(no_ack, a_due, ack), dl.progress_business_days)
    cps = _checkpoints(cal, tuple(dl.followup_days), dl.followup_non_business)
    # waiting for the acknowledgement: no date, and no state saying it was given
    awaits_ack = no_ack & ~np.broadcast_to(np.asarray(acknowledged_by_status, dtype=bool), no_ack.shape)
    phase = np.where(awaits_ack, _PHASE["ack"],
                     np.where(no_rep, _PHASE["progress"], _PHASE["followup"])).astype(np.int8)
    fu = phase == _PHASE["followup"]
    due = np.where(awaits_ack, a_due, np.where(no_rep, p_due, NAT))
    overdue = ~fu & (t > due)
    # follow-up phase: the last checkpoint before t (if it is one that applies) and the next one
    t_safe = np.where(ok, t, s)
    last = len(cps) - 1
    prev_i = np.searchsorted(cps, t_safe, side="left") - 1
    prev_cp = np.where(prev_i >= 0, cps[np.clip(prev_i, 0, last)], NAT)
    before_prev = np.where(prev_i >= 1, cps[np.clip(prev_i - 1, 0, last)], NAT)
    overdue |= fu & ~np.isnat(prev_cp) & (prev_cp > p_due) & ~(rep > before_prev)
    next_i = np.searchsorted(cps, np.maximum(t_safe, p_due + 1), side="left")
    next_cp = np.where(next_i <= last, cps[np.clip(next_i, 0, last)], NAT)
    window_open = np.where(next_i >= 1, cps[np.clip(next_i - 1, 0, last)], NAT)
    # once the next checkpoint's report is in, the one after it is what is due
    reported_in_window = fu & ~np.isnat(window_open) & (rep > window_open)
    after_next = np.where(next_i + 1 <= last, cps[np.clip(next_i + 1, 0, last)], NAT)
    next_cp = np.where(reported_in_window, after_next, next_cp)
    due = np.where(fu, np.where(overdue, prev_cp, next_cp), due)
    due_soon = ~overdue & ~np.isnat(due) & (due <= cal.workday(t_safe, dl.due_soon_business_days))
    status = np.where(overdue, _STATUS["overdue"],
                      np.where(due_soon, _STATUS["due_soon"], _STATUS["on_time"])).astype(np.int8)
    status[done] = _STATUS["done"]
    phase[done] = _PHASE["done"]
    status[~ok] = -1
    phase[~ok] = -1
    return status, phase, np.where(done | ~ok, NAT, due)


def status_as_of(
    start: Any,
    acknowledged: Any,
    last_report: Any,
    resolved: Any,
    as_of: Any,
    *,
    rules: RuleSet | str | None = None,
    calendar: Calendar | None = None,
    acknowledged_by_status: Any = False,
) -> pd.DataFrame:
    """:func:`status_codes` as a DataFrame: ``status``, ``phase``, ``due``, ``status_th``, ``status_en``
    (None where ``start`` or ``as_of`` is missing)."""
    status, phase, due = status_codes(start, acknowledged, last_report, resolved, as_of,
                                      rules=rules, calendar=calendar,
                                      acknowledged_by_status=acknowledged_by_status)
    return pd.DataFrame({
        "status": _label(STATUSES, status),
        "phase": _label(PHASES, phase),
        "due": due,
        "status_th": _label(tuple(STATUS_LABELS[x][0] for x in STATUSES), status),
        "status_en": _label(tuple(STATUS_LABELS[x][1] for x in STATUSES), status),
    })


def _label(names: tuple[str, ...], codes: np.ndarray) -> np.ndarray:
    """Labels of int codes, None for −1 (one lookup, no Python loop)."""
    return np.array((*names, None), dtype=object)[codes]
