"""Writing an import as a complaint workbook that the rest of cplkpi reads.

Sheets:

``เรื่องร้องเรียน``
    The canonical complaint columns under their Thai headers
    (:data:`cplkpi.scoring.tables.COMPLAINTS` ``label_th``, which
    :func:`cplkpi.workbook.read_workbook` maps back), then the importer's
    extra columns (:data:`.snapshot.EXTRA_COLUMNS`).
``ประวัติสถานะ``
    The state events (:data:`.snapshot.EVENT_COLUMNS`).
``สรุปการนำเข้า``
    The import summary (:meth:`.summary.ImportSummary.tables`).

The file is written in openpyxl's write-only mode (constant memory for large
imports) and saved atomically; every text goes through
:func:`cplkpi.xlsx.set_text`, so a comment such as ``=1+1`` stays text.
An input file is never overwritten.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd

from cplkpi.scoring.errors import CplError
from cplkpi.scoring.tables import COMPLAINTS, SHEETS, STATUSES
from cplkpi.xlsx import THAI_DATE_FORMAT, THAI_DATETIME_FORMAT, THAI_FONT, save_workbook_atomic, set_text

from .snapshot import EVENT_COLUMNS, EXTRA_COLUMNS

if TYPE_CHECKING:
    from .job import ImportResult

__all__ = ["COMPLAINT_SHEET", "EVENTS_SHEET", "SUMMARY_SHEET", "OutputIsInputError", "write_import_workbook",
           "complaint_headers"]

COMPLAINT_SHEET = SHEETS["complaints"][0]
EVENTS_SHEET = "ประวัติสถานะ"
SUMMARY_SHEET = "สรุปการนำเข้า"

_CHUNK = 5000
_WIDTHS = {"complaint_id": 14, "agency": 24, "unit": 20, "channel": 14, "subject": 20, "detail": 50,
           "received_at": 18, "status": 16, "organization": 30, "address": 40}


class OutputIsInputError(CplError, ValueError):
    """The output path is one of the input files."""


def complaint_headers() -> list[tuple[str, str, str]]:
    """(column, kind, Thai header) of the complaint sheet, canonical columns first."""
    out = [(c.name, c.kind, c.label_th) for c in COMPLAINTS.values()]
    return out + [(name, kind, label) for name, (kind, label) in EXTRA_COLUMNS.items()]


def _values(series: pd.Series, kind: str) -> list[Any]:
    """A column as Python cell values (None where empty)."""
    if kind == "date":
        days = series.to_numpy(dtype="datetime64[D]")
        return [None if np.isnat(d) else d.item() for d in days]
    if kind == "datetime":
        secs = series.to_numpy(dtype="datetime64[s]")
        return [None if np.isnat(d) else d.item() for d in secs]
    if kind in ("int", "float", "bool"):
        values = series.astype(object).where(series.notna(), None).tolist()
        if kind == "bool":
            return [None if v is None else ("มี" if v else "ไม่มี") for v in values]
        cast = int if kind == "int" else float
        return [None if v is None else cast(v) for v in values]
    text = series.astype("string").to_numpy(dtype=object, na_value=None).tolist()
    if kind == "status":
        return [STATUSES.get(v, v) if v is not None else None for v in text]
    return text


class _Writer:
    """Cells for a write-only sheet: text through set_text, Thai date formats."""

    def __init__(self, ws: Any):
        from openpyxl.cell import WriteOnlyCell
        from openpyxl.styles import Font

        self.ws, self.cell_type = ws, WriteOnlyCell
        self.bold = Font(name=THAI_FONT, bold=True)

    def cell(self, value: Any) -> Any:
        if value is None or isinstance(value, bool | int | float):
            return value
        cell = self.cell_type(self.ws)
        if isinstance(value, str):
            set_text(cell, value)
        elif isinstance(value, _dt.datetime):
            cell.value = value
            cell.number_format = THAI_DATETIME_FORMAT
        elif isinstance(value, _dt.date):
            cell.value = value
            cell.number_format = THAI_DATE_FORMAT
        else:
            set_text(cell, str(value))
        return cell

    def header(self, labels: Sequence[str]) -> None:
        row = []
        for label in labels:
            c = self.cell_type(self.ws)
            set_text(c, label)
            c.font = self.bold
            row.append(c)
        self.ws.append(row)

    def table(self, frame: pd.DataFrame, kinds: Sequence[str],
              on_rows: Callable[[int], None] | None = None) -> None:
        for start in range(0, len(frame), _CHUNK):
            part = frame.iloc[start:start + _CHUNK]
            cols = [_values(part[c], k) for c, k in zip(frame.columns, kinds)]
            for values in zip(*cols):
                self.ws.append([self.cell(v) for v in values])
            if on_rows is not None:
                on_rows(len(part))


def _widths(ws: Any, names: Sequence[str]) -> None:
    from openpyxl.utils import get_column_letter

    for i, name in enumerate(names, start=1):
        ws.column_dimensions[get_column_letter(i)].width = _WIDTHS.get(name, 14)


def _refuse_inputs(path: Path, inputs: Sequence[Path]) -> None:
    target = path.resolve()
    for p in inputs:
        if Path(p).resolve() == target:
            raise OutputIsInputError(
                f"ไฟล์ผลลัพธ์ต้องไม่ใช่ไฟล์ต้นทาง จะไม่เขียนทับ {p} (the output must not overwrite an input file)")


def _summary(w: _Writer, tables: dict[str, tuple[str, pd.DataFrame]]) -> None:
    for title, frame in tables.values():
        c = w.cell_type(w.ws)
        set_text(c, title)
        c.font = w.bold
        w.ws.append([c])
        w.header(list(frame.columns))
        for values in frame.astype(object).itertuples(index=False):
            row = []
            for v in values:
                if v is None or (not isinstance(v, str) and pd.isna(v)):
                    row.append(None)
                elif isinstance(v, pd.Timestamp):
                    row.append(w.cell(v.to_pydatetime().replace(microsecond=0)))
                elif isinstance(v, np.integer | np.floating):
                    row.append(v.item())
                else:
                    row.append(w.cell(v))
            w.ws.append(row)
        w.ws.append([])


def write_import_workbook(result: ImportResult, path: str | Path, *,
                          on_rows: Callable[[int], None] | None = None) -> Path:
    """Write ``result`` as a complaint workbook at ``path`` (atomically; never over an input file).

    ``on_rows(n)`` is called as complaint rows are written (for progress bars).
    """
    from openpyxl import Workbook

    path = Path(path)
    _refuse_inputs(path, result.inputs)
    wb = Workbook(write_only=True)

    spec = complaint_headers()
    ws = wb.create_sheet(COMPLAINT_SHEET)
    ws.freeze_panes = "A2"
    _widths(ws, [n for n, _, _ in spec])
    w = _Writer(ws)
    w.header([label for _, _, label in spec])
    w.table(result.complaints[[n for n, _, _ in spec]], [k for _, k, _ in spec], on_rows)

    ws = wb.create_sheet(EVENTS_SHEET)
    ws.freeze_panes = "A2"
    _widths(ws, list(EVENT_COLUMNS))
    w = _Writer(ws)
    w.header([label for _, label in EVENT_COLUMNS.values()])
    kinds = ["status" if n == "status" else k for n, (k, _) in EVENT_COLUMNS.items()]
    w.table(result.events[list(EVENT_COLUMNS)], kinds)

    ws = wb.create_sheet(SUMMARY_SHEET)
    for i, width in enumerate((40, 40, 16, 16, 16, 16, 20), start=1):
        ws.column_dimensions[chr(64 + i)].width = width
    _summary(_Writer(ws), result.summary.tables())
    # not byte-reproducible: that rewrite holds every sheet uncompressed in memory (GBs for a year of Bangkok)
    return save_workbook_atomic(wb, path, reproducible=False)
