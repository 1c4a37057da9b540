"""The canonical input tables and their normalisation from what staff type.

Column names in code are English (DESIGN.md "Canonical tables"); a workbook may
use Thai or English headers, matched by the aliases below (case, spaces and
punctuation ignored), in any order, with title rows above the header.

Normalisation never drops a row with content. Every value it cannot read
becomes empty (NaT/NA) and one :class:`~cplkpi.scoring.errors.Problem` that
names sheet, Excel row and column. The result's DataFrame index is the Excel
row number, so any later finding can point back to the cell.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Self

import numpy as np
import pandas as pd

from .errors import InputError, Problem, column_letter
from .text import change_note, normalize_id, normalize_text, short_repr
from .thaidate import EXCEL_ERRORS, format_thai_date, format_thai_month, parse_dates, parse_month

__all__ = [
    "ACKNOWLEDGED_STATUSES",
    "AUDIT_SAMPLE",
    "CALENDAR_OVERRIDES",
    "CLOSED_STATUSES",
    "COMPLAINTS",
    "MONTHLY_REPORTS",
    "PROGRESS",
    "SHEETS",
    "STATUSES",
    "Column",
    "ExcelError",
    "Normalized",
    "canonical_status",
    "has_text",
    "normalize",
    "normalize_audit_sample",
    "normalize_calendar_overrides",
    "normalize_complaints",
    "normalize_monthly_reports",
    "normalize_progress",
]

Kind = Literal["id", "text", "date", "datetime", "bool", "int", "status", "month", "override"]


class ExcelError(str):
    """An Excel error value read from a cell (``#N/A``, ``#DIV/0!``…), with the formula that gave it.

    Readers put one in the rows where a cell holds an error, so that the
    problem can name the formula; a plain string equal to an error value is
    recognised too (CSV, xlwings).
    """

    formula: str | None

    def __new__(cls, code: str, formula: str | None = None) -> Self:
        obj = super().__new__(cls, code)
        obj.formula = formula
        return obj


@dataclass(frozen=True)
class Column:
    """One canonical column: its name in code, its type, Thai label and accepted header aliases."""

    name: str
    kind: Kind
    label_th: str
    aliases: tuple[str, ...] = ()
    required: bool = False


def _cols(*cols: Column) -> dict[str, Column]:
    return {c.name: c for c in cols}


_ID_ALIASES = ("เลขที่เรื่อง", "เลขที่", "เลขเรื่อง", "รหัสเรื่อง", "เลขที่เรื่องร้องเรียน", "เลขที่รับเรื่อง",
               "ticket_id", "ticket id", "complaint id", "complaint no", "id")

COMPLAINTS = _cols(
    Column("complaint_id", "id", "เลขที่เรื่อง", _ID_ALIASES, required=True),
    Column("agency", "text", "หน่วยงาน", ("หน่วยงาน", "หน่วยงานที่รับผิดชอบ", "สำนักงานเขต", "agency")),
    Column("unit", "text", "ฝ่าย", ("ฝ่าย", "หน่วยงานย่อย", "ฝ่ายที่รับผิดชอบ", "unit")),
    Column("channel", "text", "ช่องทาง", ("ช่องทาง", "ช่องทางการร้องเรียน", "ช่องทางรับเรื่อง", "channel")),
    Column("subject", "text", "เรื่อง", ("เรื่อง", "หัวเรื่อง", "ชื่อเรื่อง", "ประเภทเรื่อง", "subject", "title")),
    Column("detail", "text", "รายละเอียด", ("รายละเอียด", "รายละเอียดเรื่องร้องเรียน", "รายละเอียดเรื่อง",
                                              "detail", "description", "comment")),
    Column("received_at", "datetime", "วันที่รับแจ้ง", ("วันที่รับแจ้ง", "วันที่ร้องเรียน", "วันที่แจ้ง",
                                                         "วันเวลาที่แจ้ง", "received", "received at", "timestamp")),
    Column("forwarded_on", "date", "วันที่ศูนย์แจ้งเรื่อง",
           ("วันที่ศูนย์แจ้งเรื่อง", "วันที่ศูนย์ฯแจ้งเรื่อง", "วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง", "วันที่ส่งเรื่อง",
            "วันที่ได้รับแจ้ง", "วันที่ส่งต่อ", "forwarded", "forwarded on", "forwarded date"), required=True),
    Column("acknowledged_on", "date", "วันที่ตอบรับ", ("วันที่ตอบรับ", "วันที่ตอบรับเรื่อง", "วันที่รับเรื่อง",
                                                     "acknowledged", "acknowledged on")),
    Column("first_progress_on", "date", "วันที่รายงานความก้าวหน้า",
           ("วันที่รายงานความก้าวหน้า", "วันที่รายงานความก้าวหน้าครั้งที่1", "วันที่รายงานความก้าวหน้าครั้งแรก",
            "first progress", "first progress on", "progress")),
    Column("resolved_on", "date", "วันที่แล้วเสร็จ", ("วันที่แล้วเสร็จ", "วันที่ดำเนินการแล้วเสร็จ", "วันที่เสร็จสิ้น",
                                                      "วันที่ดำเนินการเสร็จสิ้น", "resolved", "resolved on",
                                                      "completed on")),
    Column("status", "status", "สถานะ", ("สถานะ", "สถานะเรื่อง", "สถานะการดำเนินการ", "status", "state")),
    Column("result_detail", "text", "ผลการดำเนินการ", ("ผลการดำเนินการ", "รายละเอียดผลการดำเนินการ",
                                                       "ผลการแก้ไข", "result", "result detail")),
    Column("has_evidence", "bool", "หลักฐาน", ("หลักฐาน", "มีหลักฐาน", "ภาพก่อนหลัง", "ภาพก่อนหลังหรือหลักฐาน",
                                               "รูปภาพก่อนหลังหรือหลักฐาน", "evidence", "has evidence")),
    Column("reopen_count", "int", "จำนวนครั้งที่เปิดใหม่", ("จำนวนครั้งที่เปิดใหม่", "เปิดใหม่ครั้งที่",
                                                               "count reopen", "reopen count", "reopens")),
    Column("reopened_on", "date", "วันที่ส่งเรื่องใหม่", ("วันที่ส่งเรื่องใหม่", "วันที่เปิดเรื่องใหม่",
                                                          "วันที่ศูนย์ส่งเรื่องใหม่", "reopened", "reopened on")),
)

PROGRESS = _cols(
    Column("complaint_id", "id", "เลขที่เรื่อง", _ID_ALIASES, required=True),
    Column("reported_on", "date", "วันที่รายงาน", ("วันที่รายงาน", "วันที่รายงานความก้าวหน้า", "วันที่",
                                                 "reported on", "reported", "date"), required=True),
    Column("text", "text", "ความก้าวหน้า", ("ความก้าวหน้า", "รายละเอียดความก้าวหน้า", "ข้อความ", "รายละเอียด",
                                           "text", "progress")),
)

MONTHLY_REPORTS = _cols(
    Column("agency", "text", "หน่วยงาน", ("หน่วยงาน", "agency")),
    Column("month", "month", "เดือน", ("เดือน", "ประจำเดือน", "month"), required=True),
    Column("sent_on", "date", "วันที่ส่งรายงาน", ("วันที่ส่งรายงาน", "วันที่ส่ง", "วันที่ส่งกองกลาง", "sent on", "sent")),
)

AUDIT_SAMPLE = _cols(
    Column("agency", "text", "หน่วยงาน", ("หน่วยงาน", "agency")),
    Column("month", "month", "เดือน", ("เดือน", "month"), required=True),
    Column("complaint_id", "id", "เลขที่เรื่อง", _ID_ALIASES, required=True),
    Column("correct", "bool", "ผลการตรวจ", ("ผลการตรวจ", "ถูกต้อง", "correct", "result")),
    Column("comment", "text", "หมายเหตุ", ("หมายเหตุ", "ความเห็น", "comment", "note")),
)

CALENDAR_OVERRIDES = _cols(
    Column("date", "date", "วันที่", ("วันที่", "date"), required=True),
    Column("kind", "override", "ประเภท", ("ประเภท", "ชนิด", "kind", "type"), required=True),
    Column("note", "text", "หมายเหตุ", ("หมายเหตุ", "ชื่อวันหยุด", "note", "name")),
)

#: Canonical status codes and their Thai labels (Traffy/MIS states).
STATUSES: dict[str, str] = {
    "waiting": "รอรับเรื่อง",
    "acknowledged": "รับเรื่อง",
    "in_progress": "กำลังดำเนินการ",
    "forwarded": "ส่งต่อ(ใหม่)",
    "follow_up": "ติดตามเรื่อง",
    "completed": "เสร็จสิ้น",
    "irrelevant": "ไม่เกี่ยวข้อง",
    "studying": "ศึกษาปัญหา",
    "legal": "ขั้นตอนทางกฎหมาย",
}
#: Status codes of a closed complaint: finished, or closed by the agency as not its matter. Such a
#: complaint is never work to do, whether or not the source gave its closing date.
CLOSED_STATUSES: tuple[str, ...] = ("completed", "irrelevant")
#: Status codes of an open complaint the agency has taken on: the source's state proves it was
#: acknowledged even when no acknowledgement date is given (รับเรื่อง, กำลังดำเนินการ — จัดซื้อจัดจ้าง,
#: ของบประมาณ —, ติดตามเรื่อง, ศึกษาปัญหา, ขั้นตอนทางกฎหมาย). ส่งต่อ(ใหม่) is not among them: Traffy
#: writes it for a ticket newly handed to the agency, still to be acknowledged (docs/decisions.md).
ACKNOWLEDGED_STATUSES: tuple[str, ...] = ("acknowledged", "in_progress", "follow_up", "studying", "legal")
_STATUS_ALIASES: dict[str, str] = {
    "ดำเนินการเสร็จสิ้น": "completed", "เสร็จสิ้นแล้ว": "completed", "แล้วเสร็จ": "completed",
    "ดำเนินการแล้วเสร็จ": "completed", "เสร็จ": "completed", "done": "completed", "finish": "completed",
    "closed": "completed", "resolved": "completed",
    "อยู่ระหว่างดำเนินการ": "in_progress", "ระหว่างดำเนินการ": "in_progress", "inprogress": "in_progress",
    "ส่งต่อ": "forwarded", "ส่งต่อใหม่": "forwarded", "รอรับ": "waiting", "pending": "waiting",
    "ตอบรับ": "acknowledged", "รับเรื่องแล้ว": "acknowledged", "ติดตาม": "follow_up",
}

#: The sheets of a complaint workbook: canonical key → (Thai name, accepted names).
SHEETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "complaints": ("เรื่องร้องเรียน", ("เรื่องร้องเรียน", "เรื่องร้องทุกข์", "complaints", "data")),
    "progress": ("รายงานความก้าวหน้า", ("รายงานความก้าวหน้า", "ความก้าวหน้า", "progress")),
    "monthly_reports": ("รายงานประจำเดือน", ("รายงานประจำเดือน", "การรายงานผล", "monthly reports", "monthly_reports")),
    "audit_sample": ("สุ่มตรวจ", ("สุ่มตรวจ", "ตัวอย่างสุ่มตรวจ", "audit sample", "audit_sample")),
    "calendar": ("ปฏิทิน", ("ปฏิทิน", "วันหยุด", "วันหยุดเพิ่มเติม", "calendar", "holidays")),
}


def header_key(text: Any) -> str:
    """Header matching key: :func:`~cplkpi.scoring.text.normalize_text` (no invisible characters, Thai
    look-alikes unified), NFKC, lower case, no spaces, punctuation or 'ฯ'."""
    return re.sub(r"[\s_\-–.:/()\[\]*#'\"ฯ]+", "",
                  unicodedata.normalize("NFKC", normalize_text(text))).lower()


_TRUE = frozenset(header_key(x) for x in ("มี", "ใช่", "ถูกต้อง", "ถูก", "ทำ", "yes", "y", "true", "1", "✓", "✔", "x",
                                            "ok", "correct", "มีหลักฐาน", "ผ่าน"))
_FALSE = frozenset(header_key(x) for x in ("ไม่มี", "ไม่ใช่", "ไม่", "ไม่ทำ", "ไม่ถูกต้อง", "ผิด", "no", "n", "false", "0",
                                             "-", "–", "incorrect", "ไม่ผ่าน", "ไม่มีหลักฐาน"))
_HOLIDAY_WORDS = frozenset(header_key(x) for x in ("วันหยุด", "หยุด", "วันหยุดเพิ่ม", "holiday", "off"))
_WORKDAY_WORDS = frozenset(header_key(x) for x in ("วันทำงาน", "ทำงาน", "วันทำงานเพิ่ม", "ยกเลิกวันหยุด",
                                              "workday", "working day", "work"))
#: status text key → canonical code: the codes, their Thai labels, then the aliases
_STATUS_LOOKUP: dict[str, str] = {
    **{header_key(a): code for a, code in _STATUS_ALIASES.items()},
    **{header_key(label): code for code, label in STATUSES.items()},
    **{header_key(code): code for code in STATUSES},
}
_NO_TEXT = frozenset(header_key(x) for x in ("", "-", "–", "ไม่มี", "n/a", "na", "none", "null"))


def yes_no(value: Any) -> bool | None:
    """True/False for a yes/no answer (มี, ใช่, ถูกต้อง, ✓, yes, 1 … / ไม่มี, ไม่ใช่, -, no, 0 …),
    None when empty; raises ValueError for anything else."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    k = header_key(value)
    if k in _TRUE:
        return True
    if k in _FALSE:
        return False
    raise ValueError(f"ต้องเป็น ใช่/ไม่ใช่ (must be yes or no): {value!r}")


def has_text(values: pd.Series) -> pd.Series:
    """True where a text column holds a real answer (not empty, "-" or "ไม่มี")."""
    keys = values.fillna("").astype(str).map(header_key)
    return ~keys.isin(_NO_TEXT)


def canonical_status(value: Any) -> str | None:
    """Canonical status code of a Thai/English status text, or None when unknown."""
    return _STATUS_LOOKUP.get(header_key(value))


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


class _Ctx:
    """Collects problems for one sheet."""

    def __init__(self, sheet: str | None, columns: dict[str, tuple[str, str]]):
        self.sheet, self.columns, self.problems = sheet, columns, []

    def add(self, code: str, th: str, en: str, row: int | None = None, column: str | None = None,
            severity: Literal["error", "warning"] = "error") -> None:
        header, letter = self.columns.get(column, (column, None)) if column else (None, None)
        self.problems.append(Problem(code, th, en, self.sheet, row, header, letter, severity))


def _rows_from(raw: pd.DataFrame | Sequence[Sequence[Any]]) -> Sequence[Sequence[Any]]:
    """Rows of a sheet, header included (a DataFrame's column names are its header row)."""
    if isinstance(raw, pd.DataFrame):
        return [list(map(str, raw.columns))] + raw.astype(object).where(raw.notna(), None).values.tolist()
    return raw if isinstance(raw, list) else list(raw)


def _find_header(rows: list[list[Any]], spec: dict[str, Column], scan: int = 15) -> int | None:
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
    ctx = _Ctx(sheet, {})
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
    lookup = {}
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
    uniques = list(uniques)
    return np.where(codes < 0, len(uniques), codes), uniques


#: A converted value and, when the value needs a word, (code, Thai, English, severity).
_Issue = tuple[str, str, str, Literal["error", "warning"]]


def _convert_each(col: Column, values: pd.Series, ctx: _Ctx, one: Callable[[Any], tuple[Any, _Issue | None]],
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
    import difflib

    keys = [header_key(a) for a in (col.name, col.label_th, *col.aliases)]
    best, best_ratio = None, -1.0
    for j, h in enumerate(header):
        if j in mapping or _is_empty(h):
            continue
        ratio = max(difflib.SequenceMatcher(None, header_key(h), k).ratio() for k in keys)
        if ratio > best_ratio:
            best, best_ratio = (str(h).strip(), column_letter(j + 1), ratio), ratio
    return best


def _take_errors(col: Column, values: pd.Series, ctx: _Ctx) -> tuple[pd.Series, set[int]]:
    """Excel error values (``#N/A``…) become empty, each with a problem naming the cell (and formula).

    Returns the values and the rows that held an error.
    """
    hit = values.isin(EXCEL_ERRORS)
    if not hit.any():
        return values, set()
    severity: Literal["error", "warning"] = "warning" if col.kind == "text" else "error"
    for row, v in values[hit].items():
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


def _convert(col: Column, values: pd.Series, ctx: _Ctx) -> pd.Series:
    kind = col.kind
    if kind == "date":
        parsed = parse_dates(values)
        for issue in parsed.issues:
            ctx.add(issue.code, issue.message_th, issue.message_en, int(values.index[issue.position]),
                    col.name, issue.severity)
        return pd.Series(parsed.days.astype("datetime64[s]"), index=values.index)
    if kind == "datetime":
        return _convert_datetime(col, values, ctx)
    if kind == "month":
        return _convert_month(col, values, ctx)
    if kind == "id":
        return _convert_id(col, values, ctx)
    if kind == "bool":
        return _convert_bool(col, values, ctx)
    if kind == "int":
        return _convert_int(col, values, ctx)
    if kind == "override":
        return _convert_override(col, values, ctx)
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


def _convert_id(col: Column, values: pd.Series, ctx: _Ctx) -> pd.Series:
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
        if isinstance(v, float | np.floating) and abs(v) >= _EXCEL_DIGITS:
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


def _convert_bool(col: Column, values: pd.Series, ctx: _Ctx) -> pd.Series:
    def one(v: Any) -> tuple[Any, _Issue | None]:
        if _is_empty(v):
            return pd.NA, None
        if isinstance(v, bool | np.bool_):
            return bool(v), None
        if isinstance(v, int | float | np.integer | np.floating) and v in (0, 1):
            return bool(v), None
        k = header_key(v)
        if k in _FALSE:
            return False, None
        if k in _TRUE or col.name in _LENIENT_BOOL:
            return True, None  # มี, ✓, a link or a file name of the evidence
        return pd.NA, ("bool_invalid", f"ต้องเป็น ใช่/ไม่ใช่ (ถูกต้อง/ไม่ถูกต้อง): {v!r}",
                       f"must be yes or no (ถูกต้อง/ไม่ถูกต้อง): {v!r}", "error")

    return _convert_each(col, values, ctx, one, "boolean")


#: Largest count a cell may hold (a complaint reopened a million times is a typing error); sums of
#: 300,000 rows of it stay far inside a 64-bit integer.
MAX_COUNT = 1_000_000


def _convert_int(col: Column, values: pd.Series, ctx: _Ctx) -> pd.Series:
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


def _convert_datetime(col: Column, values: pd.Series, ctx: _Ctx) -> pd.Series:
    """Timestamps in Bangkok local time (naive); date-only input gives midnight."""
    from .days import BANGKOK

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


def _convert_month(col: Column, values: pd.Series, ctx: _Ctx) -> pd.Series:
    def one(v: Any) -> tuple[Any, _Issue | None]:
        if _is_empty(v):
            return pd.NaT, None
        try:
            return pd.Timestamp(parse_month(v)), None
        except (ValueError, TypeError):
            return pd.NaT, ("month_invalid", f"อ่านเดือนไม่ได้: {v!r} (ตัวอย่าง ต.ค. 2562)",
                            f"cannot read the month: {v!r} (e.g. ต.ค. 2562)", "error")

    return _convert_each(col, values, ctx, one, "datetime64[s]")


def _convert_override(col: Column, values: pd.Series, ctx: _Ctx) -> pd.Series:
    def one(v: Any) -> tuple[Any, _Issue | None]:
        k = header_key(v)
        if k in _HOLIDAY_WORDS:
            return "holiday", None
        if k in _WORKDAY_WORDS:
            return "workday", None
        return pd.NA, ("override_kind", f"ประเภทต้องเป็น วันหยุด หรือ วันทำงาน: {v!r}",
                       f"kind must be วันหยุด (holiday) or วันทำงาน (workday): {v!r}", "error")

    return _convert_each(col, values, ctx, one, "string")


# --- per-table checks ---------------------------------------------------------


def _check_duplicates(norm: Normalized, ctx: _Ctx, key: str = "complaint_id") -> None:
    ids = norm.table[key]
    dup = ids.notna() & ids.duplicated(keep="first")
    if dup.any():
        first_rows = ids[ids.notna()].reset_index().groupby(key)["row"].min()
        for row, v in ids[dup].items():
            ctx.add("duplicate_id", f"เลขที่เรื่องซ้ำ {v} (ซ้ำกับแถว {first_rows[v]})",
                    f"duplicate complaint id {v} (first at row {first_rows[v]})", int(row), key)


_ORDER_CHECKS = (
    # later column, earlier column, Thai, English
    ("acknowledged_on", "forwarded_on", "วันที่ตอบรับก่อนวันที่ศูนย์แจ้งเรื่อง", "acknowledged before forwarded"),
    ("first_progress_on", "acknowledged_on", "วันที่รายงานความก้าวหน้าก่อนวันที่ตอบรับ",
     "first progress report before acknowledgement"),
    ("resolved_on", "forwarded_on", "วันที่แล้วเสร็จก่อนวันที่ศูนย์แจ้งเรื่อง", "resolved before forwarded"),
    ("reopened_on", "forwarded_on", "วันที่ส่งเรื่องใหม่ก่อนวันที่ศูนย์แจ้งเรื่อง", "reopened before forwarded"),
)


#: Complaint dates that deadlines are computed from or compared with on the business-day calendar.
_CALENDAR_DATES = ("forwarded_on", "acknowledged_on", "first_progress_on", "resolved_on", "reopened_on")


def _calendar_span() -> tuple[np.datetime64, np.datetime64]:
    from .calendar import _settings

    cfg = _settings()
    return np.datetime64(f"{cfg['first_year']}-01-01"), np.datetime64(f"{cfg['last_year']}-12-31")


def _check_calendar_range(norm: Normalized, ctx: _Ctx, columns: Sequence[str]) -> None:
    """Dates outside the years the calendar covers are errors (SPEC §2), not silent guesses: each one
    is reported with its cell and left empty."""
    first, last = _calendar_span()
    for name in columns:
        if name not in norm.columns:
            continue
        days = norm.table[name].to_numpy().astype("datetime64[D]")
        bad = ~np.isnat(days) & ((days < first) | (days > last))
        for row, d in zip(norm.table.index[bad], days[bad]):
            ctx.add("date_out_of_calendar",
                    f"วันที่ {format_thai_date(d)} อยู่นอกช่วงปฏิทินวันทำการที่รองรับ {format_thai_date(first)} – "
                    f"{format_thai_date(last)}: ตรวจปี พ.ศ./ค.ศ.",
                    f"date {d} is outside the covered business-day calendar {first} – {last}: check the "
                    "year (B.E./C.E.)", int(row), name)
        if bad.any():
            norm.table.loc[bad, name] = pd.NaT


def _check_required_values(norm: Normalized, ctx: _Ctx, columns: Sequence[str]) -> None:
    """An empty cell in a required column of a row with content is an error (unless its cell already
    has a problem), so that no row silently drops out."""
    said = {(p.row, p.column) for p in (*norm.problems, *ctx.problems)}
    for name in columns:
        if name not in norm.columns:
            continue
        header = norm.columns[name][0]
        for row in norm.table.index[norm.table[name].isna()]:
            if (row, header) not in said:
                ctx.add("missing_value", f"ไม่มีค่าในคอลัมน์ที่จำเป็น: {header}",
                        f"empty cell in the required column {name}", int(row), name)


def normalize_complaints(
    raw: pd.DataFrame | Sequence[Sequence[Any]], sheet: str | None = "เรื่องร้องเรียน", *, first_row: int = 1
) -> Normalized:
    """Normalise a complaint sheet; checks ids, required values, date order and statuses."""
    norm = normalize(raw, COMPLAINTS, sheet, first_row=first_row)
    ctx = _Ctx(sheet, norm.columns)
    t = norm.table
    if t.empty and not norm.problems:
        ctx.add("no_rows", "ไม่มีเรื่องร้องเรียนใต้หัวตาราง", "no complaint rows under the header",
                norm.header_row, None, "warning")
    _check_calendar_range(norm, ctx, _CALENDAR_DATES)
    if "complaint_id" in norm.columns:
        _check_duplicates(norm, ctx)
    if "forwarded_on" in norm.columns:
        header = norm.columns["forwarded_on"][0]
        said = {p.row for p in (*norm.problems, *ctx.problems) if p.column == header}
        for row in t.index[t["forwarded_on"].isna()]:
            if row not in said:
                ctx.add("missing_date", "ไม่มีวันที่ศูนย์แจ้งเรื่อง", "missing forwarding date", int(row), "forwarded_on")
    reopened = t["reopened_on"]
    for later, earlier, th, en in _ORDER_CHECKS:
        if later not in norm.columns or earlier not in norm.columns:
            continue
        a, b = t[later], t[earlier]
        bad = a.notna() & b.notna() & (a < b)
        if later in ("acknowledged_on", "first_progress_on"):
            bad &= ~(reopened.notna())  # a reopened complaint's dates belong to its new cycle
        for row in t.index[bad]:
            ctx.add("date_order", f"{th}: {format_thai_date(a[row])} < {format_thai_date(b[row])}",
                    f"{en}: {a[row]:%Y-%m-%d} < {b[row]:%Y-%m-%d}", int(row), later)
    if "status" in norm.columns and "resolved_on" in norm.columns:
        done = t["status"] == "completed"
        for row in t.index[done.fillna(False) & t["resolved_on"].isna()]:
            ctx.add("status_without_date", "สถานะเสร็จสิ้นแต่ไม่มีวันที่แล้วเสร็จ",
                    "status is completed but there is no resolution date", int(row), "resolved_on", "warning")
        closed = t["status"].isin(CLOSED_STATUSES)  # ไม่เกี่ยวข้อง is closed on a date too
        for row in t.index[~closed.fillna(False) & t["status"].notna() & t["resolved_on"].notna()]:
            ctx.add("date_without_status", "มีวันที่แล้วเสร็จแต่สถานะยังไม่เสร็จสิ้น",
                    "a resolution date is given but the status is not completed", int(row), "status", "warning")
    norm.problems.extend(ctx.problems)
    return norm


def normalize_progress(
    raw: pd.DataFrame | Sequence[Sequence[Any]],
    sheet: str | None = "รายงานความก้าวหน้า",
    *,
    complaint_ids: pd.Series | None = None,
    first_row: int = 1,
) -> Normalized:
    """Normalise a progress-report sheet; with ``complaint_ids``, reports unknown complaints."""
    norm = normalize(raw, PROGRESS, sheet, first_row=first_row)
    ctx = _Ctx(sheet, norm.columns)
    t = norm.table
    reported = {p.row for p in norm.problems}
    for row in t.index[t["reported_on"].isna()]:
        if row not in reported:
            ctx.add("missing_date", "ไม่มีวันที่รายงาน", "missing report date", int(row), "reported_on")
    if complaint_ids is not None and "complaint_id" in norm.columns:
        ids = t["complaint_id"]
        unknown = ids.notna() & ~ids.isin(complaint_ids.dropna())
        for row, v in ids[unknown].items():
            ctx.add("unknown_complaint", f"ไม่พบเลขที่เรื่อง {v} ในชีตเรื่องร้องเรียน",
                    f"complaint {v} is not in the complaint sheet", int(row), "complaint_id", "warning")
    norm.problems.extend(ctx.problems)
    return norm


def normalize_monthly_reports(
    raw: pd.DataFrame | Sequence[Sequence[Any]], sheet: str | None = "รายงานประจำเดือน", *, first_row: int = 1
) -> Normalized:
    """Normalise the Step-3 sheet: one row per month (per agency, when it names agencies) with the date
    the summary was sent."""
    norm = normalize(raw, MONTHLY_REPORTS, sheet, first_row=first_row)
    ctx = _Ctx(sheet, norm.columns)
    _check_required_values(norm, ctx, ["month"])
    months = norm.table["month"]
    agencies = norm.table["agency"].astype("string").fillna("").str.split().str.join(" ")
    dup = months.notna() & pd.DataFrame({"a": agencies, "m": months}).duplicated(keep="first")
    for row, m in months[dup].items():
        ctx.add("duplicate_month", f"เดือนซ้ำ {format_thai_month(m, long=True)}", f"duplicate month {m:%Y-%m}",
                int(row), "month")
    norm.problems.extend(ctx.problems)
    return norm


def normalize_audit_sample(
    raw: pd.DataFrame | Sequence[Sequence[Any]], sheet: str | None = "สุ่มตรวจ", *, first_row: int = 1
) -> Normalized:
    """Normalise an audit-sample sheet (month, complaint id, correct yes/no, comment)."""
    norm = normalize(raw, AUDIT_SAMPLE, sheet, first_row=first_row)
    ctx = _Ctx(sheet, norm.columns)
    _check_required_values(norm, ctx, ["month"])
    norm.problems.extend(ctx.problems)
    return norm


def normalize_calendar_overrides(
    raw: pd.DataFrame | Sequence[Sequence[Any]], sheet: str | None = "ปฏิทิน", *, first_row: int = 1
) -> Normalized:
    """Normalise a workbook's calendar overrides (date, วันหยุด/วันทำงาน, note).

    A date listed both as a holiday and as a working day is an error (neither
    row is applied); a repeated row, an override that changes nothing and an
    extra working day on a Saturday or Sunday (which Excel's WORKDAY cannot
    express, so Excel formulas will differ from cplkpi) are warnings.
    """
    norm = normalize(raw, CALENDAR_OVERRIDES, sheet, first_row=first_row)
    ctx = _Ctx(sheet, norm.columns)
    _check_required_values(norm, ctx, ["date"])
    _check_calendar_range(norm, ctx, ["date"])
    t = norm.table
    rows = t[t["date"].notna() & t["kind"].notna()]
    if rows.empty:
        norm.problems.extend(ctx.problems)
        return norm
    first_row_of: dict[Any, tuple[int, str]] = {}
    conflict = []
    for row, day, kind in zip(rows.index, rows["date"], rows["kind"]):
        seen = first_row_of.setdefault(day, (int(row), kind))
        if seen[0] == row:
            continue
        if seen[1] == kind:
            ctx.add("duplicate_override", f"วันที่ {format_thai_date(day)} ซ้ำกับแถว {seen[0]}",
                    f"date {day:%Y-%m-%d} repeats row {seen[0]}", int(row), "date", "warning")
        else:
            ctx.add("override_conflict",
                    f"วันที่ {format_thai_date(day)} เป็นทั้งวันหยุดและวันทำงาน (แถว {seen[0]} และแถว {row}): "
                    "ไม่ใช้ทั้งสองแถว ให้ลบแถวที่ผิด",
                    f"date {day:%Y-%m-%d} is both a holiday and a working day (rows {seen[0]} and {row}): "
                    "neither row is used; delete the wrong one", int(row), "date")
            conflict += [seen[0], int(row)]
    t.loc[conflict, "kind"] = pd.NA
    _check_override_effect(t.drop(index=conflict), ctx)
    norm.problems.extend(ctx.problems)
    return norm


def _check_override_effect(t: pd.DataFrame, ctx: _Ctx) -> None:
    from .calendar import thai_calendar

    base = thai_calendar()
    first, last = _calendar_span()
    days = t["date"].to_numpy().astype("datetime64[D]")
    inside = ~np.isnat(days) & (days >= first) & (days <= last)
    for row, day, kind, ok in zip(t.index, days, t["kind"], inside):
        if pd.isna(kind) or not ok:
            continue
        weekend = int((day.astype(np.int64) + 3) % 7) + 1 in base.weekend  # ISO weekday
        shown = format_thai_date(day)
        if kind == "workday" and weekend:
            ctx.add("override_weekend_workday",
                    f"วันทำงานเพิ่ม {shown} เป็นวันเสาร์หรืออาทิตย์: cplkpi นับเป็นวันทำการ แต่สูตร WORKDAY/"
                    "NETWORKDAYS ของ Excel นับไม่ได้ ผลในเซลล์ Excel จึงอาจต่างจาก cplkpi",
                    f"extra working day {day} is a Saturday or Sunday: cplkpi counts it, but Excel's WORKDAY/"
                    "NETWORKDAYS cannot, so Excel formulas may differ from cplkpi", int(row), "date",
                    "warning")
        elif (kind == "holiday") != bool(base.is_workday(day)):
            what_th = "เป็นวันหยุดอยู่แล้ว" if kind == "holiday" else "เป็นวันทำการอยู่แล้ว"
            what_en = "is already a day off" if kind == "holiday" else "is already a working day"
            ctx.add("override_no_effect", f"{shown} {what_th} แถวนี้ไม่มีผล",
                    f"{day} {what_en}; this row changes nothing", int(row), "date", "warning")
