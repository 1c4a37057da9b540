"""The parts of a workbook package: which XML part holds each sheet."""

from __future__ import annotations

import posixpath
import zipfile
from xml.etree.ElementTree import Element

from defusedxml.ElementTree import fromstring

__all__ = ["sheet_parts"]

_REL_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def sheet_parts(zf: zipfile.ZipFile) -> dict[str, tuple[str, str]]:
    """Sheet name → (XML part in the zip, state ``visible``/``hidden``/``veryHidden``), in workbook order.

    Parsed with defusedxml: the workbook may be untrusted. Part names are matched in any case, as
    Excel and python-calamine do (a target ``WORKSHEETS/sheet1.xml`` is ``xl/worksheets/sheet1.xml``).
    """
    actual = {name.lower(): name for name in reversed(zf.namelist())}
    wb = fromstring(zf.read(actual.get("xl/workbook.xml", "xl/workbook.xml")))
    rels_name = actual.get("xl/_rels/workbook.xml.rels")
    rels: list[Element] = [] if rels_name is None else list(fromstring(zf.read(rels_name)))
    targets = {r.get("Id"): r.get("Target", "") for r in rels}
    out: dict[str, tuple[str, str]] = {}
    for s in wb.iter():
        if s.tag.rsplit("}", 1)[-1] != "sheet":
            continue
        target = targets.get(s.get(f"{{{_REL_NS}}}id"), "")
        part = target.lstrip("/") if target.startswith("/") else posixpath.normpath(f"xl/{target}")
        out[s.get("name", "")] = (actual.get(part.lower(), part), s.get("state", "visible"))
    return out
