"""Writing .xlsx files safely: atomic, reproducible, no formula injection.

* :func:`save_workbook_atomic` writes to a temporary file beside the target
  and renames it into place, so a run killed halfway leaves either the old
  file or the new one; the zip entries get a fixed timestamp, so the same
  workbook gives the same bytes (templates and the sample are reviewed as
  code).
* :func:`safe_text` makes citizen text inert: a value starting with ``=``,
  ``+``, ``-``, ``@`` (or a tab/CR) is stored as a string with Excel's
  quote prefix, never as a formula; characters XML cannot hold are dropped.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import io
import os
import re
import tempfile
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any, BinaryIO, cast

import pandas as pd
from openpyxl.cell.cell import Cell, MergedCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.header_footer import HeaderFooterItem
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from cplkpi.outputs import check_replaceable, cut_utf8, file_mode

__all__ = [
    "FIXED_TIME",
    "FORMULA_START",
    "THAI_DATETIME_FORMAT",
    "THAI_DATE_FORMAT",
    "THAI_FONT",
    "atomic_file",
    "odd_page",
    "print_setup",
    "quote_formula_text",
    "reproducible_zip",
    "safe_text",
    "save_workbook_atomic",
    "set_text",
    "stamp_reproducible",
    "write_bytes_atomic",
    "write_table_sheet",
]

#: Thai Buddhist-era date display (Excel and LibreOffice): 1 ต.ค. 2562
THAI_DATE_FORMAT = "[$-107041E]d mmm yyyy;@"
THAI_DATETIME_FORMAT = "[$-107041E]d mmm yyyy hh:mm;@"
#: A Thai-capable font every Windows/macOS Office has; LibreOffice falls back to a Thai font.
THAI_FONT = "Tahoma"
#: Timestamp written into reproducible files (zip entries and document properties).
FIXED_TIME = _dt.datetime(2020, 1, 1, 0, 0, 0)

#: First characters that make a spreadsheet treat text as a formula.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_MODIFIED = re.compile(rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)")
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def safe_text(value: Any) -> str:
    """Text that is safe to put in a cell: no XML-illegal characters; "" for a missing value (None, NaN,
    NaT, pd.NA), never the words."""
    if value is None or (not isinstance(value, str) and pd.api.types.is_scalar(value) and pd.isna(value)):
        return ""
    return _ILLEGAL_XML.sub("", str(value))


def set_text(cell: Cell | MergedCell, value: Any) -> None:
    """Put citizen/user text in an openpyxl cell so that it can never become a formula.

    A cell inside a merged range (not its top-left one) holds no value: TypeError."""
    if isinstance(cell, MergedCell):
        raise TypeError(f"cell {cell.coordinate} is inside a merged range: only its top-left cell holds a value")
    text = safe_text(value)
    cell.value = text
    cell.data_type = "s"
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True


def quote_formula_text(wb: Workbook) -> int:
    """Give every text cell of openpyxl workbook ``wb`` that starts like a formula (``=`` ``+`` ``-`` ``@``,
    tab, CR) Excel's quote prefix, as :func:`set_text` does for new cells: a copied workbook's citizen text
    then stays text even when someone edits the cell in Excel. Returns how many cells got it."""
    count = 0
    for ws in wb.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                text = cell.value if cell.data_type == "s" and isinstance(cell.value, str) else ""
                if text.startswith(FORMULA_START) and not cell.quotePrefix:
                    cell.quotePrefix = True
                    count += 1
    return count


def write_table_sheet(
    wb: Workbook,
    title: str,
    headers: Sequence[str],
    rows: Iterable[Sequence[Any]],
    widths: Sequence[float] | None = None,
) -> Worksheet:
    """Append a sheet with a bold header row, frozen panes, Thai dates, inert text, printable on A4."""
    ws: Worksheet = wb.create_sheet(title)
    for c, header in enumerate(headers, start=1):
        cell = ws.cell(row=1, column=c)
        set_text(cell, header)
        cell.font = Font(name=THAI_FONT, bold=True)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            if value is None or value is pd.NA or value is pd.NaT or value == "" or (
                    isinstance(value, float) and value != value):
                continue
            cell = ws.cell(row=r, column=c)
            if isinstance(value, str):
                set_text(cell, value)
            else:
                cell.value = value
                if isinstance(value, _dt.datetime):
                    cell.number_format = THAI_DATETIME_FORMAT
                elif isinstance(value, _dt.date):
                    cell.number_format = THAI_DATE_FORMAT
    for i, w in enumerate(widths or [], start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    ws.freeze_panes = "A2"
    print_setup(ws, title_rows="1:1")
    return ws


def print_setup(ws: Worksheet, *, title_rows: str = "", landscape: bool = True, footer_right: str = "&A") -> None:
    """A4, one page wide, centred, ``title_rows`` (e.g. ``"7:7"``) repeated on every page, and the
    page number ``หน้า n / N`` in the footer (the sheet name on the right unless ``footer_right`` says else)."""
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if landscape else "portrait"
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0
    # cast: the stubs make pageSetUpPr Optional, but openpyxl's WorksheetProperties always creates it
    cast(PageSetupProperties, ws.sheet_properties.pageSetUpPr).fitToPage = True
    ws.print_options.horizontalCentered = True
    ws.page_margins.left = ws.page_margins.right = 0.4
    ws.page_margins.top = ws.page_margins.bottom = 0.6
    if title_rows:
        ws.print_title_rows = title_rows
    footer = odd_page(ws)[1]
    footer.center.text = "หน้า &P / &N"
    footer.right.text = footer_right


def odd_page(ws: Worksheet) -> tuple[HeaderFooterItem, HeaderFooterItem]:
    """The page header and footer of odd pages (those printed when all pages are alike)."""
    # cast: the stubs make them Optional, but openpyxl's HeaderFooter always creates both
    return cast(HeaderFooterItem, ws.oddHeader), cast(HeaderFooterItem, ws.oddFooter)


def stamp_reproducible(wb: Workbook) -> None:
    """Fixed creation/modification times and author, so a workbook's bytes depend only on its content."""
    wb.properties.created = FIXED_TIME
    wb.properties.modified = FIXED_TIME
    wb.properties.creator = "cplkpi"
    wb.properties.lastModifiedBy = "cplkpi"




def zip_entry(name: str, reproducible: bool) -> zipfile.ZipInfo:
    """A deflated zip entry, stamped with :data:`FIXED_TIME` when ``reproducible`` (else now)."""
    when = FIXED_TIME if reproducible else _dt.datetime.now()
    entry = zipfile.ZipInfo(name, date_time=when.timetuple()[:6])
    entry.compress_type = zipfile.ZIP_DEFLATED
    entry.external_attr = 0o600 << 16
    return entry


def fixed_core(content: bytes) -> bytes:
    """``docProps/core.xml`` with openpyxl's save time replaced by :data:`FIXED_TIME`."""
    return _MODIFIED.sub(rb"\g<1>" + FIXED_TIME.strftime("%Y-%m-%dT%H:%M:%SZ").encode() + rb"\g<2>", content)


def reproducible_zip(data: bytes) -> bytes:
    """Rewrite a zip (an .xlsx) with fixed entry timestamps, same order and compression."""
    src = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            content = src.read(info.filename)
            if info.filename == "docProps/core.xml":  # openpyxl stamps the save time here
                content = fixed_core(content)
            dst.writestr(zip_entry(info.filename, reproducible=True), content)
    return out.getvalue()


@contextlib.contextmanager
def atomic_file(path: str | os.PathLike[str]) -> Iterator[BinaryIO]:
    """A binary file that becomes ``path`` only when the block ends without an error.

    It is written beside ``path`` under a temporary name, flushed to disk and
    renamed into place (atomic on one file system); on an error or a kill the
    temporary file goes and ``path`` keeps its old content. The file gets the
    permissions of the user's umask (``0644`` under ``022``), and ``path`` is
    refused when it is an input of the running command or a device or pipe
    (:func:`cplkpi.outputs.check_replaceable`).
    """
    path = check_replaceable(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    # a short temporary name: the target's own name may already use the file system's 255 bytes
    fd, tmp = tempfile.mkstemp(prefix=f".{cut_utf8(path.name, 32)}.", suffix=".tmp", dir=path.parent)
    try:
        os.chmod(tmp, file_mode())  # mkstemp creates 0600: give the file the user's umask like any program
        with os.fdopen(fd, "wb") as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_bytes_atomic(data: bytes, path: str | os.PathLike[str]) -> Path:
    """Write ``data`` to ``path`` via a temporary file in the same folder and an atomic rename."""
    with atomic_file(path) as fh:
        fh.write(data)
    return Path(path)


def save_workbook_atomic(wb: Workbook, path: str | os.PathLike[str], *, reproducible: bool = True) -> Path:
    """Save an openpyxl workbook atomically; with ``reproducible`` the bytes depend only on the content."""
    if reproducible:
        stamp_reproducible(wb)
    buf = io.BytesIO()
    wb.save(buf)
    data = buf.getvalue()
    return write_bytes_atomic(reproducible_zip(data) if reproducible else data, path)
