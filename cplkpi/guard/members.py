"""Zip members inflated from their raw data, measured as they inflate: zip bombs and damage found."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterator
from typing import BinaryIO

from cplkpi.guard.limits import (
    CHUNK,
)


class Lying(Exception):
    """A member inflates far beyond the size its headers declare."""


def member_chunks(fh: BinaryIO, info: zipfile.ZipInfo) -> Iterator[bytes]:
    """The real content of a zip member, inflated from its raw data in chunks.

    Unlike a zip reader, which stops at the declared size, this counts what the
    data really holds: far more than declared is a zip bomb (:class:`Lying`);
    a different size or CRC is damage (:class:`zipfile.BadZipFile`).
    """
    fh.seek(info.header_offset)
    local = fh.read(30)
    if len(local) < 30 or local[:4] != b"PK\x03\x04":
        raise zipfile.BadZipFile(f"bad local header of {info.filename}")
    name_len, extra_len = struct.unpack("<HH", local[26:30])
    fh.seek(info.header_offset + 30 + name_len + extra_len)
    if info.compress_type == zipfile.ZIP_DEFLATED:
        inflate = zlib.decompressobj(-15)
    elif info.compress_type != zipfile.ZIP_STORED:
        raise NotImplementedError(f"compression method {info.compress_type} of {info.filename}")
    bomb_at = max(2 * info.file_size, info.file_size + CHUNK)
    left, out, crc = info.compress_size, 0, 0
    while left > 0:
        raw = fh.read(min(CHUNK, left))
        if not raw:
            raise zipfile.BadZipFile(f"{info.filename} is truncated")
        left -= len(raw)
        piece = raw if info.compress_type == zipfile.ZIP_STORED else inflate.decompress(raw, CHUNK)
        while True:
            out += len(piece)
            if out > bomb_at:
                raise Lying(info.filename)
            crc = zlib.crc32(piece, crc)
            yield piece
            if info.compress_type == zipfile.ZIP_STORED or not inflate.unconsumed_tail:
                break
            piece = inflate.decompress(inflate.unconsumed_tail, CHUNK)
    if info.compress_type == zipfile.ZIP_DEFLATED and (rest := inflate.flush()):
        out += len(rest)
        if out > bomb_at:
            raise Lying(info.filename)
        crc = zlib.crc32(rest, crc)
        yield rest
    if out != info.file_size or crc != info.CRC:
        raise zipfile.BadZipFile(f"Bad CRC-32 or size for {info.filename}")
