"""Reading a complaint workbook into the canonical tables.

A complaint workbook has a complaint sheet and, optionally, a progress-report
sheet, the Step-3 monthly-report sheet, an audit-sample sheet and a calendar
sheet of extra holidays/working days (names in ``scoring.tables.SHEETS``,
Thai or English). Values are read with python-calamine (fast, values only);
the source file is opened read-only and never written.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import os
import re
import textwrap
import zipfile
from collections.abc import Callable, Collection, Mapping, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, cast

import pandas as pd
from openpyxl import load_workbook
from openpyxl.workbook.workbook import Workbook

from cplkpi.guard import check_workbook_file, csv_rows, reading
from cplkpi.importers.agencies import district_name, district_office
from cplkpi.ooxml.parts import sheet_parts
from cplkpi.ooxml.scan import DATE1904, SheetScan, scan_sheet, small_numbers
from cplkpi.scoring import thai_calendar
from cplkpi.scoring.calendar import Calendar
from cplkpi.scoring.coverage import COVERAGE_SHEET_NAMES, Coverage
from cplkpi.scoring.errors import CplError, InputError, Problem, column_letter
from cplkpi.scoring.rules import DEFAULT_RULES, RuleSet
from cplkpi.scoring.scores import ScoreResult, score
from cplkpi.scoring.stakes import Stakes, points_at_stake
from cplkpi.scoring.tables import (
    SHEETS,
    ExcelError,
    Normalized,
    header_key,
    normalize_audit_sample,
    normalize_calendar_overrides,
    normalize_complaints,
    normalize_monthly_reports,
    normalize_progress,
)
from cplkpi.scoring.thaidate import date_system_1904, fiscal_year, fiscal_year_range

__all__ = [
    "NO_AGENCY",
    "AgencyChoiceError",
    "ComplaintWorkbook",
    "agency_file_part",
    "agency_key",
    "agency_list_text",
    "choose_sheets",
    "coverage_sheet",
    "csv_rows",
    "find_sheet",
    "from_sheets",
    "one_agency",
    "read_csv",
    "read_workbook",
]


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
    #: the agency chosen with :meth:`for_agency` (its canonical name), None for the whole workbook
    chosen_agency: str | None = None
    #: snapshot time and covered days of an imported workbook (its ``ข้อมูลครอบคลุม`` sheet), else None
    coverage: Coverage | None = None

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
        """The agency chosen with :meth:`for_agency`, else the one named in the complaint sheet (the most
        frequent value), if any."""
        if self.chosen_agency is not None:
            return self.chosen_agency
        col = self.complaints.table.get("agency")
        if col is None or col.dropna().empty:
            return None
        return str(col.dropna().mode().iloc[0])

    def agency_keys(self) -> pd.Series:
        """The canonical agency (:func:`agency_key`) of each complaint row, "" where none is named."""
        return _agency_keys(self.complaints.table)

    def agency_counts(self) -> dict[str, int]:
        """Complaints per agency named in the complaint sheet (canonical names), most first, then by name;
        rows without an agency are not counted."""
        keys = self.agency_keys()
        counts = keys[keys != ""].value_counts()
        return dict(sorted(((str(k), int(n)) for k, n in counts.items()), key=lambda kv: (-kv[1], kv[0])))

    def for_agency(self, name: str) -> ComplaintWorkbook:
        """This workbook narrowed to one agency, named as staff write it (``เขตสาทร``, ``สำนักงานเขต สาทร``).

        Kept: that agency's complaints, their progress reports, its monthly-report and audit-sample rows
        (and rows naming no agency there), the calendar, and the problems not found in another agency's
        rows. Rows naming no agency stay only when the workbook names no other agency. Raises
        :class:`AgencyChoiceError` listing the agencies when none matches ``name``.
        """
        key = agency_key(name)
        counts = self.agency_counts()
        if not key:
            raise AgencyChoiceError(counts, "ชื่อหน่วยงานว่าง", "the agency name is empty")
        if not counts:  # an agency's own workbook without an agency column: the name labels it
            return replace(self, chosen_agency=key)
        if key not in counts:
            raise AgencyChoiceError(counts, f"ไม่พบหน่วยงาน {name.strip()} ในไฟล์",
                                    f"no complaint of agency {name.strip()!r} in the file")
        keys = self.agency_keys()
        keep = (keys == key) | ((keys == "") & (len(counts) == 1))
        book = replace(self, complaints=_narrowed(self.complaints, keep), chosen_agency=key)
        ids = book.complaints.table["complaint_id"]
        if self.progress is not None:
            book.progress = _narrowed(self.progress, self.progress.table["complaint_id"].isin(ids))
        for attr in ("monthly_reports", "audit_sample"):
            part = getattr(self, attr)
            if part is not None:
                k = _agency_keys(part.table)
                setattr(book, attr, _narrowed(part, (k == key) | (k == "")))
        return book

    def by_agency(self) -> list[ComplaintWorkbook]:
        """One workbook per agency named in the complaint sheet (most complaints first); the whole
        workbook when it names none."""
        counts = self.agency_counts()
        return [self.for_agency(a) for a in counts] if counts else [self]

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
        fy = fiscal_year(self.complaints.table["forwarded_on"].dropna())
        return sorted({int(x) for x in fy})

    def score(self, *, fiscal_year: int | None = None, rules: RuleSet | str = DEFAULT_RULES,
              as_of: Any = None, start: Any = None, end: Any = None) -> ScoreResult:
        """Score the workbook (default: its latest fiscal year).

        For an imported workbook (:attr:`coverage`) ``as_of`` defaults to the snapshot day (never
        after the period end) and months outside the covered days count as "no data", not missing.
        """
        if fiscal_year is None and start is None:
            years = self.fiscal_years()
            if not years:
                raise InputError([Problem("no_rows", "ไม่มีเรื่องร้องเรียนที่มีวันที่ศูนย์แจ้งเรื่อง",
                                          "no complaint with a forwarding date", self.complaints.sheet)])
            fiscal_year = years[-1]
        if as_of is None and self.coverage is not None:
            period_end = end if end is not None else (
                fiscal_year_range(fiscal_year)[1] if fiscal_year is not None else None)
            as_of = self.coverage.default_as_of(period_end)
        return score(
            self.complaints.table,
            self.progress.table if self.progress is not None else None,
            self.monthly_reports.table if self.monthly_reports is not None else None,
            self.audit_sample.table if self.audit_sample is not None else None,
            rules=rules, fiscal_year=fiscal_year, start=start, end=end, as_of=as_of,
            calendar=self.calendar(), coverage=self.coverage,
        )

    def points_at_stake(self, today: Any, *, rules: RuleSet | str = DEFAULT_RULES,
                        statuses: tuple[str, ...] = ("overdue", "due_soon")) -> Stakes:
        """The complaints the monitor lists with ``statuses`` as of ``today``, with the fiscal-year points at
        stake in each one's next action and the projected totals (:func:`cplkpi.scoring.stakes.points_at_stake`);
        the fiscal year is today's."""
        return points_at_stake(
            self.complaints.table,
            self.progress.table if self.progress is not None else None,
            self.monthly_reports.table if self.monthly_reports is not None else None,
            self.audit_sample.table if self.audit_sample is not None else None,
            today=today, fiscal_year=int(fiscal_year(today)), rules=rules, calendar=self.calendar(),
            coverage=self.coverage, statuses=statuses,
        )


def coverage_sheet(names: Sequence[str]) -> str | None:
    """The sheet that records an import's coverage (``ข้อมูลครอบคลุม``), if the workbook has one."""
    wanted = {header_key(n) for n in COVERAGE_SHEET_NAMES}
    return next((n for n in names if header_key(n) in wanted), None)


def agency_key(name: object) -> str:
    """The name an agency is matched by: a Bangkok district office however staff write it (``เขตสาทร``,
    ``สำนักงานเขต สาทร``, ``สาทร``) is ``สำนักงานเขตสาทร``; any other agency is its name with spaces
    collapsed; "" for no name."""
    if name is None or (not isinstance(name, str) and pd.isna(cast(Any, name))):  # stubs: scalars only
        return ""
    text = " ".join(str(name).split())
    district = district_name(text)
    return district_office(district) if district else text


def _narrowed(part: Normalized, keep: pd.Series) -> Normalized:
    """``part`` with the rows ``keep`` (a mask on its table) and the problems not found in other rows."""
    others = set(part.table.index[~keep.to_numpy()])
    return replace(part, table=part.table[keep.to_numpy()],
                   problems=[p for p in part.problems if p.row is None or p.row not in others])


def _agency_keys(table: pd.DataFrame) -> pd.Series:
    """:func:`agency_key` of a table's agency column ("" for every row without one), once per name."""
    if "agency" not in table:
        return pd.Series("", index=table.index, dtype=object)
    names = table["agency"].astype("string").fillna("")
    return names.map({n: agency_key(n) for n in names.unique()}).astype(object)


def agency_list_text(counts: Mapping[str, int], unassigned: int = 0, limit: int = 60) -> str:
    """The agencies of a workbook with their complaint counts, one per line (the first ``limit``), and
    the complaints that name no agency."""
    lines = [f"  {name}: {n:,} เรื่อง" for name, n in list(counts.items())[:limit]]
    if len(counts) > limit:
        lines.append(f"  ... และอีก {len(counts) - limit:,} หน่วยงาน (and {len(counts) - limit:,} more)")
    if unassigned:
        lines.append(f"  {NO_AGENCY}: {unassigned:,} เรื่อง")
    return "\n".join(lines)


#: How complaints that name no agency are listed.
NO_AGENCY = "ไม่ระบุหน่วยงาน (no agency)"

_UNSAFE_IN_NAME = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def agency_file_part(agency: str) -> str:
    """An agency name as part of a file or folder name: characters no file system takes become ``_``."""
    return _UNSAFE_IN_NAME.sub("_", " ".join(str(agency).split())).strip(" .") or "agency"


class AgencyChoiceError(CplError):
    """A job for one agency cannot tell which agency: the message lists the agencies and their counts."""

    def __init__(self, counts: Mapping[str, int], why_th: str, why_en: str,
                 hint: str = "ระบุ --agency ชื่อหน่วยงาน (choose one with --agency NAME)", unassigned: int = 0) -> None:
        self.counts = dict(counts)
        listed = (f"\nหน่วยงานในไฟล์ (agencies in the file):\n{agency_list_text(self.counts, unassigned)}"
                  if counts else "")
        super().__init__("\n".join(_fit(part) for part in (why_th, f"({why_en}):", *_th_en(hint))) + listed)


#: The width of the console staff have: a refusal's lines are wrapped to fit it.
CONSOLE_WIDTH = 80


def _th_en(text: str) -> list[str]:
    """``ไทย (English)`` as two lines, the English in its parentheses on the second."""
    th, sep, en = text.partition(" (")
    return [th, f"({en}"] if sep and text.endswith(")") else [text]


def _fit(line: str, width: int = CONSOLE_WIDTH - 2) -> str:
    """One message line wrapped at spaces to ``width`` characters (a Thai character counts one, so a Thai
    line is never wider on screen than counted)."""
    return "\n".join(textwrap.wrap(line, width, break_long_words=False, break_on_hyphens=False)) or line


def one_agency(book: ComplaintWorkbook, agency: str | None = None, *,
               hint: str = "ระบุ --agency ชื่อหน่วยงาน หรือ --all-agencies ทำทุกหน่วยงาน "
                           "(choose one with --agency NAME, or every agency with --all-agencies)"
               ) -> ComplaintWorkbook:
    """The workbook of the one agency a one-agency job (a report, a submission, an audit) works on.

    With ``agency``: :meth:`ComplaintWorkbook.for_agency`. Without: the workbook itself when its
    complaint sheet names at most one agency; else :class:`AgencyChoiceError` listing the agencies
    with their complaint counts, ending with ``hint`` (what to do).
    """
    if agency is not None:
        return book.for_agency(agency)
    counts = book.agency_counts()
    if len(counts) > 1:
        raise AgencyChoiceError(
            counts, f"ไฟล์นี้มีเรื่องของ {len(counts):,} หน่วยงาน แต่รายงานนี้เป็นของหน่วยงานเดียว",
            f"the file holds {len(counts):,} agencies' complaints, this job is for one agency", hint,
            unassigned=int((book.agency_keys() == "").sum()))
    return book


def find_sheet(names: Sequence[str], key: str, hidden: Collection[str] = ()) -> str | None:
    """The workbook's sheet for a canonical sheet key (``complaints``, ``progress``, …).

    Visible sheets come before ``hidden`` ones; within each, the accepted names are tried in their
    order of preference (the Thai name first), so a generic ``Data`` sheet never wins over
    ``เรื่องร้องเรียน``; among sheets with the same name key, the first.
    """
    for group in ([n for n in names if n not in hidden], [n for n in names if n in hidden]):
        by_key: dict[str, str] = {}
        for name in group:
            by_key.setdefault(header_key(name), name)
        for alias in SHEETS[key][1]:
            if header_key(alias) in by_key:
                return by_key[header_key(alias)]
    return None


def choose_sheets(names: Sequence[str], where: str | None = None,
                  hidden: Collection[str] = ()) -> dict[str, str | None]:
    """The sheet of each canonical key; the only sheet of a one-sheet workbook is the complaint sheet.
    Raises :class:`InputError` (naming ``where``, the file) when there is no complaint sheet."""
    chosen = {key: find_sheet(names, key, hidden) for key in SHEETS}
    if chosen["complaints"] is None and len(names) == 1:
        chosen["complaints"] = names[0]
    if chosen["complaints"] is None:
        expected = " / ".join(SHEETS["complaints"][1])
        raise InputError([Problem(
            "missing_sheet", f"ไม่พบชีตเรื่องร้องเรียน: ตั้งชื่อชีตว่า {expected} "
            f"(ชีตในไฟล์: {', '.join(names)})", f"no complaint sheet: name it {expected} "
            f"(sheets in the file: {', '.join(names)})", sheet=where)])
    return chosen


_NORMALIZERS: dict[str, Callable[..., Normalized]] = {
    "monthly_reports": normalize_monthly_reports,
    "audit_sample": normalize_audit_sample,
    "calendar_overrides": normalize_calendar_overrides,
}


def _ambiguous_sheets(names: Sequence[str], hidden: Collection[str] = ()) -> list[Problem]:
    """Warnings for canonical sheets that more than one sheet could be (the one :func:`find_sheet`
    prefers is used)."""
    out = []
    for key, (label, aliases) in SHEETS.items():
        wanted = {header_key(a) for a in aliases}
        matches = [n for n in names if header_key(n) in wanted]
        if len(matches) > 1:
            used = find_sheet(names, key, hidden)
            others = ", ".join(n for n in matches if n != used)
            out.append(Problem(
                "ambiguous_sheet", f"มีหลายชีตที่เป็นชีต{label}: ใช้ชีตนี้ ไม่ได้อ่านชีต {others}",
                f"several sheets could be the {key} sheet: this one is used, not {others}",
                sheet=used, severity="warning"))
    return out


def from_sheets(sheets: Mapping[str, Sequence[Sequence[Any]]], path: Path | None = None) -> ComplaintWorkbook:
    """Build a :class:`ComplaintWorkbook` from rows per sheet name (rows start at Excel row 1).

    This is the door for every reader: calamine on a file, openpyxl, or an
    xlwings ``Book`` in Excel. Cells holding an Excel error value may be given
    as :class:`~cplkpi.scoring.tables.ExcelError` (or the plain text ``#N/A``…).
    """
    names = list(sheets)
    chosen = choose_sheets(names, path.name if path is not None else None)
    comp_name = chosen["complaints"]
    assert comp_name is not None  # choose_sheets raises without a complaint sheet
    complaints = normalize_complaints(sheets[comp_name], comp_name)
    book = ComplaintWorkbook(complaints, path=path, extra_problems=_ambiguous_sheets(names))
    if (progress := chosen["progress"]) is not None:
        book.progress = normalize_progress(sheets[progress], progress,
                                           complaint_ids=complaints.table["complaint_id"])
    for attr, key in (("monthly_reports", "monthly_reports"), ("audit_sample", "audit_sample"),
                      ("calendar_overrides", "calendar")):
        if (name := chosen[key]) is not None:
            setattr(book, attr, _NORMALIZERS[attr](sheets[name], name))
    cov = coverage_sheet(names)
    if cov is not None:
        book.coverage = Coverage.from_rows(sheets[cov])
    return book


#: File suffixes read as delimited text.
CSV_SUFFIXES = (".csv", ".tsv", ".txt")


def read_workbook(path: str | Path) -> ComplaintWorkbook:
    """Read a complaint workbook (.xlsx/.xlsm, or a .csv of the complaint sheet) from disk, read-only.

    The file is first checked by :func:`cplkpi.guard.check_workbook_file`
    (refused: encrypted, legacy, corrupt, zip bombs, oversized sheets; warned:
    macros, external links). Values only: formulas and macros are never
    evaluated. The problems also report Excel error values (naming the
    formula), merged cells and hidden rows, columns and sheets in the sheets
    read, and formulas stored without a value.
    """
    path = Path(path)
    if path.suffix.lower() in CSV_SUFFIXES:
        return read_csv(path)
    warnings = check_workbook_file(path)
    calamine = _calamine()
    with reading(path), zipfile.ZipFile(path) as zf:  # calamine or zip errors on a file the guard let through
        parts = sheet_parts(zf)
        workbook_xml = zf.read("xl/workbook.xml") if "xl/workbook.xml" in zf.namelist() else b""
        all_names = list(calamine.from_path(str(path)).sheet_names if calamine else _openpyxl(path).sheetnames)
        hidden = {n for n, (_, state) in parts.items() if state != "visible"}
        chosen = choose_sheets(all_names, path.name, hidden)
        problems = list(warnings) + _ambiguous_sheets(all_names, hidden)
        sheets: dict[str, list[list[Any]]] = {}
        scans: dict[str, SheetScan] = {}
        xml: dict[str, bytes] = {}
        wanted = [name for name in all_names if name in chosen.values()]
        cov = coverage_sheet(all_names)
        # calamine parses outside the GIL: the sheets are read side by side while the XML is scanned here
        with (ThreadPoolExecutor(max_workers=max(1, min(len(wanted), os.cpu_count() or 1))) if calamine
              else _InlineExecutor()) as pool:
            loading = {name: pool.submit(_sheet_rows, path, name) for name in wanted}
            for name in wanted:
                key = next(k for k, v in chosen.items() if v == name)
                if name in hidden:
                    problems.append(Problem(
                        "hidden_sheet", f"ชีตนี้ถูกซ่อนไว้ แต่ถูกอ่านเป็นชีต{SHEETS[key][0]}",
                        f"this sheet is hidden but is read as the {key} sheet", sheet=name,
                        severity="warning"))
                xml[name] = zf.read(parts[name][0]) if name in parts else b""
                scans[name] = scan_sheet(xml[name])
            for name in wanted:
                rows, scans[name].merged = loading[name].result()
                _put_errors(rows, scans[name].errors)
                _put_serials(rows, xml.pop(name))
                sheets[name] = rows
        if cov is not None and cov not in sheets:
            sheets[cov] = _sheet_rows(path, cov)[0]
    with date_system_1904(DATE1904.search(workbook_xml) is not None):
        book = from_sheets(sheets, path)  # plain numbers in date columns of a 1904 workbook: 1904 serials
    for part in (book.complaints, book.progress, book.monthly_reports, book.audit_sample,
                 book.calendar_overrides):
        if part is not None and part.sheet in scans:
            problems += _layout_problems(part, scans[part.sheet], len(sheets[part.sheet]))
    book.extra_problems[:0] = problems
    return book


def _calamine() -> Any:
    """python-calamine's ``CalamineWorkbook``, or None where it is not installed (Pyodide, xlwings Lite:
    no wheel before Pyodide 0.29); openpyxl reads the file there."""
    try:
        from python_calamine import CalamineWorkbook  # noqa: PLC0415 (optional: no wheel for Pyodide)
    except ImportError:
        return None
    return CalamineWorkbook


def _openpyxl(path: Path) -> Workbook:
    """The file loaded by openpyxl (values stored with formulas), once for all the sheets of a read."""
    stat = path.stat()
    return _openpyxl_loaded(path.resolve(), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=1)
def _openpyxl_loaded(path: Path, mtime_ns: int, size: int) -> Workbook:
    return load_workbook(path, data_only=True, keep_vba=False, keep_links=False)


class _InlineExecutor(contextlib.AbstractContextManager):
    """``ThreadPoolExecutor.submit`` run at once, for the openpyxl reader (Pyodide has no threads)."""

    def __exit__(self, *exc: object) -> None:
        return None

    def submit(self, fn: Callable[..., Any], *args: Any) -> Future:
        done: Future = Future()
        done.set_result(fn(*args))
        return done


def _sheet_rows(path: Path, name: str) -> tuple[list[list[Any]], list[Any]]:
    """The rows (from A1) and merged ranges (0-based corners) of one sheet; its own reader, so threads
    do not share one. Without python-calamine, openpyxl reads them (the values stored with formulas)."""
    calamine = _calamine()
    if calamine is None:
        ws = _openpyxl(path)[name]
        merged = [((m.min_row - 1, m.min_col - 1), (m.max_row - 1, m.max_col - 1)) for m in ws.merged_cells.ranges]
        return [list(r) for r in ws.iter_rows(min_row=1, min_col=1, values_only=True)], merged
    sheet = calamine.from_path(str(path)).get_sheet_by_name(name)
    return sheet.to_python(skip_empty_area=False), list(sheet.merged_cell_ranges or [])


#: What calamine makes of a date-formatted 59 or 60: Excel shows 60 as 29/02/1900, a day that never was.
_FEB_28_1900 = _dt.date(1900, 2, 28)


def _put_serials(rows: list[list[Any]], xml: bytes) -> None:
    """Put back the number stored in a date-formatted cell where calamine shows something else: a serial
    below 1 (0, -1) read as a time of day, and 60 read as 28/02/1900 (Excel shows 29/02/1900, its fictional
    day). The date reader then names the number (:func:`cplkpi.scoring.thaidate.parse_dates`)."""
    for r, c, number in small_numbers(xml):
        value = rows[r][c] if r < len(rows) and c < len(rows[r]) else None
        if isinstance(value, _dt.time) or (type(value) is _dt.date and value == _FEB_28_1900):
            rows[r][c] = float(number)


def _put_errors(rows: list[list[Any]], errors: Mapping[tuple[int, int], ExcelError]) -> None:
    """Put the error values calamine reads as empty back into the rows."""
    for (r, c), err in errors.items():
        while len(rows) <= r:
            rows.append([])
        row = rows[r]
        if len(row) <= c:
            row.extend([""] * (c + 1 - len(row)))
        row[c] = err


def _spans(numbers: Sequence[int]) -> str:
    """``3, 10–12`` for [3, 10, 11, 12] (at most 10 spans shown)."""
    spans: list[list[int]] = []
    for n in sorted(set(numbers)):
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    text = ", ".join(str(a) if a == b else f"{a}–{b}" for a, b in spans[:10])
    return text + (" …" if len(spans) > 10 else "")


def _layout_problems(part: Normalized, scan: SheetScan, n_rows: int) -> list[Problem]:
    """Warnings for merged cells, hidden rows/columns and formulas without values in a sheet that was read."""
    sheet, header = part.sheet, part.header_row
    by_letter = {letter: head for head, letter in part.columns.values()}
    out: list[Problem] = []

    def warn(code: str, th: str, en: str, row: int | None = None, letter: str | None = None) -> None:
        header_name = by_letter.get(letter) if letter else None
        out.append(Problem(code, th, en, sheet, row, header_name, letter, "warning"))

    for (r0, c0), (r1, c1) in sorted(scan.merged):
        if r1 + 1 < header or r0 >= n_rows:
            continue  # a merged title above the header is fine
        first = f"{column_letter(c0 + 1)}{r0 + 1}"
        ref = f"{first}:{column_letter(c1 + 1)}{r1 + 1}"
        warn("merged_cells", f"เซลล์ผสาน {ref}: มีค่าเฉพาะเซลล์ {first} เซลล์อื่นในช่วงนี้ถือว่าว่าง "
             "ให้ยกเลิกการผสานและใส่ค่าให้ครบทุกแถว",
             f"merged cells {ref}: only {first} holds the value and the other cells count as empty; "
             "unmerge them and fill in every row", r0 + 1, column_letter(c0 + 1))
    rows = [r + 1 for r in scan.hidden_rows if header <= r < n_rows]
    if rows:
        warn("hidden_rows", f"แถวที่ซ่อนอยู่ {_spans(rows)} ยังถูกนับรวมในการคำนวณ (รวมแถวที่ถูกตัวกรองซ่อนไว้): "
             "ตรวจว่าควรนับหรือไม่", f"hidden rows {_spans(rows)} are still counted (rows hidden by a "
             "filter too): check that they should be")
    cols = sorted({column_letter(c + 1) for c in scan.hidden_cols} & set(by_letter),
                  key=lambda x: (len(x), x))
    if cols:
        warn("hidden_columns", f"คอลัมน์ที่ซ่อนอยู่ {', '.join(cols)} ยังถูกอ่าน",
             f"hidden columns {', '.join(cols)} are still read", header, cols[0])
    if scan.no_value:
        cells = [f"{column_letter(c + 1)}{r + 1}" for r, c in sorted(scan.no_value)]
        r, c = sorted(scan.no_value)[0]
        warn("formula_without_value",
             f"สูตร {len(cells):,} เซลล์ไม่มีค่าที่คำนวณไว้ (เช่น {', '.join(cells[:3])}) จึงอ่านเป็นค่าว่าง: "
             "เปิดไฟล์ใน Excel แล้วบันทึกใหม่ให้สูตรคำนวณ",
             f"{len(cells):,} formula cell{'s have' if len(cells) > 1 else ' has'} no stored value (e.g. "
             f"{', '.join(cells[:3])}) and read{'' if len(cells) > 1 else 's'} as empty: open the file in "
             "Excel and save it so that the formulas are calculated",
             r + 1, column_letter(c + 1))
    by_column: dict[int, list[tuple[int, str]]] = {}
    for r, c, formula in sorted(scan.volatile):
        if header <= r < n_rows and column_letter(c + 1) in by_letter:
            by_column.setdefault(c, []).append((r, formula))
    for c, found in sorted(by_column.items()):
        (r, formula), letter = found[0], column_letter(c + 1)
        more = len(found) - 1
        many = (f" และอีก {more:,} เซลล์", f" and {more:,} more cells") if more else ("", "")
        warn("formula_today", f"สูตร {formula}{many[0]} ให้วันที่ของวันที่เปิดไฟล์ ไม่ใช่วันที่ดำเนินการ: cplkpi อ่านค่าที่"
             "คำนวณไว้ตอนบันทึกไฟล์ครั้งล่าสุด ซึ่งเปลี่ยนทุกวัน ให้ใส่วันที่จริงเป็นค่าแทนสูตร",
             f"the formula {formula}{many[1]} gives the date the file is opened, not the date of the action: "
             "cplkpi reads the value stored when the file was last saved, which changes every day; enter the "
             "real date as a value instead of the formula", r + 1, letter)
    return out


# --- CSV -------------------------------------------------------------------------------------------


def read_csv(path: str | Path) -> ComplaintWorkbook:
    """Read a CSV export of the complaint sheet (header row and title rows as in a sheet).

    The delimiter is the most frequent of ``,`` ``;`` tab ``|`` in the first
    line; the "sheet" of every problem is the file name and the row is the
    record number (the line number unless a quoted field spans lines).
    """
    path = Path(path)
    rows, warning = csv_rows(path)
    book = from_sheets({path.name: rows}, path)
    if warning is not None:
        book.extra_problems.insert(0, warning)
    return book
