"""Conversion of date-like values to ``datetime64[D]`` arrays and back.

The engine computes on ``datetime64[D]`` numpy arrays (missing = NaT). This
module turns what callers hand in (a scalar date, a numpy array, a pandas
Series, timezone-aware timestamps) into such an array, and gives the result
back in the caller's shape and type: scalar in, scalar out; Series in, Series
out with the same index.

Timezone-aware values are converted to Asia/Bangkok before the date is taken
(docs/decisions.md 25): Traffy timestamps are UTC, and 2023-05-11 20:00 UTC is 12 May in
Bangkok.

Bangkok time is the fixed offset UTC+7 (:data:`BANGKOK`), not the IANA zone
``Asia/Bangkok``: Thailand has kept UTC+7 without daylight saving since
1 April 1920, so the two agree on every instant from then on (a property test
checks it against the time-zone database where there is one), and a fixed
offset needs no time-zone database. Pyodide (xlwings Lite) has none, and
``ZoneInfo("Asia/Bangkok")`` at import time made ``import cplkpi.udfs`` fail
there.
"""

from __future__ import annotations

import datetime as _dt
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from .errors import ArgumentError

__all__ = ["BANGKOK", "EPOCH_ORDINAL", "NAT", "as_day_array", "as_days", "date_of", "to_date"]

#: Bangkok time: UTC+7 without daylight saving, exact since 1 April 1920 (see the module docstring).
BANGKOK = _dt.timezone(_dt.timedelta(hours=7), "Asia/Bangkok")
NAT = np.datetime64("NaT", "D")
#: ``date.toordinal()`` of 1970-01-01, to convert between ordinals and epoch days.
EPOCH_ORDINAL = _dt.date(1970, 1, 1).toordinal()


def date_of(value: Any) -> _dt.date:
    """:func:`to_date` of a value that must be a date (the caller has one): an :class:`ArgumentError`
    when it is missing, rather than a ``None`` that fails further on."""
    day = to_date(value)
    if day is None:
        raise ArgumentError(f"ต้องเป็นวันที่ (expected a date), got {value!r}")
    return day


def to_date(value: Any) -> _dt.date | None:
    """One date-like value as a ``datetime.date`` in Bangkok (None for missing)."""
    if value is None or value is pd.NaT:
        return None
    if isinstance(value, pd.Timestamp):
        if value is pd.NaT:
            return None
        if value.tzinfo is not None:
            value = value.tz_convert(BANGKOK)
        return value.date()
    if isinstance(value, _dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(BANGKOK)
        return value.date()
    if isinstance(value, _dt.date):
        return value
    if isinstance(value, np.datetime64):
        if np.isnat(value):
            return None
        return _dt.date.fromordinal(int(value.astype("datetime64[D]").astype(np.int64)) + EPOCH_ORDINAL)
    if isinstance(value, str):
        return _iso_date(value.strip())
    if value is pd.NaT or (isinstance(value, float) and np.isnan(value)):
        return None
    raise TypeError(
        f"ต้องเป็นวันที่ (expected a date), got {type(value).__name__}: {value!r}; "
        "use cplkpi.scoring.parse_dates for text and Excel serial numbers"
    )


def _iso_date(text: str) -> _dt.date:
    """The Bangkok date of ISO text (``2019-10-01``, ``2023-05-11T20:00:00+00:00``); a year of 2400 or
    more is B.E. Thai and other forms are read by :func:`cplkpi.scoring.thaidate.parse_date`."""
    year = int(text[:4]) if text[:4].isdigit() else 0
    if year >= 2400:
        text = f"{year - 543:04d}{text[4:]}"
    stamp = _dt.datetime.fromisoformat(text)
    if stamp.tzinfo is not None:
        stamp = stamp.astimezone(BANGKOK)
    return stamp.date()


def _object_to_days(values: np.ndarray) -> np.ndarray:
    flat = values.ravel()
    out = np.empty(flat.shape, dtype="datetime64[D]")
    for i, v in enumerate(flat):
        d = to_date(v)
        out[i] = NAT if d is None else np.datetime64(d, "D")
    return out.reshape(values.shape)


def as_day_array(values: Any) -> np.ndarray:
    """Any date-like input as a ``datetime64[D]`` ndarray (0-d for a scalar)."""
    if isinstance(values, pd.Series | pd.Index):
        if isinstance(values.dtype, pd.DatetimeTZDtype):
            if isinstance(values, pd.Series):
                values = values.dt.tz_convert(BANGKOK).dt.tz_localize(None)
            elif isinstance(values, pd.DatetimeIndex):
                values = values.tz_convert(BANGKOK).tz_localize(None)
        if pd.api.types.is_datetime64_dtype(values.dtype):
            return values.to_numpy().astype("datetime64[D]")
        return _object_to_days(values.to_numpy(dtype=object))
    if isinstance(values, np.ndarray):
        if values.dtype.kind == "M":
            return values.astype("datetime64[D]", copy=False)
        return _object_to_days(values.astype(object))
    if isinstance(values, list | tuple):
        return _object_to_days(np.array(values, dtype=object))
    d = to_date(values)
    return np.array(NAT if d is None else np.datetime64(d, "D"))


def as_days(values: Any) -> tuple[np.ndarray, Callable[[np.ndarray], Any]]:
    """Convert ``values`` and return ``(days, restore)``.

    ``days`` is a ``datetime64[D]`` ndarray; ``restore(result)`` gives a result
    array of the same shape back in the caller's form: a Series with the same
    index for a Series, an ndarray for an array or list, and a scalar
    (``datetime.date``/None for dates, a plain number or bool otherwise) for a
    scalar.
    """
    arr = as_day_array(values)
    if isinstance(values, pd.Series):
        index, name = values.index, values.name
        return arr, lambda result: pd.Series(result, index=index, name=name)
    if arr.ndim == 0:
        return arr, _restore_scalar
    return arr, lambda result: result


def _restore_scalar(result: np.ndarray) -> Any:
    value = np.asarray(result)[()]
    if isinstance(value, np.datetime64):
        return to_date(value)
    return value.item() if isinstance(value, np.generic) else value
