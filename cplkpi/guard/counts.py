"""Declared counts: the shared-string and style counts a workbook declares, checked against what it holds."""

from __future__ import annotations

import posixpath
import re
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from pathlib import Path

from cplkpi.guard.limits import (
    MAX_CELLS,
    fail,
)
from cplkpi.guard.sheets import (
    walk_sheet_xml,
)

# --- declared counts: shared strings and styles ---------------------------------------------------------
#
# The values reader reserves memory for as many shared strings as xl/sharedStrings.xml declares
# (``uniqueCount``, ``count``) before reading one: a 1.8 KB file declaring 4,294,967,295 strings asked
# for 103 GB and aborted the process. Every count the workbook's string and style parts declare is
# therefore checked against what the part really holds, streamed, before any reader opens the file.

#: The parts whose declared counts a reader may size memory from (any folder, any case).
COUNTED_PART = re.compile(r"(?i)(?:^|/)(?:sharedstrings|styles)[^/]*\.xml$")
#: How far a declared count may exceed the entries the part holds (writers round; a stale count is harmless).
_COUNT_SLACK = 1000


class _CountWalk:
    """Each element declaring ``count``/``uniqueCount``, and how many child elements it really has."""

    def __init__(self) -> None:
        self.open: list[list] = []  # [local name, declared counts, children so far]
        self.found: list[tuple[str, dict[str, int], int]] = []

    def start(self, name: str, attrs: dict[str, str]) -> None:
        if self.open:
            self.open[-1][2] += 1
        declared = {k: _declared(v) for k, v in attrs.items() if k in ("count", "uniqueCount")}
        self.open.append([name.rpartition(":")[2], declared, 0])

    def end(self, name: str) -> None:
        local, declared, children = self.open.pop()
        if declared:
            self.found.append((local, declared, children))


def _declared(text: str) -> int:
    """A declared count as the reader parses it (digits, surrounding blanks allowed); 0 if unreadable."""
    text = text.strip()
    return int(text) if text.isdigit() else 0


def counted_targets(zf: zipfile.ZipFile, lower: dict[str, str]) -> set[str]:
    """Members the workbook relates as its shared strings or styles, whatever their names (resolved like
    sheet targets: ``/xl/…`` as it is, else under ``xl/``, ``..`` followed; any case)."""
    rels = lower.get("xl/_rels/workbook.xml.rels")
    if rels is None:
        return set()
    data = zf.read(rels)
    if b"<!" in data:
        return set()  # a DTD: refused with the sheet relationships (_sheet_members, defusedxml)
    out = set()
    for el in ET.fromstring(data).iter():
        if str(el.tag).endswith("Relationship") and el.get("Type", "").rpartition("/")[2] in (
                "sharedStrings", "styles"):
            target = el.get("Target", "")
            name = posixpath.normpath(target.lstrip("/") if target.startswith("/") else f"xl/{target}")
            if name.lower() in lower:
                out.add(lower[name.lower()])
    return out


def check_declared_counts(path: Path, chunks: Iterator[bytes], part: str, sheets: int) -> None:
    """Refuse a shared-strings or styles part declaring far more entries than it holds (a reader would
    reserve memory for all of them): ``uniqueCount`` or a style list's ``count`` more than
    :data:`_COUNT_SLACK` above its entries, or the string references ``count`` above :data:`MAX_CELLS`
    per sheet."""
    walk = _CountWalk()
    walk_sheet_xml(walk.start, walk.end, chunks, path, part, lambda: False)
    for local, declared, children in walk.found:
        for key, number in declared.items():
            most = MAX_CELLS * sheets if local == "sst" and key == "count" else children + _COUNT_SLACK
            if number > most:
                raise fail("declared_count_too_large",
                            f"ไฟล์ระบุจำนวนรายการใน {part} ({local} {key}=\"{number:,}\") เกินกว่าที่มีจริง "
                            f"({children:,} รายการ, ขีดจำกัด {most:,}) ปฏิเสธเพื่อความปลอดภัย: เปิดใน Excel แล้วบันทึกใหม่",
                            f"the file declares more entries in {part} ({local} {key}=\"{number:,}\") than it "
                            f"holds ({children:,}, limit {most:,}); refused for safety: open it in Excel and "
                            "save it again", path)
