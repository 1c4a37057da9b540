"""Daily monitoring (docs/decisions.md 17): which complaints are overdue or due soon as of a date."""

from __future__ import annotations

from typing import Any

import pandas as pd

from .calendar import Calendar, thai_calendar
from .days import to_date
from .deadlines import PHASE_LABELS, status_as_of
from .evaluate import evaluate_complaints
from .rules import DEFAULT_RULES, RuleSet, load_rules
from .tables import ACKNOWLEDGED_STATUSES, STATUSES

__all__ = ["ACK_WITHOUT_DATE_TH", "SOURCE_STATE_COLUMNS", "monitor", "phase_th", "source_status"]

#: The note of an open complaint whose source state proves the acknowledgement but gives no date.
ACK_WITHOUT_DATE_TH = "ตอบรับแล้วตามต้นทาง ไม่มีวันที่"  # acknowledged per the source, no date

#: The column of an import that keeps the state as the source wrote it: its name in the importer's
#: table and its Thai header in the written workbook (``cplkpi.importers.snapshot.EXTRA_COLUMNS``).
SOURCE_STATE_COLUMNS = ("source_state", "สถานะตามต้นทาง")


def monitor(
    complaints: pd.DataFrame,
    progress: pd.DataFrame | None = None,
    *,
    as_of: Any,
    rules: RuleSet | str = DEFAULT_RULES,
    calendar: Calendar | None = None,
    open_only: bool = True,
) -> pd.DataFrame:
    """Status of each complaint as of ``as_of`` (done / overdue / due_soon / on_time).

    A complaint whose own status is closed (:data:`~cplkpi.scoring.tables.CLOSED_STATUSES`:
    เสร็จสิ้น, ไม่เกี่ยวข้อง) is done even when the source gave no closing date (the evaluation counts
    it as resolved by the as-of date, as the reports' counts do).

    An open complaint without an acknowledgement date whose own status proves it was acknowledged
    (:data:`~cplkpi.scoring.tables.ACKNOWLEDGED_STATUSES`: กำลังดำเนินการ, จัดซื้อจัดจ้าง …) waits for its
    first progress report, not for an acknowledgement; its ``note_th`` says so
    (:data:`ACK_WITHOUT_DATE_TH`). Its score still counts the acknowledgement as not on time (no date).

    Returns the complaint id, subject and unit when present, the complaint's own status as the
    source wrote it (``source_status``, Thai; empty when the table has none), the cycle start,
    the last progress report, the phase (ack / progress / followup), the
    deadline concerned, business days open, the Thai/English status and ``note_th`` (empty, or
    :data:`ACK_WITHOUT_DATE_TH`); with ``open_only`` only complaints not done,
    most urgent first (overdue, then due soon, earliest deadline first).
    """
    rules = load_rules(rules)
    cal = calendar or thai_calendar()
    as_of = to_date(as_of)
    known = complaints[complaints["forwarded_on"].notna() & (complaints["forwarded_on"] <= pd.Timestamp(as_of))]
    ev = evaluate_complaints(known, progress, as_of=as_of, rules=rules, calendar=cal)
    status = (known["status"] if "status" in known else pd.Series(pd.NA, index=known.index, dtype="string"))
    acked = status.reindex(ev.index).isin(ACKNOWLEDGED_STATUSES).to_numpy(dtype=bool)
    st = status_as_of(ev["start_on"], ev["acknowledged_on"], ev["last_report_on"], ev["resolved_on"], as_of,
                      rules=rules, calendar=cal, acknowledged_by_status=acked)
    st.index = ev.index
    without_date = acked & ev["acknowledged_on"].isna().to_numpy() & (st["status"] != "done").to_numpy()
    note = pd.Series(None, index=ev.index, dtype="string")
    note[without_date] = ACK_WITHOUT_DATE_TH
    st["note_th"] = note
    out = pd.DataFrame({"complaint_id": ev["complaint_id"]}, index=ev.index)
    for col in ("subject", "unit"):
        if col in known:
            out[col] = known[col]
    out["source_status"] = source_status(known)
    out["start_on"] = ev["start_on"]
    out["last_report_on"] = ev["last_report_on"]
    out["business_days_open"] = cal.networkdays(ev["start_on"].to_numpy(), as_of)
    out = pd.concat([out, st], axis=1)
    if open_only:
        out = out[out["status"] != "done"]
    order = out["status"].map({"overdue": 0, "due_soon": 1, "on_time": 2, "done": 3})
    return out.assign(_o=order).sort_values(["_o", "due", "complaint_id"]).drop(columns="_o")


def source_status(complaints: pd.DataFrame) -> pd.Series:
    """Each complaint's own status as a person reads it: the state as the source wrote it
    (``source_state`` of an import), else the Thai label of the canonical code, else the text as
    given; missing (``pd.NA``) when the table holds no status."""
    status = complaints["status"].astype("string") if "status" in complaints else pd.Series(
        pd.NA, index=complaints.index, dtype="string")
    label = status.map(STATUSES).astype("string").fillna(status)
    for col in SOURCE_STATE_COLUMNS:
        if col in complaints:
            text = complaints[col].astype("string").str.strip()
            label = text.mask(text == "").fillna(label)
    return label


def phase_th(table: pd.DataFrame) -> pd.Series:
    """What each listed complaint waits for, in Thai, as the work lists print it (console, the overdue file
    and sheet, CPL_R001): the phase's label, with the row's ``note_th`` in parentheses when it has one."""
    label = table["phase"].map({code: th for code, (th, _) in PHASE_LABELS.items()}).astype("string").fillna("")
    note = table["note_th"].astype("string") if "note_th" in table else pd.Series(pd.NA, index=table.index)
    return label.where(note.isna(), label + " (" + note.fillna("") + ")")
