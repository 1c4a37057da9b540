"""Writing an import as a complaint workbook that the rest of cplkpi reads.

Sheets:

``เรื่องร้องเรียน``
    The canonical complaint columns under their Thai headers
    (:data:`cplkpi.scoring.tables.COMPLAINTS` ``label_th``, which
    :func:`cplkpi.reader.read_workbook` maps back), then the importer's
    extra columns (:data:`.snapshot.EXTRA_COLUMNS`).
``ประวัติสถานะ``
    The state events (:data:`.snapshot.EVENT_COLUMNS`).
``สรุปการนำเข้า``
    The import summary (:meth:`.summary.ImportSummary.tables`).
``ข้อมูลครอบคลุม``
    The snapshot time and the days the data covers
    (:class:`cplkpi.scoring.coverage.Coverage`, read back by :func:`cplkpi.reader.read_workbook`).

The big sheets are streamed into the file by :func:`cplkpi.ooxml.stream.save_with_tables`
(memory bounded, a year of Bangkok in seconds) and the file is saved
atomically; text never becomes a formula (``=1+1`` stays text, with Excel's
quote prefix).
An input file is never overwritten.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.ooxml.stream import TableColumn, save_with_tables
from cplkpi.outputs import ensure_not_input
from cplkpi.scoring.coverage import COVERAGE_SHEET, Coverage
from cplkpi.scoring.tables import COMPLAINTS, SHEETS, STATUSES
from cplkpi.xlsx import THAI_DATE_FORMAT, THAI_DATETIME_FORMAT, THAI_FONT, set_text, write_table_sheet

from .snapshot import EVENT_COLUMNS, EXTRA_COLUMNS

if TYPE_CHECKING:
    from .job import ImportResult

__all__ = [
    "COMPLAINT_SHEET",
    "COVERAGE_SHEET",
    "EVENTS_SHEET",
    "SUMMARY_SHEET",
    "complaint_headers",
    "write_import_workbook",
]

COMPLAINT_SHEET = SHEETS["complaints"][0]
EVENTS_SHEET = "ประวัติสถานะ"
SUMMARY_SHEET = "สรุปการนำเข้า"

_WIDTHS = {"complaint_id": 14, "agency": 24, "unit": 20, "channel": 14, "subject": 20, "detail": 50,
           "received_at": 18, "status": 16, "organization": 30, "address": 40}


def complaint_headers() -> list[tuple[str, str, str]]:
    """(column, kind, Thai header) of the complaint sheet, canonical columns first."""
    out = [(c.name, c.kind, c.label_th) for c in COMPLAINTS.values()]
    return out + [(name, kind, label) for name, (kind, label) in EXTRA_COLUMNS.items()]


#: Column kinds written as they are; every other kind is written as text.
_AS_WRITTEN: dict[str, Literal["date", "datetime", "int", "float"]] = {
    "date": "date", "datetime": "datetime", "int": "int", "float": "float"}


def _column(series: pd.Series, kind: str) -> TableColumn:
    """A column of the import as it is written: statuses in Thai, yes/no as มี/ไม่มี."""
    if kind == "status":
        text = series.astype("string")
        return TableColumn(text.map(lambda v: v if pd.isna(v) else STATUSES.get(v, v)), "text")
    if kind == "bool":
        flags = series.astype("boolean")
        return TableColumn(flags.map(lambda v: v if pd.isna(v) else ("มี" if v else "ไม่มี")), "text")
    return TableColumn(series, _AS_WRITTEN.get(kind, "text"))


def _table_sheet(wb: Workbook, title: str, names: Sequence[str], labels: Sequence[str]) -> None:
    """A sheet with the bold header row (frozen, printable) that the data rows follow."""
    write_table_sheet(wb, title, labels, [], [_WIDTHS.get(n, 14) for n in names])


def _summary(ws: Worksheet, tables: dict[str, tuple[str, pd.DataFrame]]) -> None:
    bold = Font(name=THAI_FONT, bold=True)
    row = 1
    for title, frame in tables.values():
        set_text(ws.cell(row=row, column=1), title)
        ws.cell(row=row, column=1).font = bold
        for c, header in enumerate(frame.columns, start=1):
            set_text(ws.cell(row=row + 1, column=c), header)
            ws.cell(row=row + 1, column=c).font = bold
        row += 2
        for values in frame.astype(object).itertuples(index=False):
            for c, v in enumerate(values, start=1):
                cell = ws.cell(row=row, column=c)
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    continue
                if isinstance(v, str):
                    set_text(cell, v)
                elif isinstance(v, pd.Timestamp | _dt.datetime):
                    cell.value = pd.Timestamp(v).to_pydatetime().replace(microsecond=0)
                    cell.number_format = THAI_DATETIME_FORMAT
                else:
                    cell.value = v.item() if isinstance(v, np.generic) else v
            row += 1
        row += 1


def _coverage_sheet(ws: Worksheet, coverage: Coverage) -> None:
    """The coverage as label/value rows, then the sentence a person reads."""
    ws.column_dimensions["A"].width, ws.column_dimensions["B"].width = 34, 22
    for r, (label, value) in enumerate(coverage.rows(), start=1):
        set_text(ws.cell(row=r, column=1), label)
        cell = ws.cell(row=r, column=2, value=value)
        cell.number_format = THAI_DATETIME_FORMAT if isinstance(value, _dt.datetime) else THAI_DATE_FORMAT
    set_text(ws.cell(row=len(coverage.rows()) + 2, column=1), coverage.text_th())


def write_import_workbook(result: ImportResult, path: str | Path, *,
                          on_rows: Callable[[int], None] | None = None) -> Path:
    """Write ``result`` as a complaint workbook at ``path`` (atomically; never over an input file:
    :class:`~cplkpi.scoring.errors.InputError` ``output_is_input``).

    ``on_rows(n)`` is called as complaint rows are written (for progress bars).
    """
    path = ensure_not_input(path, *result.inputs)
    wb = Workbook()
    wb.remove(wb.worksheets[0])  # the empty sheet a new workbook starts with
    spec = complaint_headers()
    names = [n for n, _, _ in spec]
    _table_sheet(wb, COMPLAINT_SHEET, names, [label for _, _, label in spec])
    events = list(EVENT_COLUMNS)
    _table_sheet(wb, EVENTS_SHEET, events, [label for _, label in EVENT_COLUMNS.values()])
    ws = wb.create_sheet(SUMMARY_SHEET)
    for i, width in enumerate((40, 40, 16, 16, 16, 16, 20), start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    _summary(ws, result.summary.tables())
    coverage = result.coverage
    if coverage is not None:
        _coverage_sheet(wb.create_sheet(COVERAGE_SHEET), coverage)
    kinds = {n: k for n, k, _ in spec}
    tables = {
        COMPLAINT_SHEET: [_column(result.complaints[n], kinds[n]) for n in names],
        EVENTS_SHEET: [_column(result.events[n], "status" if n == "status" else k)
                       for n, (k, _) in EVENT_COLUMNS.items()],
    }
    # not byte-reproducible: the big sheets are streamed, never held in memory whole
    return save_with_tables(wb, path, tables, on_rows=on_rows)
