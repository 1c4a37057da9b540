"""Shared pieces of the CLI commands: console, date and fiscal-year options, problem printing."""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.table import Table

from cplkpi.guard import ensure_not_input
from cplkpi.scoring.days import BANGKOK
from cplkpi.scoring.errors import CplError, Problem
from cplkpi.scoring.thaidate import DateParseError, fiscal_year_range, format_thai_date, parse_date
from cplkpi.workbook import ComplaintWorkbook, one_agency

console = Console(highlight=False)
err_console = Console(stderr=True, highlight=False)


def today_bangkok() -> _dt.date:
    """Today's date in Bangkok."""
    return _dt.datetime.now(BANGKOK).date()


def date_option(value: str | None, name: str) -> _dt.date | None:
    """Parse a date given on the command line (ISO or Thai: ``30/9/2563``, ``30 ก.ย. 2563``)."""
    if value is None:
        return None
    try:
        return parse_date(value)
    except DateParseError as exc:
        raise typer.BadParameter(str(exc), param_hint=name) from exc


def check_fiscal_year(value: int | None) -> int | None:
    """A fiscal year given on the command line must be B.E. (``2563``); a C.E. year is a usage error."""
    if value is not None:
        try:
            fiscal_year_range(value)
        except ValueError as exc:
            raise typer.BadParameter(str(exc)) from exc
    return value


def fiscal_year_option(*flags: str, help: str) -> Any:
    """A ``--fy`` style option (default None) checked by :func:`check_fiscal_year`."""
    return typer.Option(None, *flags, help=help, callback=check_fiscal_year)


def agency_option() -> Any:
    """The ``--agency`` option: one agency of a workbook holding several, named as staff write it."""
    return typer.Option(None, "--agency",
                        help="ชื่อหน่วยงาน เช่น เขตสาทร หรือ สำนักงานเขตสาทร: เฉพาะเรื่องของหน่วยงานนี้ "
                             "(only this agency's complaints, in a workbook holding several)")


def all_agencies_option() -> Any:
    """The ``--all-agencies`` flag: one output folder per agency of a many-agency workbook."""
    return typer.Option(False, "--all-agencies",
                        help="ทำแยกทุกหน่วยงาน หน่วยงานละหนึ่งโฟลเดอร์ (every agency, one output folder each)")


def agency_books(book: ComplaintWorkbook, all_agencies: bool) -> list[ComplaintWorkbook]:
    """The workbooks a one-agency job (a report, a submission) runs on: every agency's with
    ``all_agencies``; else the book itself when it holds one agency (exit 1 with the Thai refusal listing
    the agencies and their counts when it holds several)."""
    if all_agencies:
        return book.by_agency()
    try:
        return [one_agency(book)]
    except CplError as exc:
        raise fail(exc) from exc


class RefNotes:
    """Long references (file and sheet names) shown as short keys ``[1]``, ``[2]`` in a table, each
    written whole on its own line under it: a narrow console (80 columns) then never cuts them
    mid-word. Words of at most ``inline`` cells stay in place."""

    _WORD = re.compile(r"[^\s!()]+")

    def __init__(self, inline: int = 18) -> None:
        self.inline = inline
        self.keys: dict[str, str] = {}

    def short(self, text: object) -> str:
        """``text`` with every long word replaced by its key."""
        def key(m: re.Match[str]) -> str:
            word = m[0]
            if cell_len(word) <= self.inline:
                return word
            return self.keys.setdefault(word, f"[{len(self.keys) + 1}]")
        return self._WORD.sub(key, "" if text is None else str(text))

    def print(self, out: Console) -> None:
        """The keys with their references, one per line (nothing when no reference was shortened)."""
        for word, k in self.keys.items():
            out.print(f"  {k} = {word}", soft_wrap=True, markup=False)
def cell_text(value: object) -> str:
    """A table value as console text: missing (None, NaN, NaT, ``pd.NA``) as "", times in Thai, counts with commas.

    Every optional column (subject, unit, detail …) may hold ``pd.NA``, whose truth value is an error,
    so console tables print values only through this function, never ``value or ""``.
    """
    import pandas as pd

    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    if isinstance(value, pd.Timestamp):
        return f"{format_thai_date(value)} {value:%H:%M}"
    if isinstance(value, int | float) and not isinstance(value, bool):
        return f"{value:,}"
    return str(value)


def print_problems(problems: Iterable[Problem], limit: int = 30) -> None:
    """Print problems as a table on stderr, errors first."""
    problems = sorted(problems, key=lambda p: (p.severity != "error", p.sheet or "", p.row or 0))
    if not problems:
        return
    table = Table(title="ปัญหาในข้อมูล (input problems)", show_lines=False)
    refs = RefNotes()
    table.add_column("ระดับ (level)")
    table.add_column("ตำแหน่ง (where)")
    table.add_column("ข้อความ (message)")
    for p in problems[:limit]:
        level = "[red]ข้อผิดพลาด (error)[/]" if p.severity == "error" else "[yellow]คำเตือน (warning)[/]"
        table.add_row(level, refs.short(p.where), p.message)
    err_console.print(table)
    refs.print(err_console)
    if len(problems) > limit:
        err_console.print(f"... และอีก {len(problems) - limit} รายการ (and {len(problems) - limit} more)")


def refuse_overwrite(output: Path, *sources: Path) -> None:
    """Exit 1 with a clear message when an output path is one of the sources (or links to one)."""
    try:
        ensure_not_input(output, *sources)
    except CplError as exc:
        raise fail(exc) from exc


def fail(exc: CplError) -> typer.Exit:
    """Print a cplkpi error readably and return the exit to raise (code 1)."""
    problems = getattr(exc, "problems", None)
    if problems:
        print_problems(problems)
    else:
        err_console.print(f"[red]ข้อผิดพลาด (error):[/] {exc}")
    return typer.Exit(code=1)
