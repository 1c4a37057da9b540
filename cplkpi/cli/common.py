"""Shared pieces of the CLI commands: console, date and fiscal-year options, problem printing, output checks,
and the command group that turns every refusal, file-system error and Ctrl-C into a clear message."""

from __future__ import annotations

import datetime as _dt
import errno
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any, cast

import pandas as pd
import typer
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from typer.core import TyperGroup

from cplkpi.interrupt import interrupted
from cplkpi.outputs import OutputError, protected_inputs
from cplkpi.reader import ComplaintWorkbook, one_agency
from cplkpi.scoring.catalogue import catalogue
from cplkpi.scoring.days import BANGKOK
from cplkpi.scoring.errors import CplError, Problem
from cplkpi.scoring.thaidate import DateParseError, fiscal_year_range, format_thai_date, parse_date

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

    if isinstance(value, pd.Timestamp):
        return f"{format_thai_date(value)} {value:%H:%M}"
    if isinstance(value, int | float) and not isinstance(value, bool) and value == value:
        return f"{value:,}"
    return plain(value)


def plain(value: object) -> str:
    """A value from the user's files (text, a path, a message quoting a cell) ready for a rich console line or
    table: shown as it is, never read as console markup (``[/]`` would crash, ``[draft]`` vanish), and
    empty for a missing value (never ``<NA>``, ``nan`` or ``None``)."""

    if value is None or (not isinstance(value, str | Path) and pd.isna(cast(Any, value))):  # stubs: scalars only
        return ""
    return escape(str(value))


def rules_file(rules: str) -> Path | None:
    """The rule-set file named by ``--rules`` (an input no output may replace), or None for a shipped
    rule set's name such as ``bma-2557``."""
    return Path(rules) if rules.lower().endswith(".toml") else None


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
        table.add_row(level, plain(refs.short(p.where)), plain(p.message))
    err_console.print(table)
    refs.print(err_console)
    if len(problems) > limit:
        err_console.print(f"... และอีก {len(problems) - limit} รายการ (and {len(problems) - limit} more)")


#: What a file-system error means, in Thai, by errno (``cplkpi/data/labels.toml``).
_OS_ERRORS_TH = {getattr(errno, name): text for name, text in catalogue("cplkpi", "labels")["os_errors"].items()
                 if name != "other"}


def os_error_text(exc: OSError) -> str:
    """One readable line for a file-system error: what, which file, Thai then English."""
    name = exc.filename if exc.filename is not None else ""
    what = _OS_ERRORS_TH.get(exc.errno or 0, catalogue("cplkpi", "labels")["os_errors"]["other"])
    en = exc.strerror or type(exc).__name__
    return f"{what}: {name} ({en}: {name})" if name else f"{what} ({en})"


class CplkpiGroup(TyperGroup):
    """The ``cplkpi`` command group: each command runs with its inputs protected from being overwritten
    (:func:`cplkpi.outputs.protected_inputs`); a cplkpi refusal or a file-system error ends with its
    message and exit 1, Ctrl-C with one line and exit 130, never with a traceback."""

    def invoke(self, ctx: Any) -> Any:
        """Run the chosen command (see the class)."""
        with protected_inputs():
            try:
                return super().invoke(ctx)
            except CplError as exc:
                raise fail(exc) from exc
            except OSError as exc:
                raise fail(CplError(os_error_text(exc))) from exc
            except KeyboardInterrupt as exc:
                interrupted()
                raise typer.Exit(code=130) from exc


def fail(exc: CplError) -> typer.Exit:
    """Print a cplkpi error readably and return the exit to raise (code 1)."""
    problems = getattr(exc, "problems", None) or []
    if isinstance(exc, OutputError):  # one line naming the path (paths may hold [ ]: no markup)
        err_console.print(str(problems[0]), markup=False, style="red", soft_wrap=True)  # paths stay whole
    elif problems:
        print_problems(problems)
    else:
        err_console.print(f"[red]ข้อผิดพลาด (error):[/] {escape(str(exc))}", soft_wrap=True)
    return typer.Exit(code=1)
