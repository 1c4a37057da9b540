"""OpenDocument spreadsheets (.ods): repeated rows and cells, and text, counted the way the reader expands them."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from pathlib import Path

from cplkpi.guard.limits import (
    MAX_CELL_CHARS,
    MAX_TEXT_CHARS,
    check_extent,
    over_limits,
)
from cplkpi.guard.sheets import walk_sheet_xml
from cplkpi.scoring.errors import InputError, Problem, column_letter

# --- OpenDocument (.ods): repeated rows and cells ----------------------------------------------------
#
# python-calamine expands ``table:number-columns-repeated`` of a cell with a value (empty ones only when
# a value follows in the row) and ``table:number-rows-repeated`` of every row up to the last row with a
# value, then the reader pads the grid from A1: a 1 KB file can describe billions of cells.


class _OdsWalk:
    """The reader's grid of each ``table:table`` in content.xml: rows up to the last row with a value
    (repeats counted, from the first row) × columns up to the last cell with a value."""

    _CELLS = ("table:table-cell", "table:covered-table-cell")
    #: Elements that stand for characters in a cell's text: ``text:s`` for ``text:c`` spaces (default 1).
    _EXPANDS = ("text:s", "text:tab", "text:line-break")

    def __init__(self, path: Path) -> None:
        self.path = path
        self.cell_chars: int | None = None  # characters of the current cell's text (None outside a cell)
        self.cell_at = (0, 0, 1)  # row, column (1-based) and repeat of the current cell
        self.chars = 0  # characters of every cell so far, repeats counted
        self.stack: list[str] = []
        self.sheet = ""
        self.rows = self.cols = 0  # of the current table
        self.row_start = 0  # rows before the current row (repeats counted)
        self.row_repeat = 1
        self.row_width = 0  # columns up to the last cell with a value in the current row
        self.col = 0  # columns of the current row so far (repeats counted)
        self.tables: list[tuple[str, int, int]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        parent = self.stack[-1] if self.stack else ""
        self.stack.append(name)
        if name == "table:table":
            self.sheet, self.rows, self.cols, self.row_start = attrs.get("table:name", ""), 0, 0, 0
        elif name == "table:table-row":
            self.row_repeat = _count(attrs.get("table:number-rows-repeated"))
            self.row_width = self.col = 0
        elif name in self._CELLS and parent == "table:table-row":
            repeat = _count(attrs.get("table:number-columns-repeated"))
            self.cell_chars, self.cell_at = 0, (self.row_start + 1, self.col + 1, repeat)
            self.col += repeat
            if any(k.startswith("office:") or k == "table:formula" for k in attrs):
                self.row_width = self.col  # a value (or a formula): the repeats up to here are built

        elif name in self._EXPANDS and self.cell_chars is not None:
            self.cell_chars += _count(attrs.get("text:c")) if name == "text:s" else 1
            self._check_cell()

    def text(self, data: str) -> None:
        """Character data: counted towards the current cell's text."""
        if self.cell_chars is not None:
            self.cell_chars += len(data)
            self._check_cell()

    def _check_cell(self) -> None:
        """Refuse a cell whose text passes :data:`MAX_CELL_CHARS`, or a file whose sheets' text passes
        :data:`MAX_TEXT_CHARS` (the reader builds every sheet, and each repeat of a cell again)."""
        row, col, repeat = self.cell_at
        where = f"{self.path.name}: {self.sheet}" if self.sheet else self.path.name
        cell_chars = self.cell_chars
        if cell_chars is None:  # outside a cell: nothing to count
            return
        if cell_chars > MAX_CELL_CHARS:
            raise InputError([Problem(
                "cell_text_too_long",
                f"ข้อความในเซลล์ยาวเกิน {MAX_CELL_CHARS:,} อักขระ (ขีดจำกัดของ Excel) ปฏิเสธเพื่อความปลอดภัย",
                f"the cell's text is longer than {MAX_CELL_CHARS:,} characters (Excel's limit); refused for "
                "safety", sheet=where, row=row, letter=column_letter(col))])
        if self.chars + cell_chars * repeat * self.row_repeat > MAX_TEXT_CHARS:
            raise InputError([Problem(
                "text_too_large",
                f"ข้อความในทุกชีตของไฟล์รวมกันเกิน {MAX_TEXT_CHARS:,} อักขระ (นับเซลล์ที่ซ้ำกันทุกครั้ง) ถึงเซลล์นี้ "
                "ปฏิเสธเพื่อความปลอดภัย",
                f"the text of the file's sheets adds up to more than {MAX_TEXT_CHARS:,} characters (each "
                "repeated cell counted) by this cell; refused for safety", sheet=where, row=row, letter=column_letter(col))])

    def end(self, name: str) -> None:
        self.stack.pop()
        if name in self._CELLS and self.cell_chars is not None and self.stack[-1:] == ["table:table-row"]:
            self.chars += self.cell_chars * self.cell_at[2] * self.row_repeat
            self.cell_chars = None
        if name == "table:table-row":
            if self.row_width:
                self.rows = self.row_start + self.row_repeat
                self.cols = max(self.cols, self.row_width)
            self.row_start += self.row_repeat
        elif name == "table:table":
            self.tables.append((self.sheet, self.rows, self.cols))


def _count(text: str | None) -> int:
    """A repeat count as written (1 when absent; an unreadable one makes the reader fail, cleanly)."""
    return int(text) if text is not None and text.strip().isdigit() else 1


def check_ods_content(path: Path, chunks: Iterator[bytes]) -> None:
    """Refuse an .ods whose content.xml describes a sheet past the limits (streamed, constant memory)."""
    walk = _OdsWalk(path)
    walk_sheet_xml(walk.start, walk.end, chunks, path, "content.xml", lambda: over_limits(walk.rows, walk.cols) or any(
        over_limits(rows, cols) for _, rows, cols in walk.tables), walk.text)
    for sheet, rows, cols in [*walk.tables, (walk.sheet, walk.rows, walk.cols)]:
        check_extent(path, sheet, rows, cols)


def is_ods(zf: zipfile.ZipFile, names: set[str]) -> bool:
    if "mimetype" not in names:
        return False
    with zf.open("mimetype") as fh:
        return b"opendocument.spreadsheet" in fh.read(100)
