"""Each canonical table's normalisation: :func:`~cplkpi.scoring.normalize.normalize` and then the checks
that need the whole table (duplicate ids and months, date order, the calendar's range, overrides that
conflict or change nothing).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from .calendar import calendar_settings, thai_calendar
from .normalize import Normalized, SheetProblems, normalize
from .schema import AUDIT_SAMPLE, CALENDAR_OVERRIDES, CLOSED_STATUSES, COMPLAINTS, MONTHLY_REPORTS, PROGRESS
from .thaidate import format_thai_date, format_thai_month

__all__ = [
    "normalize_audit_sample",
    "normalize_calendar_overrides",
    "normalize_complaints",
    "normalize_monthly_reports",
    "normalize_progress",
]



def _check_duplicates(norm: Normalized, ctx: SheetProblems, key: str = "complaint_id") -> None:
    ids = norm.table[key]
    dup = ids.notna() & ids.duplicated(keep="first")
    if dup.any():
        first_rows = ids[ids.notna()].reset_index().groupby(key)["row"].min()
        twice = ids[dup]
        for row, v in zip(twice.index, twice):
            ctx.add("duplicate_id", f"เลขที่เรื่องซ้ำ {v} (ซ้ำกับแถว {first_rows[v]})",
                    f"duplicate complaint id {v} (first at row {first_rows[v]})", int(row), key)


_ORDER_CHECKS = (
    # later column, earlier column, Thai, English
    ("acknowledged_on", "forwarded_on", "วันที่ตอบรับก่อนวันที่ศูนย์แจ้งเรื่อง", "acknowledged before forwarded"),
    ("first_progress_on", "acknowledged_on", "วันที่รายงานความก้าวหน้าก่อนวันที่ตอบรับ",
     "first progress report before acknowledgement"),
    ("resolved_on", "forwarded_on", "วันที่แล้วเสร็จก่อนวันที่ศูนย์แจ้งเรื่อง", "resolved before forwarded"),
    ("reopened_on", "forwarded_on", "วันที่ส่งเรื่องใหม่ก่อนวันที่ศูนย์แจ้งเรื่อง", "reopened before forwarded"),
)


#: Complaint dates that deadlines are computed from or compared with on the business-day calendar.
_CALENDAR_DATES = ("forwarded_on", "acknowledged_on", "first_progress_on", "resolved_on", "reopened_on")


def _calendar_span() -> tuple[np.datetime64, np.datetime64]:
    cfg = calendar_settings()
    return np.datetime64(f"{cfg['first_year']}-01-01"), np.datetime64(f"{cfg['last_year']}-12-31")


def _check_calendar_range(norm: Normalized, ctx: SheetProblems, columns: Sequence[str]) -> None:
    """Dates outside the years the calendar covers are errors (docs/decisions.md 1), not silent guesses: each one
    is reported with its cell and left empty."""
    first, last = _calendar_span()
    for name in columns:
        if name not in norm.columns:
            continue
        days = norm.table[name].to_numpy().astype("datetime64[D]")
        bad = ~np.isnat(days) & ((days < first) | (days > last))
        for row, d in zip(norm.table.index[bad], days[bad]):
            ctx.add("date_out_of_calendar",
                    f"วันที่ {format_thai_date(d)} อยู่นอกช่วงปฏิทินวันทำการที่รองรับ {format_thai_date(first)} – "
                    f"{format_thai_date(last)}: ตรวจปี พ.ศ./ค.ศ.",
                    f"date {d} is outside the covered business-day calendar {first} – {last}: check the "
                    "year (B.E./C.E.)", int(row), name)
        if bad.any():
            norm.table.loc[bad, name] = pd.NaT


def _check_required_values(norm: Normalized, ctx: SheetProblems, columns: Sequence[str]) -> None:
    """An empty cell in a required column of a row with content is an error (unless its cell already
    has a problem), so that no row silently drops out."""
    said = {(p.row, p.column) for p in (*norm.problems, *ctx.problems)}
    for name in columns:
        if name not in norm.columns:
            continue
        header = norm.columns[name][0]
        for row in norm.table.index[norm.table[name].isna()]:
            if (row, header) not in said:
                ctx.add("missing_value", f"ไม่มีค่าในคอลัมน์ที่จำเป็น: {header}",
                        f"empty cell in the required column {name}", int(row), name)


def normalize_complaints(
    raw: pd.DataFrame | Sequence[Sequence[Any]], sheet: str | None = "เรื่องร้องเรียน", *, first_row: int = 1
) -> Normalized:
    """Normalise a complaint sheet; checks ids, required values, date order and statuses."""
    norm = normalize(raw, COMPLAINTS, sheet, first_row=first_row)
    ctx = SheetProblems(sheet, norm.columns)
    t = norm.table
    if t.empty and not norm.problems:
        ctx.add("no_rows", "ไม่มีเรื่องร้องเรียนใต้หัวตาราง", "no complaint rows under the header",
                norm.header_row, None, "warning")
    _check_calendar_range(norm, ctx, _CALENDAR_DATES)
    if "complaint_id" in norm.columns:
        _check_duplicates(norm, ctx)
    if "forwarded_on" in norm.columns:
        header = norm.columns["forwarded_on"][0]
        said = {p.row for p in (*norm.problems, *ctx.problems) if p.column == header}
        for row in t.index[t["forwarded_on"].isna()]:
            if row not in said:
                ctx.add("missing_date", "ไม่มีวันที่ศูนย์แจ้งเรื่อง", "missing forwarding date", int(row), "forwarded_on")
    reopened = t["reopened_on"]
    for later, earlier, th, en in _ORDER_CHECKS:
        if later not in norm.columns or earlier not in norm.columns:
            continue
        a, b = t[later], t[earlier]
        bad = a.notna() & b.notna() & (a < b)
        if later in ("acknowledged_on", "first_progress_on"):
            bad &= ~(reopened.notna())  # a reopened complaint's dates belong to its new cycle
        for row in t.index[bad]:
            ctx.add("date_order", f"{th}: {format_thai_date(a[row])} < {format_thai_date(b[row])}",
                    f"{en}: {a[row]:%Y-%m-%d} < {b[row]:%Y-%m-%d}", int(row), later)
    if "status" in norm.columns and "resolved_on" in norm.columns:
        done = t["status"] == "completed"
        for row in t.index[done.fillna(False) & t["resolved_on"].isna()]:
            ctx.add("status_without_date", "สถานะเสร็จสิ้นแต่ไม่มีวันที่แล้วเสร็จ",
                    "status is completed but there is no resolution date", int(row), "resolved_on", "warning")
        closed = t["status"].isin(CLOSED_STATUSES)  # ไม่เกี่ยวข้อง is closed on a date too
        for row in t.index[~closed.fillna(False) & t["status"].notna() & t["resolved_on"].notna()]:
            ctx.add("date_without_status", "มีวันที่แล้วเสร็จแต่สถานะยังไม่เสร็จสิ้น",
                    "a resolution date is given but the status is not completed", int(row), "status", "warning")
    norm.problems.extend(ctx.problems)
    return norm


def normalize_progress(
    raw: pd.DataFrame | Sequence[Sequence[Any]],
    sheet: str | None = "รายงานความก้าวหน้า",
    *,
    complaint_ids: pd.Series | None = None,
    first_row: int = 1,
) -> Normalized:
    """Normalise a progress-report sheet; with ``complaint_ids``, reports unknown complaints."""
    norm = normalize(raw, PROGRESS, sheet, first_row=first_row)
    ctx = SheetProblems(sheet, norm.columns)
    t = norm.table
    reported = {p.row for p in norm.problems}
    for row in t.index[t["reported_on"].isna()]:
        if row not in reported:
            ctx.add("missing_date", "ไม่มีวันที่รายงาน", "missing report date", int(row), "reported_on")
    if complaint_ids is not None and "complaint_id" in norm.columns:
        ids = t["complaint_id"]
        unknown = ids.notna() & ~ids.isin(complaint_ids.dropna())
        strangers = ids[unknown]
        for row, v in zip(strangers.index, strangers):
            ctx.add("unknown_complaint", f"ไม่พบเลขที่เรื่อง {v} ในชีตเรื่องร้องเรียน",
                    f"complaint {v} is not in the complaint sheet", int(row), "complaint_id", "warning")
    norm.problems.extend(ctx.problems)
    return norm


def normalize_monthly_reports(
    raw: pd.DataFrame | Sequence[Sequence[Any]], sheet: str | None = "รายงานประจำเดือน", *, first_row: int = 1
) -> Normalized:
    """Normalise the Step-3 sheet: one row per month (per agency, when it names agencies) with the date
    the summary was sent."""
    norm = normalize(raw, MONTHLY_REPORTS, sheet, first_row=first_row)
    ctx = SheetProblems(sheet, norm.columns)
    _check_required_values(norm, ctx, ["month"])
    months = norm.table["month"]
    agencies = norm.table["agency"].astype("string").fillna("").str.split().str.join(" ")
    dup = months.notna() & pd.DataFrame({"a": agencies, "m": months}).duplicated(keep="first")
    repeated = months[dup]
    for row, m in zip(repeated.index, repeated):
        ctx.add("duplicate_month", f"เดือนซ้ำ {format_thai_month(m, long=True)}", f"duplicate month {m:%Y-%m}",
                int(row), "month")
    norm.problems.extend(ctx.problems)
    return norm


def normalize_audit_sample(
    raw: pd.DataFrame | Sequence[Sequence[Any]], sheet: str | None = "สุ่มตรวจ", *, first_row: int = 1
) -> Normalized:
    """Normalise an audit-sample sheet (month, complaint id, correct yes/no, comment)."""
    norm = normalize(raw, AUDIT_SAMPLE, sheet, first_row=first_row)
    ctx = SheetProblems(sheet, norm.columns)
    _check_required_values(norm, ctx, ["month"])
    norm.problems.extend(ctx.problems)
    return norm


def normalize_calendar_overrides(
    raw: pd.DataFrame | Sequence[Sequence[Any]], sheet: str | None = "ปฏิทิน", *, first_row: int = 1
) -> Normalized:
    """Normalise a workbook's calendar overrides (date, วันหยุด/วันทำงาน, note).

    A date listed both as a holiday and as a working day is an error (neither
    row is applied); a repeated row, an override that changes nothing and an
    extra working day on a Saturday or Sunday (which Excel's WORKDAY cannot
    express, so Excel formulas will differ from cplkpi) are warnings.
    """
    norm = normalize(raw, CALENDAR_OVERRIDES, sheet, first_row=first_row)
    ctx = SheetProblems(sheet, norm.columns)
    _check_required_values(norm, ctx, ["date"])
    _check_calendar_range(norm, ctx, ["date"])
    t = norm.table
    rows = t[t["date"].notna() & t["kind"].notna()]
    if rows.empty:
        norm.problems.extend(ctx.problems)
        return norm
    first_row_of: dict[Any, tuple[int, str]] = {}
    conflict = []
    for row, day, kind in zip(rows.index, rows["date"], rows["kind"]):
        seen = first_row_of.setdefault(day, (int(row), kind))
        if seen[0] == row:
            continue
        if seen[1] == kind:
            ctx.add("duplicate_override", f"วันที่ {format_thai_date(day)} ซ้ำกับแถว {seen[0]}",
                    f"date {day:%Y-%m-%d} repeats row {seen[0]}", int(row), "date", "warning")
        else:
            ctx.add("override_conflict",
                    f"วันที่ {format_thai_date(day)} เป็นทั้งวันหยุดและวันทำงาน (แถว {seen[0]} และแถว {row}): "
                    "ไม่ใช้ทั้งสองแถว ให้ลบแถวที่ผิด",
                    f"date {day:%Y-%m-%d} is both a holiday and a working day (rows {seen[0]} and {row}): "
                    "neither row is used; delete the wrong one", int(row), "date")
            conflict += [seen[0], int(row)]
    t.loc[conflict, "kind"] = pd.NA
    _check_override_effect(t.drop(index=conflict), ctx)
    norm.problems.extend(ctx.problems)
    return norm


def _check_override_effect(t: pd.DataFrame, ctx: SheetProblems) -> None:
    base = thai_calendar()
    first, last = _calendar_span()
    days = t["date"].to_numpy().astype("datetime64[D]")
    inside = ~np.isnat(days) & (days >= first) & (days <= last)
    for row, day, kind, ok in zip(t.index, days, t["kind"], inside):
        if pd.isna(kind) or not ok:
            continue
        weekend = int((day.astype(np.int64) + 3) % 7) + 1 in base.weekend  # ISO weekday
        shown = format_thai_date(day)
        if kind == "workday" and weekend:
            ctx.add("override_weekend_workday",
                    f"วันทำงานเพิ่ม {shown} เป็นวันเสาร์หรืออาทิตย์: cplkpi นับเป็นวันทำการ แต่สูตร WORKDAY/"
                    "NETWORKDAYS ของ Excel นับไม่ได้ ผลในเซลล์ Excel จึงอาจต่างจาก cplkpi",
                    f"extra working day {day} is a Saturday or Sunday: cplkpi counts it, but Excel's WORKDAY/"
                    "NETWORKDAYS cannot, so Excel formulas may differ from cplkpi", int(row), "date",
                    "warning")
        elif (kind == "holiday") != bool(base.is_workday(day)):
            what_th = "เป็นวันหยุดอยู่แล้ว" if kind == "holiday" else "เป็นวันทำการอยู่แล้ว"
            what_en = "is already a day off" if kind == "holiday" else "is already a working day"
            ctx.add("override_no_effect", f"{shown} {what_th} แถวนี้ไม่มีผล",
                    f"{day} {what_en}; this row changes nothing", int(row), "date", "warning")
