"""Traffy Fondue and MIS/1555 states mapped onto the canonical status codes.

The canonical codes and their Thai labels live in
:data:`cplkpi.scoring.tables.STATUSES`; :func:`cplkpi.scoring.tables.canonical_status`
already reads those labels and the engine's aliases (``ส่งต่อ``,
``อยู่ระหว่างดำเนินการ``, …). This module adds the states that only the
exports write, read from the data file ``importers/data/traffy_states.csv`` (one row per state
with its source) and, when given, the staff's own file of the same form kept outside the package
(``cplkpi import --states FILE``, :func:`staff_states`): its rows add to and win over the shipped
ones. A state that none of them knows is kept verbatim in the ``status`` column and reported in the
import summary, never dropped.

The files are read when a state is first mapped (an import), never when the package is imported: a
typo in a file stops only the import, with the file and line named (:class:`StatesFileError`).
"""

from __future__ import annotations

import contextlib
import csv
import functools
import math
from collections.abc import Iterator
from contextvars import ContextVar
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from cplkpi.scoring.errors import CplError
from cplkpi.scoring.tables import STATUSES, canonical_status, header_key

__all__ = [
    "REOPEN_STATE",
    "STATES_FILE",
    "StatesFileError",
    "extra_states",
    "load_extra_states",
    "map_states",
    "staff_states",
    "state_code",
    "strip_relative_age",
]

#: The data file of source states the engine's aliases do not know (``state,status,source``; ``#`` comments).
STATES_FILE = resources.files(__package__).joinpath("data/traffy_states.csv")


class StatesFileError(CplError, ValueError):
    """A states file has a row without a state or with a status code cplkpi does not define."""


def load_extra_states(text: str | None = None, name: str = "traffy_states.csv") -> dict[str, str]:
    """Source state → canonical status code from ``importers/data/traffy_states.csv`` (or ``text`` in that
    form, read from the file ``name``).

    Raises :class:`StatesFileError` naming the file and line when a row has no state or a status code that
    :data:`cplkpi.scoring.tables.STATUSES` does not define (staff extend the file by hand).
    """
    text = STATES_FILE.read_text("utf-8-sig") if text is None else text
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.startswith("#")]
    out: dict[str, str] = {}
    for (n, _), row in zip(lines[1:], csv.reader(line for _, line in lines[1:])):
        state, status = [*row, "", ""][:2]
        if not state.strip() or status.strip() not in STATUSES:
            raise StatesFileError(
                f"ไฟล์สถานะ {name} บรรทัด {n}: ต้องมีสถานะต้นทางและรหัสสถานะหนึ่งใน {', '.join(STATUSES)} "
                f"แต่พบ {','.join(row)} (states file {name} line {n}: a state and a known status code are "
                f"needed, found {row!r})")
        out[state.strip()] = status.strip()
    return out


@functools.cache
def _shipped() -> dict[str, str]:
    return load_extra_states(None, str(STATES_FILE))


@functools.cache
def _shipped_keys() -> dict[str, str]:
    return {header_key(k): v for k, v in _shipped().items()}


#: The states of the import under way when the staff gave their own file (:func:`staff_states`):
#: (state → code, header key → code); None: the shipped file's only.
_STAFF: ContextVar[tuple[dict[str, str], dict[str, str]] | None] = ContextVar("cplkpi_staff_states", default=None)


def extra_states() -> dict[str, str]:
    """States written by Traffy Fondue or MIS/1555 exports that the engine's aliases do not know: the shipped
    file's, with the staff's file of the import under way (:func:`staff_states`) added."""
    staff = _STAFF.get()
    return dict(_shipped()) if staff is None else dict(staff[0])


@contextlib.contextmanager
def staff_states(path: str | Path | None) -> Iterator[None]:
    """Within the block, states are also mapped by the staff's own file ``path`` (the form of
    ``traffy_states.csv``; its rows win over the shipped ones). ``None``: the shipped file only.
    The file is checked on entering (:class:`StatesFileError` naming the line)."""
    staff = None
    if path is not None:
        states = {**_shipped(), **load_extra_states(Path(path).read_text("utf-8-sig"), str(path))}
        staff = (states, {header_key(k): v for k, v in states.items()})
    token = _STAFF.set(staff)
    try:
        yield
    finally:
        _STAFF.reset(token)


def __getattr__(name: str) -> dict[str, str]:
    """``EXTRA_STATES``: the shipped file's states, read on first use (never at import time)."""
    if name == "EXTRA_STATES":
        return _shipped()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


#: The state that means "the complainant reopened the ticket" (the event date restarts the clock).
REOPEN_STATE = "เปิดเรื่องใหม่"


def state_code(value: object) -> str | None:
    """Canonical status code of one state text (engine aliases first), or None when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    staff = _STAFF.get()
    return canonical_status(value) or (_shipped_keys() if staff is None else staff[1]).get(header_key(value))


def map_states(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Map state texts to canonical codes, once per distinct text.

    Returns ``(status, unknown)``: ``status`` holds the canonical code, or the
    original text (stripped) when the state is unknown; ``unknown`` is True
    where a non-empty state could not be mapped.
    """
    codes, uniques = pd.factorize(values.astype("string"))
    text = [u.strip() or None for u in uniques]
    mapped = [state_code(t) if t else None for t in text]
    status = pd.array([m or t for m, t in zip(mapped, text)], dtype="string").take(codes, allow_fill=True)
    unknown = np.array([bool(t) and m is None for m, t in zip(mapped, text)] + [False], dtype=bool)[codes]
    return pd.Series(status, index=values.index), pd.Series(unknown, index=values.index)


_AGE = r"\s*(?:\d+\s*(?:วินาที|นาที|ชั่วโมง|ชม\.?|วัน|สัปดาห์|เดือน|ปี)\s*ที่แล้ว|เมื่อสักครู่)\s*$"


def strip_relative_age(values: pd.Series) -> pd.Series:
    """``รอรับเรื่อง 3 นาทีที่แล้ว`` → ``รอรับเรื่อง`` (the web UI appends the age of the ticket)."""
    return values.astype("string").str.replace(_AGE, "", regex=True).str.strip()

