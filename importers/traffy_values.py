"""Traffy Fondue values read into typed columns: timestamps, Thai dates and durations, photos, subjects,
coordinates, counts and the channel a ticket came by.

Each function takes a column of text as read (:class:`.csvsource.CsvSource`) and computes once per
distinct value where values repeat.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from cplkpi.scoring.days import BANGKOK
from cplkpi.scoring.thaidate import parse_dates

from .agencies import CHANNEL_1555_TAG

__all__ = [
    "CHANNEL_1555",
    "CHANNEL_TRAFFY",
    "bangkok_timestamps",
    "channels",
    "lon_lat",
    "nonempty",
    "parse_thai_duration",
    "per_unique",
    "photo_urls",
    "stripped",
    "subject_text",
    "thai_datetimes",
    "whole_counts",
]

CHANNEL_TRAFFY = "Traffy Fondue"
CHANNEL_1555 = "1555"

#: a zone after a time of day (``08:00:00.5+07``); a date alone ends with its day (``2023-05-11``)
_ZONE = r"\d:\d{2}(?::\d{2}(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}(?::?\d{2})?)$"
_COMMON_ZONES = ("+00", "Z", "+00:00", "+0000", "+07", "+07:00", "+0700")
_PLACEHOLDER_PHOTO = "/TeamChadChart/"


def per_unique(values: pd.Series, func: Callable[[str], Any], dtype: Any = "string") -> pd.Series:
    """``func`` applied once per distinct value (the columns here repeat a few values many times)."""
    codes, uniques = pd.factorize(values)
    # dtype: any pandas dtype name ("string", "Int64", "boolean"); the stubs type pd.array per literal dtype
    mapped = pd.array([func(u) for u in uniques], dtype=dtype)
    return pd.Series(mapped.take(codes, allow_fill=True), index=values.index)


def stripped(u: str) -> str | None:
    return u.strip() or None


def nonempty(values: pd.Series) -> pd.Series:
    """Text as it is, empty strings as NA (for columns of mostly distinct values)."""
    s = values.astype("string")
    return s.where(s != "")


def bangkok_timestamps(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Text timestamps → naive Bangkok ``datetime64[ns]`` and a mask of unreadable values.

    A value with a zone (``+00``, ``+07:00``, ``Z``) is converted to
    Asia/Bangkok; a value without one is taken as Bangkok local time.
    """
    s = values.astype("string")
    empty = (s.isna() | (s == "")).to_numpy(dtype=bool)
    aware = s.str.endswith(_COMMON_ZONES).to_numpy(dtype=bool, na_value=False)
    rest = ~aware & ~empty
    if rest.any():
        aware[rest] = s[rest].str.contains(_ZONE, regex=True).to_numpy(dtype=bool, na_value=False)
    out = pd.Series(pd.NaT, index=s.index, dtype="datetime64[ns]")
    if aware.any():
        t = pd.to_datetime(s[aware], format="ISO8601", utc=True, errors="coerce")
        out[aware] = t.dt.tz_convert(BANGKOK).dt.tz_localize(None).astype("datetime64[ns]")
    naive = ~aware & ~empty
    if naive.any():
        local = pd.to_datetime(s[naive].str.strip(), format="ISO8601", errors="coerce")
        out[naive] = local.astype("datetime64[ns]")
    return out, pd.Series(~empty & out.isna().to_numpy(), index=s.index)


def thai_datetimes(dates: pd.Series, times: pd.Series) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Thai dates (``6 ธ.ค. 67``, parsed once per distinct text) plus ``08:28 น.`` times (Bangkok), a mask
    of unreadable dates and a mask of times that do not exist (``25:61``: the timestamp is left empty, as
    a date with an impossible time is, docs/decisions.md)."""
    d = dates.astype("string").fillna("")
    codes, uniques = pd.factorize(d)
    days = parse_dates(list(uniques)).days
    day = pd.Series(days[codes].astype("datetime64[ns]"), index=d.index)
    hm = times.astype("string").str.extract(r"(\d{1,2})[:.](\d{2})")
    hours, mins = pd.to_numeric(hm[0], errors="coerce"), pd.to_numeric(hm[1], errors="coerce")
    bad_time = ((hours > 23) | (mins > 59)).fillna(False).astype(bool)
    out = (day + pd.to_timedelta((hours * 60 + mins).fillna(0), unit="min")).where(~bad_time)
    return out, (d.str.strip() != "") & day.isna(), bad_time


_UNIT_MINUTES = {"วัน": 1440, "ชม": 60, "ชั่วโมง": 60, "นาที": 1}


def parse_thai_duration(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``ใช้เวลา 8 วัน 19 ชม.`` → minutes (Int64) and the display granularity in minutes.

    Values without ``ใช้เวลา`` (``รอรับเรื่อง``, or text the scraper put in the
    wrong column) give NA.
    """
    def minutes(u: str) -> tuple[Any, Any]:
        parts = re.findall(r"(\d+)\s*(วัน|ชั่วโมง|ชม|นาที)", u) if u.strip().startswith("ใช้เวลา") else []
        if not parts:
            return pd.NA, pd.NA
        total = sum(int(n) * _UNIT_MINUTES[unit] for n, unit in parts)
        return total, 60 if any(unit == "วัน" for _, unit in parts) else 1

    s = values.astype("string").fillna("")
    codes, uniques = pd.factorize(s)
    pairs = [minutes(u) for u in uniques]
    m = pd.array([p[0] for p in pairs], dtype="Int64").take(codes)
    g = pd.array([p[1] for p in pairs], dtype="Int64").take(codes)
    return pd.Series(m, index=s.index), pd.Series(g, index=s.index)


def photo_urls(values: pd.Series) -> pd.Series:
    """Photo URLs; empty or the platform's placeholder image → NA."""
    s = nonempty(values)
    return s.where(~s.str.contains(_PLACEHOLDER_PHOTO, regex=False).fillna(False))


def subject_text(u: str) -> str | None:
    """``{ถนน,ทางเท้า}`` → ``ถนน, ทางเท้า``; ``{}`` → None."""
    items = [x.strip().strip('"').strip() for x in u.strip().removeprefix("{").removesuffix("}").split(",")]
    return ", ".join(x for x in items if x) or None


def lon_lat(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``"100.5,13.7"`` or ``[100.5, 13.7]`` (longitude first) → (lon, lat); anything else → NaN.

    Fast path: all values joined into one text and read by the C CSV parser;
    when that does not give one clean pair per row, each value is split.
    """
    text = values.astype("string").fillna("")
    joined = "\n".join(text.tolist()).replace("[", "").replace("]", "")
    try:
        xy = pd.read_csv(io.StringIO(joined), header=None, names=["lon", "lat"], dtype=float,
                         skip_blank_lines=False, quoting=csv.QUOTE_NONE, on_bad_lines="error",
                         skipinitialspace=True)
        if len(xy) == len(text) and xy.index.equals(pd.RangeIndex(len(text))):
            return (pd.Series(xy["lon"].to_numpy(), index=values.index),
                    pd.Series(xy["lat"].to_numpy(), index=values.index))
    except (ValueError, pd.errors.ParserError):
        pass
    parts = text.str.strip("[] ").str.split(",", n=1, expand=True)
    if parts.shape[1] < 2:
        nan = pd.Series(np.nan, index=values.index)
        return nan, nan.copy()
    return (pd.to_numeric(parts[0].str.strip(), errors="coerce").astype(float),
            pd.to_numeric(parts[1].str.strip(), errors="coerce").astype(float))


def _count(u: str) -> int | None:
    """A whole number >= 0 (``5``, ``5.0``); raises ValueError otherwise; empty → None."""
    u = u.strip()
    if not u:
        return None
    f = float(u)
    if f < 0 or not f.is_integer():
        raise ValueError(u)
    return int(f)


def whole_counts(values: pd.Series) -> tuple[pd.Series, pd.Series]:
    def safe(u: str) -> Any:
        try:
            return _count(u)
        except ValueError:
            return -1

    parsed = per_unique(values, safe, "Int64")
    bad = (parsed == -1).fillna(False)
    return parsed.where(~bad), bad


def channels(ids: pd.Series, organization: pd.Series, comment: pd.Series | None) -> pd.Series:
    """1555 for tickets filed through the hotline, else Traffy Fondue (docs/import.md).

    Signals: a 6-character ticket id without the year prefix, an
    organisation chain that starts with ``ร้องทุกข์ กทม. 1555``, or a comment
    that ends with ``#1555``.
    """
    is_1555 = ((ids.str.len() == 6) & ~ids.str.contains("-", regex=False)).fillna(False).to_numpy(dtype=bool)
    is_1555 |= per_unique(organization, lambda u: u.startswith(CHANNEL_1555_TAG), "boolean").fillna(
        False).to_numpy(dtype=bool)
    if comment is not None:
        is_1555 |= comment.str.rstrip().str.endswith("#1555").fillna(False).to_numpy(dtype=bool)
    return pd.Series(np.where(is_1555, CHANNEL_1555, CHANNEL_TRAFFY), index=ids.index, dtype="string")
