"""Reading sheet XML: the one place cplkpi looks into a sheet's XML without a spreadsheet library.

Two readers use it. The complaint-workbook reader (:mod:`cplkpi.reader`) takes from it what the values
reader (python-calamine) drops: error values with their formulas, hidden rows and columns, formulas
stored without a value, volatile formulas, small numbers in date cells. The input guard
(:mod:`cplkpi.guard`) measures with it how far a sheet's cells reach, the way the values reader places
them, in constant memory. Both read the XML as written, not one writer's output: any namespace prefix,
any attribute order; the guard's walk also any quoting and case (expat).
"""

from __future__ import annotations

import html
import pyexpat
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import IO

from defusedxml.ElementTree import fromstring, iterparse
from openpyxl.utils import column_index_from_string

from cplkpi.scoring.tables import ExcelError

__all__ = [
    "DATE1904",
    "DIMENSION",
    "FORMULA_WITHOUT_VALUE",
    "SHEET_DATA",
    "MalformedXml",
    "MergeWalk",
    "SheetScan",
    "SheetWalk",
    "UnsafeXml",
    "cell_position",
    "cell_values",
    "fast_extent",
    "row_number",
    "scan_sheet",
    "shared_strings",
    "small_numbers",
    "walk_xml",
    "with_end",
]

#: The SpreadsheetML namespace.
MAIN_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


# --- openpyxl's own output, patched by the writers (cplkpi.ooxml.stream, cplkpi.ooxml.cached) -----------

#: The ``<dimension>`` of a sheet as openpyxl writes it.
DIMENSION = re.compile(rb'<dimension ref="[^"]*"\s*/>')
#: The ``<sheetData>`` of a sheet as openpyxl writes it, empty or not.
SHEET_DATA = re.compile(rb"<sheetData\s*/>|<sheetData>.*?</sheetData>", re.DOTALL)
#: A formula cell without a cached value as openpyxl writes it: reference, other attributes, formula.
FORMULA_WITHOUT_VALUE = re.compile(rb'<c r="([A-Z]+[0-9]+)"([^>]*)><f>(.*?)</f><v\s*/></c>', re.DOTALL)


class UnsafeXml(Exception):
    """A part declares a DTD or entities (refused: entities expand)."""


class MalformedXml(ValueError):
    """A part is not well-formed XML, or runs on without ``>`` beyond any real tag or text."""


# --- what calamine does not tell: error values, hidden rows/columns, formulas without values ---------
#
# Read as the values reader reads XML: any namespace prefix (``x:c``), attributes in any order, quoted
# with ``"`` or ``'``, with or without spaces around ``=``. Quick substring tests first: most sheets have
# none of these.


def _attr(name: bytes, value: bytes) -> bytes:
    """A pattern for the attribute ``name`` with a value matching ``value``, quoted either way."""
    return rb"\b" + name + rb"""\s*=\s*["']""" + value + rb"""["']"""


#: ``<workbookPr date1904="1">``: the workbook counts dates in the 1904 date system (older Mac files).
DATE1904 = re.compile(rb"<(?:\w+:)?workbookPr\b[^>]*" + _attr(b"date1904", rb"(?:1|true)"))

_ROW_TAG = re.compile(rb"<(?:\w+:)?row\b([^>]*)>")
_COL_TAG = re.compile(rb"<(?:\w+:)?col\b([^>]*)>")
_ERROR_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*" + _attr(b"t", b"e") + rb"[^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.S)
_CELL = re.compile(rb"<(?:\w+:)?c\b([^>]*?)(?<!/)>(.*?)</(?:\w+:)?c>", re.S)
_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*?(?:/>|>(.*?)</(?:\w+:)?f>)", re.S)
_TEXT_TYPE = re.compile(_attr(b"t", rb"(?:str|inlineStr)"))
_VALUE_TEXT = re.compile(rb"<(?:\w+:)?v>(.*?)</(?:\w+:)?v>", re.S)
_HAS_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")
_VOLATILE = re.compile(rb"\b(?:TODAY|NOW)\s*\(", re.I)
_REF = re.compile(_attr(b"r", rb"([A-Za-z]{1,3})(\d+)"))
_ROW_NUMBER = re.compile(_attr(b"r", rb"(\d+)"))
_HIDDEN = re.compile(_attr(b"hidden", rb"(?:1|true)"))
_SPACES = (b" ", b"\t", b"\n", b"\r")
_MIN, _MAX = re.compile(_attr(b"min", rb"(\d+)")), re.compile(_attr(b"max", rb"(\d+)"))


@dataclass
class SheetScan:
    """Facts from one sheet's XML (0-based row/column indexes)."""

    hidden_rows: list[int] = field(default_factory=list)
    hidden_cols: list[int] = field(default_factory=list)
    errors: dict[tuple[int, int], ExcelError] = field(default_factory=dict)
    no_value: list[tuple[int, int]] = field(default_factory=list)
    #: cells whose formula gives today's date or time (=TODAY(), =NOW()): row, column, formula
    volatile: list[tuple[int, int, str]] = field(default_factory=list)
    merged: list[tuple[tuple[int, int], tuple[int, int]]] = field(default_factory=list)


def scan_sheet(xml: bytes) -> SheetScan:
    """Read what the values reader drops, with quick substring tests first (most sheets have none)."""
    scan = SheetScan()
    if b"hidden" in xml and _HIDDEN.search(xml):
        for m in _ROW_TAG.finditer(xml):
            if _HIDDEN.search(m[1]) and (num := _ROW_NUMBER.search(m[1])):
                scan.hidden_rows.append(int(num[1]) - 1)
        for m in _COL_TAG.finditer(xml):
            if _HIDDEN.search(m[1]):
                lo, hi = _MIN.search(m[1]), _MAX.search(m[1])
                if lo and hi:
                    scan.hidden_cols += range(int(lo[1]) - 1, min(int(hi[1]), 16384))
    if b'"e"' in xml or b"'e'" in xml:
        for m in _ERROR_CELL.finditer(xml):
            ref, value = _REF.search(m[1]), _VALUE_TEXT.search(m[2])
            if ref is None or value is None:
                continue
            f = _FORMULA.search(m[2])
            formula = None if f is None else html.unescape((f[1] or b"").decode("utf-8", "replace"))
            key = (int(ref[2]) - 1, column_index_from_string(ref[1].decode()) - 1)
            scan.errors[key] = ExcelError(value[1].decode("utf-8", "replace").strip(), formula)
    if (b"<f" in xml or b":f" in xml) and _HAS_FORMULA.search(xml):
        done = -1
        for f in _HAS_FORMULA.finditer(xml):  # visit only the cells that hold a formula
            if f.start() < done:
                continue
            near = max(0, f.start() - 2048)  # the cell's opening tag is just before its <f>
            opening = max(xml.rfind(prefix + space, near, f.start()) for prefix in (b"<c", b":c") for space in _SPACES)
            whole = _CELL.match(xml, xml.rfind(b"<", 0, opening + 1)) if opening >= 0 else None
            if whole is None or whole.end() < f.start() or (ref := _REF.search(whole[1])) is None:
                continue
            done = whole.end()
            value = _VALUE_TEXT.search(whole[2])
            text_result = _TEXT_TYPE.search(whole[1]) is not None  # a formula may give "" (an empty <v></v>)
            if not (value is not None and (value[1] or text_result)):
                scan.no_value.append((int(ref[2]) - 1, column_index_from_string(ref[1].decode()) - 1))
            elif (text := _FORMULA.search(whole[2])) is not None and _VOLATILE.search(text[1] or b""):
                scan.volatile.append((int(ref[2]) - 1, column_index_from_string(ref[1].decode()) - 1,
                                      "=" + html.unescape(text[1].decode("utf-8", "replace"))))
    return scan


#: A number cell holding what a date reader cannot show as a date: below 1 (0, -1, 0.5) or 60 (29/02/1900).
_SMALL_NUMBER = re.compile(rb'<(?:\w+:)?c\b([^>]*)>\s*<(?:\w+:)?v>\s*'
                           rb'(-[0-9.Ee+-]+|0(?:\.[0-9]*)?(?:[Ee]-?[0-9]+)?|60(?:\.[0-9]*)?)\s*</(?:\w+:)?v>')
_NOT_NUMBER = re.compile(rb"""\bt\s*=\s*["'](?!n["'])""")


def small_numbers(xml: bytes) -> Iterator[tuple[int, int, bytes]]:
    """(row, column, number text), 0-based, of the number cells holding what a date reader cannot show as a
    date: below 1 (0, -1, 0.5) or 60 (29/02/1900)."""
    for m in _SMALL_NUMBER.finditer(xml):
        if _NOT_NUMBER.search(m[1]) or (ref := _REF.search(m[1])) is None:
            continue
        yield int(ref[2]) - 1, column_index_from_string(ref[1].decode()) - 1, m[2]


# --- the sheet XML: how far its cells reach, parsed the way the reader does -------------------------
#
# python-calamine builds a dense grid from A1 (or the first cell) to the last cell with a value, so a
# 1 KB file with one value at XFD1048576 asks for 17 billion cells. The reader (quick-xml) takes a
# cell's place from its ``r`` attribute in any quoting or case (``r = 'xfd1048576'``), and a cell
# without ``r`` from its row (``<row r>``, else the row after the previous one) and the cells before it
# in that row. The extent is therefore measured on the XML as written, not on one writer's output:
# a fast byte scan when every cell is written the usual way (``<c r="B7" …>``), else an exact
# streaming parse (expat, no DTD or entities, constant memory).

#: Longest run of the sheet XML without ``>`` (a tag or a text): 32,767 characters is Excel's cell limit.
_MAX_RUN = 64 * 1024**2
#: A cell tag not written ``<c r="…`` (other whitespace, no ``r`` first) or with a namespace prefix
#: (``x:c``): the fast scan cannot vouch for where such a cell lies. Two patterns, each with a literal
#: start, are much faster than one alternation.
_ODD_CELL = re.compile(rb'<c(?:[\t\n\r/>]| (?!r="))')
_PREFIXED_CELL = re.compile(rb':c[\s/>]')
#: ``r =`` anywhere: an ``r`` attribute when it follows whitespace or a quote (else e.g. ``footer=``)
_R_EQUALS = re.compile(rb"r\s*=")
#: a cell whose reference is not within A1:Z299999 (one capital letter, row below 300,000)
_NOT_SMALL = re.compile(rb'<c R="(?![A-Z](?:[0-2][0-9]{5}|[0-9]{1,5})")')
#: a cell tag written the usual way: reference, other attributes, self-closing or not
_USUAL_CELL = re.compile(rb'<c R="([A-Za-z]{1,3})([0-9]{1,7})"(?:\s+[^\s<>/="]+="[^"<>]*")*\s*(/?)>')
_REF_PARTS = re.compile(r"([A-Za-z]*)([0-9]+)")


def cell_position(text: str | bytes) -> tuple[int, int] | None:
    """(row, column), 1-based, of a reference such as ``B7`` or ``xfd1048576`` as the reader parses it
    (letters in any case, then digits); None when the reader would refuse it (it then fails, cleanly)."""
    if isinstance(text, bytes):
        text = text.decode("ascii", "replace")
    m = _REF_PARTS.fullmatch(text)
    if m is None or int(m[2]) == 0:
        return None
    col = 0
    for ch in m[1].upper():
        col = col * 26 + ord(ch) - 64
    return int(m[2]), col


def fast_extent(chunks: Iterator[bytes], exact: bool,
                enough: Callable[[int, int], bool]) -> tuple[int, int] | bool | None:
    """(last row, last column) of the cells with a value when every cell tag of the sheet part is
    written ``<c r="REF" …>`` (no comments, CDATA, DTD, UTF-16, other quoting); else None.

    Without ``exact``, a part whose cells all lie within A1:Z299999 (inside both limits) is passed by a
    byte search and gives (1, 1); False says "some cell lies further: scan again with ``exact``", which
    reads each cell tag (a self-closing one holds no value and the reader skips it). The scan stops
    early once ``enough(rows, cols)`` (the caller's limits are passed; A1:Z299999 lies inside them).
    """
    rows = cols = 0
    tail, first = b"", True
    for chunk in with_end(chunks):
        data = tail + chunk
        if chunk:  # cut before the last tag, which may go on in the next chunk
            cut = max(data.rfind(b"<"), 0)
            data, tail = data[:cut], data[cut:]
            if len(tail) > _MAX_RUN:
                return None
        decl = data.find(b"<?xml") if first else -1
        first = False
        if decl > 3 or b"\x00" in data or (b"!" in data and b"<!" in data) or (
                b"?" in data and data.find(b"<?", decl + 1) >= 0):
            return None  # a DTD, comment, CDATA or processing instruction, UTF-16, or text before the XML
        if _ODD_CELL.search(data) or _PREFIXED_CELL.search(data) or (
                b'R="' in data and (b'<c R="' in data or b'<row R="' in data)):
            return None
        data = data.replace(b'<c r="', b'<c R="').replace(b'<row r="', b'<row R="')
        if any(data[m.start() - 1:m.start()] in b' \t\r\n"\'' for m in _R_EQUALS.finditer(data)):
            return None  # a second r attribute, or one written otherwise
        if not exact:
            if _NOT_SMALL.search(data):
                return False
            rows = cols = 1
            continue
        usual_cells = _USUAL_CELL.findall(data)
        if len(usual_cells) != data.count(b'<c R="'):
            return None
        for letters, digits, empty in usual_cells:
            if not empty:
                r, c = cell_position(letters + digits) or (0, 0)
                rows, cols = max(rows, r), max(cols, c)
        if enough(rows, cols):
            break  # enough to refuse
    return rows, cols


class SheetWalk:
    """The reader's walk over a sheet part (expat events): row and column of each cell, as it counts them."""

    def __init__(self) -> None:
        self.row = self.col = 0  # 0-based, like the reader's counters
        self.pending: tuple[int, int] | None = None
        self.rows = self.cols = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        local = name.rpartition(":")[2]
        if self.pending is not None:  # the cell has content: it is part of the grid
            self.rows, self.cols = max(self.rows, self.pending[0]), max(self.cols, self.pending[1])
            self.pending = None
        if local == "c":
            ref = cell_position(attrs["r"]) if "r" in attrs else None
            if ref is not None:
                self.col = ref[1] - 1
                self.pending = ref
            elif "r" not in attrs:
                self.pending = (self.row + 1, self.col + 1)
            self.col += 1
        elif local == "row" and "r" in attrs and (number := row_number(attrs["r"])) is not None:
            self.row = number - 1

    def end(self, name: str) -> None:
        local = name.rpartition(":")[2]
        if local == "c":
            self.pending = None
        elif local == "row":
            self.row += 1
            self.col = 0


def row_number(text: str) -> int | None:
    """The row of a reference (``B7``: 7) as :func:`cell_position` reads it; None when it refuses it."""
    position = cell_position(text)
    return None if position is None else position[0]


def walk_xml(start: Callable[[str, dict[str, str]], None], end: Callable[[str], None],
             chunks: Iterator[bytes], part: str, enough: Callable[[], bool],
             text: Callable[[str], None] | None = None) -> None:
    """Stream a part through expat with these element handlers, stopping early once ``enough()``.

    Constant memory: expat keeps only the open tag; a DTD (entities) is refused, and so is a run of
    more than :data:`_MAX_RUN` bytes without ``>`` (no real tag or cell text is that long). XML that
    is not well-formed raises :class:`MalformedXml` (after the zip checks of the part, the better reason).
    """
    parser = pyexpat.ParserCreate()

    def no_dtd(*_: object) -> None:
        raise UnsafeXml(part)

    parser.StartElementHandler = start
    parser.EndElementHandler = end
    if text is not None:
        parser.CharacterDataHandler = text
    parser.StartDoctypeDeclHandler = no_dtd
    parser.EntityDeclHandler = no_dtd
    run = 0
    try:
        for chunk in chunks:
            gt = chunk.rfind(b">")
            run = run + len(chunk) if gt < 0 else len(chunk) - gt - 1
            if run > _MAX_RUN:
                raise MalformedXml(f"{part}: XML without '>' for more than {_MAX_RUN:,} bytes")
            parser.Parse(chunk, False)
            if enough():
                return
        parser.Parse(b"", True)
    except pyexpat.ExpatError as exc:
        for _ in chunks:  # damage found by the zip checks (CRC, size) is the better reason
            pass
        raise MalformedXml(f"{part}: XML {exc}") from exc


def with_end(chunks: Iterator[bytes]) -> Iterator[bytes]:
    yield from chunks
    yield b""


class MergeWalk:
    """The merged ranges of a sheet part: their farthest corner and how many cells they cover (openpyxl
    builds a cell object for each)."""

    def __init__(self) -> None:
        self.rows = self.cols = self.cells = 0

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if name.rpartition(":")[2] != "mergeCell":
            return
        first, _, last = attrs.get("ref", "").replace("$", "").partition(":")
        a, b = cell_position(first), cell_position(last or first)
        if a is not None and b is not None:
            self.rows, self.cols = max(self.rows, a[0], b[0]), max(self.cols, a[1], b[1])
            self.cells += (abs(b[0] - a[0]) + 1) * (abs(b[1] - a[1]) + 1)

    def end(self, name: str) -> None:
        """Nothing to do at the end of an element."""


# --- cell values, parsed (defusedxml) -------------------------------------------------------------


def cell_values(fh: IO[bytes], shared: list[str]) -> Iterator[tuple[str, str | None, str]]:
    """(reference, stored text, type) of every cell of a sheet part, streamed; shared strings resolved
    (the text of a ``t="s"`` cell is the string itself), the rows cleared as they pass."""
    for _, el in iterparse(fh, events=("end",)):
        if el.tag != f"{{{MAIN_NS}}}c":
            if el.tag == f"{{{MAIN_NS}}}row":
                el.clear()
            continue
        v = el.find(f"{{{MAIN_NS}}}v")
        text = v.text if v is not None else None
        kind = el.get("t", "n")
        if text is not None and kind == "s":
            text = shared[int(text)]
        yield el.get("r", ""), text, kind


def shared_strings(xml: bytes | None) -> list[str]:
    """The strings of ``xl/sharedStrings.xml`` (rich text joined); [] without the part."""
    if xml is None:
        return []
    root = fromstring(xml)
    return ["".join(t.text or "" for t in si.iter(f"{{{MAIN_NS}}}t")) for si in root.iter(f"{{{MAIN_NS}}}si")]
