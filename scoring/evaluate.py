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
from .days import NAT, as_day_array
from .deadlines import _checkpoints
from .rules import RuleSet, load_rules
from .tables import has_text

__all__ = ["evaluate_complaints", "REASONS"]

#: Reason codes per criterion, in the order they are checked. "OK" and "*_PENDING" count as correct.
REASONS = (
    "OK", "NO_START",
    "ACK_PENDING", "ACK_LATE", "ACK_MISSING",
    "PROGRESS_PENDING", "PROGRESS_LATE", "PROGRESS_MISSING",
    "NOT_RESOLVED", "NO_RESULT_DETAIL", "FOLLOWUP_MISSED", "NO_EVIDENCE",
)


def _col(table: pd.DataFrame, name: str) -> np.ndarray:
    if name not in table:
        return np.full(len(table), NAT)
    return as_day_array(table[name])


def _min_date(*arrays: np.ndarray) -> np.ndarray:
    out = arrays[0].copy()
    for a in arrays[1:]:
        out = np.where(np.isnat(out) | (~np.isnat(a) & (a < out)), a, out)
    return out


def evaluate_complaints(
    complaints: pd.DataFrame,
    progress: pd.DataFrame | None = None,
    *,
    as_of: Any,
    rules: RuleSet | str = "bma-2557",
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
    t = np.datetime64(pd.Timestamp(as_of).date(), "D") if not isinstance(as_of, np.datetime64) else as_of
    t = t.astype("datetime64[D]")

    forwarded = _col(complaints, "forwarded_on")
    reopened = _col(complaints, "reopened_on")
    start = np.where(~np.isnat(reopened) & (np.isnat(forwarded) | (reopened > forwarded)), reopened, forwarded)
    has_start = ~np.isnat(start) & (start <= t)

    def in_cycle(day: np.ndarray) -> np.ndarray:
        """Dates of the current cycle that have happened by ``as_of`` (others → NaT)."""
        keep = ~np.isnat(day) & (day <= t) & (np.isnat(reopened) | (day >= start))
        return np.where(keep, day, NAT)

    acknowledged = in_cycle(_col(complaints, "acknowledged_on"))
    resolved_on = in_cycle(_col(complaints, "resolved_on"))
    first_col = in_cycle(_col(complaints, "first_progress_on"))

    # progress table → complaint positions
    ids = complaints["complaint_id"].to_numpy(dtype=object) if "complaint_id" in complaints else np.arange(n)
    if progress is not None and len(progress):
        first_pos = pd.Series(np.arange(n), index=pd.Index(ids))
        first_pos = first_pos[~first_pos.index.duplicated(keep="first")]
        comp = first_pos.reindex(progress["complaint_id"].to_numpy(dtype=object)).to_numpy()
        rep_days = as_day_array(progress["reported_on"])
        valid = ~np.isnan(comp) & ~np.isnat(rep_days)
        comp = comp[valid].astype(np.int64)
        rep_days = rep_days[valid]
        keep = (rep_days <= t) & (rep_days >= start[comp])
        comp, rep_days = comp[keep], rep_days[keep]
    else:
        comp = np.empty(0, dtype=np.int64)
        rep_days = np.empty(0, dtype="datetime64[D]")
    # the first-progress column is a report too
    has_first = ~np.isnat(first_col)
    comp = np.concatenate([comp, np.flatnonzero(has_first)])
    rep_days = np.concatenate([rep_days, first_col[has_first]])

    # earliest and latest report per complaint
    rep_int = rep_days.astype(np.int64)
    earliest = np.full(n, np.iinfo(np.int64).max)
    np.minimum.at(earliest, comp, rep_int) if len(comp) else None
    latest = np.full(n, np.iinfo(np.int64).min)
    np.maximum.at(latest, comp, rep_int) if len(comp) else None
    earliest_d = np.where(earliest == np.iinfo(np.int64).max, NAT, earliest.astype("datetime64[D]"))
    latest_d = np.where(latest == np.iinfo(np.int64).min, NAT, latest.astype("datetime64[D]"))
    first_progress = _min_date(earliest_d, resolved_on)

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
        out = np.zeros(n, dtype=np.int64)
        if mask.any():
            end = np.where(np.isnat(actual), t, actual)
            out[mask] = cal.networkdays(due[mask], end[mask]) - 1
        return out

    ack_late_mask = has_start & ~ack_ok & ~ack_pending
    prog_late_mask = has_start & ~prog_ok & ~prog_pending
    ack_late_days = late_days(acknowledged, ack_due, ack_late_mask)
    prog_late_days = late_days(first_progress, progress_due, prog_late_mask)

    # follow-up checkpoints
    cps = _checkpoints(cal, tuple(dl.followup_days), dl.followup_non_business)
    cps_int = cps.astype(np.int64)
    pd_int = np.where(has_start, progress_due, cal.first).astype(np.int64)
    lo = np.searchsorted(cps_int, pd_int, side="right")
    is_resolved = ~np.isnat(resolved_on)
    stop = np.where(is_resolved, resolved_on, t).astype(np.int64)
    hi = np.where(is_resolved, np.searchsorted(cps_int, stop, side="left"),
                  np.searchsorted(cps_int, stop, side="right"))
    required = np.where(has_start, np.maximum(hi - lo, 0), 0)
    if len(comp):
        w = np.searchsorted(cps_int, rep_int, side="left")
        ok = (w >= lo[comp]) & (w < hi[comp])
        key = np.unique(comp[ok] * (len(cps_int) + 1) + w[ok])
        cu, wu = key // (len(cps_int) + 1), key % (len(cps_int) + 1)
        met = np.bincount(cu, minlength=n)
        rank = np.arange(len(cu)) - np.searchsorted(cu, cu, side="left")
        leading = np.bincount(cu[wu == lo[cu] + rank], minlength=n)
    else:
        met = np.zeros(n, dtype=np.int64)
        leading = np.zeros(n, dtype=np.int64)
    fu_ok = met >= required
    missed_idx = np.clip(lo + leading, 0, len(cps) - 1)
    first_missed = np.where(fu_ok, NAT, cps[missed_idx])

    detail = has_text(complaints["result_detail"]).to_numpy() if "result_detail" in complaints else np.zeros(n, bool)
    evidence = (complaints["has_evidence"].fillna(False).to_numpy(dtype=bool)
                if "has_evidence" in complaints else np.zeros(n, bool))

    def reason(ok: np.ndarray, pending: np.ndarray | None, code_pending: str, code_late: str,
               code_missing: str | None, actual: np.ndarray | None) -> np.ndarray:
        out = np.full(n, "OK", dtype=object)
        if actual is not None:
            out[~ok & ~np.isnat(actual)] = code_late
            out[~ok & np.isnat(actual)] = code_missing
        else:
            out[~ok] = code_late
        if pending is not None:
            out[pending] = code_pending
        out[~has_start] = "NO_START"
        return out

    resolved = is_resolved
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
            "ack_on_time_reason": reason(ack_ok, ack_pending, "ACK_PENDING", "ACK_LATE", "ACK_MISSING",
                                         acknowledged),
            "progress_on_time_reason": reason(prog_ok, prog_pending, "PROGRESS_PENDING", "PROGRESS_LATE",
                                              "PROGRESS_MISSING", first_progress),
            "resolved_reason": reason(resolved, None, "", "NOT_RESOLVED", None, None),
            "result_detail_reason": reason(detail | ~resolved, None, "", "NO_RESULT_DETAIL", None, None),
            "followups_met_reason": reason(fu_ok, None, "", "FOLLOWUP_MISSED", None, None),
            "evidence_reason": reason(evidence, None, "", "NO_EVIDENCE", None, None),
        },
        index=complaints.index,
    )
    # result detail needs a resolution first: an unresolved complaint fails "resolved", not "detail"
    result.loc[~resolved & has_start, "result_detail_reason"] = "NOT_RESOLVED"
    for c in ("ack_on_time_reason", "progress_on_time_reason", "resolved_reason", "result_detail_reason",
              "followups_met_reason", "evidence_reason"):
        result[c] = pd.Categorical(result[c], categories=REASONS)
    return result
