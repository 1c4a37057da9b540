"""``cplkpi report`` and ``cplkpi validate-report``: fill CPL_R001/CPL_R003 for a month; check filled reports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import typer
from rich.table import Table

from cplkpi.export import TABLE_SUFFIXES, write_table
from cplkpi.guard import read_text
from cplkpi.outputs import check_output_file, check_output_folder
from cplkpi.reader import agency_file_part
from cplkpi.scoring.errors import CplError
from cplkpi.scoring.rules import DEFAULT_RULES, available_rules
from cplkpi.scoring.thaidate import (
    DateParseError,
    fiscal_months,
    fiscal_year_range,
    format_thai_month,
    parse_month,
)
from cplkpi.textfile import TEXT_FILE

from . import app
from .common import (
    RefNotes,
    agency_books,
    agency_option,
    all_agencies_option,
    console,
    date_option,
    err_console,
    fail,
    fiscal_year_option,
    plain,
    print_problems,
)
from .score import WORKBOOK, load

#: Validation findings printed (errors first).
FINDINGS_SHOWN = 40


def print_findings(findings: list) -> None:
    """Print validation findings as a table (the first :data:`FINDINGS_SHOWN`, errors first), or say
    there are none."""
    if not findings:
        console.print("[green]ตรวจสอบรายงานแล้ว ไม่พบข้อผิดพลาด (validation: no findings)[/]")
        return
    t = Table(title="ผลการตรวจสอบรายงาน (report validation)")
    for col in ("ระดับ (level)", "รหัส (code)", "ตำแหน่ง (where)", "ข้อความ (message)"):
        t.add_column(col)
    ordered = sorted(findings, key=lambda f: f.severity != "error")
    refs = RefNotes()
    for f in ordered[:FINDINGS_SHOWN]:
        level = "[red]ข้อผิดพลาด[/]" if f.severity == "error" else "[yellow]คำเตือน[/]"
        t.add_row(level, plain(f.code), plain(refs.short(f.where)), plain(f.message))
    console.print(t)
    refs.print(console)
    more = len(findings) - FINDINGS_SHOWN
    if more > 0:
        console.print(f"... และอีก {more} รายการ (and {more} more)")


def print_result(result) -> None:
    """Print where one month's reports are and their headline figures."""
    fig = result.figures
    ms, fy = fig.month_summary, fig.fytd_summary
    console.print(f"[bold]{plain(fig.agency)}[/] เดือน{fig.month_label}: รับ {ms['received']:,} เสร็จสิ้น "
                  f"{ms['completed']:,} กำลังดำเนินการ {ms['pending']:,} | สะสม รับ {fy['received']:,} เสร็จสิ้น "
                  f"{fy['completed']:,} ({'-' if fy['completed_pct'] is None else format(fy['completed_pct'], '.2f')} %) | "
                  f"คงค้าง {len(fig.pending):,} | คะแนน {fig.score.total:.4f}/{fig.rules.total_points:g}")
    if fig.score.coverage is not None:
        console.print(f"[bold]{fig.score.coverage.text()}[/]")
    if fig.score.no_data:
        console.print(f"[bold yellow]{plain(fig.score.no_data_note())}[/]")
    for path in result.paths:
        console.print(f"  {plain(path)}")
    if result.pdf_skipped:
        err_console.print(f"[yellow]{plain(result.pdf_skipped)}[/]")


@app.command("report")
def report_command(
    workbook: Path = WORKBOOK,
    month: str = typer.Option(None, "--month", "-m",
                              help="เดือนที่รายงาน เช่น 2563-09 หรือ \"ก.ย. 2563\" (report month)"),
    fiscal_year: int = fiscal_year_option(
        "--fiscal-year", "--fy", help="ทั้งปีงบประมาณ 12 เดือน เช่น 2563 (all 12 months of a fiscal year)"),
    out: Path = typer.Option(Path("reports"), "--out", "-o", help="โฟลเดอร์ผลลัพธ์ (output folder)"),
    rules: str = typer.Option(DEFAULT_RULES, help=f"ชุดเกณฑ์ (rule set): {', '.join(available_rules())}"),
    as_of: str = typer.Option(None, "--as-of", help="ประเมิน ณ วันที่ (default: วันสุดท้ายของเดือน / month end; "
                                                 "an imported workbook: its snapshot day if earlier)"),
    pdf: bool = typer.Option(True, "--pdf/--no-pdf", help="สร้าง PDF ด้วย LibreOffice (render PDFs)"),
    keep_going: bool = typer.Option(False, "--keep-going", help="ทำต่อแม้ข้อมูลมีข้อผิดพลาด (continue despite input errors)"),
    agency: str = agency_option(),
    all_agencies: bool = all_agencies_option(),
) -> None:
    """จัดทำแบบรายงาน CPL_R001 และ CPL_R003 ประจำเดือน พร้อมบันทึกสรุปและผลตรวจสอบ (fill the monthly reports).

    A workbook holding several agencies needs --agency NAME, or --all-agencies (one folder per agency in OUT).
    """
    from cplkpi.macros.reports import fill_monthly_reports, output_names  # noqa: PLC0415 (heavy: loaded when the command runs)

    if (month is None) == (fiscal_year is None):
        raise typer.BadParameter("ระบุ --month หรือ --fiscal-year อย่างใดอย่างหนึ่ง (give --month or --fiscal-year)")
    if month is not None:
        try:
            months = [parse_month(month)]
        except DateParseError as exc:
            raise typer.BadParameter(str(exc), param_hint="--month") from exc
    else:
        months = fiscal_months(fiscal_year)
    if agency is not None and all_agencies:
        raise typer.BadParameter("ใช้ --agency หรือ --all-agencies อย่างใดอย่างหนึ่ง (give --agency or --all-agencies)")
    day = date_option(as_of, "--as-of")
    check_output_folder(out, workbook, names=[n for m in months for n in output_names(m)])
    books = agency_books(load(workbook, keep_going, agency), all_agencies)
    findings = []
    for book in books:
        folder = out / agency_file_part(book.agency) if all_agencies and book.agency else out
        for m in months:
            console.print(f"จัดทำรายงานเดือน (filling) {format_thai_month(m, long=True)} {plain(book.agency)} …")
            try:
                result = fill_monthly_reports(book, m, out_dir=folder, rules=rules, as_of=day, pdf=pdf)
            except CplError as exc:
                raise fail(exc) from exc
            print_result(result)
            findings += [f for f in result.findings if not f.code.startswith("input_")]
    print_findings(findings)
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(code=1)


@app.command("validate-report")
def validate_report_command(
    r003: Path = typer.Argument(None, exists=True, dir_okay=False, help="แบบรายงาน CPL_R003 ที่กรอกแล้ว (.xlsx)"),
    r001: Path = typer.Option(None, "--r001", exists=True, dir_okay=False,
                              help="แบบรายงาน CPL_R001 ที่กรอกแล้ว (.xlsx): ตรวจความสอดคล้องกับ CPL_R003"),
    form: Path = typer.Option(None, "--progress-form", exists=True, dir_okay=False,
                              help="ข้อความแบบรายงานความก้าวหน้าโครงการ (.txt, the project-progress form staff send with the monthly report)"),
    fiscal_year: int = fiscal_year_option(
        "--fiscal-year", "--fy",
        help="ปีงบประมาณของแบบรายงานความก้าวหน้า (to find gaps at its start and end)"),
    out: Path = typer.Option(None, "--out", help="เขียนผลตรวจสอบลงไฟล์ .xlsx หรือ .csv (write the findings)"),
) -> None:
    """ตรวจสอบแบบรายงานที่กรอกแล้ว: ยอดรวม ช่วงวันที่ต่อเนื่อง ตัวเลขซ้ำ ร้อยละ (validate filled reports)."""
    from cplkpi.macros.validate import (  # noqa: PLC0415 (heavy: loaded when the command runs)
        FINDINGS_HEADERS,
        check_periods,
        findings_rows,
        parse_progress_form,
        validate_reports,
    )

    if r003 is None and r001 is None and form is None:
        raise typer.BadParameter("ระบุไฟล์ที่จะตรวจ (give a CPL_R003, --r001 or --progress-form)")
    if out is not None:

        check_output_file(out, r003, r001, form, suffixes=TABLE_SUFFIXES)
    findings = []
    if r003 is not None or r001 is not None:
        try:
            findings += validate_reports(r003=r003, r001=r001)
        except CplError as exc:  # a file the guard refuses (or cannot read): one clear message
            raise fail(exc) from exc
    if form is not None:
        start = end = None
        if fiscal_year is not None:
            start, end = fiscal_year_range(fiscal_year)


        try:
            text, warning = read_text(form, TEXT_FILE)
        except CplError as exc:
            raise fail(exc) from exc
        if warning is not None:
            print_problems([warning])
        periods = parse_progress_form(text)
        findings += check_periods(periods, report=form.name, expected_start=start, expected_end=end)
    print_findings(findings)
    if out is not None:


        write_table(pd.DataFrame(findings_rows(findings), columns=FINDINGS_HEADERS), out, "ผลการตรวจสอบ")
        console.print(f"เขียนไฟล์ (written): {plain(out)}")
    if any(f.severity == "error" for f in findings):
        raise typer.Exit(code=1)
