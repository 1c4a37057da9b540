"""What a reader raises on a file the guard let through, said as one clear error naming the file."""

from __future__ import annotations

import contextlib
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path

from cplkpi.scoring.errors import InputError, Problem

#: Exception names of the readers' own kinds, matched by name so that no reader is imported here:
#: pyo3's ``PanicException`` (a Rust panic, a ``BaseException``), python-calamine's errors, defusedxml's.
_READER_ERRORS = ("PanicException", "CalamineError", "DefusedXmlException", "InvalidFileException")


def _reader_error(exc: BaseException) -> bool:
    """Whether ``exc`` is what a parser raises on a broken or hostile file (not KeyboardInterrupt, not
    SystemExit): the errors of malformed data, of sizes and indexes a file declares, and the readers' own."""
    kinds = {k.__name__ for k in type(exc).__mro__}
    if isinstance(exc, OSError) and exc.errno is None:
        return True  # python-calamine's OSError on broken content ("failed to fill whole buffer"): no system call failed
    return bool(kinds & set(_READER_ERRORS)) or isinstance(exc, (
        zipfile.BadZipFile, zlib.error, EOFError, LookupError, ValueError, TypeError, AttributeError,
        ArithmeticError, MemoryError, NotImplementedError, SyntaxError, struct.error))


@contextlib.contextmanager
def reading(path: str | Path) -> Iterator[None]:
    """Turn what a reader (openpyxl, python-calamine, zipfile, the XML parsers) raises on a file the guard
    let through into an :class:`InputError` naming the file: never a traceback. The one wrapper of every
    workbook load of every command.

    Wrap only the parser calls (opening a workbook, reading a sheet's rows), so that an error of our own
    code is not passed off as a corrupt file. XML refused
    by defusedxml (a DTD, entities) is said as unsafe XML.
    """
    path = Path(path)
    try:
        yield
    except InputError:
        raise
    except BaseException as exc:
        if not _reader_error(exc):
            raise
        cause: BaseException | None = exc
        while cause is not None and "DefusedXmlException" not in {k.__name__ for k in type(cause).__mro__}:
            cause = cause.__cause__ or cause.__context__
        if cause is not None or "entity" in str(exc).lower():
            raise InputError([Problem(
                "unsafe_xml", f"ไฟล์ {path.name} มี XML ที่ไม่ปลอดภัย (DTD/entity) ปฏิเสธเพื่อความปลอดภัย",
                f"{path.name} contains unsafe XML (DTD/entities); refused for safety", sheet=path.name)]) from exc
        text = str(exc).strip()
        detail = text.splitlines()[0][:200] if text else type(exc).__name__
        if isinstance(exc, MemoryError):
            detail = "ต้องใช้หน่วยความจำเกินกว่าที่มี (needs more memory than there is)"
        raise InputError([Problem(
            "unreadable", f"อ่านไฟล์ {path.name} ไม่ได้ ไฟล์อาจเสียหาย ({detail})",
            f"cannot read {path.name}, the file may be corrupt ({type(exc).__name__}: {detail})",
            sheet=path.name)]) from exc
