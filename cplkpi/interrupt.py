"""What the program says on Ctrl-C, said once (by the entry point or by a running command)."""

from __future__ import annotations

import sys

__all__ = ["INTERRUPTED", "interrupted", "was_told"]

#: Printed on Ctrl-C (Thai, then English).
INTERRUPTED = ("ยกเลิกตามที่สั่ง (Ctrl-C): ไม่มีไฟล์ผลลัพธ์ที่เขียนค้างครึ่งทาง "
               "(interrupted by Ctrl-C; no output file was left half-written)")

_told = False


def interrupted() -> None:
    """Print :data:`INTERRUPTED` on stderr."""
    global _told
    _told = True
    print(INTERRUPTED, file=sys.stderr, flush=True)


def was_told() -> bool:
    """Whether :func:`interrupted` has already said it in this process."""
    return _told
