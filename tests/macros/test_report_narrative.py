"""Thai narratives: seed 003's monthly line, seed 001's cumulative text, the Step-3 memo."""

from __future__ import annotations

import datetime as _dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cplkpi.macros.narrative import NARRATIVE_DIR, cumulative_text, monthly_text, thai_range
from cplkpi.macros.reports import compute_figures
from cplkpi.macros.validate import parse_progress_text
from cplkpi.scoring.scores import period_summary

D = _dt.date


def complaints(start: _dt.date, end: _dt.date, received: int, completed: int) -> pd.DataFrame:
    """``received`` complaints forwarded evenly in [start, end], the first ``completed`` resolved on ``end``."""
    days = pd.date_range(start, end, freq="D")
    fwd = days[np.arange(received) % len(days)]
    resolved = pd.Series(pd.NaT, index=range(received), dtype="datetime64[ns]")
    resolved.iloc[:completed] = pd.Timestamp(end)
    return pd.DataFrame({"complaint_id": [f"C{i}" for i in range(received)], "forwarded_on": fwd,
                         "resolved_on": resolved})


def test_seed003_monthly_line():
    summary = period_summary(complaints(D(2019, 10, 1), D(2019, 10, 31), 91, 71), D(2019, 10, 1), D(2019, 10, 31))
    assert monthly_text(summary) == ("จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 1 ตุลาคม - 31 ตุลาคม 2562 จำนวน 91 เรื่อง "
                                     "ดำเนินการเสร็จสิ้นแล้ว 71 เรื่อง กำลังดำเนินการ 20 เรื่อง")


def test_seed001_quarterly_cumulative_text():
    summary = period_summary(complaints(D(2018, 10, 1), D(2019, 3, 31), 915, 914), D(2018, 10, 1), D(2019, 3, 31))
    assert (summary["completed_pct"], summary["pending_pct"]) == (99.89, 0.11)
    assert cumulative_text(summary) == (
        "ผลการดำเนินงานแก้ไขเรื่องร้องเรียน ระหว่างวันที่ 1 ตุลาคม 2561 ถึงวันที่ 31 มีนาคม 2562 "
        "มีจำนวนเรื่องร้องเรียนทั้งสิ้น 915 เรื่อง และดำเนินการแก้ไขเรื่องร้องเรียนเรียบร้อยแล้ว จำนวน 914 เรื่อง "
        "คิดเป็นร้อยละ 99.89 เรื่องที่อยู่ระหว่างดำเนินการ จำนวน 1 เรื่อง คิดเป็นร้อยละ 0.11")
    assert cumulative_text(summary, quarter=2).startswith("ไตรมาสที่ 2 : ผลการดำเนินงาน")


@pytest.mark.parametrize(("end", "received", "completed", "texts"), [
    (D(2019, 6, 24), 1335, 1301, ("1,335 เรื่อง", "1,301 เรื่อง คิดเป็นร้อยละ 97.45", "34 เรื่อง คิดเป็นร้อยละ 2.55")),
    (D(2019, 8, 30), 1669, 1637, ("1,669 เรื่อง", "1,637 เรื่อง คิดเป็นร้อยละ 98.08", "32 เรื่อง คิดเป็นร้อยละ 1.92")),
])
def test_seed001_other_quarters(end, received, completed, texts):
    summary = period_summary(complaints(D(2018, 10, 1), end, received, completed), D(2018, 10, 1), end)
    text = cumulative_text(summary)
    assert all(t in text for t in texts), text


def test_no_complaints():
    summary = period_summary(complaints(D(2019, 10, 1), D(2019, 10, 31), 0, 0), D(2019, 10, 1), D(2019, 10, 31))
    assert cumulative_text(summary).endswith("ไม่มีเรื่องร้องเรียน")


def test_ranges_and_quarters():
    assert thai_range(D(2019, 12, 28), D(2020, 1, 31)) == "28 ธันวาคม 2562 - 31 มกราคม 2563"
    assert thai_range(D(2020, 3, 1), D(2020, 3, 31)) == "1 มีนาคม - 31 มีนาคม 2563"


def test_dates_written_as_thai_text_are_read():
    """A period or as-of date given as text (a cell, the command line) is read like the engine reads dates."""
    assert thai_range("1 มี.ค. 2563", "31/3/2563") == "1 มีนาคม - 31 มีนาคม 2563"
    summary = {"start": "1 ต.ค. 2562", "end": "2019-10-31", "received": 91, "completed": 71, "pending": 20}
    assert monthly_text(summary).startswith("จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 1 ตุลาคม - 31 ตุลาคม 2562 จำนวน 91")
    summary.update(completed_pct=78.02, pending_pct=21.98)
    assert "ระหว่างวันที่ 1 ตุลาคม 2562 ถึงวันที่ 31 ตุลาคม 2562" in cumulative_text(summary)


def test_memo_to_the_head_of_the_district(sample_book):
    fig = compute_figures(sample_book, "2563-09")
    from cplkpi.macros.narrative import memo_text

    memo = memo_text(fig)
    assert "เรียน  ผู้อำนวยการเขตบางกอกน้อย" in memo
    assert "เรื่อง  รายงานสรุปเรื่องร้องเรียนประจำเดือนกันยายน 2563" in memo
    assert "ภายในวันที่ 10 ตุลาคม 2563" in memo                       # monthly_report_due: 10th of next month
    # each percentage follows the count it is the share of (38/93 completed, 55/93 in progress)
    assert ("1. ประจำเดือน: จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 1 กันยายน - 30 กันยายน 2563 จำนวน 93 เรื่อง "
            "ดำเนินการเสร็จสิ้นแล้ว 38 เรื่อง คิดเป็นร้อยละ 40.86 กำลังดำเนินการ 55 เรื่อง คิดเป็นร้อยละ 59.14\n") in memo
    # step 3 as what it is: summaries on time n of m, the months not due yet, its deductions, its score
    assert ("ขั้นตอนที่ 3 การรายงานผลประจำเดือน: ส่งตรงเวลา 9 จาก 11 เดือน (ยังไม่ถึงกำหนดส่งอีก 1 เดือน) "
            "หัก 0.2 คะแนน ได้ 0.8 จาก 1 คะแนน\n") in memo
    assert ("ขั้นตอนที่ 1 การรับเรื่อง: ถูกต้อง 1,113 จาก 1,162 เรื่อง (ในจำนวนที่ถูกต้องนี้ ยังไม่ถึงกำหนด 11 เรื่อง) "
            "คิดเป็นร้อยละ 95.78 ได้ 1 จาก 1 คะแนน") in memo
    assert "ร้อยละ 81.82" not in memo  # 9/11 scores nothing under bma-2557 (full points minus deductions)
    assert "เรื่องคงค้าง ณ วันที่ 30 กันยายน 2563 จำนวน 114 เรื่อง เกินกำหนด 4 เรื่อง" in memo
    assert "    - ส่งรายงานสรุปประจำเดือนช้า เดือนกุมภาพันธ์ 2563 0.1 คะแนน\n" in memo
    assert "    - ไม่ส่งรายงานสรุปประจำเดือน เดือนพฤษภาคม 2563 0.1 คะแนน\n" in memo
    assert "รวมคะแนน 4.5502 จาก 5 คะแนน" in memo
    feb = compute_figures(sample_book, "ก.พ. 2563")
    assert "ภายในวันที่ 10 มีนาคม 2563" in memo_text(feb)
    early = compute_figures(sample_book, "ก.พ. 2563", as_of="5 มี.ค. 2563")   # as-of typed in Thai
    assert early.as_of == D(2020, 3, 5) and "เรื่องคงค้าง ณ วันที่ 5 มีนาคม 2563" in memo_text(early)


def test_narratives_are_template_files():
    names = sorted(p.name for p in NARRATIVE_DIR.glob("*.j2"))
    assert names == ["cumulative.j2", "memo.j2", "monthly.j2"]


@settings(max_examples=80, deadline=None)
@given(st.dates(D(2015, 1, 1), D(2026, 6, 1)), st.integers(0, 400), st.integers(0, 120), st.data())
def test_monthly_line_reads_back(start, length, received, data):
    """What the narrative writes, the validator's parser reads back (dates in Thai B.E., counts)."""
    end = start + _dt.timedelta(days=length)
    completed = data.draw(st.integers(0, received))
    summary = {"start": start, "end": end, "received": received, "completed": completed,
               "pending": received - completed}
    p = parse_progress_text(monthly_text(summary))
    assert (p.start, p.end, p.received, p.completed, p.in_progress) == (start, end, received, completed,
                                                                        received - completed)
