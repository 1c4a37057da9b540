"""The CPL_* cell functions called as Excel calls them, with known Thai calendar dates and seed figures.

Arguments are what xlwings passes with ``ndim=2``: lists of rows of
``datetime`` (classic), float serials (classic formulas, Lite/Server), None /
"" / 0 for empty cells, Thai text and bad cells mixed in. Every result has
the shape of its input (one Python call per column).
"""

from __future__ import annotations

import datetime as dt
import random
import re

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook, load_workbook

from cplkpi.office import recalculate
from cplkpi.scoring import thai_calendar
from cplkpi.scoring.scores import monthly_report_deduction
from cplkpi.scoring.thaidate import excel_serial
from cplkpi.udfs import (
    CPL_ACK_DUE,
    CPL_EXPLAIN,
    CPL_FISCAL_YEAR,
    CPL_LATE_REPORT_PENALTY,
    CPL_LEVEL,
    CPL_NETWORKDAYS,
    CPL_NEXT_FOLLOWUP,
    CPL_ON_TIME,
    CPL_PROGRESS_DUE,
    CPL_STATUS,
    CPL_STEP_PCT,
    CPL_STEP_SCORE,
    CPL_THAI_DATE,
    CPL_WORKDAY,
)

D, d = dt.datetime, dt.date


def serial(day: dt.date) -> float:
    return float(excel_serial(day))


def col(*values):
    return [[v] for v in values]


def test_workday_on_known_thai_dates():
    starts = col(D(2019, 10, 11), serial(d(2019, 12, 4)), "30/12/2562", D(2019, 11, 1), "16 ต.ค. 2562")
    out = CPL_WORKDAY(starts, col(1, 1, 1, 1, -2))
    assert out == col(d(2019, 10, 15),  # 14 Oct 2019: King Bhumibol memorial day substitute
                      d(2019, 12, 6),  # 5 Dec: Father's Day
                      d(2020, 1, 2),  # 31 Dec and 1 Jan
                      d(2019, 11, 6),  # 4–5 Nov 2019: ASEAN Summit, Bangkok only
                      d(2019, 10, 11))  # back over 14 Oct


def test_a_single_days_value_applies_to_the_whole_column():
    starts = [D(2019, 10, 1) + dt.timedelta(days=i) for i in range(40)]
    out = CPL_WORKDAY(col(*starts), [[3.0]])
    cal = thai_calendar()
    assert len(out) == 40 and all(len(r) == 1 for r in out)
    assert [r[0] for r in out] == [cal.workday(s.date(), 3) for s in starts]


def test_a_two_dimensional_range_gives_the_same_shape():
    grid = [[D(2019, 10, 1), D(2019, 10, 2), None], [43770.0, "", "x"]]
    out = CPL_ACK_DUE(grid)
    assert [len(r) for r in out] == [3, 3]
    assert out[0][:2] == [d(2019, 10, 2), d(2019, 10, 3)] and out[0][2] is None
    assert out[1][0] == d(2019, 11, 6)  # 43770 is Fri 1 Nov 2019: 4–5 Nov ASEAN Summit
    assert out[1][1] is None and out[1][2].startswith("#CPL!")


def test_single_cell_in_single_value_out():
    assert CPL_ACK_DUE([[D(2019, 10, 11)]]) == [[d(2019, 10, 15)]]
    assert CPL_ACK_DUE(D(2019, 10, 11)) == [[d(2019, 10, 15)]]  # a plain scalar too


def test_empty_in_empty_out_classic_and_lite():
    assert CPL_ACK_DUE(col(None, "", 0, 0.0, "  ")) == col(None, None, None, None, None)
    assert CPL_FISCAL_YEAR(col(None, "")) == col(None, None)


def test_a_bad_cell_does_not_break_the_column():
    out = CPL_ACK_DUE(col(D(2019, 10, 11), "31/02/2562", "#N/A", D(2019, 10, 1)))
    assert out[0] == [d(2019, 10, 15)] and out[3] == [d(2019, 10, 2)]
    assert out[1] == ['#CPL! ไม่มีวันที่นี้ในปฏิทิน (no such calendar date): "31/02/2562"']
    assert out[2][0].startswith("#CPL! เซลล์มีค่าผิดพลาดของ Excel")


def test_dates_outside_the_calendar_are_errors_of_their_own_cells():
    out = CPL_WORKDAY(col(D(2027, 12, 30), D(2019, 10, 1), D(1990, 1, 1)), 5)
    assert out[1] == [d(2019, 10, 8)]
    assert "outside the covered calendar" in out[0][0] and "outside the covered calendar" in out[2][0]


def test_an_as_of_date_outside_the_calendar_is_the_calls_one_message():
    """Found by the property test (hypothesis, as of 1 Jan 2028): the engine's CalendarRangeError once
    escaped the cell function (classic Excel shows #VALUE! and a Python error box)."""
    out = CPL_EXPLAIN(D(2027, 12, 1), None, None, None, None, None, D(2028, 1, 1))
    assert out == [["#CPL! วันที่ 1 ม.ค. 2571 อยู่นอกช่วงปฏิทินที่รองรับ 1 ม.ค. 2540 – 31 ธ.ค. 2570 (date 2028-01-01 is "
                    "outside the covered calendar 1997-01-01 – 2027-12-31; add the year to scoring/data/calendar.toml "
                    "once its holidays are known)"]]


def test_holidays_and_workdays_override_the_calendar():
    start = col(D(2019, 11, 6), D(2019, 11, 1))
    assert CPL_WORKDAY(start, 1) == col(d(2019, 11, 7), d(2019, 11, 6))
    assert CPL_WORKDAY(start, 1, col(D(2019, 11, 7), None)) == col(d(2019, 11, 8), d(2019, 11, 6))
    assert CPL_WORKDAY(start, 1, None, col(D(2019, 11, 4))) == col(d(2019, 11, 7), d(2019, 11, 4))
    working_saturday = col(D(2019, 11, 2))
    assert CPL_ACK_DUE(col(D(2019, 11, 1)), None, working_saturday) == col(d(2019, 11, 2))
    bad = CPL_WORKDAY(start, 1, col("ไม่ใช่วันที่"))
    assert len(bad) == 1 and bad[0][0].startswith("#CPL! วันหยุดเพิ่มเติมไม่ถูกต้อง (invalid extra holiday)")


def test_networkdays():
    out = CPL_NETWORKDAYS(col(D(2019, 10, 1), D(2019, 10, 31), D(2019, 11, 1)),
                          col(D(2019, 10, 31), D(2019, 10, 1), D(2019, 11, 6)))
    assert out == col(21, -21, 2)  # October 2019: 23 weekdays less 14 and 23 Oct; 4–5 Nov ASEAN
    assert type(out[0][0]) is int
    assert CPL_NETWORKDAYS(col(D(2019, 10, 1)), col(None)) == col(None)


def test_deadlines():
    assert CPL_PROGRESS_DUE(col(D(2019, 10, 10), None)) == col(d(2019, 10, 16), None)
    assert CPL_NEXT_FOLLOWUP(col(D(2019, 10, 1), D(2019, 10, 16), D(2019, 2, 20), D(2020, 2, 20))) == col(
        d(2019, 10, 15), d(2019, 10, 30),
        d(2019, 2, 28),  # February: its last day
        d(2020, 3, 2))  # 29 Feb 2020 is a Saturday: the next business day
    on_time = CPL_ON_TIME(col(D(2019, 10, 2), D(2019, 10, 3), None), col(D(2019, 10, 2)))
    assert on_time == col(True, False, None)


def test_status_in_thai():
    out = CPL_STATUS(
        col(D(2019, 10, 1), D(2019, 10, 1), D(2019, 10, 1), D(2019, 10, 1), None),
        col(None, D(2019, 10, 2), D(2019, 10, 2), None, None),
        col(None, None, None, None, None),
        col(None, None, D(2019, 10, 3), None, None),
        [[D(2019, 10, 3)]])
    assert out == col("เกินกำหนด", "อยู่ในกำหนด", "ดำเนินการแล้วเสร็จ", "เกินกำหนด", None)
    due_soon = CPL_STATUS(col(D(2019, 10, 1)), col(None), col(None), col(None), [[D(2019, 10, 1)]])
    assert due_soon == col("ใกล้ครบกำหนด")


def test_step_pct_reproduces_seed_001():
    out = CPL_STEP_PCT(col(914, 1301, 1637, 0, 5, 2.5, None), col(915, 1335, 1669, 0, 3, 4, 10))
    assert [r[0] for r in out[:4]] == [99.89, 97.45, 98.08, None]  # seed 001 quarters; 0 of 0: no percentage
    assert out[4][0] == "#CPL! จำนวนถูกต้องมากกว่าจำนวนทั้งหมด (correct exceeds total)"
    assert out[5][0].startswith("#CPL! ต้องเป็นจำนวนเต็มไม่ติดลบ") and out[6] == [None]


def test_step_score_threshold_formula():
    assert CPL_STEP_SCORE(col(96.5, 90.25, 47.5, 95), col(1, 1, 2, 3)) == col(1.0, 0.95, 1.0, 3.0)
    assert CPL_STEP_SCORE(col(80.0), col(1), col(90)) == col(0.8889)
    assert CPL_STEP_SCORE(col(80.0, 80.0), col(1, 1), col(None, 80)) == col(0.8421, 1.0)


def test_level():
    assert CPL_LEVEL(col(60, 75, 67.3, 59.99, 100, "x")) == col(1.0, 2.5, 1.73, 0.0, 5.0,
                                                               '#CPL! ต้องเป็นตัวเลข (must be a number): "x"')
    assert CPL_LEVEL(col(150, -5)) == col("#CPL! ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 (the percentage must be 0 to 100): 150",
                                          "#CPL! ร้อยละต้องอยู่ระหว่าง 0 ถึง 100 (the percentage must be 0 to 100): -5")


def test_a_long_bad_date_text_is_quoted_short():
    """The engine's date messages quote the whole cell: the cell function quotes 60 characters of it."""
    assert CPL_THAI_DATE([["x" * 300]]) == [[
        '#CPL! อ่านวันที่ไม่ได้ (เขียนแบบ 30/10/2562 หรือ 1 ต.ค. 2562) (cannot read the date (write it as 30/10/2562 '
        'or 1 ต.ค. 2562)): "' + "x" * 59 + '…"']]


def test_late_report_penalty():
    out = CPL_LATE_REPORT_PENALTY(col(D(2019, 11, 10), D(2019, 11, 11), None, None, D(2019, 12, 9)),
                                  col("ต.ค. 2562", D(2019, 10, 5), "10/2562", "ต.ค. 2562", "พฤศจิกายน 2562"),
                                  col(None, None, D(2019, 11, 11), D(2019, 11, 9), None))
    assert out == col(0.0, 0.1, 0.1, None, 0.0)  # due on the 10th; not sent and not yet due: no judgement
    # not sent, judged on the due day itself: it may still be sent that day
    assert CPL_LATE_REPORT_PENALTY(col(None), col("ต.ค. 2562"), col(D(2019, 11, 10))) == col(None)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.one_of(st.none(), st.dates(dt.date(2019, 10, 1), dt.date(2020, 12, 31))),
                          st.dates(dt.date(2019, 10, 1), dt.date(2020, 9, 30)),
                          st.one_of(st.none(), st.dates(dt.date(2019, 10, 1), dt.date(2020, 12, 31)))),
                min_size=1, max_size=8))
def test_late_report_penalty_is_the_engines_deduction(rows):
    """As the score computes it: not sent and judged on the due day itself is still pending."""
    sent, month, as_of = ([r[i] for r in rows] for i in range(3))
    out = CPL_LATE_REPORT_PENALTY([[v] for v in sent], [[v] for v in month], [[v] for v in as_of])
    expected = monthly_report_deduction(pd.Series(sent, dtype="datetime64[ns]"),
                                        pd.Series(month, dtype="datetime64[ns]"),
                                        pd.Series(as_of, dtype="datetime64[ns]"))
    assert out == [[None if v != v else float(v)] for v in expected]


def test_fiscal_year_and_thai_dates():
    assert CPL_FISCAL_YEAR(col(D(2019, 10, 1), D(2019, 9, 30), "30/9/2563")) == col(2563, 2562, 2563)
    days = col(D(2019, 10, 1))
    assert CPL_THAI_DATE(days) == col("1 ต.ค. 2562")
    assert CPL_THAI_DATE(days, [["long"]]) == col("1 ตุลาคม 2562")
    assert CPL_THAI_DATE(days, "numeric") == col("1/10/2562")
    assert CPL_THAI_DATE(days, "short2") == col("1 ต.ค. 62")
    assert CPL_THAI_DATE(days, "bogus")[0][0].startswith("#CPL! รูปแบบวันที่ไม่รู้จัก")
    assert CPL_THAI_DATE(days, col("long", "short"))[0][0].startswith("#CPL! รูปแบบ ต้องเป็นเซลล์เดียว")


def _sample_columns(book):
    t = book.complaints.table

    def c(name):
        return [[None if pd.isna(v) else v.to_pydatetime() if isinstance(v, pd.Timestamp) else v]
                for v in t[name]]

    return t, c


def test_explain_agrees_with_the_scores_explanation(sample_book):
    """Every complaint of the sample: the codes and steps of the short text are the explanation
    table's lost components, and every text fits Excel's 255 characters (the full reasons were up
    to 428)."""
    t, c = _sample_columns(sample_book)
    p = sample_book.progress.table
    names = ("forwarded_on", "acknowledged_on", "first_progress_on", "resolved_on", "result_detail",
             "has_evidence")
    out = CPL_EXPLAIN(*(c(n) for n in names),
                      [[D(2020, 9, 30)]], None, c("reopened_on"), c("complaint_id"),
                      [[v] for v in p["complaint_id"]], [[v.to_pydatetime()] for v in p["reported_on"]])
    result = sample_book.score(fiscal_year=2563)
    why = result.explain()
    steps = {"acknowledge": "ขั้นตอนที่ 1", "resolve_detail": "ขั้นตอนที่ 2.1", "followup_evidence": "ขั้นตอนที่ 2.2"}
    assert len(out) == len(t) > 1000
    lost_somewhere = 0
    for row, (text,) in zip(t.index, out):
        assert len(text) <= 255, text
        g = why[(why["row"] == row) & (why["reason_code"] != "OK")]
        if not len(g):
            assert text == "ถูกต้อง"
            continue
        parts = text.split("; ")
        assert [re.fullmatch(r"(ขั้นตอนที่ [\d.]+): .+ \[([A-Z_]+)\]", x).groups() for x in parts] == [
            (steps[k], code) for k, code in zip(g["component"], g["reason_code"])]
        lost_somewhere += 1
    assert lost_somewhere > 10  # the sample has late acknowledgements, missed follow-ups, missing evidence
    assert max(len(text) for (text,) in out) < 200  # three lost steps at most, each short


def test_explain_one_step_and_bad_rows():
    fwd = col(D(2019, 10, 1), D(2019, 10, 1), None, "bad")
    ack = col(D(2019, 10, 7), D(2019, 10, 2), None, None)
    empty = col(None, None, None, None)
    out = CPL_EXPLAIN(fwd, ack, empty, empty, empty, empty, [[D(2019, 10, 3)]], [[1.0]])
    assert out[0] == ["ขั้นตอนที่ 1: ไม่ได้ตอบรับ เกินกำหนด 1 วันทำการ [ACK_MISSING]"]
    assert out[1] == ["ขั้นตอนที่ 1: ยังไม่ถึงกำหนดรายงานครั้งที่ 1 [PROGRESS_PENDING]"]
    assert out[2] == [None] and out[3][0].startswith("#CPL! อ่านวันที่ไม่ได้")
    assert CPL_EXPLAIN(fwd, ack, empty, empty, empty, empty, [[None]])[0][0].startswith("#CPL! ต้องระบุ ณ วันที่")
    unknown = CPL_EXPLAIN(fwd, ack, empty, empty, empty, empty, [[D(2019, 10, 3)]], "9")
    assert unknown[0][0].startswith("#CPL! ไม่รู้จักขั้นตอน (unknown step)")
    every_step = CPL_EXPLAIN(fwd, ack, empty, col(D(2019, 10, 20), None, None, None),
                             col("ซ่อมแล้ว", None, None, None), empty, [[D(2019, 11, 30)]])
    assert every_step[0] == [("ขั้นตอนที่ 1: ตอบรับช้า 3 วันทำการ [ACK_LATE]; "
                              "ขั้นตอนที่ 2.2: ขาดรอบติดตาม 15/30 รอบแรก 15 ต.ค. 2562 [FOLLOWUP_MISSED]")]
    assert every_step[1] == [("ขั้นตอนที่ 1: ไม่ได้รายงานครั้งที่ 1 เกินกำหนด 35 วันทำการ [PROGRESS_MISSING]; "
                              "ขั้นตอนที่ 2.1: ยังไม่แล้วเสร็จ [NOT_RESOLVED]; "
                              "ขั้นตอนที่ 2.2: ขาดรอบติดตาม 15/30 รอบแรก 15 ต.ค. 2562 [FOLLOWUP_MISSED]")]
    # a step as its label prints it: "2.1" and "ขั้นตอนที่ 2.1" choose component 2.1 only
    for step in ("2.1", "ขั้นตอนที่ 2.1"):
        assert CPL_EXPLAIN(fwd, ack, empty, empty, empty, empty, [[D(2020, 1, 31)]], step)[0] == [
            "ขั้นตอนที่ 2.1: ยังไม่แล้วเสร็จ [NOT_RESOLVED]"]
    long_step = CPL_EXPLAIN(fwd, ack, empty, empty, empty, empty, [[D(2019, 10, 3)]], "z" * 200)[0][0]
    assert long_step.startswith('#CPL! ไม่รู้จักขั้นตอน (unknown step): "' + "z" * 59 + '…"; ใช้ (use) 1, 2, 2.1, 2.2, ')
    reversed_dates = CPL_EXPLAIN(col(D(2019, 10, 5)), col(D(2019, 10, 1)), col(None), col(None), col(None),
                                 col(None), [[D(2019, 10, 9)]])
    assert reversed_dates[0][0].startswith("#CPL! วันที่ตอบรับก่อนวันที่ศูนย์แจ้งเรื่อง")


@pytest.mark.libreoffice
def test_workday_and_networkdays_agree_with_libreoffice(libreoffice, tmp_path):
    """One CPL_WORKDAY/CPL_NETWORKDAYS call over 400 rows (with extra holidays and a worked Saturday)
    against LibreOffice's WORKDAY.INTL/NETWORKDAYS.INTL over the same calendar."""
    rng = random.Random(2563)
    extra_hol = [d(2020, 3, 20), d(2020, 6, 8)]
    extra_work = [d(2020, 4, 13)]  # a Monday holiday (Songkran 2020, postponed) worked
    cal = thai_calendar(extra_hol, extra_work)
    starts = [d(2019, 10, 1) + dt.timedelta(days=rng.randrange(0, 400)) for _ in range(400)]
    days = [rng.randint(-15, 25) for _ in range(400)]
    ends = [s + dt.timedelta(days=rng.randint(-40, 60)) for s in starts]
    wb = Workbook()
    ws = wb.active
    hol = [h for h in cal.holiday_dates.astype(object) if d(2019, 1, 1) <= h <= d(2021, 12, 31)]
    for i, h in enumerate(hol, start=1):
        ws.cell(i, 10).value = h
    rng_hol = f"$J$1:$J${len(hol)}"
    for i, (s, n, e) in enumerate(zip(starts, days, ends), start=1):
        ws.cell(i, 1).value, ws.cell(i, 2).value, ws.cell(i, 3).value = s, n, e
        ws.cell(i, 4).value = f"=WORKDAY.INTL(A{i},B{i},1,{rng_hol})"
        ws.cell(i, 5).value = f"=NETWORKDAYS.INTL(A{i},C{i},1,{rng_hol})"
    src, dst = tmp_path / "wd.xlsx", tmp_path / "wd_calc.xlsx"
    wb.save(src)
    recalculate(src, dst)
    got = load_workbook(dst, data_only=True).active
    lo_wd = [got.cell(i, 4).value for i in range(1, 401)]
    lo_nd = [got.cell(i, 5).value for i in range(1, 401)]
    ours_wd = CPL_WORKDAY(col(*[D(s.year, s.month, s.day) for s in starts]), col(*map(float, days)),
                          col(*extra_hol), col(*extra_work))
    ours_nd = CPL_NETWORKDAYS(col(*map(serial, starts)), col(*map(serial, ends)),
                              col(*extra_hol), col(*extra_work))
    # the Monday worked is a weekday, so LibreOffice's holiday list (our calendar's) expresses it exactly
    for i in range(400):
        lo = lo_wd[i]
        lo = lo.date() if isinstance(lo, dt.datetime) else (d(1899, 12, 30) + dt.timedelta(days=int(lo)))
        assert ours_wd[i][0] == lo, (starts[i], days[i])
        assert ours_nd[i][0] == int(lo_nd[i]), (starts[i], ends[i])
    assert any(s <= d(2020, 4, 13) <= w for s, (w,) in zip(starts, ours_wd))  # the override mattered
