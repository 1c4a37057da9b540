"""Normalisation of a sheet against a canonical table: what staff type, read into typed columns.

Normalisation never drops a row with content. Every value it cannot read
becomes empty (NaT/NA) and one :class:`~cplkpi.scoring.errors.Problem` that
names sheet, Excel row and column. The result's DataFrame index is the Excel
row number, so any later finding can point back to the cell. The columns and
the words accepted are :mod:`cplkpi.scoring.schema`'s; each table's own checks
are :mod:`cplkpi.scoring.checks`'.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from .days import BANGKOK
from .errors import InputError, Problem, column_letter
from .schema import (
    FALSE_WORDS,
    HOLIDAY_WORDS,
    TRUE_WORDS,
    WORKDAY_WORDS,
    Column,
    Kind,
    canonical_status,
    header_key,
)
from .text import change_note, normalize_id, normalize_text, short_repr
from .thaidate import EXCEL_ERRORS, parse_dates, parse_month

__all__ = ["MAX_COUNT", "Normalized", "SheetProblems", "normalize"]

@dataclass
class Normalized:
    """A normalised table with its problems and where each canonical column came from."""

    table: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    sheet: str | None = None
    #: canonical name → (header as written, column letter)
    columns: dict[str, tuple[str, str]] = field(default_factory=dict)
    header_row: int = 1

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.severity == "error"]

    def raise_on_error(self) -> Normalized:
        """Raise :class:`InputError` with every error problem; return self when there is none."""
        if self.errors:
            raise InputError(self.errors)
        return self

    def cell(self, column: str, row: int) -> str:
        """Excel reference of a canonical column at an Excel row, e.g. ``D14``."""
        return f"{self.columns[column][1]}{row}" if column in self.columns else f"?{row}"


class SheetProblems:
    """Collects problems for one sheet."""

    def __init__(self, sheet: str | None, columns: dict[str, tuple[str, str]]):
        self.sheet, self.columns = sheet, columns
        self.problems: list[Problem] = []

    def add(self, code: str, th: str, en: str, row: int | None = None, column: str | None = None,
            severity: Literal["error", "warning"] = "error") -> None:
        header, letter = self.columns.get(column, (column, None)) if column else (None, None)
        self.problems.append(Problem(code, th, en, self.sheet, row, header, letter, severity))


def _rows_from(raw: pd.DataFrame | Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """Rows of a sheet, header included (a DataFrame's column names are its header row)."""
    if isinstance(raw, pd.DataFrame):
        return [list(map(str, raw.columns)), *raw.astype(object).where(raw.notna(), None).values.tolist()]
    return raw if isinstance(raw, list) else list(raw)


def _find_header(rows: Sequence[Sequence[Any]], spec: dict[str, Column], scan: int = 15) -> int | None:
    alias_keys = {header_key(a) for c in spec.values() for a in (c.name, c.label_th, *c.aliases)}
    best, best_hits = None, 0
    for i, row in enumerate(rows[:scan]):
        hits = sum(1 for v in row if v is not None and header_key(v) in alias_keys)
        if hits > best_hits:
            best, best_hits = i, hits
    return best if best_hits >= 1 else None


def _is_empty(v: Any) -> bool:
    return v is None or (isinstance(v, float) and np.isnan(v)) or (isinstance(v, str) and not v.strip())


def normalize(
    raw: pd.DataFrame | Sequence[Sequence[Any]],
    spec: dict[str, Column],
    sheet: str | None = None,
    *,
    first_row: int = 1,
) -> Normalized:
    """Normalise ``raw`` (rows as read from a sheet, header included, or a DataFrame) against ``spec``.

    ``first_row`` is the Excel row number of ``raw``'s first row. Unknown
    columns are kept under their own header; canonical columns are converted
    to their types.
    """
    rows = _rows_from(raw)
    ctx = SheetProblems(sheet, {})
    header_at = _find_header(rows, spec)
    if header_at is None:
        expected = ", ".join(c.label_th for c in spec.values() if c.required)
        th = "ไม่พบแถวหัวตาราง" if rows else "ชีตว่างเปล่า"
        en = "no header row found" if rows else "the sheet is empty"
        ctx.add("no_header", f"{th} ต้องมีคอลัมน์ {expected}", f"{en}; required columns: {expected}")
        none = pd.Index([], name="row", dtype=np.int64)  # typed like a read table: dates stay dates
        return Normalized(pd.DataFrame({n: _empty(c.kind, none) for n, c in spec.items()}, index=none),
                          ctx.problems, sheet)
    header = rows[header_at]
    header_row = first_row + header_at
    lookup: dict[str, str] = {}
    for c in spec.values():
        for a in (c.name, c.label_th, *c.aliases):
            lookup.setdefault(header_key(a), c.name)
    mapping: dict[int, str] = {}
    header = list(header)
    for j, h in enumerate(header):
        if _is_empty(h):
            continue
        clean = normalize_text(h).strip()
        letter = column_letter(j + 1)
        if clean != str(h).strip():
            th, en = change_note(h, clean, ("หัวตาราง", "header"))
            ctx.problems.append(Problem("header_normalized", th, en, sheet, header_row, clean, letter, "warning"))
            header[j] = h = clean
        name = lookup.get(header_key(h))
        if name is None:
            continue
        if name in ctx.columns:
            ctx.problems.append(Problem(
                "duplicate_column",
                f"คอลัมน์ {h!s} ซ้ำกับคอลัมน์ {ctx.columns[name][0]} ({ctx.columns[name][1]}): ใช้คอลัมน์แรก",
                f"column {h!s} duplicates column {ctx.columns[name][0]} ({ctx.columns[name][1]}); the first "
                "one is used", sheet, header_row, str(h).strip(), letter))
            continue
        ctx.columns[name] = (str(h).strip(), letter)
        mapping[j] = name
    for c in spec.values():
        if c.required and c.name not in ctx.columns:
            names = " / ".join(dict.fromkeys((c.label_th, *c.aliases[:3])))
            near = _near_header(c, header, mapping)
            hint_th = hint_en = ""
            if near and near[2] > _CLOSE_HEADER:
                hint_th = f" หัวตาราง {near[0]!r} ที่คอลัมน์ {near[1]} คล้ายกัน: ตรวจการสะกด"
                hint_en = f"; the header {near[0]!r} in column {near[1]} is close: check its spelling"
            elif near:
                hint_th = f" หัวตารางที่ใกล้เคียงที่สุดที่พบคือ {near[0]!r} ที่คอลัมน์ {near[1]}"
                hint_en = f"; the closest header found is {near[0]!r} in column {near[1]}"
            ctx.add("missing_column", f"ไม่มีคอลัมน์ที่จำเป็น: {c.label_th} (ใช้หัวตาราง {names}){hint_th}",
                    f"missing required column {c.name} (header {names}){hint_en}", header_row)
    width = len(header)
    frame = _data_frame(rows[header_at + 1:], width, header_row + 1)
    index = frame.index
    out: dict[str, Any] = {}
    for j, h in enumerate(header):
        if j in mapping:
            values = frame[j]
            values, error_rows = _take_errors(spec[mapping[j]], values, ctx)
            n_before = len(ctx.problems)
            out[mapping[j]] = _convert(spec[mapping[j]], values, ctx)
            if error_rows:  # an error value is reported once, not again as a missing value
                ctx.problems[n_before:] = [p for p in ctx.problems[n_before:] if p.row not in error_rows]
        elif not _is_empty(h):
            out[str(h).strip()] = frame[j]
    table = pd.DataFrame(out, index=index)
    for c in spec.values():
        if c.name not in table:
            table[c.name] = _empty(c.kind, index)
    canon = [c for c in spec if c in table]
    table = table[canon + [c for c in table.columns if c not in spec]]
    return Normalized(table, ctx.problems, sheet, ctx.columns, header_row)


def _data_frame(body: Sequence[Sequence[Any]], width: int, first_row: int) -> pd.DataFrame:
    """The data rows as an object DataFrame of ``width`` columns indexed by Excel row number,
    without the rows that are entirely empty (trailing blank rows, spacer rows)."""
    if not body:
        return pd.DataFrame({j: pd.Series([], dtype=object) for j in range(width)},
                            index=pd.Index([], name="row", dtype=np.int64))
    if any(len(r) != width for r in body):  # ragged rows (CSV, hand-built input): pad or cut to the header
        body = [list(r[:width]) + [None] * (width - len(r)) for r in body]
    frame = pd.DataFrame(list(body), dtype=object)
    frame.index = pd.Index(np.arange(first_row, first_row + len(frame)), name="row", dtype=np.int64)
    empty = np.ones(len(frame), dtype=bool)
    for j in range(width):
        empty &= _per_value(frame[j], _is_empty, bool)
        if not empty.any():
            break
    return frame[~empty] if empty.any() else frame


def _per_value(values: pd.Series, fn: Callable[[Any], Any], dtype: Any = object) -> np.ndarray:
    """``fn`` of every value, computed once per distinct value (None/NaN count as one value, None)."""
    codes, uniques = _factorize(values)
    results = np.array([fn(u) for u in uniques] + [fn(None)], dtype=dtype)
    return results[codes]


def _factorize(values: pd.Series) -> tuple[np.ndarray, list[Any]]:
    """Codes and distinct values of an object column; missing values get the code ``len(uniques)``."""
    arr = values.to_numpy(dtype=object)
    try:
        codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    except TypeError:  # values that cannot be compared with each other: one code each
        return np.arange(len(arr)), list(arr)
    distinct = list(uniques)
    return np.where(codes < 0, len(distinct), codes), distinct


#: A converted value and, when the value needs a word, (code, Thai, English, severity).
_Issue = tuple[str, str, str, Literal["error", "warning"]]


def _convert_each(col: Column, values: pd.Series, ctx: SheetProblems, one: Callable[[Any], tuple[Any, _Issue | None]],
                  dtype: Any, *, once: bool = False) -> pd.Series:
    """Convert a column with ``one(value) -> (result, issue)``, called once per distinct value
    (``None`` for the empty ones); each issue is reported for every row holding that value, or with
    ``once`` only at its first row, saying in how many rows it is (an unknown state written in 300 rows
    is one warning, as the import summary lists it, not 300)."""
    codes, uniques = _factorize(values)
    pairs = [one(u) for u in uniques] + [one(None)]
    results = pd.array([r for r, _ in pairs], dtype=dtype)
    bad = [k for k, (_, issue) in enumerate(pairs) if issue is not None]
    if bad:
        rows = values.index.to_numpy()
        positions = np.flatnonzero(np.isin(codes, bad))
        times: dict[int, int] = {}
        if once:
            kinds, first, count = np.unique(codes[positions], return_index=True, return_counts=True)
            positions = positions[np.sort(first)]
            times = dict(zip(kinds.tolist(), count.tolist()))
        for pos in positions:
            code, th, en, severity = pairs[codes[pos]][1]
            n = times.get(codes[pos], 1)
            if n > 1:
                th, en = f"{th} ({n:,} แถว เริ่มที่แถวนี้)", f"{en} ({n:,} rows, the first here)"
            ctx.add(code, th, en, int(rows[pos]), col.name, severity)
    return pd.Series(results.take(codes), index=values.index)


#: Above this similarity (difflib ratio of header keys) an unmatched header is taken for a misspelling.
_CLOSE_HEADER = 0.8


def _near_header(col: Column, header: Sequence[Any],
                 mapping: dict[int, str]) -> tuple[str, str, float] | None:
    """The unmatched header cell closest to one of ``col``'s names: (header, column letter, similarity),
    or None when every header cell was matched to another column."""
    keys = [header_key(a) for a in (col.name, col.label_th, *col.aliases)]
    best, best_ratio = None, -1.0
    for j, h in enumerate(header):
        if j in mapping or _is_empty(h):
            continue
        ratio = max(difflib.SequenceMatcher(None, header_key(h), k).ratio() for k in keys)
        if ratio > best_ratio:
            best, best_ratio = (str(h).strip(), column_letter(j + 1), ratio), ratio
    return best


def _take_errors(col: Column, values: pd.Series, ctx: SheetProblems) -> tuple[pd.Series, set[int]]:
    """Excel error values (``#N/A``…) become empty, each with a problem naming the cell (and formula).

    Returns the values and the rows that held an error.
    """
    hit = values.isin(EXCEL_ERRORS)
    if not hit.any():
        return values, set()
    severity: Literal["error", "warning"] = "warning" if col.kind == "text" else "error"
    errors = values[hit]
    for row, v in zip(errors.index, errors):
        code, formula = v.strip(), getattr(v, "formula", None)
        if formula is None:
            th = f"เซลล์มีค่าผิดพลาดของ Excel {code}: ใส่ค่าที่ถูกต้องแทน"
            en = f"the cell holds the Excel error value {code}; enter the right value"
        elif formula:
            th = f"สูตร ={formula} ให้ผลผิดพลาด {code}: แก้สูตรหรือใส่ค่าแทน"
            en = f"the formula ={formula} returns the error {code}; fix the formula or enter the value"
        else:
            th = f"สูตรในเซลล์ให้ผลผิดพลาด {code}: แก้สูตรหรือใส่ค่าแทน"
            en = f"the cell's formula returns the error {code}; fix the formula or enter the value"
        ctx.add("excel_error", th, en, int(row), col.name, severity)
    return values.where(~hit, None), set(values.index[hit])


def _empty(kind: Kind, index: pd.Index) -> pd.Series:
    if kind in ("date", "month"):
        return pd.Series(np.full(len(index), np.datetime64("NaT"), dtype="datetime64[s]"), index=index)
    if kind == "datetime":
        return pd.Series(pd.NaT, index=index, dtype="datetime64[ns]")
    if kind == "bool":
        return pd.Series(pd.NA, index=index, dtype="boolean")
    if kind == "int":
        return pd.Series(pd.NA, index=index, dtype="Int64")
    return pd.Series(pd.NA, index=index, dtype="string")


def _convert(col: Column, values: pd.Series, ctx: SheetProblems) -> pd.Series:
    kind = col.kind
    if kind == "date":
        parsed = parse_dates(values)
        for issue in parsed.issues:
            ctx.add(issue.code, issue.message_th, issue.message_en, int(values.index[issue.position]),
                    col.name, issue.severity)
        return pd.Series(parsed.days.astype("datetime64[s]"), index=values.index)
    if kind in _CONVERTERS:
        return _CONVERTERS[kind](col, values, ctx)
    if kind == "status":
        return _convert_each(col, values, ctx, _status_one, "string", once=True)
    return _convert_each(col, values, ctx, lambda v: (None if _is_empty(v) else _text(v), None), "string")


def _status_one(v: Any) -> tuple[Any, _Issue | None]:
    if _is_empty(v):
        return None, None
    text = _text(v)
    code = canonical_status(text)
    if code is not None:
        return code, None
    return text, ("unknown_status", f"สถานะไม่รู้จัก เก็บไว้ตามเดิม: {text!r}",
                  f"unknown status, kept as is: {text!r}", "warning")


def _text(v: Any) -> str:
    if isinstance(v, float) and v.is_integer():
        return str(int(v))
    return str(v).strip()


#: Excel keeps 15 significant digits: a longer id stored as a number has lost its last digits.
_EXCEL_DIGITS = 10.0**15


def _convert_id(col: Column, values: pd.Series, ctx: SheetProblems) -> pd.Series:
    """Ids as text, normalised (:func:`~cplkpi.scoring.text.normalize_id`: invisible characters, look-alikes,
    full-width digits, case) with a warning at each cell that normalisation changed."""
    def one(v: Any) -> tuple[Any, _Issue | None]:
        clean = normalize_id(v) if isinstance(v, str) else None
        if _is_empty(v) or clean == "":
            return None, ("missing_id", "ไม่มีเลขที่เรื่อง", "missing complaint id", "error")
        text = _text(v)
        if clean is not None and clean != text:
            th, en = change_note(v, clean, ("เลขที่เรื่อง", "complaint id"))
            return clean, ("id_normalized", th, en, "warning")
        if isinstance(v, float | np.floating) and abs(float(v)) >= _EXCEL_DIGITS:
            return text, ("id_precision",
                          f"เลขที่เรื่อง {text} ยาวเกิน 15 หลักและเก็บเป็นตัวเลข Excel จึงปัดหลักท้ายทิ้งแล้ว: "
                          "จัดรูปแบบคอลัมน์เป็นข้อความแล้วใส่เลขที่ใหม่จากต้นฉบับ",
                          f"complaint id {text} has more than 15 digits and is stored as a number, so Excel "
                          "has dropped its last digits: format the column as text and enter the ids again",
                          "warning")
        return text, None

    return _convert_each(col, values, ctx, one, "string")


#: Yes/no columns where any other text means "yes" (a link or the file name of the evidence).
_LENIENT_BOOL = frozenset({"has_evidence"})


def _convert_bool(col: Column, values: pd.Series, ctx: SheetProblems) -> pd.Series:
    def one(v: Any) -> tuple[Any, _Issue | None]:
        if _is_empty(v):
            return pd.NA, None
        if isinstance(v, bool | np.bool_):
            return bool(v), None
        if isinstance(v, int | float | np.integer | np.floating) and v in (0, 1):
            return bool(v), None
        k = header_key(v)
        if k in FALSE_WORDS:
            return False, None
        if k in TRUE_WORDS or col.name in _LENIENT_BOOL:
            return True, None  # มี, ✓, a link or a file name of the evidence
        return pd.NA, ("bool_invalid", f"ต้องเป็น ใช่/ไม่ใช่ (ถูกต้อง/ไม่ถูกต้อง): {v!r}",
                       f"must be yes or no (ถูกต้อง/ไม่ถูกต้อง): {v!r}", "error")

    return _convert_each(col, values, ctx, one, "boolean")


#: Largest count a cell may hold (a complaint reopened a million times is a typing error); sums of
#: 300,000 rows of it stay far inside a 64-bit integer.
MAX_COUNT = 1_000_000


def _convert_int(col: Column, values: pd.Series, ctx: SheetProblems) -> pd.Series:
    def one(v: Any) -> tuple[Any, _Issue | None]:
        if _is_empty(v):
            return pd.NA, None
        text = str(v).strip()
        if isinstance(v, int):
            n = v
        elif text.isascii() and text.isdigit():  # digits only: exact, however many (no float rounding)
            n = int(text) if len(text) <= 20 else MAX_COUNT + 1
        else:
            try:
                f = float(v) if isinstance(v, float) else float(text)
            except ValueError:
                f = -1.0
            n = int(f) if f.is_integer() else -1  # inf, nan and fractions are not counts
        if n < 0 or n > MAX_COUNT:
            shown = short_repr(v)
        if n < 0:
            return pd.NA, ("not_a_count", f"ต้องเป็นจำนวนเต็มไม่ติดลบ: {shown}",
                           f"must be a whole number >= 0: {shown}", "error")
        if n > MAX_COUNT:
            return pd.NA, ("not_a_count", f"จำนวนมากเกินไป ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง {MAX_COUNT:,}: {shown}",
                           f"too large: must be a whole number from 0 to {MAX_COUNT:,}: {shown}", "error")
        return n, None

    return _convert_each(col, values, ctx, one, "Int64")


def _convert_datetime(col: Column, values: pd.Series, ctx: SheetProblems) -> pd.Series:
    """Timestamps in Bangkok local time (naive); date-only input gives midnight."""
    def one(v: Any) -> tuple[Any, _Issue | None]:
        if _is_empty(v):
            return pd.NaT, None
        if isinstance(v, pd.Timestamp | np.datetime64) or (hasattr(v, "hour") and hasattr(v, "date")):
            ts = pd.Timestamp(v)
            if ts.tzinfo is not None:
                ts = ts.tz_convert(BANGKOK).tz_localize(None)
            if ts.year >= 2400:
                return ts - pd.DateOffset(years=543), (
                    "year_be_as_ce", "ปี พ.ศ. ถูกบันทึกเป็น ค.ศ. จึงลบ 543 ปี",
                    "B.E. year stored as C.E.; 543 years subtracted", "warning")
            return ts, None
        parsed = parse_dates([v])
        issue = parsed.issues[0] if parsed.issues else None
        word = None if issue is None else (issue.code, issue.message_th, issue.message_en, issue.severity)
        if np.isnat(parsed.days[0]):
            return pd.NaT, word
        return pd.Timestamp(parsed.days[0]) + (_time_of_day(v) or pd.Timedelta(0)), word

    return _convert_each(col, values, ctx, one, "datetime64[ns]")


_TIME_RE = re.compile(r"(\d{1,2})[:.](\d{2})(?:[:.](\d{2}))?\s*(?:น\.?)?\s*$")


def _time_of_day(v: Any) -> pd.Timedelta | None:
    """The time of day written at the end of a text timestamp (``08:28 น.``), if any."""
    if not isinstance(v, str) or re.search(r"[+-]\d{2}(:?\d{2})?$|Z$", v.strip()):
        return None
    m = _TIME_RE.search(v)
    if not m or ("-" in v[:10] and ":" not in v):
        return None
    return pd.Timedelta(hours=int(m[1]), minutes=int(m[2]), seconds=int(m[3] or 0))


def _convert_month(col: Column, values: pd.Series, ctx: SheetProblems) -> pd.Series:
    def one(v: Any) -> tuple[Any, _Issue | None]:
        if _is_empty(v):
            return pd.NaT, None
        try:
            return pd.Timestamp(parse_month(v)), None
        except (ValueError, TypeError):
            return pd.NaT, ("month_invalid", f"อ่านเดือนไม่ได้: {v!r} (ตัวอย่าง ต.ค. 2562)",
                            f"cannot read the month: {v!r} (e.g. ต.ค. 2562)", "error")

    return _convert_each(col, values, ctx, one, "datetime64[s]")


def _convert_override(col: Column, values: pd.Series, ctx: SheetProblems) -> pd.Series:
    def one(v: Any) -> tuple[Any, _Issue | None]:
        k = header_key(v)
        if k in HOLIDAY_WORDS:
            return "holiday", None
        if k in WORKDAY_WORDS:
            return "workday", None
        return pd.NA, ("override_kind", f"ประเภทต้องเป็น วันหยุด หรือ วันทำงาน: {v!r}",
                       f"kind must be วันหยุด (holiday) or วันทำงาน (workday): {v!r}", "error")

    return _convert_each(col, values, ctx, one, "string")


#: The converter of each kind of column read one value at a time (dates, statuses and text: :func:`_convert`).
_CONVERTERS: dict[Kind, Callable[[Column, pd.Series, SheetProblems], pd.Series]] = {
    "datetime": _convert_datetime, "month": _convert_month, "id": _convert_id, "bool": _convert_bool,
    "int": _convert_int, "override": _convert_override,
}
