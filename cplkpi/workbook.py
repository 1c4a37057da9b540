"""Reading a complaint workbook into the canonical tables.

A complaint workbook has a complaint sheet and, optionally, a progress-report
sheet, the Step-3 monthly-report sheet, an audit-sample sheet and a calendar
sheet of extra holidays/working days (names in ``scoring.tables.SHEETS``,
Thai or English). Values are read with python-calamine (fast, values only);
the source file is opened read-only and never written.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd

from cplkpi.scoring import thai_calendar
from cplkpi.scoring.calendar import Calendar
from cplkpi.scoring.errors import InputError, Problem
from cplkpi.scoring.rules import RuleSet
from cplkpi.scoring.scores import ScoreResult, score
from cplkpi.scoring.tables import (
    SHEETS,
    Normalized,
    _key,
    normalize_audit_sample,
    normalize_calendar_overrides,
    normalize_complaints,
    normalize_monthly_reports,
    normalize_progress,
)

__all__ = ["ComplaintWorkbook", "read_workbook", "from_sheets", "find_sheet"]


@dataclass
class ComplaintWorkbook:
    """The normalised tables of one workbook, with every problem found while reading."""

    complaints: Normalized
    progress: Normalized | None = None
    monthly_reports: Normalized | None = None
    audit_sample: Normalized | None = None
    calendar_overrides: Normalized | None = None
    path: Path | None = None
    extra_problems: list[Problem] = field(default_factory=list)

    @property
    def problems(self) -> list[Problem]:
        out = list(self.extra_problems)
        for part in (self.complaints, self.progress, self.monthly_reports, self.audit_sample,
                     self.calendar_overrides):
            if part is not None:
                out.extend(part.problems)
        return out

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_on_error(self) -> ComplaintWorkbook:
        if self.errors:
            raise InputError(self.errors)
        return self

    @property
    def agency(self) -> str | None:
        """The agency named in the complaint sheet (the most frequent value), if any."""
        col = self.complaints.table.get("agency")
        if col is None or col.dropna().empty:
            return None
        return str(col.dropna().mode().iloc[0])

    def calendar(self) -> Calendar:
        """The BMA calendar with this workbook's extra holidays and working days."""
        if self.calendar_overrides is None or self.calendar_overrides.table.empty:
            return thai_calendar()
        t = self.calendar_overrides.table
        hol = t.loc[t["kind"] == "holiday", "date"].dropna()
        work = t.loc[t["kind"] == "workday", "date"].dropna()
        return thai_calendar(hol.to_numpy(), work.to_numpy())

    def fiscal_years(self) -> list[int]:
        """Fiscal years (B.E.) that the complaints were forwarded in, ascending."""
        from cplkpi.scoring.thaidate import fiscal_year

        fy = fiscal_year(self.complaints.table["forwarded_on"].dropna())
        return sorted({int(x) for x in fy})

    def score(self, *, fiscal_year: int | None = None, rules: RuleSet | str = "bma-2557",
              as_of: Any = None, start: Any = None, end: Any = None) -> ScoreResult:
        """Score the workbook (default: its latest fiscal year)."""
        if fiscal_year is None and start is None:
            years = self.fiscal_years()
            if not years:
                raise InputError([Problem("no_rows", "ไม่มีเรื่องร้องเรียนที่มีวันที่ศูนย์แจ้งเรื่อง",
                                          "no complaint with a forwarding date", self.complaints.sheet)])
            fiscal_year = years[-1]
        return score(
            self.complaints.table,
            self.progress.table if self.progress is not None else None,
            self.monthly_reports.table if self.monthly_reports is not None else None,
            self.audit_sample.table if self.audit_sample is not None else None,
            rules=rules, fiscal_year=fiscal_year, start=start, end=end, as_of=as_of,
            calendar=self.calendar(),
        )


def find_sheet(names: Sequence[str], key: str) -> str | None:
    """The workbook's sheet name for a canonical sheet key (``complaints``, ``progress``, …)."""
    wanted = {_key(a) for a in SHEETS[key][1]}
    for name in names:
        if _key(name) in wanted:
            return name
    return None


_NORMALIZERS: dict[str, Callable[..., Normalized]] = {
    "monthly_reports": normalize_monthly_reports,
    "audit_sample": normalize_audit_sample,
    "calendar_overrides": normalize_calendar_overrides,
}


def from_sheets(sheets: Mapping[str, Sequence[Sequence[Any]]], path: Path | None = None) -> ComplaintWorkbook:
    """Build a :class:`ComplaintWorkbook` from rows per sheet name (rows start at Excel row 1).

    This is the door for every reader: calamine on a file, openpyxl, or an
    xlwings ``Book`` in Excel.
    """
    names = list(sheets)
    comp_name = find_sheet(names, "complaints")
    if comp_name is None:
        if len(names) == 1:
            comp_name = names[0]
        else:
            expected = " / ".join(SHEETS["complaints"][1])
            raise InputError([Problem(
                "missing_sheet", f"ไม่พบชีตเรื่องร้องเรียน (ตั้งชื่อชีตว่า {expected})",
                f"no complaint sheet (name it {expected}); sheets found: {', '.join(names)}")])
    complaints = normalize_complaints(sheets[comp_name], comp_name)
    book = ComplaintWorkbook(complaints, path=path)
    prog_name = find_sheet(names, "progress")
    if prog_name is not None:
        book.progress = normalize_progress(sheets[prog_name], prog_name,
                                           complaint_ids=complaints.table["complaint_id"])
    for attr, key in (("monthly_reports", "monthly_reports"), ("audit_sample", "audit_sample"),
                      ("calendar_overrides", "calendar")):
        name = find_sheet(names, key)
        if name is not None:
            setattr(book, attr, _NORMALIZERS[attr](sheets[name], name))
    return book


def read_workbook(path: str | Path) -> ComplaintWorkbook:
    """Read a complaint workbook (.xlsx/.xlsm) from disk, values only, read-only."""
    from python_calamine import CalamineWorkbook

    from cplkpi.guard import check_workbook_file

    path = Path(path)
    check_workbook_file(path)
    wb = CalamineWorkbook.from_path(str(path))
    wanted = {find_sheet(wb.sheet_names, k) for k in SHEETS}
    sheets = {}
    for name in wb.sheet_names:
        if name in wanted or len(wb.sheet_names) == 1:
            sheets[name] = wb.get_sheet_by_name(name).to_python(skip_empty_area=False)
    return from_sheets(sheets, path)


def as_date(value: Any) -> _dt.date | None:  # pragma: no cover - tiny re-export for callers
    from cplkpi.scoring.days import to_date

    return to_date(value)
