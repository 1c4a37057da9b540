"""Writing result tables for people: CSV (UTF-8 with BOM, for Excel) or .xlsx, atomically, with Thai headers."""

from __future__ import annotations

import datetime as _dt
import io
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Alignment

from cplkpi.ooxml.stream import TableColumn, save_with_tables
from cplkpi.scoring.catalogue import catalogue
from cplkpi.scoring.errors import CplError
from cplkpi.xlsx import FORMULA_START, write_bytes_atomic, write_table_sheet

__all__ = ["HEADERS_TH", "NOTES_SHEET", "TABLE_SUFFIXES", "escape_csv_cell", "notes_file", "write_table"]

#: What :func:`write_table` writes, by the output's suffix.
TABLE_SUFFIXES = (".xlsx", ".csv")

#: Thai headers (English in parentheses) of the columns of result tables (``cplkpi/data/labels.toml``).
HEADERS_TH: dict[str, str] = dict(catalogue("cplkpi", "labels")["headers"])


def escape_csv_cell(value: object) -> object:
    """Prefix text that a spreadsheet would run as a formula with an apostrophe."""
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


#: Excel's last row: a longer table goes to CSV.
EXCEL_MAX_ROWS = 1_048_576


def _column(series: pd.Series) -> TableColumn:
    """The column as written to Excel: real dates (Thai format), numbers, yes/no, or text."""
    dtype = series.dtype
    if pd.api.types.is_bool_dtype(dtype):
        return TableColumn(series, "bool")
    if pd.api.types.is_datetime64_any_dtype(dtype):
        present = series.dropna()
        return TableColumn(series, "date" if (present == present.dt.normalize()).all() else "datetime")
    if pd.api.types.is_numeric_dtype(dtype):
        return TableColumn(series, "float")
    present = series.dropna()
    if len(present) and present.map(lambda v: isinstance(v, _dt.date | np.datetime64)).all():
        return _column(pd.to_datetime(series))
    if len(present) and present.map(lambda v: isinstance(v, int | float | np.number)
                                    and not isinstance(v, bool | np.bool_)).all():
        return TableColumn(pd.to_numeric(series), "float")
    return TableColumn(series, "text")


#: Column widths (characters) of written tables: at least a short date, at most a readable line.
MIN_WIDTH, MAX_WIDTH = 12, 70


def _longest(col: TableColumn) -> int:
    """The longest text of a text column (0 for other kinds)."""
    if col.kind != "text" or not len(col.values):
        return 0
    lengths = pd.Series(col.values).dropna().astype(str).str.len()
    return int(lengths.max()) if len(lengths) else 0


def _width(header: str, col: TableColumn) -> float:
    """A column's width: fits its header and its texts, within [MIN_WIDTH, MAX_WIDTH]."""
    return max(MIN_WIDTH, min(MAX_WIDTH, max(len(header), _longest(col)) + 2))


#: The sheet of an .xlsx table's notes (what its figures mean).
NOTES_SHEET = "คำอธิบาย"


def notes_file(path: str | Path) -> Path:
    """The text file beside a .csv table that holds the table's notes (a CSV holds one table only, so
    programs still read it as one): ``รายการ.csv`` → ``รายการ_คำอธิบาย.txt``."""
    path = Path(path)
    return path.with_name(f"{path.stem}_{NOTES_SHEET}.txt")


def write_table(df: pd.DataFrame, path: str | Path, sheet: str = "ผลลัพธ์",
                notes: Sequence[str] = ()) -> Path:
    """Write ``df`` to ``.csv`` or ``.xlsx`` (by suffix) with Thai headers, atomically.

    ``notes`` (lines a person reads with the table: totals, coverage, how figures are computed) go to a
    second sheet :data:`NOTES_SHEET` of an .xlsx, or to :func:`notes_file` beside a .csv.
    An .xlsx holds at most Excel's 1,048,576 rows: a longer table raises
    :class:`~cplkpi.scoring.errors.CplError` saying to use .csv.
    """
    path = Path(path)
    headers = [HEADERS_TH.get(c, c) for c in df.columns]
    if path.suffix.lower() == ".xlsx":
        if len(df) + 1 > EXCEL_MAX_ROWS:
            raise CplError(f"ตารางมี {len(df):,} แถว เกินที่ Excel รับได้ ({EXCEL_MAX_ROWS - 1:,} แถว): ใช้ไฟล์ .csv "
                           f"(the table has {len(df):,} rows, more than Excel holds: write a .csv instead)")
        wb = Workbook()
        wb.remove(wb.worksheets[0])  # the new workbook's one (active) sheet
        columns = [_column(df[c]) for c in df.columns]
        widths = [_width(h, col) for h, col in zip(headers, columns)]
        # text longer than its column (the reasons) is wrapped, not cut off at the next cell
        columns = [TableColumn(col.values, "wrap") if col.kind == "text" and _longest(col) > w else col
                   for col, w in zip(columns, widths)]
        write_table_sheet(wb, sheet, headers, [], widths)
        if notes:
            ws = write_table_sheet(wb, NOTES_SHEET, ["คำอธิบาย (notes)"], [[line] for line in notes], [120])
            for row in ws.iter_rows(min_row=2):
                row[0].alignment = Alignment(wrap_text=True, vertical="top")
        return save_with_tables(wb, path, {sheet: columns})
    out = df.copy()
    for c in out.columns:
        if out[c].dtype == object or pd.api.types.is_string_dtype(out[c].dtype):
            out[c] = out[c].map(escape_csv_cell)
        elif pd.api.types.is_datetime64_any_dtype(out[c].dtype):
            out[c] = out[c].dt.strftime("%Y-%m-%d")
    out.columns = [escape_csv_cell(h) for h in headers]
    buf = io.StringIO()
    out.to_csv(buf, index=False, date_format="%Y-%m-%d")
    written = write_bytes_atomic(buf.getvalue().encode("utf-8-sig"), path)
    if notes:
        try:
            write_bytes_atomic(("\n".join(notes) + "\n").encode("utf-8-sig"), notes_file(path))
        except OSError:
            written.unlink(missing_ok=True)  # the table without its notes is no output: nothing is left
            raise
    return written


