"""A fake xlwings Book (openpyxl-backed) for the button and Lite tests: no Excel on Linux.

:class:`FakeBook` implements exactly the part of the xlwings Book API that
``cplkpi.macros.xlbook`` uses, with classic xlwings' conventions: numbers read
as float, dates as ``datetime``, empty cells as None, a single cell as a
scalar unless ``ndim=2``; and Excel's on writing: text starting with ``=`` is
a formula, text that looks like a number becomes a number unless the cell is
formatted as text (``@``), a number or date written into a text cell becomes text, a leading
apostrophe marks text.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from cplkpi.macros import xlbook

NUMBER = re.compile(r"^[+-]?\d+(\.\d+)?$")


# --- the fake Book ----------------------------------------------------------------------------


class FakeFont:
    def __init__(self, rng: FakeRange):
        self._rng = rng

    @property
    def bold(self) -> bool:
        return bool(self._rng.cells()[0][0].font.b)

    @bold.setter
    def bold(self, value: bool) -> None:
        for row in self._rng.cells():
            for c in row:
                c.font = Font(name=c.font.name, bold=value)


class FakeRange:
    def __init__(self, sheet: FakeSheet, r1: int, c1: int, r2: int, c2: int, options: dict | None = None):
        self.sheet, self.r1, self.c1, self.r2, self.c2 = sheet, r1, c1, r2, c2
        self._options = options or {}

    # geometry
    @property
    def row(self) -> int:
        return self.r1

    @property
    def column(self) -> int:
        return self.c1

    @property
    def shape(self) -> tuple[int, int]:
        return self.r2 - self.r1 + 1, self.c2 - self.c1 + 1

    @property
    def last_cell(self) -> FakeRange:
        return FakeRange(self.sheet, self.r2, self.c2, self.r2, self.c2)

    def options(self, **kw: Any) -> FakeRange:
        return FakeRange(self.sheet, self.r1, self.c1, self.r2, self.c2, {**self._options, **kw})

    def cells(self, wb: str = "values") -> list[list[Any]]:
        ws = self.sheet.ws(wb)
        return [[ws.cell(r, c) for c in range(self.c1, self.c2 + 1)] for r in range(self.r1, self.r2 + 1)]

    @staticmethod
    def _read(v: Any) -> Any:
        if isinstance(v, bool) or v is None:
            return v
        if isinstance(v, int):
            return float(v)  # COM hands numbers to Python as float
        if isinstance(v, str) and v == "":
            return None
        if isinstance(v, dt.date) and not isinstance(v, dt.datetime):
            return dt.datetime.combine(v, dt.time())  # COM hands dates to Python as datetime
        return v

    def _shape_out(self, grid: list[list[Any]]) -> Any:
        if self._options.get("ndim") == 2:
            return grid
        if len(grid) == 1 and len(grid[0]) == 1:
            return grid[0][0]
        if len(grid) == 1:
            return grid[0]
        if all(len(r) == 1 for r in grid):
            return [r[0] for r in grid]
        return grid

    @property
    def value(self) -> Any:
        return self._shape_out([[self._read(c.value) for c in row] for row in self.cells()])

    @value.setter
    def value(self, data: Any) -> None:
        if not isinstance(data, list):
            data = [[data]]
        elif data and not isinstance(data[0], list):
            data = [data]
        for i, row in enumerate(data):
            for j, v in enumerate(row):
                self.sheet.write(self.r1 + i, self.c1 + j, v)

    @property
    def formula(self) -> Any:
        grid = [["" if c.value is None else c.value if isinstance(c.value, str) else str(c.value)
                 for c in row] for row in self.cells("formulas")]
        return grid[0][0] if len(grid) == 1 and len(grid[0]) == 1 else tuple(tuple(r) for r in grid)

    @property
    def number_format(self) -> str:
        return self.cells()[0][0].number_format

    @number_format.setter
    def number_format(self, fmt: str) -> None:
        for row in self.cells():
            for c in row:
                c.number_format = fmt

    @property
    def font(self) -> FakeFont:
        return FakeFont(self)

    @property
    def column_width(self) -> float:
        return self.sheet.ws().column_dimensions[get_column_letter(self.c1)].width

    @column_width.setter
    def column_width(self, w: float) -> None:
        for c in range(self.c1, self.c2 + 1):
            self.sheet.ws().column_dimensions[get_column_letter(c)].width = w


class FakeSheet:
    def __init__(self, book: FakeBook, title: str):
        self.book, self._title = book, title

    def ws(self, which: str = "values") -> Any:
        wb = self.book.values if which == "values" or self.book.formulas is None else self.book.formulas
        return wb[self._title]

    @property
    def name(self) -> str:
        return self._title

    @property
    def used_range(self) -> FakeRange:
        """Like Excel: from the first used cell (not A1) to the last."""
        ws = self.ws()
        return FakeRange(self, ws.min_row, ws.min_column, max(ws.max_row, 1), max(ws.max_column, 1))

    def range(self, a: Any, b: Any = None) -> FakeRange:
        def rc(x: Any) -> tuple[int, int]:
            if isinstance(x, tuple):
                return x
            cell = self.ws()[x]
            return cell.row, cell.column

        (r1, c1), (r2, c2) = rc(a), rc(b if b is not None else a)
        return FakeRange(self, r1, c1, r2, c2)

    def __getitem__(self, ref: str) -> FakeRange:
        return self.range(ref)

    def clear(self) -> None:
        for wb in (self.book.values, self.book.formulas):
            if wb is not None:
                ws = wb[self._title]
                ws.delete_rows(1, ws.max_row + 1)

    def write(self, r: int, c: int, v: Any) -> None:
        """What Excel does with a value written through COM/Office.js."""
        cell = self.ws().cell(r, c)
        fcell = self.ws("formulas").cell(r, c) if self.book.formulas is not None else None
        if isinstance(v, str) and v.startswith("'"):
            cell.value, cell.quotePrefix = v[1:], True
        elif isinstance(v, str) and v.startswith("="):
            self.book.formulas_written.append((self._title, cell.coordinate, v))
            cell.value = v
        elif isinstance(v, str) and cell.number_format != "@" and NUMBER.match(v.strip()):
            cell.value = float(v)
        elif cell.number_format == "@" and isinstance(v, int | float | dt.date) and not isinstance(v, bool):
            cell.value = str(v)  # a number or date written into a text cell is kept as text
        else:
            cell.value = v
        if fcell is not None:
            fcell.value = cell.value


class FakeSheets:
    def __init__(self, book: FakeBook):
        self.book = book

    def __iter__(self):
        return iter([FakeSheet(self.book, t) for t in self.book.values.sheetnames])

    def __len__(self) -> int:
        return len(self.book.values.sheetnames)

    def __getitem__(self, key: Any) -> FakeSheet:
        names = self.book.values.sheetnames
        if isinstance(key, int):
            return FakeSheet(self.book, names[key])
        if key not in names:
            raise KeyError(key)
        return FakeSheet(self.book, key)

    def add(self, name: str | None = None, before: FakeSheet | None = None,
            after: FakeSheet | None = None) -> FakeSheet:
        names = self.book.values.sheetnames
        index = names.index(after.name) + 1 if after is not None else (
            names.index(before.name) if before is not None else 0)
        for wb in (self.book.values, self.book.formulas):
            if wb is not None:
                wb.create_sheet(name, index)
        return FakeSheet(self.book, name)


class FakeName:
    def __init__(self, name: str, refers_to: str):
        self.name, self.refers_to = name, refers_to


class FakeBook:
    """An xlwings-like Book over openpyxl workbooks (values, and formulas when given)."""

    def __init__(self, values: Any, formulas: Any = None, fullname: str = "/data/book.xlsx"):
        self.values, self.formulas, self.fullname = values, formulas, fullname
        self.name = Path(fullname).name
        self.formulas_written: list[tuple[str, str, str]] = []

    @classmethod
    def open(cls, path: Path, fullname: str | None = None) -> FakeBook:
        return cls(load_workbook(path, data_only=True), load_workbook(path), fullname or str(path))

    @property
    def sheets(self) -> FakeSheets:
        return FakeSheets(self)

    @property
    def names(self) -> list[FakeName]:
        return [FakeName(n, f"={dn.attr_text}") for n, dn in self.values.defined_names.items()]

    def sheet_rows(self, title: str) -> list[list[Any]]:
        ws = self.values[title]
        return [list(r) for r in ws.iter_rows(values_only=True)]


def settings(book: FakeBook, **values: Any) -> None:
    """Type values into the control sheet (creating it)."""
    sheet = xlbook.ensure_control_sheet(book)
    for key, value in values.items():
        sheet.range((xlbook.FIRST_FIELD_ROW + list(xlbook.FIELDS).index(key), 2)).value = value


def status(book: FakeBook) -> str:
    row = xlbook.FIRST_FIELD_ROW + list(xlbook.FIELDS).index("status")
    return book.values[xlbook.CONTROL_SHEET].cell(row, 2).value
