"""Legacy Excel (.xls) and other OLE compound files: what kind of OLE file, how far a sheet's cells reach."""

from __future__ import annotations

import array
import struct
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from cplkpi.guard.limits import (
    CHUNK,
    OLE_MAGIC,
    check_extent,
    corrupt_error,
)


def ole_kind(path: Path) -> str:
    """``encrypted`` (an Office file protected by a password), ``xls`` or ``other`` for an OLE file."""
    encrypted, legacy = "EncryptedPackage".encode("utf-16-le"), "Workbook".encode("utf-16-le")
    found_xls = False
    with path.open("rb") as fh:
        tail = b""
        while chunk := fh.read(CHUNK):
            block = tail + chunk
            if encrypted in block:
                return "encrypted"
            found_xls = found_xls or legacy in block or "Book".encode("utf-16-le") + b"\x00\x00" in block
            tail = block[-64:]
    return "xls" if found_xls else "other"


# --- legacy Excel (.xls): BIFF8 records in an OLE compound file ------------------------------------------
#
# Cell records carry a 16-bit row and column (MULRK a range of columns): 4 billion cells. The
# DIMENSIONS record is not counted (the reader builds nothing from it, as for .xlsx). The compound file
# is read sector by sector through its allocation table, every chain bounded by the number of sectors in
# the file (a loop is damage, not an endless read).

_XLS_CELLS = {0x0203, 0x00FD, 0x0204, 0x027E, 0x0205, 0x0006, 0x00D6, 0x00BD}
_XLS_BOF, _XLS_EOF, _XLS_BOUNDSHEET = 0x0809, 0x000A, 0x0085


class _Cfb:
    """A minimal reader of an OLE compound file: streams by name, read through the FAT (or mini FAT)."""

    def __init__(self, fh: BinaryIO, size: int) -> None:
        self.fh = fh
        head = fh.read(512)
        if len(head) < 512 or not head.startswith(OLE_MAGIC):
            raise ValueError("not a compound file")
        self.sector = 1 << struct.unpack_from("<H", head, 0x1E)[0]
        self.mini = 1 << struct.unpack_from("<H", head, 0x20)[0]
        if self.sector not in (512, 4096) or self.mini != 64:
            raise ValueError("bad sector size")
        self.count = max(size // self.sector, 1)
        n_fat, first_dir = struct.unpack_from("<II", head, 0x2C)
        self.cutoff, first_mini_fat, _, first_difat, n_difat = struct.unpack_from("<IIIII", head, 0x38)
        difat = list(struct.unpack_from("<109I", head, 0x4C))
        per = self.sector // 4
        nxt = first_difat
        for _ in range(min(n_difat, self.count)):
            if nxt >= self.count:
                break
            entries = struct.unpack(f"<{per}I", self._read(nxt))
            difat += entries[:-1]
            nxt = entries[-1]
        fat_sectors = [s for s in difat[:n_fat] if s < self.count]
        if len(set(fat_sectors)) != len(fat_sectors):
            raise ValueError("a sector listed twice in the allocation table")
        self.fat = _numbers(b"".join(self._read(s) for s in fat_sectors))
        directory = b"".join(self._chain(first_dir))
        self.entries: dict[str, tuple[int, int]] = {}
        root: tuple[int, int] | None = None
        for off in range(0, len(directory) - 127, 128):
            entry = directory[off:off + 128]
            length = min(struct.unpack_from("<H", entry, 64)[0], 64)
            kind, start, stream_size = entry[66], *struct.unpack_from("<IQ", entry, 116)
            name = entry[:max(length - 2, 0)].decode("utf-16-le", "replace")
            if kind == 5:
                root = (start, stream_size)
            elif kind == 2:
                self.entries.setdefault(name, (start, stream_size))
        self.mini_fat = _numbers(b"".join(self._chain(first_mini_fat)))
        self.root = root

    def _read(self, sector: int) -> bytes:
        self.fh.seek((sector + 1) * self.sector)
        return self.fh.read(self.sector)

    def _chain(self, start: int) -> Iterator[bytes]:
        sector, seen = start, 0
        while sector < len(self.fat) and sector < self.count and seen <= self.count:
            yield self._read(sector)
            sector, seen = self.fat[sector], seen + 1

    def stream(self, name: str) -> Iterator[bytes] | None:
        """The stream's bytes in chunks (one sector, or the whole of a small stream), or None."""
        if name not in self.entries:
            return None
        start, size = self.entries[name]
        if size >= self.cutoff:
            return _cut(self._chain(start), size)
        if self.root is None:
            return None
        container = b"".join(_cut(self._chain(self.root[0]), self.root[1]))
        out, sector, seen = bytearray(), start, 0
        while sector < len(self.mini_fat) and len(out) < size and seen <= len(self.mini_fat):
            out += container[sector * 64:(sector + 1) * 64]
            sector, seen = self.mini_fat[sector], seen + 1
        return iter([bytes(out[:size])])


def _numbers(data: bytes) -> array.array:
    """Little-endian 32-bit sector numbers (4 bytes each, not a Python int each)."""
    out = array.array("I")
    out.frombytes(data[:len(data) // 4 * 4])
    if sys.byteorder == "big":
        out.byteswap()
    return out


def _cut(chunks: Iterator[bytes], size: int) -> Iterator[bytes]:
    left = size
    for chunk in chunks:
        if left <= 0:
            return
        yield chunk[:left]
        left -= len(chunk)


def _xls_records(chunks: Iterator[bytes]) -> Iterator[tuple[int, bytes]]:
    """(type, data) of every BIFF record of a workbook stream (records are at most 8,224 bytes)."""
    buf = bytearray()
    for chunk in chunks:
        buf += chunk
        pos = 0
        while pos + 4 <= len(buf):
            typ, size = struct.unpack_from("<HH", buf, pos)
            if pos + 4 + size > len(buf):
                break
            yield typ, bytes(buf[pos + 4:pos + 4 + size])
            pos += 4 + size
        del buf[:pos]


def check_xls(path: Path) -> None:
    """Refuse an .xls whose sheets' cells with a value reach beyond the limits."""
    with path.open("rb") as fh:
        try:
            cfb = _Cfb(fh, path.stat().st_size)
            stream = cfb.stream("Workbook") or cfb.stream("Book")
        except (ValueError, struct.error, OSError) as exc:
            raise corrupt_error(path, f"OLE: {exc}") from exc
        if stream is None:
            raise corrupt_error(path, "OLE: no Workbook stream")
        names: dict[int, str] = {}
        offset, sheet, rows, cols = 0, path.name, 0, 0
        for typ, data in _xls_records(stream):
            if typ == _XLS_BOUNDSHEET and len(data) >= 8:
                at = struct.unpack_from("<I", data)[0]
                count, wide = data[6], data[7] & 1
                raw = data[8:8 + count * (2 if wide else 1)]
                names[at] = raw.decode("utf-16-le" if wide else "cp1252", "replace")
            elif typ == _XLS_BOF:
                sheet, rows, cols = names.get(offset, path.name), 0, 0
            elif typ in _XLS_CELLS and len(data) >= 4:
                row, col = struct.unpack_from("<HH", data)
                if typ == 0x00BD and len(data) >= 6:  # MULRK: first column … last column at the end
                    col = struct.unpack_from("<H", data, len(data) - 2)[0]
                rows, cols = max(rows, row + 1), max(cols, col + 1)
            elif typ == _XLS_EOF:
                check_extent(path, sheet, rows, cols)
            offset += 4 + len(data)
        check_extent(path, sheet, rows, cols)
