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
    if isinstance(v, str) and v.startswith("="):
        return v
    text = getattr(v, "text", None)  # ArrayFormula / DataTableFormula
    if isinstance(text, str):
        return text if text.startswith("=") else f"={text}"
    return None


@dataclass(frozen=True)
class Cell:
    """One report cell: the value Excel shows (cached) and the formula behind it, if any."""

    value: Any
    formula: str | None = None


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


def _defined_names(wb: Any, sheets: set[str]) -> dict[str, tuple[str, str]]:
    out: dict[str, tuple[str, str]] = {}
    for name, dn in wb.defined_names.items():
        try:
            dests = list(dn.destinations)
        except Exception:  # noqa: BLE001, S112 - a malformed name is simply not a report figure
            continue
        if len(dests) == 1 and dests[0][0] in sheets:
            out[name] = (dests[0][0], dests[0][1])
    return out


def _plain(v: Any) -> Any:
    """A value as openpyxl would give it: whole numbers as int, empty text as None."""
    if isinstance(v, float) and v.is_integer():
        return int(v)
    return None if v == "" else v


def read_report_sheets(path: str | Path, sheets: Iterable[str], *, checked: bool = False) -> ReportSheets:
    """Values (cached), formulas and workbook-level defined names of ``sheets`` of a workbook file.

    The file goes through :func:`cplkpi.guard.check_workbook_file` first unless ``checked``. Values
    are read with python-calamine (the stored results of formulas included), formulas and names with
    openpyxl. Sheets that the file does not have are simply absent from the result.
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
        for s in present:
            with reading(path):  # read-only sheets parse their XML while their rows are read
                formulas[s] = read_sheet_rows(wb[s])
        names = _defined_names(wb, set(present))
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
    return ReportSheets.from_grids(values, formulas, names, str(path))
