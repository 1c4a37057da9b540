"""``cplkpi audit``, ``cplkpi audit-sample``, ``cplkpi audit-batch``: the committee's audit."""

from __future__ import annotations

import datetime as _dt
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, overload

import pandas as pd
import typer
from rich.table import Table

from cplkpi.outputs import check_output_file, check_output_folder, fit_name
from cplkpi.reader import agency_file_part, one_agency, read_workbook
from cplkpi.scoring.errors import CplError
from cplkpi.scoring.rules import DEFAULT_RULES, available_rules, load_rules
from cplkpi.scoring.scores import score
from cplkpi.scoring.thaidate import DateParseError, fiscal_year, format_thai_month, month_code, parse_month

from . import app
from .common import (
    RefNotes,
    agency_option,
    all_agencies_option,
    console,
    err_console,
    fail,
    plain,
    print_problems,
    rules_file,
)
from .score import print_score

if TYPE_CHECKING:  # the audit modules load openpyxl and the report layout: imported when a command runs
    from cplkpi.macros.audit import AuditResult
    from cplkpi.macros.audit_sample import MonthSample

_RULES = typer.Option(DEFAULT_RULES, help=f"ชุดเกณฑ์ (rule set): {', '.join(available_rules())}")
_OUT = typer.Option(..., "--out", help="โฟลเดอร์ผลลัพธ์ (output folder)", file_okay=False)
_SAMPLES = typer.Option(None, "--samples", file_okay=False,
                        help="โฟลเดอร์ไฟล์สุ่มตรวจของกองกลาง (folder of the sample workbooks; default OUT/สุ่มตรวจ)")


@overload
def month_option(value: str, name: str = ...) -> _dt.date: ...


@overload
def month_option(value: None, name: str = ...) -> None: ...


def month_option(value: str | None, name: str = "--month") -> _dt.date | None:
    """A month given on the command line: ``มี.ค. 2563``, ``3/2563``, ``2563-03`` (B.E.) or ``2020-03``."""

    if value is None:
        return None
    try:
        m = parse_month(value)
    except (DateParseError, ValueError) as exc:
        raise typer.BadParameter(str(exc), param_hint=name) from exc
    if not 1997 <= m.year <= 2100:
        raise typer.BadParameter(f"เดือนไม่ถูกต้อง {value!r}: ใช้ มี.ค. 2563, 3/2563 หรือ 2563-03 "
                                 f"(month out of range; write มี.ค. 2563, 3/2563 or 2563-03)", param_hint=name)
    return m


def print_sample(s: MonthSample, kept: bool = False) -> None:
    """Print one month's draw with its seed."""
    state = "มีอยู่แล้ว ไม่สุ่มใหม่ (kept)" if kept else "สุ่มใหม่ (drawn)"
    console.print(f"สุ่มตรวจ {s.label}: เสร็จสิ้นในเดือน {s.population:,} เรื่อง สุ่ม {s.size} เรื่อง "
                  f"seed {s.seed} [{state}]")
    if s.complaint_ids:
        console.print("  " + ", ".join(plain(i) for i in s.complaint_ids))


#: Findings printed per audit (the output workbook lists them all).
FINDINGS_SHOWN = 60
#: Exit status of ``cplkpi audit`` / ``audit-batch``: passed, error-level findings, could not audit.
EXIT_PASSED, EXIT_FINDINGS, EXIT_NOT_AUDITED = 0, 1, 2


def _findings_table(title: str, findings: list[Any], shown: int) -> None:
    t = Table(title=title)
    for col in ("ประเภท (kind)", "ตำแหน่ง (where)", "รายงาน (reported)", "คำนวณใหม่ (recomputed)", "รายละเอียด (message)"):
        # a cell reference stays whole (CPL_R003!E13): it is what the committee looks up; Thai text has
        # no spaces to wrap at, so long runs fold onto the next line instead of being cut with "…"
        t.add_column(col, no_wrap=col.startswith("ตำแหน่ง"), overflow="fold",
                     ratio=3 if col.startswith("รายละเอียด") else 1)
    refs = RefNotes()
    for f in findings[:shown]:
        colour = "red" if f.severity == "error" else "yellow"
        t.add_row(f"[{colour}]{plain(f.label_th)}[/]", plain(refs.short(f.where)), plain(f.reported),
                  plain(f.recomputed), plain(f.message))
    console.print(t)
    refs.print(console)
    more = len(findings) - shown
    if more > 0:
        console.print(f"... และอีก {more:,} รายการ ดูในไฟล์ผลลัพธ์ (and {more:,} more in the output workbook)")


def print_findings(result: AuditResult) -> None:
    """Print one audit's findings: tampering/consistency (errors first), then data-quality observations.

    At most :data:`FINDINGS_SHOWN` rows in all; the observations are counted by kind.
    """

    tampering, observations = result.tampering, result.observations
    errors = sum(f.is_error for f in tampering)
    if tampering:
        _findings_table(f"ข้อค้นพบ (การแก้ไข/ไม่สอดคล้อง) {len(tampering):,} รายการ: ผิดพลาด {errors:,} "
                        f"เตือน {len(tampering) - errors:,} (tampering/consistency findings)", tampering,
                        FINDINGS_SHOWN)
    if observations:
        kinds = Counter(f.label_th for f in observations)
        console.print(f"ข้อสังเกตคุณภาพข้อมูล {len(observations):,} รายการ (data-quality observations, not "
                      "tampering): " + ", ".join(f"{k} {n:,}" for k, n in kinds.most_common()))
        shown = max(0, FINDINGS_SHOWN - len(tampering))
        if shown:
            _findings_table("ข้อสังเกตคุณภาพข้อมูล (data-quality observations)", observations, shown)
    if result.passed:
        console.print("[green]ผลการตรวจ: ผ่าน ไม่พบข้อผิดพลาดในรายงาน (passed: no error-level finding)[/]")
    else:
        console.print(f"[red]ผลการตรวจ: ไม่ผ่าน ผิดพลาด {errors:,} รายการ (failed: {errors:,} error-level "
                      "findings)[/]")


@app.command("audit")
def audit_command(
    workbook: Path = typer.Argument(..., exists=True, dir_okay=False,
                                    help="ไฟล์ที่หน่วยงานส่ง (.xlsx): ชีตเรื่องร้องเรียนและรายงาน CPL_R003/CPL_R001"),
    month: str = typer.Option(None, "--month", help="เดือนที่รายงาน เช่น 'มี.ค. 2563' (default: the report's month)"),
    rules: str = _RULES,
    out: Path = _OUT,
    samples: Path = _SAMPLES,
    report: list[Path] = typer.Option(None, "--report", exists=True, dir_okay=False,
                                      help="ไฟล์รายงาน CPL_R001/CPL_R003 แยกต่างหาก (report files, when not in WORKBOOK)"),
    agency: str = agency_option(),
    recalc: bool = typer.Option(False, "--recalc", help="ให้ LibreOffice คำนวณสูตรใหม่แล้วเทียบค่าที่แสดงด้วย "
                                                         "(also compare what LibreOffice shows after recalculating)"),
) -> None:
    """ตรวจสอบไฟล์ที่หน่วยงานส่ง: คำนวณใหม่ เทียบกับรายงาน และสุ่มตรวจ 10% (audit a submitted agency workbook).

    Exit status: 0 ผ่าน (passed), 1 พบข้อผิดพลาด (error-level findings), 2 ตรวจไม่ได้ (could not audit).
    """
    from cplkpi.macros.audit import audit_workbook, month_label  # noqa: PLC0415 (heavy: loaded when the command runs)
    from cplkpi.macros.audit_batch import BatchResult, write_committee_workbook  # noqa: PLC0415 (heavy: loaded when the command runs)
    from cplkpi.macros.audit_reports import read_reports  # noqa: PLC0415 (heavy: loaded when the command runs)


    m = month_option(month)
    check_output_folder(out, workbook, *(report or []))
    if samples is not None:
        check_output_folder(samples, workbook, *(report or []))
    try:
        with console.status(f"กำลังตรวจ (auditing) {workbook.name}"):
            reports = read_reports(*report) if report else None
            result = audit_workbook(workbook, reports, month=m, rules=rules,
                                    samples=samples if samples is not None else out / "สุ่มตรวจ", agency=agency,
                                    recalc=recalc)
    except CplError as exc:
        fail(exc)
        raise typer.Exit(EXIT_NOT_AUDITED) from exc
    console.print(f"[bold]{plain(result.agency)}[/]  เดือนที่ตรวจ (month) {month_label(result.month)}")
    if result.sample is not None:
        kept = result.sample_file is not None and result.month in result.sample_file.kept
        print_sample(result.sample, kept)
        if result.sample_file is not None:
            console.print(f"ไฟล์สุ่มตรวจ (sample workbook): {plain(result.sample_file.path)}")
    assert result.score is not None and result.month is not None  # an audit that ran scored its month
    print_score(result.score, result.agency)
    print_findings(result)
    batch = BatchResult([result.summary()], [(result.summary(), f) for f in result.findings])
    name = Path(workbook).stem
    path = write_committee_workbook(batch, out / fit_name(f"ผลการตรวจ_{name}_{month_code(result.month)}.xlsx"),
                                    rules=rules, month=result.month)
    console.print(f"เขียนไฟล์ (written): {plain(path)}")
    raise typer.Exit(EXIT_PASSED if result.passed else EXIT_FINDINGS)


@app.command("audit-sample")
def audit_sample_command(
    workbook: Path = typer.Argument(..., exists=True, dir_okay=False, help="ไฟล์ของหน่วยงาน (.xlsx)"),
    month: list[str] = typer.Option(..., "--month", help="เดือนที่สุ่ม (repeat for several) เช่น 'มี.ค. 2563'"),
    out: Path = _OUT,
    rules: str = _RULES,
    agency: str = typer.Option(None, "--agency",
                               help="ชื่อหน่วยงาน เช่น เขตสาทร: เฉพาะเรื่องของหน่วยงานนี้ (default: the complaint "
                                    "sheet's only agency)"),
) -> None:
    """สุ่มเรื่องที่เสร็จสิ้นในเดือน 10% ลงไฟล์สุ่มตรวจ และคำนวณความถูกต้องจากผลที่ตรวจแล้ว (draw/read the 10 % sample)."""
    from cplkpi.macros.audit_sample import sample_file_path, update_sample_file  # noqa: PLC0415 (heavy: loaded when the command runs)

    months = [month_option(m) for m in month]
    check_output_folder(out, workbook)
    r = load_rules(rules)
    try:
        book = one_agency(read_workbook(workbook), agency,
                          hint="ระบุ --agency ชื่อหน่วยงาน (choose one with --agency NAME)")
        name = book.agency or workbook.stem
        by_fy: dict[int, list[_dt.date]] = {}
        for m in months:
            by_fy.setdefault(fiscal_year(m), []).append(m)
        for fy, ms in sorted(by_fy.items()):
            sf = update_sample_file(sample_file_path(out, name, fy), book.complaints.table, name, ms, rules=r)
            print_problems(sf.problems)
            for s in sf.drawn:
                print_sample(s)
            for m in sf.kept:
                console.print(f"สุ่มตรวจ {format_thai_month(m)}: มีอยู่แล้ว ไม่สุ่มใหม่ (already drawn, kept as is)")
            console.print(f"ไฟล์สุ่มตรวจ (sample workbook): {plain(sf.path)}")
            res = score(book.complaints.table, book.progress.table if book.progress is not None else None,
                        book.monthly_reports.table if book.monthly_reports is not None else None, sf.table,
                        rules=r, fiscal_year=fy, calendar=book.calendar())
            _print_accuracy(res.months[res.months["audit_sampled"] > 0])
    except CplError as exc:
        raise fail(exc) from exc


def _print_accuracy(months: Any) -> None:

    t = Table(title="ผลการสุ่มตรวจ (audit sample)")
    for col in ("เดือน (month)", "ต้องสุ่ม (needed)", "สุ่มแล้ว (drawn)", "ตรวจแล้ว (marked)", "ถูกต้อง (correct)",
                "ร้อยละ (%)", "หัก (deducted)"):
        t.add_column(col, justify="right")
    for x in months.itertuples():
        acc = "-" if pd.isna(x.audit_accuracy_pct) else f"{x.audit_accuracy_pct:.2f}"
        t.add_row(format_thai_month(x.month), str(x.audit_sample_needed), str(x.audit_sampled), str(x.audit_marked),
                  str(x.audit_correct), acc, "[red]ใช่ (yes)[/]" if x.audit_deducted else "-")
    console.print(t)


@app.command("audit-batch")
def audit_batch_command(
    folder: Path = typer.Argument(..., exists=True, file_okay=False, help="โฟลเดอร์ไฟล์ของหน่วยงาน (folder of agency workbooks)"),
    out: Path = _OUT,
    month: str = typer.Option(None, "--month", help="เดือนที่ตรวจ (default: each report's own month)"),
    rules: str = _RULES,
    samples: Path = _SAMPLES,
    workers: int = typer.Option(None, help="จำนวนโพรเซส (worker processes; default: CPU count)"),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="สร้าง PDF ด้วย LibreOffice (render the PDF)"),
) -> None:
    """ตรวจไฟล์ของทุกหน่วยงานในโฟลเดอร์ และสรุปเป็นสมุดงานของคณะกรรมการ (audit a folder; committee workbook).

    Exit status: 0 ทุกไฟล์ผ่าน (all passed), 1 มีไฟล์ไม่ผ่านหรือตรวจไม่ได้ (a file failed or could not be
    audited), 2 ตรวจโฟลเดอร์ไม่ได้ (the folder could not be audited).
    """
    from cplkpi.macros.audit_batch import audit_folder, batch_files  # noqa: PLC0415 (heavy: loaded when the command runs)

    if not folder.is_dir():  # typer lets a pipe or a device through (it is not a file either)
        fail(CplError(f"{folder} ไม่ใช่โฟลเดอร์ (เป็น pipe/FIFO อุปกรณ์ หรือ socket): ระบุโฟลเดอร์ไฟล์ของหน่วยงาน "
                      f"({folder} is not a folder (a pipe/FIFO, device or socket): give the folder of the agency "
                      "workbooks)"))
        raise typer.Exit(EXIT_NOT_AUDITED)
    inputs = batch_files(folder, out)
    check_output_folder(out, *inputs)
    if samples is not None:
        check_output_folder(samples, *inputs)
    try:
        result = audit_folder(folder, out_dir=out, month=month_option(month), rules=rules, samples=samples,
                              workers=workers, pdf=pdf, console=console)
    except CplError as exc:
        fail(exc)
        raise typer.Exit(EXIT_NOT_AUDITED) from exc
    failed = sum(1 for s in result.audited if s.errors)
    t = Table(title=f"สรุปผลการตรวจ: {result.agencies} หน่วยงาน จาก {len(result.audited)} ไฟล์, ไม่ผ่าน {failed} ไฟล์ "
                    f"(committee summary: {result.agencies} agencies, {len(result.audited)} files, {failed} failed)")
    for col in ("หน่วยงาน (agency)", "ไฟล์ (file)", "คะแนนรวม (total)", "ผิดพลาด (errors)", "ข้อค้นพบ (findings)",
                "ข้อสังเกต (observations)"):
        t.add_column(col)
    for s in sorted(result.audited, key=lambda s: (-(s.errors > 0), -(s.total or 0))):
        t.add_row(plain(s.agency), plain(s.file), f"{s.total:.4f}" if s.total is not None else "-",
                  f"[red]{s.errors:,}[/]" if s.errors else "0", f"{s.findings:,}", f"{s.observations:,}")
    console.print(t)
    if result.errors:
        err_console.print(f"[red]ตรวจไม่ได้ {len(result.errors)} ไฟล์ (could not audit {len(result.errors)} files)[/]")
        for s in result.errors:
            err_console.print(f"  {plain(s.file)}: {plain(s.error)}")
    if result.ignored:
        console.print(f"ไม่ได้ตรวจ {len(result.ignored)} ไฟล์ (not audited {len(result.ignored)} files):")
        for name, reason in result.ignored:
            console.print(f"  {plain(name)}: {plain(reason)}")
    console.print(f"เขียนไฟล์ (written): {plain(result.workbook)}"
                  + (f", {plain(result.pdf)}" if result.pdf else ""))
    if result.pdf_skipped:
        console.print(f"[yellow]{plain(result.pdf_skipped)}[/]")
    raise typer.Exit(result.exit_status)


@app.command("audit-pack")
def audit_pack_command(
    workbook: Path = typer.Argument(..., exists=True, dir_okay=False, help="สมุดงานเรื่องร้องเรียนของหน่วยงาน (.xlsx)"),
    month: str = typer.Option(..., "--month", help="เดือนที่รายงาน เช่น 'มี.ค. 2563' หรือ 2563-03"),
    out: Path = typer.Option(..., "--out", dir_okay=False, help="ไฟล์ที่จะส่งกองกลาง (.xlsx) (the file to submit)"),
    rules: str = _RULES,
    narrative: bool = typer.Option(True, "--narrative/--no-narrative",
                                   help="ใส่แบบรายงานความก้าวหน้า (add the project-progress form of the fiscal year so far)"),
    agency: str = agency_option(),
    all_agencies: bool = all_agencies_option(),
) -> None:
    """เตรียมไฟล์ส่งกองกลาง: สมุดงานเรื่องร้องเรียน + CPL_R003 + CPL_R001 ของเดือน (build the submitted workbook).

    A workbook holding several agencies needs --agency NAME (the file then holds that agency's rows only),
    or --all-agencies: one file per agency, each in a folder named after the agency next to OUT.
    """
    from cplkpi.macros.audit_submission import build_submission  # noqa: PLC0415 (heavy: loaded when the command runs)

    if agency is not None and all_agencies:
        raise typer.BadParameter("ใช้ --agency หรือ --all-agencies อย่างใดอย่างหนึ่ง (give --agency or --all-agencies)")
    check_output_file(out, workbook, rules_file(rules), suffixes=(".xlsx",))
    m = month_option(month)
    try:
        if all_agencies:
            names = list(read_workbook(workbook).agency_counts())
            targets = [(a, out.parent / agency_file_part(a) / out.name) for a in names] or [(None, out)]
        else:
            targets = [(agency, out)]
        for name, path in targets:
            path.parent.mkdir(parents=True, exist_ok=True)
            written = build_submission(workbook, m, path, rules=rules, narrative=narrative, agency=name)
            console.print(f"เขียนไฟล์ (written): {plain(written)}")
    except CplError as exc:
        raise fail(exc) from exc
