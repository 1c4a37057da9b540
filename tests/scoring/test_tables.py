"""The input model: Thai/English header aliases, types, and one located problem per bad value."""

from __future__ import annotations

import datetime as dt

import pandas as pd

from cplkpi.reader import from_sheets
from cplkpi.scoring.tables import canonical_status, normalize_complaints, normalize_progress

D = dt.date
TH_HEADER = ["เลขที่เรื่อง", "วันที่ศูนย์แจ้งเรื่อง", "วันที่ตอบรับ", "วันที่รายงานความก้าวหน้า", "วันที่แล้วเสร็จ",
             "สถานะ", "ผลการดำเนินการ", "หลักฐาน"]


def where(problems):
    return sorted((p.code, p.sheet, p.letter, p.row, p.severity) for p in problems)


def test_thai_headers_title_rows_and_types():
    rows = [["รายงานเรื่องร้องเรียน สำนักงานเขตบางกอกน้อย"], [],
            TH_HEADER,
            ["6300001", "1 ต.ค. 2562", dt.datetime(2019, 10, 2, 9, 30), "4/10/2562", 43770.0, "เสร็จสิ้น",
             "ซ่อมแล้ว", "มี"],
            [6300002.0, "2019-10-03", None, None, None, "อยู่ระหว่างดำเนินการ", "", "ไม่มี"]]
    n = normalize_complaints(rows, "ข้อมูล")
    t = n.table
    assert list(t.index) == [4, 5]  # Excel row numbers
    assert list(t["complaint_id"]) == ["6300001", "6300002"]
    assert t.loc[4, "forwarded_on"] == pd.Timestamp("2019-10-01")
    assert t.loc[4, "acknowledged_on"] == pd.Timestamp("2019-10-02")
    assert t.loc[4, "resolved_on"] == pd.Timestamp("2019-11-01")
    assert list(t["status"]) == ["completed", "in_progress"]
    assert list(t["has_evidence"]) == [True, False]
    assert n.columns["forwarded_on"] == ("วันที่ศูนย์แจ้งเรื่อง", "B") and n.header_row == 3
    assert n.problems == []


def test_english_headers_in_another_order_and_extra_columns_kept():
    rows = [["Remark", "Forwarded on", "Complaint ID", "Acknowledged"], ["x", "2019-10-01", "A1", "2019-10-02"]]
    n = normalize_complaints(rows, "Sheet1")
    assert n.table.loc[2, "complaint_id"] == "A1" and n.table.loc[2, "Remark"] == "x"
    assert n.columns["complaint_id"] == ("Complaint ID", "C")


def test_each_bad_value_is_one_located_problem_and_no_row_is_dropped():
    rows = [TH_HEADER,
            ["A1", "1 ต.ค. 2562", "30/9/2562", None, None, "เสร็จสิ้น", "", ""],
            ["A2", "31/02/2562", None, None, None, "", "", ""],
            ["A1", "2 ต.ค. 2562", None, None, None, "งงงง", "", ""],
            [None, "3 ต.ค. 2562", None, None, None, "", "", ""],
            ["A5", "30/10/2019", "31/10/2562", None, "29/10/2562", "", "", ""]]
    n = normalize_complaints(rows, "เรื่องร้องเรียน")
    assert len(n.table) == 5
    assert where(n.problems) == sorted([
        ("date_order", "เรื่องร้องเรียน", "C", 2, "error"),            # acknowledged before forwarded
        ("status_without_date", "เรื่องร้องเรียน", "E", 2, "warning"),
        ("date_impossible", "เรื่องร้องเรียน", "B", 3, "error"),
        ("duplicate_id", "เรื่องร้องเรียน", "A", 4, "error"),
        ("unknown_status", "เรื่องร้องเรียน", "F", 4, "warning"),
        ("missing_id", "เรื่องร้องเรียน", "A", 5, "error"),
        ("year_ce", "เรื่องร้องเรียน", "B", 6, "warning"),
        ("date_order", "เรื่องร้องเรียน", "E", 6, "error"),            # resolved before forwarded
    ])
    dup = next(p for p in n.problems if p.code == "duplicate_id")
    assert "แถว 2" in dup.message_th and "row 2" in dup.message_en
    assert str(dup).startswith("ข้อผิดพลาด เรื่องร้องเรียน!A4 (เลขที่เรื่อง):")


def test_an_unknown_state_is_warned_once_per_state_not_once_per_row():
    """Issue 11 defect 8: score/overdue/report read a workbook whose unknown states repeat in many rows:
    one warning per state, at its first row, with the number of rows (as the import summary lists them)."""
    rows = [TH_HEADER] + [[f"A{k}", "1 ต.ค. 2562", None, None, None, state, "", ""]
                          for k, state in enumerate(["รอคิว", "เสร็จสิ้น", "รอคิว", "รอช่าง", "รอคิว"])]
    n = normalize_complaints(rows, "เรื่องร้องเรียน")
    unknown = [p for p in n.problems if p.code == "unknown_status"]
    assert [(p.row, p.letter, p.message_th, p.message_en) for p in unknown] == [
        (2, "F", "สถานะไม่รู้จัก เก็บไว้ตามเดิม: 'รอคิว' (3 แถว เริ่มที่แถวนี้)",
         "unknown status, kept as is: 'รอคิว' (3 rows, the first here)"),
        (5, "F", "สถานะไม่รู้จัก เก็บไว้ตามเดิม: 'รอช่าง'", "unknown status, kept as is: 'รอช่าง'"),
    ]
    assert list(n.table["status"]) == ["รอคิว", "completed", "รอคิว", "รอช่าง", "รอคิว"]


def test_missing_required_column_names_the_header():
    n = normalize_complaints([["เลขที่เรื่อง", "สถานะ"], ["A1", "เสร็จสิ้น"]], "เรื่องร้องเรียน")
    (p,) = [p for p in n.problems if p.code == "missing_column"]
    assert p.row == 1 and "วันที่ศูนย์แจ้งเรื่อง" in p.message_th and "forwarded_on" in p.message_en


def test_progress_sheet_reports_unknown_complaints():
    ids = pd.Series(["A1"])
    n = normalize_progress([["เลขที่เรื่อง", "วันที่รายงาน", "ความก้าวหน้า"], ["A1", "15/10/2562", "ok"],
                            ["B9", "16/10/2562", "?"]], "รายงานความก้าวหน้า", complaint_ids=ids)
    assert where(n.problems) == [("unknown_complaint", "รายงานความก้าวหน้า", "A", 3, "warning")]
    assert n.table.loc[2, "reported_on"] == pd.Timestamp("2019-10-15")


def test_statuses():
    assert canonical_status("เสร็จสิ้น") == "completed" and canonical_status("ส่งต่อ(ใหม่)") == "forwarded"
    assert canonical_status("ขั้นตอนทางกฎหมาย") == "legal" and canonical_status("???") is None


def test_workbook_with_calendar_overrides_changes_deadlines():
    book = from_sheets({
        "เรื่องร้องเรียน": [["เลขที่เรื่อง", "วันที่ศูนย์แจ้งเรื่อง", "วันที่ตอบรับ"], ["A1", "1/10/2562", "3/10/2562"]],
        "ปฏิทิน": [["วันที่", "ประเภท", "หมายเหตุ"], ["2/10/2562", "วันหยุด", "น้ำท่วม (flood)"]],
    })
    assert book.errors == []
    ev = book.score(fiscal_year=2563).complaints.iloc[0]
    assert ev["ack_due"] == pd.Timestamp("2019-10-03") and ev["ack_on_time"]


def test_yes_no_answers():
    import pytest

    from cplkpi.scoring.tables import yes_no

    assert [yes_no(v) for v in ("มี", "ใช่", "ถูกต้อง", "✓", "yes", 1, True)] == [True] * 7
    assert [yes_no(v) for v in ("ไม่มี", "ไม่ถูกต้อง", "-", "no", 0, False)] == [False] * 6
    assert yes_no("") is None and yes_no(None) is None
    with pytest.raises(ValueError, match="yes or no"):
        yes_no("บางที")


def test_the_thai_sheet_name_wins_over_a_generic_data_sheet():
    book = from_sheets({"Data": [["รายการ"], ["x"]],
                        "เรื่องร้องเรียน": [["เลขที่เรื่อง", "วันที่ศูนย์แจ้งเรื่อง"], ["A1", "1/10/2562"]]})
    assert book.complaints.sheet == "เรื่องร้องเรียน" and len(book.complaints.table) == 1
    assert [p.code for p in book.problems] == ["ambiguous_sheet"]


def test_empty_required_cells_and_out_of_calendar_overrides_are_reported():
    from cplkpi.scoring.tables import (
        normalize_audit_sample,
        normalize_calendar_overrides,
        normalize_monthly_reports,
    )

    n = normalize_monthly_reports([["เดือน", "วันที่ส่งรายงาน"], [None, "5/11/2562"]], "รายงานประจำเดือน")
    assert where(n.problems) == [("missing_value", "รายงานประจำเดือน", "A", 2, "error")]
    n = normalize_audit_sample([["เดือน", "เลขที่เรื่อง", "ผลการตรวจ"], [None, "A1", "ถูกต้อง"]], "สุ่มตรวจ")
    assert where(n.problems) == [("missing_value", "สุ่มตรวจ", "A", 2, "error")]
    n = normalize_calendar_overrides([["วันที่", "ประเภท"], ["1/1/2572", "วันหยุด"], [None, "วันหยุด"]], "ปฏิทิน")
    assert where(n.problems) == [("date_out_of_calendar", "ปฏิทิน", "A", 2, "error"),
                                 ("missing_value", "ปฏิทิน", "A", 3, "error")]
