"""Traffy Fondue CSV exports into the canonical complaint table.

Three formats are read, each recognised by its header names (never by column
position; docs/import.md has the full reading of each):

``traffy_dump``
    The official CSV dump (``ticket_id,type,organization,comment,coords,photo,
    photo_after,…,timestamp,state,star,count_reopen,last_activity``): UTF-8
    with a BOM, timestamps in UTC written with ``+00``, ``type`` a Postgres
    array (``{ถนน,ทางเท้า}``), ``coords`` ``"lon,lat"``.
``traffy_geojson``
    The flattened GeoJSON API export: ``type`` is the geometry ("Point"),
    ``coords`` is ``[lon, lat]``, the header ``comment photo`` is malformed
    (it holds the photo URL; there is no comment text) and the timestamps have
    no zone. They are Bangkok local time (their hour-of-day profile is quiet
    from 01:00 to 06:00, as Bangkok is; read as UTC it would be quiet at
    08:00-13:00 Bangkok time). In this export ``last_activity`` always equals
    ``timestamp``, so it says nothing about later activity.
``traffy_web``
    Scraped from the web UI: ``ticket_id,date,time,status,address,description,
    agency,category,ForwardedStatus,ForwardedDate,ForwardedTime,TakeTime`` with
    Thai short B.E. dates (``6 ธ.ค. 67``) and ``08:28 น.`` times in Bangkok
    time. ``status`` is the ticket's state plus its age (``รอรับเรื่อง 3
    นาทีที่แล้ว``); ``Forwarded*`` is the latest event on the ticket's
    timeline (its state, date and time) and ``TakeTime`` (``ใช้เวลา 51 นาที``)
    is the time from the report to that event, truncated to the unit shown.

What a format does not hold stays empty (never guessed) and is counted in the
import summary.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from cplkpi.scoring.errors import Problem
from cplkpi.scoring.tables import CLOSED_STATUSES
from cplkpi.scoring.text import change_note, normalize_ids, text_changes
from cplkpi.textfile import ascii_compatible

from .agencies import district_name, split_organizations
from .csvsource import CsvSource, detect_format
from .snapshot import Snapshot, empty_events, finish_complaints, finish_events
from .states import REOPEN_STATE, map_states, strip_relative_age
from .traffy_values import (
    bangkok_timestamps,
    channels,
    lon_lat,
    nonempty,
    parse_thai_duration,
    per_unique,
    photo_urls,
    stripped,
    subject_text,
    thai_datetimes,
    whole_counts,
)

__all__ = ["TRAFFY_HEADERS", "WEB_HEADERS", "read_traffy"]

#: Traffy dump / GeoJSON export: role → accepted headers (matched ignoring case, spaces, punctuation).
TRAFFY_HEADERS: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket_id",),
    "type": ("type",),
    "organization": ("organization", "organisation"),
    "comment": ("comment",),
    "photo": ("photo", "comment photo"),
    "photo_after": ("photo_after",),
    "coords": ("coords",),
    "address": ("address",),
    "subdistrict": ("subdistrict",),
    "district": ("district",),
    "timestamp": ("timestamp",),
    "state": ("state",),
    "star": ("star",),
    "count_reopen": ("count_reopen",),
    "last_activity": ("last_activity",),
}

#: Web-scrape format: role → accepted headers.
WEB_HEADERS: dict[str, tuple[str, ...]] = {
    "ticket_id": ("ticket_id",),
    "date": ("date",),
    "time": ("time",),
    "status": ("status",),
    "address": ("address",),
    "description": ("description",),
    "agency": ("agency",),
    "category": ("category",),
    "event_state": ("ForwardedStatus",),
    "event_date": ("ForwardedDate",),
    "event_time": ("ForwardedTime",),
    "took": ("TakeTime",),
}

_NOT_IN_DUMP = frozenset({"acknowledged_on", "first_progress_on", "result_detail", "reopened_on"})
_NOT_IN_WEB = frozenset({"acknowledged_on", "first_progress_on", "resolved_on", "result_detail",
                         "has_evidence", "reopen_count"})


def _dedupe(t: pd.DataFrame, src: CsvSource) -> tuple[pd.DataFrame, int]:
    """Keep the latest row (by last activity, then position) of a ticket listed twice in one file."""
    repeated = t["complaint_id"].duplicated(keep=False)
    if not repeated.any():
        return t, 0
    order = t[repeated.to_numpy()].sort_values(["last_activity_at", "source_row"], kind="stable",
                                               na_position="first")
    gone = order[order["complaint_id"].duplicated(keep="last").to_numpy()]
    src.problem(pd.Series(True, index=gone.index), "ticket_id", "duplicate_in_file",
                "เลขที่เรื่องซ้ำในไฟล์เดียวกัน ใช้แถวที่เคลื่อนไหวล่าสุด",
                "ticket listed twice in the file; the row with the latest activity is kept",
                gone["complaint_id"])
    return t.drop(index=gone.index), len(gone)


def _ids(values: pd.Series | None, index: pd.Index, src: CsvSource) -> pd.Series:
    """Ticket ids normalised as every reader does (:func:`~cplkpi.scoring.text.normalize_ids`), with a
    warning at each cell that normalisation changed; empty ids are counted as rejections."""
    raw = nonempty(values if values is not None else pd.Series("", index=index))
    ids = normalize_ids(raw)
    ids = ids.where(ids != "")
    header = src.roles.get("ticket_id", "ticket_id")
    for row in index[(ids.notna() & text_changes(raw, ids)).to_numpy(dtype=bool)]:
        th, en = change_note(raw[row], ids[row], ("เลขที่เรื่อง", "complaint id"))
        src.problems.append(Problem("id_normalized", th, en, src.name, int(row), header, src.letters.get(header),
                                    "warning"))
    src.missing_ids += [int(r) for r in index[ids.isna().to_numpy()]]
    return ids

# --- the readers ----------------------------------------------------------------------


def read_traffy(path: str | Path, fmt: str | None = None, *, name: str | None = None) -> Snapshot:
    """Read a Traffy Fondue CSV (any of the three formats) into a :class:`Snapshot`.

    ``name`` is how the file is named in the table and messages (default: its file name).
    """
    path = Path(path)
    fmt = fmt or detect_format(path)
    if fmt not in ("traffy_web", "traffy_dump", "traffy_geojson"):
        raise ValueError(f"ไม่ใช่ไฟล์ Traffy Fondue (not a Traffy Fondue CSV): {path.name}")
    with ascii_compatible(path) as (data, encoding):  # UTF-16 or several BOMs: read from a UTF-8 copy
        src = CsvSource(data, WEB_HEADERS if fmt == "traffy_web" else TRAFFY_HEADERS, name or path.name,
                      encoding=encoding)
        return _read_web(path, src) if fmt == "traffy_web" else _read_dump(path, fmt, src)


def _concat(frames: list[pd.DataFrame]) -> pd.DataFrame:
    return frames[0] if len(frames) == 1 else pd.concat(frames)


def _read_dump(path: Path, fmt: str, src: CsvSource) -> Snapshot:
    seen = {"real_activity": False, "subject": False}

    def process(g: dict[str, pd.Series], index: pd.Index) -> pd.DataFrame:
        blank = pd.Series("", index=index)
        ids = _ids(g.get("ticket_id"), index, src)
        received, bad = bangkok_timestamps(g.get("timestamp", blank))
        src.problem(bad, "timestamp", "date_invalid", "อ่านเวลาแจ้งเรื่องไม่ได้", "cannot read the timestamp",
                    g.get("timestamp"), "error")
        activity, bad = bangkok_timestamps(g.get("last_activity", blank))
        src.problem(bad, "last_activity", "date_invalid", "อ่านเวลาเคลื่อนไหวล่าสุดไม่ได้",
                    "cannot read last_activity", g.get("last_activity"))
        state = per_unique(g.get("state", blank), stripped)
        status, unknown = map_states(state)
        src.problem(unknown, "state", "unknown_status", "สถานะไม่รู้จัก เก็บไว้ตามเดิม", "unknown state, kept as is",
                    state)
        # Traffy records no completion time; for a closed ticket (เสร็จสิ้น, ไม่เกี่ยวข้อง) the last activity
        # is the closing, even where it is only a copy of the report time (GeoJSON export): the import
        # summary counts those (docs/import.md). An activity time not after the report time is no activity.
        real_activity = (activity > received).fillna(False)
        seen["real_activity"] |= bool(real_activity.any())
        resolved = activity.dt.normalize().where(status.isin(CLOSED_STATUSES).fillna(False))

        kind = g.get("type")
        if kind is not None and kind.isin(["Point", ""]).all():
            kind = None  # the GeoJSON export's "type" is the geometry, not the complaint type
        seen["subject"] |= kind is not None
        org = per_unique(g.get("organization", blank), stripped)
        location = per_unique(g.get("district", blank), stripped)
        resp = split_organizations(org, location)
        comment = nonempty(g["comment"]) if "comment" in g else None
        lon: pd.Series | None
        lat: pd.Series | None
        lon, lat = lon_lat(g["coords"]) if "coords" in g else (None, None)
        photo_after = photo_urls(g["photo_after"]) if "photo_after" in g else None
        star = whole_counts(g["star"])[0] if "star" in g else None
        reopen, bad_count = whole_counts(g["count_reopen"]) if "count_reopen" in g else (None, None)
        if bad_count is not None:
            src.problem(bad_count, "count_reopen", "not_a_count", "จำนวนครั้งที่เปิดใหม่ต้องเป็นจำนวนเต็มไม่ติดลบ",
                        "count_reopen must be a whole number >= 0", g["count_reopen"])
        t = finish_complaints({
            "complaint_id": ids,
            "agency": resp["agency"],
            "unit": resp["unit"],
            "channel": channels(ids, org, comment),
            "subject": per_unique(kind, subject_text) if kind is not None else None,
            "detail": comment,
            "received_at": received,
            "forwarded_on": received.dt.normalize(),
            "resolved_on": resolved,
            "status": status,
            "has_evidence": photo_after.notna() if photo_after is not None else None,
            "reopen_count": reopen,
            "district": resp["district"],
            "other_agencies": resp["other_agencies"],
            "organization": org,
            "source_state": state,
            "location_district": location,
            "subdistrict": per_unique(g.get("subdistrict", blank), stripped),
            "address": nonempty(g["address"]) if "address" in g else None,
            "lon": lon,
            "lat": lat,
            "photo_url": photo_urls(g["photo"]) if "photo" in g else None,
            "photo_after_url": photo_after,
            "star": star,
            "last_activity_at": activity,
            "source_format": fmt,
            "source_file": src.name,
            "source_row": index.to_numpy(),
        }, index)
        return t[ids.notna().to_numpy()]

    frames = src.chunks(process)
    t = _concat(frames) if frames else finish_complaints({}, pd.Index([], name="row"))
    t, dups = _dedupe(t, src)
    not_in = set(_NOT_IN_DUMP)
    if not seen["subject"]:
        not_in.add("subject")
    if "comment" not in src.roles:
        not_in.add("detail")
    if not seen["real_activity"]:  # e.g. the GeoJSON export: last_activity is a copy of timestamp
        not_in.add("resolved_on")
    return Snapshot(path, fmt, t, empty_events(), src.rows_read, src.rejections(), src.problems,
                    frozenset(not_in), dups, src.name)


def _read_web(path: Path, src: CsvSource) -> Snapshot:

    def process(g: dict[str, pd.Series], index: pd.Index) -> tuple[pd.DataFrame, pd.DataFrame]:
        blank = pd.Series("", index=index)
        ids = _ids(g.get("ticket_id"), index, src)
        received, bad, bad_time = thai_datetimes(g.get("date", blank), g.get("time", blank))
        src.problem(bad, "date", "date_invalid", "อ่านวันที่แจ้งเรื่องไม่ได้", "cannot read the date", g.get("date"),
                    "error")
        src.problem(bad_time, "time", "date_invalid", "ไม่มีเวลาแจ้งเรื่องนี้ในหนึ่งวัน จึงไม่ใช้วันเวลาแจ้งเรื่อง",
                    "no such time of day; the report date and time are left empty", g.get("time"), "error")
        state = per_unique(strip_relative_age(g.get("status", blank)), stripped)
        status, unknown = map_states(state)
        src.problem(unknown, "status", "unknown_status", "สถานะไม่รู้จัก เก็บไว้ตามเดิม",
                    "unknown state, kept as is", state)
        event_state = per_unique(g.get("event_state", blank), stripped)
        event_at, bad, bad_time = thai_datetimes(g.get("event_date", blank), g.get("event_time", blank))
        src.problem(bad, "event_date", "date_invalid", "อ่านวันที่ของสถานะล่าสุดไม่ได้",
                    "cannot read the date of the latest event", g.get("event_date"))
        src.problem(bad_time, "event_time", "date_invalid", "ไม่มีเวลาของสถานะล่าสุดนี้ในหนึ่งวัน",
                    "no such time of day for the latest event; its date and time are left empty",
                    g.get("event_time"))
        event_status, unknown = map_states(event_state)
        src.problem(unknown, "event_state", "unknown_status", "สถานะไม่รู้จัก เก็บไว้ตามเดิม",
                    "unknown state, kept as is", event_state)
        took_events = _took_events(g.get("took"), ids, received, event_at, src)

        reopened = event_at.dt.normalize().where(event_state.eq(REOPEN_STATE).fillna(False))
        address = per_unique(g.get("address", blank), stripped)
        location = address.str.extract(r"เขต\s*(\S+)")[0].map(district_name, na_action="ignore")
        location = location.astype("string")
        org = per_unique(g.get("agency", blank), lambda u: u.strip().rstrip(",").strip() or None)
        resp = split_organizations(org, location)
        t = finish_complaints({
            "complaint_id": ids,
            "agency": resp["agency"],
            "unit": resp["unit"],
            "channel": channels(ids, org, None),
            "subject": per_unique(g.get("category", blank), stripped),
            "detail": nonempty(g["description"]) if "description" in g else None,
            "received_at": received,
            "forwarded_on": received.dt.normalize(),
            "status": status,
            "reopened_on": reopened,
            "district": resp["district"],
            "other_agencies": resp["other_agencies"],
            "organization": org,
            "source_state": state,
            "location_district": location,
            "subdistrict": address.str.extract(r"แขวง\s*(\S+)")[0].astype("string"),
            "address": address,
            "last_activity_at": event_at.where(event_at.notna(), received),
            "source_format": "traffy_web",
            "source_file": src.name,
            "source_row": index.to_numpy(),
        }, index)
        # the latest event, unless it is the report itself (same state within the report's minute)
        later = (event_at > received) | received.isna()
        has_event = (ids.notna() & event_state.notna() & event_at.notna() & (
            later | (event_state != state).fillna(True))).to_numpy(dtype=bool)
        latest = finish_events(pd.DataFrame({
            "complaint_id": ids[has_event],
            "state": event_state[has_event],
            "status": event_status[has_event],
            "at": event_at[has_event],
            "not_before": event_at[has_event],
            "not_after": event_at[has_event],
            "basis": "traffy_web_latest_event",
            "source_file": src.name,
            "source_row": index[has_event].to_numpy(),
        }))
        return t[ids.notna().to_numpy()], pd.concat([latest, took_events], ignore_index=True)

    parts = src.chunks(process)
    if parts:
        t = _concat([p[0] for p in parts])
        events = finish_events(pd.concat([p[1] for p in parts], ignore_index=True))
    else:
        t, events = finish_complaints({}, pd.Index([], name="row")), empty_events()
    t, dups = _dedupe(t, src)
    return Snapshot(path, "traffy_web", t, events, src.rows_read, src.rejections(), src.problems, _NOT_IN_WEB,
                    dups, src.name)


def _took_events(took: pd.Series | None, ids: pd.Series, received: pd.Series, event_at: pd.Series,
                 src: CsvSource) -> pd.DataFrame:
    """Read ``TakeTime`` against the report time and the latest event time.

    In the real scrape ``TakeTime`` equals "latest event − report" (truncated
    to the unit shown) on almost every row. Where it is shorter, it measures
    an earlier change whose state the scrape does not give: that change
    becomes an event with an unknown state, dated by the interval the
    truncated duration allows. A duration longer than the time to the latest
    event is inconsistent and reported.
    """
    if took is None:
        return empty_events()
    minutes, gran = parse_thai_duration(took)
    text = took.astype("string").str.strip()
    not_duration = (minutes.isna() & ~text.str.startswith("ใช้เวลา").fillna(False)
                    & ~text.isin(["", "รอรับเรื่อง"]))
    src.problem(not_duration, "took", "took_not_duration",
                "ช่อง TakeTime ไม่ใช่ระยะเวลา (ข้อความถูกเก็บผิดช่อง) ไม่ได้ใช้ค่านี้",
                "TakeTime is not a duration (the scraper stored other text there); ignored")
    elapsed = (event_at - received).dt.total_seconds() // 60
    has = (minutes.notna() & elapsed.notna() & ids.notna()).to_numpy(dtype=bool)
    m = minutes.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    g = gran.astype("Float64").to_numpy(dtype=float, na_value=np.nan)
    e = elapsed.to_numpy(dtype=float, na_value=np.nan)
    with np.errstate(invalid="ignore"):
        longer = has & (m - 1 > e)
        earlier = has & (m + g < e)
    src.problem(pd.Series(longer, index=took.index), "took", "took_mismatch",
                "ระยะเวลาใน TakeTime ยาวกว่าเวลาถึงสถานะล่าสุด",
                "TakeTime is longer than the time to the latest event", took)
    start = received[earlier] + pd.to_timedelta(m[earlier], unit="min")
    return finish_events(pd.DataFrame({
        "complaint_id": ids[earlier],
        "not_before": start,
        "not_after": start + pd.to_timedelta(g[earlier] + 1, unit="min"),
        "basis": "traffy_web_take_time",
        "source_file": src.name,
        "source_row": took.index[earlier].to_numpy(),
    }))
