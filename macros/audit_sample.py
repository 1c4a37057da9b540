"""กองกลาง's monthly 10 % sample (docs/audit.md).

Each month กองกลาง checks 10 % (rounded up, :func:`~cplkpi.scoring.scores.audit_sample_size`)
of the complaints an agency completed that month; below 80 % correct costs
0.05 points that month. This module

* draws the sample reproducibly: the seed is derived from the agency and the
  month (:func:`sample_seed`, printed and written into the sheet), and the
  sample is the ``k`` completed complaints whose ``sha256("seed|complaint id")``
  is smallest (:func:`draw_month_sample`) – independent of row order, numpy
  versions and platforms, and checkable by hand;
* writes it into a sample workbook (sheet ``สุ่มตรวจ``) with a drop-down
  ถูกต้อง/ไม่ถูกต้อง per complaint, a comment column, and a summary sheet
  ``สรุปสุ่มตรวจ`` whose formulas show the accuracy per month in Excel;
  re-running adds months that are not there yet and never changes a month
  already drawn, nor any mark or comment (:func:`update_sample_file`);
* reads the marked sheet back (:func:`read_sample_file`) as the canonical
  ``audit_sample`` table, which the engine's ``score(..., audit_sample=...)``
  turns into accuracy per month and the −0.05 deductions.

"Completed that month" is the engine's definition
(:func:`cplkpi.scoring.scores.completed_in_month`, the ``completed_in_month`` of
``ScoreResult.months``): complaints whose current cycle was resolved in the
month, as of the draw's evaluation date (by default the month's last day).
Each month drawn gets a row in the summary sheet, even a month without a
completed complaint (a sample of 0): that row is the record that the month
was drawn, so it is never drawn again.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Alignment, Font
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.guard import check_workbook_file
from cplkpi.outputs import fit_name
from cplkpi.reader import agency_file_part
from cplkpi.scoring.days import to_date
from cplkpi.scoring.errors import InputError, Problem
from cplkpi.scoring.rules import DEFAULT_RULES, AuditDeduction, RuleSet, load_rules
from cplkpi.scoring.scores import audit_sample_size, completed_in_month
from cplkpi.scoring.tables import SHEETS, Normalized, normalize_audit_sample
from cplkpi.scoring.thaidate import fiscal_year, format_thai_month, month_end
from cplkpi.templates.styles import header_row
from cplkpi.xlsx import THAI_DATE_FORMAT, THAI_FONT, print_setup, save_workbook_atomic, set_text

from .audit_source import open_readonly, read_sheet_rows, reading
from .sheets import worksheet

__all__ = [
    "MARK_CORRECT",
    "MARK_INCORRECT",
    "SAMPLE_SHEET",
    "SUMMARY_SHEET",
    "MonthSample",
    "SampleFile",
    "draw_month_sample",
    "read_sample_file",
    "sample_file_path",
    "sample_seed",
    "update_sample_file",
]

MARK_CORRECT = "ถูกต้อง"
MARK_INCORRECT = "ไม่ถูกต้อง"
SAMPLE_SHEET = SHEETS["audit_sample"][0]
SUMMARY_SHEET = "สรุปสุ่มตรวจ"
MONTH_FORMAT = "[$-107041E]mmm yyyy;@"

_HEADER_ROW = 4
_HEADERS = ("หน่วยงาน", "เดือน", "ลำดับ", "เลขที่เรื่อง", "เรื่อง", "วันที่แล้วเสร็จ",
            "ผลการดำเนินการที่หน่วยงานรายงาน", "หลักฐานที่หน่วยงานรายงาน", "ผลการตรวจ", "หมายเหตุ",
            "เลขสุ่มตั้งต้น (seed)")
_WIDTHS = (24, 11, 7, 14, 22, 13, 48, 15, 13, 36, 18)
_MARK_COL = "I"
_SUMMARY_HEADERS = ("เดือน", "เรื่องที่เสร็จสิ้นในเดือน", "ต้องสุ่ม (10%)", "สุ่มแล้ว", "ตรวจแล้ว", "ถูกต้อง",
                    "ร้อยละถูกต้อง", "หักคะแนน", "เลขสุ่มตั้งต้น (seed)", "สุ่ม ณ วันที่ (as of)")


def _month(value: Any) -> _dt.date:
    d = to_date(value)
    if d is None:
        raise ValueError("ต้องระบุเดือน (a month is required)")
    return d.replace(day=1)


def _agency_key(agency: str) -> str:
    return " ".join(str(agency).split())


def sample_seed(agency: str, month: Any) -> int:
    """The sample seed of an agency and month: the first 48 bits of ``sha256("agency|YYYY-MM")``.

    Whitespace in the agency name is collapsed first, so ``"สำนักงานเขต  บางกอกน้อย "`` and
    ``"สำนักงานเขต บางกอกน้อย"`` draw the same sample.
    """
    text = f"{_agency_key(agency)}|{_month(month):%Y-%m}"
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest()[:12], 16)


@dataclass(frozen=True)
class MonthSample:
    """One month's draw: the seed, how many complaints were completed (the engine's count), and the ids
    drawn (sorted)."""

    agency: str
    month: _dt.date
    seed: int
    population: int
    size: int
    complaint_ids: tuple[str, ...]
    #: the evaluation date of the draw (the population is counted as of it); None in files made before it was kept
    as_of: _dt.date | None = None

    @property
    def label(self) -> str:
        return format_thai_month(self.month)


def draw_month_sample(complaints: pd.DataFrame, agency: str, month: Any, *, sample_pct: float = 10,
                      as_of: Any = None) -> MonthSample:
    """Draw ceil(``sample_pct`` %) of the complaints completed in ``month``, reproducibly.

    The population is :func:`~cplkpi.scoring.scores.completed_in_month` as of ``as_of`` (default:
    the month's last day); the ``k`` complaints with the smallest ``sha256(f"{seed}|{complaint_id}")``
    are drawn, so the same complaints and agency always give the same sample, whatever the row order
    (a duplicated id, an input problem, is drawn once).
    """
    m = _month(month)
    seed = sample_seed(agency, m)
    when = to_date(as_of) if as_of is not None else month_end(m)
    done = complaints[completed_in_month(complaints, m, when)]
    k = audit_sample_size(len(done), sample_pct)
    pop = done["complaint_id"].dropna().astype(str).unique()
    keys = sorted((hashlib.sha256(f"{seed}|{cid}".encode()).digest(), cid) for cid in pop)
    ids = tuple(sorted(cid for _, cid in keys[:k]))
    return MonthSample(_agency_key(agency), m, seed, len(done), len(ids), ids, when)


def sample_file_path(folder: str | Path, agency: str, fiscal_year_be: int) -> Path:
    """Where an agency's sample workbook of a fiscal year lives: ``folder/สุ่มตรวจ_<agency>_<FY>.xlsx``."""
    return Path(folder) / fit_name(f"สุ่มตรวจ_{agency_file_part(agency)}_{int(fiscal_year_be)}.xlsx")


@dataclass
class SampleFile:
    """The sample workbook of one agency after an update, and what it holds."""

    path: Path
    drawn: list[MonthSample] = field(default_factory=list)   #: months added by this run
    kept: list[_dt.date] = field(default_factory=list)       #: months asked for that were already there
    #: every month of the file as it was drawn (seed, population and size from the summary sheet)
    samples: list[MonthSample] = field(default_factory=list)
    marks: Normalized | None = None
    problems: list[Problem] = field(default_factory=list)
    #: month → its row in the summary sheet (the record of the draw: population, size, seed)
    summary_rows: dict[_dt.date, int] = field(default_factory=dict)
    #: sample-sheet row → the seed written in it (column เลขสุ่มตั้งต้น, as the cell holds it)
    row_seeds: dict[int, Any] = field(default_factory=dict)

    def sample(self, month: Any) -> MonthSample | None:
        """The sample of ``month`` in the file (None when that month was never drawn)."""
        m = _month(month)
        return next((x for x in self.samples if x.month == m), None)

    @property
    def table(self) -> pd.DataFrame | None:
        """The canonical audit-sample table (month, complaint_id, correct, comment), for ``score()``."""
        return None if self.marks is None else self.marks.table


def _audit_of(rules: RuleSet) -> AuditDeduction:
    """The rule set's audit deduction: samples are drawn only under a rule set that has one."""
    if rules.audit is None:
        raise ValueError(f"ชุดเกณฑ์ {rules.name} ไม่มีการสุ่มตรวจ (rule set {rules.name} has no audit sample)")
    return rules.audit


def _new_sample_book(agency: str, fy: int | None, rules: RuleSet) -> Workbook:
    wb = Workbook()
    ws = worksheet(wb)
    ws.title = SAMPLE_SHEET
    audit = _audit_of(rules)
    ws["A1"] = "ตัวอย่างสุ่มตรวจความถูกต้องของการรายงานผลในระบบเรื่องราวร้องทุกข์ (กองกลาง สำนักปลัดกรุงเทพมหานคร)"
    ws["A1"].font = Font(name=THAI_FONT, bold=True, size=13)
    set_text(ws["A2"], f"หน่วยงาน {agency}   ปีงบประมาณ พ.ศ. {fy}")
    ws["A2"].font = Font(name=THAI_FONT, bold=True)
    ws["A3"] = (f"สุ่ม {audit.sample_pct:g}% (ปัดขึ้น) ของเรื่องที่ดำเนินการเสร็จสิ้นในแต่ละเดือน เลือกผลการตรวจ "
                f"{MARK_CORRECT}/{MARK_INCORRECT} ทุกเรื่อง เดือนที่ถูกต้องน้อยกว่าร้อยละ {audit.min_accuracy_pct:g} "
                f"หัก {audit.per_month:g} คะแนน (mark every complaint; a month below "
                f"{audit.min_accuracy_pct:g} % costs {audit.per_month:g})")
    ws["A3"].font = Font(name=THAI_FONT, italic=True)
    header_row(ws, _HEADER_ROW, _HEADERS, height=48, size=None, border_color=None, widths=_WIDTHS)
    ws.freeze_panes = f"A{_HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}")
    _new_summary_sheet(wb, agency, fy)
    return wb


def _new_summary_sheet(wb: Workbook, agency: str, fy: int | None) -> Worksheet:
    sm = wb.create_sheet(SUMMARY_SHEET)
    sm["A1"] = "สรุปผลการสุ่มตรวจรายเดือน (monthly audit-sample summary)"
    sm["A1"].font = Font(name=THAI_FONT, bold=True, size=13)
    set_text(sm["A2"], f"หน่วยงาน {agency}   ปีงบประมาณ พ.ศ. {fy}")
    header_row(sm, _HEADER_ROW, _SUMMARY_HEADERS, height=48, size=None, border_color=None,
               widths=(11, 14, 12, 9, 9, 9, 12, 10, 18, 13))
    sm.freeze_panes = f"A{_HEADER_ROW + 1}"
    print_setup(sm, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}", landscape=False)
    return sm


def _mark_validation(ws: Worksheet, first: int, last: int) -> None:
    dv = DataValidation(type="list", formula1=f'"{MARK_CORRECT},{MARK_INCORRECT}"', allow_blank=True,
                        showErrorMessage=True, errorTitle="ผลการตรวจ",
                        error=f"เลือก {MARK_CORRECT} หรือ {MARK_INCORRECT} (choose from the list)",
                        showInputMessage=True, promptTitle="ผลการตรวจ",
                        prompt=f"{MARK_CORRECT} / {MARK_INCORRECT}")
    dv.add(f"{_MARK_COL}{first}:{_MARK_COL}{last}")
    ws.add_data_validation(dv)


def _append_month(wb: Workbook, sample: MonthSample, complaints: pd.DataFrame, rules: RuleSet) -> None:
    ws = wb[SAMPLE_SHEET]
    first = max(ws.max_row, _HEADER_ROW) + 1
    unique = complaints.drop_duplicates("complaint_id")
    by_id = unique.set_index(unique["complaint_id"].astype(str))
    font = Font(name=THAI_FONT)
    wrap = Alignment(wrap_text=True, vertical="top")
    for i, cid in enumerate(sample.complaint_ids, start=1):
        r = first + i - 1
        row = by_id.loc[cid] if cid in by_id.index else None
        set_text(ws.cell(r, 1), sample.agency)
        ws.cell(r, 2, sample.month).number_format = MONTH_FORMAT
        ws.cell(r, 3, i)
        set_text(ws.cell(r, 4), cid)
        if row is not None:
            if pd.notna(row.get("subject")):
                set_text(ws.cell(r, 5), row["subject"])
            resolved = to_date(row.get("resolved_on"))
            if resolved is not None:
                ws.cell(r, 6, resolved).number_format = THAI_DATE_FORMAT
            if pd.notna(row.get("result_detail")):
                set_text(ws.cell(r, 7), row["result_detail"])
            ev = row.get("has_evidence")
            set_text(ws.cell(r, 8), "-" if pd.isna(ev) else "มี" if bool(ev) else "ไม่มี")
        ws.cell(r, 11, str(sample.seed))
        for c in range(1, len(_HEADERS) + 1):
            ws.cell(r, c).font = font
            ws.cell(r, c).alignment = wrap
        ws.row_dimensions[r].height = 45  # the result detail (column G) wraps
    if sample.complaint_ids:
        _mark_validation(ws, first, first + len(sample.complaint_ids) - 1)
    # the summary row records the draw, also of a month without a completed complaint
    sm = wb[SUMMARY_SHEET] if SUMMARY_SHEET in wb.sheetnames else _new_summary_sheet(
        wb, sample.agency, fiscal_year(sample.month))
    _append_summary(sm, sample, rules)


def _append_summary(sm: Worksheet, sample: MonthSample, rules: RuleSet) -> None:
    r = max(sm.max_row, _HEADER_ROW) + 1
    q = f"'{SAMPLE_SHEET}'!"
    months, marks = f"{q}$B:$B", f"{q}${_MARK_COL}:${_MARK_COL}"
    sm.cell(r, 1, sample.month).number_format = MONTH_FORMAT
    sm.cell(r, 2, sample.population)
    sm.cell(r, 3, sample.size)
    sm.cell(r, 4, f"=COUNTIFS({months},$A{r})")
    sm.cell(r, 5, f'=COUNTIFS({months},$A{r},{marks},"{MARK_CORRECT}")'
                  f'+COUNTIFS({months},$A{r},{marks},"{MARK_INCORRECT}")')
    sm.cell(r, 6, f'=COUNTIFS({months},$A{r},{marks},"{MARK_CORRECT}")')
    sm.cell(r, 7, f'=IF(AND(E{r}>0,E{r}=D{r}),ROUND(F{r}*100/E{r},2),"")').number_format = "0.00"
    audit = _audit_of(rules)
    sm.cell(r, 8, f'=IF(G{r}="","",IF(G{r}<{audit.min_accuracy_pct:g},{audit.per_month:g},0))')
    sm.cell(r, 9, str(sample.seed))
    if sample.as_of is not None:
        sm.cell(r, 10, sample.as_of).number_format = THAI_DATE_FORMAT


def update_sample_file(
    path: str | Path,
    complaints: pd.DataFrame,
    agency: str,
    months: Iterable[Any],
    *,
    rules: RuleSet | str = DEFAULT_RULES,
    as_of: Any = None,
) -> SampleFile:
    """Create or extend an agency's sample workbook with the draws of ``months``, then read it back.

    A month already in the file (a row in the summary sheet, or sample rows) is kept exactly as it
    is (draw, marks, comments): re-running never changes an existing sample, even when the data
    changed since. When nothing is added the file is not rewritten at all. The marks read back are
    those of ``agency``. New months are drawn as of ``as_of`` (default: each month's last day).
    """
    rules = load_rules(rules)
    audit = _audit_of(rules)
    path = Path(path)
    wanted = sorted({_month(m) for m in months})
    result = SampleFile(path)
    if path.exists():
        existing = read_sample_file(path, agency=agency)
        have = {x.month for x in existing.samples}
        result.kept = [m for m in wanted if m in have]
        todo = [m for m in wanted if m not in have]
        if not todo:
            existing.kept = result.kept
            return existing
        with reading(path):
            wb = load_workbook(path, keep_vba=False, keep_links=False)
        if SAMPLE_SHEET not in wb.sheetnames:
            raise InputError([Problem("missing_sheet", f"ไฟล์สุ่มตรวจ {path.name} ไม่มีชีต {SAMPLE_SHEET}",
                                      f"sample file {path.name} has no sheet {SAMPLE_SHEET}", path.name)])
    else:
        todo = wanted
        fy = fiscal_year(todo[0]) if todo else None
        wb = _new_sample_book(_agency_key(agency), fy, rules)
    for m in todo:
        s = draw_month_sample(complaints, agency, m, sample_pct=audit.sample_pct, as_of=as_of)
        _append_month(wb, s, complaints, rules)
        result.drawn.append(s)
    save_workbook_atomic(wb, path)
    back = read_sample_file(path, agency=agency)
    back.drawn, back.kept = result.drawn, result.kept
    return back


def read_sample_file(path: str | Path, *, agency: str | None = None) -> SampleFile:
    """Read a (marked) sample workbook back as the canonical audit-sample table and the months' samples.

    Marks must be ถูกต้อง or ไม่ถูกต้อง (the drop-down) or TRUE/FALSE; anything else is reported with its
    cell and counts as not yet marked, so that month gets no accuracy (and no deduction) until fixed.
    With ``agency``, rows of other agencies are dropped.
    """
    path = Path(path)
    check_workbook_file(path)
    with reading(path):
        wb = open_readonly(path, data_only=True)
    try:
        if SAMPLE_SHEET not in wb.sheetnames:
            raise InputError([Problem("missing_sheet", f"ไฟล์สุ่มตรวจ {path.name} ไม่มีชีต {SAMPLE_SHEET}",
                                      f"sample file {path.name} has no sheet {SAMPLE_SHEET}", path.name)])
        with reading(path):
            rows = read_sheet_rows(wb[SAMPLE_SHEET])
            summary = read_sheet_rows(wb[SUMMARY_SHEET]) if SUMMARY_SHEET in wb.sheetnames else []
    finally:
        wb.close()
    norm = normalize_audit_sample(rows, SAMPLE_SHEET)
    problems = list(norm.problems)
    if "correct" in norm.columns:
        j = norm.columns["correct"][1]
        col = next(i for i, h in enumerate(rows[norm.header_row - 1]) if h is not None
                   and str(h).strip() == norm.columns["correct"][0])
        t = norm.table
        for r in t.index:
            raw = rows[r - 1][col] if col < len(rows[r - 1]) else None
            if raw is None or isinstance(raw, bool) or (isinstance(raw, str) and raw.strip() in
                                                        ("", MARK_CORRECT, MARK_INCORRECT)):
                continue
            problems.append(Problem("bad_mark", f"ผลการตรวจต้องเป็น {MARK_CORRECT} หรือ {MARK_INCORRECT}: {raw!r}",
                                    f"the mark must be {MARK_CORRECT} (correct) or {MARK_INCORRECT} "
                                    f"(incorrect): {raw!r}", SAMPLE_SHEET, int(r), norm.columns["correct"][0], j))
            t.loc[r, "correct"] = pd.NA
    if agency is not None and norm.table["agency"].notna().any():
        keep = norm.table["agency"].fillna("").map(_agency_key) == _agency_key(agency)
        norm.table = norm.table[keep]
    rows_of: dict[_dt.date, int] = {}
    samples = _file_samples(summary, norm.table, agency, problems, rows_of)
    header = rows[norm.header_row - 1] if norm.header_row and norm.header_row <= len(rows) else []
    seed_col = next((i for i, h in enumerate(header) if isinstance(h, str) and h.strip() == _HEADERS[-1]), None)
    row_seeds = {int(r): (rows[r - 1][seed_col] if seed_col is not None and seed_col < len(rows[r - 1]) else None)
                 for r in norm.table.index} if seed_col is not None else {}
    return SampleFile(path, samples=samples, marks=norm, problems=problems, summary_rows=rows_of,
                      row_seeds=row_seeds)


def whole_number(value: Any) -> int | None:
    """A count or seed as written in the summary sheet (a number or digits), None otherwise."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float) and float(value).is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def _file_samples(summary: list[list[Any]], table: pd.DataFrame, agency: str | None,
                  problems: list[Problem], rows_of: dict[_dt.date, int]) -> list[MonthSample]:
    """The months of a sample file as drawn: each summary-sheet row with the ids of its sample rows.

    A month with sample rows but no summary row (deleted by hand) is reported and taken as the rows hold it.
    """
    names = table["agency"].dropna() if "agency" in table else pd.Series(dtype=object)
    who = _agency_key(agency) if agency is not None else (_agency_key(names.iloc[0]) if len(names) else "")
    ids: dict[_dt.date, tuple[str, ...]] = {
        _month(m): tuple(sorted(g.dropna().astype(str))) for m, g in table.groupby("month")["complaint_id"]}
    out: dict[_dt.date, MonthSample] = {}
    for r, row in enumerate(summary[_HEADER_ROW:], start=_HEADER_ROW + 1):
        cells = [*row, *[None] * (len(_SUMMARY_HEADERS) - len(row))]
        if not isinstance(cells[0], _dt.date) or _month(cells[0]) in out:
            continue
        m = _month(cells[0])
        rows_of[m] = r
        drawn = ids.get(m, ())
        population, size, seed = whole_number(cells[1]), whole_number(cells[2]), whole_number(cells[8])
        if population is None or size is None:
            problems.append(Problem("bad_summary", f"แถวสรุปของเดือน {format_thai_month(m)} ไม่มีจำนวนเรื่องที่เสร็จสิ้น"
                                    "หรือจำนวนที่ต้องสุ่ม ใช้จำนวนแถวที่สุ่มไว้แทน",
                                    f"the summary row of {m:%Y-%m} lacks the completed or sample count; the "
                                    "sample rows are counted instead", SUMMARY_SHEET, r, severity="warning"))
        out[m] = MonthSample(who, m, seed if seed is not None else sample_seed(who, m),
                             len(drawn) if population is None else population,
                             len(drawn) if size is None else size, drawn,
                             to_date(cells[9]) if isinstance(cells[9], _dt.date) else None)
    for m, drawn in ids.items():
        if m not in out:
            problems.append(Problem("summary_missing", f"เดือน {format_thai_month(m)} ไม่มีแถวในชีต {SUMMARY_SHEET} "
                                    "ใช้จำนวนแถวที่สุ่มไว้แทน",
                                    f"{m:%Y-%m} has no row in sheet {SUMMARY_SHEET}; the sample rows are counted "
                                    "instead", SUMMARY_SHEET, severity="warning"))
            out[m] = MonthSample(who, m, sample_seed(who, m), len(drawn), len(drawn), drawn)
    return sorted(out.values(), key=lambda x: x.month)
