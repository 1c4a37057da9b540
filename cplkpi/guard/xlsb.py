"""Excel binary workbooks (.xlsb): BIFF12 records, how far a sheet's cells reach, the sheet names."""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Iterator

from cplkpi.guard.limits import (
    CHUNK,
    over_limits,
)

# --- Excel binary workbook (.xlsb): BIFF12 records ------------------------------------------------------
#
# A sheet part is a stream of records (type and size as 7-bit varints). The reader sets the row from
# each BrtRowHdr (type 0) and takes the column of a cell with a value (types 2–10; 11 counted too) from
# its first four bytes, then builds the dense grid: 4-byte numbers reach billions of cells.

#: Cell records the extent counts (BrtCellRk … BrtFmlaError); blanks (1, 12) hold no value.
_XLSB_CELLS = frozenset(range(2, 12))


def _varint(buf: bytes | bytearray, pos: int, most: int) -> tuple[int, int] | None:
    """(value, next position) of a little-endian 7-bit varint of at most ``most`` bytes; None if cut."""
    value = 0
    for i in range(most):
        if pos + i >= len(buf):
            return None
        byte = buf[pos + i]
        value |= (byte & 0x7F) << (7 * i)
        if not byte & 0x80:
            return value, pos + i + 1
    return value, pos + most


def _xlsb_records(chunks: Iterator[bytes], wanted: frozenset[int],
                  whole: int = 4) -> Iterator[tuple[int, bytes]]:
    """(type, first ``whole`` bytes of the data) of every record of a ``wanted`` type, streamed: the rest
    of a record is skipped without being kept, so memory stays at one chunk whatever the sizes say."""
    buf, skip = bytearray(), 0
    for chunk in chunks:
        if skip >= len(chunk):
            skip -= len(chunk)
            continue
        buf += chunk[skip:]
        skip = pos = 0
        while True:
            typ = _varint(buf, pos, 2)
            size = None if typ is None else _varint(buf, typ[1], 4)
            if typ is None or size is None:
                break
            at, end = size[1], size[1] + size[0]
            if typ[0] in wanted:
                if len(buf) < at + min(size[0], whole):
                    break  # the first bytes are in the next chunk
                yield typ[0], bytes(buf[at:at + min(size[0], whole)])
            if end > len(buf):
                skip, pos = end - len(buf), len(buf)
                break
            pos = end
        del buf[:pos]


def xlsb_extent(chunks: Iterator[bytes]) -> tuple[int, int]:
    """(rows, columns) of the grid the reader builds from an .xlsb sheet part (1-based last row/column)."""
    row = rows = cols = 0
    for typ, head in _xlsb_records(chunks, _XLSB_CELLS | {0}):
        if len(head) < 4:
            continue  # a record too short to hold its position: the reader fails on it, cleanly
        number = int.from_bytes(head, "little")
        if typ == 0:
            row = number
        else:
            rows, cols = max(rows, row + 1), max(cols, number + 1)
            if over_limits(rows, cols):
                break
    return rows, cols


def xlsb_sheet_names(zf: zipfile.ZipFile, lower: dict[str, str]) -> dict[str, str]:
    """Relationship id → sheet name, from the BrtBundleSh records (type 156) of xl/workbook.bin."""
    out: dict[str, str] = {}
    if "xl/workbook.bin" not in lower:
        return out
    with zf.open(lower["xl/workbook.bin"]) as fh:
        chunks = iter(lambda: fh.read(CHUNK), b"")
        for _, data in _xlsb_records(chunks, frozenset({156}), whole=1024):
            rel, at = _wide(data, 8)
            name, _ = _wide(data, at)
            if rel is not None and name is not None:
                out[rel] = name
    return out


def _wide(data: bytes, at: int) -> tuple[str | None, int]:
    """An XLWideString (character count, then UTF-16) at ``at``, and the position after it."""
    if at + 4 > len(data):
        return None, at
    count = struct.unpack_from("<I", data, at)[0]
    if count == 0xFFFFFFFF or at + 4 + 2 * count > len(data):
        return None, at + 4
    return data[at + 4:at + 4 + 2 * count].decode("utf-16-le", "replace"), at + 4 + 2 * count
