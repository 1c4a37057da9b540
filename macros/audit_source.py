"""Reading an untrusted submitted workbook safely, for the committee's audit.

Submitted agency workbooks come from outside กองกลาง and are treated as
hostile input:

* :func:`cplkpi.guard.check_workbook_file` refuses encrypted/legacy files,
  non-zips, oversized files, zip bombs and sheets with more rows or a larger
  used area than its caps (``MAX_ROWS``, ``MAX_CELLS``) before anything parses
  them; :func:`cplkpi.reader.read_workbook` (the complaint sheets) runs it,
  and so does :func:`read_report_sheets` unless told the file was checked;
* cell values and formulas are only read as data: openpyxl is opened
  read-only with ``keep_vba=False`` and ``keep_links=False`` (macros and
  external links are never loaded, let alone run), its sheet dimensions are
  reset so that a dimension a file declares cannot make it build empty rows,
  and it parses XML through defusedxml (checked: :func:`require_defusedxml`);
  python-calamine (Rust, quick-xml) reads the complaint sheets and expands no
  entities. What a parser raises on a broken or hostile file becomes an
  :class:`~cplkpi.scoring.errors.InputError` naming the file (:func:`reading`).

:class:`ReportSheets` is the neutral form of the report sheets the audit
compares (values, formulas, defined names): it is built from a file here, and
by the xlwings layer from an open Excel book (:meth:`ReportSheets.from_grids`).
"""

from __future__ import annotations

import colorsys
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeAlias

import openpyxl.xml
from defusedxml.ElementTree import fromstring
from openpyxl import load_workbook
from openpyxl.cell.cell import Cell as XlCell
from openpyxl.cell.cell import MergedCell
from openpyxl.cell.read_only import EmptyCell, ReadOnlyCell
from openpyxl.styles.colors import COLOR_INDEX, Color
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet._read_only import ReadOnlyWorksheet
from openpyxl.worksheet.formula import DataTableFormula

from cplkpi.guard import check_workbook_file, reading
from cplkpi.ooxml.drawings import Drawn, sheet_drawings
from cplkpi.ooxml.look import Sizes, header_footers, hidden_parts, sizes
from cplkpi.ooxml.parts import sheet_parts
from cplkpi.scoring.errors import CplError, Problem, column_letter
from cplkpi.scoring.text import INVISIBLE
from cplkpi.templates import layout

__all__ = [
    "Cell",
    "Look",
    "ReportSheets",
    "SheetInfo",
    "Sizes",
    "cell_look",
    "open_readonly",
    "read_report_sheets",
    "read_sheet_rows",
    "reading",
    "require_defusedxml",
    "theme_colours",
]


def require_defusedxml() -> None:
    """Raise :class:`CplError` unless openpyxl parses XML through defusedxml (XXE, entity bombs)."""
    if not openpyxl.xml.DEFUSEDXML:
        raise CplError("ต้องติดตั้ง defusedxml ก่อนตรวจไฟล์ที่ส่งมา (install defusedxml: openpyxl must parse "
                       "untrusted XML through it)")


def _problem(code: str, th: str, en: str, path: Path, sheet: str | None = None) -> Problem:
    where = f"{path.name}: {sheet}" if sheet else path.name
    return Problem(code, th, en, sheet=where)


def open_readonly(path: str | Path, *, data_only: bool) -> Workbook:
    """An openpyxl workbook opened read-only, without macros or external links, XML through defusedxml."""
    require_defusedxml()
    return load_workbook(Path(path), read_only=True, data_only=data_only, keep_vba=False, keep_links=False)


def read_sheet_rows(ws: ReadOnlyWorksheet) -> list[list[Any]]:
    """All values of a read-only worksheet as rows (Excel row 1 first; rows as long as their last cell).

    The dimension the file declares is ignored: only the rows and cells it holds are read.
    """
    ws.reset_dimensions()
    # types-openpyxl copies Worksheet.iter_rows onto ReadOnlyWorksheet with Worksheet as its self type
    return [list(r) for r in ws.iter_rows(values_only=True)]  # type: ignore[misc]


def _formula_text(v: Any) -> str | None:
    """A cell's formula as text: any ``<f>`` of any type (normal, shared, array, dataTable) is a formula."""
    if isinstance(v, str) and v.startswith("="):
        return v
    if isinstance(v, DataTableFormula):  # a what-if table {=TABLE(row input, column input)}: no text of its own
        return f"=TABLE({','.join(str(x or '') for x in (v.r1, v.r2))})"
    text = getattr(v, "text", None)  # ArrayFormula
    if isinstance(text, str):
        return text if text.startswith("=") else f"={text}"
    return None


@dataclass(frozen=True)
class Cell:
    """One report cell: the value Excel shows (cached) and the formula behind it, if any."""

    value: Any
    formula: str | None = None


@dataclass(frozen=True)
class SheetInfo:
    """How one sheet of a submitted workbook is shown: its place, visibility and hidden rows/columns.

    ``state`` is ``visible``, ``hidden`` or ``veryHidden``; ``hidden_rows``/``hidden_cols`` hold the
    rows (numbers) and columns (letters) hidden, or shrunk to (almost) nothing, in the sheet's XML;
    ``claims`` the report codes (``CPL_R003``/``CPL_R001``) its name or first rows state.
    """

    name: str
    position: int
    state: str = "visible"
    hidden_rows: frozenset[int] = frozenset()
    hidden_cols: frozenset[str] = frozenset()
    claims: frozenset[str] = frozenset()
    #: the sheet's print area as the file defines it (``$A$1:$P$75``), None when it prints everything
    print_area: str | None = None
    #: merged ranges (``A1:P1``) of the sheets whose rows and columns are read
    merged: frozenset[str] = frozenset()
    #: ranges with conditional formatting (``E13:E24``) of the sheets whose rows and columns are read
    conditional: frozenset[str] = frozenset()
    #: names defined on the sheet itself (other than Excel's ``_xlnm.`` print names): they override the
    #: workbook's names in the sheet's formulas
    local_names: frozenset[str] = frozenset()
    #: row heights (points) and column widths (characters) as the file sets them, with the sheet's defaults
    #: for the rest (:class:`Sizes`), for the sheets whose rows and columns are read
    sizes: Sizes | None = None
    #: what is drawn over the sheet (:func:`sheet_drawings`), for the sheets whose rows and columns are read
    drawings: tuple[Drawn, ...] = ()
    #: the page headers and footers of the sheets whose rows and columns are read, as (``oddHeader``,
    #: ``left``/``center``/``right``, text) for each part with text
    header_footer: frozenset[tuple[str, str, str]] = frozenset()


@dataclass
class ReportSheets:
    """The report sheets of a submitted workbook: cells by sheet and reference, and the defined names.

    ``cells[sheet]["E8"]`` is a :class:`Cell`; ``names["R003_RECEIVED_MONTH"]``
    is ``(sheet, "$E$8")``, a range name ``(sheet, "$A$13:$P$24")``. Empty cells
    are absent. The xlwings layer builds the same object from an open book.
    """

    cells: dict[str, dict[str, Cell]] = field(default_factory=dict)
    names: dict[str, tuple[str, str]] = field(default_factory=dict)
    source: str | None = None
    #: number formats of the cells with a value, by sheet and reference (empty when not known)
    formats: dict[str, dict[str, str]] = field(default_factory=dict)
    #: how the text of the cells with a value shows (:class:`Look`), by sheet and reference (empty when not known)
    looks: dict[str, dict[str, Look]] = field(default_factory=dict)
    #: every sheet of the file in workbook order (None: not known, e.g. built from an open Excel book)
    sheets: list[SheetInfo] | None = None
    #: each workbook-level name's whole formula text as the file holds it (``'CPL_R003'!$E$48-45``);
    #: empty when not known
    name_texts: dict[str, str] = field(default_factory=dict)

    @classmethod
    def from_grids(cls, values: Mapping[str, list[list[Any]]], formulas: Mapping[str, list[list[Any]]],
                   names: Mapping[str, tuple[str, str]], source: str | None = None) -> ReportSheets:
        """Build from per-sheet grids of values and of formulas (row 1 first), e.g. xlwings ``.value``/``.formula``."""
        out = cls(names=dict(names), source=source)
        for sheet, grid in values.items():
            fgrid = formulas.get(sheet, [])
            cells: dict[str, Cell] = {}
            for i in range(max(len(grid), len(fgrid))):
                vrow = grid[i] if i < len(grid) else []
                frow = fgrid[i] if i < len(fgrid) else []
                for j in range(max(len(vrow), len(frow))):
                    v = vrow[j] if j < len(vrow) else None
                    f = _formula_text(frow[j]) if j < len(frow) else None
                    if f is not None and f == v:  # text that merely starts with "=" is no formula
                        f = None
                    if v is None and f is None:
                        continue
                    cells[f"{column_letter(j + 1)}{i + 1}"] = Cell(v, f)
            out.cells[sheet] = cells
        return out


def _defined_names(wb: Workbook) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """The workbook-level names: (sheet, reference) of those pointing at one range, whatever the sheet,
    and every name's whole formula text (arithmetic such as ``'CPL_R003'!$E$48-45`` included)."""
    out: dict[str, tuple[str, str]] = {}
    texts: dict[str, str] = {}
    for name, dn in wb.defined_names.items():
        texts[name] = str(dn.attr_text or "")
        try:
            dests = list(dn.destinations)
        except Exception:
            continue
        if len(dests) == 1:  # Excel reads sheet names and references in any case
            sheet = next((s for s in wb.sheetnames if s.casefold() == dests[0][0].casefold()), dests[0][0])
            out[name] = (sheet, dests[0][1].upper())
    return out, texts


def _plain(v: Any) -> Any:
    """A value as openpyxl would give it: whole numbers as int, empty text as None."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None if v == "" else v


#: a cell whose look :func:`cell_look` reads: a template's (normal or merged) or a read-only sheet's
StyledCell: TypeAlias = XlCell | MergedCell | ReadOnlyCell | EmptyCell

_REPORT_CODE = re.compile(r"CPL[\s_-]*(R00[13])", re.I)
_REPORT_TITLE = re.compile(r"แบบรายงานรหัส\s*CPL[\s_-]*(R00[13])", re.I)  # the templates' title line (A1)
#: characters that show nothing (the engine's :data:`~cplkpi.scoring.text.INVISIBLE`: zero-width, BOM, soft hyphen…)
_INVISIBLE_CHARS = dict.fromkeys(map(ord, INVISIBLE))
#: dashes and minus signs that look like the hyphen-minus of ``CPL-R003``
_HYPHENS = re.compile("[\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\ufe58\ufe63\uff0d]")
#: share of a report template's labels a sheet must hold to be taken as a copy of that report
COPY_SHARE = 0.6
#: rows of a sheet beyond the template's set read to recognise a report copy (the templates end by row 75)
CLAIM_ROWS = 120


def plain_text(text: str) -> str:
    """Text as it reads: NFKC (full-width letters), invisible characters removed, hyphen look-alikes as ``-``,
    runs of spaces as one, case folded."""
    text = _HYPHENS.sub("-", unicodedata.normalize("NFKC", text).translate(_INVISIBLE_CHARS))
    return re.sub(r"\s+", " ", text).strip().casefold()


@lru_cache(maxsize=1)
def _template_labels() -> dict[str, frozenset[str]]:
    """The text cells (labels, :func:`plain_text`) of each report template, by report sheet name."""
    out: dict[str, frozenset[str]] = {}
    for file, sheet in ((layout.R003_FILE, layout.R003_SHEET), (layout.R001_FILE, layout.R001_SHEET)):
        wb = load_workbook(layout.template_path(file), read_only=True)
        try:
            out[sheet] = frozenset(plain_text(v) for row in wb[sheet].iter_rows(values_only=True) for v in row
                                   if isinstance(v, str) and not v.startswith("=") and plain_text(v))
        finally:
            wb.close()
    return out


def _claims(name: str, content: Iterable[Any]) -> frozenset[str]:
    """The reports (``CPL_R003``, ``CPL_R001``) a sheet claims to be: by its name, by the template's title
    line anywhere in ``content`` (its cells' values) or by holding most of a template's labels, whatever
    look-alike characters (Unicode hyphens, zero-width spaces, full-width letters) the text uses."""
    texts = {plain_text(t) for t in content if isinstance(t, str)}
    found = _REPORT_CODE.findall(plain_text(name)) + [m for t in texts for m in _REPORT_TITLE.findall(t)]
    claims = {f"CPL_{m.upper()}" for m in found}
    for sheet, labels in _template_labels().items():
        if labels and len(labels & texts) >= COPY_SHARE * len(labels):
            claims.add(sheet)
    return frozenset(claims)


def read_sheet_infos(path: str | Path, wb: Workbook, details: Iterable[str],
                     known: Iterable[str] = ()) -> list[SheetInfo]:
    """Every sheet of workbook file ``path`` (openpyxl ``wb`` open read-only) as :class:`SheetInfo`.

    Hidden rows and columns are read for the sheets in ``details`` and for every sheet that claims a
    report; a sheet claims a report when its name names the report code or, for a sheet not in
    ``details`` nor ``known`` (the complaint sheets, read anyway), its first :data:`CLAIM_ROWS` rows
    hold a report's title line or most of its template's labels (:func:`_claims`).
    """
    path = Path(path)
    wanted = set(details)
    skip_content = wanted | {n.casefold() for n in known} | set(known)
    out: list[SheetInfo] = []
    with reading(path), zipfile.ZipFile(path) as zf:
        parts = sheet_parts(zf)
        areas: dict[int, str] = {}
        local: dict[int, set[str]] = {}
        for el in fromstring(zf.read("xl/workbook.xml")).iter():
            if el.tag.rsplit("}", 1)[-1] != "definedName" or el.get("localSheetId") is None:
                continue
            i, name = int(el.get("localSheetId", "-1")), el.get("name", "")
            if name == "_xlnm.Print_Area":
                areas[i] = re.sub(r"('(?:[^']|'')*'|[^,!']+)!", "", el.text or "")
            elif not name.startswith("_xlnm."):
                local.setdefault(i, set()).add(name)
        for i, (name, (part, state)) in enumerate(parts.items()):
            first: list[Any] = []
            if name in wb.sheetnames and name not in skip_content and name.casefold() not in skip_content:
                ws = wb[name]
                if hasattr(ws, "iter_rows"):  # a chartsheet has no cells
                    ws.reset_dimensions()
                    first = [v for row in ws.iter_rows(max_row=CLAIM_ROWS, values_only=True) for v in row]
            claims = _claims(name, first)
            rows, cols, merged, cond = (hidden_parts(zf, part) if (name in wanted or claims) and part in zf.namelist()
                                        else (frozenset(), frozenset(), frozenset(), frozenset()))
            read = (name in wanted or claims) and part in zf.namelist()
            out.append(SheetInfo(name, i, state or "visible", rows, cols, claims, areas.get(i), merged, cond,
                                 frozenset(local.get(i, ())), sizes(zf, part) if read else None,
                                 sheet_drawings(zf, part) if read else (),
                                 header_footers(zf, part) if read else frozenset()))
    return out


def read_report_sheets(path: str | Path, sheets: Iterable[str], *, checked: bool = False,
                       known: Iterable[str] = ()) -> ReportSheets:
    """Values (cached), formulas and workbook-level defined names of ``sheets`` of a workbook file.

    The file goes through :func:`cplkpi.guard.check_workbook_file` first unless ``checked``. Values
    are read with python-calamine (the stored results of formulas included), formulas and names with
    openpyxl. Sheets that the file does not have are simply absent from the result. ``sheets`` of
    the result describes every sheet (:func:`read_sheet_infos`; ``known``: sheets not to look into).
    """
    from python_calamine import CalamineWorkbook  # noqa: PLC0415 (python-calamine: not installed under xlwings Lite (emscripten))

    path = Path(path)
    if not checked:
        check_workbook_file(path)
    wanted = list(sheets)
    values: dict[str, list[list[Any]]] = {}
    formulas: dict[str, list[list[Any]]] = {}
    with reading(path):
        wb = open_readonly(path, data_only=False)
    try:
        present = [s for s in wanted if s in wb.sheetnames]
        formats: dict[str, dict[str, str]] = {}
        looks: dict[str, dict[str, Look]] = {}
        for s in present:
            with reading(path):  # read-only sheets parse their XML while their rows are read
                formulas[s], formats[s], looks[s] = _rows_and_formats(wb[s])
        names, name_texts = _defined_names(wb)
        infos = read_sheet_infos(path, wb, present, known)
    finally:
        wb.close()
    if present:
        with reading(path):
            cal = CalamineWorkbook.from_path(str(path))
        try:
            for s in present:
                with reading(path):
                    rows = cal.get_sheet_by_name(s).to_python(skip_empty_area=False)
                values[s] = [[_plain(v) for v in row] for row in rows]
        finally:
            cal.close()
    out = ReportSheets.from_grids(values, formulas, names, str(path))
    out.sheets, out.formats, out.looks, out.name_texts = infos, formats, looks, name_texts
    return out


#: Excel's default (Office) theme colours in theme-index order: Background 1 (lt1), Text 1 (dk1), Background 2
#: (lt2), Text 2 (dk2), Accent 1-6, hyperlink, followed hyperlink
_OFFICE_THEME = ("FFFFFF", "000000", "E7E6E6", "44546A", "4472C4", "ED7D31", "A5A5A5", "FFC000", "5B9BD5",
                 "70AD47", "0563C1", "954F72")
_SCHEME = ("lt1", "dk1", "lt2", "dk2", "accent1", "accent2", "accent3", "accent4", "accent5", "accent6", "hlink",
           "folHlink")
#: share of a pattern fill's cell area in its foreground colour (the rest is its background colour)
_COVERAGE = {"solid": 1.0, "darkGray": 0.75, "mediumGray": 0.5, "lightGray": 0.25, "gray125": 0.125,
             "gray0625": 0.0625}
#: below this contrast ratio (WCAG: 1 = same colour, 21 = black on white) text is taken as unreadable
MIN_CONTRAST = 3.0
#: below this font size (points), or below half the template's, text is taken as unreadable
MIN_FONT_SIZE = 6.0


@dataclass(frozen=True)
class Look:
    """How a cell's text shows: its ink and paper colours (``RRGGBB``, theme and indexed colours resolved,
    tints applied, pattern fills blended) and its font size in points."""

    ink: str
    paper: str
    size: float

    @property
    def contrast(self) -> float:
        """The WCAG contrast ratio of ink on paper (1: invisible, 21: black on white)."""
        a, b = sorted((_luminance(self.ink), _luminance(self.paper)))
        return (b + 0.05) / (a + 0.05)


def theme_colours(wb: Workbook | None) -> tuple[str, ...]:
    """The workbook's theme colours in Excel's theme-index order (the Office theme when it has none)."""
    data = getattr(wb, "loaded_theme", None)
    found: dict[str, str] = {}
    try:
        root = fromstring(data) if data else None
    except Exception:
        root = None
    for el in root.iter() if root is not None else ():
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in _SCHEME and tag not in found:
            for child in el:
                kind = child.tag.rsplit("}", 1)[-1]
                value = child.get("val") if kind == "srgbClr" else child.get("lastClr") if kind == "sysClr" else None
                if value and re.fullmatch(r"[0-9A-Fa-f]{6}", value):
                    found[tag] = value.upper()
    return tuple(found.get(t, d) for t, d in zip(_SCHEME, _OFFICE_THEME))


def _tinted(rgb: str, tint: float) -> str:
    """Excel's tint: lighter (tint > 0) or darker (tint < 0) in HLS."""
    h, lum, s = colorsys.rgb_to_hls(*(int(rgb[i:i + 2], 16) / 255 for i in (0, 2, 4)))
    lum = lum * (1 + tint) if tint < 0 else lum * (1 - tint) + tint
    return "".join(f"{round(x * 255):02X}" for x in colorsys.hls_to_rgb(h, min(max(lum, 0.0), 1.0), s))


def _rgb(color: Color | None, theme: tuple[str, ...], palette: list[str], auto: str) -> str:
    """A style colour as ``RRGGBB``; ``auto`` for an automatic colour (and openpyxl's unset ``00000000``)."""
    kind = getattr(color, "type", None)
    value = getattr(color, "value", None)
    rgb = auto
    if kind == "rgb" and isinstance(value, str) and re.fullmatch(r"[0-9A-Fa-f]{6,8}", value) and value != "00000000":
        rgb = value[-6:].upper()
    elif kind == "theme" and isinstance(value, int) and 0 <= value < len(theme):
        rgb = theme[value]
    elif kind == "indexed" and isinstance(value, int) and 0 <= value < min(len(palette), 64):
        rgb = str(palette[value])[-6:].upper()  # 64 and 65: the system's text and window colours (auto)
    tint = getattr(color, "tint", 0) or 0
    return _tinted(rgb, float(tint)) if tint else rgb


def _blend(fg: str, bg: str, share: float) -> str:
    return "".join(f"{round(int(fg[i:i + 2], 16) * share + int(bg[i:i + 2], 16) * (1 - share)):02X}"
                   for i in (0, 2, 4))


def _luminance(rgb: str) -> float:
    """WCAG relative luminance of ``RRGGBB``."""
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(int(rgb[i:i + 2], 16) / 255) for i in (0, 2, 4))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def cell_look(cell: StyledCell, theme: tuple[str, ...], palette: list[str] | None = None) -> Look:
    """How ``cell``'s text shows (:class:`Look`): a cell without fill is on the white page, a font without
    colour is black, a pattern fill is its two colours blended by the share of the pattern."""
    pal = palette if palette is not None else list(COLOR_INDEX)
    font = getattr(cell, "font", None)
    ink = _rgb(getattr(font, "color", None), theme, pal, "000000")
    size = float(getattr(font, "sz", None) or 11)
    fill: Any = getattr(cell, "fill", None)
    paper = "FFFFFF"
    pattern = getattr(fill, "patternType", None)
    if pattern and pattern != "none":
        fg = _rgb(fill.fgColor, theme, pal, "000000")
        bg = _rgb(fill.bgColor, theme, pal, "FFFFFF")
        paper = _blend(fg, bg, _COVERAGE.get(pattern, 0.5))
    elif getattr(fill, "stop", None):  # a gradient: its colours on average
        colours = [_rgb(s.color, theme, pal, "FFFFFF") for s in fill.stop]
        paper = _blend(colours[0], colours[-1], 0.5)
    return Look(ink, paper, size)


def _rows_and_formats(ws: ReadOnlyWorksheet) -> tuple[list[list[Any]], dict[str, str], dict[str, Look]]:
    """A read-only sheet's values (as :func:`read_sheet_rows`), and the number format and :class:`Look` of
    every cell with a value."""
    ws.reset_dimensions()
    wb = getattr(ws, "parent", None)
    theme = theme_colours(wb)
    palette = getattr(wb, "_colors", None)
    rows: list[list[Any]] = []
    formats: dict[str, str] = {}
    looks: dict[str, Look] = {}
    for r, row in enumerate(ws.iter_rows(), start=1):  # type: ignore[misc]  # stub: Worksheet self (read_sheet_rows)
        values = []
        for j, c in enumerate(row, start=1):
            value = getattr(c, "value", None)
            values.append(value)
            if value is None:
                continue
            ref = f"{column_letter(j)}{r}"
            formats[ref] = getattr(c, "number_format", None) or "General"
            looks[ref] = cell_look(c, theme, palette)
        rows.append(values)
    return rows, formats, looks
