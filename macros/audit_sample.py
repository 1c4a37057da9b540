"""กองกลาง's monthly 10 % sample (seed 000 slide 4; SPEC §4).

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

"Completed that month" is the engine's definition (``ScoreResult.months``
``completed_in_month``): complaints whose resolution date falls in the month.
"""

from __future__ import annotations

import datetime as _dt
import hashlib
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cplkpi.scoring.days import as_day_array, to_date
from cplkpi.scoring.errors import InputError, Problem
from cplkpi.scoring.rules import RuleSet, load_rules
from cplkpi.scoring.scores import audit_sample_size
from cplkpi.scoring.tables import SHEETS, Normalized, normalize_audit_sample
from cplkpi.scoring.thaidate import fiscal_year, format_thai_month
from cplkpi.xlsx import THAI_DATE_FORMAT, THAI_FONT, print_setup, save_workbook_atomic, set_text

from .audit_source import open_readonly, read_sheet_rows, reading

__all__ = [
    "MARK_CORRECT",
    "MARK_INCORRECT",
    "SAMPLE_SHEET",
    "SUMMARY_SHEET",
    "MonthSample",
    "SampleFile",
    "sample_seed",
    "completed_in_month",
    "draw_month_sample",
    "sample_file_path",
    "update_sample_file",
    "read_sample_file",
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
                    "ร้อยละถูกต้อง", "หักคะแนน", "เลขสุ่มตั้งต้น (seed)")


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


def completed_in_month(complaints: pd.DataFrame, month: Any) -> pd.DataFrame:
    """The complaints resolved in ``month`` (the population the sample is drawn from)."""
    m = np.datetime64(_month(month), "M")
    res = as_day_array(complaints["resolved_on"]).astype("datetime64[M]")
    return complaints[res == m]


@dataclass(frozen=True)
class MonthSample:
    """One month's draw: the seed, how many complaints were completed, and the ids drawn (sorted)."""

    agency: str
    month: _dt.date
    seed: int
    population: int
    size: int
    complaint_ids: tuple[str, ...]

    @property
    def label(self) -> str:
        return format_thai_month(self.month)


def draw_month_sample(complaints: pd.DataFrame, agency: str, month: Any, *, sample_pct: float = 10) -> MonthSample:
    """Draw ceil(``sample_pct`` %) of the complaints completed in ``month``, reproducibly.

    The ``k`` complaints with the smallest ``sha256(f"{seed}|{complaint_id}")`` are drawn, so the
    same complaints and agency always give the same sample, whatever the row order.
    """
    m = _month(month)
    seed = sample_seed(agency, m)
    pop = completed_in_month(complaints, m)["complaint_id"].dropna().astype(str).unique()
    k = audit_sample_size(len(pop), sample_pct)
    keys = sorted((hashlib.sha256(f"{seed}|{cid}".encode()).digest(), cid) for cid in pop)
    ids = tuple(sorted(cid for _, cid in keys[:k]))
    return MonthSample(_agency_key(agency), m, seed, len(pop), k, ids)


_UNSAFE = re.compile(r'[\\/:*?"<>|\x00-\x1f]+')


def sample_file_path(folder: str | Path, agency: str, fiscal_year_be: int) -> Path:
    """Where an agency's sample workbook of a fiscal year lives: ``folder/สุ่มตรวจ_<agency>_<FY>.xlsx``."""
    name = _UNSAFE.sub("_", _agency_key(agency)).strip(" .") or "agency"
    return Path(folder) / f"สุ่มตรวจ_{name}_{int(fiscal_year_be)}.xlsx"


@dataclass
class SampleFile:
    """The sample workbook of one agency after an update, and what it holds."""

    path: Path
    drawn: list[MonthSample] = field(default_factory=list)   #: months added by this run
    kept: list[_dt.date] = field(default_factory=list)       #: months that were already there (unchanged)
    marks: Normalized | None = None
    problems: list[Problem] = field(default_factory=list)

    @property
    def table(self) -> pd.DataFrame | None:
        """The canonical audit-sample table (month, complaint_id, correct, comment), for ``score()``."""
        return None if self.marks is None else self.marks.table


def _style_header(ws: Any, row: int, headers: Iterable[str], widths: Iterable[float] | None = None) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    thin = Side(style="thin")
    for j, h in enumerate(headers, start=1):
        c = ws.cell(row=row, column=j, value=h)
        c.font = Font(name=THAI_FONT, bold=True)
        c.fill = PatternFill("solid", fgColor="DDEBF7")
        c.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
        c.border = Border(top=thin, bottom=thin, left=thin, right=thin)
    for j, w in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(j)].width = w
    ws.row_dimensions[row].height = 48


def _new_sample_book(agency: str, fy: int, rules: RuleSet) -> Any:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = SAMPLE_SHEET
    audit = rules.audit
    ws["A1"] = "ตัวอย่างสุ่มตรวจความถูกต้องของการรายงานผลในระบบเรื่องราวร้องทุกข์ (กองกลาง สำนักปลัดกรุงเทพมหานคร)"
    ws["A1"].font = Font(name=THAI_FONT, bold=True, size=13)
    set_text(ws["A2"], f"หน่วยงาน {agency}   ปีงบประมาณ พ.ศ. {fy}")
    ws["A2"].font = Font(name=THAI_FONT, bold=True)
    ws["A3"] = (f"สุ่ม {audit.sample_pct:g}% (ปัดขึ้น) ของเรื่องที่ดำเนินการเสร็จสิ้นในแต่ละเดือน เลือกผลการตรวจ "
                f"{MARK_CORRECT}/{MARK_INCORRECT} ทุกเรื่อง เดือนที่ถูกต้องน้อยกว่าร้อยละ {audit.min_accuracy_pct:g} "
                f"หัก {audit.per_month:g} คะแนน (mark every complaint; a month below "
                f"{audit.min_accuracy_pct:g} % costs {audit.per_month:g})")
    ws["A3"].font = Font(name=THAI_FONT, italic=True)
    _style_header(ws, _HEADER_ROW, _HEADERS, _WIDTHS)
    ws.freeze_panes = f"A{_HEADER_ROW + 1}"
    print_setup(ws, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}")

    sm = wb.create_sheet(SUMMARY_SHEET)
    sm["A1"] = "สรุปผลการสุ่มตรวจรายเดือน (monthly audit-sample summary)"
    sm["A1"].font = Font(name=THAI_FONT, bold=True, size=13)
    set_text(sm["A2"], f"หน่วยงาน {agency}   ปีงบประมาณ พ.ศ. {fy}")
    _style_header(sm, _HEADER_ROW, _SUMMARY_HEADERS, (11, 14, 12, 9, 9, 9, 12, 10, 18))
    sm.freeze_panes = f"A{_HEADER_ROW + 1}"
    print_setup(sm, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}", landscape=False)
    return wb


def _mark_validation(ws: Any, first: int, last: int) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    dv = DataValidation(type="list", formula1=f'"{MARK_CORRECT},{MARK_INCORRECT}"', allow_blank=True,
                        showErrorMessage=True, errorTitle="ผลการตรวจ",
                        error=f"เลือก {MARK_CORRECT} หรือ {MARK_INCORRECT} (choose from the list)",
                        showInputMessage=True, promptTitle="ผลการตรวจ",
                        prompt=f"{MARK_CORRECT} / {MARK_INCORRECT}")
    dv.add(f"{_MARK_COL}{first}:{_MARK_COL}{last}")
    ws.add_data_validation(dv)


def _append_month(wb: Any, sample: MonthSample, complaints: pd.DataFrame, rules: RuleSet) -> None:
    from openpyxl.styles import Alignment, Font

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
    if SUMMARY_SHEET in wb.sheetnames:
        _append_summary(wb[SUMMARY_SHEET], sample, rules)


def _append_summary(sm: Any, sample: MonthSample, rules: RuleSet) -> None:
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
    audit = rules.audit
    sm.cell(r, 8, f'=IF(G{r}="","",IF(G{r}<{audit.min_accuracy_pct:g},{audit.per_month:g},0))')
    sm.cell(r, 9, str(sample.seed))


def _existing_months(norm: Normalized) -> set[_dt.date]:
    return {to_date(m) for m in norm.table["month"].dropna()}


def update_sample_file(
    path: str | Path,
    complaints: pd.DataFrame,
    agency: str,
    months: Iterable[Any],
    *,
    rules: RuleSet | str = "bma-2557",
) -> SampleFile:
    """Create or extend an agency's sample workbook with the draws of ``months``, then read it back.

    A month already in the file is kept exactly as it is (draw, marks, comments): re-running never
    changes an existing sample. When nothing is added the file is not rewritten at all. The marks
    read back are those of ``agency``.
    """
    from openpyxl import load_workbook

    rules = load_rules(rules)
    if rules.audit is None:
        raise ValueError(f"ชุดเกณฑ์ {rules.name} ไม่มีการสุ่มตรวจ (rule set {rules.name} has no audit sample)")
    path = Path(path)
    wanted = sorted({_month(m) for m in months})
    result = SampleFile(path)
    if path.exists():
        existing = read_sample_file(path, agency=agency)
        have = _existing_months(existing.marks) if existing.marks is not None else set()
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
        s = draw_month_sample(complaints, agency, m, sample_pct=rules.audit.sample_pct)
        _append_month(wb, s, complaints, rules)
        result.drawn.append(s)
    save_workbook_atomic(wb, path)
    back = read_sample_file(path, agency=agency)
    back.drawn, back.kept = result.drawn, result.kept
    return back


def read_sample_file(path: str | Path, *, agency: str | None = None) -> SampleFile:
    """Read a (marked) sample workbook back as the canonical audit-sample table.

    Marks must be ถูกต้อง or ไม่ถูกต้อง (the drop-down) or TRUE/FALSE; anything else is reported with its
    cell and counts as not yet marked, so that month gets no accuracy (and no deduction) until fixed.
    With ``agency``, rows of other agencies are dropped.
    """
    from cplkpi.guard import check_workbook_file

    path = Path(path)
    check_workbook_file(path)
    with reading(path):
        wb = open_readonly(path, data_only=True)
        try:
            if SAMPLE_SHEET not in wb.sheetnames:
                raise InputError([Problem("missing_sheet", f"ไฟล์สุ่มตรวจ {path.name} ไม่มีชีต {SAMPLE_SHEET}",
                                          f"sample file {path.name} has no sheet {SAMPLE_SHEET}", path.name)])
            rows = read_sheet_rows(wb[SAMPLE_SHEET])
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
    return SampleFile(path, marks=norm, problems=problems)
