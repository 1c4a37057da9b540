"""Traffy Fondue and MIS/1555 states mapped onto the canonical status codes.

The canonical codes and their Thai labels live in
:data:`cplkpi.scoring.tables.STATUSES`; :func:`cplkpi.scoring.tables.canonical_status`
already reads those labels and the engine's aliases (``ส่งต่อ``,
``อยู่ระหว่างดำเนินการ``, …). This module adds the states that only the
exports write. A state that neither knows is kept verbatim in the ``status``
column and reported in the import summary, never dropped.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from cplkpi.scoring.tables import header_key, canonical_status

__all__ = ["EXTRA_STATES", "REOPEN_STATE", "state_code", "map_states", "strip_relative_age"]

#: States written by Traffy Fondue or MIS/1555 exports that the engine's aliases do not know.
EXTRA_STATES: dict[str, str] = {
    # Traffy Fondue web UI: the citizen reopened the ticket; it waits for the agency again.
    "เปิดเรื่องใหม่": "waiting",
    # MIS/1555 exports
    "รอการตอบรับ": "waiting",
    "รอตอบรับ": "waiting",
    "ตอบรับแล้ว": "acknowledged",
    "ได้รับเรื่องแล้ว": "acknowledged",
    "ส่งต่อหน่วยงานอื่น": "forwarded",
    "ส่งเรื่องต่อ": "forwarded",
    "ติดตามผล": "follow_up",
    "ยุติเรื่อง": "completed",
    "ปิดเรื่อง": "completed",
    "ปิดเรื่องแล้ว": "completed",
    "ดำเนินการเรียบร้อยแล้ว": "completed",
}
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

