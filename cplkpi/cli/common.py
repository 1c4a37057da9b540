"""Shared pieces of the CLI commands: console, date options, problem printing."""

from __future__ import annotations

import datetime as _dt
from collections.abc import Iterable

import typer
from rich.console import Console
from rich.table import Table

from cplkpi.scoring.days import BANGKOK
from cplkpi.scoring.errors import CplError, Problem
from cplkpi.scoring.thaidate import DateParseError, parse_date

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


def print_problems(problems: Iterable[Problem], limit: int = 30) -> None:
    """Print problems as a table on stderr, errors first."""
    problems = sorted(problems, key=lambda p: (p.severity != "error", p.sheet or "", p.row or 0))
    if not problems:
        return
    table = Table(title="ปัญหาในข้อมูล (input problems)", show_lines=False)
    table.add_column("ระดับ (level)")
    table.add_column("ตำแหน่ง (where)")
    table.add_column("ข้อความ (message)")
    for p in problems[:limit]:
        level = "[red]ข้อผิดพลาด (error)[/]" if p.severity == "error" else "[yellow]คำเตือน (warning)[/]"
        table.add_row(level, p.where, p.message)
    err_console.print(table)
    if len(problems) > limit:
        err_console.print(f"... และอีก {len(problems) - limit} รายการ (and {len(problems) - limit} more)")


def fail(exc: CplError) -> typer.Exit:
    """Print a cplkpi error readably and return the exit to raise (code 1)."""
    problems = getattr(exc, "problems", None)
    if problems:
        print_problems(problems)
    else:
        err_console.print(f"[red]ข้อผิดพลาด (error):[/] {exc}")
    return typer.Exit(code=1)
