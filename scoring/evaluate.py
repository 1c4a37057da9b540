"""Per-complaint evaluation: deadlines, criteria and the reason each criterion failed.

Given the canonical complaint table (and optionally the progress table), this
computes for every complaint, vectorised:

* the cycle start: the forwarding date, or the re-forwarding date of a
  reopened complaint (its clock restarts; dates of the earlier cycle are
  ignored for the new one);
* acknowledgement and first-progress deadlines and whether they were met;
  the first progress report is the earliest of the first-progress column, the
  progress sheet and the resolution (a resolution is a report);
* the 15th/30th follow-up checkpoints the complaint had to meet (strictly
  after the first-progress deadline, before resolution or up to the as-of
  date) and how many were met: a checkpoint is met by a report dated in
  (previous checkpoint, checkpoint];
* resolution, result detail and evidence.

Anything dated after ``as_of`` has not happened yet. A deadline still in the
future at ``as_of`` is *pending*: not failed (reason ``*_PENDING``).
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from .calendar import Calendar, thai_calendar
from .days import NAT, as_day_array, to_date
from .deadlines import CheckpointIndex, checkpoint_index, late_days_array
from .rules import DEFAULT_RULES, RuleSet, load_rules
from .tables import CLOSED_STATUSES, has_text

__all__ = ["REASONS", "evaluate_complaints", "resolved_in_cycle"]

#: Reason codes per criterion, in the order they are checked. "OK" and "*_PENDING" count as correct.
REASONS = (
    "OK", "NO_START",
    "ACK_PENDING", "ACK_LATE", "ACK_MISSING",
    "PROGRESS_PENDING", "PROGRESS_LATE", "PROGRESS_MISSING",
    "NOT_RESOLVED", "NO_RESULT_DETAIL", "FOLLOWUP_MISSED", "NO_EVIDENCE",
)


_CODE = {name: np.int8(i) for i, name in enumerate(REASONS)}


def _categorical(codes: np.ndarray) -> pd.Categorical[str]:
    return pd.Categorical.from_codes(codes, categories=pd.Index(REASONS))


def _col(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table:
        return np.full(len(table), NAT)
    return as_day_array(table[name])


def _min_date(*arrays: np.ndarray) -> np.ndarray:
    out = arrays[0].copy()
    for a in arrays[1:]:
        out = np.where(np.isnat(out) | (~np.isnat(a) & (a < out)), a, out)
    return out


def _cycle_start(complaints: pd.DataFrame, t: np.datetime64) -> tuple[np.ndarray, np.ndarray]:
    """The start of each complaint's cycle current at ``t`` (the re-forwarding date when it was reopened
    by then) and that ``reopened_on`` (NaT when not reopened by ``t``)."""
    forwarded = _col(complaints, "forwarded_on")
    reopened = _col(complaints, "reopened_on")
    reopened = np.where(reopened <= t, reopened, NAT)
    start = np.where(~np.isnat(reopened) & (np.isnat(forwarded) | (reopened > forwarded)), reopened, forwarded)
    return start, reopened


def _in_cycle(day: np.ndarray, start: np.ndarray, reopened: np.ndarray, t: np.datetime64) -> np.ndarray:
    """Dates of the current cycle that have happened by ``t`` (others → NaT)."""
    keep = ~np.isnat(day) & (day <= t) & (np.isnat(reopened) | (day >= start))
    return np.where(keep, day, NAT)


def _resolved_col(complaints: pd.DataFrame, t: np.datetime64) -> np.ndarray:
    """``resolved_on``; a closed status (เสร็จสิ้น, ไม่เกี่ยวข้อง: ``CLOSED_STATUSES``) without a date counts as
    resolved by ``t``, the as-of date: closed, so never work to do, but no earlier date is assumed (no
    follow-up it may have missed is excused). The complaint sheet's check warns about the missing date."""
    day = _col(complaints, "resolved_on")
    if "status" not in complaints:
        return day
    undated = complaints["status"].isin(CLOSED_STATUSES).fillna(False).to_numpy(dtype=bool) & np.isnat(day)
    return np.where(undated, t, day)


def resolved_in_cycle(complaints: pd.DataFrame, as_of: Any, *, closed_without_date: bool = True) -> np.ndarray:
    """Each complaint's resolution date when it resolves the current cycle by ``as_of``, else NaT.

    A reopened complaint's earlier resolution does not count: the complainant rejected it. A closed
    status without a date counts as resolved by ``as_of`` (as :func:`evaluate_complaints` counts it);
    with ``closed_without_date=False`` only dated resolutions count (the month a completion belongs to,
    e.g. the audit sample's population, needs its date).
    """
    t = np.datetime64(to_date(as_of), "D")
    start, reopened = _cycle_start(complaints, t)
    day = _resolved_col(complaints, t) if closed_without_date else _col(complaints, "resolved_on")
    return _in_cycle(day, start, reopened, t)


def _reports(
    ids: np.ndarray, progress: pd.DataFrame | None, start: np.ndarray, t: np.datetime64, first_col: np.ndarray
) -> tuple[np.ndarray, np.ndarray]:
    """Positions (int32) of the complaints and the days (int32, epoch days) of their reports.

    Reports are the progress sheet's rows dated in [cycle start, as_of] plus the
    first-progress column; rows of unknown complaints are left out here (the
    progress sheet's normalisation reports them).
    """
    n = len(ids)
    parts_c, parts_d = [], []
    if progress is not None and len(progress):
        first_pos = pd.Series(np.arange(n, dtype=np.int32), index=pd.Index(ids))
        first_pos = first_pos[~first_pos.index.duplicated(keep="first")]
        comp: np.ndarray = first_pos.index.get_indexer(pd.Index(progress["complaint_id"].to_numpy(dtype=object)))
        days = as_day_array(progress["reported_on"]).view(np.int64)
        valid = comp >= 0
        valid &= days != np.iinfo(np.int64).min  # NaT
        comp = first_pos.to_numpy()[comp[valid]]
        days = days[valid].astype(np.int32)
        start_i = start.view(np.int64)[comp]
        keep = (days <= t.astype(np.int64)) & (days >= start_i)
        parts_c.append(comp[keep])
        parts_d.append(days[keep])
    has_first = ~np.isnat(first_col)
    parts_c.append(np.flatnonzero(has_first).astype(np.int32))
    parts_d.append(first_col[has_first].view(np.int64).astype(np.int32))
    return np.concatenate(parts_c), np.concatenate(parts_d)


def _extremes(comp: np.ndarray, days: np.ndarray, n: int) -> tuple[np.ndarray, np.ndarray]:
    """Earliest and latest report day per complaint as ``datetime64[D]`` (NaT when none)."""
    big, small = np.iinfo(np.int32).max, np.iinfo(np.int32).min
    earliest = np.full(n, big, dtype=np.int32)
    latest = np.full(n, small, dtype=np.int32)
    if len(comp):
        np.minimum.at(earliest, comp, days)
        np.maximum.at(latest, comp, days)
    e = np.where(earliest == big, NAT, earliest.astype("datetime64[D]"))
    la = np.where(latest == small, NAT, latest.astype("datetime64[D]"))
    return e, la


def _followups_met(
    comp: np.ndarray, days: np.ndarray, lo: np.ndarray, hi: np.ndarray, cps: CheckpointIndex, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Per complaint: checkpoints met in [lo, hi), and how many of them are met consecutively from lo.

    A report on day d covers checkpoint k with cps[k-1] < d <= cps[k].
    """
    if not len(comp):
        zeros = np.zeros(n, dtype=np.int64)
        return zeros, zeros
    w = cps.left(days)
    ok = (w >= lo[comp]) & (w < hi[comp])
    stride = len(cps.dates) + 1
    key = np.sort(comp[ok].astype(np.int64) * stride + w[ok])
    del w, ok
    if len(key):
        key = key[np.concatenate(([True], key[1:] != key[:-1]))]
    cu, wu = key // stride, key % stride
    del key
    met = np.bincount(cu, minlength=n)
    starts = np.flatnonzero(np.concatenate(([True], cu[1:] != cu[:-1])))  # cu is sorted
    rank = np.arange(len(cu)) - np.repeat(starts, np.diff(np.append(starts, len(cu))))
    leading = np.bincount(cu[wu == lo[cu] + rank], minlength=n)
    return met, leading


def _has_text(values: pd.Series) -> np.ndarray:
    """``tables.has_text`` computed once per distinct value (result details repeat a lot)."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    ok = np.append(has_text(pd.Series(uniques, dtype=object)).to_numpy(dtype=bool), False)
    return ok[codes]  # code -1 (missing) picks the appended False


def evaluate_complaints(
    complaints: pd.DataFrame,
    progress: pd.DataFrame | None = None,
    *,
    as_of: Any,
    rules: RuleSet | str = DEFAULT_RULES,
    calendar: Calendar | None = None,
) -> pd.DataFrame:
    """Evaluate every complaint as of ``as_of``. Returns one row per complaint (same index).

    Columns: dates (``start_on``, ``ack_due``, ``acknowledged_on``,
    ``progress_due``, ``first_progress_on``, ``resolved_on``,
    ``last_report_on``, ``first_missed_followup``), counts
    (``ack_late_days``, ``progress_late_days``, ``followups_required``,
    ``followups_met_count``), one boolean per criterion (``ack_on_time``,
    ``progress_on_time``, ``resolved``, ``result_detail``, ``followups_met``,
    ``evidence``) and one reason code per criterion (``<criterion>_reason``).
    """
    rules = load_rules(rules)
    dl = rules.deadlines
    cal = calendar or thai_calendar()
    n = len(complaints)
    t = np.datetime64(to_date(as_of), "D")
    start, reopened = _cycle_start(complaints, t)
    has_start = ~np.isnat(start) & (start <= t)
    acknowledged = _in_cycle(_col(complaints, "acknowledged_on"), start, reopened, t)
    resolved_on = _in_cycle(_resolved_col(complaints, t), start, reopened, t)
    first_col = _in_cycle(_col(complaints, "first_progress_on"), start, reopened, t)

    ids = complaints["complaint_id"].to_numpy(dtype=object) if "complaint_id" in complaints else np.arange(n)
    comp, rep_days = _reports(ids, progress, start, t, first_col)
    earliest_d, latest_d = _extremes(comp, rep_days, n)
    first_progress = _min_date(earliest_d, resolved_on)
    del earliest_d

    safe_start = np.where(has_start, start, cal.first)
    ack_due = np.where(has_start, cal.workday(safe_start, dl.ack_business_days), NAT)
    ack_base = np.where(np.isnat(acknowledged), ack_due, acknowledged)
    progress_due = np.where(has_start, cal.workday(np.where(has_start, ack_base, cal.first),
                                                  dl.progress_business_days), NAT)

    ack_ok = ~np.isnat(acknowledged) & (acknowledged <= ack_due)
    ack_pending = np.isnat(acknowledged) & (t <= ack_due)
    prog_ok = ~np.isnat(first_progress) & (first_progress <= progress_due)
    prog_pending = np.isnat(first_progress) & (t <= progress_due)

    def late_days(actual: np.ndarray, due: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Business days late, counted up to ``as_of`` while the step is still missing."""
        out = np.zeros(n, dtype=np.int64)
        if mask.any():
            end = np.where(np.isnat(actual), t, actual)
            out[mask] = late_days_array(cal, end[mask], due[mask])
        return out

    ack_late_mask = has_start & ~ack_ok & ~ack_pending
    prog_late_mask = has_start & ~prog_ok & ~prog_pending
    ack_late_days = late_days(acknowledged, ack_due, ack_late_mask)
    prog_late_days = late_days(first_progress, progress_due, prog_late_mask)

    # follow-up checkpoints: required ones are strictly after the first-progress deadline and strictly
    # before the resolution, or, while unresolved, before as_of (one on the as-of day is still pending)
    cps = checkpoint_index(cal, tuple(dl.followup_days), dl.followup_non_business)
    pd_int = np.where(has_start, progress_due, cal.first).view(np.int64).astype(np.int32)
    lo = cps.right(pd_int)
    del pd_int
    is_resolved = ~np.isnat(resolved_on)
    stop = np.where(is_resolved, resolved_on, t).view(np.int64).astype(np.int32)
    hi = cps.left(stop)
    del stop
    required = np.where(has_start, np.maximum(hi - lo, 0), 0)
    met, leading = _followups_met(comp, rep_days, lo, hi, cps, n)
    del comp, rep_days, hi
    fu_ok = met >= required
    missed_idx = np.clip(lo + leading, 0, len(cps.dates) - 1)
    first_missed = np.where(fu_ok, NAT, cps.dates[missed_idx])

    detail = _has_text(complaints["result_detail"]) if "result_detail" in complaints else np.zeros(n, bool)
    evidence = (complaints["has_evidence"].fillna(False).to_numpy(dtype=bool)
                if "has_evidence" in complaints else np.zeros(n, bool))
    resolved = is_resolved

    def reason(ok: np.ndarray, late: str, missing: np.ndarray | None = None, missing_code: str = "",
               pending: np.ndarray | None = None, pending_code: str = "") -> np.ndarray:
        out = np.where(ok, _CODE["OK"], _CODE[late]).astype(np.int8)
        if missing is not None:
            out[~ok & missing] = _CODE[missing_code]
        if pending is not None:
            out[pending] = _CODE[pending_code]
        out[~has_start] = _CODE["NO_START"]
        return out

    detail_reason = reason(detail | ~resolved, "NO_RESULT_DETAIL")
    detail_reason[~resolved & has_start] = _CODE["NOT_RESOLVED"]
    result = pd.DataFrame(
        {
            "complaint_id": ids,
            "start_on": start,
            "reopened": ~np.isnat(reopened),
            "ack_due": ack_due,
            "acknowledged_on": acknowledged,
            "ack_late_days": ack_late_days,
            "progress_due": progress_due,
            "first_progress_on": first_progress,
            "progress_late_days": prog_late_days,
            "resolved_on": resolved_on,
            "last_report_on": latest_d,
            "followups_required": required,
            "followups_met_count": np.minimum(met, required),
            "first_missed_followup": first_missed,
            "ack_on_time": has_start & (ack_ok | ack_pending),
            "progress_on_time": has_start & (prog_ok | prog_pending),
            "resolved": has_start & resolved,
            "result_detail": has_start & resolved & detail,
            "followups_met": has_start & fu_ok,
            "evidence": has_start & evidence,
            "ack_on_time_reason": _categorical(reason(ack_ok, "ACK_LATE", np.isnat(acknowledged), "ACK_MISSING",
                                                      ack_pending, "ACK_PENDING")),
            "progress_on_time_reason": _categorical(reason(prog_ok, "PROGRESS_LATE", np.isnat(first_progress),
                                                           "PROGRESS_MISSING", prog_pending, "PROGRESS_PENDING")),
            "resolved_reason": _categorical(reason(resolved, "NOT_RESOLVED")),
            "result_detail_reason": _categorical(detail_reason),
            "followups_met_reason": _categorical(reason(fu_ok, "FOLLOWUP_MISSED")),
            "evidence_reason": _categorical(reason(evidence, "NO_EVIDENCE")),
        },
        index=complaints.index,
    )
    return result
