"""Progress texts read into periods: the monthly project-progress form (docs/reports.md).

:func:`parse_progress_text` reads one progress line ("จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 1 ตุลาคม - 31 ตุลาคม 2562 จำนวน 91 เรื่อง ...")
into a :class:`~.validate_periods.PeriodFigures`, :func:`parse_progress_form` every report of a form;
:data:`PROGRESS_COUNT` matches every count a progress text states.
"""

from __future__ import annotations

import datetime as _dt
import re
from typing import Any

from cplkpi.scoring.thaidate import BE_OFFSET, DateParseError, parse_date

from .validate_periods import PeriodFigures

__all__ = [
    "PROGRESS_COUNT",
    "PROGRESS_UNIT",
    "parse_progress_form",
    "parse_progress_text",
]

_NUM = r"(\d[\d,]*)"
#: the unit after a count: เรื่อง or รายการ
PROGRESS_UNIT = r"\s*(?:เรื่อง|รายการ)"
_DONE_WORDS, _OPEN_WORDS = r"เสร็จ|แล้วเสร็จ", r"กำลังดำเนินการ|ระหว่างดำเนินการ|ค้าง|คงเหลือ|เหลือ"


def _after(words: str, other: str) -> re.Pattern[str]:
    """A count after one of ``words``, with a few filler words between (ไปแล้ว, อยู่, จำนวน), none of ``other``."""
    return re.compile(rf"(?:{words})(?:(?!{other})\D){{0,16}}?" + _NUM + PROGRESS_UNIT)


_RECEIVED = re.compile(r"(?:จำนวน|ทั้งหมด)\s*" + _NUM + PROGRESS_UNIT)
_COMPLETED = _after(_DONE_WORDS, _OPEN_WORDS)
_PENDING = _after(_OPEN_WORDS, _DONE_WORDS)
#: every count a progress text states (what the three readers above must account for)
PROGRESS_COUNT = re.compile(r"\d[\d,]*" + PROGRESS_UNIT)
_RANGE = re.compile(r"(?:ตั้งแต่(?:วันที่)?\s*)?(\d{1,2}(?:\s*[^\d\s-]+\.?(?:\s*\d{2,4})?)?)\s*-\s*"
                    r"(\d{1,2}\s*[^\d\s-]+(?:\s*\d{2,4})?)(?=\s*(?:จำนวน|ทั้งหมด))")
_REPORT = re.compile(r"รายงานครั้งที่\s*(\d+)\s*(?:<p>)?\s*::\s*(\d{1,2}/\d{1,2}/\d{4})\s*:\s*(.*?)(?:\s*::|</p>|$)")


def _num(m: re.Match[str] | None) -> float | None:
    return float(m[1].replace(",", "")) if m else None


def parse_progress_text(text: str, reported_on: Any = None, label: str | None = None) -> PeriodFigures:
    """A line of the monthly project-progress form → period and counts.

    Reads "จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 1 ตุลาคม - 31 ตุลาคม 2562 จำนวน 91 เรื่อง
    ดำเนินการเสร็จสิ้นแล้ว 71 เรื่อง กำลังดำเนินการ 20 เรื่อง" and its variants (``1 - 30
    มีนาคม 2563``, ``27 พ.ค. 63 - 26 มิ.ย. 63``, done written เสร็จสิ้นไปแล้ว / แก้ไขแล้วเสร็จ, pending
    written กำลังดำเนินการอยู่ / ค้าง / ระหว่างดำเนินการ / คงเหลือ, counts in เรื่อง or รายการ).
    A date without a year takes the year of ``reported_on`` (the year before
    when the period would otherwise end after the report); what cannot be
    read is None (a period without dates is reported by :func:`check_periods`).
    """
    start = end = None
    m = _RANGE.search(text)
    rest = text
    if m:
        rest = text[m.end():]
        try:
            reported = parse_date(reported_on)
        except DateParseError:  # an impossible report date (31/2/2563): the text's own years only
            reported = None
        start, end = _parse_range(m[1].strip(), m[2].strip(), reported)
    return PeriodFigures(
        label=label or text[:40], start=start, end=end,
        received=_num(_RECEIVED.search(rest)), completed=_num(_COMPLETED.search(rest)),
        in_progress=_num(_PENDING.search(rest)),
    )


def _parse_range(left: str, right: str, reported_on: _dt.date | None) -> tuple[_dt.date | None, _dt.date | None]:
    """The dates of ``left - right``; a side without a year takes the year that puts it before the other
    (and the end on or before ``reported_on``). A day its month does not have leaves that side None."""

    def read(text: str, year: int | None = None) -> _dt.date | None:
        try:
            return parse_date(text if year is None else f"{text} {year + BE_OFFSET}")
        except DateParseError:
            return None

    end = read(right)
    if end is None and reported_on is not None:
        # the report's year, or the year before when that would end after the report was written
        end = read(right, reported_on.year)
        if end is None or end > reported_on:
            end = read(right, reported_on.year - 1) or end
    if end is None:
        return None, None
    if left.isdigit():  # "1 - 30 พฤศจิกายน 2562": the end's month
        try:
            return end.replace(day=int(left)), end
        except ValueError:  # a day the month does not have
            return None, end
    start = read(left)
    if start is None:
        start = read(left, end.year)
        if start is None or start > end:
            start = read(left, end.year - 1)
    return start, end


def parse_progress_form(text: str) -> list[PeriodFigures]:
    """Every ``รายงานครั้งที่ n :: d/m/yyyy : …`` report of a project-progress form, in order."""
    out = []
    for m in _REPORT.finditer(text):
        p = parse_progress_text(m[3], m[2], label=f"รายงานครั้งที่ {m[1]} ({m[2]})")
        if any(v is not None for v in (p.received, p.completed, p.in_progress)):
            out.append(p)
    return out
