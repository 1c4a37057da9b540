"""Excel values in, engine arrays out, Excel values back: the conversion layer of the cell functions.

What the cell functions receive, declared with ``@xw.arg(name, ndim=2, err_to_str=True)``:

* **classic xlwings** (Windows COM): a list of lists for a range *and* for a single
  cell (``ndim=2``); date-formatted cells as ``datetime.datetime``, other numbers
  (and dates computed by a formula, e.g. ``DATE(2019,10,1)``, ``A2+1``) as float
  serial numbers, text as ``str``, empty cells as ``None``, error cells as
  ``"#N/A"``-style text (``err_to_str``); an omitted optional argument as its
  Python default (``None``).
* **xlwings Lite / Server** (Office.js): the same list of lists, but Office.js has
  no date type, so dates are always float serials; an empty cell arrives as
  ``""`` or ``None``, and a single empty cell referenced on its own may arrive as
  ``0``.

So every date argument accepts ``datetime``/``date`` objects, Excel serial
numbers, ints and Thai or ISO text (``30/10/2562``, ``1 ต.ค. 2562``,
``2019-10-01``), read by :func:`cplkpi.scoring.thaidate.parse_dates`; ``None``,
``""``, blanks, NaN and ``0`` are empty. Number arguments accept numbers and
numeric text (Thai digits too); ``0`` is a number there.

A whole column is converted at once: plain serial numbers and naive datetimes
in 1900–2200 (the common case, all of a 100,000-row column) take a vectorised
path that gives exactly what ``parse_dates`` gives (a property test checks
that); every other value goes through ``parse_dates`` itself. A value that
cannot be read becomes that cell's error text, e.g.
``#CPL! ไม่มีวันที่นี้ในปฏิทิน (no such calendar date): "31/02/2562"``; the rest of
the column is computed. Results go back as a list of lists of the broadcast
shape: ``datetime.date`` for dates (Excel shows them with the cell's date
format), ``int``/``float``/``bool``/``str``, and ``None`` for empty (both
xlwings flavours write it as an empty cell; NaN would become ``#NUM!`` in
Office.js, so it is never returned).

No text longer than 255 characters ever goes back (:data:`MAX_TEXT`): classic
xlwings turns a whole result array holding one such text into ``#VALUE!``
(xlwings issues #456, #869). Every cell function's result passes through
:func:`fit_rows` (in the ``udf`` decorator), which shortens a longer text to
254 UTF-16 code units (what Excel counts) and ``…``, without splitting a
surrogate pair or taking a Thai vowel or tone mark from its consonant. Error
texts quote at most :data:`MAX_SHOWN` characters of a bad cell.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import functools
import gc
import operator
import re
import unicodedata
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from cplkpi.scoring.calendar import Calendar, thai_calendar
from cplkpi.scoring.days import EPOCH_ORDINAL, NAT
from cplkpi.scoring.errors import CplError
from cplkpi.scoring.thaidate import (  # THAI_DIGITS: the one Thai-digit table
    EXCEL_ERRORS,
    THAI_DIGITS,
    DateIssue,
    excel_serial,
    from_excel_serial,
    parse_dates,
    parse_month,
    serial_offset,
)

__all__ = [
    "MAX_TEXT",
    "PREFIX",
    "CellValueError",
    "Cells",
    "apply",
    "broadcast_shape",
    "calendar",
    "cell_error",
    "counts",
    "dates",
    "fit_rows",
    "fit_text",
    "gc_paused",
    "matrix",
    "months",
    "numbers",
    "reject",
    "rows",
    "single",
    "uses_1904",
    "values",
    "within",
]

#: Every error text a cell function returns starts with this.
PREFIX = "#CPL!"
#: The longest text a cell function returns, in UTF-16 code units: classic xlwings turns a result array
#: holding a longer text into #VALUE! (xlwings issues #456, #869).
MAX_TEXT = 255
#: At most this many characters of a bad cell are quoted in its error text.
MAX_SHOWN = 60
_ELLIPSIS = "…"

Kind = Literal["date", "int", "float", "bool", "text"]

# The window the vectorised date path takes; everything else goes through parse_dates.
_SERIAL_MIN = excel_serial(_dt.date(1900, 3, 1))  # 61: Excel's serials before it are off by one
_SERIAL_END = excel_serial(_dt.date(2201, 1, 1))
_ORD_MIN = _dt.date(1900, 1, 1).toordinal()
_ORD_END = _dt.date(2201, 1, 1).toordinal()
_TZINFO = operator.attrgetter("tzinfo")


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector: a 100,000-row column is 200,000 new lists and dates, and
    the collections those allocations trigger would cost more than the conversion itself."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class CellValueError(CplError, ValueError):
    """An argument the whole call cannot use (a bad holiday list, mismatched range sizes):
    the function returns :attr:`text` in a single cell."""

    def __init__(self, text: str):
        self.text = text
        super().__init__(text)


def cell_error(message_th: str, message_en: str, shown: str | None = None) -> str:
    """``#CPL! ข้อความ (message): "value"``: the text a bad cell shows."""
    text = f"{PREFIX} {message_th} ({message_en})"
    return f"{text}: {shown}" if shown is not None else text


def fit_text(text: str, limit: int = MAX_TEXT) -> str:
    """``text`` as Excel can take it: at most ``limit`` UTF-16 code units, cut with ``…`` at the end when
    longer; never between a surrogate pair, nor between a Thai consonant and its vowel or tone mark."""
    if len(text) * 2 <= limit:  # the common case: short enough whatever its characters
        return text
    if len(text.encode("utf-16-le")) // 2 <= limit:
        return text
    units, cut = 0, 0
    for cut, ch in enumerate(text):  # noqa: B007 (cut is used after the loop)
        units += 2 if ord(ch) > 0xFFFF else 1
        if units > limit - len(_ELLIPSIS):
            break
    while cut > 0 and unicodedata.category(text[cut]).startswith("M"):  # keep marks with their letter
        cut -= 1
    return text[:cut] + _ELLIPSIS


def fit_rows(result: list[list[Any]]) -> list[list[Any]]:
    """A cell function's result with every text fitted by :func:`fit_text` (the same list when none is
    too long: the check is one pass over the values)."""
    long = MAX_TEXT // 2
    if not any(v.__class__ is str and len(v) > long for r in result for v in r):
        return result
    return [[fit_text(v) if v.__class__ is str else v for v in r] for r in result]


def shown(value: Any) -> str:
    """A bad cell's value as its error text quotes it: text in quotes, at most :data:`MAX_SHOWN`
    characters (cut with ``…``); numbers as Excel shows them."""
    if isinstance(value, str):
        text = value if len(value) <= MAX_SHOWN else value[: MAX_SHOWN - 1].rstrip() + _ELLIPSIS
        return f'"{text}"'
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return f"{value:g}" if isinstance(value, float) else str(value)


_QUOTED = re.compile(rf'"([^"]{{{MAX_SHOWN + 1},}})("|$)')


def shorten_quotes(text: str) -> str:
    """``text`` with every quoted value longer than :data:`MAX_SHOWN` characters cut as :func:`shown` cuts
    it (the engine's messages quote the whole cell)."""
    return _QUOTED.sub(lambda m: shown(m[1]), text)


def _common_suffix(a: str, b: str) -> int:
    n = 0
    while n < min(len(a), len(b)) and a[-1 - n] == b[-1 - n]:
        n += 1
    return n


def _issue_text(issue: DateIssue) -> str:
    """A date issue as one cell text. The engine's messages end with the same ``: "value"``
    (and sometimes a shared detail) in both languages; it is shown once, after both."""
    th, en = issue.message_th, issue.message_en
    k = _common_suffix(th, en)
    cut = th[len(th) - k:].find(": ")
    if cut < 0:
        return f"{PREFIX} {shorten_quotes(th)} ({shorten_quotes(en)})"
    th_head, en_head, value = th[: len(th) - k + cut], en[: len(en) - k + cut], th[len(th) - k + cut:]
    d = _common_suffix(th_head, en_head)
    detail = th_head[len(th_head) - d:]
    if detail.startswith(" (") and d < len(th_head):
        th_head, en_head = th_head[: len(th_head) - d], en_head[: len(en_head) - d]
    else:
        detail = ""
    return f"{PREFIX} {th_head} ({en_head}){detail}{shorten_quotes(value)}"


@dataclass
class Cells:
    """One argument, converted: ``values`` (2-D), where it is ``empty`` and the error text of
    each bad cell (``errors``: None where the cell is fine)."""

    values: np.ndarray
    empty: np.ndarray
    errors: np.ndarray

    @property
    def shape(self) -> tuple[int, int]:
        return self.values.shape

    @functools.cached_property
    def bad(self) -> np.ndarray:
        """Where a cell could not be read (computed once: the arrays are never changed)."""
        return self.errors != None  # noqa: E711 (elementwise)


def matrix(value: Any) -> np.ndarray:
    """Any argument as a 2-D object array: a scalar is 1×1, a flat list a column, a list of rows
    a matrix (short rows padded with None); None is a single empty cell."""
    if isinstance(value, np.ndarray):
        arr = value.astype(object)
        return arr.reshape(1, 1) if arr.ndim == 0 else arr.reshape(-1, 1) if arr.ndim == 1 else arr
    if not isinstance(value, list | tuple):
        out = np.empty((1, 1), dtype=object)
        out[0, 0] = value
        return out
    if not value:
        return np.full((1, 1), None, dtype=object)
    rows = len(value)
    try:  # a column of one-element rows: the common case, in one pass
        flat, width = [v for (v,) in value], 1
    except (TypeError, ValueError):
        if all(isinstance(r, list | tuple) for r in value):
            width = max(map(len, value)) or 1
            flat = [v for r in value for v in (*r, *([None] * (width - len(r))))]
        else:
            flat, width = list(value), 1
    return np.fromiter(flat, dtype=object, count=rows * width).reshape(rows, width)


class _TypeCodes(dict):
    def __missing__(self, key: type) -> int:
        return _OTHER


_EMPTY, _NUMBER, _DATETIME, _DATE, _TEXT, _OTHER = range(6)
_CODES = _TypeCodes({type(None): _EMPTY, float: _NUMBER, int: _NUMBER, _dt.datetime: _DATETIME,
                     _dt.date: _DATE, str: _TEXT})


def _type_codes(flat: np.ndarray) -> np.ndarray:
    """One small int per value saying what it is (bool, numpy scalars, pandas types: other)."""
    return np.fromiter(map(_CODES.__getitem__, map(type, flat)), dtype=np.int8, count=flat.size)


def dates(value: Any) -> Cells:
    """Convert a date argument (see the module docstring)."""
    arr = matrix(value)
    flat = arr.ravel()
    n = flat.size
    days = np.full(n, NAT, dtype="datetime64[D]")
    empty = np.zeros(n, dtype=bool)
    errors = np.full(n, None, dtype=object)
    types = _type_codes(flat)
    slow = np.ones(n, dtype=bool)

    empty |= types == _EMPTY
    is_num = types == _NUMBER
    if is_num.any():
        idx = np.flatnonzero(is_num)
        num = flat[idx].astype(float)
        blank = np.isnan(num) | (num == 0)
        offset = serial_offset()  # 1462 in a 1904-system workbook (see date_system_1904)
        low = 0 if offset else _SERIAL_MIN
        fast = ~blank & (num >= low) & (num + offset < _SERIAL_END)
        days[idx[fast]] = from_excel_serial(num[fast] + offset)
        empty[idx[blank]] = True
        slow[idx[blank | fast]] = False
    for kind, to_ordinal in ((_DATETIME, _dt.datetime.toordinal), (_DATE, _dt.date.toordinal)):
        is_kind = types == kind
        if not is_kind.any():
            continue
        idx = np.flatnonzero(is_kind)
        objs = flat[idx]
        ords = np.fromiter(map(to_ordinal, objs), dtype=np.int64, count=idx.size)
        fast = (ords >= _ORD_MIN) & (ords < _ORD_END)
        if kind == _DATETIME and any(map(_TZINFO, objs)):  # aware: parse_dates converts to Bangkok
            fast &= np.fromiter(map(_TZINFO, objs), dtype=object, count=idx.size) == None  # noqa: E711
        days[idx[fast]] = (ords[fast] - EPOCH_ORDINAL).astype("datetime64[D]")
        slow[idx[fast]] = False
    is_str = types == _TEXT
    if is_str.any():
        idx = np.flatnonzero(is_str)
        blank = np.fromiter(map(str.strip, flat[idx]), dtype=object, count=idx.size) == ""
        empty[idx[blank]] = True
    slow &= ~empty
    if slow.any():
        idx = np.flatnonzero(slow)
        parsed = parse_dates(flat[idx])
        days[idx] = parsed.days
        for issue in parsed.errors:
            errors[idx[issue.position]] = _issue_text(issue)
        empty[idx] = np.isnat(parsed.days) & (errors[idx] == None)  # noqa: E711
    return Cells(days.reshape(arr.shape), empty.reshape(arr.shape), errors.reshape(arr.shape))


def _number(v: Any) -> tuple[float | None, str | None]:
    """One non-float value as a number: (value, None), (None, None) for empty, or (None, error)."""
    if v is None:
        return None, None
    if isinstance(v, str):
        s = v.translate(THAI_DIGITS).strip().replace(",", "")
        if not s:
            return None, None
        if s.upper() in EXCEL_ERRORS:
            return None, cell_error("เซลล์มีค่าผิดพลาดของ Excel", "the cell holds an Excel error value",
                                    s.upper())
        try:
            return float(s), None
        except ValueError:
            pass
    elif isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool | np.bool_):
        f = float(v)
        return (None, None) if f != f else (f, None)
    return None, cell_error("ต้องเป็นตัวเลข", "must be a number", shown(v))


def numbers(value: Any) -> Cells:
    """Convert a number argument: numbers and numeric text; ``0`` is a number, not empty."""
    arr = matrix(value)
    flat = arr.ravel()
    n = flat.size
    out = np.full(n, np.nan)
    errors = np.full(n, None, dtype=object)
    is_num = _type_codes(flat) == _NUMBER
    out[is_num] = flat[is_num].astype(float)
    for i in np.flatnonzero(~is_num):
        out[i], errors[i] = _number(flat[i])  # None → NaN
    for i in np.flatnonzero(np.isinf(out)):  # Excel has no infinity ("inf" text, a Python caller)
        out[i], errors[i] = np.nan, cell_error("ต้องเป็นตัวเลข", "must be a number", shown(flat[i]))
    empty = np.isnan(out) & (errors == None)  # noqa: E711
    return Cells(out.reshape(arr.shape), empty.reshape(arr.shape), errors.reshape(arr.shape))


def within(cells: Cells, low: float, high: float, what_th: str, what_en: str, *,
           low_open: bool = False) -> Cells:
    """``cells`` with an error where a number lies outside ``low``–``high`` (``low`` itself excluded
    with ``low_open``): ``#CPL! ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 (the percentage must be 0 to 100): 120``."""
    v = cells.values
    with np.errstate(invalid="ignore"):
        out = ((v <= low) if low_open else (v < low)) | (v > high)
    out &= ~cells.empty & ~cells.bad
    if not out.any():
        return cells
    errors = cells.errors.copy()
    if low_open:
        th, en = f"{what_th}ต้องมากกว่า {low:g} และไม่เกิน {high:g}", f"{what_en} must be over {low:g} and at most {high:g}"
    else:
        th, en = f"{what_th}ต้องอยู่ระหว่าง {low:g} ถึง {high:g}", f"{what_en} must be {low:g} to {high:g}"
    for i in zip(*np.nonzero(out)):
        errors[i] = cell_error(th, en, shown(float(v[i])))
    return Cells(v, cells.empty, errors)


#: The largest count taken (exact in a float and in int64; no agency has more complaints).
_MAX_COUNT = 2.0**53


def counts(value: Any) -> Cells:
    """Convert a count argument: whole numbers >= 0."""
    cells = numbers(value)
    v = cells.values
    with np.errstate(invalid="ignore"):
        wrong = ~cells.empty & ~cells.bad & ((v < 0) | (v != np.floor(v)) | ~(v <= _MAX_COUNT))
    if not wrong.any():
        return cells
    errors = cells.errors.copy()
    for i in zip(*np.nonzero(wrong)):
        errors[i] = cell_error("ต้องเป็นจำนวนเต็มไม่ติดลบ", "must be a whole number >= 0", shown(float(v[i])))
    return Cells(v, cells.empty, errors)


def months(value: Any) -> Cells:
    """Convert a month argument (a date in the month, or text such as ``ต.ค. 2562``, ``10/2562``,
    ``2019-10``) to the month's first day."""
    cells = dates(value)
    raw = matrix(value)
    days, errors = cells.values.copy(), cells.errors.copy()
    for i in zip(*np.nonzero(cells.bad)):
        if isinstance(raw[i], str):
            try:
                days[i] = np.datetime64(parse_month(raw[i]), "D")
                errors[i] = None
            except ValueError:
                errors[i] = cell_error("อ่านเดือนไม่ได้ (ตัวอย่าง ต.ค. 2562)",
                                       "cannot read the month, e.g. ต.ค. 2562", shown(raw[i]))
    return Cells(days.astype("datetime64[M]").astype("datetime64[D]"), cells.empty, errors)


def reject(cells: Cells, mask: np.ndarray, text: str) -> Cells:
    """``cells`` (broadcast to ``mask``'s shape) with the error ``text`` where ``mask`` is set."""
    shape = np.broadcast_shapes(cells.shape, mask.shape)
    errors = np.broadcast_to(cells.errors, shape).copy()
    errors[mask & (errors == None)] = text  # noqa: E711
    return Cells(np.broadcast_to(cells.values, shape), np.broadcast_to(cells.empty, shape), errors)


def values(value: Any) -> Cells:
    """An argument taken as it is (text, flags): only ``None`` and blank text are empty."""
    arr = matrix(value)
    flat = arr.ravel()
    empty = np.fromiter((v is None or (isinstance(v, str) and not v.strip()) for v in flat),
                        dtype=bool, count=flat.size)
    return Cells(arr, empty.reshape(arr.shape), np.full(arr.shape, None, dtype=object))


def single(value: Any, what_th: str, what_en: str) -> Any:
    """The one value of an argument that must be a single cell (None when empty or omitted)."""
    arr = matrix(value)
    if arr.size != 1:
        raise CellValueError(cell_error(f"{what_th} ต้องเป็นเซลล์เดียว", f"{what_en} must be a single cell",
                                        f"{arr.shape[0]}×{arr.shape[1]}"))
    v = arr[0, 0]
    return None if v is None or (isinstance(v, str) and not v.strip()) else v


def _override(value: Any, what_th: str, what_en: str) -> list[np.datetime64]:
    if value is None:
        return []
    cells = dates(value)
    if cells.bad.any():
        first = cells.errors[cells.bad][0].removeprefix(PREFIX).strip()
        raise CellValueError(f"{PREFIX} {what_th} ({what_en}): {first}")
    return list(cells.values[~cells.empty])


def calendar(holidays: Any = None, workdays: Any = None) -> Calendar:
    """The BMA calendar with a range of extra holidays and a range of extra working days."""
    hol = _override(holidays, "วันหยุดเพิ่มเติมไม่ถูกต้อง", "invalid extra holiday")
    work = _override(workdays, "วันทำงานเพิ่มเติมไม่ถูกต้อง", "invalid extra working day")
    if not hol and not work:
        return thai_calendar()
    try:
        return thai_calendar(hol, work)
    except ValueError as exc:
        raise CellValueError(f"{PREFIX} {exc}") from exc


def broadcast_shape(args: Sequence[Cells]) -> tuple[int, ...]:
    """The shape ``args`` broadcast to (a single cell fits any range); mismatched ranges are an error."""
    try:
        return np.broadcast_shapes(*(a.shape for a in args))
    except ValueError:
        sizes = ", ".join(f"{a.shape[0]}×{a.shape[1]}" for a in args)
        text = cell_error("ขนาดช่วงเซลล์ไม่เท่ากัน", "the ranges have different sizes", sizes)
        raise CellValueError(text) from None


def _objects(result: Any, kind: Kind) -> np.ndarray:
    """Engine results as Python objects for Excel; missing (NaT/NaN/None) → None."""
    res = np.asarray(result)
    if kind == "date":
        return res.astype("datetime64[D]").astype(object)  # NaT → None
    if kind == "bool":
        return res.astype(bool).astype(object)
    if kind in ("int", "float"):
        num = res.astype(float)
        missing = np.isnan(num)
        out = (np.where(missing, 0, num).astype(np.int64) if kind == "int" else num).astype(object)
    else:
        out = res.astype(object)
        missing = out == None  # noqa: E711 (elementwise)
    out[missing] = None
    return out


#: At most this many engine calls to pin errors to rows; past it the rest of a failing part is one error.
MAX_ISOLATION_CALLS = 400


def _isolate(fn: Callable[..., Any], inputs: list[np.ndarray], kind: Kind,
             budget: list[int] | None = None) -> tuple[np.ndarray, dict[int, str]]:
    """``fn`` over the rows; an engine error raised by some rows is pinned to those rows (by
    halving, about :data:`MAX_ISOLATION_CALLS` calls at most), the other rows still get their results."""
    budget = [MAX_ISOLATION_CALLS] if budget is None else budget
    n = len(inputs[0]) if inputs else 0
    if n == 0:
        return np.empty(0, dtype=object), {}
    budget[0] -= 1
    try:
        return _objects(fn(*inputs), kind), {}
    except (CplError, ValueError, ArithmeticError) as exc:
        if n == 1 or budget[0] <= 0:  # a row, or an error too widespread to pin down row by row
            text = f"{PREFIX} {exc}" if isinstance(exc, CplError | ValueError) else cell_error(
                "คำนวณไม่ได้ ตัวเลขใหญ่หรือเล็กเกินไป", f"cannot compute, numbers out of range: {type(exc).__name__}")
            return np.full(n, None, dtype=object), dict.fromkeys(range(n), text)
    half = n // 2
    left, err_l = _isolate(fn, [a[:half] for a in inputs], kind, budget)
    right, err_r = _isolate(fn, [a[half:] for a in inputs], kind, budget)
    return np.concatenate([left, right]), {**err_l, **{half + k: v for k, v in err_r.items()}}


def apply(fn: Callable[..., Any], args: Sequence[Cells], kind: Kind,
          required: Sequence[bool] | None = None) -> list[list[Any]]:
    """Call the engine once over the cells that can be computed and build the Excel result.

    ``args`` broadcast to one shape (a single cell against a column is fine).
    A cell is an error when any argument's cell there is bad (the first one's
    text is shown); it is empty when a ``required`` argument's cell is empty
    (default: every argument is required); ``fn`` gets the other cells as 1-D
    arrays, with NaT/NaN for the empty cells of the optional arguments.
    """
    required = [True] * len(args) if required is None else list(required)
    shape = broadcast_shape(args)
    out = np.full(shape, None, dtype=object)
    errors = np.full(shape, None, dtype=object)
    bad = np.zeros(shape, dtype=bool)
    blank = np.zeros(shape, dtype=bool)
    for a, req in zip(args, required):
        if a.bad.any():  # the first argument's error wins
            new = np.broadcast_to(a.bad, shape) & ~bad
            errors[new] = np.broadcast_to(a.errors, shape)[new]
            bad |= new
        if req:
            blank |= np.broadcast_to(a.empty, shape)
    ok = ~bad & ~blank
    inputs = [np.broadcast_to(a.values, shape)[ok] for a in args]
    result, row_errors = _isolate(fn, inputs, kind)
    out[ok] = result
    if row_errors:
        pos = np.argwhere(ok)
        for k, text in row_errors.items():
            out[tuple(pos[k])] = text
    out[bad] = errors[bad]
    return rows(out)


def rows(out: np.ndarray) -> list[list[Any]]:
    """A 2-D object array as the list of rows Excel takes (a column without numpy's slow tolist)."""
    if out.shape[1] == 1:
        return [[v] for v in out.ravel().tolist()]
    return out.tolist()


def uses_1904(book: Any) -> bool:
    """Whether the book counts dates in the 1904 date system (older Mac workbooks): ``Date1904`` of the
    workbook through COM (Windows) or ``date_1904`` through AppleScript (macOS). xlwings Lite/Server
    cannot tell (no ``book.api``): False there."""
    try:
        api = book.api
    except (AttributeError, NotImplementedError):  # Lite/Server: no api; a fake book: none
        return False
    for read in (lambda: api.Date1904, lambda: api.date_1904.get()):
        try:
            return bool(read())
        except AttributeError:  # the other platform's name
            pass
    return False
