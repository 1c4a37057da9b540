"""``cplkpi score`` and ``cplkpi overdue``: score a workbook; list what is overdue."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from cplkpi.export import TABLE_SUFFIXES, write_table
from cplkpi.outputs import check_output_file
from cplkpi.scoring.deadlines import PHASE_LABELS
from cplkpi.scoring.errors import CplError
from cplkpi.scoring.monitor import monitor
from cplkpi.scoring.rules import available_rules
from cplkpi.scoring.scores import ScoreResult
from cplkpi.scoring.thaidate import format_thai_date, format_thai_month
from cplkpi.workbook import ComplaintWorkbook, read_workbook

from . import app
from .common import (
    check_fiscal_year,
    console,
    date_option,
    fail,
    fiscal_year_option,
    plain,
    print_problems,
    rules_file,
    today_bangkok,
)

WORKBOOK = typer.Argument(..., exists=True, dir_okay=False, help="ไฟล์ Excel ของหน่วยงาน (.xlsx) (agency workbook)")


def load(path: Path, keep_going: bool) -> ComplaintWorkbook:
    """Read a workbook, print its problems, stop on errors unless ``keep_going``."""
    try:
        book = read_workbook(path)
    except CplError as exc:
        raise fail(exc) from exc
    print_problems(book.problems)
    if book.errors and not keep_going:
        console.print("[red]หยุดเพราะข้อมูลมีข้อผิดพลาด แก้ไขแล้วลองใหม่ หรือใช้ --keep-going[/] "
                      "(stopped on input errors; fix them or pass --keep-going)")
        raise typer.Exit(code=1)
    return book


def print_score(result: ScoreResult, agency: str | None) -> None:
    """Print the step table, deductions and total of a score result."""
    r = result.rules
    console.print(f"[bold]{plain(agency)}[/] {plain(r.title_th)}")
    console.print(f"ช่วงข้อมูล (period) {format_thai_date(result.start)} – {format_thai_date(result.end)}  "
                  f"ณ วันที่ (as of) {format_thai_date(result.as_of)}  ชุดเกณฑ์ (rules) {r.name}")
    t = Table(title="คะแนนรายขั้นตอน (step scores)")
    for col, kw in (("ขั้นตอน (step)", {}), ("เกณฑ์ (component)", {}), ("ถูกต้อง/ทั้งหมด (correct/total)", {"justify": "right"}),
                    ("ร้อยละ (%)", {"justify": "right"}), ("คะแนนเต็ม (points)", {"justify": "right"}),
                    ("คะแนน (score)", {"justify": "right"})):
        t.add_column(col, **kw)
    for _, c in result.components.iterrows():
        pct = "-" if c["pct"] is None or c["pct"] != c["pct"] else f"{c['pct']:.2f}"
        t.add_row(str(c["step"]), plain(c["label_th"]), f"{c['correct']:,}/{c['total']:,}", pct,
                  f"{c['points']:g}", f"{c['score']:.{r.score_decimals}f}")
    console.print(t)
    if len(result.deductions):
        d = Table(title="การหักคะแนน (deductions)")
        d.add_column("รายการ (kind)")
        d.add_column("เดือน (month)")
        d.add_column("ขั้นตอน (step)", justify="right")
        d.add_column("หัก (amount)", justify="right")
        labels = {"late_report": "ส่งรายงานประจำเดือนช้า (late monthly report)",
                  "missing_report": "ไม่ส่งรายงานประจำเดือน (missing monthly report)",
                  "audit": "สุ่มตรวจต่ำกว่าเกณฑ์ (audit below threshold)"}
        for _, x in result.deductions.iterrows():
            d.add_row(labels[x["kind"]], format_thai_month(x["month"]), str(x["step"]),
                      f"{x['amount']:g}")
        console.print(d)
    s = Table(title="สรุปคะแนน (total)")
    for col in ("ขั้นตอน (step)", "คะแนนเต็ม (points)", "ก่อนหัก (before)", "หัก (deducted)", "คะแนน (score)"):
        s.add_column(col, justify="right")
    places = r.score_decimals
    for x in result.steps.itertuples():
        s.add_row(str(x.step), f"{x.points:g}", f"{x.score_before:.{places}f}", f"{x.deductions:.{places}f}",
                  f"{x.score:.{places}f}")
    s.add_row("[bold]รวม (total)[/]", f"{r.total_points:g}", "", "", f"[bold]{result.total:.{r.score_decimals}f}[/]")
    console.print(s)
    for note in result.notes:
        console.print(f"[yellow]หมายเหตุ (note):[/] {plain(note)}")


def run_score(path: Path, fiscal_year: int | None, rules: str, as_of: str | None, explain: Path | None,
              keep_going: bool) -> ScoreResult:
    """Read, score, print and (optionally) write the explanations; shared with ``demo``."""
    if explain is not None:
        check_output_file(explain, path, rules_file(rules), suffixes=TABLE_SUFFIXES)
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task(f"อ่านไฟล์ (reading) {path.name}")
        book = load(path, keep_going)
        bar.update(task, description="คำนวณคะแนน (scoring)")
        try:
            result = book.score(fiscal_year=fiscal_year, rules=rules, as_of=date_option(as_of, "--as-of"))
        except CplError as exc:
            raise fail(exc) from exc
        if explain is not None:
            bar.update(task, description=f"เขียนคำอธิบาย (writing explanations) {explain.name}")
            write_table(result.explain(), explain, "คำอธิบาย")
    print_score(result, book.agency)
    if explain is not None:
        console.print(f"คำอธิบายรายเรื่อง (per-complaint explanations): {plain(explain)}")
    return result


@app.command("score")
def score_command(
    workbook: Path = WORKBOOK,
    fiscal_year: int = fiscal_year_option(
        "--fy", help="ปีงบประมาณ พ.ศ. เช่น 2563 (fiscal year B.E.; default: the latest in the data)"),
    rules: str = typer.Option("bma-2557", help=f"ชุดเกณฑ์ (rule set): {', '.join(available_rules())}"),
    as_of: str = typer.Option(None, "--as-of", help="ประเมิน ณ วันที่ (evaluation date; default: end of the fiscal year)"),
    explain: Path = typer.Option(None, help="เขียนคำอธิบายรายเรื่องลงไฟล์ .xlsx หรือ .csv (write explanations)"),
    keep_going: bool = typer.Option(False, "--keep-going", help="คำนวณต่อแม้ข้อมูลมีข้อผิดพลาด (score despite input errors)"),
) -> None:
    """คำนวณคะแนนตัวชี้วัดของหน่วยงาน (score an agency workbook for a fiscal year and rule set)."""
    run_score(workbook, fiscal_year, rules, as_of, explain, keep_going)


@app.command("overdue")
def overdue_command(
    workbook: Path = WORKBOOK,
    as_of: str = typer.Option(None, "--as-of", help="ณ วันที่ (as of; default: today in Bangkok)"),
    rules: str = typer.Option("bma-2557", help="ชุดเกณฑ์ (rule set)"),
    out: Path = typer.Option(None, help="เขียนรายการลงไฟล์ .xlsx หรือ .csv (write the list to a file)"),
    all_open: bool = typer.Option(False, "--all", help="แสดงเรื่องที่ยังไม่เสร็จทั้งหมด (list every open complaint)"),
    keep_going: bool = typer.Option(False, "--keep-going", help="ทำต่อแม้ข้อมูลมีข้อผิดพลาด (continue despite input errors)"),
) -> None:
    """รายการเรื่องที่เกินกำหนดหรือใกล้ครบกำหนด (list complaints overdue or due soon as of a date)."""
    if out is not None:
        check_output_file(out, workbook, rules_file(rules), suffixes=TABLE_SUFFIXES)
    book = load(workbook, keep_going)
    day = date_option(as_of, "--as-of") or today_bangkok()
    try:
        table = monitor(book.complaints.table, book.progress.table if book.progress else None,
                        as_of=day, rules=rules, calendar=book.calendar())
    except CplError as exc:
        raise fail(exc) from exc
    if not all_open:
        table = table[table["status"].isin(["overdue", "due_soon"])]
    t = Table(title=f"เรื่องที่ต้องเร่งรัด ณ {format_thai_date(day)} (to expedite as of {day})")
    for col in ("เลขที่เรื่อง (id)", "เรื่อง (subject)", "ขั้น (phase)", "กำหนด (due)", "สถานะ (status)"):
        t.add_column(col)
    for _, x in table.head(200).iterrows():
        colour = "red" if x["status"] == "overdue" else "yellow" if x["status"] == "due_soon" else "green"
        phase = PHASE_LABELS.get(x["phase"], ("",))[0]
        t.add_row(plain(x["complaint_id"]), plain(x.get("subject")), phase,
                  format_thai_date(x["due"]), f"[{colour}]{x['status_th']}[/]")
    console.print(t)
    counts = table["status"].value_counts()
    console.print(f"เกินกำหนด (overdue) {counts.get('overdue', 0):,}  ใกล้ครบกำหนด (due soon) {counts.get('due_soon', 0):,}")
    if out is not None:
        write_table(table, out, "เรื่องที่ต้องเร่งรัด")
        console.print(f"เขียนไฟล์ (written): {plain(out)}")


@app.command("rules")
def rules_command() -> None:
    """แสดงชุดเกณฑ์ที่มี (list the shipped rule sets)."""
    from cplkpi.scoring.rules import load_rules

    for name in available_rules():
        r = load_rules(name)
        console.print(f"[bold]{plain(name)}[/]  {plain(r.title_th)}  [dim]({plain(r.source)})[/]")


@app.command("holidays")
def holidays_command(
    fiscal_year: int = typer.Argument(..., help="ปีงบประมาณ พ.ศ. (fiscal year B.E.)",
                                      callback=check_fiscal_year),
) -> None:
    """แสดงวันหยุดราชการ กทม. ในปีงบประมาณ (list BMA office holidays in a fiscal year)."""
    import pandas as pd

    from cplkpi.scoring import thai_calendar
    from cplkpi.scoring.thaidate import fiscal_year_range

    start, end = fiscal_year_range(fiscal_year)
    table = thai_calendar().holiday_table()
    table = table[(table["date"] >= start) & (table["date"] <= end)]
    t = Table(title=f"วันหยุดราชการ ปีงบประมาณ {fiscal_year} (BMA office holidays)")
    for col in ("วันที่ (date)", "ชื่อวันหยุด", "holiday", "ที่มา (source)"):
        t.add_column(col)
    for _, x in table.iterrows():
        t.add_row(format_thai_date(x["date"]) + f" ({pd.Timestamp(x['date']):%a})", x["name_th"], x["name_en"],
                  x["source"])
    console.print(t)
