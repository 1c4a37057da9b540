"""The job from one import: ``import cplkpi`` and the whole public surface is there.

The three lines of README's Python section run verbatim; ``cplkpi.score`` takes a workbook, a normalised
table or a DataFrame (Thai headers or canonical names) and gives the total the command line prints for the
sample (4.5502); a DataFrame without a required column is an :class:`cplkpi.InputError` naming it.
"""

from __future__ import annotations

import importlib
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

import cplkpi

ROOT = Path(__file__).resolve().parents[2]
THREE_LINES = """\
import cplkpi
book = cplkpi.read_workbook("examples/sample_district_2563.xlsx")
result = cplkpi.score(book, fiscal_year=2563)       # a workbook, a normalised table or a DataFrame with Thai headers
cplkpi.fill_monthly_reports(book, "2563-09", out_dir="out")
"""


@pytest.fixture(scope="module")
def cli_total(sample_path):
    """The total ``cplkpi score`` prints for the sample."""
    from cplkpi.cli import app

    res = CliRunner().invoke(app, ["score", str(sample_path), "--fy", "2563"])
    assert res.exit_code == 0, res.output
    match = re.search(r"รวม \(total\).*?(\d+\.\d{4})", res.output)
    assert match, res.output
    return float(match.group(1))


def test_readme_shows_the_three_lines_verbatim():
    assert THREE_LINES in (ROOT / "README.md").read_text(encoding="utf-8")


@pytest.mark.slow
def test_the_three_lines_run_as_written(sample_path, tmp_path, monkeypatch, cli_total):
    (tmp_path / "examples").mkdir()
    shutil.copy(sample_path, tmp_path / "examples" / "sample_district_2563.xlsx")
    monkeypatch.chdir(tmp_path)
    scope: dict[str, object] = {}
    exec(compile(THREE_LINES, "README.md", "exec"), scope)
    assert scope["result"].total == cli_total == 4.5502
    names = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert {"CPL_R001_2563-09.xlsx", "CPL_R003_2563-09.xlsx", "CPL_narrative_2563-09.txt"} <= set(names)


def _sheets(path: Path) -> dict[str, pd.DataFrame]:
    return pd.read_excel(path, sheet_name=None, engine="openpyxl")


@pytest.mark.parametrize("form", ["workbook", "normalized", "canonical_frame", "thai_frame"])
def test_every_input_form_of_score_gives_the_command_line_total(form, sample_path, sample_book, cli_total):
    book = sample_book
    if form == "workbook":
        result = cplkpi.score(book, fiscal_year=2563)
    elif form == "normalized":
        result = cplkpi.score(book.complaints, progress=book.progress, monthly_reports=book.monthly_reports,
                              calendar_overrides=book.calendar_overrides, fiscal_year=2563)
    elif form == "canonical_frame":
        result = cplkpi.score(book.complaints.table, progress=book.progress.table,
                              monthly_reports=book.monthly_reports.table,
                              calendar_overrides=book.calendar_overrides.table, fiscal_year=2563)
    else:
        s = _sheets(sample_path)
        result = cplkpi.score(s["เรื่องร้องเรียน"], progress=s["รายงานความก้าวหน้า"],
                              monthly_reports=s["รายงานประจำเดือน"], calendar_overrides=s["ปฏิทิน"],
                              fiscal_year=2563)
    assert result.total == cli_total == 4.5502


def test_score_defaults_to_the_latest_fiscal_year_of_a_table(sample_book):
    book = sample_book
    assert cplkpi.score(book.complaints.table, progress=book.progress.table,
                        monthly_reports=book.monthly_reports.table).total == 4.5502


@pytest.mark.parametrize("column, canonical", [("วันที่ศูนย์แจ้งเรื่อง", "forwarded_on"), ("เลขที่เรื่อง", "complaint_id")])
def test_a_dataframe_without_a_required_column_is_an_input_error_naming_it(column, canonical, sample_path):
    frame = _sheets(sample_path)["เรื่องร้องเรียน"].drop(columns=[column])
    with pytest.raises(cplkpi.InputError) as caught:
        cplkpi.score(frame, fiscal_year=2563)
    assert isinstance(caught.value, cplkpi.CplError)
    assert [p.code for p in caught.value.problems] == ["missing_column"]
    assert column in str(caught.value) and canonical in str(caught.value)


def test_tables_beside_a_workbook_or_a_non_table_are_argument_errors(sample_book):
    with pytest.raises(cplkpi.ArgumentError, match="progress"):
        cplkpi.score(sample_book, progress=sample_book.progress)
    with pytest.raises(cplkpi.ArgumentError, match="list"):
        cplkpi.score([["เลขที่เรื่อง"]])


def test_all_is_complete_and_every_name_imports():
    public = {n for n in vars(importlib.import_module("cplkpi.scoring.errors")) if n.endswith("Error")} | {"read_workbook", "score",
                                                                                 "fill_monthly_reports",
                                                                                 "audit_workbook", "import_files",
                                                                                 "DEFAULT_RULES", "load_rules",
                                                                                 "thai_calendar", "__version__"}
    assert public <= set(cplkpi.__all__)
    assert sorted(set(cplkpi.__all__)) == sorted(cplkpi.__all__)
    for name in cplkpi.__all__:
        assert getattr(cplkpi, name) is not None, name
        assert name in dir(cplkpi)
    for name in cplkpi.__all__:
        value = getattr(cplkpi, name)
        if isinstance(value, type) and issubclass(value, Exception):
            assert issubclass(value, cplkpi.CplError), name
    assert cplkpi.DEFAULT_RULES == "bma-2557"
    with pytest.raises(AttributeError):
        cplkpi.no_such_name  # noqa: B018


def test_the_public_names_are_the_ones_of_their_modules():
    assert cplkpi.read_workbook is importlib.import_module("cplkpi.reader").read_workbook
    assert cplkpi.fill_monthly_reports is importlib.import_module("cplkpi.macros.reports").fill_monthly_reports
    assert cplkpi.CplError is importlib.import_module("cplkpi.scoring").CplError
    assert cplkpi.load_rules() is cplkpi.load_rules(cplkpi.DEFAULT_RULES)


def test_the_old_bases_of_the_errors_that_joined_the_family_still_catch_them():
    assert issubclass(cplkpi.DateParseError, ValueError) and issubclass(cplkpi.DateParseError, cplkpi.CplError)
    assert issubclass(cplkpi.OfficeError, RuntimeError) and issubclass(cplkpi.OfficeError, cplkpi.CplError)
    with pytest.raises(ValueError):
        cplkpi.parse_date("31/2/2563")


def test_importing_cplkpi_loads_no_heavy_library():
    code = "import sys, cplkpi; print(sorted(m for m in ('pandas', 'numpy', 'openpyxl') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
