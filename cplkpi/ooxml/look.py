"""What a sheet part says about how it looks: hidden or too small rows and columns, row heights and
column widths, merged and conditionally formatted ranges, page headers and footers.

Read straight from the sheet XML (openpyxl's read-only mode drops these), streamed and cleared cell by
cell so a large sheet costs no memory; through defusedxml (the file is untrusted).
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping
from dataclasses import dataclass, field

from defusedxml.ElementTree import iterparse
from openpyxl.worksheet.header_footer import HeaderFooterItem

from cplkpi.scoring.errors import column_letter

__all__ = [
    "HEADER_FOOTER_TAGS",
    "Sizes",
    "attr_number",
    "header_footer_parts",
    "header_footers",
    "hidden_parts",
    "sizes",
]

_TRUE = ("1", "true")


@dataclass(frozen=True)
class Sizes:
    """A sheet's row heights (points) and column widths (characters): those the file sets, and its defaults."""

    heights: Mapping[int, float] = field(default_factory=dict)
    widths: Mapping[int, float] = field(default_factory=dict)
    default_height: float = 15.0
    default_width: float = 8.43

    def height(self, row: int) -> float:
        """The height row ``row`` shows with."""
        return self.heights.get(row, self.default_height)

    def width(self, col: int) -> float:
        """The width column ``col`` (1 = A) shows with."""
        return self.widths.get(col, self.default_width)


def attr_number(text: str | None, default: float) -> float:
    """An XML attribute as a number (``default`` when absent or not a number)."""
    try:
        return float(text) if text is not None else default
    except ValueError:
        return default


def hidden_parts(zf: zipfile.ZipFile, part: str) -> tuple[frozenset[int], frozenset[str], frozenset[str],
                                                            frozenset[str]]:
    """Rows and columns a sheet part hides (``hidden``, or a height/width too small to see), its merges and
    its conditionally formatted ranges."""
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
                r = int(attr_number(el.get("r"), 0))
                listed.add(r)
                if el.get("hidden", "").lower() in _TRUE or attr_number(el.get("ht"), 1) < 1:
                    rows.add(r)
                el.clear()
            elif tag == "sheetFormatPr":
                zero_height = el.get("zeroHeight", "").lower() in _TRUE
            elif tag == "col":
                if el.get("hidden", "").lower() in _TRUE or attr_number(el.get("width"), 1) < 0.5:
                    first, last = int(attr_number(el.get("min"), 1)), int(attr_number(el.get("max"), 1))
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


def sizes(zf: zipfile.ZipFile, part: str) -> Sizes:
    """The row heights and column widths a sheet part sets (:class:`Sizes`)."""
    heights: dict[int, float] = {}
    widths: dict[int, float] = {}
    default_height, default_width = 15.0, None
    base = 8.0
    with zf.open(part) as fh:
        for _, el in iterparse(fh, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag == "row":
                if el.get("ht") is not None:
                    heights[int(attr_number(el.get("r"), 0))] = attr_number(el.get("ht"), 15.0)
                el.clear()
            elif tag == "sheetFormatPr":
                default_height = attr_number(el.get("defaultRowHeight"), 15.0)
                base = attr_number(el.get("baseColWidth"), 8.0)
                default_width = attr_number(el.get("defaultColWidth"), 0.0) or None
            elif tag == "col" and el.get("width") is not None:
                first, last = int(attr_number(el.get("min"), 1)), int(attr_number(el.get("max"), 1))
                widths.update(dict.fromkeys(range(max(first, 1), min(last, 16384) + 1), attr_number(el.get("width"), 8.43)))
            elif tag == "c":
                el.clear()
    return Sizes(heights, widths, default_height, default_width if default_width is not None else base + 0.43)


HEADER_FOOTER_TAGS = ("oddHeader", "oddFooter", "evenHeader", "evenFooter", "firstHeader", "firstFooter")


def header_footer_parts(item: HeaderFooterItem | None, tag: str) -> set[tuple[str, str, str]]:
    """(``tag``, part, text) of each part with text of an openpyxl header or footer item."""
    out = set()
    for part in ("left", "center", "right"):
        text = getattr(getattr(item, part, None), "text", None)
        if text and text.strip():
            out.add((tag, part, " ".join(text.split())))
    return out


def header_footers(zf: zipfile.ZipFile, part: str) -> frozenset[tuple[str, str, str]]:
    """The page headers and footers a sheet part prints (:func:`header_footer_parts` of each)."""
    out: set[tuple[str, str, str]] = set()
    with zf.open(part) as fh:
        for _, el in iterparse(fh, events=("end",)):
            tag = el.tag.rsplit("}", 1)[-1]
            if tag in HEADER_FOOTER_TAGS:
                out |= header_footer_parts(HeaderFooterItem.from_tree(el), tag)
            elif tag in ("row", "c"):
                el.clear()
    return frozenset(out)
