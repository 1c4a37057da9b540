"""``cplkpi import``: Traffy Fondue CSVs and MIS/1555 exports into a complaint workbook."""

from __future__ import annotations

import datetime as _dt
from pathlib import Path

import pandas as pd
import typer
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    SpinnerColumn,
    TextColumn,
    TimeElapsedColumn,
)
from rich.table import Table

from cplkpi.importers.summary import ImportSummary
from cplkpi.outputs import check_output_file, check_output_folder, ensure_not_input
from cplkpi.reader import one_agency, read_workbook
from cplkpi.scoring.errors import CplError
from cplkpi.scoring.thaidate import DateParseError, parse_month

from . import app
from .common import RefNotes, cell_text, console, err_console, fail, plain, print_problems
from .report import print_findings, print_result

FILES = typer.Argument(..., exists=True, dir_okay=False, readable=True,
                       help="ไฟล์ Traffy Fondue (.csv) หรือไฟล์ส่งออก MIS/1555 (.xlsx/.csv) "
                            "(Traffy Fondue CSVs or MIS/1555 exports)")


def print_table(title: str, frame: pd.DataFrame, limit: int) -> None:
    """Print one summary table (at most ``limit`` rows) with rich."""
    if frame.empty:
        return
    t = Table(title=title)
    refs = RefNotes()  # file names: whole, under the table, at any console width
    files = [i for i, col in enumerate(frame.columns) if "(file)" in str(col)]
    for col in frame.columns:
        numeric = pd.api.types.is_numeric_dtype(frame[col]) and not pd.api.types.is_bool_dtype(frame[col])
        t.add_column(plain(col), justify="right" if numeric else "left", overflow="fold")
    for values in frame.head(limit).astype(object).itertuples(index=False):
        t.add_row(*(refs.short(cell_text(v)) if i in files else cell_text(v) for i, v in enumerate(values)))
    console.print(t)
    refs.print(console)
    if len(frame) > limit:
        console.print(f"... และอีก {len(frame) - limit:,} แถว (and {len(frame) - limit:,} more rows)")


def print_summary(summary: ImportSummary, limit: int = 20) -> None:
    """Print the import summary: totals, files, rejections, unknown states, districts, empty values."""
    for key, (title, frame) in summary.tables().items():
        if key != "problems":
            print_table(title, frame, limit if key != "districts" else max(limit, 60))
    print_problems(summary.problems, limit=limit)


@app.command("import")
def import_command(
    files: list[Path] = FILES,
    out: Path = typer.Option(..., "--out", "-o", help="สมุดงานเรื่องร้องเรียนที่จะเขียน (.xlsx) (workbook to write)"),
    district: list[str] = typer.Option(
        [], "--district", "-d",
        help="นำเข้าเฉพาะเรื่องที่เขตนี้รับผิดชอบ เช่น เขตสาทร (only this district office; repeatable)"),
    report_month: str = typer.Option(
        None, "--report-month",
        help="จัดทำ CPL_R001/CPL_R003 ของเดือนนี้จากข้อมูลที่นำเข้า เช่น 2566-05 (then fill the monthly reports)"),
    report_dir: Path = typer.Option(None, "--report-dir",
                                    help="โฟลเดอร์แบบรายงาน (report folder; default: beside --out)"),
    pdf: bool = typer.Option(False, "--pdf/--no-pdf",
                             help="สร้าง PDF ของแบบรายงานด้วย LibreOffice (render PDFs)"),
    show: int = typer.Option(20, "--show", help="จำนวนแถวที่แสดงต่อตาราง (rows shown per table)"),
    states: Path = typer.Option(
        None, "--states", exists=True, dir_okay=False,
        help="ไฟล์สถานะของหน่วยงานเอง รูปแบบเดียวกับ traffy_states.csv เพิ่มจากของโปรแกรม "
             "(your own states file, the form of traffy_states.csv, added to the shipped one)"),
) -> None:
    """นำเข้าเรื่องร้องเรียนจาก Traffy Fondue และ MIS/1555 เป็นสมุดงาน (import complaints; see docs/import.md)."""
    from cplkpi.importers import district_filter, import_files  # noqa: PLC0415 (heavy: loaded when the command runs)

    if out.suffix.lower() != ".xlsx":
        raise typer.BadParameter("ไฟล์ผลลัพธ์ต้องเป็น .xlsx (the output must be an .xlsx file)",
                                 param_hint="--out")
    try:
        wanted = district_filter(district)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--district") from exc
    check_output_file(out, *files, states)
    month = None
    if report_month is not None:
        from cplkpi.macros.reports import output_names  # noqa: PLC0415 (heavy: loaded when the command runs)

        try:
            month = parse_month(report_month)
        except DateParseError as exc:
            raise typer.BadParameter(str(exc), param_hint="--report-month") from exc
        report_dir = report_dir or out.with_name(f"{out.stem}_reports")
        check_output_folder(report_dir, *files, names=output_names(month))
        for name in output_names(month):  # the workbook about to be written is the reports' input
            ensure_not_input(report_dir / name, out)

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(),
               TimeElapsedColumn())
    with Progress(*columns, console=err_console, transient=True) as progress:
        reading = progress.add_task("อ่านไฟล์ (reading files)", total=len(files))
        try:
            result = import_files(files, districts=wanted, on_file=lambda _: progress.advance(reading),
                                  states=states)
        except (CplError, ValueError) as exc:
            raise fail(exc if isinstance(exc, CplError) else CplError(str(exc))) from exc
        writing = progress.add_task("เขียนสมุดงาน (writing the workbook)", total=len(result.complaints))
        result.write(out, on_rows=lambda n: progress.advance(writing, n))
    print_summary(result.summary, show)
    s = result.summary
    console.print(f"[bold]นำเข้าแล้ว (imported)[/] {s.complaints:,} เรื่อง จาก {s.rows_read:,} แถว "
                  f"(ปฏิเสธ rejected {s.rejected:,}) → {out}")
    if result.coverage is not None:
        console.print(f"[bold]{result.coverage.text()}[/]")
    if month is not None:
        _reports(out, month, report_dir, pdf)


def _reports(path: Path, month: _dt.date, out_dir: Path, pdf: bool) -> None:
    """Fill CPL_R001/CPL_R003 from the workbook just written (read back as any workbook is)."""
    from cplkpi.macros.reports import fill_monthly_reports  # noqa: PLC0415 (heavy: loaded when the command runs)


    try:
        book = one_agency(read_workbook(path), hint="ใช้ --district เลือกเขตเดียว (choose one with --district)")
        result = fill_monthly_reports(book, month, out_dir=out_dir, pdf=pdf)
    except CplError as exc:
        raise fail(exc) from exc
    print_result(result)
    print_findings([f for f in result.findings if not f.code.startswith("input_")])
