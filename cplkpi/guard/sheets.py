"""Sheet XML bounds: which parts are sheets, and how far their cells and merged ranges reach."""

from __future__ import annotations

import posixpath
import zipfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import BinaryIO

from defusedxml.ElementTree import fromstring

from cplkpi.guard.limits import (
    MAX_CELLS,
    check_extent,
    corrupt_error,
    over_limits,
)
from cplkpi.guard.members import member_chunks
from cplkpi.guard.xlsb import xlsb_sheet_names
from cplkpi.ooxml.parts import sheet_parts
from cplkpi.ooxml.scan import (
    MalformedXml,
    MergeWalk,
    SheetWalk,
    fast_extent,
    walk_xml,
)
from cplkpi.scoring.errors import InputError, Problem

# --- the sheet XML: how far its cells reach, parsed the way the reader does -------------------------
#
# python-calamine builds a dense grid from A1 (or the first cell) to the last cell with a value, so a
# 1 KB file with one value at XFD1048576 asks for 17 billion cells. The extent is measured on the XML
# as written (:mod:`cplkpi.ooxml.scan`), before the reader opens the file.


def _exact_extent(chunks: Iterator[bytes], path: Path, part: str) -> tuple[int, int]:
    """(last row, last column) of the cells with a value (as the reader places them), by a streaming parse."""
    walk = SheetWalk()
    walk_sheet_xml(walk.start, walk.end, chunks, path, part, lambda: over_limits(walk.rows, walk.cols))
    return walk.rows, walk.cols


def walk_sheet_xml(start: Callable[[str, dict[str, str]], None], end: Callable[[str], None],
              chunks: Iterator[bytes], path: Path, part: str, enough: Callable[[], bool],
              text: Callable[[str], None] | None = None) -> None:
    """:func:`cplkpi.ooxml.scan.walk_xml`, XML that is not well-formed refused as a corrupt file."""
    try:
        walk_xml(start, end, chunks, part, enough, text)
    except MalformedXml as exc:
        raise corrupt_error(path, str(exc)) from exc.__cause__


def unique_names(infos: list[zipfile.ZipInfo], path: Path) -> dict[str, str]:
    """Lower-case name → name of every member; two members whose names differ only in case are refused.

    The reader finds parts by name in any case, so such a pair would let it read another part than
    the one checked here.
    """
    lower: dict[str, str] = {}
    for info in infos:
        key = info.filename.lower()
        if key in lower:
            raise corrupt_error(path, f"two parts named {lower[key]} and {info.filename}")
        lower[key] = info.filename
    return lower


def sheet_members(zf: zipfile.ZipFile, lower: dict[str, str], path: Path, kind: str) -> dict[str, str]:
    """Member → sheet name (or the member's name) of every part the reader may read as a sheet.

    That is every target of the workbook's relationships (``kind`` ``xlsx``: xl/workbook.xml's,
    ``xlsb``: xl/workbook.bin's), resolved the way the reader does (``/xl/…`` and ``xl/…`` as they are,
    anything else under ``xl/``) and as the OPC standard does (relative to ``xl/``, ``..`` followed),
    both matched in any case; and every ``.xml`` (``.bin``) part in a ``worksheets``/``chartsheets``/
    ``dialogsheets``/``macrosheets`` folder.
    """
    rels_name = f"xl/_rels/workbook.{'xml' if kind == 'xlsx' else 'bin'}.rels"
    try:
        sheet_of = {part.lower(): name for name, (part, _) in sheet_parts(zf).items()} if (
            kind == "xlsx") else {}
        rels = fromstring(zf.read(lower[rels_name])) if rels_name in lower else None
        names = xlsb_sheet_names(zf, lower) if kind == "xlsb" else {}
    except Exception as exc:  # defusedxml refuses entities; a broken workbook part is corrupt
        raise corrupt_error(path, f"workbook: {exc}") from exc
    relations = [] if rels is None else [
        el for el in rels.iter() if str(el.tag).rpartition("}")[2] == "Relationship"]
    wanted = set()
    for el in relations:
        target = el.get("Target", "")
        reader = (target[1:] if target.startswith("/xl/") else target if target.startswith("xl/")
                  else f"xl/{target}")
        opc = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
        wanted |= {reader.lower(), opc.lower()}
        rel_id = el.get("Id")
        if rel_id is not None and rel_id in names:
            sheet_of[opc.lower()] = names[rel_id]
    out = {}
    ext = ".xml" if kind == "xlsx" else ".bin"
    for key, name in lower.items():
        folder = posixpath.basename(posixpath.dirname(key))
        if key in wanted or (key.endswith(ext) and folder in (
                "worksheets", "chartsheets", "dialogsheets", "macrosheets")):
            out[name] = sheet_of.get(key, name)
    return out


def check_sheet_part(path: Path, raw: BinaryIO, info: zipfile.ZipInfo, sheet: str) -> None:
    """Refuse a sheet part whose cells with a value reach beyond the limits (reads the part whole).

    The ``<dimension>`` a sheet declares is not counted: no reader used builds cells from it
    (python-calamine reserves at most 100,000 cells from it, openpyxl's are reset), so a wrong one
    costs nothing and a real workbook with a stale one is still read.
    """
    if _mentions(member_chunks(raw, info), b"mergeCell"):
        _check_merges(path, sheet, member_chunks(raw, info), info.filename)
    extent = fast_extent(member_chunks(raw, info), False, over_limits)
    if extent is False:
        extent = fast_extent(member_chunks(raw, info), True, over_limits)
    if not isinstance(extent, tuple):  # None: cells written otherwise than the fast scan vouches for
        extent = _exact_extent(member_chunks(raw, info), path, info.filename)
    check_extent(path, sheet, *extent)


def _mentions(chunks: Iterator[bytes], word: bytes) -> bool:
    """Whether ``word`` occurs in the streamed part (across chunk boundaries too)."""
    tail = b""
    for chunk in chunks:
        if word in tail + chunk[:len(word)] or word in chunk:
            for _ in chunks:  # the zip checks of the whole part still run
                pass
            return True
        tail = chunk[-len(word):]
    return False


def _check_merges(path: Path, sheet: str, chunks: Iterator[bytes], part: str) -> None:
    """Refuse merged ranges reaching beyond the limits, or covering more than :data:`MAX_CELLS` in all."""
    walk = MergeWalk()
    walk_sheet_xml(walk.start, walk.end, chunks, path, part, lambda: walk.cells > MAX_CELLS or over_limits(walk.rows, 1))
    check_extent(path, sheet, walk.rows, walk.cols)
    if walk.cells > MAX_CELLS:
        where = f"{path.name}: {sheet}" if sheet and sheet != path.name else path.name
        raise InputError([Problem(
            "merged_too_large",
            f"เซลล์ที่ผสานรวมกันในชีตครอบคลุมเกิน {MAX_CELLS:,} เซลล์: ยกเลิกการผสานเซลล์ที่ไม่ใช้",
            f"the sheet's merged cells cover more than {MAX_CELLS:,} cells: unmerge the unused ones",
            sheet=where)])
