"""The report buttons against an xlwings-compatible Book (an openpyxl-backed fake; no Excel on Linux).

The book is :class:`fakebook.FakeBook` (the part of the xlwings Book API the jobs use, with
classic xlwings' and Excel's conventions). The jobs' results
are compared with the engine's own figures for the same data. A test against
xlwings' real JSON book (xlwings Lite/Server engine) needs an xlwings licence
key and is skipped without one.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any

import pytest
from fakebook import FakeBook, FakeName, FakeRange, settings, status
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from cplkpi.macros import buttons, xlbook
from cplkpi.scoring.deadlines import PHASE_LABELS
from cplkpi.scoring.monitor import monitor


@pytest.fixture
def sample_fake(sample_path, tmp_path):
    return FakeBook(load_workbook(sample_path), None, str(tmp_path / "sample_district_2563.xlsx"))


def block(rows: list[list[Any]], title: str) -> list[list[Any]]:
    """The rows of a titled block of a result sheet (header excluded)."""
    start = next(i for i, r in enumerate(rows) if r[0] == title) + 2
    out = []
    for r in rows[start:]:
        if all(v is None for v in r):
            break
        out.append(r)
    return out


# --- the jobs ---------------------------------------------------------------------------------


def test_score_job_writes_the_engines_figures(sample_fake, sample_book):
    settings(sample_fake, fiscal_year=2563)
    message = buttons.run(sample_fake, "score")
    expected = sample_book.score(fiscal_year=2563)
    assert status(sample_fake) == message
    assert f"{expected.total:.4f}" in message and "สรุปคะแนน" in message
    rows = sample_fake.sheet_rows(buttons.SCORE_SHEET)
    about = {r[0]: r[1] for r in block(rows, rows[0][0])}
    assert about["คะแนนรวม (total)"] == expected.total
    assert about["จำนวนเรื่อง (complaints)"] == len(expected.complaints) == 1162
    assert isinstance(about["ณ วันที่ (as of)"], dt.date)  # the cell holds a date, not text
    assert about["ณ วันที่ (as of)"].timetuple()[:3] == (2020, 9, 30)
    comps = block(rows, "คะแนนรายองค์ประกอบ (component scores)")
    assert [r[2:8] for r in comps] == [
        ["ถูกต้อง 1,113 จาก 1,162 เรื่อง", 11, 95.78, 1, 0, 1],
        ["ถูกต้อง 1,012 จาก 1,162 เรื่อง", 0, 87.09, 1, 0, 0.9167],
        ["ถูกต้อง 1,012 จาก 1,162 เรื่อง", 0, 87.09, 2, 0, 1.8335],
        ["ส่งตรงเวลา 9 จาก 11 เดือน", 1, None, 1, 0.2, 0.8]]
    deductions = block(rows, "การหักคะแนน (deductions)")
    assert sum(r[3] for r in deductions) == pytest.approx(expected.deductions["amount"].sum())
    why = expected.explain()
    failed = why[why["row"].notna() & ~why["correct"].astype(bool)]
    explain_rows = sample_fake.sheet_rows(buttons.EXPLAIN_SHEET)[1:]
    assert len(explain_rows) == len(failed) > 0
    assert explain_rows[0][4] == failed.iloc[0]["reason_th"]
    assert sample_fake.values[buttons.SCORE_SHEET]["A1"].font.b
    assert not sample_fake.formulas_written


def test_overdue_job_lists_what_monitor_finds(sample_fake, sample_book):
    settings(sample_fake, as_of=dt.datetime(2020, 9, 30))
    message = buttons.run(sample_fake, "overdue")
    table = monitor(sample_book.complaints.table, sample_book.progress.table, as_of=dt.date(2020, 9, 30),
                    calendar=sample_book.calendar())
    expected = table[table["status"].isin(["overdue", "due_soon"])]
    stakes = sample_book.points_at_stake(dt.date(2020, 9, 30))
    rows = sample_fake.sheet_rows(buttons.OVERDUE_SHEET)
    assert rows[0][1] == "เลขที่เรื่อง (id)"
    listed = rows[1:1 + len(expected)]
    assert sorted(r[1] for r in listed) == sorted(expected["complaint_id"]) and len(expected) > 0
    assert [r[1] for r in listed] == list(stakes.table["complaint_id"])  # most points at stake first
    assert [r[11] for r in listed] == list(stakes.table["points"])
    assert [r[11] for r in listed] == sorted((r[11] for r in listed), reverse=True)
    by_id = expected.set_index("complaint_id")
    excel_row = dict(zip(expected["complaint_id"], expected.index))
    assert [r[0] for r in listed] == [excel_row[r[1]] for r in listed]  # the Excel row of each complaint
    overdue = int((expected["status"] == "overdue").sum())
    assert f"เกินกำหนด {overdue:,} เรื่อง" in message
    assert [r[6] for r in listed] == [PHASE_LABELS[by_id.at[r[1], "phase"]][0] for r in listed]  # what it waits for
    assert rows[0][4] == "สถานะตามต้นทาง (source status)"
    assert [r[4] for r in listed] == [by_id.at[r[1], "source_status"] for r in listed]  # the complaint's own status
    # under the list: the projected totals and, in Thai, how the points are computed
    flat = [v for r in rows[1 + len(expected):] for v in r if v]
    assert buttons.STAKES_TITLE in flat and stakes.summary_th() in flat
    assert any(str(v).startswith("คะแนนที่ได้คืน: คะแนนรวมปีงบประมาณที่คาดการณ์") for v in flat)
    ws = sample_fake.values[buttons.OVERDUE_SHEET]
    assert ws["H2"].number_format == xlbook.THAI_DATE_FORMAT  # due dates shown as Thai dates
    assert ws["B2"].number_format == "@"  # ids stay text


def test_a_buddhist_era_year_typed_into_the_date_cell_is_corrected(sample_fake):
    """Excel keeps 30/9/2563 typed into a date cell as the year 2563 C.E.: it means 30 Sep 2020."""
    settings(sample_fake, as_of=dt.datetime(2563, 9, 30))
    message = buttons.run(sample_fake, "overdue")
    assert message.startswith("ณ 30 ก.ย. 2563 เกินกำหนด") and "as of 2020-09-30" in message


def test_overdue_defaults_to_today(sample_fake):
    message = buttons.run(sample_fake, "overdue")
    today = buttons._today()
    assert f"as of {today}" in message


def test_input_errors_stop_the_job_and_are_listed(sample_fake):
    ws = sample_fake.values["เรื่องร้องเรียน"]
    col = next(c.column for c in ws[1] if c.value == "วันที่ศูนย์แจ้งเรื่อง")
    ws.cell(5, col).value = "31/02/2563"
    message = buttons.run(sample_fake, "score")
    assert message.startswith("หยุด") and buttons.PROBLEMS_SHEET in message
    problems = sample_fake.sheet_rows(buttons.PROBLEMS_SHEET)
    where = f"เรื่องร้องเรียน!{get_column_letter(col)}5"
    assert any(r[0] == "ข้อผิดพลาด (error)" and r[1].startswith(where) and "31/02/2563" in r[2]
               for r in problems[1:])
    assert buttons.SCORE_SHEET not in sample_fake.values.sheetnames
    settings(sample_fake, keep_going="ใช่")
    assert "คะแนนปีงบประมาณ 2563" in buttons.run(sample_fake, "score")
    ws.cell(5, col).value = "1/10/2562"  # fixed: the next run clears the old list
    buttons.run(sample_fake, "score")
    assert sample_fake.sheet_rows(buttons.PROBLEMS_SHEET)[1][2] == "ไม่พบปัญหาในข้อมูล"


def test_citizen_text_stays_text(sample_fake):
    ws = sample_fake.values["เรื่องร้องเรียน"]
    header = {c.value: c.column for c in ws[1]}
    # an open complaint: forwarded at the end of the year, never acknowledged
    row = ws.max_row + 1
    ws.cell(row, header["เลขที่เรื่อง"]).value = "00123"
    ws.cell(row, header["เรื่อง"]).value = '=HYPERLINK("http://x","คลิก")'
    ws.cell(row, header["วันที่ศูนย์แจ้งเรื่อง"]).value = dt.datetime(2020, 9, 28)
    settings(sample_fake, as_of=dt.datetime(2020, 9, 30))
    buttons.run(sample_fake, "overdue")
    out = sample_fake.values[buttons.OVERDUE_SHEET]
    hit = next(r for r in out.iter_rows(min_row=2) if r[1].value == "00123")
    assert hit[1].value == "00123"  # not the number 123
    assert hit[2].value.startswith("=HYPERLINK") and hit[2].quotePrefix
    assert not sample_fake.formulas_written


def test_monthly_reports_job_writes_the_files(sample_fake, tmp_path):
    settings(sample_fake, month="ก.ย. 2563", out_dir=str(tmp_path / "out"), pdf="ไม่")
    message = buttons.run(sample_fake, "monthly_reports")
    assert "CPL_R003_2563-09.xlsx" in message and "CPL_R001_2563-09.xlsx" in message
    assert (tmp_path / "out" / "CPL_R003_2563-09.xlsx").is_file()
    assert (tmp_path / "out" / "CPL_R001_2563-09.xlsx").is_file()
    assert not list((tmp_path / "out").glob("*.pdf"))
    from cplkpi.macros.reports import VALIDATION_SHEET

    assert VALIDATION_SHEET in sample_fake.values.sheetnames
    assert "ข้อผิดพลาด 0" in message  # the engine's own reports validate cleanly


def test_monthly_reports_never_write_over_the_open_workbook(sample_path, tmp_path):
    """The open book is itself CPL_R003_2563-09.xlsx in the output folder: the job stops, the file unchanged."""
    own = tmp_path / "CPL_R003_2563-09.xlsx"
    own.write_bytes(sample_path.read_bytes())
    book = FakeBook(load_workbook(sample_path), None, str(own))
    settings(book, month="ก.ย. 2563", out_dir=str(tmp_path), pdf="ไม่")
    message = buttons.run(book, "monthly_reports")
    assert message == ("หยุด: จัดทำรายงานประจำเดือน CPL_R001/CPL_R003 (monthly reports): ข้อผิดพลาด CPL_R003_2563-09.xlsx: "
                       "ไฟล์ผลลัพธ์ CPL_R003_2563-09.xlsx เป็นไฟล์ต้นฉบับ: cplkpi ไม่เขียนทับไฟล์ต้นฉบับ ให้ระบุชื่อไฟล์ผลลัพธ์อื่น "
                       "(the output CPL_R003_2563-09.xlsx is an input file: cplkpi never overwrites a source; give "
                       "another output name)")
    assert status(book) == message
    assert sorted(p.name for p in tmp_path.iterdir()) == ["CPL_R003_2563-09.xlsx"]  # refused before any work
    assert own.read_bytes() == sample_path.read_bytes()


def test_monthly_reports_relative_and_default_folders(sample_fake, tmp_path):
    settings(sample_fake, month="2563-08", pdf=False)
    buttons.run(sample_fake, "monthly_reports")
    assert (tmp_path / buttons.REPORTS_FOLDER / "CPL_R003_2563-08.xlsx").is_file()
    settings(sample_fake, out_dir="รายงาน")
    buttons.run(sample_fake, "monthly_reports")
    assert (tmp_path / "รายงาน" / "CPL_R001_2563-08.xlsx").is_file()


def test_monthly_reports_unsaved_book_needs_a_folder(sample_path):
    book = FakeBook(load_workbook(sample_path), None, "Book1")  # never saved: no folder
    settings(book, month="2563-08", pdf=False)
    assert "บันทึกสมุดงานก่อน" in buttons.run(book, "monthly_reports")


def test_monthly_reports_refused_in_xlwings_lite(sample_fake, monkeypatch):
    monkeypatch.setattr(buttons.sys, "platform", "emscripten")
    message = buttons.run(sample_fake, "monthly_reports")
    assert "xlwings Lite" in message and status(sample_fake) == message


@pytest.fixture(scope="module")
def filled_r003(tmp_path_factory, sample_path):
    from cplkpi.macros.reports import fill_monthly_reports

    out = tmp_path_factory.mktemp("reports")
    result = fill_monthly_reports(sample_path, "2563-06", out_dir=out, pdf=False)
    return result.r003_xlsx


def test_validate_job_on_a_filled_report(filled_r003):
    book = FakeBook.open(filled_r003)
    message = buttons.run(book, "validate")
    assert "CPL_R003" in message and "ไม่พบข้อผิดพลาด" in message
    rows = book.sheet_rows("ผลการตรวจสอบ")
    assert rows[0][0] == "ระดับ (severity)"
    assert not any(r[0] == "ข้อผิดพลาด (error)" for r in rows[1:])


def test_validate_job_finds_a_tampered_figure(filled_r003):
    from cplkpi.templates import layout

    book = FakeBook.open(filled_r003)
    ref = layout.R003_NAMES["R003_RECEIVED_MONTH"]  # received ≠ completed + in progress now
    for wb in (book.values, book.formulas):
        wb[layout.R003_SHEET][ref].value = 987654
    message = buttons.run(book, "validate")
    assert "ข้อผิดพลาด" in message and "ไม่พบข้อผิดพลาด" not in message
    rows = book.sheet_rows("ผลการตรวจสอบ")
    assert any(r[0] == "ข้อผิดพลาด (error)" for r in rows[1:])


def test_validate_job_on_complaint_data(sample_fake):
    ws = sample_fake.values["เรื่องร้องเรียน"]
    col = next(c.column for c in ws[1] if c.value == "วันที่ตอบรับ")
    ws.cell(7, col).value = "ไม่ทราบ"
    message = buttons.run(sample_fake, "validate")
    assert "ข้อมูลเรื่องร้องเรียน" in message and "ข้อผิดพลาด 1 รายการ" in message
    rows = sample_fake.sheet_rows(buttons.PROBLEMS_SHEET)
    assert [r[1] for r in rows[1:] if r[0] == "ข้อผิดพลาด (error)"] == [
        f"เรื่องร้องเรียน!{get_column_letter(col)}7 (วันที่ตอบรับ)"]


def test_validate_without_formulas_as_in_xlwings_lite(filled_r003, monkeypatch):
    def no_formulas(self):
        raise NotImplementedError("Reading formulas synchronously isn't supported on this engine.")

    monkeypatch.setattr(FakeRange, "formula", property(no_formulas))
    book = FakeBook.open(filled_r003)
    message = buttons.run(book, "validate")
    assert "formula checks skipped" in message and "ไม่พบข้อผิดพลาด" in message


def test_validate_job_without_anything_to_check():
    from openpyxl import Workbook

    book = FakeBook(Workbook(), None)
    assert "ไม่พบชีต" in buttons.run(book, "validate")


def test_audit_job_agrees_with_the_file_audit(tmp_path, sample_path):
    from cplkpi.macros.audit import audit_workbook
    from cplkpi.macros.audit_submission import build_submission

    path = build_submission(sample_path, "2563-06", tmp_path / "submission.xlsx")
    book = FakeBook.open(path)
    settings(book, month="2563-06")
    message = buttons.run(book, "audit")
    expected = audit_workbook(path, month=dt.date(2020, 6, 1))
    assert f"{expected.score.total:.4f}" in message
    rows = book.sheet_rows(buttons.AUDIT_SHEET)
    findings = block(rows, "ข้อสังเกต (findings)")
    assert len(findings) == len(expected.findings)
    about = {r[0]: r[1] for r in block(rows, rows[0][0])}
    assert about["ตัวอย่างสุ่มตรวจ (audit sample)"] == expected.sample.size
    # the sample district's completed complaints without detail are observations, not findings: it passes
    assert about["ข้อค้นพบ: ผิดพลาด/ไม่สอดคล้อง (tampering/consistency findings)"] == len(expected.tampering) == 0
    assert about["ข้อสังเกตคุณภาพข้อมูล (data-quality observations)"] == len(expected.observations) > 0
    assert about["ผลการตรวจ (verdict)"] == "ผ่าน (passed)"


# --- dispatch, errors, entry points -----------------------------------------------------------------


def test_run_selected_by_label_and_main(sample_fake, monkeypatch):
    settings(sample_fake, job=buttons.JOBS["overdue"].label, as_of=dt.datetime(2020, 9, 30))
    monkeypatch.setattr(buttons.xw.Book, "caller", staticmethod(lambda: sample_fake))
    buttons.main()
    assert status(sample_fake).startswith("ณ 30 ก.ย. 2563 เกินกำหนด")
    buttons.overdue_button()
    assert buttons.OVERDUE_SHEET in sample_fake.values.sheetnames


def test_run_selected_without_a_job_says_what_to_choose(sample_fake):
    message = buttons.run_selected(sample_fake)
    assert "เลือกงานที่จะทำก่อน" in message and buttons.JOBS["score"].label in message
    assert status(sample_fake) == message


def test_bad_settings_are_named(sample_fake):
    settings(sample_fake, fiscal_year=63)
    message = buttons.run(sample_fake, "score")
    assert "cplkpi!B5" in message and "2563" in message
    for year in (2020, "สองห้าหกสาม"):
        settings(sample_fake, fiscal_year=year)
        message = buttons.run(sample_fake, "score")
        assert message.startswith("cplkpi!B5") and "fiscal year must be B.E." in message, message
    settings(sample_fake, fiscal_year=None, keep_going="บางที")
    ws = sample_fake.values["เรื่องร้องเรียน"]
    ws.cell(5, next(c.column for c in ws[1] if c.value == "วันที่ศูนย์แจ้งเรื่อง")).value = "31/02/2563"
    message = buttons.run(sample_fake, "score")
    assert message.startswith("cplkpi!B11") and "บางที" in message
    settings(sample_fake, fiscal_year=None, rules="bma-9999")
    assert "ไม่รู้จักชุดเกณฑ์" in buttons.run(sample_fake, "score")


def test_an_unexpected_error_is_shown_and_raised(sample_fake, monkeypatch):
    def boom(book):
        raise RuntimeError("disk on fire")

    monkeypatch.setitem(buttons.JOBS, "score", buttons.Job("score", "คะแนน", "score", boom))
    with pytest.raises(RuntimeError):
        buttons.run(sample_fake, "score")
    assert "unexpected error" in status(sample_fake) and "disk on fire" in status(sample_fake)


def test_lite_scripts_take_the_book():
    from typing import get_type_hints

    import xlwings as xw

    for name in ("cpl_monthly_reports", "cpl_validate", "cpl_score", "cpl_overdue", "cpl_audit"):
        fn = getattr(buttons, name)
        assert get_type_hints(fn)["book"] is xw.Book


@pytest.mark.skipif(not os.environ.get("XLWINGS_LICENSE_KEY"),
                    reason="needs an xlwings licence key (XLWINGS_LICENSE_KEY): the Lite/Server script "
                           "registry of xlwings.pro cannot be imported without one")
def test_lite_scripts_are_registered_with_a_key():
    from xlwings.pro.udfs_officejs import custom_scripts_meta

    meta = custom_scripts_meta(buttons)
    assert {m["function_name"] for m in meta} >= {"cpl_monthly_reports", "cpl_validate", "cpl_score",
                                                   "cpl_overdue", "cpl_audit"}


# --- the xlwings adapter itself ----------------------------------------------------------------------


def test_grid_starts_at_a1_so_problems_name_the_right_row():
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "เรื่องร้องเรียน"
    ws["C3"], ws["D3"] = "เลขที่เรื่อง", "วันที่ศูนย์แจ้งเรื่อง"  # a table that starts at C3
    ws["C4"], ws["D4"] = "A1", dt.datetime(2019, 10, 1)
    ws["C5"], ws["D5"] = "A2", "31/02/2562"
    book = FakeBook(wb)
    rows = xlbook.grid(book.sheets["เรื่องร้องเรียน"])
    assert len(rows) == 5 and rows[0] == [None] * 4 and rows[3][2:] == ["A1", dt.datetime(2019, 10, 1)]
    cbook = xlbook.complaint_workbook(book)
    assert [p.where for p in cbook.errors] == ["เรื่องร้องเรียน!D5 (วันที่ศูนย์แจ้งเรื่อง)"]
    assert list(cbook.complaints.table.index) == [4, 5]


def test_defined_names_keep_workbook_ranges_only():
    book = FakeBook(load_workbook(Path(__file__).parents[2] / "templates" / "CPL_R003.xlsx"))
    book_names = [FakeName("R003_TOTAL", "='CPL R003'!$I$44"), FakeName("CPL_R003!local", "=CPL_R003!$A$1"),
                  FakeName("R003_TABLE", "=CPL_R003!$A$12:$P$23"), FakeName("CONST", "=0.05"),
                  FakeName("O_BRIEN", "='O''Brien'!$B$2")]

    class Named:
        names = book_names

    assert xlbook.defined_names(Named) == {"R003_TOTAL": ("CPL R003", "$I$44"),
                                           "R003_TABLE": ("CPL_R003", "$A$12:$P$23"),
                                           "O_BRIEN": ("O'Brien", "$B$2")}
    assert book.names  # the template's own names are read through the same API
    assert xlbook.defined_names(book)["R003_TOTAL"][0] == "CPL_R003"


def test_control_sheet_labels_and_values():
    from openpyxl import Workbook

    book = FakeBook(Workbook())
    assert xlbook.control_values(book) == dict.fromkeys(xlbook.FIELDS)
    settings(book, month="ก.ย. 2563", pdf=False)
    ws = book.values[xlbook.CONTROL_SHEET]
    ws.cell(xlbook.FIRST_FIELD_ROW + 1, 1).value = "เดือนของรายงาน (month of the report, translated)"
    values = xlbook.control_values(book)
    assert values["month"] == "ก.ย. 2563" and values["pdf"] is False and values["job"] is None
    xlbook.set_status(book, "=ไม่ใช่สูตร")
    assert status(book) == "=ไม่ใช่สูตร" and not book.formulas_written


def test_a_column_of_mixed_values_keeps_numbers_and_dates():
    """The value column of an about-block holds text, numbers and a date: only text is text."""
    from openpyxl import Workbook

    book = FakeBook(Workbook())
    xlbook.write_blocks(book, "ผล", [xlbook.Block("เกี่ยวกับ", ["รายการ", "ค่า"], [
        ["หน่วยงาน", "007"], ["คะแนนรวม", 4.5502], ["ณ วันที่", dt.date(2020, 9, 30)], ["เรื่อง", 1162],
        ["สูตร", "=1+1"]])])
    ws = book.values["ผล"]
    assert [ws.cell(r, 2).value for r in range(3, 8)] == ["007", 4.5502, dt.date(2020, 9, 30), 1162, "=1+1"]
    assert ws["B3"].quotePrefix and ws["B7"].quotePrefix  # text that Excel would turn into a number/formula
    assert ws["B5"].number_format == xlbook.THAI_DATE_FORMAT
    assert ws["B4"].number_format == ws["B6"].number_format == "General"
    assert ws["A3"].number_format == "@"  # a column of text only is text
    assert not book.formulas_written


def test_the_updated_time_is_bangkok_time_on_any_machine(monkeypatch):
    import time
    from zoneinfo import ZoneInfo

    from openpyxl import Workbook

    book = FakeBook(Workbook())
    monkeypatch.setenv("TZ", "America/New_York")  # a machine eleven or twelve hours behind Bangkok
    time.tzset()
    try:
        xlbook.set_status(book, "ทดสอบ")
    finally:
        monkeypatch.undo()
        time.tzset()
    written = book.values[xlbook.CONTROL_SHEET].cell(xlbook.FIRST_FIELD_ROW + list(xlbook.FIELDS).index(
        "updated"), 2).value
    bangkok = dt.datetime.now(ZoneInfo("Asia/Bangkok")).replace(tzinfo=None)
    assert abs(bangkok - written) < dt.timedelta(hours=1)  # not the machine's clock, hours away


def test_write_blocks_formats_dates_and_text():
    from openpyxl import Workbook

    book = FakeBook(Workbook())
    xlbook.write_blocks(book, "ผล", [
        xlbook.Block("ตาราง", ["เลขที่", "วันที่", "จำนวน"], [["007", dt.date(2019, 10, 1), 3], ["-5", None, 4]]),
    ], [12, 14])
    ws = book.values["ผล"]
    assert ws["A1"].value == "ตาราง" and ws["A1"].font.b and ws["A2"].font.b
    assert (ws["A3"].value, ws["A4"].value) == ("007", "-5") and ws["A4"].quotePrefix
    assert ws["B3"].number_format == xlbook.THAI_DATE_FORMAT and ws["A3"].number_format == "@"
    assert ws["C3"].value == 3 and ws.column_dimensions["B"].width == 14
    xlbook.write_table(book, "ผล", ["x"], [[1]])  # a second run replaces the sheet
    assert [list(r) for r in ws.iter_rows(values_only=True)] == [["x"], [1]]


@pytest.mark.parametrize("key", ["monthly_reports", "score", "overdue"])
def test_report_and_score_buttons_refuse_a_many_agency_sheet(tmp_path, key):
    """A report, a score sheet or a work list (issue 11 defect 2: overdue) is one agency's: the status cell
    lists the agencies with their counts."""
    from builders import many_agency_workbook

    book = FakeBook(load_workbook(many_agency_workbook(tmp_path / "many.xlsx")), None, str(tmp_path / "many.xlsx"))
    settings(book, month="พ.ค. 2566")
    message = buttons.run(book, key)
    assert status(book) == message
    assert "ไฟล์นี้มีเรื่องของ 3 หน่วยงาน" in message
    assert "  สำนักงานเขตสาทร: 3 เรื่อง\n  สำนักงานเขตบางรัก: 2 เรื่อง\n" in message
    assert not (tmp_path / buttons.REPORTS_FOLDER).exists()
    assert buttons.OVERDUE_SHEET not in book.values.sheetnames


def test_overdue_button_on_an_imported_workbook_uses_its_snapshot_day(tmp_path):
    """The button reads the import's coverage sheet like read_workbook: as of the snapshot day, not today;
    the GeoJSON export's closed tickets are not listed; the coverage line heads the notes."""
    from cplkpi.importers import import_files

    src = Path(__file__).parents[1] / "data" / "import" / "traffy_geojson.csv"

    def listed_for(district: str) -> tuple[FakeBook, str, list[str]]:
        # one district's import: a work list is one agency's (issue 11 defect 2; the whole file is refused)
        path = import_files([src], districts=[district]).write(tmp_path / f"{district}.xlsx")
        book = FakeBook(load_workbook(path), None, str(path))
        message = buttons.run(book, "overdue")
        rows = book.sheet_rows(buttons.OVERDUE_SHEET)
        return book, message, [r[1] for r in rows[1:] if r[1] and r[0] != buttons.STAKES_TITLE
                               and isinstance(r[0], int)]

    book, message, listed = listed_for("เขตดินแดง")
    assert message.startswith("ณ 6 พ.ค. 2568 ")
    assert listed == ["TSTG01"]  # ส่งต่อ(ใหม่): waits for the acknowledgement
    assert listed_for("เขตสะพานสูง")[2] == []  # เสร็จสิ้น
    rows = book.sheet_rows(buttons.OVERDUE_SHEET)
    notes = block(rows, buttons.STAKES_TITLE)
    assert notes[0][0].startswith("ข้อมูลครอบคลุม 6 พ.ค. 2568 (ข้อมูล ณ 6 พ.ค. 2568 03:40 น.)")  # ดินแดง's only day


def test_audit_job_compares_a_defined_name_by_its_whole_text(tmp_path, sample_path):
    """R003_THRESHOLD = 'CPL_R003'!$E$48-45 in an open book: found as in the file audit, not followed."""
    from openpyxl import load_workbook

    from cplkpi.macros.audit import audit_workbook
    from cplkpi.macros.audit_submission import build_submission

    path = build_submission(sample_path, "2563-06", tmp_path / "submission.xlsx")
    wb = load_workbook(path)
    wb.defined_names["R003_THRESHOLD"].attr_text = "'CPL_R003'!$E$48-45"
    wb.save(tmp_path / "edited.xlsx")
    expected = audit_workbook(tmp_path / "edited.xlsx", month=dt.date(2020, 6, 1))
    assert [(f.where, f.reported) for f in expected.findings if f.code == "name_changed"] == [
        ("CPL_R003!E48", "'CPL_R003'!$E$48-45")]
    book = FakeBook.open(tmp_path / "edited.xlsx")
    settings(book, month="2563-06")
    buttons.run(book, "audit")
    rows = book.sheet_rows(buttons.AUDIT_SHEET)
    findings = block(rows, "ข้อสังเกต (findings)")
    assert len(findings) == len(expected.findings)
    assert any("R003_THRESHOLD" in " ".join(str(v) for v in r) for r in findings)
