"""Traffy Fondue and MIS/1555 states mapped onto the canonical status codes.

The canonical codes and their Thai labels live in
:data:`cplkpi.scoring.tables.STATUSES`; :func:`cplkpi.scoring.tables.canonical_status`
already reads those labels and the engine's aliases (``ส่งต่อ``,
``อยู่ระหว่างดำเนินการ``, …). This module adds the states that only the
exports write, read from the data file ``importers/data/traffy_states.csv`` that staff
can extend (one row per state with its source). A state that none of them knows is kept
verbatim in the ``status`` column and reported in the import summary, never dropped.
"""

from __future__ import annotations

import csv
import math
from importlib import resources

import numpy as np
import pandas as pd

from cplkpi.scoring.tables import STATUSES, canonical_status, header_key

__all__ = ["EXTRA_STATES", "STATES_FILE", "load_extra_states", "REOPEN_STATE", "state_code", "map_states",
           "strip_relative_age"]

#: The data file of source states the engine's aliases do not know (``state,status,source``; ``#`` comments).
STATES_FILE = resources.files(__package__).joinpath("data/traffy_states.csv")


def load_extra_states(text: str | None = None) -> dict[str, str]:
    """Source state → canonical status code from ``importers/data/traffy_states.csv`` (or ``text`` in that form).

    Raises ValueError naming the line when a row has no state or a status code that
    :data:`cplkpi.scoring.tables.STATUSES` does not define (staff extend the file by hand).
    """
    text = STATES_FILE.read_text("utf-8-sig") if text is None else text
    lines = [(n, line) for n, line in enumerate(text.splitlines(), 1)
             if line.strip() and not line.startswith("#")]
    out: dict[str, str] = {}
    for (n, _), row in zip(lines[1:], csv.reader(line for _, line in lines[1:])):
        state, status = (row + ["", ""])[:2]
        if not state.strip() or status.strip() not in STATUSES:
            raise ValueError(f"traffy_states.csv บรรทัด {n}: ต้องมีสถานะต้นทางและรหัสสถานะหนึ่งใน "
                             f"{', '.join(STATUSES)} (line {n}: a state and a known status code are needed): {row!r}")
        out[state.strip()] = status.strip()
    return out


#: States written by Traffy Fondue or MIS/1555 exports that the engine's aliases do not know.
EXTRA_STATES: dict[str, str] = load_extra_states()
_EXTRA = {header_key(k): v for k, v in EXTRA_STATES.items()}

#: The state that means "the complainant reopened the ticket" (the event date restarts the clock).
REOPEN_STATE = "เปิดเรื่องใหม่"


def state_code(value: object) -> str | None:
    """Canonical status code of one state text (engine aliases first), or None when unknown."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    return canonical_status(value) or _EXTRA.get(header_key(value))


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

