"""The monthly report job: CPL_R001 and CPL_R003 for a month, filled, validated, narrated, printed.

``fill_monthly_reports(workbook, month, out_dir=…)`` takes a complaint
workbook (a :class:`~cplkpi.reader.ComplaintWorkbook`, or the path of an
.xlsx read values-only with python-calamine), asks the engine for every
figure of the month and of the fiscal year to date, fills copies of the
committed templates (``templates/CPL_R00x.xlsx``, layout in
``templates/LAYOUT.md``), writes the Thai narratives, validates the filled
reports and renders them to PDF with headless LibreOffice. The source is
never written; every output is a new file written atomically.

Nothing here computes a rule: received/completed/in progress per month come
from the months table of :func:`cplkpi.scoring.scores.score` (complaints
forwarded in the month, resolved in their current cycle by the as-of date),
the month's and the fiscal year's figures are their sums, the step table
comes from ``score()``, the open complaints from
:func:`cplkpi.scoring.monitor.monitor`. The reports'
totals and percentages are Excel formulas; the engine's figures are stored
as their cached values (:mod:`.cache`).
"""

from __future__ import annotations

import datetime as _dt
import math
import re
import tempfile
from copy import copy
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

import numpy as np
import pandas as pd
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell
from openpyxl.styles import Font
from openpyxl.utils import column_index_from_string
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.office import OfficeError, soffice, to_pdf
from cplkpi.ooxml.cached import save_with_values
from cplkpi.reader import ComplaintWorkbook, read_workbook
from cplkpi.scoring.days import to_date
from cplkpi.scoring.errors import Problem
from cplkpi.scoring.monitor import monitor, phase_th
from cplkpi.scoring.percent import percent, round_half_up
from cplkpi.scoring.rules import DEFAULT_RULES, RuleSet, RuleSetError, load_rules, short_label
from cplkpi.scoring.scores import ScoreResult, monthly_report_due, score
from cplkpi.scoring.thaidate import (
    fiscal_months,
    fiscal_year,
    fiscal_year_range,
    format_thai_date,
    format_thai_month,
    month_code,
    month_end,
    parse_date,
    parse_month,
)
from cplkpi.templates import layout
from cplkpi.templates.build import add_r003_charts
from cplkpi.xlsx import odd_page, set_text, write_table_sheet

from .narrative import Narratives, write_narratives
from .validate import FINDINGS_HEADERS, Finding, findings_rows, validate_reports

__all__ = [
    "NO_FINDINGS",
    "VALIDATION_SHEET",
    "MonthFigures",
    "ReportResult",
    "compute_figures",
    "fill_fiscal_year",
    "fill_monthly_reports",
    "month_code",
    "output_names",
    "render_r001",
    "render_r003",
    "short_label",
    "text_lines",
    "write_pdfs",
]

#: The sheet of the filled CPL_R003 that lists the validation findings of both reports.
VALIDATION_SHEET = "ผลการตรวจสอบ"
#: What that sheet says when there is no finding.
NO_FINDINGS = "ไม่พบข้อผิดพลาด (no findings)"


def output_names(month: _dt.date) -> list[str]:
    """The files :func:`fill_monthly_reports` writes into its folder for ``month``: CPL_R001, CPL_R003,
    the narrative text and the two PDFs (``CPL_R001_2563-09.xlsx`` … ``CPL_R003_2563-09.pdf``)."""
    code = month_code(month)
    return [f"CPL_R001_{code}.xlsx", f"CPL_R003_{code}.xlsx", f"CPL_narrative_{code}.txt",
            f"CPL_R001_{code}.pdf", f"CPL_R003_{code}.pdf"]


@dataclass
class MonthFigures:
    """The engine's figures for one report month (all a report shows comes from here)."""

    agency: str | None
    fiscal_year: int
    month: _dt.date
    period_start: _dt.date
    period_end: _dt.date
    as_of: _dt.date
    rules: RuleSet
    #: the month and the fiscal year to date: the keys of :func:`period_summary` (received, completed,
    #: pending and their %), summed from ``score.months``
    month_summary: dict[str, Any]
    fytd_summary: dict[str, Any]
    #: :func:`score` from the fiscal-year start to the month end, as of ``as_of``
    score: ScoreResult
    #: open complaints at the period end (CPL_R001 rows), oldest first
    pending: pd.DataFrame
    #: the Step-3 summary of this month is due by this date
    report_due: _dt.date

    @property
    def month_label(self) -> str:
        return format_thai_month(self.month, long=True)

    def pending_counts(self) -> dict[str, int]:
        """Open complaints: total, by status, forwarded in this fiscal year, carried over from earlier ones."""
        p = self.pending
        fwd = p["forwarded_on"]
        in_fy = int(((fwd >= pd.Timestamp(self.period_start)) & (fwd <= pd.Timestamp(self.period_end))).sum())
        counts = p["status"].value_counts()
        return {"total": len(p), "overdue": int(counts.get("overdue", 0)), "due_soon": int(counts.get("due_soon", 0)),
                "on_time": int(counts.get("on_time", 0)), "in_fiscal_year": in_fy, "carried_over": len(p) - in_fy}


@dataclass
class ReportResult:
    """What :func:`fill_monthly_reports` wrote and found."""

    figures: MonthFigures
    r001_xlsx: Path
    r003_xlsx: Path
    narrative_txt: Path
    narratives: Narratives
    findings: list[Finding]
    r001_pdf: Path | None = None
    r003_pdf: Path | None = None
    #: why the PDFs were not written (LibreOffice missing or failing), Thai (English)
    pdf_skipped: str | None = None
    input_problems: list[Problem] = field(default_factory=list)
    #: defined name → the engine's figure in the filled reports (what a reader of the names gets)
    named_values: dict[str, Any] = field(default_factory=dict)

    @property
    def paths(self) -> list[Path]:
        """Every file written, xlsx first."""
        return [p for p in (self.r001_xlsx, self.r003_xlsx, self.r001_pdf, self.r003_pdf, self.narrative_txt)
                if p is not None]

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.severity == "error"]


# --- figures -----------------------------------------------------------------------


def _book(workbook: ComplaintWorkbook | str | Path) -> ComplaintWorkbook:
    return workbook if isinstance(workbook, ComplaintWorkbook) else read_workbook(workbook)


def _pending(book: ComplaintWorkbook, end: _dt.date, as_of: _dt.date, rules: RuleSet, cal: Any) -> pd.DataFrame:
    """Complaints forwarded by ``end`` and still open at ``as_of`` (monitor + their latest report)."""
    complaints = book.complaints.table
    progress = book.progress.table if book.progress is not None else None
    known = complaints[complaints["forwarded_on"].notna() & (complaints["forwarded_on"] <= pd.Timestamp(end))]
    table = monitor(known, progress, as_of=as_of, rules=rules, calendar=cal)
    no_dates = pd.Series(pd.NaT, index=table.index, dtype="datetime64[ns]")  # a column the book lacks
    table = table.assign(
        received_on=known.loc[table.index, "received_at"].dt.normalize() if "received_at" in known else no_dates,
        forwarded_on=known.loc[table.index, "forwarded_on"],
        reopened_on=known.loc[table.index, "reopened_on"] if "reopened_on" in known else no_dates,
    )
    return table.sort_values(["forwarded_on", "complaint_id"], kind="stable")


def _summary(months: pd.DataFrame, start: _dt.date, end: _dt.date, as_of: _dt.date, rules: RuleSet) -> dict[str, Any]:
    """Received, completed, pending and their % over rows of ``score().months``, shaped like :func:`period_summary`:
    the reports take every count from the months table, so that every total is the sum of its rows."""
    received, completed = int(months["received"].sum()), int(months["completed"].sum())
    pending = received - completed
    return {"start": start, "end": end, "as_of": as_of, "received": received, "completed": completed,
            "pending": pending, "completed_pct": percent(completed, received, rules.pct_decimals),
            "pending_pct": percent(pending, received, rules.pct_decimals)}


def compute_figures(workbook: ComplaintWorkbook | str | Path, month: Any, *, rules: RuleSet | str = DEFAULT_RULES,
                    as_of: Any = None) -> MonthFigures:
    """Every figure of the month's reports, from the engine (no Excel involved).

    ``month`` and ``as_of`` are read like the engine reads dates (``2563-09``, ``ก.ย. 2563``,
    ``5 ต.ค. 2563``, a date); ``as_of`` defaults to the month's last day.
    """
    book = _book(workbook)
    rules = load_rules(rules)
    month = parse_month(month)
    fy = int(fiscal_year(month))
    fy_start, _ = fiscal_year_range(fy)
    end = month_end(month)
    as_of = parse_date(as_of) or (book.coverage.default_as_of(end) if book.coverage is not None else end)
    cal = book.calendar()
    complaints = book.complaints.table
    result = score(
        complaints,
        book.progress.table if book.progress is not None else None,
        book.monthly_reports.table if book.monthly_reports is not None else None,
        book.audit_sample.table if book.audit_sample is not None else None,
        rules=rules, start=fy_start, end=end, as_of=as_of, calendar=cal, coverage=book.coverage,
    )
    return MonthFigures(
        agency=book.agency,
        fiscal_year=fy,
        month=month,
        period_start=fy_start,
        period_end=end,
        as_of=as_of,
        rules=rules,
        month_summary=_summary(result.months[result.months["month"] == month], month, end, as_of, rules),
        fytd_summary=_summary(result.months, fy_start, end, as_of, rules),
        score=result,
        pending=_pending(book, end, as_of, rules, cal),
        report_due=monthly_report_due(month, rules.deadlines.monthly_report_due_day),
    )


# --- rendering -----------------------------------------------------------------------


def _month_start(value: Any) -> _dt.date:
    """The first day of the month of a date value (the months and deductions tables hold no empty month)."""
    day = to_date(value)
    if day is None:
        raise ValueError(f"no month date: {value!r}")
    return day.replace(day=1)


def _blank(value: Any) -> Any:
    """None for missing values (NaN, NaT, None), plain Python values otherwise."""
    if value is None or value is pd.NaT or value is pd.NA or (isinstance(value, float) and np.isnan(value)):
        return None
    if isinstance(value, pd.Timestamp | np.datetime64):
        return to_date(value)
    if isinstance(value, np.generic):
        return value.item()
    return value


def _cache(value: Any) -> Any:
    """A formula's cached value: None (an empty-text result) for missing."""
    value = _blank(value)
    return "" if value is None else value


def _load_template(name: str) -> Workbook:
    return load_workbook(layout.template_path(name))


def _step_label(rules: RuleSet, step: int) -> str:
    """``ขั้นตอนที่ 2`` (or ``ส่วนที่ 1``): the first word of the step's first component and the step number."""
    first = next(c for c in rules.components if c.step == step)
    return f"{first.label_th.split()[0]} {step}"


def _dsum(values: Any) -> Decimal:
    return sum((Decimal(str(v)) for v in values), Decimal(0))


def render_r003(fig: MonthFigures) -> tuple[Workbook, dict[str, Any], dict[str, Any]]:
    """The filled CPL_R003 workbook, its formula cells' engine values, and the named figures."""
    wb = _load_template(layout.R003_FILE)
    ws = wb[layout.R003_SHEET]
    add_r003_charts(ws)
    rules, res = fig.rules, fig.score
    n, mc, cc, sc = layout.R003_NAMES, layout.R003_MONTH_COLS, layout.R003_COMPONENT_COLS, layout.R003_STEP_COLS
    cache: dict[str, Any] = {}

    set_text(ws[n["R003_AGENCY"]], fig.agency or "")
    ws[n["R003_FISCAL_YEAR"]] = fig.fiscal_year
    ws[n["R003_PERIOD_START"]] = fig.period_start
    ws[n["R003_PERIOD_END"]] = fig.period_end
    ws[n["R003_AS_OF"]] = fig.as_of
    ws[n["R003_MONTH"]] = fig.month
    ws[n["R003_RULES"]] = rules.name
    _coverage_cells(ws, fig, n["R003_DATA_FROM"], n["R003_DATA_TO"])
    ws["A47"] = f"5. เกณฑ์ที่ใช้คำนวณ: {rules.title_th}"
    note = res.no_data_note()  # a period without any data: its full score is not earned
    if note is not None:
        set_text(ws[n["R003_NOTE"]], f"หมายเหตุ: {note}")
    ws["A8"] = f"เดือน{fig.month_label}"
    ws["A9"] = f"สะสมตั้งแต่ต้นปีงบประมาณ (ถึง{fig.month_label})"

    # parameters of the rule set
    late, audit = rules.late_report, rules.audit
    params = {
        "R003_THRESHOLD": rules.threshold_pct,
        "R003_LATE_PER_MONTH": late.per_month if late else None,
        "R003_LATE_FROM_STEP": late.from_step if late else None,
        "R003_AUDIT_SAMPLE_PCT": audit.sample_pct if audit else None,
        "R003_AUDIT_MIN_ACCURACY": audit.min_accuracy_pct if audit else None,
        "R003_AUDIT_PER_MONTH": audit.per_month if audit else None,
        "R003_AUDIT_FROM_STEP": audit.from_step if audit else None,
    }
    for name, value in params.items():
        ws[n[name]] = value

    # monthly table
    months = res.months.set_index(res.months["month"].map(_month_start))
    ded = res.deductions.assign(month=res.deductions["month"].map(_month_start))
    late_amount = ded[ded["kind"].isin(["late_report", "missing_report"])].groupby("month")["amount"].sum()
    audit_amount = ded[ded["kind"] == "audit"].groupby("month")["amount"].sum()
    month_row = None
    for r, m in zip(layout.MONTH_ROWS, fiscal_months(fig.fiscal_year)):
        ws[f"{mc['label']}{r}"] = format_thai_month(m)
        ws[f"{mc['start']}{r}"] = m
        ws[f"{mc['end']}{r}"] = month_end(m)
        formulas = layout.month_formulas(r)
        if m not in months.index:
            for key in formulas:
                cache[f"{mc[key]}{r}"] = ""
            continue
        if m == fig.month:
            month_row = r
        x = cast(pd.Series, months.loc[m])  # one row: the months table has one row per month
        values = {
            "received": int(x["received"]), "completed": int(x["completed"]),
            "report_due": to_date(x["report_due"]), "report_sent_on": _blank(x["report_sent_on"]),
            "completed_in_month": int(x["completed_in_month"]), "audit_accuracy_pct": _blank(x["audit_accuracy_pct"]),
        }
        for key, value in values.items():
            ws[f"{mc[key]}{r}"] = value
        status = (layout.REPORT_NO_DATA if not x["has_data"] else
                  layout.REPORT_NOT_DUE if not x["report_due_passed"] else
                  layout.REPORT_MISSING if _blank(x["report_sent_on"]) is None else
                  layout.REPORT_ON_TIME if x["report_on_time"] else layout.REPORT_LATE)
        engine = {
            "in_progress": int(x["in_progress"]),
            "completed_pct": _cache(percent(int(x["completed"]), int(x["received"]), rules.pct_decimals)),
            "report_status": status,
            "late_deduction": float(late_amount.get(m, 0)),
            "audit_sample": int(x["audit_sample_needed"]),
            "audit_deduction": float(audit_amount.get(m, 0)),
        }
        for key in formulas:
            cache[f"{mc[key]}{r}"] = engine[key]
    if month_row is None:
        raise ValueError(f"month {fig.month} is not in fiscal year {fig.fiscal_year}")

    t = layout.MONTHS_TOTAL_ROW
    fytd = fig.fytd_summary
    totals = {
        "received": fytd["received"], "completed": fytd["completed"], "in_progress": fytd["pending"],
        "completed_pct": _cache(fytd["completed_pct"]),
        "late_deduction": float(_dsum(late_amount)), "audit_deduction": float(_dsum(audit_amount)),
        "completed_in_month": int(months["completed_in_month"].sum()),
        "audit_sample": int(months["audit_sample_needed"].sum()),
    }
    for key in layout.total_formulas():
        cache[f"{mc[key]}{t}"] = totals[key]

    # summary block
    ms = fig.month_summary
    for ref, formula in layout.summary_formulas(month_row).items():
        ws[ref] = formula
    cache.update({
        "E8": ms["received"], "F8": ms["completed"], "G8": ms["pending"],
        "H8": _cache(ms["completed_pct"]), "I8": _cache(ms["pending_pct"]),
        "E9": fytd["received"], "F9": fytd["completed"], "G9": fytd["pending"],
        "H9": _cache(fytd["completed_pct"]), "I9": _cache(fytd["pending_pct"]),
    })

    # components
    comps = res.components.reset_index(drop=True)
    if len(comps) > len(layout.COMPONENT_ROWS):
        raise RuleSetError(f"rule set {rules.name} has {len(comps)} components; CPL_R003 holds "
                         f"{len(layout.COMPONENT_ROWS)}")
    by_key = {c.key: c for c in rules.components}
    for i, r in enumerate(layout.COMPONENT_ROWS):
        if i >= len(comps):
            for key in layout.component_formulas(r, monthly=False):
                cache[f"{cc[key]}{r}"] = ""
            ws.row_dimensions[r].hidden = True
            continue
        c = comps.iloc[i]
        comp = by_key[c["key"]]
        ws[f"{cc['step']}{r}"] = int(c["step"])
        set_text(ws[f"{cc['label']}{r}"], c["label_th"])
        ws[f"{cc['points']}{r}"] = float(c["points"])
        set_text(ws[f"{cc['short']}{r}"], short_label(c["label_th"]))
        ws[f"{cc['not_yet_due']}{r}"] = int(c["not_yet_due"])
        formulas = layout.component_formulas(r, monthly=comp.monthly)
        if not comp.monthly:
            ws[f"{cc['correct']}{r}"] = int(c["correct"])
            ws[f"{cc['total']}{r}"] = int(c["total"])
        engine = {"correct": int(c["correct"]), "total": int(c["total"]), "pct": _cache(c["pct"]),
                  "score": float(c["score"]), "no_data": int(c["no_data"])}
        for key, formula in formulas.items():
            ws[f"{cc[key]}{r}"] = formula
            cache[f"{cc[key]}{r}"] = engine[key]

    # steps
    steps = res.steps.reset_index(drop=True)
    for i, r in enumerate(layout.STEP_ROWS):
        formulas = layout.step_formulas(r)
        if i >= len(steps):
            for key in formulas:
                cache[f"{sc[key]}{r}"] = ""
            ws.row_dimensions[r].hidden = True
            continue
        s = steps.iloc[i]
        ws[f"{sc['step']}{r}"] = int(s["step"])
        set_text(ws[f"{sc['label']}{r}"], _step_label(rules, int(s["step"])))
        engine = {"points": float(s["points"]), "score_before": float(s["score_before"]),
                  "deductions": float(s["deductions"]), "score": float(s["score"])}
        for key in formulas:
            cache[f"{sc[key]}{r}"] = engine[key]
    t = layout.STEPS_TOTAL_ROW
    places = rules.score_decimals
    cache.update({
        f"F{t}": float(_dsum(steps["points"])),
        f"G{t}": round_half_up(_dsum(steps["score_before"]), places),
        f"H{t}": round_half_up(_dsum(steps["deductions"]), places),
        f"I{t}": float(res.total),
    })

    header = odd_page(ws)[0]
    header.right.text = f"{fig.agency or ''} เดือน{fig.month_label}"
    header.right.size = 8
    named = {name: _named_value(ws, cache, ref) for name, ref in n.items()
             if ":" not in ref and name != "R003_CHARTS"}
    return wb, {layout.R003_SHEET: cache}, named


def _named_value(ws: Worksheet, cache: dict[str, Any], ref: str) -> Any:
    if ref in cache:
        return cache[ref] if cache[ref] != "" else None
    value = ws[ref].value
    return value.date() if isinstance(value, _dt.datetime) else value


_THAI_MARKS = re.compile("[\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]")


def text_lines(text: Any, width: float, font_size: float = 9) -> int:
    """Printed lines a wrapped text needs in a column ``width`` wide at ``font_size`` points (Thai marks
    above and below a letter take no width): Excel and LibreOffice do not grow a row to fit on load."""
    if not text:
        return 1
    chars_per_line = width * 1.2 * (9 / font_size)  # about 1.2 letters of 9-point Tahoma per width unit
    return max(1, math.ceil(len(_THAI_MARKS.sub("", str(text))) / chars_per_line))


def _objects(values: Any) -> list[Any]:
    """A column as plain Python objects: dates as ``datetime.date``, missing as None."""
    if isinstance(values, pd.Series) and pd.api.types.is_datetime64_any_dtype(values.dtype):
        return values.to_numpy().astype("datetime64[D]").astype(object).tolist()
    if isinstance(values, pd.Series):
        return values.astype(object).where(values.notna(), None).tolist()
    return list(values)


def _write_r001_rows(ws: Worksheet, p: pd.DataFrame, first: int) -> None:
    """The open complaints as styled rows from ``first`` (the template's row ``first`` gives the styles)."""
    cols = layout.R001_COLS
    styles = {key: ws[f"{col}{first}"]._style for key, col in cols.items()}
    template_font = ws[f"{cols['status']}{first}"].font
    overdue_font = Font(name=template_font.name, size=template_font.size, bold=True, color="C00000")
    missing = [None] * len(p)
    columns = {
        "no": list(range(1, len(p) + 1)),
        **{key: _objects(p[key]) if key in p else missing for key in cols if key not in ("no", "phase", "status")},
        "phase": _objects(phase_th(p)),
        "status": _objects(p["status_th"]),
    }
    text_cols = {"complaint_id", "subject", "unit", "phase", "status", "source_status"}
    widths = {k: ws.column_dimensions[cols[k]].width for k in ("subject", "unit", "phase")}
    col_index = {key: column_index_from_string(col) for key, col in cols.items()}
    overdue = (p["status"] == "overdue").to_numpy()
    cells = ws._cells  # bulk creation: ws.cell() costs more than the cell itself
    for key, values in columns.items():
        c, style, text = col_index[key], styles[key], key in text_cols
        for i, value in enumerate(values):
            cell = Cell(ws, row=first + i, column=c, style_array=style)  # the cell takes a copy
            if value is not None:
                if text:
                    set_text(cell, value)
                else:  # dates and counts; the template's column style already has their number format
                    # set as stored, without openpyxl's type guessing per cell (the kind is known per column)
                    cell._value, cell.data_type = value, "d" if isinstance(value, _dt.date) else "n"  # type: ignore[attr-defined]
            cells[(first + i, c)] = cell
    overdue_style = None
    # types-openpyxl leaves StyleableObject._style (a __slots__ entry) undeclared
    for pos in np.flatnonzero(overdue):
        status = cells[(first + int(pos), col_index["status"])]
        if overdue_style is None:
            status.font = overdue_font
            overdue_style = status._style  # type: ignore[union-attr]
        else:
            status._style = copy(overdue_style)  # type: ignore[union-attr]
    for i, texts in enumerate(zip(columns["subject"], columns["unit"], columns["phase"])):
        lines = max(text_lines(t, widths[k]) for t, k in zip(texts, ("subject", "unit", "phase")))
        if lines > 1:
            ws.row_dimensions[first + i].height = 12.5 * lines


def _coverage_cells(ws: Worksheet, fig: MonthFigures, start_ref: str, end_ref: str) -> None:
    """The days an imported snapshot covers; for a workbook kept by the agency the row stays empty, labels too."""
    cov = fig.score.coverage
    if cov is not None:
        ws[start_ref], ws[end_ref] = cov.start, cov.end
    else:
        for ref in layout.COVERAGE_LABEL_CELLS:
            ws[ref] = None


def render_r001(fig: MonthFigures) -> tuple[Workbook, dict[str, Any], dict[str, Any]]:
    """The filled CPL_R001 workbook, its formula cells' engine values, and the named figures."""
    wb = _load_template(layout.R001_FILE)
    ws = wb[layout.R001_SHEET]
    n, cols = layout.R001_NAMES, layout.R001_COLS
    set_text(ws[n["R001_AGENCY"]], fig.agency or "")
    ws[n["R001_FISCAL_YEAR"]] = fig.fiscal_year
    ws[n["R001_AS_OF"]] = fig.as_of
    ws[n["R001_MONTH"]] = fig.month
    ws[n["R001_PERIOD_START"]] = fig.period_start
    ws[n["R001_PERIOD_END"]] = fig.period_end
    _coverage_cells(ws, fig, n["R001_DATA_FROM"], n["R001_DATA_TO"])

    first = layout.R001_FIRST_ROW
    p = fig.pending
    _write_r001_rows(ws, p, first)
    last = first + max(len(p), 1) - 1
    if len(p) == 0:
        ws[f"{cols['subject']}{first}"] = layout.NO_PENDING
    for ref, formula in layout.r001_summary_formulas(last).items():
        ws[ref] = formula
    counts = fig.pending_counts()
    cache = {
        n["R001_PENDING_TOTAL"]: counts["total"],
        n["R001_OVERDUE"]: counts["overdue"],
        n["R001_DUE_SOON"]: counts["due_soon"],
        n["R001_ON_TIME"]: counts["on_time"],
        n["R001_PENDING_FY"]: counts["in_fiscal_year"],
        n["R001_CARRIED_OVER"]: counts["carried_over"],
    }
    end = layout.R001_LAST_COL
    layout.set_name(wb, "R001_TABLE", layout.R001_SHEET, f"A{layout.R001_HEADER_ROW}:{end}{last}")
    layout.set_name(wb, "R001_DATA", layout.R001_SHEET, f"A{first}:{end}{last}")
    ws.print_area = f"A1:{end}{last}"
    header = odd_page(ws)[0]
    header.right.text = f"{fig.agency or ''} ณ วันที่ {format_thai_date(fig.as_of)}"
    header.right.size = 8
    named = {name: _named_value(ws, cache, ref) for name, ref in n.items() if ":" not in ref}
    return wb, {layout.R001_SHEET: cache}, named


# --- the job -------------------------------------------------------------------------


def _input_findings(problems: list[Problem]) -> list[Finding]:
    return [Finding(f"input_{p.code}", p.sheet, p.ref, p.message_th, p.message_en, p.severity,
                    report="ข้อมูลต้นทาง (source)") for p in problems]


def write_pdfs(paths: list[Path], targets: list[Path] | None = None) -> tuple[list[Path | None], str | None]:
    """Render each workbook to a PDF (``targets``, default: beside it) with headless LibreOffice.

    Returns the PDFs (None for those not written) and why they were not written (LibreOffice missing
    or failing, Thai with English), None when all were: a missing PDF never stops the job.
    """
    if soffice() is None:
        return [None] * len(paths), ("ไม่ได้สร้าง PDF เพราะไม่พบ LibreOffice (PDFs skipped: LibreOffice not found; "
                                     "apt-get install -y --no-install-recommends libreoffice-calc-nogui)")
    out: list[Path | None] = []
    try:
        for path in paths:
            out.append(to_pdf(path, targets[len(out)] if targets else path.with_suffix(".pdf")))
    except OfficeError as exc:
        return out + [None] * (len(paths) - len(out)), f"สร้าง PDF ไม่สำเร็จ (PDF export failed): {exc}"
    return out, None


def fill_monthly_reports(
    workbook: ComplaintWorkbook | str | Path,
    month: Any,
    *,
    out_dir: str | Path,
    rules: RuleSet | str = DEFAULT_RULES,
    as_of: Any = None,
    pdf: bool = True,
) -> ReportResult:
    """Fill CPL_R001 and CPL_R003 for ``month`` (and the fiscal year to date) into ``out_dir``.

    ``workbook`` is a :class:`ComplaintWorkbook` (e.g. built by
    :func:`cplkpi.reader.from_sheets` from an open Excel book) or the path
    of a complaint workbook, which is read values-only and never written.
    ``month`` is a date in the month or text such as ``2563-09`` or
    ``ก.ย. 2563``; ``as_of`` (a date or text such as ``5 ต.ค. 2563``) defaults
    to the month's last day. Writes
    ``CPL_R001_<yyyy-mm>.xlsx`` and ``CPL_R003_<yyyy-mm>.xlsx`` (B.E. year;
    the latter with a validation sheet), ``CPL_narrative_<yyyy-mm>.txt`` and,
    with ``pdf`` and LibreOffice installed, a PDF of each report.
    """
    book = _book(workbook)
    fig = compute_figures(book, month, rules=rules, as_of=as_of)
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    r001_name, r003_name, narrative_name = output_names(fig.month)[:3]
    r001_path, r003_path = out_dir / r001_name, out_dir / r003_name

    wb1, cache1, named1 = render_r001(fig)
    wb3, cache3, named3 = render_r003(fig)
    # the in-memory reports with the engine's results of their formulas: what the files will read
    findings = validate_reports(r003=wb3, r001=wb1, r003_formulas=wb3, r001_formulas=wb1,
                                values={**cache1, **cache3}, rules=fig.rules)
    findings += _input_findings(book.problems)
    ws = write_table_sheet(wb3, VALIDATION_SHEET, FINDINGS_HEADERS, findings_rows(findings),
                           [16, 22, 16, 14, 10, 70, 70])
    if not findings:
        ws["A2"] = NO_FINDINGS
    save_with_values(wb1, r001_path, cache1)
    save_with_values(wb3, r003_path, cache3)

    narratives = Narratives.for_month(fig)
    narrative_path = write_narratives(narratives, out_dir / narrative_name)
    result = ReportResult(fig, r001_path, r003_path, narrative_path, narratives, findings,
                          input_problems=book.problems, named_values={**named1, **named3})
    if pdf:
        # the official PDF is the report alone: the validation sheet stays in the workbook, out of the print
        del wb3[VALIDATION_SHEET]
        with tempfile.TemporaryDirectory(prefix="cplkpi-print-") as tmp:
            print_copy = save_with_values(wb3, Path(tmp) / r003_path.name, cache3)
            (result.r001_pdf, result.r003_pdf), result.pdf_skipped = write_pdfs(
                [r001_path, print_copy], [r001_path.with_suffix(".pdf"), r003_path.with_suffix(".pdf")])
    return result


def fill_fiscal_year(
    workbook: ComplaintWorkbook | str | Path,
    fiscal_year: int,
    *,
    out_dir: str | Path,
    rules: RuleSet | str = DEFAULT_RULES,
    pdf: bool = True,
) -> list[ReportResult]:
    """The twelve months of ``fiscal_year`` (B.E.), October first: one :class:`ReportResult` each."""
    book = _book(workbook)
    return [fill_monthly_reports(book, m, out_dir=out_dir, rules=rules, pdf=pdf) for m in fiscal_months(fiscal_year)]
