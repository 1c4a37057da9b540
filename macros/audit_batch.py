"""Audit a folder of agency workbooks in one run, and write the committee workbook.

:func:`audit_folder` audits every ``.xlsx``/``.xlsm`` file of a folder with
:func:`~cplkpi.macros.audit.audit_workbook` in a process pool, with a rich
progress bar. A workbook that cannot be audited (corrupt, encrypted, missing
sheet, too large, even one that crashes its worker process) is reported and
skipped; the batch never stops for it.

:func:`write_committee_workbook` writes what the committee reads: one row per
agency (step percentages, step scores, deductions, total, rank, findings
count), the findings, the files that could not be audited and a bar chart of
the totals; Thai, B.E. dates, A4 landscape fitted to the page width with the
header row repeated on every page. :func:`audit_folder` also renders it to PDF
with headless LibreOffice (:func:`cplkpi.office.to_pdf`).
"""

from __future__ import annotations

import datetime as _dt
import faulthandler
import math
import os
import tempfile
import zipfile
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.guard import check_workbook_file, reading
from cplkpi.ooxml.parts import sheet_parts
from cplkpi.outputs import ensure_not_input
from cplkpi.scoring.days import BANGKOK
from cplkpi.scoring.errors import CplError
from cplkpi.scoring.rules import DEFAULT_RULES, RuleSet, load_rules, short_label
from cplkpi.scoring.thaidate import format_thai_date, format_thai_month, month_code, parse_month
from cplkpi.templates.styles import header_row
from cplkpi.xlsx import THAI_DATE_FORMAT, THAI_FONT, print_setup, save_workbook_atomic, set_text

from .audit import AgencySummary, audit_error, audit_workbook, category_label, finding_order
from .findings import Finding
from .reports import text_lines, write_pdfs
from .sheets import worksheet

__all__ = [
    "CHART_SHEET",
    "ERRORS_SHEET",
    "FINDINGS_SHEET",
    "SUMMARY_SHEET",
    "BatchResult",
    "audit_files",
    "audit_folder",
    "batch_files",
    "ignored_files",
    "workbook_files",
    "write_committee_workbook",
]

SUMMARY_SHEET = "สรุปผลการตรวจ"
FINDINGS_SHEET = "ข้อค้นพบ"
ERRORS_SHEET = "ไฟล์ที่ตรวจไม่ได้"
CHART_SHEET = "แผนภูมิ"
_HEADER_ROW = 5


@dataclass
class BatchResult:
    """What a batch audit produced: one summary per file (errors included) and every finding."""

    summaries: list[AgencySummary] = field(default_factory=list)
    findings: list[tuple[AgencySummary, Finding]] = field(default_factory=list)
    workbook: Path | None = None
    pdf: Path | None = None
    #: why the PDF was not written (LibreOffice missing or failing), Thai (English)
    pdf_skipped: str | None = None
    #: files of the folder that were not audited at all: (file name, reason Thai (English))
    ignored: list[tuple[str, str]] = field(default_factory=list)

    @property
    def audited(self) -> list[AgencySummary]:
        return [s for s in self.summaries if s.error is None]

    @property
    def errors(self) -> list[AgencySummary]:
        return [s for s in self.summaries if s.error is not None]

    @property
    def agencies(self) -> int:
        """How many agencies were audited (several files of one agency count once)."""
        return len({s.agency for s in self.audited})

    @property
    def exit_status(self) -> int:
        """0: every file audited and passed; 1: an error-level finding or a file that could not be audited."""
        return 1 if self.errors or any(s.errors for s in self.audited) else 0


def _ignore_reason(p: Path, skip: set[Path]) -> str | None:
    """Why entry ``p`` of a batch folder is not audited (Thai (English)); None when it is audited."""
    if p.resolve() in skip:
        return "ผลการตรวจของคณะกรรมการเอง (the committee's own output)"
    if p.is_dir():
        return "เป็นโฟลเดอร์ ไม่ตรวจโฟลเดอร์ย่อย (a folder: sub-folders are not audited)"
    if not p.is_file():
        return "ไม่ใช่ไฟล์ปกติ (pipe/FIFO อุปกรณ์ หรือ socket) (not a regular file: a pipe, device or socket)"
    if p.name.startswith("~$"):
        return "ไฟล์ล็อกชั่วคราวของ Excel (an Excel lock file of an open workbook)"
    if p.name.startswith("."):
        return "ไฟล์ซ่อน (a hidden file)"
    if p.suffix.lower() not in (".xlsx", ".xlsm"):
        return "ไม่ใช่ไฟล์ Excel .xlsx/.xlsm (not an Excel workbook)"
    return None


def workbook_files(folder: str | Path, exclude: Iterable[Path] = ()) -> list[Path]:
    """The workbooks of a folder to audit, sorted by name (see :func:`ignored_files` for the others)."""
    skip = {p.resolve() for p in exclude}
    return sorted((p for p in Path(folder).iterdir() if _ignore_reason(p, skip) is None), key=lambda p: p.name)


def ignored_files(folder: str | Path, exclude: Iterable[Path] = ()) -> list[tuple[str, str]]:
    """(name, reason) of every entry of ``folder`` that :func:`workbook_files` leaves out, sorted by name."""
    skip = {p.resolve() for p in exclude}
    out = [(p.name, _ignore_reason(p, skip)) for p in Path(folder).iterdir()]
    return sorted((n, r) for n, r in out if r is not None)


#: The sheets of a committee workbook (:func:`write_committee_workbook`); the chart and errors ones are optional.
_COMMITTEE_SHEETS = (SUMMARY_SHEET, FINDINGS_SHEET, ERRORS_SHEET, CHART_SHEET)


def is_committee_workbook(path: str | Path) -> bool:
    """Whether ``path`` is a committee workbook cplkpi wrote: named ``สรุปผลการตรวจ…xlsx`` and holding the
    committee workbook's sheets only (its summary and findings first). A workbook merely named like one
    (an agency's submission) is not: it is audited, and never replaced."""
    path = Path(path)
    if not (path.name.startswith(SUMMARY_SHEET) and path.suffix.lower() == ".xlsx" and path.is_file()):
        return False
    try:
        check_workbook_file(path)
        with reading(path), zipfile.ZipFile(path) as zf:
            names = list(sheet_parts(zf))
    except CplError:
        return False
    return names[:2] == [SUMMARY_SHEET, FINDINGS_SHEET] and set(names) <= set(_COMMITTEE_SHEETS)


def earlier_outputs(out_dir: str | Path) -> list[Path]:
    """The committee workbooks an earlier run wrote into ``out_dir`` (which may be the audited folder):
    by what they hold (:func:`is_committee_workbook`), not by their name alone."""
    out_dir = Path(out_dir)
    return [p for p in out_dir.glob(f"{SUMMARY_SHEET}*.xlsx") if is_committee_workbook(p)] if (
        out_dir.is_dir()) else []


def batch_files(folder: str | Path, out_dir: str | Path) -> list[Path]:
    """The workbooks :func:`audit_folder` audits: those of ``folder`` except :func:`earlier_outputs`."""
    return workbook_files(folder, exclude=earlier_outputs(out_dir))


def _audit_one(path: Path, month: Any, rules: RuleSet, samples: Path | None) -> tuple[AgencySummary, list[Finding]]:
    """Worker: audit one file; any failure becomes an error summary, never an exception."""
    try:
        result = audit_workbook(path, month=month, rules=rules, samples=samples)
    except Exception as exc:
        return AgencySummary(path.name, None, None, None, error=audit_error(path.name, exc)), []
    return result.summary(), result.findings


def _worker_stderr(log: str | None) -> None:
    """Worker initializer: what a crashing reader prints (a Rust panic, its backtrace) goes to ``log``
    (or nowhere), never to the user's terminal; the batch reports the crash as one line."""
    faulthandler.disable()  # its dump of a fatal signal would go to the terminal too
    os.environ["RUST_BACKTRACE"] = "0"
    fd = os.open(log or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    os.dup2(fd, 2)
    os.close(fd)


def _isolated(job: Callable[..., tuple[AgencySummary, list[Finding]]], path: Path,
              args: tuple[Any, ...]) -> tuple[AgencySummary, list[Finding]]:
    """Audit one file in a process of its own; a crash is that file's error, with the last line the
    process printed (e.g. ``memory allocation of 8000000000 bytes failed``)."""
    with tempfile.TemporaryDirectory(prefix="cplkpi-") as tmp:
        log = Path(tmp) / "stderr.txt"
        with ProcessPoolExecutor(max_workers=1, initializer=_worker_stderr, initargs=(str(log),)) as pool:
            try:
                return pool.submit(job, path, *args).result()
            except BrokenProcessPool:
                pass
        lines = [x.strip() for x in log.read_text("utf-8", "replace").splitlines() if x.strip()] if (
            log.exists()) else []
    why = f": {lines[-1][:200]}" if lines else ""
    return AgencySummary(path.name, None, None, None, error=(
        f"กระบวนการตรวจหยุดทำงานกะทันหันขณะอ่านไฟล์นี้ (the worker process crashed while auditing this "
        f"file{why})")), []


def audit_files(
    files: list[Path],
    *,
    month: Any = None,
    rules: RuleSet | str = DEFAULT_RULES,
    samples: str | Path | None = None,
    workers: int | None = None,
    on_done: Callable[[Path, AgencySummary], None] | None = None,
    job: Callable[..., tuple[AgencySummary, list[Finding]]] | None = None,
) -> BatchResult:
    """Audit ``files`` in ``workers`` processes (never in this one) and collect the results in file order.

    A worker process that dies is replaced; each file it may have been auditing is audited again in
    a process of its own and reported as an error (one line) if it kills that one too. ``job`` (a
    module-level function with the arguments of the default, ``path, month, rules, samples``) replaces
    the audit of one file.
    """
    rules = load_rules(rules)
    samples = Path(samples) if samples is not None else None
    workers = workers or min(len(files), os.cpu_count() or 1) or 1
    run: Callable[..., tuple[AgencySummary, list[Finding]]] = job or _audit_one
    done: dict[Path, tuple[AgencySummary, list[Finding]]] = {}

    def finish(path: Path, outcome: tuple[AgencySummary, list[Finding]]) -> None:
        done[path] = outcome
        if on_done is not None:
            on_done(path, outcome[0])

    args = (month, rules, samples)
    queue = deque(files)
    while queue:
        suspects: list[Path] = []
        with ProcessPoolExecutor(max_workers=workers, initializer=_worker_stderr, initargs=(None,)) as pool:
            running: dict[Future, Path] = {}
            while (queue or running) and not suspects:
                while queue and len(running) < 2 * workers:
                    p = queue.popleft()
                    running[pool.submit(run, p, *args)] = p
                finished, _ = wait(running, return_when=FIRST_COMPLETED)
                for fut in finished:
                    p = running.pop(fut)
                    try:
                        finish(p, fut.result())
                    except BrokenProcessPool:
                        suspects.append(p)
            suspects += running.values()
        for p in suspects:  # a worker died: audit each file it may have been reading on its own
            finish(p, _isolated(run, p, args))
    outcomes = [done[p] for p in files]
    by_agency: dict[str | None, list[str]] = {}
    for s, _ in outcomes:
        if s.error is None:
            by_agency.setdefault(s.agency, []).append(s.file)
    result = BatchResult()
    for summary, findings in outcomes:
        same = by_agency.get(summary.agency, []) if summary.error is None else []
        if len(same) > 1 and summary.file == same[0]:  # said once per agency, on its first file
            names = ", ".join(same[:_NAMED_FILES]) + (f" และอีก {len(same) - _NAMED_FILES} ไฟล์"
                                                       if len(same) > _NAMED_FILES else "")
            names_en = ", ".join(same[:_NAMED_FILES]) + (f" and {len(same) - _NAMED_FILES} more"
                                                          if len(same) > _NAMED_FILES else "")
            findings = [*findings, Finding("duplicate_agency", None, None,
                                           f"หน่วยงาน {summary.agency} ส่งมา {len(same)} ไฟล์: {names}",
                                           f"agency {summary.agency} sent {len(same)} files: {names_en}",
                                           reported=len(same), recomputed=1)]
            summary = replace(summary, findings=summary.findings + 1, errors=summary.errors + 1)
        result.summaries.append(summary)
        result.findings.extend((summary, f) for f in sorted(findings, key=finding_order))
    return result


#: File names a ``duplicate_agency`` finding lists before "and N more".
_NAMED_FILES = 5


def audit_folder(
    folder: str | Path,
    *,
    out_dir: str | Path,
    month: Any = None,
    rules: RuleSet | str = DEFAULT_RULES,
    samples: str | Path | None = None,
    workers: int | None = None,
    pdf: bool = True,
    console: Any = None,
    made_on: _dt.date | None = None,
) -> BatchResult:
    """Audit every workbook of ``folder`` and write the committee workbook (and its PDF) into ``out_dir``.

    ``samples`` (default ``out_dir/สุ่มตรวจ``) holds each agency's sample workbook. With a rich
    ``console`` a progress bar is shown. Without a working LibreOffice the PDF is skipped and
    ``pdf_skipped`` says why.
    """
    from rich.markup import escape  # noqa: PLC0415 (rich: not installed under xlwings Lite (emscripten))
    from rich.progress import (  # noqa: PLC0415 (rich: not installed under xlwings Lite (emscripten))
        BarColumn,
        MofNCompleteColumn,
        Progress,
        TextColumn,
        TimeElapsedColumn,
        TimeRemainingColumn,
    )

    out_dir = Path(out_dir)
    samples = Path(samples) if samples is not None else out_dir / "สุ่มตรวจ"
    own = [*earlier_outputs(out_dir), samples]  # the sample folder may sit inside the audited folder
    files = workbook_files(folder, exclude=own)
    rules = load_rules(rules)
    with Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                  TimeRemainingColumn(), console=console, disable=console is None) as bar:
        task = bar.add_task("ตรวจไฟล์ (auditing)", total=len(files))

        def on_done(path: Path, summary: AgencySummary) -> None:
            mark = "[red]✗[/]" if summary.error else "[green]✓[/]"
            bar.update(task, advance=1, description=f"{mark} {escape(path.name)}")  # a name is not markup
            if summary.error and console is not None:
                bar.console.print(f"[red]ข้ามไฟล์ (skipped)[/] {escape(path.name)}: {escape(summary.error)}")

        result = audit_files(files, month=month, rules=rules, samples=samples, workers=workers, on_done=on_done)
    result.ignored = ignored_files(folder, exclude=own)
    label = _batch_month(result, month)
    name = f"สรุปผลการตรวจ_{month_code(label)}" if isinstance(label, _dt.date) else "สรุปผลการตรวจ"
    target = ensure_not_input(out_dir / f"{name}.xlsx", *files)  # an audited file of that name is never replaced
    result.workbook = write_committee_workbook(result, target, rules=rules,
                                               month=label if isinstance(label, _dt.date) else None,
                                               made_on=made_on)
    if pdf:
        (result.pdf,), result.pdf_skipped = write_pdfs([result.workbook])
    return result


def _batch_month(result: BatchResult, month: Any) -> _dt.date | None:
    months = {s.month for s in result.audited if s.month is not None}
    if month is not None:
        return parse_month(month)
    return months.pop() if len(months) == 1 else None


# --- the committee workbook -----------------------------------------------------


def _header(ws: Worksheet, row: int, headers: list[str], widths: Sequence[float]) -> None:
    header_row(ws, row, headers, height=48, size=None, border_color=None, widths=widths)
    ws.freeze_panes = ws.cell(row + 1, 1).coordinate


def _title(ws: Worksheet, lines: list[str]) -> None:
    for i, text in enumerate(lines, start=1):
        c = ws.cell(i, 1)
        set_text(c, text)
        c.font = Font(name=THAI_FONT, bold=i == 1, size=14 if i == 1 else 11)


def _verdict(s: AgencySummary) -> str:
    """The note of an agency's row: passed or not, and how many errors."""
    if s.errors:
        return f"ไม่ผ่าน: ผิดพลาด {s.errors} รายการ (failed: {s.errors} errors)"
    return "ผ่าน (passed)"


def _put(cell: Cell | MergedCell, value: Any, fmt: str | None = None) -> None:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return
    if isinstance(value, str):
        set_text(cell, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")  # long text wraps inside its column
    elif isinstance(value, _dt.date):
        cell.value = value
        cell.number_format = THAI_DATE_FORMAT
    else:
        cell.value = value
        if fmt:
            cell.number_format = fmt
    cell.font = Font(name=THAI_FONT)


def _fit_height(ws: Worksheet, row: int, texts: list[tuple[str, float]]) -> None:
    """Give a row the height its wrapped texts need (Excel and LibreOffice do not grow rows on load)."""
    lines = max(text_lines(t, width, font_size=11) for t, width in texts)
    if lines > 1:
        ws.row_dimensions[row].height = 15 * lines


def write_committee_workbook(
    result: BatchResult,
    path: str | Path,
    *,
    rules: RuleSet | str = DEFAULT_RULES,
    month: _dt.date | None = None,
    made_on: _dt.date | None = None,
) -> Path:
    """Write the committee workbook of a batch (atomically) and return its path."""
    rules = load_rules(rules)
    made_on = made_on or _dt.datetime.now(BANGKOK).date()
    audited = result.audited
    comp_keys = [(c.key, c.label_th) for c in rules.components]
    totals = pd.Series([s.total for s in audited], dtype=float)
    ranks = totals.rank(method="min", ascending=False) if len(totals) else totals
    order = sorted(range(len(audited)), key=lambda i: (ranks.iloc[i], audited[i].agency or ""))

    wb = Workbook()
    ws = worksheet(wb)
    ws.title = SUMMARY_SHEET
    when = f"ประจำเดือน {format_thai_month(month, long=True)} " if month else ""
    fy = next((s.fiscal_year for s in audited if s.fiscal_year), None)
    _title(ws, [
        f"สรุปผลการตรวจสอบตัวชี้วัดการจัดการเรื่องร้องเรียน {when}"
        + (f"(ปีงบประมาณ พ.ศ. {fy})" if fy else ""),
        f"ชุดเกณฑ์ {rules.title_th}",
        (f"จัดทำเมื่อ {format_thai_date(made_on, 'long')}   ตรวจแล้ว {result.agencies} หน่วยงาน "
         f"จาก {len(audited)} ไฟล์   ไม่ผ่าน {sum(1 for s in audited if s.errors)} ไฟล์   "
         f"ตรวจไม่ได้ {len(result.errors)} ไฟล์   ไม่ได้ตรวจ {len(result.ignored)} ไฟล์"),
    ])
    headers = (["อันดับ", "หน่วยงาน", "ไฟล์", "เดือนที่ตรวจ", "จำนวนเรื่อง"]
               + [f"{short_label(label)} (ร้อยละ)" for _, label in comp_keys]
               + [f"คะแนนขั้นตอนที่ {s}" for s in rules.steps]
               + ["หักคะแนนสุ่มตรวจ", "หักคะแนนรายงานประจำเดือน", f"คะแนนรวม (เต็ม {rules.total_points:g})",
                  "ร้อยละถูกต้องสุ่มตรวจ", "ข้อค้นพบ", "ข้อสังเกตคุณภาพข้อมูล", "หมายเหตุ"])
    widths = [7, 30, 26, 11, 9] + [12] * len(comp_keys) + [11] * len(rules.steps) + [11, 13, 12, 12, 10, 12, 40]
    _header(ws, _HEADER_ROW, headers, widths)
    score_fmt = "0." + "0" * rules.score_decimals
    r = _HEADER_ROW
    for i in order:
        s = audited[i]
        r += 1
        comps = {k: (pct, sc) for k, _, pct, sc in s.components}
        steps = {st: score for st, _, _, _, score in s.steps}
        ded = dict(s.deductions)
        row = ([int(ranks.iloc[i]), s.agency, s.file, s.month, s.complaints]
               + [comps.get(k, (None, None))[0] for k, _ in comp_keys]
               + [steps.get(st) for st in rules.steps]
               + [ded.get("audit", 0.0), ded.get("late_report", 0.0) + ded.get("missing_report", 0.0), s.total,
                  s.sample_accuracy_pct, s.findings, s.observations, _verdict(s)])
        fmts = ([None] * 5 + ["0.00"] * len(comp_keys) + [score_fmt] * len(rules.steps)
                + ["0.00", "0.00", score_fmt, "0.00", "0", "0", None])
        for j, (v, fmt) in enumerate(zip(row, fmts), start=1):
            _put(ws.cell(r, j), v, fmt)
        if s.month is not None:
            ws.cell(r, 4).number_format = "[$-107041E]mmm yyyy;@"
    last_ranked = r
    for s in result.errors:
        r += 1
        _put(ws.cell(r, 3), s.file)
        _put(ws.cell(r, len(headers)), f"ตรวจไม่ได้ (could not be audited): ดูชีต {ERRORS_SHEET}")
        ws.cell(r, len(headers)).font = Font(name=THAI_FONT, color="C00000")
    print_setup(ws, title_rows=f"{_HEADER_ROW}:{_HEADER_ROW}")
    ws.auto_filter.ref = f"A{_HEADER_ROW}:{get_column_letter(len(headers))}{max(r, _HEADER_ROW)}"

    fs = wb.create_sheet(FINDINGS_SHEET)
    _title(fs, [f"ข้อค้นพบจากการตรวจสอบ {when}".strip(), f"จัดทำเมื่อ {format_thai_date(made_on, 'long')}"])
    f_headers = ["หน่วยงาน", "ไฟล์", "ประเภท", "กลุ่ม", "ชีต", "เซลล์", "ค่าที่รายงาน", "ค่าที่คำนวณใหม่",
                 "รายละเอียด", "detail (English)"]
    _header(fs, 4, f_headers, [24, 22, 26, 14, 16, 9, 14, 14, 60, 50])
    # per file: tampering/consistency errors first, data-quality observations last
    ordered = sorted(result.findings, key=lambda x: (x[0].agency or "", x[0].file, finding_order(x[1])))
    for k, (s, f) in enumerate(ordered, start=5):
        values = [s.agency, s.file, f.label_th, category_label(f), f.sheet, f.cell,
                  f.reported, f.recomputed, f.message_th, f.message_en]
        for j, v in enumerate(values, start=1):
            _put(fs.cell(k, j), v)
        _fit_height(fs, k, [(f.message_th, 60), (f.message_en, 50), (s.agency or "", 24)])
    print_setup(fs, title_rows="4:4")

    es = wb.create_sheet(ERRORS_SHEET)
    _title(es, ["ไฟล์ที่ตรวจไม่ได้และไฟล์ที่ไม่ได้ตรวจ (files that could not be audited, files not audited)"])
    _header(es, 3, ["ไฟล์", "สาเหตุ"], [34, 110])
    k = 3
    for k, s in enumerate(result.errors, start=4):
        _put(es.cell(k, 1), s.file)
        _put(es.cell(k, 2), s.error)
        _fit_height(es, k, [(s.error or "", 110), (s.file, 34)])
    after_errors = k + 1
    for k, (name, reason) in enumerate(result.ignored, start=after_errors):
        _put(es.cell(k, 1), name)
        _put(es.cell(k, 2), f"ไม่ได้ตรวจ: {reason}")
    print_setup(es, title_rows="3:3")

    cs = wb.create_sheet(CHART_SHEET)
    _title(cs, [f"คะแนนรวมรายหน่วยงาน {when}".strip()])
    print_setup(cs)
    if last_ranked > _HEADER_ROW:
        total_col = headers.index(f"คะแนนรวม (เต็ม {rules.total_points:g})") + 1
        chart = BarChart()
        chart.type = "bar"
        chart.style = 10
        chart.title = "คะแนนรวม (total score)"
        chart.y_axis.title = "คะแนน"
        chart.y_axis.scaling.min = 0
        chart.y_axis.scaling.max = rules.total_points
        chart.x_axis.scaling.orientation = "maxMin"  # rank 1 at the top
        chart.y_axis.delete = False
        chart.x_axis.delete = False
        chart.legend = None
        data = Reference(ws, min_col=total_col, min_row=_HEADER_ROW, max_row=last_ranked)
        cats = Reference(ws, min_col=2, min_row=_HEADER_ROW + 1, max_row=last_ranked)
        chart.add_data(data, titles_from_data=True)
        chart.set_categories(cats)
        chart.width = 26
        chart.height = max(12, min(40, 0.55 * (last_ranked - _HEADER_ROW) + 4))
        cs.add_chart(chart, "A3")
    return save_workbook_atomic(wb, path)
