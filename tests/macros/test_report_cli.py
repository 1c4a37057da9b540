"""``cplkpi report``, ``cplkpi validate-report`` and the demo's report step."""

from __future__ import annotations

from pathlib import Path

from typer.testing import CliRunner

from cplkpi.cli import app

DATA = Path(__file__).parents[1] / "data" / "report"
runner = CliRunner()


def test_report_and_validate_report(sample_path, tmp_path):
    result = runner.invoke(app, ["report", str(sample_path), "--month", "ก.ย. 2563", "--out", str(tmp_path),
                                 "--no-pdf"])
    assert result.exit_code == 0, result.output
    r003, r001 = tmp_path / "CPL_R003_2563-09.xlsx", tmp_path / "CPL_R001_2563-09.xlsx"
    assert r003.exists() and r001.exists() and (tmp_path / "CPL_narrative_2563-09.txt").exists()
    assert "ไม่พบข้อผิดพลาด" in result.output and str(r003) in result.output.replace("\n", "")
    checked = runner.invoke(app, ["validate-report", str(r003), "--r001", str(r001), "--out",
                                  str(tmp_path / "findings.csv")])
    assert checked.exit_code == 0, checked.output
    assert "ไม่พบข้อผิดพลาด" in checked.output


def test_validate_a_seed003_progress_form(tmp_path):
    out = tmp_path / "findings.xlsx"
    result = runner.invoke(app, ["validate-report", "--progress-form", str(DATA / "seed003_progress_form.txt"),
                                 "--fy", "2563", "--out", str(out)])
    assert result.exit_code == 1
    for code in ("counts_mismatch", "period_gap", "period_overlap", "month_copied"):
        assert code in result.output
    assert out.exists()


def test_report_needs_a_month_or_a_fiscal_year(sample_path):
    result = runner.invoke(app, ["report", str(sample_path)])
    assert result.exit_code != 0


def test_demo_without_libreoffice_says_pdfs_were_skipped(tmp_path, monkeypatch):
    import cplkpi.macros.reports as reports_module

    monkeypatch.setattr(reports_module, "soffice", lambda: None)
    result = runner.invoke(app, ["demo", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    text = result.output.replace("\n", "")
    assert "ไม่ได้สร้าง PDF" in text and "PDFs skipped" in text
    assert (tmp_path / "CPL_R001_2563-09.xlsx").exists() and (tmp_path / "CPL_R003_2563-09.xlsx").exists()
    assert not list(tmp_path.glob("*.pdf"))
