"""Large plain tables written straight into a sheet's XML, streamed.

openpyxl builds one Python object per cell: fine for a report, minutes for
the 300,000 rows of a year of Bangkok's complaints. Here the workbook is laid
out by openpyxl as usual (styles, header row, widths, print setup, other
sheets), and the data rows of the big tables are then streamed into their
sheets' XML in chunks: one formatted string per cell, no cell objects, memory
bounded by the chunk size. Text goes in as inline strings, escaped; text a
spreadsheet would take for a formula gets Excel's quote prefix (as
:func:`cplkpi.xlsx.set_text` does); dates become Thai-formatted serial numbers.
"""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import numpy as np
import pandas as pd
from openpyxl.styles import Alignment
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.ooxml.cells import cell, column_letter, number_text, row
from cplkpi.ooxml.parts import sheet_parts
from cplkpi.ooxml.scan import DIMENSION
from cplkpi.scoring.days import BANGKOK
from cplkpi.xlsx import (
    FORMULA_START,
    THAI_DATE_FORMAT,
    THAI_DATETIME_FORMAT,
    atomic_file,
    fixed_core,
    safe_text,
    stamp_reproducible,
    zip_entry,
)

__all__ = ["TableColumn", "save_with_tables"]

Kind = Literal["text", "wrap", "int", "float", "bool", "date", "datetime"]
_EXCEL_EPOCH = np.datetime64("1899-12-30", "s")


@dataclass(frozen=True)
class TableColumn:
    """One column of a big table: its values (one per data row) and how they are written."""

    values: pd.Series | np.ndarray | Sequence[Any]
    kind: Kind = "text"


def _text_cells(ref: str, rows: Sequence[str], values: Sequence[Any], quoted_style: str,
                style: str = "") -> list[str]:
    out = []
    for r, v in zip(rows, values):
        text = safe_text(v)  # "" for a missing value (None, NaN, NaT): never the words
        if not text:
            out.append("")
            continue
        out.append(cell(ref + r, text=text, style=quoted_style if text.startswith(FORMULA_START) else style,
                        preserve=True))
    return out


def _number_cells(ref: str, rows: Sequence[str], numbers: np.ndarray, style: str = "") -> list[str]:
    present = ~np.isnan(numbers)
    text = [number_text(x) for x in numbers[present].tolist()]
    out = [""] * len(rows)
    for i, t in zip(np.flatnonzero(present).tolist(), text):
        out[i] = cell(ref + rows[i], t, style=style, escaped=True)
    return out


def _column_cells(col: TableColumn, ref: str, rows: Sequence[str], styles: Mapping[str, str]) -> list[str]:
    values = col.values
    if col.kind in ("text", "wrap"):
        arr = values.to_numpy(dtype=object) if isinstance(values, pd.Series) else np.asarray(values, dtype=object)
        return _text_cells(ref, rows, arr.tolist(), styles["quoted"], styles["wrap"] if col.kind == "wrap" else "")
    if col.kind in ("date", "datetime"):
        stamps = pd.to_datetime(pd.Series(values))
        if isinstance(stamps.dtype, pd.DatetimeTZDtype):  # aware times are written in Bangkok time
            stamps = stamps.dt.tz_convert(BANGKOK).dt.tz_localize(None)
        seconds = stamps.to_numpy(dtype="datetime64[s]")
        serial = (seconds - _EXCEL_EPOCH).astype("timedelta64[s]").astype(np.float64) / 86400.0
        serial[np.isnat(seconds)] = np.nan
        if col.kind == "date":
            serial = np.floor(serial)
        return _number_cells(ref, rows, serial, styles[col.kind])
    if col.kind == "bool":
        flags = pd.Series(values, dtype="boolean")
        return ["" if pd.isna(v) else cell(ref + r, "1" if v else "0", t="b", escaped=True)
                for r, v in zip(rows, flags)]
    numbers = pd.to_numeric(pd.Series(values), errors="coerce").to_numpy(dtype=np.float64)
    return _number_cells(ref, rows, numbers)


def _style_ids(ws: Worksheet) -> dict[str, str]:
    """The ``s="…"`` attributes of the cell styles the table needs, registered in the workbook.

    One probe cell per style: the workbook keeps a reference to the style a cell registers, so one
    cell must not be restyled after registering.
    """
    row = ws.max_row + 1
    ids = {}
    for col, (key, fmt, quoted) in enumerate((("date", THAI_DATE_FORMAT, False),
                                              ("datetime", THAI_DATETIME_FORMAT, False),
                                              ("quoted", "General", True), ("wrap", "General", False)), start=1):
        probe = ws.cell(row=row, column=col)
        probe.number_format = fmt
        probe.quotePrefix = quoted
        if key == "wrap":  # long text (reasons): wrapped in its column, read from the top
            probe.alignment = Alignment(wrap_text=True, vertical="top")
        ids[key] = f' s="{probe.style_id}"'
        del ws._cells[(row, col)]
    return ids


def _rows_xml(columns: Sequence[TableColumn], first_row: int, start: int, stop: int,
              styles: Mapping[str, str]) -> bytes:
    rows = [str(first_row + i) for i in range(start, stop)]
    cells = []
    for j, col in enumerate(columns):
        part = col.values[start:stop] if not isinstance(col.values, pd.Series) else col.values.iloc[start:stop]
        cells.append(_column_cells(TableColumn(part, col.kind), column_letter(j + 1), rows, styles))
    return "".join(row(r, "".join(parts)) for r, parts in zip(rows, zip(*cells))).encode("utf-8")


def save_with_tables(
    wb: Workbook,
    path: str | Path,
    tables: Mapping[str, Sequence[TableColumn]],
    *,
    reproducible: bool = False,
    chunk: int = 10_000,
    on_rows: Callable[[int], None] | None = None,
) -> Path:
    """Save openpyxl workbook ``wb`` atomically, with the data rows of ``tables`` streamed in.

    ``tables`` maps a sheet title of ``wb`` to its columns; the sheet holds
    its header rows already (rows 1…k) and the data rows follow them.
    ``on_rows(n)`` is called after every chunk (progress bars).
    """
    starts: dict[str, int] = {}
    styles: dict[str, dict[str, str]] = {}
    for title in tables:
        ws = wb[title]
        starts[title] = ws.max_row + 1
        styles[title] = _style_ids(ws)
    if reproducible:
        stamp_reproducible(wb)
    buf = io.BytesIO()
    wb.save(buf)
    src = zipfile.ZipFile(io.BytesIO(buf.getvalue()))
    parts = {part: title for title, (part, _) in sheet_parts(src).items() if title in tables}
    with atomic_file(path) as fh, zipfile.ZipFile(fh, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            entry = zip_entry(info.filename, reproducible)
            if reproducible and info.filename == "docProps/core.xml":
                content = fixed_core(content)
            sheet = parts.get(info.filename)
            if sheet is None:
                dst.writestr(entry, content)
                continue
            columns = tables[sheet]
            n = len(columns[0].values) if columns else 0
            first = starts[sheet]
            last_row = first + n - 1 if n else first - 1
            head, tail = content.split(b"</sheetData>", 1) if b"</sheetData>" in content else \
                content.replace(b"<sheetData/>", b"<sheetData></sheetData>").split(b"</sheetData>", 1)
            if n:
                width = column_letter(len(columns))
                head = DIMENSION.sub(f'<dimension ref="A1:{width}{last_row}"/>'.encode(), head, count=1)
            with dst.open(entry, "w", force_zip64=True) as out:
                out.write(head)
                for start in range(0, n, chunk):
                    stop = min(n, start + chunk)
                    out.write(_rows_xml(columns, first, start, stop, styles[sheet]))
                    if on_rows is not None:
                        on_rows(stop - start)
                out.write(b"</sheetData>" + tail)
    return Path(path)
