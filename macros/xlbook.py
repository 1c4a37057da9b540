"""The xlwings side of the report buttons: an open ``xlwings.Book`` in, tables and messages back.

Reading turns the book's sheets into rows (Excel row 1 first, so every
problem names the right row) for :func:`cplkpi.reader.from_sheets` and, for
the report sheets, into :class:`~cplkpi.macros.audit_source.ReportSheets`.
Writing puts result tables into sheets of their own (replaced on every run,
never a sheet the user typed in) and a status message into the control sheet
(:data:`CONTROL_SHEET`), which also holds the buttons' settings.

Only the part of the Book API that classic xlwings (Excel through COM or
AppleScript) and xlwings Lite/Server (the JSON book) share is used:
``book.sheets`` (iterate, ``[name]``, ``add(name, after=)``), ``book.names``
(``name``, ``refers_to``), ``book.fullname``, ``sheet.name``,
``sheet.used_range.last_cell``, ``sheet.range(a, b).options(ndim=2).value``
(read and write), ``.formula`` (classic only; Lite reads no formulas
synchronously, so there the formula checks are skipped), ``.number_format``,
``.font.bold``, ``.column_width``, ``sheet.clear()``.

Text written to a cell can never become a formula or a number: text columns
get the text format ``@``, text in a column that also holds numbers or dates
(which must stay numbers and dates) is quote-prefixed, and so is text starting
with ``= + - @``.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from cplkpi.reader import ComplaintWorkbook, coverage_sheet, find_sheet, from_sheets
from cplkpi.scoring.catalogue import catalogue
from cplkpi.scoring.days import BANGKOK
from cplkpi.scoring.tables import SHEETS
from cplkpi.scoring.thaidate import date_system_1904
from cplkpi.udfs.convert import uses_1904
from cplkpi.xlsx import FORMULA_START, THAI_DATE_FORMAT, THAI_DATETIME_FORMAT, safe_text

from .audit_source import ReportSheets

__all__ = [
    "CONTROL_SHEET",
    "FIELDS",
    "Block",
    "cell_value",
    "complaint_workbook",
    "control_values",
    "defined_names",
    "ensure_control_sheet",
    "formulas",
    "grid",
    "report_sheets",
    "set_status",
    "sheet_names",
    "uses_1904",
    "write_blocks",
    "write_table",
]

#: The sheet with the buttons' settings and the status cell.
CONTROL_SHEET = "cplkpi"
#: The control sheet's fields, top to bottom from row 3: key → label in column A (value in column B);
#: ``data/control_sheet.toml``, with each field's hint.
FIELDS: dict[str, str] = {key: entry["label"] for key, entry in catalogue("cplkpi.macros", "control_sheet").items()}
FIRST_FIELD_ROW = 3
TITLE = "cplkpi: ปุ่มรายงานตัวชี้วัดเรื่องร้องเรียน กทม. (BMA complaint-KPI report buttons)"


def _row(key: str) -> int:
    return FIRST_FIELD_ROW + list(FIELDS).index(key)


def cell_value(value: Any, *, quote: bool = False) -> Any:
    """A value as it may go into a cell: text can never turn into a formula (nor, with ``quote``, into
    a number or a date: for a cell not formatted as text)."""
    if isinstance(value, str):
        text = safe_text(value)
        return f"'{text}" if text.startswith(FORMULA_START) or (quote and text) else text
    return value


# --- reading ---------------------------------------------------------------------------


def sheet_names(book: Any) -> list[str]:
    """The book's sheet names, in order."""
    return [s.name for s in book.sheets]


def _extent(sheet: Any) -> tuple[int, int]:
    last = sheet.used_range.last_cell
    return last.row, last.column


def grid(sheet: Any) -> list[list[Any]]:
    """The values of a sheet from A1 to the end of its used range, as rows (Excel row 1 first)."""
    rows, cols = _extent(sheet)
    if (rows, cols) == (1, 1) and sheet.range((1, 1), (1, 1)).value is None:
        return []
    return sheet.range((1, 1), (rows, cols)).options(ndim=2).value


def formulas(sheet: Any) -> list[list[Any]] | None:
    """The formulas (or constants) of a sheet as rows; None where the engine cannot read them (Lite)."""
    rows, cols = _extent(sheet)
    try:
        f = sheet.range((1, 1), (rows, cols)).formula
    except NotImplementedError:
        return None
    if isinstance(f, str):
        return [[f]]
    return [list(r) if isinstance(r, list | tuple) else [r] for r in f]


_REFERS_TO = re.compile(r"^=?(?:'((?:[^']|'')+)'|([^'!]+))!(\$?[A-Z]{1,3}\$?\d+(?::\$?[A-Z]{1,3}\$?\d+)?)$")


def defined_names(book: Any) -> dict[str, tuple[str, str]]:
    """Workbook-level defined names that refer to one range: name → (sheet, ``$C$9`` or ``$B$12:$H$23``)."""
    out: dict[str, tuple[str, str]] = {}
    for n in book.names:
        name, ref = n.name, n.refers_to
        if "!" in name or not isinstance(ref, str):  # a sheet-level name, or not a range
            continue
        m = _REFERS_TO.match(ref.strip())
        if m:
            out[name] = ((m[1] or "").replace("''", "'") or m[2], m[3])
    return out


def complaint_workbook(book: Any) -> ComplaintWorkbook:
    """The complaint workbook of an open book (its complaint, progress, monthly-report, audit-sample and
    calendar sheets), read like :func:`cplkpi.reader.read_workbook` reads a file. In a book using the
    1904 date system, date cells already arrive as dates and plain numbers in date columns are read
    as 1904 serials."""
    names = sheet_names(book)
    wanted = ({find_sheet(names, key) for key in SHEETS} | {coverage_sheet(names)}) - {None}
    sheets = {n: grid(book.sheets[n]) for n in names if n in wanted or len(names) == 1}
    full = Path(str(book.fullname))
    with date_system_1904(uses_1904(book)):
        return from_sheets(sheets, path=full)


def report_sheets(book: Any, sheets: Iterable[str]) -> tuple[Any, bool]:
    """The book's report sheets among ``sheets`` as
    :class:`~cplkpi.macros.audit_source.ReportSheets` (values, formulas, defined names), or None when
    it has none; and whether the formulas could be read (not in xlwings Lite)."""
    wanted = set(sheets)
    present = [s for s in sheet_names(book) if s in wanted]
    if not present:
        return None, False
    values = {s: grid(book.sheets[s]) for s in present}
    forms = {s: f for s in present if (f := formulas(book.sheets[s])) is not None}
    reports = ReportSheets.from_grids(values, forms, defined_names(book), source=str(book.name))
    # each workbook-level name's whole text (='CPL_R003'!$E$48-45): the audit compares it with the template's
    reports.name_texts = {n.name: n.refers_to for n in book.names
                          if "!" not in n.name and isinstance(n.refers_to, str)}
    return reports, len(forms) == len(present)


# --- the control sheet ------------------------------------------------------------------


def ensure_control_sheet(book: Any) -> Any:
    """The control sheet, created with its labels when the book has none."""
    if CONTROL_SHEET in sheet_names(book):
        return book.sheets[CONTROL_SHEET]
    sheet = book.sheets.add(CONTROL_SHEET, after=book.sheets[len(sheet_names(book)) - 1])
    sheet.range((1, 1)).value = TITLE
    sheet.range((1, 1)).font.bold = True
    sheet.range((FIRST_FIELD_ROW, 1)).options(ndim=2).value = [[label] for label in FIELDS.values()]
    sheet.range((1, 1)).column_width = 45
    sheet.range((1, 2)).column_width = 60
    return sheet


def control_values(book: Any) -> dict[str, Any]:
    """The settings typed into the control sheet: field key → value (None when empty or no sheet)."""
    out: dict[str, Any] = dict.fromkeys(FIELDS)
    if CONTROL_SHEET not in sheet_names(book):
        return out
    rows = grid(book.sheets[CONTROL_SHEET])
    by_label = {_label_key(label): key for key, label in FIELDS.items()}
    for row in rows:
        if len(row) >= 2 and isinstance(row[0], str) and _label_key(row[0]) in by_label:
            value = row[1]
            blank = isinstance(value, str) and not value.strip()
            out[by_label[_label_key(row[0])]] = None if blank else value
    return out


def _label_key(label: str) -> str:
    """The Thai part of a label, spaces removed: a translated English part still matches."""
    return re.sub(r"\s+", "", label.split("(")[0])


def set_status(book: Any, message: str) -> None:
    """Write a status message (and the Bangkok time) into the control sheet, creating it when needed."""
    sheet = ensure_control_sheet(book)
    sheet.range((_row("status"), 2)).value = cell_value(message)
    sheet.range((_row("updated"), 2)).value = _dt.datetime.now(BANGKOK).replace(microsecond=0, tzinfo=None)
    sheet.range((_row("updated"), 2)).number_format = THAI_DATETIME_FORMAT


# --- writing -------------------------------------------------------------------------------


@dataclass
class Block:
    """A titled table for a result sheet."""

    title: str | None
    headers: Sequence[str]
    rows: Sequence[Sequence[Any]]


def _result_sheet(book: Any, title: str) -> Any:
    """An empty sheet called ``title``: cleared when it exists (it is the previous run's result)."""
    if title in sheet_names(book):
        sheet = book.sheets[title]
        sheet.clear()
        return sheet
    return book.sheets.add(title, after=book.sheets[len(sheet_names(book)) - 1])


_FORMATS = {"date": THAI_DATE_FORMAT, "datetime": THAI_DATETIME_FORMAT, "text": "@"}


def _cell_kind(value: Any) -> str | None:
    if value is None or value == "":
        return None
    if isinstance(value, _dt.datetime):
        return "datetime"
    if isinstance(value, _dt.date):
        return "date"
    return "text" if isinstance(value, str) else "number"


def _column_formats(values: Sequence[Any]) -> tuple[list[tuple[int, int, str]], bool]:
    """The number formats of a column's cells as runs ``(first, last, format)`` (0-based), and whether
    its text must be quote-prefixed.

    A column of text only is formatted as text, one of dates only as Thai dates (with the time when
    some have one). A mixed column (the value column of an about-block) keeps Excel's General format
    so that its numbers stay numbers: its dates are formatted run by run and its text is
    quote-prefixed, so text never becomes a number there either.
    """
    kinds = [_cell_kind(v) for v in values]
    present = set(kinds) - {None}
    if present and (present == {"text"} or present <= {"date", "datetime"}):
        only = "text" if present == {"text"} else "date" if present == {"date"} else "datetime"
        return [(0, len(values) - 1, _FORMATS[only])], False
    runs: list[tuple[int, int, str]] = []
    for i, kind in enumerate(kinds):
        if kind in ("date", "datetime"):
            if runs and runs[-1][1] == i - 1 and runs[-1][2] == _FORMATS[kind]:
                runs[-1] = (runs[-1][0], i, runs[-1][2])
            else:
                runs.append((i, i, _FORMATS[kind]))
    return runs, "text" in present


def write_blocks(book: Any, title: str, blocks: Sequence[Block],
                 widths: Sequence[float] | None = None) -> Any:
    """Replace sheet ``title`` with ``blocks`` stacked top to bottom (a blank row between them)."""
    sheet = _result_sheet(book, title)
    row = 1
    for block in blocks:
        if block.title:
            sheet.range((row, 1)).value = cell_value(block.title)
            sheet.range((row, 1)).font.bold = True
            row += 1
        width = len(block.headers)
        sheet.range((row, 1)).options(ndim=2).value = [[cell_value(h) for h in block.headers]]
        sheet.range((row, 1), (row, width)).font.bold = True
        data = [[_plain(v) for v in r] for r in block.rows]
        if data:
            quote = []
            for j in range(width):
                runs, quoted = _column_formats([r[j] for r in data])
                for first, last, fmt in runs:
                    sheet.range((row + 1 + first, j + 1), (row + 1 + last, j + 1)).number_format = fmt
                quote.append(quoted)
            sheet.range((row + 1, 1)).options(ndim=2).value = [
                [cell_value(v, quote=q) for v, q in zip(r, quote)] for r in data]
        row += len(data) + 2
    for j, w in enumerate(widths or [], start=1):
        sheet.range((1, j)).column_width = w
    return sheet


def write_table(book: Any, title: str, headers: Sequence[str], rows: Sequence[Sequence[Any]],
                widths: Sequence[float] | None = None) -> Any:
    """Replace sheet ``title`` with one table (bold header row)."""
    return write_blocks(book, title, [Block(None, headers, rows)], widths)


def _plain(value: Any) -> Any:
    """numpy/pandas scalars and missing values as plain Python values for a cell."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, pd.Timestamp):
        return value.to_pydatetime().date() if value == value.normalize() else value.to_pydatetime()
    if isinstance(value, np.datetime64):
        return None if np.isnat(value) else value.astype("datetime64[D]").astype(object)
    if isinstance(value, np.generic):
        return value.item()
    if value is pd.NA:
        return None
    return value
