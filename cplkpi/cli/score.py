"""``cplkpi score`` and ``cplkpi overdue``: score a workbook; list what is overdue."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pandas as pd
import typer
from rich import box
from rich.cells import cell_len
from rich.progress import Progress, SpinnerColumn, TextColumn
from rich.table import Table

from cplkpi.export import TABLE_SUFFIXES, notes_file, write_table
from cplkpi.outputs import check_output_file
from cplkpi.reader import ComplaintWorkbook, one_agency, read_workbook
from cplkpi.scoring import thai_calendar
from cplkpi.scoring.errors import CplError
from cplkpi.scoring.explain import for_people
from cplkpi.scoring.monitor import phase_th
from cplkpi.scoring.rules import DEFAULT_RULES, available_rules, load_rules
from cplkpi.scoring.scores import ScoreResult
from cplkpi.scoring.thaidate import fiscal_year_range, format_thai_date, format_thai_month

from . import app
from .common import (
    agency_option,
    cell_text,
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


def load(path: Path, keep_going: bool, agency: str | None = None) -> ComplaintWorkbook:
    """Read a workbook (narrowed to ``agency`` when given), print its problems, stop on errors unless
    ``keep_going``."""
    try:
        book = read_workbook(path)
        if agency is not None:
            book = book.for_agency(agency)
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
    console.print(f"[bold]{plain(agency)}[/] ผลการประเมินปีงบประมาณ {result.fiscal_year} "
                  f"(scored fiscal year {result.fiscal_year})")
    console.print(f"ตัวชี้วัด (KPI): {plain(r.title_th)}  ชุดเกณฑ์ (rules) {plain(r.name)}")
    console.print(f"ช่วงข้อมูล (period) {format_thai_date(result.start)} – {format_thai_date(result.end)}  "
                  f"ณ วันที่ (as of) {format_thai_date(result.as_of)}")
    if result.coverage is not None:
        console.print(f"[bold]{result.coverage.text()}[/]")
    no_data = result.no_data_note()
    if no_data is not None:  # before the figures: what the full score below is worth
        console.print(f"[bold yellow]{plain(no_data)}[/]")
    # compact: short component labels (the reports carry the full ones); fits 80 columns
    t = Table(title="คะแนนรายองค์ประกอบ (component scores)", box=box.SIMPLE_HEAD, show_edge=False,
              pad_edge=False)
    for col, kw in (("เกณฑ์\n(component)", {"no_wrap": True}),
                    ("ถูกต้อง/ทั้งหมด\n(correct/total)", {"justify": "right", "no_wrap": True}),
                    ("ยังไม่ถึง\nกำหนด\n(not due)", {"justify": "right"}), ("ร้อยละ\n(%)", {"justify": "right"}),
                    ("เต็ม\n(max)", {"justify": "right"}), ("หัก\n(ded.)", {"justify": "right"}),
                    ("คะแนน\n(score)", {"justify": "right", "no_wrap": True})):
        t.add_column(col, **kw)
    places = r.score_decimals
    c: Any  # a row of the summary (pandas-stubs type its fields as any scalar, bytes included)
    for c in result.component_summary().itertuples():
        counted = f"ส่งตรงเวลา {c.correct:,}/{c.total:,} เดือน" if c.monthly else f"{c.correct:,}/{c.total:,} เรื่อง"
        if c.no_data:  # months without data: neither due nor missing, never "not due yet"
            counted += f"\nไม่มีข้อมูล {c.no_data:,} เดือน"
        t.add_row(plain(c.short_th), counted, f"{c.not_yet_due:,}", "-" if c.pct is None else f"{c.pct:.2f}",
                  f"{c.points:g}", f"{c.deducted:.{places}f}" if c.deducted else "-", f"{c.score:.{places}f}")
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
    for step in result.steps.itertuples():
        s.add_row(str(step.step), f"{step.points:g}", f"{step.score_before:.{places}f}",
                  f"{step.deductions:.{places}f}", f"{step.score:.{places}f}")
    s.add_row("[bold]รวม (total)[/]", f"{r.total_points:g}", "", "", f"[bold]{result.total:.{r.score_decimals}f}[/]")
    console.print(s)
    for note in result.notes:
        if note != no_data:  # printed above the figures
            console.print(f"[yellow]หมายเหตุ (note):[/] {plain(note)}")


def print_agency_scores(scored: list[tuple[str | None, ScoreResult]], unassigned: int = 0) -> None:
    """The committee's view of a many-agency workbook: one row per agency (complaints, each step's score
    after deductions, total), highest total first."""
    r = scored[0][1].rules
    first = scored[0][1]
    console.print(f"[bold]{len(scored):,} หน่วยงาน (agencies)[/] ผลการประเมินปีงบประมาณ {first.fiscal_year} "
                  f"(scored fiscal year {first.fiscal_year})")
    console.print(f"ตัวชี้วัด (KPI): {plain(r.title_th)}  ชุดเกณฑ์ (rules) {plain(r.name)}")
    console.print(f"ช่วงข้อมูล (period) {format_thai_date(first.start)} – {format_thai_date(first.end)}  "
                  f"ณ วันที่ (as of) {format_thai_date(first.as_of)}")
    if first.coverage is not None:
        console.print(f"[bold]{first.coverage.text()}[/]")
    # compact (no outer box); numbers never cut, the agency name wrapped rather than cut: fits 80 columns
    places = r.score_decimals
    ordered = sorted(scored, key=lambda x: (-x[1].total, x[0]))
    rows = [[str(rank), plain(name), f"{len(res.complaints):,}", *(f"{x:.{places}f}" for x in res.steps["score"]),
             f"{res.total:.{places}f}"]
            for rank, (name, res) in enumerate(ordered, start=1)]
    headers = ["ลำดับ\n(rank)", "หน่วยงาน\n(agency)", "เรื่อง\n(cases)",
               *(f"ขั้น {step}\n(step)" for step in r.steps), "รวม\n(total)"]
    t = Table(title="คะแนนรายหน่วยงาน (score per agency)", box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False)
    for k, header in enumerate(headers):
        width = max(cell_len(row[k]) for row in rows)
        if k == 1:
            t.add_column(header, min_width=min(width, 20))
        else:
            t.add_column(header, justify="right", no_wrap=True, min_width=width)
    for row in rows:
        t.add_row(*row)
    console.print(t)
    if unassigned:
        console.print(f"[yellow]หมายเหตุ (note):[/] {unassigned:,} เรื่องไม่ระบุหน่วยงาน ไม่ได้นับในหน่วยงานใด "
                      f"({unassigned:,} complaints name no agency and are not scored)")
    console.print("ดูรายละเอียดของหน่วยงานหนึ่งด้วย --agency ชื่อหน่วยงาน (one agency's details: --agency NAME)")


def agency_explanations(scored: list[tuple[str | None, ScoreResult]]) -> pd.DataFrame:
    """The explanations of several agencies in one table, the agency first."""
    frames = [for_people(res.explain(), res.rules) for _, res in scored]
    for (name, _), frame in zip(scored, frames):
        frame.insert(0, "agency", name)
    return pd.concat(frames, ignore_index=True)


def run_score(path: Path, fiscal_year: int | None, rules: str, as_of: str | None, explain: Path | None,
              keep_going: bool, agency: str | None = None) -> list[tuple[str | None, ScoreResult]]:
    """Read, score, print and (optionally) write the explanations; shared with ``demo``.

    A workbook holding several agencies (and no ``agency`` chosen) is scored per agency, all for the same
    fiscal year (default: the latest in the whole workbook). Returns (agency, result) pairs.
    """
    if explain is not None:
        check_output_file(explain, path, rules_file(rules), suffixes=TABLE_SUFFIXES)
    day = date_option(as_of, "--as-of")
    with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=console, transient=True) as bar:
        task = bar.add_task(f"อ่านไฟล์ (reading) {path.name}")
        book = load(path, keep_going, agency)
        bar.update(task, description="คำนวณคะแนน (scoring)")
        books = book.by_agency() if len(book.agency_counts()) > 1 else [book]
        try:
            if len(books) > 1 and fiscal_year is None and book.fiscal_years():
                fiscal_year = book.fiscal_years()[-1]
            scored = [(b.agency, b.score(fiscal_year=fiscal_year, rules=rules, as_of=day)) for b in books]
        except CplError as exc:
            raise fail(exc) from exc
        if explain is not None:
            bar.update(task, description=f"เขียนคำอธิบาย (writing explanations) {explain.name}")
            table = (for_people(scored[0][1].explain(), scored[0][1].rules) if len(scored) == 1
                     else agency_explanations(scored))
            write_table(table, explain, "คำอธิบาย")
    if len(scored) == 1:
        print_score(scored[0][1], scored[0][0])
    else:
        print_agency_scores(scored, int((book.agency_keys() == "").sum()))
    if explain is not None:
        console.print(f"คำอธิบายรายเรื่อง (per-complaint explanations): {plain(explain)}")
    return scored


@app.command("score")
def score_command(
    workbook: Path = WORKBOOK,
    fiscal_year: int = fiscal_year_option(
        "--fy", help="ปีงบประมาณ พ.ศ. เช่น 2563 (fiscal year B.E.; default: the latest in the data)"),
    rules: str = typer.Option(DEFAULT_RULES, help=f"ชุดเกณฑ์ (rule set): {', '.join(available_rules())}"),
    as_of: str = typer.Option(None, "--as-of", help="ประเมิน ณ วันที่ (evaluation date; default: end of the fiscal year, "
                                                 "or the snapshot day of an imported workbook)"),
    explain: Path = typer.Option(None, help="เขียนคำอธิบายรายเรื่องลงไฟล์ .xlsx หรือ .csv (write explanations)"),
    keep_going: bool = typer.Option(False, "--keep-going", help="คำนวณต่อแม้ข้อมูลมีข้อผิดพลาด (score despite input errors)"),
    agency: str = agency_option(),
) -> None:
    """คำนวณคะแนนตัวชี้วัดของหน่วยงาน (score an agency workbook for a fiscal year and rule set).

    A workbook holding several agencies gets one row per agency, unless --agency chooses one.
    """
    run_score(workbook, fiscal_year, rules, as_of, explain, keep_going, agency)


@app.command("overdue")
def overdue_command(
    workbook: Path = WORKBOOK,
    as_of: str = typer.Option(None, "--as-of", help="ณ วันที่ (as of; default: today in Bangkok, or the snapshot day "
                                                 "of an imported workbook)"),
    rules: str = typer.Option(DEFAULT_RULES, help="ชุดเกณฑ์ (rule set)"),
    out: Path = typer.Option(None, help="เขียนรายการลงไฟล์ .xlsx หรือ .csv (write the list to a file)"),
    all_open: bool = typer.Option(False, "--all", help="แสดงเรื่องที่ยังไม่เสร็จทั้งหมด (list every open complaint)"),
    keep_going: bool = typer.Option(False, "--keep-going", help="ทำต่อแม้ข้อมูลมีข้อผิดพลาด (continue despite input errors)"),
    agency: str = agency_option(),
) -> None:
    """รายการเรื่องที่เกินกำหนดหรือใกล้ครบกำหนด (list complaints overdue or due soon as of a date)."""
    if out is not None:
        check_output_file(out, workbook, rules_file(rules), suffixes=TABLE_SUFFIXES)
        if out.suffix.lower() == ".csv":
            check_output_file(notes_file(out), workbook, rules_file(rules))
    book = load(workbook, keep_going, agency)
    try:  # a work list is one agency's: a many-agency workbook is refused with its agencies listed
        book = one_agency(book, hint="ระบุ --agency ชื่อหน่วยงาน (choose one with --agency NAME)")
    except CplError as exc:
        raise fail(exc) from exc
    day = date_option(as_of, "--as-of") or (book.coverage.default_as_of(today_bangkok()) if book.coverage
                                            else today_bangkok())
    try:
        listed = ("overdue", "due_soon", "on_time") if all_open else ("overdue", "due_soon")
        stakes = book.points_at_stake(day, rules=rules, statuses=listed)
    except CplError as exc:
        raise fail(exc) from exc
    table = stakes.table
    t = Table(title=f"เรื่องที่ต้องเร่งรัด ณ {format_thai_date(day)} เรียงตามคะแนนที่ได้คืน "
                    f"(to expedite as of {day}, most points at stake first)")
    # a file without subjects (the GeoJSON export) gets no empty subject column; long texts wrap, never cut
    subjects = "subject" in table and table["subject"].notna().any()
    columns: tuple[tuple[str, dict[str, Any]], ...] = (
        ("เลขที่เรื่อง (id)", {"no_wrap": True}), *((("เรื่อง (subject)", {}),) if subjects else ()),
        ("สถานะตามต้นทาง (source status)", {}), ("ขั้น (phase)", {}), ("กำหนด (due)", {}),
        ("สถานะ (status)", {}), ("คะแนนที่ได้คืน (points at stake)", {"justify": "right", "min_width": 6}))
    for col, kw in columns:
        t.add_column(col, overflow="fold", **kw)
    places = stakes.baseline.rules.score_decimals
    phases = phase_th(table)
    for (_, x), phase in zip(table.head(200).iterrows(), phases):
        colour = "red" if x["status"] == "overdue" else "yellow" if x["status"] == "due_soon" else "green"
        t.add_row(cell_text(x["complaint_id"]), *((cell_text(x.get("subject")),) if subjects else ()),
                  cell_text(x["source_status"]), plain(phase), format_thai_date(x["due"]),
                  f"[{colour}]{x['status_th']}[/]", f"{x['points']:.{places}f}")
    console.print(t)
    if book.coverage is not None:
        console.print(f"[bold]{book.coverage.text()}[/]")
    counts = table["status"].value_counts()
    console.print(f"เกินกำหนด (overdue) {counts.get('overdue', 0):,}  ใกล้ครบกำหนด (due soon) {counts.get('due_soon', 0):,}")
    console.print(stakes.summary_th())
    if out is not None:
        # what a person reads, as on screen: the phase and the status in Thai (their codes are for programs),
        # and under the table (a second sheet, or a text file beside a .csv) the coverage, the projected
        # totals and how the points at stake are computed, as the Excel button's sheet has them
        people = table.drop(columns=["status", "status_en", "note_th"]).assign(phase=phases)
        write_table(people, out, "เรื่องที่ต้องเร่งรัด", notes=stakes.notes_th())
        console.print(f"เขียนไฟล์ (written): {plain(out)}")
        if out.suffix.lower() == ".csv":
            console.print("คำอธิบายและคะแนนที่คาดการณ์ (notes and projected totals): "
                          f"{plain(notes_file(out))}", soft_wrap=True)  # a path stays whole


@app.command("rules")
def rules_command() -> None:
    """แสดงชุดเกณฑ์ที่มี (list the shipped rule sets)."""

    for name in available_rules():
        r = load_rules(name)
        console.print(f"[bold]{plain(name)}[/]  {plain(r.title_th)}  [dim]({plain(r.source)})[/]")


@app.command("holidays")
def holidays_command(
    fiscal_year: int = typer.Argument(..., help="ปีงบประมาณ พ.ศ. (fiscal year B.E.)",
                                      callback=check_fiscal_year),
) -> None:
    """แสดงวันหยุดราชการ กทม. ในปีงบประมาณ (list BMA office holidays in a fiscal year)."""


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
