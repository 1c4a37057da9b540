"""Output paths: checked before the work starts, never a source, names that fit, the user's umask.

Every command checks its outputs with :func:`check_output_file` or
:func:`check_output_folder` before it reads or computes anything: an output
that is (or would replace) one of its inputs, a file named where a folder is
expected or the reverse, a folder that cannot be written, or a name longer
than the file system allows is refused at once with a message naming the path,
Thai first with English in parentheses.

The inputs given to those checks are also remembered for the running command
(:func:`protected_inputs`), and every writer (:func:`cplkpi.xlsx.atomic_file`)
asks :func:`ensure_not_input` again just before it replaces a file: a name
generated later (``CPL_R003_2563-09.xlsx`` written into the folder that holds
the input of that name) is refused too, whatever the command.

Generated names are shortened by :func:`fit_name` to what a file system holds
(255 bytes of UTF-8 per name), keeping the extension and the B.E. month or
year at the end and adding a short hash when something was cut.
"""

from __future__ import annotations

import contextlib
import contextvars
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable, Iterator
from pathlib import Path

from cplkpi.scoring.errors import InputError, Problem

__all__ = [
    "NAME_BYTES",
    "OutputError",
    "check_output_file",
    "check_output_folder",
    "check_replaceable",
    "current_umask",
    "cut_utf8",
    "ensure_not_input",
    "file_mode",
    "fit_name",
    "protected_inputs",
    "same_file",
]

#: Longest file name (one path component) a Linux/Windows/macOS file system accepts, in UTF-8 bytes.
NAME_BYTES = 255
#: A B.E. month (``_2563-09``) or year (``_2563``) at the end of a generated name's stem: kept when cut.
_PERIOD_TAIL = re.compile(r"_\d{4}(?:-\d{2})?$")

#: The inputs of the running command (None outside a command): no writer may replace them.
_PROTECTED: contextvars.ContextVar[list[Path] | None] = contextvars.ContextVar("cplkpi_protected",
                                                                              default=None)


def current_umask() -> int:
    """The process's umask, read without changing it when the system says it (Linux ``/proc``)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)  # elsewhere: the classic read-and-restore
    os.umask(mask)
    return mask


def file_mode() -> int:
    """The permission bits a new file gets from any ordinary program: ``0o666`` less the umask."""
    return 0o666 & ~current_umask()


def cut_utf8(text: str, limit: int) -> str:
    """``text`` cut to at most ``limit`` UTF-8 bytes, never inside a character."""
    return text.encode("utf-8")[:max(limit, 0)].decode("utf-8", "ignore")


def fit_name(name: str, limit: int = NAME_BYTES) -> str:
    """A file name of at most ``limit`` UTF-8 bytes: ``name`` itself when it fits, else its stem cut,
    a ``~`` and 8 hex digits of its hash, then the B.E. month or year it ended with and its extension.

    ``fit_name("สุ่มตรวจ_" + "ก" * 100 + "_2563.xlsx")`` keeps ``_2563.xlsx``; two long names that differ
    only after the cut get different hashes.
    """
    if len(name.encode("utf-8")) <= limit:
        return name
    suffix = Path(name).suffix if len(Path(name).suffix) <= 10 else ""
    stem = name[: len(name) - len(suffix)] if suffix else name
    match = _PERIOD_TAIL.search(stem)
    tail = match.group(0) if match else ""
    head = stem[: len(stem) - len(tail)]
    mark = "~" + hashlib.sha256(name.encode("utf-8")).hexdigest()[:8]
    room = limit - len((mark + tail + suffix).encode("utf-8"))
    return cut_utf8(head, room).rstrip(" .") + mark + tail + suffix


def same_file(a: str | os.PathLike[str], b: str | os.PathLike[str]) -> bool:
    """Whether two paths name the same file: the same resolved path, or the same device and inode
    (a hard link, a symbolic link, another spelling of the path)."""
    try:
        return Path(a).resolve() == Path(b).resolve() or os.path.samefile(a, b)
    except (OSError, RuntimeError):  # missing, unreadable or a link loop: not the same file
        return False


@contextlib.contextmanager
def protected_inputs() -> Iterator[list[Path]]:
    """A scope (one command) whose inputs, given to the output checks, no writer may replace."""
    token = _PROTECTED.set([])
    try:
        yield _PROTECTED.get()  # type: ignore[misc]
    finally:
        _PROTECTED.reset(token)


def _protect(inputs: Iterable[str | os.PathLike[str] | None]) -> None:
    protected = _PROTECTED.get()
    if protected is not None:
        protected.extend(Path(p) for p in inputs if p is not None)


class OutputError(InputError):
    """An output that cannot or must not be written; its one :class:`Problem` names the path."""


def _problem(code: str, th: str, en: str, path: Path) -> OutputError:
    return OutputError([Problem(code, th, en, sheet=str(path))])


def ensure_not_input(output: str | os.PathLike[str], *inputs: str | os.PathLike[str] | None) -> Path:
    """Refuse to write ``output`` when it is (or links to) one of ``inputs`` or one of the inputs of the
    running command (:func:`protected_inputs`): never overwrite a source."""
    output = Path(output)
    for src in [*inputs, *(_PROTECTED.get() or [])]:
        if src is not None and same_file(output, src):
            raise OutputError([Problem(
                "output_is_input", f"ไฟล์ผลลัพธ์ {output.name} เป็นไฟล์ต้นฉบับ: cplkpi ไม่เขียนทับไฟล์ต้นฉบับ "
                "ให้ระบุชื่อไฟล์ผลลัพธ์อื่น", f"the output {output.name} is an input file: cplkpi never "
                "overwrites a source; give another output name", sheet=output.name)])
    return output


def check_replaceable(output: str | os.PathLike[str]) -> Path:
    """What every writer asks just before it replaces ``output``: not an input of the running command
    (:func:`ensure_not_input`), and not something other than a regular file (a device such as
    ``/dev/null``, a pipe), which an atomic rename would replace."""
    output = ensure_not_input(output)
    if output.exists() and not output.is_file() and not output.is_dir():
        raise _problem("output_not_regular_file",
                       "มีสิ่งที่ไม่ใช่ไฟล์ธรรมดาอยู่ที่นี่แล้ว (อุปกรณ์หรือช่องสื่อสาร): ระบุชื่อไฟล์ผลลัพธ์อื่น",
                       "something that is not a regular file (a device or a pipe) is already there: give another "
                       "output name", output)
    return output


def _check_path(path: Path) -> None:
    """The name fits the file system, and the path does not go round a loop of symbolic links."""
    for part in path.parts:
        if len(part.encode("utf-8")) > NAME_BYTES:
            size = len(part.encode("utf-8"))
            raise _problem(
                "output_name_too_long",
                f"ชื่อยาว {size:,} ไบต์ (UTF-8) เกินที่ระบบไฟล์รับได้ {NAME_BYTES} ไบต์: ใช้ชื่อที่สั้นลง",
                f"the name is {size:,} bytes long (UTF-8), more than the {NAME_BYTES} bytes a file system "
                "holds: use a shorter name", path)
    try:
        path.resolve()
    except (RuntimeError, OSError) as exc:
        raise _problem("output_link_loop", "ที่อยู่นี้มีลิงก์ (symbolic link) ที่วนกลับมาที่เดิม: ใช้ที่อยู่อื่น",
                       f"the path goes round a loop of symbolic links: use another path ({exc})", path) from exc


def _check_writable_folder(folder: Path, output: Path) -> None:
    """``folder`` (or, when it does not exist yet, its nearest existing parent) is a folder we may write."""
    existing = folder
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    if not existing.is_dir():
        raise _problem("output_parent_not_folder",
                       f"เขียนไม่ได้เพราะ {existing} เป็นไฟล์ ไม่ใช่โฟลเดอร์",
                       f"cannot be written: {existing} is a file, not a folder", output)
    if not os.access(existing, os.W_OK | os.X_OK):
        raise _problem("output_not_writable",
                       f"ไม่มีสิทธิ์เขียนในโฟลเดอร์ {existing}: เลือกโฟลเดอร์อื่น หรือขอสิทธิ์เขียน",
                       f"no permission to write in the folder {existing}: choose another folder or ask for "
                       "write access", output)
    if existing == folder:  # permissions may say yes where the file system says no (/proc, read-only mounts)
        try:
            fd, probe = tempfile.mkstemp(dir=folder, prefix=".cplkpi-", suffix=".tmp")
        except OSError as exc:
            why = exc.strerror or type(exc).__name__
            raise _problem("output_not_writable",
                           f"สร้างไฟล์ในโฟลเดอร์ {folder} ไม่ได้ ({why}): เลือกโฟลเดอร์อื่น",
                           f"cannot create a file in the folder {folder} ({why}): choose another folder",
                           output) from exc
        os.close(fd)
        os.unlink(probe)


def check_output_file(output: str | os.PathLike[str], *inputs: str | os.PathLike[str] | None,
                      suffixes: Iterable[str] = ()) -> Path:
    """Check, before any work, that ``output`` can be written as a file, replaces none of ``inputs`` and,
    when ``suffixes`` are given (``(".xlsx", ".csv")``), ends with one of them.

    Raises :class:`OutputError` (code ``output_is_input``, ``output_is_folder``, ``output_suffix``,
    ``output_name_too_long``, ``output_parent_not_folder`` or ``output_not_writable``).
    """
    output = Path(output)
    _protect(inputs)
    _check_path(output)
    ensure_not_input(output, *inputs)
    if output.is_dir():
        raise _problem("output_is_folder",
                       f"เป็นโฟลเดอร์ ไม่ใช่ไฟล์: ระบุชื่อไฟล์ผลลัพธ์ เช่น {output / 'ผลลัพธ์.xlsx'}",
                       f"this is a folder, not a file: give the output file's name, e.g. "
                       f"{output / 'ผลลัพธ์.xlsx'}", output)
    check_replaceable(output)
    kinds = [s.lower() for s in suffixes]
    if kinds and output.suffix.lower() not in kinds:
        example = output.with_name(output.stem + kinds[0]).name
        raise _problem("output_suffix", f"ไฟล์ผลลัพธ์ต้องเป็น {' หรือ '.join(kinds)} เช่น {example}",
                       f"the output must be a {' or '.join(kinds)} file, e.g. {example}", output)
    _check_writable_folder(output.parent, output)
    return output


def check_output_folder(folder: str | os.PathLike[str], *inputs: str | os.PathLike[str] | None,
                        names: Iterable[str] = ()) -> Path:
    """Check, before any work, that ``folder`` can hold the outputs and that none of the ``names`` to be
    written into it is one of ``inputs`` (an input inside that folder under a generated name).

    Raises :class:`OutputError` (code ``output_not_folder`` when ``folder`` is a file, or one of those of
    :func:`check_output_file`).
    """
    folder = Path(folder)
    _protect(inputs)
    if folder.exists() and not folder.is_dir():
        raise _problem("output_not_folder",
                       f"เป็นไฟล์ ไม่ใช่โฟลเดอร์: ระบุโฟลเดอร์ผลลัพธ์ เช่น {folder.parent / 'reports'}",
                       "this is a file, not a folder: give an output folder, e.g. "
                       f"{folder.parent / 'reports'}", folder)
    _check_path(folder)
    ensure_not_input(folder, *inputs)
    for name in names:
        ensure_not_input(folder / name, *inputs)
    _check_writable_folder(folder, folder)
    return folder
