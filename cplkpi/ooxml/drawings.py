"""What is drawn over a sheet: shapes, text boxes, pictures, charts (with where each series takes its
values) of its drawing parts, and the shapes of its legacy VML drawings other than comment notes.

Read straight from the workbook's parts through defusedxml (the file is untrusted); openpyxl drops
most of it on load. The audit compares it with the template's (a chart or text box the template does
not have can hide or restate a figure).
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass
from typing import Any

from defusedxml.ElementTree import fromstring

from cplkpi.scoring.errors import column_letter

from .look import attr_number

__all__ = ["Drawn", "chart_ref", "sheet_drawings"]


@dataclass(frozen=True)
class Drawn:
    """One thing drawn over a sheet: its kind (``chart``, ``shape``, ``picture``, ``group``, ``connector``,
    ``vml``…), the cell its top-left corner is on, the text it shows and, for a chart, where each series
    takes its values (:func:`chart_ref`; ``literal`` for numbers written into the chart)."""

    kind: str
    cell: str | None
    text: str = ""
    sources: tuple[str, ...] = ()


_DRAWN = {"sp": "shape", "grpSp": "group", "pic": "picture", "graphicFrame": "chart", "cxnSp": "connector",
          "contentPart": "ink"}


def chart_ref(formula: str) -> str:
    """A chart series reference as compared: without ``$``, quotes, a leading ``=``, case folded."""
    return re.sub(r"[$']", "", formula).lstrip("=").strip().casefold()


def _related(zf: zipfile.ZipFile, part: str) -> dict[str, tuple[str, str]]:
    """Relationship id → (relationship type's last word, target part) of zip part ``part``."""
    folder, name = posixpath.split(part)
    rels = posixpath.join(folder, "_rels", f"{name}.rels")
    if rels not in zf.namelist():
        return {}
    out: dict[str, tuple[str, str]] = {}
    for r in fromstring(zf.read(rels)):
        target = r.get("Target", "")
        if r.get("TargetMode") == "External":
            continue
        full = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
        out[r.get("Id", "")] = (r.get("Type", "").rsplit("/", 1)[-1], full)
    return out


def _chart_sources(zf: zipfile.ZipFile, part: str) -> tuple[str, ...]:
    """Where each series of a chart part takes its name, categories and values (:func:`chart_ref`)."""
    if part not in zf.namelist():
        return ("literal",)
    out: list[str] = []
    for ser in fromstring(zf.read(part)).iter():
        if ser.tag.rsplit("}", 1)[-1] != "ser":
            continue
        for child in ser:
            if child.tag.rsplit("}", 1)[-1] not in ("tx", "cat", "val", "xVal", "yVal", "bubbleSize"):
                continue
            refs = [f.text or "" for f in child.iter() if f.tag.rsplit("}", 1)[-1] == "f"]
            out += [chart_ref(f) for f in refs] or ["literal"]
    return tuple(out)


def _unwrapped(parent: Any) -> list[Any]:
    """The children of an XML element, those inside ``mc:AlternateContent`` taken from its first branch
    (``mc:Choice``, as Excel reads it) as if they stood there."""
    out: list[Any] = []
    for el in parent:
        if el.tag.rsplit("}", 1)[-1] == "AlternateContent":
            branch = next(iter(el), None)
            out += _unwrapped(branch) if branch is not None else []
        else:
            out.append(el)
    return out


def sheet_drawings(zf: zipfile.ZipFile, part: str) -> tuple[Drawn, ...]:
    """Everything drawn over sheet part ``part``: shapes, text boxes, pictures and charts of its drawing
    parts (with each chart's series sources), and the shapes of its legacy (VML) drawings other than
    comment notes."""
    out: list[Drawn] = []
    for kind, target in _related(zf, part).values():
        if target not in zf.namelist():
            continue
        if kind == "drawing":
            links = _related(zf, target)
            for anchor in _unwrapped(fromstring(zf.read(target))):
                if not anchor.tag.endswith("Anchor"):
                    continue
                cell = None
                for el in anchor:
                    if el.tag.rsplit("}", 1)[-1] == "from":
                        pos = {c.tag.rsplit("}", 1)[-1]: c.text for c in el}
                        cell = f"{column_letter(int(attr_number(pos.get('col'), 0)) + 1)}{int(attr_number(pos.get('row'), 0)) + 1}"
                for el in _unwrapped(anchor):
                    what = _DRAWN.get(el.tag.rsplit("}", 1)[-1])
                    if what is None:
                        continue
                    text = " ".join(t.text or "" for t in el.iter() if t.tag.rsplit("}", 1)[-1] == "t").strip()
                    rids = [v for t in el.iter() for k, v in t.attrib.items() if k.rsplit("}", 1)[-1] == "id"
                            and v in links and links[v][0] == "chart"]
                    sources = tuple(x for rid in rids for x in _chart_sources(zf, links[rid][1]))
                    out.append(Drawn("chart" if rids else ("shape" if what == "chart" else what), cell, text,
                                     sources))
        elif kind == "vmlDrawing":
            text = zf.read(target).decode("utf-8", "replace")
            for shape in re.findall(r"<v:shape\b.*?</v:shape>", text, re.S):
                if not re.search(r'ObjectType="Note"', shape):
                    words = re.sub(r"<[^>]+>", " ", shape)
                    out.append(Drawn("vml", None, re.sub(r"\s+", " ", words).strip()))
    return tuple(out)
