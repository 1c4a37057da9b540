"""The Excel cell functions of cplkpi (xlwings custom functions): ``=CPL_ACK_DUE(C2:C500)`` …

Each function is a thin wrapper: it converts its arguments (:mod:`.convert`),
calls the engine (:mod:`cplkpi.scoring`) once for the whole range and returns
an array of the same shape, which Excel spills. A single cell gives a single
value; a bad cell gives that cell a ``#CPL! …`` text and the others their
results.

The docstring of each function is its description in Excel's function wizard
(Thai, English in parentheses; at most 255 characters, Excel's limit) and
``@udf(...)`` holds the help of each argument. Parameters carry no type hints
on purpose: xlwings would take a hint as the argument's converter.

Classic xlwings also passes the calling range in the reserved last argument ``caller`` (not an
Excel argument): a function called from a workbook in the 1904 date system reads plain numbers in
its date arguments as 1904 serials. Lite/Server pass no caller: the 1900 system.

Registering: classic xlwings (Windows) imports them with *Import Functions*
when ``cplkpi.udfs`` is in *UDF Modules*; xlwings Lite/Server register what
``main.py`` imports (``from cplkpi.udfs import *``). See docs/excel.md.
"""

from __future__ import annotations

import functools
import inspect
import re
from collections.abc import Callable
from typing import Any, cast

import numpy as np
import pandas as pd
import xlwings as xw

from cplkpi.scoring import deadlines, levels
from cplkpi.scoring.errors import CplError
from cplkpi.scoring.explain import REASON_TEXTS, short_reasons
from cplkpi.scoring.percent import percent_array
from cplkpi.scoring.rules import DEFAULT_RULES, load_rules, short_label
from cplkpi.scoring.scores import monthly_report_deduction, score, step_score
from cplkpi.scoring.tables import normalize_complaints, normalize_progress
from cplkpi.scoring.thaidate import DateStyle, date_system_1904, fiscal_year, format_thai_dates

from . import convert
from .convert import PREFIX, CellValueError, cell_error

__all__ = [
    "CATEGORY",
    "CPL_ACK_DUE",
    "CPL_EXPLAIN",
    "CPL_FISCAL_YEAR",
    "CPL_LATE_REPORT_PENALTY",
    "CPL_LEVEL",
    "CPL_NETWORKDAYS",
    "CPL_NEXT_FOLLOWUP",
    "CPL_ON_TIME",
    "CPL_PROGRESS_DUE",
    "CPL_STATUS",
    "CPL_STEP_PCT",
    "CPL_STEP_SCORE",
    "CPL_THAI_DATE",
    "CPL_WORKDAY",
    "FUNCTIONS",
]

#: The category of the functions in Excel's function wizard (classic xlwings).
CATEGORY = "cplkpi"

#: Every cell function by its Excel name, with ``__cpl_args__`` (argument name → help text).
FUNCTIONS: dict[str, Callable[..., list[list[Any]]]] = {}

_HOLIDAYS = ("ช่วงวันหยุดเพิ่มเติมที่ปฏิทินไม่มี เช่น วันหยุดพิเศษของ ครม. (optional range of extra holidays, "
             "as WORKDAY's holidays)")
_WORKDAYS = "ช่วงวันที่ที่ทำงานแม้ปฏิทินว่าเป็นวันหยุด (optional range of days worked although the calendar says holiday)"


#: The reserved argument through which classic xlwings (Windows) passes the calling range to a function.
CALLER = "caller"


def _classic() -> bool:
    """Whether functions are declared for classic xlwings (the COM add-in on Windows), the only flavour
    that fills the reserved :data:`CALLER` argument; xlwings Lite/Server would show it as an argument."""
    return getattr(xw.func, "__module__", None) == "xlwings.udfs"


def _book_uses_1904(caller: Any) -> bool:
    """Whether the book of the calling range counts dates in the 1904 date system (read once per call).
    False (the 1900 system) without a caller (xlwings Lite/Server, a call from Python) and whenever
    the book cannot be asked: a cell function must compute, not fail, over its date system."""
    if caller is None:
        return False
    try:
        return convert.uses_1904(caller.sheet.book)
    except Exception:
        return False


def udf(*, call_in_wizard: bool = True,
        **arg_docs: str) -> Callable[[Callable[..., Any]], Callable[..., list[list[Any]]]]:
    """Declare an Excel cell function: xlwings ``func``/``arg`` declarations (every argument as a
    2-D range, error cells as text, help text), the guard that turns a :class:`CellValueError`
    into a single ``#CPL!`` cell, and :func:`~.convert.fit_rows` over every result (no text
    over 255 characters). ``call_in_wizard=False`` for a heavy function: classic Excel then does
    not run it while the function wizard is open on it."""

    def decorate(f: Callable[..., Any]) -> Callable[..., list[list[Any]]]:
        params = list(inspect.signature(f).parameters)
        if CALLER in params:
            raise TypeError(f"{f.__name__}: {CALLER!r} is reserved for the calling range")
        if set(params) != set(arg_docs):
            raise TypeError(f"{f.__name__}: argument help for {sorted(set(params) ^ set(arg_docs))}")

        f.__doc__ = " ".join((f.__doc__ or "").split())  # one line: Excel's description
        if not f.__doc__ or len(f.__doc__) > 255:
            raise TypeError(f"{f.__name__}: Excel takes a description of 1 to 255 characters")

        @functools.wraps(f)
        def cell_function(*args: Any, caller: Any = None) -> list[list[Any]]:
            if len(args) > len(params):  # classic xlwings passes the calling range after the arguments
                args, caller = args[:len(params)], args[len(params)]
            try:
                with convert.gc_paused(), date_system_1904(_book_uses_1904(caller)):
                    return convert.fit_rows(f(*args))
            except CellValueError as exc:
                return [[convert.fit_text(exc.text)]]
            except CplError as exc:  # e.g. an as-of date outside the calendar: the call's one message
                return [[convert.fit_text(f"{PREFIX} {exc}")]]

        g: Any = cell_function
        if _classic():  # the reserved argument ``caller``: not in Excel's signature (VBA passes Nothing)
            sig = inspect.signature(f)
            reserved = inspect.Parameter(CALLER, inspect.Parameter.POSITIONAL_OR_KEYWORD, default=None)
            g.__signature__ = sig.replace(parameters=[*sig.parameters.values(), reserved])
        for name in reversed(params):
            g = xw.arg(name, ndim=2, err_to_str=True, doc=arg_docs[name])(g)
        g = xw.func(category=CATEGORY, call_in_wizard=call_in_wizard)(g)
        g.__cpl_args__ = {name: arg_docs[name] for name in params}
        FUNCTIONS[f.__name__] = g
        return g

    return decorate


# --- business days and deadlines ----------------------------------------------------


@udf(start_date="วันเริ่มต้น (start date)",
     days="จำนวนวันทำการ ติดลบคือย้อนหลัง (business days; negative counts back)",
     holidays=_HOLIDAYS, workdays=_WORKDAYS)
def CPL_WORKDAY(start_date, days, holidays=None, workdays=None):
    """วันทำการที่ n นับจากวันถัดไป ตามปฏิทินวันหยุดราชการ กทม. เหมือน WORKDAY ของ Excel
    (the n-th business day after start on the BMA office calendar, as Excel's WORKDAY)"""
    cal = convert.calendar(holidays, workdays)
    n = convert.within(convert.numbers(days), -36500, 36500, "จำนวนวันทำการ", "the business days")
    return convert.apply(cal.workday, [convert.dates(start_date), n], "date")


@udf(start_date="วันเริ่มต้น (start date)", end_date="วันสิ้นสุด (end date)",
     holidays=_HOLIDAYS, workdays=_WORKDAYS)
def CPL_NETWORKDAYS(start_date, end_date, holidays=None, workdays=None):
    """จำนวนวันทำการระหว่างสองวัน นับทั้งสองวัน ตามปฏิทินราชการ กทม. เหมือน NETWORKDAYS
    (business days between two dates, both counted, as Excel's NETWORKDAYS)"""
    cal = convert.calendar(holidays, workdays)
    return convert.apply(cal.networkdays, [convert.dates(start_date), convert.dates(end_date)], "int")


@udf(forwarded="วันที่ศูนย์แจ้งเรื่อง (date the centre forwarded the complaint)",
     holidays=_HOLIDAYS, workdays=_WORKDAYS)
def CPL_ACK_DUE(forwarded, holidays=None, workdays=None):
    """กำหนดตอบรับเรื่อง: ภายใน 1 วันทำการนับจากวันถัดจากวันที่ศูนย์แจ้งเรื่อง
    (acknowledgement deadline: 1 business day counting from the day after forwarding)"""
    cal = convert.calendar(holidays, workdays)
    return convert.apply(lambda f: deadlines.ack_due(f, rules=DEFAULT_RULES, calendar=cal),
                         [convert.dates(forwarded)], "date")


@udf(acknowledged="วันที่ตอบรับเรื่อง (acknowledgement date)", holidays=_HOLIDAYS, workdays=_WORKDAYS)
def CPL_PROGRESS_DUE(acknowledged, holidays=None, workdays=None):
    """กำหนดรายงานความก้าวหน้าครั้งที่ 1: ภายใน 3 วันทำการนับจากวันถัดจากวันตอบรับ
    (first progress report deadline: 3 business days after acknowledging)"""
    cal = convert.calendar(holidays, workdays)
    return convert.apply(lambda a: deadlines.progress_due(a, rules=DEFAULT_RULES, calendar=cal),
                         [convert.dates(acknowledged)], "date")


@udf(date_value="วันที่ (date)", holidays=_HOLIDAYS, workdays=_WORKDAYS)
def CPL_NEXT_FOLLOWUP(date_value, holidays=None, workdays=None):
    """รอบติดตามความคืบหน้าถัดไป (ทุกวันที่ 15 และ 30 เลื่อนไปวันทำการถัดไป) ตั้งแต่วันที่ให้
    (next 15th/30th follow-up checkpoint on or after the date)"""
    cal = convert.calendar(holidays, workdays)
    return convert.apply(lambda d: deadlines.next_followup(d, rules=DEFAULT_RULES, calendar=cal),
                         [convert.dates(date_value)], "date")


@udf(actual="วันที่ดำเนินการจริง (date it was done)", due="วันครบกำหนด (due date)")
def CPL_ON_TIME(actual, due):
    """TRUE เมื่อดำเนินการภายในกำหนด (วันที่จริง <= วันครบกำหนด)
    (TRUE when done on time: actual date <= due date)"""
    return convert.apply(deadlines.on_time, [convert.dates(actual), convert.dates(due)], "bool")


#: Thai status labels by status code; code −1 (missing input) picks the trailing None.
_STATUS_TH = np.array([*(deadlines.STATUS_LABELS[x][0] for x in deadlines.STATUSES), None], dtype=object)


@udf(call_in_wizard=False, forwarded="วันที่ศูนย์แจ้งเรื่อง (forwarding date)",
     acknowledged="วันที่ตอบรับ ว่างได้ (acknowledgement date, may be empty)",
     progress="วันที่รายงานความก้าวหน้าล่าสุด ว่างได้ (latest progress report, may be empty)",
     resolved="วันที่แล้วเสร็จ ว่างได้ (resolution date, may be empty)",
     as_of="ณ วันที่ พิมพ์วันที่ไว้ในเซลล์ดีกว่า TODAY() (as of: a typed date, better than TODAY())",
     holidays=_HOLIDAYS, workdays=_WORKDAYS)
def CPL_STATUS(forwarded, acknowledged, progress, resolved, as_of, holidays=None, workdays=None):
    """สถานะเรื่อง ณ วันที่: อยู่ในกำหนด / ใกล้ครบกำหนด / เกินกำหนด / ดำเนินการแล้วเสร็จ
    (status as of a date: on time / due soon / overdue / done)"""
    cal = convert.calendar(holidays, workdays)

    def status(s, a, p, r, t):
        codes, _, _ = deadlines.status_codes(s, a, p, r, t, rules=DEFAULT_RULES, calendar=cal)
        return _STATUS_TH[codes]

    args = [convert.dates(x) for x in (forwarded, acknowledged, progress, resolved, as_of)]
    return convert.apply(status, args, "text", required=[True, False, False, False, True])


# --- scores ----------------------------------------------------------------------------


@udf(correct="จำนวนเรื่องที่ถูกต้อง (complaints correct)", total="จำนวนเรื่องทั้งหมด (complaints in total)")
def CPL_STEP_PCT(correct, total):
    """ร้อยละของขั้นตอน = ถูกต้อง × 100 / ทั้งหมด ทศนิยม 2 ตำแหน่ง ปัดครึ่งขึ้น
    (step percentage, 2 decimals rounded half up)"""
    c, t = convert.counts(correct), convert.counts(total)
    shape = convert.broadcast_shape([c, t])
    over = np.broadcast_to(c.values, shape) > np.broadcast_to(t.values, shape)
    c = convert.reject(c, over, cell_error("จำนวนถูกต้องมากกว่าจำนวนทั้งหมด", "correct exceeds total"))
    return convert.apply(percent_array, [c, t], "float")


@udf(pct="ร้อยละของขั้นตอน (step percentage)", full="คะแนนเต็มของขั้นตอน (full points of the step)",
     threshold="ร้อยละที่ได้คะแนนเต็ม ค่าเริ่มต้น 95 (percentage earning full points, default 95)")
def CPL_STEP_SCORE(pct, full, threshold=None):
    """คะแนนขั้นตอน: เต็มเมื่อร้อยละถึงเกณฑ์ มิฉะนั้น ร้อยละ × คะแนนเต็ม / เกณฑ์
    (step score: full points at the threshold, else pct × points / threshold)"""
    rules = load_rules(DEFAULT_RULES)

    def scores(p, f, th):
        th = np.where(np.isnan(th), rules.threshold_pct, th)
        return np.array([step_score(a, b, c, rules.score_decimals) for a, b, c in zip(p, f, th)], dtype=float)

    args = [convert.within(convert.numbers(pct), 0, 100, "ร้อยละ", "the percentage"),
            convert.within(convert.numbers(full), 0, 1000, "คะแนนเต็ม", "the full points"),
            convert.within(convert.numbers(threshold), 0, 100, "เกณฑ์ร้อยละ", "the threshold", low_open=True)]
    return convert.apply(scores, args, "float", required=[True, True, False])


@udf(pct="ร้อยละผลการดำเนินงานตามตัวชี้วัด (result percentage)")
def CPL_LEVEL(pct):
    """ระดับคะแนน 1-5 ของโครงการ Best Service: ร้อยละ 60/70/80/90/100 เทียบบัญญัติไตรยางศ์ ต่ำกว่า 60 ได้ 0
    (Best Service level 1-5 with linear interpolation)"""
    return convert.apply(lambda p: levels.level(p),
                         [convert.within(convert.numbers(pct), 0, 100, "ร้อยละ", "the percentage")], "float")


@udf(sent="วันที่ส่งรายงานประจำเดือน ว่างคือยังไม่ส่ง (date the monthly summary was sent; empty: not sent)",
     report_month="เดือนของรายงาน เช่น ต.ค. 2562 หรือวันใดในเดือน (month of the report)",
     as_of="ณ วันที่ ใช้ตัดสินรายงานที่ยังไม่ส่ง (as of, to judge a report not sent)")
def CPL_LATE_REPORT_PENALTY(sent, report_month, as_of=None):
    """คะแนนที่ถูกหักเพราะส่งรายงานประจำเดือนช้าหรือไม่ส่ง (กำหนดวันที่ 10 ของเดือนถัดไป)
    (deduction for a monthly summary sent late or not at all, due on the 10th)"""
    args = [convert.dates(sent), convert.months(report_month), convert.dates(as_of)]
    return convert.apply(lambda s, m, t: monthly_report_deduction(s, m, t, rules=DEFAULT_RULES), args, "float",
                         required=[False, True, False])


# --- fiscal years and Thai dates ------------------------------------------------------


@udf(date_value="วันที่ (date)")
def CPL_FISCAL_YEAR(date_value):
    """ปีงบประมาณ พ.ศ. ของวันที่ (1 ต.ค. - 30 ก.ย.) เช่น 1 ต.ค. 2562 คือปีงบประมาณ 2563
    (Thai fiscal year B.E.: 1 Oct 2019 is FY 2563)"""
    return convert.apply(fiscal_year, [convert.dates(date_value)], "int")


@udf(date_value="วันที่ (date)",
     style="รูปแบบ short (1 ต.ค. 2562), long (1 ตุลาคม 2562), numeric (1/10/2562), short2 (1 ต.ค. 62)")
def CPL_THAI_DATE(date_value, style=None):
    """วันที่แบบไทย พ.ศ. เป็นข้อความ เช่น 1 ต.ค. 2562
    (a date as Thai Buddhist-era text, e.g. 1 ต.ค. 2562)"""
    # checked by the empty call below: an unknown style raises there
    chosen = cast(DateStyle, str(convert.single(style, "รูปแบบ", "style") or "short").strip().lower())
    try:
        format_thai_dates(np.array([], dtype="datetime64[D]"), chosen)  # an unknown style raises
    except ValueError as exc:
        raise CellValueError(f"{PREFIX} {exc}") from exc
    return convert.apply(lambda d: format_thai_dates(d, chosen), [convert.dates(date_value)], "text")


# --- explanations ------------------------------------------------------------------------

@udf(call_in_wizard=False,
     forwarded="วันที่ศูนย์แจ้งเรื่อง (forwarding date)", acknowledged="วันที่ตอบรับ (acknowledgement date)",
     first_progress="วันที่รายงานความก้าวหน้าครั้งที่ 1 (first progress report)",
     resolved="วันที่แล้วเสร็จ (resolution date)",
     result_detail="ผลการดำเนินการที่ตอบผู้ร้องได้ (result detail)",
     evidence="มีภาพก่อน-หลังหรือหลักฐาน เช่น มี/ไม่มี (before/after evidence, e.g. มี/ไม่มี)",
     as_of="ณ วันที่ (as of)",
     only_step="เฉพาะขั้นตอน เช่น 1 หรือ acknowledge ว่างคือทุกขั้นตอน (only this step or component; empty: all)",
     reopened="วันที่ส่งเรื่องใหม่ ถ้าผู้ร้องไม่พอใจ (re-forwarding date of a reopened complaint)",
     ids="เลขที่เรื่อง ใช้จับคู่กับรายงานความก้าวหน้า (complaint ids, to match the progress reports)",
     report_ids="เลขที่เรื่องของรายงานความก้าวหน้า (complaint id of each progress report)",
     report_dates="วันที่ของรายงานความก้าวหน้า (date of each progress report)")
def CPL_EXPLAIN(forwarded, acknowledged, first_progress, resolved, result_detail, evidence, as_of,
                only_step=None, reopened=None, ids=None, report_ids=None, report_dates=None):
    """เหตุสั้น ๆ ที่เรื่องไม่ได้คะแนนแต่ละขั้นตอน ตามเกณฑ์ กทม. 2557 พร้อมรหัส เช่น ขั้นตอนที่ 1: ตอบรับช้า 2 วันทำการ
    [ACK_LATE] ข้อความเต็มอยู่ในชีตคำอธิบายคะแนน (short reason per lost step with its code; full text: the
    explanation sheet)"""
    rules = load_rules(DEFAULT_RULES)
    when = convert.dates(convert.single(as_of, "ณ วันที่", "as of"))
    if when.bad.any() or when.empty.any():
        shown = when.errors[0, 0] or cell_error("ต้องระบุ ณ วันที่", "as_of is required")
        raise CellValueError(shown)
    components = _components(rules, convert.single(only_step, "ขั้นตอน", "only_step"))

    cols = {"forwarded_on": convert.dates(forwarded), "acknowledged_on": convert.dates(acknowledged),
            "first_progress_on": convert.dates(first_progress), "resolved_on": convert.dates(resolved),
            "reopened_on": convert.dates(reopened), "result_detail": convert.values(result_detail),
            "has_evidence": convert.values(evidence)}
    if ids is not None:
        cols["complaint_id"] = convert.values(ids)
    shape = convert.broadcast_shape(list(cols.values()))
    n = int(np.prod(shape))

    def flat(c: convert.Cells, what: str) -> np.ndarray:
        return np.broadcast_to(getattr(c, what), shape).ravel()

    errors = np.full(n, None, dtype=object)
    for c in cols.values():
        e = flat(c, "errors")
        errors = np.where((errors == None) & (e != None), e, errors)  # noqa: E711
    table: dict[str, Any] = {}
    for name, c in cols.items():
        column = flat(c, "values").astype(object)  # a copy: writable
        column[flat(c, "empty")] = None
        table[name] = column
    if ids is None:
        table["complaint_id"] = np.array([str(i + 1) for i in range(n)], dtype=object)
    header = list(table)
    rows = [header, *np.column_stack([table[h] for h in header]).tolist()]
    norm = normalize_complaints(rows, sheet=None)
    has_start = ~flat(cols["forwarded_on"], "empty")
    for p in norm.errors:  # a row without a forwarding date is empty, not an error
        if p.row is not None and has_start[p.row - 2] and errors[p.row - 2] is None:
            errors[p.row - 2] = f"{PREFIX} {p.message}"
    progress = _progress(report_ids, report_dates, norm.table["complaint_id"], ids is not None)

    t = norm.table
    usable = t[t["forwarded_on"].notna() & np.array([errors[r - 2] is None for r in t.index], dtype=bool)]
    out = np.full(n, None, dtype=object)
    if len(usable):
        res = score(usable, progress, rules=rules, start=usable["forwarded_on"].min(),
                    end=usable["forwarded_on"].max(), as_of=when.values[0, 0])
        why = res.explain()
        why = why[why["row"].notna() & why["component"].isin(components)]
        out[why["row"].unique().astype(int) - 2] = REASON_TEXTS["OK"]["short_th"]
        lost = why[why["reason_code"] != "OK"]
        if len(lost):
            steps = lost["component"].map({c.key: _step_label(c) for c in rules.components})
            parts = steps + ": " + short_reasons(lost) + " [" + lost["reason_code"] + "]"
            joined = parts.groupby(lost["row"].astype(int), sort=False).agg("; ".join)
            out[joined.index.to_numpy() - 2] = joined.to_numpy()
    out = np.where(errors != None, errors, out)  # noqa: E711
    return convert.rows(out.reshape(shape))


_STEP_LABEL = re.compile(r"ขั้นตอนที่\s*[\d.]+")


def _step_label(component: Any) -> str:
    """``ขั้นตอนที่ 2.1``: the head of a component's Thai label (or its step number)."""
    m = _STEP_LABEL.match(component.label_th)
    return m.group(0) if m else f"ขั้นตอนที่ {component.step}"


def _components(rules: Any, step: Any) -> list[str]:
    """The component keys a ``step`` argument selects: a key, a step number, or all."""
    keys = [c.key for c in rules.components if not c.monthly]
    if step is None:
        return keys
    text = str(int(step) if isinstance(step, float) and step.is_integer() else step).strip()

    def names(c: Any) -> set[str]:  # its key, its step, its label's number ("2.1") and short label
        label = short_label(c.label_th)
        return {c.key, str(c.step), label, label.split()[-1]}

    chosen = [c.key for c in rules.components if not c.monthly and text in names(c)]
    if not chosen:
        known = sorted({n for c in rules.components if not c.monthly for n in names(c) - {c.key}}) + keys
        raise CellValueError(cell_error("ไม่รู้จักขั้นตอน", "unknown step",
                                        f"{convert.shown(text)}; ใช้ (use) " + ", ".join(known)))
    return chosen


def _progress(report_ids: Any, report_dates: Any, complaint_ids: pd.Series,
              have_ids: bool) -> pd.DataFrame | None:
    """The progress-report table from the two report ranges (None when not given)."""
    if report_ids is None and report_dates is None:
        return None
    if report_ids is None or report_dates is None or not have_ids:
        raise CellValueError(cell_error(
            "รายงานความก้าวหน้าต้องระบุ ids, report_ids และ report_dates ครบ",
            "progress reports need ids, report_ids and report_dates"))
    rid, rdate = convert.values(report_ids), convert.dates(report_dates)
    if rid.shape != rdate.shape:
        raise CellValueError(cell_error("ขนาดช่วงเซลล์ไม่เท่ากัน", "the ranges have different sizes",
                                        f"report_ids {rid.shape[0]}×{rid.shape[1]}, "
                                        f"report_dates {rdate.shape[0]}×{rdate.shape[1]}"))
    if rdate.bad.any():
        k = int(np.flatnonzero(rdate.bad.ravel())[0])
        raise CellValueError(f"{rdate.errors.ravel()[k]} (report_dates #{k + 1})")
    keep = ~rid.empty.ravel() & ~rdate.empty.ravel()
    rows = [["complaint_id", "reported_on"]] + [
        [i, d] for i, d in zip(rid.values.ravel()[keep], rdate.values.ravel()[keep].astype(object))]
    return normalize_progress(rows, sheet=None, complaint_ids=complaint_ids).table
