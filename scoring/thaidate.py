"""Thai dates: parsing what staff type, formatting Buddhist-era dates, fiscal years.

Staff write ``30/10/2562``, ``1 ต.ค. 2562``, ``1 ตุลาคม 2562``, ``6 ธ.ค. 67``;
Excel may hold real dates, serial numbers or text (docs/decisions.md 5–9). Everything here
accepts all of these and says which value it could not read.

Conventions (decisions, documented in docs/decisions.md):

* A year of 2400 or more is Buddhist era (B.E. = C.E. + 543).
* A two-digit year is a short B.E. year: ``67`` is 2567 (2024).
* A four-digit year below 2400 in ``d/m/yyyy`` or Thai-month text is read as
  C.E. with a warning (``year_ce``): Thai offices write B.E.
* A real date (datetime cell, or its serial number as xlwings Lite sends
  it: 242066) in a year of 2400 or more is a B.E. year that Excel took for
  C.E. (someone typed 30/10/2562 into a date cell): it is corrected by 543
  years with a warning (``year_be_as_ce``).
* Numbers are Excel serial numbers in the 1900 date system (the 1904 one inside
  :func:`date_system_1904`, for workbooks that use it).
* Fiscal year B.E. Y runs 1 October (Y − 544) to 30 September (Y − 543).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import re
from collections.abc import Iterable, Iterator
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from .days import BANGKOK, EPOCH_ORDINAL, NAT, as_days, date_of, to_date
from .errors import ArgumentError, CplError

__all__ = [
    "DATE1904_OFFSET",
    "EXCEL_ERRORS",
    "THAI_MONTHS",
    "THAI_MONTHS_SHORT",
    "DateIssue",
    "DateParseError",
    "ParsedDates",
    "date_code",
    "date_system_1904",
    "excel_serial",
    "fiscal_months",
    "fiscal_quarter",
    "fiscal_year",
    "fiscal_year_range",
    "format_thai_date",
    "format_thai_dates",
    "format_thai_month",
    "from_excel_serial",
    "month_code",
    "month_end",
    "parse_date",
    "parse_dates",
    "parse_month",
    "serial_offset",
]

THAI_MONTHS = (
    "มกราคม", "กุมภาพันธ์", "มีนาคม", "เมษายน", "พฤษภาคม", "มิถุนายน",
    "กรกฎาคม", "สิงหาคม", "กันยายน", "ตุลาคม", "พฤศจิกายน", "ธันวาคม",
)
THAI_MONTHS_SHORT = (
    "ม.ค.", "ก.พ.", "มี.ค.", "เม.ย.", "พ.ค.", "มิ.ย.",
    "ก.ค.", "ส.ค.", "ก.ย.", "ต.ค.", "พ.ย.", "ธ.ค.",
)
_ENGLISH_MONTHS = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)

BE_OFFSET = 543
#: Years at or above this are Buddhist era.
BE_MIN_YEAR = 2400
_EXCEL_EPOCH = _dt.date(1899, 12, 30)
_EXCEL_EPOCH_DAYS = (_EXCEL_EPOCH.toordinal() - EPOCH_ORDINAL)
_MAX_SERIAL = 2958465  # 9999-12-31
#: Days from serial 0 of the 1900 date system to serial 0 of the 1904 one (older Mac workbooks).
DATE1904_OFFSET = 1462
_DATE1904: ContextVar[bool] = ContextVar("cplkpi_date1904", default=False)


@contextlib.contextmanager
def date_system_1904(on: bool = True) -> Iterator[None]:
    """Within this block, :func:`parse_dates` reads numbers as serials of the 1904 date system (a
    workbook saved with "Use 1904 date system", older Mac files), 1,462 days later than 1900 ones.

    The readers of a workbook enter it when the workbook says so; date cells are unaffected (their
    readers already give real dates), only plain numbers in date columns are serials.
    """
    token = _DATE1904.set(on)
    try:
        yield
    finally:
        _DATE1904.reset(token)


def serial_offset() -> int:
    """Days to add to a serial number of the active date system to get a 1900-system serial:
    :data:`DATE1904_OFFSET` inside :func:`date_system_1904`, else 0."""
    return DATE1904_OFFSET if _DATE1904.get() else 0


def month_code(month: _dt.date) -> str:
    """``2563-09`` for September 2020: the B.E. year-month used in output file names."""
    return f"{month.year + BE_OFFSET}-{month.month:02d}"


def date_code(day: _dt.date) -> str:
    """``2563-09-30`` for 30 September 2020: the B.E. date used in output file names."""
    return f"{month_code(day)}-{day.day:02d}"

THAI_DIGITS = str.maketrans("๐๑๒๓๔๕๖๗๘๙", "0123456789")


def _month_key(token: str) -> str:
    return re.sub(r"[\s.]", "", token).lower()


_MONTH_LOOKUP: dict[str, int] = {}
for _i, (_full, _short, _en) in enumerate(zip(THAI_MONTHS, THAI_MONTHS_SHORT, _ENGLISH_MONTHS), 1):
    _MONTH_LOOKUP[_month_key(_full)] = _i
    _MONTH_LOOKUP[_month_key(_short)] = _i
    _MONTH_LOOKUP[_en] = _i
    _MONTH_LOOKUP[_en[:3]] = _i
_MONTH_LOOKUP["sept"] = 9
#: Colloquial month names (``ตุลา``), the full name without its คม/ยน/พันธ์ ending.
for _i, _short in enumerate(("มกรา", "กุมภา", "มีนา", "เมษา", "พฤษภา", "มิถุนา",
                             "กรกฎา", "สิงหา", "กันยา", "ตุลา", "พฤศจิกา", "ธันวา"), 1):
    _MONTH_LOOKUP[_short] = _i
_ENGLISH_KEYS = frozenset(k for k in _MONTH_LOOKUP if k.isascii())

_PREFIX = r"(?:วันที่\s*)?"
_TIME = (r"(?:[\sT,]+(?:เวลา\s*)?(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?:[:.](?P<second>\d{2})(?:\.\d+)?)?"
         r"\s*(?:น\.?)?)?")
_ISO = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[T ](?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second>\d{2})(?:\.\d+)?)?\s*"
    r"(?P<zone>Z|[+-]\d{2}(?::?\d{2})?)?)?$"
)
#: Largest UTC offset in use anywhere (Kiribati, UTC+14); beyond it a zone is a typing error.
_MAX_ZONE_MINUTES = 14 * 60
#: Furthest UTC offset west (Baker Island, UTC−12).
_MIN_ZONE_MINUTES = 12 * 60
_NUMERIC = re.compile(_PREFIX + r"(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})" + _TIME + r"$")
#: Year first with slashes or dots: ``2562/10/01`` (ISO with dashes is handled by ``_ISO``).
_YMD = re.compile(_PREFIX + r"(\d{4})\s*[/.]\s*(\d{1,2})\s*[/.]\s*(\d{1,2})" + _TIME + r"$")
#: ``1 ต.ค. 2562``, ``1 ตุลาคม พ.ศ. 2562``, ``1-ต.ค.-62`` (Excel's d-mmm-yy), ``01-Oct-2019``.
_MONTH_NAME = re.compile(
    _PREFIX + r"(\d{1,2})[\s\-]*(?:เดือน\s*)?([^\d\s/\-,][^\d/\-,]*?)[\s\-]*,?\s*"
    r"(?:พ\.?\s*ศ\.?\s*)?(\d{2}|\d{4})" + _TIME + r"$"
)
#: Cell texts that mean "no date" (not an error): a dash.
_NO_DATE = frozenset({"-", "–", "—"})
#: Excel's error values as text (a cell or formula result).
EXCEL_ERRORS = frozenset(
    {"#N/A", "#VALUE!", "#REF!", "#DIV/0!", "#NUM!", "#NAME?", "#NULL!", "#SPILL!", "#CALC!", "#GETTING_DATA"}
)

IssueCode = Literal[
    "date_invalid",
    "date_impossible",
    "date_excel_error",
    "date_year_implausible",
    "year_ce",
    "year_be_as_ce",
    "number_as_text",
]


@dataclass(frozen=True)
class DateIssue:
    """Why one input value could not be read cleanly (``severity`` error: left empty)."""

    position: int
    code: IssueCode
    raw: Any
    message_th: str
    message_en: str
    severity: Literal["error", "warning"] = "error"


class DateParseError(CplError, ValueError):
    """A single value could not be read as a date; ``issue`` says why (still a :class:`ValueError`)."""

    def __init__(self, issue: DateIssue):
        self.issue = issue
        super().__init__(f"{issue.message_th} ({issue.message_en})")


@dataclass
class ParsedDates:
    """Result of :func:`parse_dates`: the dates (NaT where empty or unreadable) and the issues."""

    days: np.ndarray
    issues: list[DateIssue] = field(default_factory=list)

    @property
    def errors(self) -> list[DateIssue]:
        return [i for i in self.issues if i.severity == "error"]


def _issue(pos: int, code: IssueCode, raw: Any, severity: Literal["error", "warning"] = "error",
           detail: tuple[str, str] | None = None) -> DateIssue:
    if isinstance(raw, str):
        shown = f'"{raw}"'
    elif isinstance(raw, _dt.date | pd.Timestamp | np.datetime64):
        shown = str(raw)[:19].replace("T", " ").removesuffix(" 00:00:00")
    elif isinstance(raw, _dt.time):
        shown = raw.isoformat(timespec="minutes")
    else:
        shown = repr(raw)
    texts = {
        "date_invalid": ("อ่านวันที่ไม่ได้", "cannot read the date"),
        "date_impossible": ("ไม่มีวันที่นี้ในปฏิทิน", "no such calendar date"),
        "date_excel_error": ("เซลล์มีค่าผิดพลาดของ Excel", "the cell holds an Excel error value"),
        "date_year_implausible": ("ปีไม่สมเหตุสมผล", "implausible year"),
        "year_ce": ("ปีเป็น ค.ศ. จึงอ่านเป็น ค.ศ.", "year is C.E., read as C.E."),
        "year_be_as_ce": ("ปี พ.ศ. ถูกบันทึกเป็น ค.ศ. จึงลบ 543 ปี", "B.E. year stored as C.E.; 543 years subtracted"),
        "number_as_text": ("ตัวเลขเก็บเป็นข้อความ อ่านเป็นเลขลำดับวันที่ของ Excel",
                           "number stored as text, read as an Excel serial date"),
    }
    th, en = texts[code]
    if detail:
        th, en = f"{th} {detail[0]}", f"{en} {detail[1]}"
    elif code == "date_invalid":
        th, en = f"{th} (เขียนแบบ 30/10/2562 หรือ 1 ต.ค. 2562)", f"{en} (write it as 30/10/2562 or 1 ต.ค. 2562)"
    return DateIssue(pos, code, raw, f"{th}: {shown}", f"{en}: {shown}", severity)


def _make_date(year: int, month: int, day: int) -> _dt.date | None:
    try:
        return _dt.date(year, month, day)
    except ValueError:
        return None


def _year_from_text(year_text: str) -> tuple[int, bool]:
    """Return (C.E. year, was_ce). Two digits are short B.E.; >= 2400 is B.E."""
    year = int(year_text)
    if len(year_text) == 2:
        return 2500 + year - BE_OFFSET, False
    if year >= BE_MIN_YEAR:
        return year - BE_OFFSET, False
    return year, True


def _time_issue(m: re.Match[str], pos: int, raw: str) -> DateIssue | None:
    """``date_invalid`` when the time of day or the zone written after a date does not exist
    (``25:61``, ``+99``): the date beside it cannot be trusted either."""
    if m["hour"] is not None:
        hour, minute, second = int(m["hour"]), int(m["minute"]), int(m["second"] or 0)
        if hour > 23 or minute > 59 or second > 59:
            shown = f"{m['hour']}:{m['minute']}" + (f":{m['second']}" if m["second"] else "")
            return _issue(pos, "date_invalid", raw,
                          detail=(f"(ไม่มีเวลา {shown} ในหนึ่งวัน)", f"(no such time of day {shown})"))
    zone = m.groupdict().get("zone")
    if zone and zone != "Z":
        digits = zone[1:].replace(":", "")
        hours, minutes = int(digits[:2]), int(digits[2:] or 0)
        if minutes > 59 or hours * 60 + minutes > (_MAX_ZONE_MINUTES if zone[0] == "+" else _MIN_ZONE_MINUTES):
            return _issue(pos, "date_invalid", raw,
                          detail=(f"(ไม่มีเขตเวลา UTC{zone}: เขตเวลาอยู่ระหว่าง −12:00 ถึง +14:00 "
                                  "กรุงเทพฯ คือ +07:00)",
                                  f"(no such time zone UTC{zone}: zones run from −12:00 to +14:00; "
                                  "Bangkok is +07:00)"))
    return None


def _parse_text(text: str, pos: int) -> tuple[_dt.date | None, DateIssue | None]:
    raw = text
    s = text.translate(THAI_DIGITS).strip()
    if not s or s in _NO_DATE:
        return None, None
    if s.upper() in EXCEL_ERRORS:
        return None, _issue(pos, "date_excel_error", raw)
    m = _ISO.match(s) or _NUMERIC.match(s) or _YMD.match(s) or _MONTH_NAME.match(s)
    if m and (bad := _time_issue(m, pos, raw)) is not None:
        return None, bad
    m = _ISO.match(s)
    if m:
        y, mo, d = int(m[1]), int(m[2]), int(m[3])
        warn = None
        if y >= BE_MIN_YEAR:
            y -= BE_OFFSET
            warn = _issue(pos, "year_be_as_ce", raw, "warning")
        date = _make_date(y, mo, d)
        if date is None:
            return None, _issue(pos, "date_impossible", raw)
        if m["hour"] is not None and m["zone"] is not None:
            zone = m["zone"]
            ts = pd.Timestamp(
                f"{date.isoformat()}T{int(m['hour']):02d}:{m['minute']}:{m['second'] or '00'}"
                f"{'+00:00' if zone == 'Z' else zone}"
            )
            date = ts.tz_convert(BANGKOK).date()
        return date, warn
    m = _NUMERIC.match(s)
    if m:
        day, month = int(m[1]), int(m[2])
        year, was_ce = _year_from_text(m[3])
        date = _make_date(year, month, day)
        if date is None:
            return None, _issue(pos, "date_impossible", raw)
        return date, _issue(pos, "year_ce", raw, "warning") if was_ce else None
    m = _YMD.match(s)
    if m:
        year = int(m[1]) - BE_OFFSET if int(m[1]) >= BE_MIN_YEAR else int(m[1])
        date = _make_date(year, int(m[2]), int(m[3]))
        return (date, None) if date is not None else (None, _issue(pos, "date_impossible", raw))
    m = _MONTH_NAME.match(s)
    if m:
        key = _month_key(m[2])
        month_no = _MONTH_LOOKUP.get(key)
        if month_no is None:
            return None, _issue(pos, "date_invalid", raw)
        if key in _ENGLISH_KEYS and len(m[3]) == 2:  # 01-Oct-19: an English date has a C.E. year
            year, was_ce = 2000 + int(m[3]), True
        else:
            year, was_ce = _year_from_text(m[3])
        date = _make_date(year, month_no, int(m[1]))
        if date is None:
            return None, _issue(pos, "date_impossible", raw)
        return date, _issue(pos, "year_ce", raw, "warning") if was_ce else None
    if re.fullmatch(r"\d+(?:\.\d+)?", s):
        serial = float(s)
        date, issue = _from_serial(serial, pos, raw)
        if date is not None:
            return date, _issue(pos, "number_as_text", raw, "warning")
        return None, issue
    return None, _issue(pos, "date_invalid", raw)


def _from_serial(serial: float, pos: int, raw: Any) -> tuple[_dt.date | None, DateIssue | None]:
    offset = serial_offset()
    if offset and np.isfinite(serial) and serial >= 0:  # 1904 system: from 1 Jan 1904, no fictional day
        serial += offset
    if np.isfinite(serial) and int(serial) == 60:
        return None, _issue(pos, "date_impossible", raw, detail=(
            "(เลขลำดับ 60 คือวันที่ 29/02/1900 ที่ Excel แสดง แต่วันนี้ไม่มีจริง: "
            "Excel สมมติขึ้นเพื่อให้เข้ากับ Lotus 1-2-3)",
            "(serial 60 is the 29/02/1900 Excel shows, a day that never existed: Excel's fictional day kept "
            "for Lotus 1-2-3)"))
    if not np.isfinite(serial) or serial < 61 or serial > _MAX_SERIAL:
        return None, _issue(pos, "date_invalid", raw,
                            detail=("(เลขลำดับวันที่ของ Excel อยู่นอกช่วง)", "(Excel serial number out of range)"))
    return _EXCEL_EPOCH + _dt.timedelta(days=int(serial)), None


def _check_value(value: Any, pos: int) -> tuple[_dt.date | None, DateIssue | None]:
    """Read one non-text value."""
    if value is None or value is pd.NaT:
        return None, None
    if isinstance(value, bool | np.bool_):
        return None, _issue(pos, "date_invalid", value)
    if isinstance(value, _dt.time):
        return None, _issue(pos, "date_invalid", value, detail=(
            "(เซลล์มีแต่เวลา ไม่มีวันที่)", "(the cell holds a time of day and no date)"))
    if isinstance(value, int | float | np.integer | np.floating):
        if isinstance(value, float | np.floating) and np.isnan(value):
            return None, None
        date, issue = _from_serial(float(value), pos, value)
        # the serial of a date typed with a B.E. year (xlwings Lite sends dates as serials): 242066 is
        # 1 Oct 2562, corrected like the same date cell read as a date
        return (date, issue) if date is None else _be_as_ce(date, pos, value)
    if isinstance(value, _dt.date | np.datetime64 | pd.Timestamp):
        date = to_date(value)
        return (None, None) if date is None else _be_as_ce(date, pos, value)
    return None, _issue(pos, "date_invalid", value)


def _be_as_ce(date: _dt.date, pos: int, raw: Any) -> tuple[_dt.date | None, DateIssue | None]:
    """A date cell's date; a year of 2400 or more is a B.E. year stored as C.E.: 543 years back, warned."""
    if date.year < BE_MIN_YEAR:
        return date, None
    fixed = _make_date(date.year - BE_OFFSET, date.month, date.day)
    if fixed is None:  # 29 Feb of a B.E. year that is leap in C.E. terms only
        return None, _issue(pos, "date_impossible", raw)
    return fixed, _issue(pos, "year_be_as_ce", raw, "warning")


def _plausible(date: _dt.date | None, issue: DateIssue | None, pos: int, raw: Any):
    if date is not None and not (1900 <= date.year <= 2200):
        return None, _issue(pos, "date_year_implausible", raw)
    return date, issue


def parse_date(value: Any) -> _dt.date | None:
    """Read one value as a date (None when empty). Raises :class:`DateParseError`.

    >>> parse_date("1 ต.ค. 2562")
    datetime.date(2019, 10, 1)
    >>> parse_date("6 ธ.ค. 67")
    datetime.date(2024, 12, 6)
    """
    parsed = parse_dates([value])
    if parsed.errors:
        raise DateParseError(parsed.errors[0])
    return to_date(parsed.days[0])


def parse_dates(values: Iterable[Any] | pd.Series | np.ndarray) -> ParsedDates:
    """Read a column of mixed values as dates.

    Accepts real dates and datetimes (timezone-aware ones converted to
    Bangkok), Excel serial numbers, ISO text, ``30/10/2562``, ``1 ต.ค. 2562``,
    ``1 ตุลาคม 2562``, ``6 ธ.ค. 67`` (Thai digits too). Empty values (None,
    NaN, "") give NaT without an issue. Unreadable values give NaT and an
    error issue; values read under an assumption give a warning issue.
    Positions in the issues are 0-based positions in ``values``.
    """
    if isinstance(values, pd.Series):
        if pd.api.types.is_datetime64_any_dtype(values.dtype):
            days, _ = as_days(values)
            return _check_datetime_array(days)
        arr = values.to_numpy(dtype=object)
    elif isinstance(values, np.ndarray) and values.dtype.kind == "M":
        return _check_datetime_array(values.astype("datetime64[D]"))
    else:
        arr = np.asarray(list(values) if not isinstance(values, np.ndarray) else values, dtype=object).ravel()
    # every distinct value is read once (a date column repeats a few hundred values)
    try:
        codes, uniques = pd.factorize(arr, use_na_sentinel=True)
    except TypeError:  # values that cannot be compared with each other: read each one
        codes, uniques = np.arange(len(arr)), arr
    dates = np.full(len(uniques) + 1, NAT, dtype="datetime64[D]")  # the last slot: empty values
    issue_of: dict[int, DateIssue] = {}
    for k, value in enumerate(uniques):
        if isinstance(value, str):
            date, issue = _plausible(*_parse_text(value, 0), 0, value)
        else:
            date, issue = _plausible(*_check_value(value, 0), 0, value)
        if date is not None:
            dates[k] = np.datetime64(date, "D")
        if issue is not None:
            issue_of[k] = issue
    out = dates[codes]  # code -1 picks the empty slot
    issues = [
        DateIssue(int(pos), (i := issue_of[codes[pos]]).code, i.raw, i.message_th, i.message_en, i.severity)
        for pos in np.flatnonzero(np.isin(codes, list(issue_of)))
    ] if issue_of else []
    return ParsedDates(out, issues)


def _check_datetime_array(days: np.ndarray) -> ParsedDates:
    """Fast path for a real datetime column: only B.E.-as-C.E. years need a look."""
    days = days.copy()
    years = days.astype("datetime64[Y]").astype(np.int64) + 1970
    issues: list[DateIssue] = []
    for pos in np.flatnonzero(~np.isnat(days) & ((years >= BE_MIN_YEAR) | (years < 1900) | (years > 2200))):
        date, issue = _plausible(*_check_value(days[pos], int(pos)), int(pos), to_date(days[pos]))
        days[pos] = NAT if date is None else np.datetime64(date, "D")
        if issue is not None:
            issues.append(issue)
    return ParsedDates(days, issues)


def parse_month(value: Any) -> _dt.date:
    """Read a month (``ต.ค. 2562``, ``ตุลาคม 2562``, ``10/2562``, ``2019-10``, a date) as its first day."""
    if isinstance(value, str):
        s = value.translate(THAI_DIGITS).strip()
        m = re.fullmatch(r"(\d{4})-(\d{1,2})", s)
        if m:
            return _month_start(_year_from_text(m[1])[0], int(m[2]), value)
        m = re.fullmatch(r"(\d{1,2})\s*/\s*(\d{2}|\d{4})", s)
        if m:
            return _month_start(_year_from_text(m[2])[0], int(m[1]), value)
        m = re.fullmatch(r"(?:เดือน\s*)?([^\d\s][^\d]*?)[\s\-/]*(?:พ\.?\s*ศ\.?\s*)?(\d{2}|\d{4})", s)
        if m and _month_key(m[1]) in _MONTH_LOOKUP:
            key = _month_key(m[1])
            # Oct-19 (Excel's mmm-yy shown as text): an English month has a C.E. year
            year = 2000 + int(m[2]) if key in _ENGLISH_KEYS and len(m[2]) == 2 else _year_from_text(m[2])[0]
            return _month_start(year, _MONTH_LOOKUP[key], value)
    date = parse_date(value)
    if date is None:
        raise DateParseError(_issue(0, "date_invalid", value))
    return date.replace(day=1)


def _month_start(year: int, month: int, raw: Any) -> _dt.date:
    date = _make_date(year, month, 1)
    if date is None:
        raise DateParseError(_issue(0, "date_impossible", raw))
    return date


# --- formatting ---------------------------------------------------------------

DateStyle = Literal["short", "long", "numeric", "short2"]
_STYLES = ("short", "long", "numeric", "short2")


def format_thai_date(value: Any, style: DateStyle = "short") -> str:
    """Format one date in Thai B.E.

    ``short`` → ``1 ต.ค. 2562``; ``long`` → ``1 ตุลาคม 2562``;
    ``numeric`` → ``1/10/2562``; ``short2`` → ``1 ต.ค. 62``. Empty gives "".
    """
    date = to_date(value)
    if date is None:
        return ""
    return _format_one(date.day, date.month, date.year + BE_OFFSET, style)


def _format_one(day: int, month: int, year_be: int, style: str) -> str:
    if style == "short":
        return f"{day} {THAI_MONTHS_SHORT[month - 1]} {year_be}"
    if style == "long":
        return f"{day} {THAI_MONTHS[month - 1]} {year_be}"
    if style == "numeric":
        return f"{day}/{month}/{year_be}"
    if style == "short2":
        return f"{day} {THAI_MONTHS_SHORT[month - 1]} {year_be % 100:02d}"
    raise ArgumentError(f"รูปแบบวันที่ไม่รู้จัก (unknown date style) {style!r}; use one of {_STYLES}")


def format_thai_dates(values: Any, style: DateStyle = "short") -> np.ndarray:
    """Vectorised :func:`format_thai_date`: an object array of strings ("" for NaT)."""
    if style not in _STYLES:
        _format_one(1, 1, 2500, style)  # raises the readable error
    days, _ = as_days(values)
    flat = days.ravel()
    out = np.full(flat.shape, "", dtype=object)
    ok = ~np.isnat(flat)
    if ok.any():
        d = flat[ok]
        years = d.astype("datetime64[Y]").astype(np.int64) + 1970
        months = (d.astype("datetime64[M]").astype(np.int64) % 12) + 1
        dom = (d - d.astype("datetime64[M]")).astype(np.int64) + 1
        out[ok] = _join_date_parts(dom, months, years + BE_OFFSET, style)
    return out.reshape(days.shape)


def _join_date_parts(dom: np.ndarray, months: np.ndarray, years_be: np.ndarray, style: str) -> np.ndarray:
    """Day, month and B.E. year arrays joined in a date style, with numpy string operations
    (the same text as :func:`_format_one`, one array at a time instead of one date at a time)."""
    day = dom.astype(str).astype(object)
    if style == "numeric":
        return day + "/" + months.astype(str).astype(object) + "/" + years_be.astype(str).astype(object)
    names = np.array(THAI_MONTHS if style == "long" else THAI_MONTHS_SHORT, dtype=object)[months - 1]
    year = (years_be % 100).astype(str) if style == "short2" else years_be.astype(str)
    if style == "short2":
        year = np.char.zfill(year, 2)
    return day + " " + names + " " + year.astype(object)


def format_thai_month(value: Any, long: bool = False) -> str:
    """``ต.ค. 2562`` (or ``ตุลาคม 2562`` with ``long=True``) for a date in that month."""
    date = to_date(value)
    if date is None:
        return ""
    names = THAI_MONTHS if long else THAI_MONTHS_SHORT
    return f"{names[date.month - 1]} {date.year + BE_OFFSET}"


# --- fiscal years ------------------------------------------------------------


def fiscal_year(value: Any) -> Any:
    """Thai fiscal year (B.E.) of a date, vectorised: 1 Oct 2019 → 2563.

    Scalar in, int out (None for empty); arrays and Series in, the same shape out
    (a float array with NaN where empty).
    """
    days, restore = as_days(value)
    ok = ~np.isnat(days)
    months = days.astype("datetime64[M]").astype(np.int64)
    year = months // 12 + 1970
    fy = year + BE_OFFSET + (months % 12 >= 9)
    if days.ndim == 0:
        return int(fy) if ok else None
    return restore(np.where(ok, fy, np.nan) if not ok.all() else fy)


def fiscal_year_range(fy: int) -> tuple[_dt.date, _dt.date]:
    """First and last day of fiscal year B.E. ``fy``: 2563 → (2019-10-01, 2020-09-30)."""
    fy = int(fy)
    if fy < BE_MIN_YEAR:
        raise ArgumentError(
            f"ปีงบประมาณต้องเป็น พ.ศ. เช่น 2563 (fiscal year must be B.E., e.g. 2563), got {fy}"
        )
    return _dt.date(fy - 544, 10, 1), _dt.date(fy - 543, 9, 30)


def month_end(value: Any) -> _dt.date:
    """The last day of the month of a date: 2020-02-10 → 2020-02-29."""
    d = date_of(value)
    nxt = _dt.date(d.year + (d.month == 12), d.month % 12 + 1, 1)
    return nxt - _dt.timedelta(days=1)


def fiscal_quarter(value: Any) -> int:
    """Quarter 1–4 of the Thai fiscal year of a date (Oct–Dec is quarter 1)."""
    d = date_of(value)
    return (d.month - 10) % 12 // 3 + 1


def fiscal_months(fy: int) -> list[_dt.date]:
    """The first days of the twelve months of fiscal year ``fy``, October first."""
    start, _ = fiscal_year_range(fy)
    return [
        _dt.date(start.year + (start.month + i - 1) // 12, (start.month + i - 1) % 12 + 1, 1)
        for i in range(12)
    ]


# --- Excel serial numbers ----------------------------------------------------


def excel_serial(value: Any) -> Any:
    """Excel 1900-system serial number(s) of date(s): 2019-10-01 → 43739."""
    days, restore = as_days(value)
    serial = np.where(np.isnat(days), np.nan, days.astype(np.int64) - _EXCEL_EPOCH_DAYS)
    if days.ndim == 0:
        return None if np.isnat(days) else int(serial)
    return restore(serial)


def from_excel_serial(serial: Any) -> Any:
    """Date(s) of Excel 1900-system serial number(s) (time of day dropped)."""
    arr = np.asarray(serial, dtype=float)
    out = np.where(
        np.isfinite(arr),
        (np.floor(np.nan_to_num(arr)).astype(np.int64) + _EXCEL_EPOCH_DAYS).astype("datetime64[D]"),
        NAT,
    )
    return to_date(out[()]) if out.ndim == 0 else out
