"""Reading an untrusted submitted workbook safely, for the committee's audit.

Submitted agency workbooks come from outside กองกลาง and are treated as
hostile input:

* :func:`cplkpi.guard.check_workbook_file` refuses encrypted/legacy files,
  non-zips, oversized files, zip bombs and sheets with more rows or a larger
  used area than its caps (``MAX_ROWS``, ``MAX_CELLS``) before anything parses
  them; :func:`cplkpi.workbook.read_workbook` (the complaint sheets) runs it,
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

import re
import zipfile
import zlib
from collections.abc import Iterable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cplkpi.guard import check_workbook_file
from cplkpi.scoring.errors import CplError, InputError, Problem, column_letter

__all__ = [
    "Cell",
    "SheetInfo",
    "ReportSheets",
    "require_defusedxml",
    "open_readonly",
    "read_sheet_rows",
    "read_report_sheets",
    "reading",
]


def require_defusedxml() -> None:
    """Raise :class:`CplError` unless openpyxl parses XML through defusedxml (XXE, entity bombs)."""
    import openpyxl.xml

    if not openpyxl.xml.DEFUSEDXML:
        raise CplError("ต้องติดตั้ง defusedxml ก่อนตรวจไฟล์ที่ส่งมา (install defusedxml: openpyxl must parse "
                       "untrusted XML through it)")


def _problem(code: str, th: str, en: str, path: Path, sheet: str | None = None) -> Problem:
    where = f"{path.name}: {sheet}" if sheet else path.name
    return Problem(code, th, en, sheet=where)


@contextmanager
def reading(path: Path) -> Iterator[None]:
    """Turn what a parser raises on a broken or hostile file into an :class:`InputError` naming the file.

    Wrap only the parser calls (opening a workbook, reading a sheet's rows): a ``KeyError`` or
    ``ValueError`` of our own code must not pass for a corrupt file.
    """
    from xml.etree.ElementTree import ParseError

    from defusedxml import DefusedXmlException
    from openpyxl.utils.exceptions import InvalidFileException
    from python_calamine import CalamineError

    try:
        yield
    except InputError:
        raise
    except (DefusedXmlException, CalamineError, zipfile.BadZipFile, zlib.error, EOFError, KeyError,
            ValueError, ParseError, InvalidFileException) as exc:
        cause: BaseException | None = exc
        while cause is not None and not isinstance(cause, DefusedXmlException):
            cause = cause.__cause__ or cause.__context__
        if cause is not None or "entity" in str(exc).lower():
            raise InputError([_problem(
                "unsafe_xml", f"ไฟล์ {path.name} มี XML ที่ไม่ปลอดภัย (DTD/entity) ปฏิเสธเพื่อความปลอดภัย",
                f"{path.name} contains unsafe XML (DTD/entities); refused for safety", path)]) from exc
        detail = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        raise InputError([_problem(
            "unreadable", f"อ่านไฟล์ {path.name} ไม่ได้ ไฟล์อาจเสียหาย ({detail})",
            f"cannot read {path.name}, the file may be corrupt ({type(exc).__name__}: {detail})", path)]) from exc


def open_readonly(path: str | Path, *, data_only: bool) -> Any:
    """An openpyxl workbook opened read-only, without macros or external links, XML through defusedxml."""
    from openpyxl import load_workbook

    require_defusedxml()
    return load_workbook(Path(path), read_only=True, data_only=data_only, keep_vba=False, keep_links=False)


def read_sheet_rows(ws: Any) -> list[list[Any]]:
    """All values of a read-only worksheet as rows (Excel row 1 first; rows as long as their last cell).

    The dimension the file declares is ignored: only the rows and cells it holds are read.
    """
    ws.reset_dimensions()
    return [list(r) for r in ws.iter_rows(values_only=True)]


def _formula_text(v: Any) -> str | None:
    """A cell's formula as text: any ``<f>`` of any type (normal, shared, array, dataTable) is a formula."""
    from openpyxl.worksheet.formula import DataTableFormula

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
    #: number formats other than General by sheet and reference (empty when not known)
    formats: dict[str, dict[str, str]] = field(default_factory=dict)
    #: cells with a value whose text has the colour of their background, by sheet (empty when not known)
    invisible: dict[str, set[str]] = field(default_factory=dict)
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


def _defined_names(wb: Any) -> tuple[dict[str, tuple[str, str]], dict[str, str]]:
    """The workbook-level names: (sheet, reference) of those pointing at one range, whatever the sheet,
    and every name's whole formula text (arithmetic such as ``'CPL_R003'!$E$48-45`` included)."""
    out: dict[str, tuple[str, str]] = {}
    texts: dict[str, str] = {}
    for name, dn in wb.defined_names.items():
        texts[name] = str(dn.attr_text or "")
        try:
            dests = list(dn.destinations)
        except Exception:  # noqa: BLE001, S112 - a malformed name points nowhere: its text is compared
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


_TRUE = ("1", "true")
_REPORT_CODE = re.compile(r"CPL[\s_-]*(R00[13])", re.I)
_REPORT_TITLE = re.compile(r"แบบรายงานรหัส\s*CPL[\s_-]*(R00[13])", re.I)  # the templates' title line (A1)


def _claims(name: str, first: Iterable[Any]) -> frozenset[str]:
    """The reports (``CPL_R003``, ``CPL_R001``) a sheet claims to be: by its name or by the template's title."""
    found = _REPORT_CODE.findall(name) + [m for t in first if isinstance(t, str) for m in _REPORT_TITLE.findall(t)]
    return frozenset(f"CPL_{m.upper()}" for m in found)


def _number(text: str | None, default: float) -> float:
    """An XML attribute as a number (``default`` when absent or not a number)."""
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def _hidden_parts(zf: zipfile.ZipFile, part: str) -> tuple[frozenset[int], frozenset[str], frozenset[str],
                                                            frozenset[str]]:
    """Rows and columns a sheet part hides (``hidden``, or a height/width too small to see), its merges and
    its conditionally formatted ranges."""
    from defusedxml.ElementTree import iterparse

    rows: set[int] = set()
    cols: set[str] = set()
    merged: set[str] = set()
    conditional: set[str] = set()
    listed: set[int] = set()
    zero_height = False  # <sheetFormatPr zeroHeight="1">: rows not listed are hidden
    with zf.open(part) as fh:
        for _, el in iterparse(fh, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "row":
                r = int(_number(el.get("r"), 0))
                listed.add(r)
                if el.get("hidden", "").lower() in _TRUE or _number(el.get("ht"), 1) < 1:
                    rows.add(r)
                el.clear()
            elif tag == "sheetFormatPr":
                zero_height = el.get("zeroHeight", "").lower() in _TRUE
            elif tag == "col":
                if el.get("hidden", "").lower() in _TRUE or _number(el.get("width"), 1) < 0.5:
                    first, last = int(_number(el.get("min"), 1)), int(_number(el.get("max"), 1))
                    cols.update(column_letter(c) for c in range(max(first, 1), min(last, 16384) + 1))
            elif tag == "c":
                el.clear()
            elif tag == "mergeCell" and el.get("ref"):
                merged.add(el.get("ref", "").replace("$", "").upper())
            elif tag == "conditionalFormatting":  # Excel 2007's sqref attribute, or Excel 2010's <xm:sqref>
                sqref = el.get("sqref") or next((x.text for x in el if x.tag.rsplit("}", 1)[-1] == "sqref"), None)
                conditional.add(" ".join((sqref or "").replace("$", "").upper().split()))
                el.clear()
    if zero_height:
        rows.update(set(range(1, max(listed, default=0) + 1)) - listed)
    return frozenset(rows), frozenset(cols), frozenset(merged), frozenset(conditional)


_HEADER_FOOTER_TAGS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


def header_footer_parts(item: Any, tag: str) -> set[tuple[str, str, str]]:
    """(``tag``, part, text) of each part with text of an openpyxl header or footer item."""
    out = set()
    for part in ("left", "center", "right"):
        text = getattr(getattr(item, part, None), "text", None)
        if text and text.strip():
            out.add((tag, part, " ".join(text.split())))
    return out


def _header_footer(zf: zipfile.ZipFile, part: str) -> frozenset[tuple[str, str, str]]:
    """The page headers and footers a sheet part prints (:func:`header_footer_parts` of each)."""
    from defusedxml.ElementTree import iterparse
    from openpyxl.worksheet.header_footer import HeaderFooterItem

    out: set[tuple[str, str, str]] = set()
    with zf.open(part) as fh:
        for _, el in iterparse(fh, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag in _HEADER_FOOTER_TAGS:
                out |= header_footer_parts(HeaderFooterItem.from_tree(el), tag)
            elif tag in ("row", "c"):
                el.clear()
    return frozenset(out)


def read_sheet_infos(path: str | Path, wb: Any, details: Iterable[str],
                     known: Iterable[str] = ()) -> list[SheetInfo]:
    """Every sheet of workbook file ``path`` (openpyxl ``wb`` open read-only) as :class:`SheetInfo`.

    Hidden rows and columns are read for the sheets in ``details`` and for every sheet that claims a
    report; a sheet claims a report when its name names the report code or, for a sheet not in
    ``details`` nor ``known`` (the complaint sheets, read anyway), its first three rows hold a report's
    title line.
    """
    from cplkpi.xlsx import sheet_parts

    from defusedxml.ElementTree import fromstring

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
                    first = [v for row in ws.iter_rows(max_row=3, values_only=True) for v in row]
            claims = _claims(name, first)
            rows, cols, merged, cond = (_hidden_parts(zf, part) if (name in wanted or claims) and part in zf.namelist()
                                        else (frozenset(), frozenset(), frozenset(), frozenset()))
            hf = (_header_footer(zf, part) if (name in wanted or claims) and part in zf.namelist()
                  else frozenset())
            out.append(SheetInfo(name, i, state or "visible", rows, cols, claims, areas.get(i), merged, cond,
                                 frozenset(local.get(i, ())), hf))
    return out


def read_report_sheets(path: str | Path, sheets: Iterable[str], *, checked: bool = False,
                       known: Iterable[str] = ()) -> ReportSheets:
    """Values (cached), formulas and workbook-level defined names of ``sheets`` of a workbook file.

    The file goes through :func:`cplkpi.guard.check_workbook_file` first unless ``checked``. Values
    are read with python-calamine (the stored results of formulas included), formulas and names with
    openpyxl. Sheets that the file does not have are simply absent from the result. ``sheets`` of
    the result describes every sheet (:func:`read_sheet_infos`; ``known``: sheets not to look into).
    """
    from python_calamine import CalamineWorkbook

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
        invisible: dict[str, set[str]] = {}
        for s in present:
            with reading(path):  # read-only sheets parse their XML while their rows are read
                formulas[s], formats[s], invisible[s] = _rows_and_formats(wb[s])
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
    out.sheets, out.formats, out.invisible, out.name_texts = infos, formats, invisible, name_texts
    return out


def invisible_text(cell: Any) -> bool:
    """Whether a cell's text has the colour of its background (white on white, black on black).

    Theme colour 0 is Excel's "Background 1" (white); a cell without a solid fill is on the white page.
    """
    font = getattr(cell, "font", None)
    color = getattr(font, "color", None) if font is not None else None
    if color is None:
        return False
    if color.type == "rgb" and isinstance(color.rgb, str):
        ink = color.rgb[-6:].upper()
    elif color.type == "theme" and color.theme == 0:
        ink = "FFFFFF"
    else:
        return False
    fill = getattr(cell, "fill", None)
    paper = "FFFFFF"
    if fill is not None and fill.patternType == "solid" and fill.fgColor is not None:
        if fill.fgColor.type != "rgb" or not isinstance(fill.fgColor.rgb, str):
            return False
        paper = fill.fgColor.rgb[-6:].upper()
    return ink == paper


def _rows_and_formats(ws: Any) -> tuple[list[list[Any]], dict[str, str], set[str]]:
    """A read-only sheet's values (as :func:`read_sheet_rows`), its cells' number formats other than
    General, and the cells with a value whose text is invisible (:func:`invisible_text`)."""
    ws.reset_dimensions()
    rows: list[list[Any]] = []
    formats: dict[str, str] = {}
    invisible: set[str] = set()
    for r, row in enumerate(ws.iter_rows(), start=1):
        values = []
        for j, c in enumerate(row, start=1):
            value = getattr(c, "value", None)
            values.append(value)
            if value is None:
                continue
            fmt = getattr(c, "number_format", None)
            if fmt and fmt != "General":
                formats[f"{column_letter(j)}{r}"] = fmt
            if invisible_text(c):
                invisible.add(f"{column_letter(j)}{r}")
        rows.append(values)
    return rows, formats, invisible
