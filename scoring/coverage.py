"""Data coverage: when an imported snapshot was taken and which days its complaints cover.

A Traffy Fondue or MIS export is a snapshot: it holds the tickets of some days, as they
stood at one moment. Scoring it as if it were a whole fiscal year, as of the year end,
deducts for months the file never covered and makes every open ticket overdue. A workbook
written by ``cplkpi import`` therefore records its :class:`Coverage`; every command then
defaults its as-of date to the snapshot (:meth:`Coverage.default_as_of`), states the coverage
(:meth:`Coverage.text_th`) and treats months outside it as "no data" (:meth:`Coverage.has_data`).
"""

from __future__ import annotations

import datetime as _dt
from dataclasses import dataclass
from typing import Any

import pandas as pd

from .catalogue import bilingual
from .days import date_of, to_date
from .errors import ArgumentError
from .tables import header_key
from .thaidate import format_thai_date

__all__ = ["COVERAGE_LABELS", "COVERAGE_SHEET", "NO_DATA_TH", "Coverage", "format_thai_period"]

#: The sheet of an imported workbook that records its coverage (also read under its English name).
COVERAGE_SHEET = "ข้อมูลครอบคลุม"
COVERAGE_SHEET_NAMES = (COVERAGE_SHEET, "coverage")

#: What a month outside the data is called in reports and tables.
NO_DATA_TH = "ไม่มีข้อมูล"

#: The coverage items as a workbook records them: key → Thai (English) label, in sheet order
#: (``scoring/data/labels.toml``).
COVERAGE_LABELS: dict[str, str] = bilingual(__package__ or "cplkpi.scoring", "labels", "coverage")


def format_thai_period(start: Any, end: Any) -> str:
    """``11–13 พ.ค. 2566``; ``29 เม.ย. – 13 พ.ค. 2566``; ``29 ธ.ค. 2566 – 3 ม.ค. 2567``; one day as a date."""
    a, b = to_date(start), to_date(end)
    if a == b:
        return format_thai_date(a)
    if a is None or b is None:
        raise ArgumentError(f"ช่วงวันที่ต้องมีทั้งวันแรกและวันสุดท้าย (a period needs both ends), got {start!r}, {end!r}")
    (d1, m1, y1), (d2, m2, y2) = format_thai_date(a).split(" "), format_thai_date(b).split(" ")
    if (a.year, a.month) == (b.year, b.month):
        return f"{d1}–{d2} {m2} {y2}"
    if a.year == b.year:
        return f"{d1} {m1} – {d2} {m2} {y2}"
    return f"{d1} {m1} {y1} – {d2} {m2} {y2}"


@dataclass(frozen=True)
class Coverage:
    """The snapshot time of an import (Bangkok) and the first and last day its complaints cover."""

    snapshot_at: pd.Timestamp
    start: _dt.date
    end: _dt.date

    @classmethod
    def of(cls, received_at: pd.Series, snapshot_at: Any) -> Coverage | None:
        """The coverage of complaints reported at ``received_at`` in a snapshot taken at ``snapshot_at``:
        from the first report day to the snapshot day; None when either is unknown."""
        first = pd.to_datetime(received_at, errors="coerce").min() if len(received_at) else pd.NaT
        snap = pd.Timestamp(snapshot_at) if snapshot_at is not None else pd.NaT
        if pd.isna(first) or pd.isna(snap):
            return None
        return cls(snap, first.date(), max(snap.date(), first.date()))

    def text_th(self) -> str:
        """``ข้อมูลครอบคลุม 11–13 พ.ค. 2566 (ข้อมูล ณ 13 พ.ค. 2566 20:34 น.)`` as every summary states it."""
        return (f"ข้อมูลครอบคลุม {format_thai_period(self.start, self.end)} "
                f"(ข้อมูล ณ {format_thai_date(self.snapshot_at)} {self.snapshot_at:%H:%M} น.)")

    def text(self) -> str:
        """The Thai coverage line with its English beside it (console summaries)."""
        return f"{self.text_th()} (data covers {self.start:%Y-%m-%d} to {self.end:%Y-%m-%d})"

    def default_as_of(self, period_end: Any = None) -> _dt.date:
        """The as-of date when none is given: the snapshot day, never later than ``period_end``."""
        day = self.end
        return min(day, date_of(period_end)) if period_end is not None else day

    def has_data(self, month_start: Any) -> bool:
        """Whether the calendar month starting ``month_start`` overlaps the covered days."""
        m = date_of(month_start).replace(day=1)
        nxt = (m.replace(day=28) + _dt.timedelta(days=4)).replace(day=1)
        return m <= self.end and nxt > self.start

    def rows(self) -> list[tuple[str, Any]]:
        """(Thai label, value) rows as the coverage sheet of an imported workbook holds them."""
        return [(COVERAGE_LABELS["snapshot_at"], self.snapshot_at.to_pydatetime()),
                (COVERAGE_LABELS["start"], self.start), (COVERAGE_LABELS["end"], self.end)]

    @classmethod
    def from_rows(cls, rows: Any) -> Coverage | None:
        """Read :meth:`rows` back (label in column A, value in B; other rows ignored); None when incomplete."""
        keys = {header_key(label): key for key, label in COVERAGE_LABELS.items()}
        found: dict[str, Any] = {}
        for row in rows:
            if len(row) >= 2 and row[0] is not None and header_key(row[0]) in keys:
                found[keys[header_key(row[0])]] = row[1]
        try:
            snap = pd.Timestamp(found["snapshot_at"])
            start, end = to_date(found["start"]), to_date(found["end"])
        except (KeyError, TypeError, ValueError):
            return None
        if pd.isna(snap) or start is None or end is None:
            return None
        return cls(snap, start, end)
