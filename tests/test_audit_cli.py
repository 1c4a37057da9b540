"""The audit commands: audit, audit-sample, audit-batch, audit-pack."""

from __future__ import annotations

import datetime as _dt
import re
import shutil

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.macros.audit_sample import sample_file_path, sample_seed
from cplkpi.macros.audit_synthetic import agency_name, write_agency_submission

runner = CliRunner()
MARCH = _dt.date(2020, 3, 1)


@pytest.fixture(scope="module")
def submission(tmp_path_factory):
    return write_agency_submission(tmp_path_factory.mktemp("cli") / "agency.xlsx", 7, MARCH, 120)


def test_audit_prints_the_seed_and_writes_its_workbooks(submission, tmp_path):
    res = runner.invoke(app, ["audit", str(submission), "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    agency = agency_name(7)
    assert agency in res.output and f"seed {sample_seed(agency, MARCH)}" in res.output
    assert "no findings" in res.output
    assert (tmp_path / "ผลการตรวจ_agency_2563-03.xlsx").exists()
    assert sample_file_path(tmp_path / "สุ่มตรวจ", agency, 2563).exists()
    # again: the sample is kept, not drawn anew
    res = runner.invoke(app, ["audit", str(submission), "--out", str(tmp_path)])
    assert "kept" in res.output


def test_audit_reports_findings_and_a_bad_file(submission, tmp_path):
    bad = tmp_path / "bad.xlsx"
    wb = load_workbook(submission)
    wb["CPL_R003"]["E13"] = 1
    wb.save(bad)
    res = runner.invoke(app, ["audit", str(bad), "--out", str(tmp_path)])
    assert res.exit_code == 0 and "CPL_R003!E13" in res.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    res = runner.invoke(app, ["audit", str(broken), "--out", str(tmp_path)])
    assert res.exit_code == 1 and "broken.xlsx" in res.output


def test_audit_sample_draws_and_keeps(submission, tmp_path):
    res = runner.invoke(app, ["audit-sample", str(submission), "--month", "มี.ค. 2563", "--month", "2563-02",
                              "--out", str(tmp_path)])
    assert res.exit_code == 0, res.output
    seeds = re.findall(r"seed (\d+)", res.output)
    assert seeds == [str(sample_seed(agency_name(7), _dt.date(2020, 2, 1))), str(sample_seed(agency_name(7), MARCH))]
    res = runner.invoke(app, ["audit-sample", str(submission), "--month", "3/2563", "--out", str(tmp_path)])
    assert "already drawn" in res.output
    res = runner.invoke(app, ["audit-sample", str(submission), "--month", "13/2563", "--out", str(tmp_path)])
    assert res.exit_code == 2


def test_audit_batch_and_audit_pack(submission, tmp_path, sample_path):
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(submission, folder / "a.xlsx")
    res = runner.invoke(app, ["audit-pack", str(sample_path), "--month", "2563-03", "--out", str(folder / "b.xlsx")])
    assert res.exit_code == 0, res.output
    assert {"CPL_R003", "CPL_R001", "แบบรายงานความก้าวหน้า"} <= set(load_workbook(folder / "b.xlsx").sheetnames)
    (folder / "c.xlsx").write_text("not a workbook")
    res = runner.invoke(app, ["audit-batch", str(folder), "--out", str(tmp_path / "out"), "--no-pdf",
                              "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "c.xlsx" in res.output and "could not audit 1" in res.output
    assert (tmp_path / "out" / "สรุปผลการตรวจ_2563-03.xlsx").exists()
    # the sample district's own data: completed complaints without result detail are findings
    assert re.search(r"สำนักงานเขตบางกอกน้อย\s+│\s+b\.xlsx\s+│\s+[\d.]+\s+│\s+[1-9]", res.output)
    # a submission never overwrites its source
    res = runner.invoke(app, ["audit-pack", str(folder / "b.xlsx"), "--month", "2563-03", "--out",
                              str(folder / "b.xlsx")])
    assert res.exit_code == 1


def test_audit_batch_with_one_worker_survives_a_hostile_workbook(submission, tmp_path, capfd):
    """A 1.6 KB workbook with a value at ``xfd9000`` (lower case, which the guard once missed) made the
    reader ask for 4.7 GB: with --workers 1 the batch died. Now it is one line among the files that could
    not be audited."""
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location("corpus_build", Path(__file__).parent / "corpus" / "build.py")
    corpus = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(corpus)
    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(submission, folder / "a.xlsx")
    corpus.CORPUS["far_cell_lower_case"](folder)
    res = runner.invoke(app, ["audit-batch", str(folder), "--out", str(tmp_path / "out"), "--no-pdf",
                              "--workers", "1"])
    assert res.exit_code == 0, res.output
    assert "could not audit 1" in res.output
    flat = " ".join(res.output.split())
    assert "far_cell_lower_case.xlsx: ข้อผิดพลาด far_cell_lower_case.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ XFD9000" in flat
    assert "Traceback" not in res.output and "panicked" not in capfd.readouterr().err
