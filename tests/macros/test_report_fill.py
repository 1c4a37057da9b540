"""The report job on the sample district: figures from the engine, files, inputs it accepts."""

from __future__ import annotations

import datetime as _dt
import hashlib
import shutil

import pandas as pd
import pytest
from openpyxl import load_workbook

from cplkpi.macros.reports import compute_figures, fill_fiscal_year, fill_monthly_reports
from cplkpi.reader import from_sheets
from cplkpi.scoring.monitor import monitor
from cplkpi.scoring.scores import period_summary
from cplkpi.scoring.tables import SHEETS
from cplkpi.scoring.thaidate import parse_month
from cplkpi.templates import layout
from cplkpi.xlsx import THAI_DATE_FORMAT

D = _dt.date


@pytest.fixture(scope="module")
def september(sample_book, tmp_path_factory):
    return fill_monthly_reports(sample_book, "ก.ย. 2563", out_dir=tmp_path_factory.mktemp("sep"), pdf=False)


def test_named_figures_are_the_engines(september, sample_book):
    c = sample_book.complaints.table
    month = period_summary(c, D(2020, 9, 1), D(2020, 9, 30))
    fytd = period_summary(c, D(2019, 10, 1), D(2020, 9, 30))
    res = sample_book.score(start=D(2019, 10, 1), end=D(2020, 9, 30))
    v = september.named_values
    assert (v["R003_RECEIVED_MONTH"], v["R003_COMPLETED_MONTH"], v["R003_IN_PROGRESS_MONTH"]) == (
        month["received"], month["completed"], month["pending"]) == (93, 38, 55)
    assert (v["R003_COMPLETED_PCT_MONTH"], v["R003_IN_PROGRESS_PCT_MONTH"]) == (40.86, 59.14)
    assert (v["R003_RECEIVED_FYTD"], v["R003_COMPLETED_FYTD"], v["R003_IN_PROGRESS_FYTD"]) == (
        fytd["received"], fytd["completed"], fytd["pending"]) == (1162, 1048, 114)
    assert (v["R003_COMPLETED_PCT_FYTD"], v["R003_IN_PROGRESS_PCT_FYTD"]) == (fytd["completed_pct"], 9.81)
    assert v["R003_TOTAL"] == res.total == 4.5502
    assert v["R003_DEDUCTIONS"] == 0.2  # February late, May missing
    assert v["R003_AGENCY"] == v["R001_AGENCY"] == "สำนักงานเขตบางกอกน้อย"
    assert (v["R003_PERIOD_START"], v["R003_PERIOD_END"], v["R003_AS_OF"]) == (D(2019, 10, 1), D(2020, 9, 30),
                                                                               D(2020, 9, 30))


def test_the_cached_values_are_what_a_values_only_reader_sees(september):
    from python_calamine import CalamineWorkbook

    rows = CalamineWorkbook.from_path(str(september.r003_xlsx)).get_sheet_by_name(layout.R003_SHEET).to_python()
    assert rows[8][4:9] == [1162, 1048, 114, 90.19, 9.81]     # row 9: fiscal year to date
    assert rows[layout.STEPS_TOTAL_ROW - 1][8] == 4.5502


def test_monthly_table_matches_score_months(september, sample_book):
    res = sample_book.score(start=D(2019, 10, 1), end=D(2020, 9, 30))
    ws = load_workbook(september.r003_xlsx, data_only=True)[layout.R003_SHEET]
    got = [(ws[f"E{r}"].value, ws[f"F{r}"].value, ws[f"G{r}"].value, ws[f"K{r}"].value, ws[f"L{r}"].value)
           for r in layout.MONTH_ROWS]
    want = [(m.received, m.completed, m.in_progress) for m in res.months.itertuples()]
    assert [g[:3] for g in got] == want
    statuses = [g[3] for g in got]
    assert statuses[4] == layout.REPORT_LATE and statuses[7] == layout.REPORT_MISSING
    assert statuses[11] == layout.REPORT_NOT_DUE   # September's summary is due 10 Oct 2020
    assert [g[4] for g in got].count(0.1) == 2


def test_r001_lists_exactly_the_open_complaints(september, sample_book):
    c = sample_book.complaints.table
    open_ = monitor(c, sample_book.progress.table, as_of=D(2020, 9, 30))
    ws = load_workbook(september.r001_xlsx, data_only=True)[layout.R001_SHEET]
    ids = [ws[f"B{r}"].value for r in range(layout.R001_FIRST_ROW, ws.max_row + 1) if ws[f"B{r}"].value]
    assert sorted(ids) == sorted(open_["complaint_id"]) and len(ids) == 114
    assert ws[layout.R001_NAMES["R001_OVERDUE"]].value == (open_["status"] == "overdue").sum()
    assert ws[layout.R001_NAMES["R001_PENDING_FY"]].value == september.named_values["R003_IN_PROGRESS_FYTD"]
    forwarded = [ws[f"D{r}"].value for r in range(layout.R001_FIRST_ROW, layout.R001_FIRST_ROW + len(ids))]
    assert forwarded == sorted(forwarded)                     # oldest first
    assert ws[f"D{layout.R001_FIRST_ROW}"].number_format == THAI_DATE_FORMAT
    wb = load_workbook(september.r001_xlsx)
    assert wb.defined_names["R001_DATA"].attr_text == f"'CPL_R001'!$A$11:$M${10 + len(ids)}"
    # column M: the complaint's own status as the workbook gives it, beside the monitoring status (K)
    assert ws[f"M{layout.R001_HEADER_ROW}"].value == "สถานะตามต้นทาง"
    shown = {ws[f"B{r}"].value: ws[f"M{r}"].value for r in range(layout.R001_FIRST_ROW, layout.R001_FIRST_ROW + len(ids))}
    assert shown == dict(zip(open_["complaint_id"], open_["source_status"]))
    assert set(shown.values()) == {"กำลังดำเนินการ", "ติดตามเรื่อง"}


def test_source_is_never_written_and_outputs_are_new_files(sample_path, tmp_path):
    src = tmp_path / "book.xlsx"
    shutil.copyfile(sample_path, src)
    before = hashlib.sha256(src.read_bytes()).hexdigest()
    result = fill_monthly_reports(src, "2563-03", out_dir=tmp_path / "out", pdf=False)
    assert hashlib.sha256(src.read_bytes()).hexdigest() == before
    assert [p.name for p in result.paths] == ["CPL_R001_2563-03.xlsx", "CPL_R003_2563-03.xlsx",
                                              "CPL_narrative_2563-03.txt"]
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(p.name for p in result.paths)


def test_a_book_built_from_sheets_gives_the_same_reports(sample_path, september, tmp_path):
    """The xlwings button builds the book from an open Excel workbook: no source file needed."""
    wb = load_workbook(sample_path, data_only=True)
    sheets = {ws.title: [list(r) for r in ws.iter_rows(values_only=True)] for ws in wb.worksheets}
    book = from_sheets(sheets)
    assert book.path is None
    result = fill_monthly_reports(book, D(2020, 9, 15), out_dir=tmp_path, pdf=False)
    assert result.named_values == september.named_values


def test_month_arguments():
    assert parse_month("2563-09") == D(2020, 9, 1)
    assert parse_month("2020-09") == D(2020, 9, 1)
    assert parse_month("ก.ย. 2563") == D(2020, 9, 1)
    assert parse_month("กันยายน 2563") == D(2020, 9, 1)
    assert parse_month(D(2020, 9, 30)) == D(2020, 9, 1)


def test_october_has_no_earlier_months_and_as_of_later(sample_book):
    fig = compute_figures(sample_book, "2562-10", as_of=D(2019, 11, 15))
    assert fig.period_start == fig.month == D(2019, 10, 1) and fig.period_end == D(2019, 10, 31)
    assert fig.month_summary["received"] == fig.fytd_summary["received"] == 91
    assert list(fig.score.months["month"]) == [D(2019, 10, 1)]
    # open at 15 Nov, but only complaints forwarded by the period end are listed
    assert (fig.pending["forwarded_on"] <= pd.Timestamp(D(2019, 10, 31))).all()


def _tiny_book(rows):
    header = ["เลขที่เรื่อง", "หน่วยงาน", "เรื่อง", "วันที่ศูนย์แจ้งเรื่อง", "วันที่ตอบรับ", "วันที่แล้วเสร็จ",
              "ผลการดำเนินการ", "หลักฐาน"]
    return from_sheets({SHEETS["complaints"][0]: [header, *rows]})


def test_citizen_text_never_becomes_a_formula(tmp_path):
    book = _tiny_book([
        ["6301", "สำนักงานเขตทดสอบ", '=HYPERLINK("http://x","คลิก")', D(2020, 9, 1), D(2020, 9, 2), None, "", ""],
        ["6302", "สำนักงานเขตทดสอบ", "+66 ไฟดับ", D(2020, 9, 3), D(2020, 9, 3), None, "", ""],
    ])
    result = fill_monthly_reports(book, "2563-09", out_dir=tmp_path, pdf=False)
    ws = load_workbook(result.r001_xlsx)[layout.R001_SHEET]
    subjects = {ws[f"F{r}"].value: ws[f"F{r}"].data_type for r in (11, 12)}
    assert subjects == {'=HYPERLINK("http://x","คลิก")': "s", "+66 ไฟดับ": "s"}


def test_no_open_complaint_and_another_rule_set(tmp_path):
    book = _tiny_book([["6301", "สำนักงานเขตทดสอบ", "ไฟดับ", D(2019, 10, 1), D(2019, 10, 1), D(2019, 10, 4),
                        "ซ่อมแล้ว แจ้งผู้ร้องแล้ว", "มี"]])
    result = fill_monthly_reports(book, "2562-10", out_dir=tmp_path, rules="bma-2562", pdf=False)
    assert result.findings == []
    wb = load_workbook(result.r003_xlsx, data_only=True)
    ws = wb[layout.R003_SHEET]
    rows = layout.COMPONENT_ROWS
    # column L: not yet due (no internal component keys in the report)
    assert [ws["L28"].value] + [ws[f"L{r}"].value for r in rows[:3]] == ["ยังไม่ถึงกำหนด", 0, 0, None]
    assert all(ws.row_dimensions[r].hidden for r in rows[2:])
    assert ws[layout.R003_NAMES["R003_THRESHOLD"]].value == 90
    r1 = load_workbook(result.r001_xlsx, data_only=True)[layout.R001_SHEET]
    assert r1["F11"].value == layout.NO_PENDING and r1[layout.R001_NAMES["R001_PENDING_TOTAL"]].value == 0


def test_whole_fiscal_year(tmp_path):
    book = _tiny_book([[f"63{i:02d}", "สำนักงานเขตทดสอบ", "ขยะ", D(2019, 10 + i, 1) if i < 3 else D(2020, i - 2, 2),
                        None, None, "", ""] for i in range(12)])
    results = fill_fiscal_year(book, 2563, out_dir=tmp_path, pdf=False)
    assert [r.figures.month for r in results] == [D(2019, 10, 1), D(2019, 11, 1), D(2019, 12, 1)] + [
        D(2020, m, 1) for m in range(1, 10)]
    assert [r.named_values["R003_RECEIVED_FYTD"] for r in results] == list(range(1, 13))
    assert len(list(tmp_path.glob("CPL_R003_*.xlsx"))) == 12
    assert all(r.errors == [] for r in results)


def test_a_reopened_complaint_not_resolved_again_is_in_progress_everywhere(tmp_path):
    """Resolved 10 Sep, rejected and re-forwarded 20 Sep, open at 30 Sep: in progress in R003, listed in R001.

    (``period_summary`` would count it completed: its resolution date is before the as-of date.)
    """
    header = ["เลขที่เรื่อง", "หน่วยงาน", "เรื่อง", "วันที่ศูนย์แจ้งเรื่อง", "วันที่ตอบรับ", "วันที่แล้วเสร็จ",
              "ผลการดำเนินการ", "หลักฐาน", "วันที่ส่งเรื่องใหม่"]
    book = from_sheets({SHEETS["complaints"][0]: [
        header,
        ["6301", "สำนักงานเขตทดสอบ", "ไฟดับ", D(2020, 9, 1), D(2020, 9, 1), D(2020, 9, 10), "ซ่อมแล้ว", "มี",
         D(2020, 9, 20)],
        ["6302", "สำนักงานเขตทดสอบ", "ขยะ", D(2020, 9, 2), D(2020, 9, 2), D(2020, 9, 8), "เก็บแล้ว", "มี", None],
    ]})
    result = fill_monthly_reports(book, "2563-09", out_dir=tmp_path, pdf=False)
    assert result.findings == []
    v = result.named_values
    assert (v["R003_RECEIVED_MONTH"], v["R003_COMPLETED_MONTH"], v["R003_IN_PROGRESS_MONTH"]) == (2, 1, 1)
    assert v["R001_PENDING_TOTAL"] == v["R001_PENDING_FY"] == 1
    ws = load_workbook(result.r001_xlsx, data_only=True)[layout.R001_SHEET]
    assert (ws["B11"].value, ws["D11"].value.date(), ws["E11"].value.date()) == ("6301", D(2020, 9, 1),
                                                                                 D(2020, 9, 20))
    assert "ดำเนินการเสร็จสิ้นแล้ว 1 เรื่อง กำลังดำเนินการ 1 เรื่อง" in result.narratives.monthly


def test_as_of_typed_as_thai_text(sample_book, tmp_path):
    """'5 เม.ย. 2563' is read like any date the engine reads, not only ISO text."""
    result = fill_monthly_reports(sample_book, "2563-03", out_dir=tmp_path, as_of="5 เม.ย. 2563", pdf=False)
    assert result.figures.as_of == D(2020, 4, 5) == result.named_values["R003_AS_OF"]
    assert result.figures.score.as_of == D(2020, 4, 5)
    assert result.findings == []
