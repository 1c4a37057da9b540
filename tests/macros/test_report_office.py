"""The filled reports in LibreOffice: every formula recalculates to the engine's figure; the PDFs read Thai."""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from builders import assert_recalculates_to_cache, poison
from openpyxl import load_workbook

from cplkpi.macros.reports import fill_monthly_reports
from cplkpi.office import recalculate
from cplkpi.scoring.scores import period_summary
from cplkpi.templates import layout

D = _dt.date
@pytest.fixture(scope="module")
def reports(sample_book, tmp_path_factory, libreoffice):
    out = tmp_path_factory.mktemp("office")
    return fill_monthly_reports(sample_book, "2563-09", out_dir=out, pdf=True)


@pytest.mark.parametrize("which", ["r003", "r001"])
def test_every_formula_recalculates_to_the_engine_figure(reports, which, tmp_path):
    assert_recalculates_to_cache(reports.r003_xlsx if which == "r003" else reports.r001_xlsx, tmp_path)


def test_a_summary_due_on_the_as_of_day_recalculates_as_not_due(sample_book, tmp_path, libreoffice):
    """As of 10 Mar 2563, February's summary (due that day) is not judged yet: the template's status formula
    agrees with the engine's report_due_passed (due < as-of), not only for as-of days at a month's end."""
    result = fill_monthly_reports(sample_book, "2563-02", out_dir=tmp_path / "out", as_of=D(2020, 3, 10), pdf=False)
    assert_recalculates_to_cache(result.r003_xlsx, tmp_path)


def test_the_fast_sheet_writer_recalculates_too(libreoffice, sample_book, tmp_path, monkeypatch):
    """Both reports written by the big-sheet writer (every sheet, not only big ones) read the same in LibreOffice."""
    from cplkpi.macros.reports import compute_figures, render_r001, render_r003
    from cplkpi.ooxml import cached as cache

    monkeypatch.setattr(cache, "FAST_SHEET_CELLS", 0)
    fig = compute_figures(sample_book, "2563-09")
    for name, (wb, values, _) in (("r1.xlsx", render_r001(fig)), ("r3.xlsx", render_r003(fig))):
        path = tmp_path / name
        cache.save_with_values(wb, path, values)
        assert_recalculates_to_cache(path, tmp_path)


def test_recalculated_named_cells_equal_independent_engine_calls(reports, sample_book, tmp_path):
    poisoned, recalculated = tmp_path / "p.xlsx", tmp_path / "r.xlsx"
    poison(reports.r003_xlsx, poisoned)
    recalculate(poisoned, recalculated)
    ws = load_workbook(recalculated, data_only=True)[layout.R003_SHEET]
    n = layout.R003_NAMES
    fytd = period_summary(sample_book.complaints.table, D(2019, 10, 1), D(2020, 9, 30))
    res = sample_book.score(start=D(2019, 10, 1), end=D(2020, 9, 30))
    assert [ws[n[k]].value for k in ("R003_RECEIVED_FYTD", "R003_COMPLETED_FYTD", "R003_IN_PROGRESS_FYTD",
                                     "R003_COMPLETED_PCT_FYTD", "R003_IN_PROGRESS_PCT_FYTD")] == [
        fytd["received"], fytd["completed"], fytd["pending"], fytd["completed_pct"], fytd["pending_pct"]]
    comps = [(ws[f"I{r}"].value, ws[f"J{r}"].value) for r in layout.COMPONENT_ROWS[:len(res.components)]]
    assert comps == [(c.pct, c.score) for c in res.components.itertuples()]
    steps = [ws[f"I{r}"].value for r in layout.STEP_ROWS[:len(res.steps)]]
    assert steps == pytest.approx(list(res.steps["score"]), abs=1e-12)
    assert ws[n["R003_TOTAL"]].value == pytest.approx(res.total, abs=1e-12)


def _plain(text: str) -> str:
    """Text without spaces and Thai combining marks: pdftotext splits Thai clusters and may move tone marks."""
    return re.sub(r"[\s\u0e31\u0e34-\u0e3a\u0e47-\u0e4e]+", "", text)


def _pdf_text(path: Path) -> str:
    return _plain(subprocess.run(["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True,
                                 check=True).stdout)


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_pdfs_have_the_thai_headings_as_text(reports):
    assert reports.pdf_skipped is None
    r003, r001 = _pdf_text(reports.r003_pdf), _pdf_text(reports.r001_pdf)
    for heading in ("แบบรายงานรหัสCPL_R003รายงานผลการปฏิบัติงานในระบบเรื่องราวร้องทุกข์", "สำนักงานเขตบางกอกน้อย",
                    "ผลการดำเนินงานและการรายงานผลรายเดือน", "รวมตั้งแต่ต้นปีงบประมาณ", "ขั้นตอนที่2.1",
                    "30ก.ย.2563", "1,162", "4.5502", "หน้า1/"):
        assert _plain(heading) in r003, heading
    for heading in ("แบบรายงานรหัสCPL_R001รายงานเรื่องคงค้างหน่วยงานดำเนินการ", "เกินกำหนด", "ติดตามวันที่15/30"):
        assert _plain(heading) in r001, heading
    pages = subprocess.run(["pdfinfo", str(reports.r003_pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Page size:\s+841\.89 x 595\.30\d* pts \(A4\)", pages), pages   # A4 landscape


@pytest.mark.skipif(shutil.which("pdftotext") is None, reason="pdftotext (poppler-utils) not installed")
def test_r003_pdf_is_the_report_alone(reports):
    """The validation sheet stays in the workbook, out of the official PDF (it was printed as page 4)."""
    from cplkpi.macros.reports import NO_FINDINGS, VALIDATION_SHEET

    wb = load_workbook(reports.r003_xlsx)
    assert wb.sheetnames == [layout.R003_SHEET, VALIDATION_SHEET]
    assert wb[VALIDATION_SHEET]["A2"].value == NO_FINDINGS
    text = _pdf_text(reports.r003_pdf)
    assert _plain("ไม่พบข้อผิดพลาด") not in text and "nofindings" not in text and "severity" not in text
    info = subprocess.run(["pdfinfo", str(reports.r003_pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"^Pages:\s+3$", info, re.MULTILINE), info


def test_without_libreoffice_the_pdfs_are_skipped_with_a_message(sample_book, tmp_path, monkeypatch):
    import cplkpi.macros.reports as reports_module

    monkeypatch.setattr(reports_module, "soffice", lambda: None)
    result = fill_monthly_reports(sample_book, "2563-09", out_dir=tmp_path)
    assert result.r001_pdf is None and result.r003_pdf is None
    assert "LibreOffice" in result.pdf_skipped and "PDF" in result.pdf_skipped
    assert not list(tmp_path.glob("*.pdf"))


def test_a_coverage_that_leaves_out_months_with_complaints_excuses_no_summary(sample_book, tmp_path, libreoffice):
    """A coverage sheet claiming the data starts in July 2563 (the sample has complaints every month): a month
    with complaints still has data, so May's missing summary is still ไม่ส่ง, in the engine and in the template's
    status formula as LibreOffice recalculates it; only a month without any complaint, completion or summary
    would be ไม่มีข้อมูล."""
    from dataclasses import replace

    import pandas as pd

    from cplkpi.scoring.coverage import Coverage

    shrunk = replace(sample_book, coverage=Coverage(pd.Timestamp("2020-09-30 18:00"), D(2020, 7, 1), D(2020, 9, 30)))
    months = shrunk.score(fiscal_year=2563).months.set_index("month")
    assert months["has_data"].all()
    result = fill_monthly_reports(shrunk, "2563-09", out_dir=tmp_path / "out", pdf=False)
    cached = load_workbook(result.r003_xlsx, data_only=True)[layout.R003_SHEET]
    col = layout.R003_MONTH_COLS["report_status"]
    statuses = [cached[f"{col}{r}"].value for r in layout.MONTH_ROWS]
    assert layout.REPORT_NO_DATA not in statuses and statuses[7] == layout.REPORT_MISSING  # May 2563
    assert_recalculates_to_cache(result.r003_xlsx, tmp_path)
