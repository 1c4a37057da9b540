"""Checks on untrusted workbook files before anything parses them.

Submitted workbooks are untrusted (the committee's audit). Before a file is
opened it must exist, not be empty or absurdly large, be a format the
command reads (an OOXML zip for the complaint workbook and reports; ``import``
also takes .xlsb, .xls and .ods; encrypted files, HTML pages or CSVs renamed
to .xlsx are refused), open as a zip, expand to no more than a cap (zip
bombs, measured while decompressing, not trusted from the headers), pass its
CRC checks and use no sheet beyond :data:`MAX_ROWS` rows or :data:`MAX_CELLS`
cells. The sheet limits are measured on the file as written, the way the
values reader (python-calamine) places cells (any quoting, case, namespace
prefix, relationship target in any case, cells without a reference, repeated
.ods rows and cells, binary records), streamed in constant memory, before the
reader builds its dense grid.

Macros, external links, data connections and embedded objects are never run,
followed or refreshed: cplkpi reads stored cell values only. Their presence
is reported as a warning, because the values a user sees in Excel may differ
from the stored ones.

:func:`check_workbook_file` raises :class:`InputError` for a refused file and
returns the warnings; :func:`reading` turns what a reader raises on a
file that passed into one clear error. Outputs are checked by :mod:`cplkpi.outputs`.
"""

from __future__ import annotations

from cplkpi.guard.csv_file import check_csv_file, csv_rows, read_text
from cplkpi.guard.limits import (
    MAX_CELL_CHARS,
    MAX_CELLS,
    MAX_FILE_BYTES,
    MAX_RATIO,
    MAX_ROWS,
    MAX_TEXT_CHARS,
    MAX_UNZIPPED_BYTES,
    check_regular_file,
)
from cplkpi.guard.readers import reading
from cplkpi.guard.workbook_file import IMPORT_FORMATS, WORKBOOK_FORMATS, check_workbook_file

__all__ = [
    "IMPORT_FORMATS",
    "MAX_CELLS",
    "MAX_CELL_CHARS",
    "MAX_FILE_BYTES",
    "MAX_RATIO",
    "MAX_ROWS",
    "MAX_TEXT_CHARS",
    "MAX_UNZIPPED_BYTES",
    "WORKBOOK_FORMATS",
    "check_csv_file",
    "check_regular_file",
    "check_workbook_file",
    "csv_rows",
    "read_text",
    "reading",
]

