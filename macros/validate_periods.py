"""The layout-free core of the report validator: periods and their counts.

A :class:`PeriodFigures` is one period's figures as a report or a progress form states them, with the
cell of each value. :func:`check_counts` finds counts that do not add up (received ≠ completed + in
progress); :func:`check_periods` also finds periods missing or reversed, figures after the report's end,
gaps and overlaps between periods, and a month's figures copied from another.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from cplkpi.scoring.percent import percent
from cplkpi.scoring.thaidate import format_thai_date

from .findings import Finding

__all__ = [
    "PeriodFigures",
    "check_counts",
    "check_periods",
]


@dataclass(frozen=True)
class PeriodFigures:
    """A reported period and its counts, with where each value sits (field → cell, e.g. ``received`` → ``E13``)."""

    label: str
    start: _dt.date | None
    end: _dt.date | None
    received: float | None
    completed: float | None
    in_progress: float | None
    completed_pct: float | None = None
    sheet: str | None = None
    cells: dict[str, str] = field(default_factory=dict)

    def cell(self, key: str) -> str | None:
        return self.cells.get(key) or self.cells.get("row") or (None if self.sheet else self.label)


def day_text(day: _dt.date | None) -> str:
    return format_thai_date(day) if day else "-"


def figure_text(x: float | None) -> str:
    if x is None:
        return "-"
    return f"{int(x):,}" if float(x).is_integer() else f"{x:g}"


def same_figure(a: float | None, b: float | None, tol: float = 1e-9) -> bool:
    if a is None or b is None:
        return a is None and b is None
    return abs(float(a) - float(b)) <= tol


def check_counts(p: PeriodFigures, report: str | None = None) -> list[Finding]:
    """Received = completed + in progress, and the completion % consistent with the counts."""
    out = []
    received, completed, in_progress = p.received, p.completed, p.in_progress
    if received is not None and completed is not None and in_progress is not None \
            and not same_figure(received, completed + in_progress):
        total = completed + in_progress
        out.append(Finding(
            "counts_mismatch", p.sheet, p.cell("received"),
            f"{p.label}: รับเรื่อง {figure_text(p.received)} เรื่อง แต่เสร็จสิ้น {figure_text(p.completed)} + กำลังดำเนินการ "
            f"{figure_text(p.in_progress)} = {figure_text(total)} เรื่อง (ต่างกัน {figure_text(received - total)})",
            f"{p.label}: received {figure_text(p.received)} but completed {figure_text(p.completed)} + in progress "
            f"{figure_text(p.in_progress)} = {figure_text(total)}", report=report))
    if p.completed_pct is not None and p.received is not None and p.completed is not None and p.received >= 0:
        expected = percent(int(p.completed), int(p.received)) if float(p.received).is_integer() and \
            float(p.completed).is_integer() else None
        if expected is not None and not same_figure(p.completed_pct, expected, 1e-6):
            out.append(Finding(
                "pct_mismatch", p.sheet, p.cell("completed_pct"),
                f"{p.label}: ร้อยละเสร็จสิ้น {p.completed_pct} แต่ {figure_text(p.completed)}×100/{figure_text(p.received)} = {expected:.2f}",
                f"{p.label}: completed % is {p.completed_pct}, but {figure_text(p.completed)}*100/{figure_text(p.received)} = "
                f"{expected:.2f}", report=report))
    return out


def check_periods(
    periods: Sequence[PeriodFigures],
    *,
    report: str | None = None,
    expected_start: _dt.date | None = None,
    expected_end: _dt.date | None = None,
) -> list[Finding]:
    """Counts, periods (missing, reversed, gaps, overlaps) and copied figures of consecutive periods.

    ``periods`` are in reporting order. ``expected_start``/``expected_end``
    (e.g. the fiscal year's first day and the report's last day) turn a
    period that starts late or stops early into a gap.
    """
    out: list[Finding] = []
    for p in periods:
        out += check_counts(p, report)
        if p.start is None or p.end is None:
            out.append(Finding("period_missing", p.sheet, p.cell("start"),
                               f"{p.label}: ไม่ระบุช่วงวันที่ของตัวเลข ตรวจความต่อเนื่องไม่ได้",
                               f"{p.label}: no period given for the figures; continuity cannot be checked",
                               report=report))
        elif p.start > p.end:
            out.append(Finding("period_reversed", p.sheet, p.cell("start"),
                               f"{p.label}: เริ่ม {day_text(p.start)} หลังวันสิ้นสุด {day_text(p.end)}",
                               f"{p.label}: starts {p.start} after its end {p.end}", report=report))
        if expected_end is not None and p.start is not None and p.start > expected_end and p.received:
            out.append(Finding("period_outside", p.sheet, p.cell("received"),
                               f"{p.label}: มีตัวเลขของช่วงหลังวันสิ้นสุดรายงาน {day_text(expected_end)}",
                               f"{p.label}: figures for a period after the report's end {expected_end}",
                               report=report))

    dated = [p for p in periods if p.start is not None and p.end is not None and p.start <= p.end]
    if expected_start is not None and dated and _span(dated[0])[0] > expected_start and periods[0] is dated[0]:
        first = dated[0]
        out.append(_gap(None, first, expected_start, _span(first)[0] - _dt.timedelta(days=1), report))
    for prev, cur, between in _consecutive(periods):
        if between:
            continue  # a period without dates lies between them: already reported as missing
        (_, prev_end), (cur_start, cur_end) = _span(prev), _span(cur)
        if cur_start > prev_end + _dt.timedelta(days=1):
            out.append(_gap(prev, cur, prev_end + _dt.timedelta(days=1), cur_start - _dt.timedelta(days=1), report))
        elif cur_start <= prev_end:
            last = min(prev_end, cur_end)
            out.append(Finding(
                "period_overlap", cur.sheet, cur.cell("start"),
                f"{cur.label} ({day_text(cur.start)} – {day_text(cur.end)}) ซ้อนทับกับ {prev.label} ({day_text(prev.start)} – "
                f"{day_text(prev.end)}) ช่วง {day_text(cur.start)} – {day_text(last)} ถูกนับสองครั้ง",
                f"{cur.label} ({cur.start} – {cur.end}) overlaps {prev.label} ({prev.start} – {prev.end}): "
                f"{cur.start} – {last} counted twice", report=report))
    if expected_end is not None and dated:
        latest = max((p for p in dated if _span(p)[0] <= expected_end), key=lambda p: _span(p)[1], default=None)
        if latest is not None and _span(latest)[1] < expected_end and periods[-1] is latest:
            out.append(_gap(latest, None, _span(latest)[1] + _dt.timedelta(days=1), expected_end, report))

    seen: list[PeriodFigures] = []
    for p in periods:
        figures = (p.received, p.completed, p.in_progress)
        if p.received and None not in figures:
            for q in seen:
                if (q.received, q.completed, q.in_progress) == figures:
                    same_period = (q.start, q.end) == (p.start, p.end)
                    out.append(Finding(
                        "month_copied", p.sheet, p.cell("received"),
                        f"{p.label}: ตัวเลข (รับ {figure_text(p.received)} เสร็จสิ้น {figure_text(p.completed)} กำลังดำเนินการ "
                        f"{figure_text(p.in_progress)}) ซ้ำกับ {q.label}"
                        + (" และช่วงวันที่เดียวกัน: คัดลอกรายงานเดิมมา" if same_period else " อาจคัดลอกมา"),
                        f"{p.label}: figures (received {figure_text(p.received)}, completed {figure_text(p.completed)}, in progress "
                        f"{figure_text(p.in_progress)}) equal {q.label}'s"
                        + (" with the same period: a copy of the earlier report" if same_period else ""),
                        "error" if same_period else "warning", report=report))
                    break
            seen.append(p)
    return out


def _span(p: PeriodFigures) -> tuple[_dt.date, _dt.date]:
    """Start and end of a period known to be dated."""
    if p.start is None or p.end is None:
        raise ValueError(f"{p.label}: a period without start or end date")
    return p.start, p.end


def _consecutive(periods: Sequence[PeriodFigures]) -> Iterable[tuple[PeriodFigures, PeriodFigures, bool]]:
    """Pairs of dated periods in order, and whether an undated period lies between them."""
    prev, between = None, False
    for p in periods:
        if p.start is None or p.end is None or p.start > p.end:
            between = between or prev is not None
            continue
        if prev is not None:
            yield prev, p, between
        prev, between = p, False


def _gap(prev: PeriodFigures | None, cur: PeriodFigures | None, first: _dt.date, last: _dt.date,
         report: str | None) -> Finding:
    at = cur or prev
    assert at is not None
    days = (last - first).days + 1
    after = f"หลัง {prev.label} " if prev else "ตั้งแต่ต้นช่วง "
    before = f"ก่อน {cur.label}" if cur else "ถึงวันสิ้นสุดรายงาน"
    return Finding(
        "period_gap", at.sheet, at.cell("start" if cur else "end"),
        f"ช่วงวันที่ {day_text(first)} – {day_text(last)} ({days} วัน) ไม่มีรายงานใดครอบคลุม ({after}{before})",
        f"{first} – {last} ({days} day{'s' if days != 1 else ''}) covered by no period "
        f"({'after ' + prev.label if prev else 'from the start'}, {'before ' + cur.label if cur else 'to the end'})",
        report=report)
