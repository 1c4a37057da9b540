"""The business-day calendar of BMA offices, with Excel's WORKDAY/NETWORKDAYS semantics.

The calendar (docs/decisions.md 1–4) is the ``holidays`` package for Thailand, categories
PUBLIC and GOVERNMENT, minus National Labour Day (government offices work),
corrected by ``data/calendar_corrections.csv`` (cabinet resolutions), with a
Saturday/Sunday weekend. Caller-supplied extra holidays and extra working days
win over both.

A :class:`Calendar` is built once per set of overrides into frozen numpy
arrays over the covered date range:

* ``is_bday[i]``: day ``first + i`` is a business day;
* ``cum[i]``: number of business days in ``[first, first + i]``;
* ``bdays``: the offsets of all business days, ascending.

Every deadline is then two array lookups: the ``n``-th business day after a
date ``d`` is ``bdays[cum[d] + n - 1]``. That is faster than
``numpy.busday_offset`` itself and exact by construction.

Semantics equal Excel's ``WORKDAY.INTL`` / ``NETWORKDAYS.INTL`` with the same
weekend and holiday list:

* ``workday(d, 0)`` is ``d`` unchanged, even on a holiday;
* ``workday(d, n)``, ``n > 0``, steps forward from ``d`` (``d`` itself never counts);
  ``n < 0`` steps backward; a fractional ``n`` is truncated toward zero;
* ``networkdays(s, e)`` counts business days in ``[s, e]``, both ends included,
  and is negative when ``e < s``.

Dates outside the covered years raise :class:`CalendarRangeError`.
"""

from __future__ import annotations

import csv
import datetime as _dt
import functools
import io
import tomllib
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import holidays
import numpy as np
import pandas as pd

from .days import NAT, as_day_array, as_days
from .errors import ArgumentError, CalendarRangeError
from .thaidate import format_thai_date

__all__ = [
    "Calendar",
    "CalendarRangeError",
    "is_workday",
    "networkdays",
    "thai_calendar",
    "workday",
]

_DATA = resources.files(__package__).joinpath("data")


@dataclass(frozen=True)
class HolidayEntry:
    """One holiday of the calendar with where it comes from."""

    date: _dt.date
    name_th: str
    name_en: str
    source: str


@functools.cache
def calendar_settings() -> dict[str, Any]:
    with _DATA.joinpath("calendar.toml").open("rb") as fh:
        return tomllib.load(fh)


@functools.cache
def _corrections() -> tuple[dict[str, str], ...]:
    text = _DATA.joinpath("calendar_corrections.csv").read_text(encoding="utf-8")
    rows = tuple(csv.DictReader(io.StringIO(text, newline="")))
    for row in rows:
        if row["action"] not in ("add", "remove"):
            raise ValueError(f"calendar_corrections.csv: action must be add or remove, got {row!r}")
    return rows


@functools.cache
def base_holidays() -> tuple[HolidayEntry, ...]:
    """The shipped BMA holiday list: the package's TH holidays, corrected, in covered years."""
    cfg = calendar_settings()
    years = range(cfg["first_year"], cfg["last_year"] + 1)
    categories = tuple(cfg["categories"])
    names_en = holidays.country_holidays(cfg["country"], language="en_US", categories=categories, years=years)
    names_th = holidays.country_holidays(cfg["country"], language="th", categories=categories, years=years)
    excluded = tuple(cfg["exclude"])
    version = getattr(holidays, "__version__", "?")
    entries: dict[_dt.date, HolidayEntry] = {}
    for day, name_en in names_en.items():
        parts = [p.strip() for p in name_en.split(";")]
        kept = [p for p in parts if not any(p.startswith(x) for x in excluded)]
        if not kept:
            continue
        entries[day] = HolidayEntry(day, names_th.get(day, ""), "; ".join(kept), f"holidays {version} (TH)")
    for row in _corrections():
        day = _dt.date.fromisoformat(row["date"])
        if row["action"] == "add":
            entries[day] = HolidayEntry(day, row["name_th"], row["name_en"], row["source"])
        else:
            entries.pop(day, None)
    return tuple(sorted(entries.values(), key=lambda e: e.date))


class Calendar:
    """A frozen business-day calendar over a covered date range.

    Build one with :func:`thai_calendar`; the methods take scalars, numpy
    arrays or pandas Series and return the same form.
    """

    def __init__(
        self,
        holidays: Iterable[Any],
        *,
        first: _dt.date,
        last: _dt.date,
        weekend: Iterable[int] = (6, 7),
        workdays: Iterable[Any] = (),
    ):
        self.first = np.datetime64(first, "D")
        self.last = np.datetime64(last, "D")
        self._first_int = int(self.first.astype(np.int64))
        n = int(self.last.astype(np.int64)) - self._first_int + 1
        weekday = (np.arange(n) + self._first_int + 3) % 7 + 1  # ISO: Monday = 1
        self.weekend = tuple(sorted(set(weekend)))
        is_bday = ~np.isin(weekday, self.weekend)
        hol = _in_range(as_day_array(list(holidays)), self.first, self.last)
        work = _in_range(as_day_array(list(workdays)), self.first, self.last)
        is_bday[hol.astype(np.int64) - self._first_int] = False
        is_bday[work.astype(np.int64) - self._first_int] = True
        is_bday.flags.writeable = False
        self.is_bday = is_bday
        self.cum = np.cumsum(is_bday, dtype=np.int32)
        self.cum.flags.writeable = False
        self.bdays = np.flatnonzero(is_bday).astype(np.int32)
        self.bdays.flags.writeable = False

    def __repr__(self) -> str:
        return f"Calendar({self.first} … {self.last}, {len(self.bdays)} business days)"

    # -- helpers --------------------------------------------------------------

    def _offsets(self, days: np.ndarray) -> tuple[np.ndarray, np.ndarray | None]:
        """Offsets of ``days`` from ``first`` and the mask of non-NaT entries (None when
        there is no NaT); raises :class:`CalendarRangeError` for a date out of range."""
        off = days.view(np.int64) - self._first_int
        if off.size == 0:
            return off, None
        if off.min() >= 0 and off.max() < len(self.is_bday):  # the common case: one pass each
            return off, None
        ok = ~np.isnat(days)
        bad = ok & ((off < 0) | (off >= len(self.is_bday)))
        if bad.any():
            self._range_error(days[bad].ravel()[0])
        return np.where(ok, off, 0), ok

    def _range_error(self, day: Any) -> None:
        raise CalendarRangeError(
            f"วันที่ {format_thai_date(day)} อยู่นอกช่วงปฏิทินที่รองรับ "
            f"{format_thai_date(self.first)} – {format_thai_date(self.last)} "
            f"(date {day} is outside the covered calendar {self.first} – {self.last}; "
            "add the year to scoring/data/calendar.toml once its holidays are known)"
        )

    @property
    def holiday_dates(self) -> np.ndarray:
        """Weekdays that are not business days, as ``datetime64[D]``: the list to give Excel's WORKDAY."""
        weekday = (np.arange(len(self.is_bday)) + self._first_int + 3) % 7 + 1
        idx = np.flatnonzero(~self.is_bday & ~np.isin(weekday, self.weekend))
        return (idx + self._first_int).astype("datetime64[D]")

    @property
    def weekend_workdays(self) -> np.ndarray:
        """Weekend days made working days by an override (Excel's WORKDAY cannot express these)."""
        weekday = (np.arange(len(self.is_bday)) + self._first_int + 3) % 7 + 1
        idx = np.flatnonzero(self.is_bday & np.isin(weekday, self.weekend))
        return (idx + self._first_int).astype("datetime64[D]")

    def busdaycalendar(self) -> np.busdaycalendar:
        """The same calendar as a ``numpy.busdaycalendar`` (weekend overrides cannot be expressed)."""
        mask = [d not in self.weekend for d in range(1, 8)]
        return np.busdaycalendar(weekmask=mask, holidays=self.holiday_dates)

    # -- the three operations -------------------------------------------------

    def workday(self, start: Any, days: Any) -> Any:
        """Excel ``WORKDAY.INTL(start, days)`` on this calendar, vectorised.

        ``days`` is truncated toward zero like Excel; NaT or NaN in gives NaT out.
        """
        d, restore = _as_days_broadcast(start, days)
        n = np.asarray(days)
        missing = None
        if n.dtype.kind == "f":
            missing = np.isnan(n)
            n = np.trunc(np.where(missing, 0, n))
        n = n.astype(np.int64, copy=False)
        if d.shape != n.shape:
            d, n = np.broadcast_arrays(d, n)
        off, ok = self._offsets(d)
        if missing is not None and missing.any():
            ok = ~np.broadcast_to(missing, d.shape) if ok is None else ok & ~missing
        # k = business days <= d, so the n-th business day after d is bdays[k + n - 1];
        # for n <= 0 the count must not include d itself when d is a business day.
        idx = self.cum[off] + n
        idx -= 1
        idx += (n <= 0) & ~self.is_bday[off]
        if idx.size and (idx.min() < 0 or idx.max() >= len(self.bdays)):
            valid = (n != 0) if ok is None else ok & (n != 0)
            bad = valid & ((idx < 0) | (idx >= len(self.bdays)))
            if bad.any():
                pos = np.flatnonzero(bad.ravel())[0]
                self._range_error(d.ravel()[pos] + int(n.ravel()[pos]))
            np.clip(idx, 0, len(self.bdays) - 1, out=idx)
        res = self.bdays[idx].astype(np.int64)
        res += self._first_int
        zero = n == 0
        if zero.any():
            res = np.where(zero, d.view(np.int64), res)
        res = res.view("datetime64[D]")
        if ok is not None:
            res = np.where(ok, res, NAT)
        return restore(res)

    def networkdays(self, start: Any, end: Any) -> Any:
        """Excel ``NETWORKDAYS.INTL(start, end)``: business days in [start, end], negative if end < start.

        Missing dates give NaN (a float result); otherwise an int64 array.
        """
        s, restore = _as_days_broadcast(start, end)
        e, restore_e = as_days(end)
        if s.ndim == 0 and e.ndim > 0:
            restore = restore_e
        s, e = np.broadcast_arrays(s, e)
        so, sok = self._offsets(s)
        eo, eok = self._offsets(e)
        lo, hi = np.minimum(so, eo), np.maximum(so, eo)
        count = (self.cum[hi].astype(np.int64) - self.cum[lo] + self.is_bday[lo])
        count = np.where(eo < so, -count, count)
        ok = _and_masks(sok, eok)
        if ok is not None:
            count = np.where(ok, count, np.nan)
        return restore(count)

    def is_workday(self, day: Any) -> Any:
        """True where ``day`` is a business day (False for NaT)."""
        d, restore = as_days(day)
        off, ok = self._offsets(d)
        result = self.is_bday[off]
        return restore(result if ok is None else result & ok)

    def holiday_table(self) -> pd.DataFrame:
        """The shipped holidays in the covered range with Thai/English names and sources."""
        return pd.DataFrame(
            [(e.date, e.name_th, e.name_en, e.source) for e in base_holidays()],
            columns=["date", "name_th", "name_en", "source"],
        )


def _and_masks(a: np.ndarray | None, b: np.ndarray | None) -> np.ndarray | None:
    if a is None:
        return b
    return a if b is None else a & b


def _in_range(days: np.ndarray, first: np.datetime64, last: np.datetime64) -> np.ndarray:
    days = days[~np.isnat(days)]
    return days[(days >= first) & (days <= last)]


def _as_days_broadcast(primary: Any, other: Any):
    """``as_days(primary)``, but when ``primary`` is a scalar and ``other`` is not,
    restore into ``other``'s form so that the broadcast result keeps its shape."""
    d, restore = as_days(primary)
    if d.ndim == 0 and not np.isscalar(other) and np.ndim(other) > 0:
        if isinstance(other, pd.Series):
            index, name = other.index, other.name
            return d, lambda r: pd.Series(r, index=index, name=name)
        return d, lambda r: r
    return d, restore


def _override_key(values: Iterable[Any] | None) -> tuple[int, ...]:
    if values is None:
        return ()
    days = as_day_array(list(values) if not isinstance(values, np.ndarray | pd.Series) else values)
    days = days[~np.isnat(days)]
    return tuple(sorted(set(days.astype(np.int64).tolist())))


def thai_calendar(
    extra_holidays: Iterable[Any] | None = None,
    extra_workdays: Iterable[Any] | None = None,
) -> Calendar:
    """The BMA office calendar, optionally with a workbook's overrides.

    ``extra_holidays`` are further days off; ``extra_workdays`` are days that
    are worked although the shipped calendar says holiday (or weekend). Both
    win over the shipped calendar. A date in both lists is an error. Calendars
    are cached per override set, so calling this per request is cheap.
    """
    hol, work = _override_key(extra_holidays), _override_key(extra_workdays)
    both = set(hol) & set(work)
    if both:
        day = np.datetime64(min(both), "D")
        raise ArgumentError(
            f"วันที่ {format_thai_date(day)} อยู่ทั้งในวันหยุดเพิ่มและวันทำงานเพิ่ม "
            f"(date {day} is both an extra holiday and an extra working day)"
        )
    return _build_calendar(hol, work)


@functools.lru_cache(maxsize=64)
def _build_calendar(hol: tuple[int, ...], work: tuple[int, ...]) -> Calendar:
    cfg = calendar_settings()
    base = [e.date for e in base_holidays()]
    return Calendar(
        [*base, *np.array(hol, dtype="datetime64[D]")],
        first=_dt.date(cfg["first_year"], 1, 1),
        last=_dt.date(cfg["last_year"], 12, 31),
        weekend=cfg["weekend"],
        workdays=np.array(work, dtype="datetime64[D]"),
    )


def workday(start: Any, days: Any, calendar: Calendar | None = None) -> Any:
    """``WORKDAY.INTL(start, days)`` on the BMA calendar (or ``calendar``)."""
    return (calendar or thai_calendar()).workday(start, days)


def networkdays(start: Any, end: Any, calendar: Calendar | None = None) -> Any:
    """``NETWORKDAYS.INTL(start, end)`` on the BMA calendar (or ``calendar``)."""
    return (calendar or thai_calendar()).networkdays(start, end)


def is_workday(day: Any, calendar: Calendar | None = None) -> Any:
    """True where ``day`` is a BMA business day."""
    return (calendar or thai_calendar()).is_workday(day)
