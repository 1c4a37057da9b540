"""Several snapshots of the same tickets merged into one table keyed by complaint id.

Rules (docs/import.md):

* Files are ordered by their snapshot time (:attr:`Snapshot.snapshot_at`, the
  latest activity time a file holds; files without any time come first),
  then by the order given. For a ticket found in several files, the row of
  the latest file wins.
* Facts about the report itself (:data:`STATIC_COLUMNS`: when and how it was
  reported, what and where) that the winning file lacks are taken from the
  latest earlier file that has them (a GeoJSON export has no comment text;
  an older dump of the same ticket does). Everything that changes while a
  ticket is handled (status, dates, agency, evidence) comes from the winner
  only.
* A change of status between two files becomes an event. Its exact time is
  unknown; it lies after the earlier file's snapshot time and no later than
  the later row's last activity (or the later file's snapshot time when the
  row's last activity is not after the earlier snapshot).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .snapshot import EVENT_COLUMNS, Snapshot, finish_events
from .states import REOPEN_STATE, state_code

__all__ = ["STATIC_COLUMNS", "merge_snapshots", "order_snapshots"]

#: Columns describing the report itself; filled from earlier files when the winning file lacks them.
STATIC_COLUMNS: tuple[str, ...] = (
    "received_at", "forwarded_on", "channel", "subject", "detail",
    "location_district", "subdistrict", "address", "lon", "lat", "photo_url",
)


def order_snapshots(snapshots: Sequence[Snapshot]) -> list[Snapshot]:
    """Snapshots from oldest to latest (files without a time first; ties keep the given order)."""
    keyed = [(s.snapshot_at, i, s) for i, s in enumerate(snapshots)]
    keyed.sort(key=lambda k: (pd.notna(k[0]), k[0] if pd.notna(k[0]) else pd.Timestamp(0), k[1]))
    return [s for _, _, s in keyed]


def merge_snapshots(snapshots: Sequence[Snapshot]) -> tuple[pd.DataFrame, pd.DataFrame, int]:
    """Merge snapshots: ``(complaints, events, superseded)``.

    ``complaints`` has one row per complaint id, sorted by report time (ties
    and missing times keep the files' order); ``events`` holds the files' own
    events and the status changes between files; ``superseded`` counts rows
    replaced by a later file.
    """
    ordered = order_snapshots(snapshots)
    if not ordered:
        raise ValueError("ไม่มีไฟล์ให้นำเข้า (no files to import)")
    frames = [s.complaints for s in ordered]
    allc = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0].reset_index(drop=True)
    snap = pd.Series(np.concatenate([np.full(len(s.complaints), s.snapshot_at.to_datetime64(),
                                             dtype="datetime64[ns]") for s in ordered]), index=allc.index)
    key = allc["complaint_id"]
    repeated = key.duplicated(keep=False).to_numpy()
    events = [s.events for s in ordered if len(s.events)]
    superseded = 0
    if repeated.any():
        events.append(_changes(allc[repeated], snap[repeated]))
        latest_static = allc[repeated].groupby("complaint_id", sort=False)[list(STATIC_COLUMNS)].last()
        winner = ~key.duplicated(keep="last").to_numpy()
        superseded = int((~winner).sum())
        allc = allc[winner].copy()
        filled = latest_static.reindex(allc["complaint_id"].to_numpy())
        for col in STATIC_COLUMNS:
            allc[col] = allc[col].where(allc[col].notna(), filled[col].to_numpy())
    order = np.argsort(allc["received_at"].to_numpy(), kind="stable")
    out = allc.take(order).reset_index(drop=True)
    merged_events = pd.concat(events, ignore_index=True) if events else finish_events(pd.DataFrame())
    if len(merged_events):
        subset = [c for c in EVENT_COLUMNS if c not in ("source_file", "source_row")]
        merged_events = merged_events.drop_duplicates(subset=subset)
        merged_events = merged_events.sort_values(["complaint_id", "not_before"], kind="stable")
    return out, finish_events(merged_events), superseded


def _changes(rows: pd.DataFrame, snap: pd.Series) -> pd.DataFrame:
    """Status changes (and reopen-count rises) between consecutive files of the same ticket."""
    g = rows.groupby("complaint_id", sort=False)
    prev_status = g["status"].shift()
    prev_snap = snap.groupby(rows["complaint_id"], sort=False).shift()
    prev_reopen = g["reopen_count"].shift()
    activity = rows["last_activity_at"]
    not_after = activity.where(activity > prev_snap, snap)
    changed = (prev_status.notna() & (rows["status"] != prev_status)).fillna(False).to_numpy(dtype=bool)
    reopened = (rows["reopen_count"] > prev_reopen).fillna(False).to_numpy(dtype=bool)
    frames = []
    kinds = ((changed, None, "snapshot_change"), (reopened, REOPEN_STATE, "snapshot_reopen_count"))
    for mask, state, basis in kinds:
        if not mask.any():
            continue
        sub = rows[mask]
        frames.append(pd.DataFrame({
            "complaint_id": sub["complaint_id"],
            "state": sub["source_state"] if state is None else state,
            "status": sub["status"] if state is None else state_code(state),
            "not_before": prev_snap[mask],
            "not_after": not_after[mask],
            "basis": basis,
            "source_file": sub["source_file"],
            "source_row": sub["source_row"],
        }))
    return finish_events(pd.concat(frames, ignore_index=True) if frames else pd.DataFrame())
