"""The audit commands: audit, audit-sample, audit-batch, audit-pack."""

from __future__ import annotations

import datetime as _dt
import re
import shutil

import pytest
from agencies_synthetic import agency_name, write_agency_submission
from corpus import build as corpus
from openpyxl import load_workbook
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.macros.audit import audit_workbook
from cplkpi.macros.audit_sample import sample_file_path, sample_seed

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
    assert "passed: no error-level finding" in res.output
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
    assert res.exit_code == 1 and "CPL_R003!E13" in res.output and "failed:" in res.output
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really")
    res = runner.invoke(app, ["audit", str(broken), "--out", str(tmp_path)])
    assert res.exit_code == 2 and "broken.xlsx" in res.output


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
    (folder / "notes.txt").write_text("บันทึก")
    res = runner.invoke(app, ["audit-batch", str(folder), "--out", str(tmp_path / "out"), "--no-pdf",
                              "--workers", "1"])
    assert res.exit_code == 1, res.output  # c.xlsx could not be audited
    assert "c.xlsx" in res.output and "could not audit 1" in res.output
    assert "2 agencies, 2 files, 0 failed" in " ".join(res.output.split())
    assert "ไม่ได้ตรวจ 1 ไฟล์ (not audited 1 files):" in res.output and "notes.txt: ไม่ใช่ไฟล์ Excel" in res.output
    assert (tmp_path / "out" / "สรุปผลการตรวจ_2563-03.xlsx").exists()
    # the sample district's own data: 48 completed complaints without result detail or evidence are
    # data-quality observations, not findings against an untouched pack
    assert re.search(r"b\.xlsx\s+│\s+4\.6322\s+│\s+0\s+│\s+0\s+│\s+48\s+│", res.output)
    # a submission never overwrites its source
    res = runner.invoke(app, ["audit-pack", str(folder / "b.xlsx"), "--month", "2563-03", "--out",
                              str(folder / "b.xlsx")])
    assert res.exit_code == 1


def test_audit_batch_with_one_worker_survives_a_hostile_workbook(submission, tmp_path, capfd):
    """A 1.6 KB workbook with a value at ``xfd9000`` (lower case, which the guard once missed) made the
    reader ask for 4.7 GB: with --workers 1 the batch died. Now it is one line among the files that could
    not be audited."""

    folder = tmp_path / "in"
    folder.mkdir()
    shutil.copyfile(submission, folder / "a.xlsx")
    corpus.CORPUS["far_cell_lower_case"](folder)
    res = runner.invoke(app, ["audit-batch", str(folder), "--out", str(tmp_path / "out"), "--no-pdf",
                              "--workers", "1"])
    assert res.exit_code == 1, res.output  # a file that could not be audited: exit 1 (docs/audit.md)
    assert "could not audit 1" in res.output
    flat = " ".join(res.output.split())
    assert "far_cell_lower_case.xlsx: ข้อผิดพลาด far_cell_lower_case.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ XFD9000" in flat
    assert "Traceback" not in res.output and "panicked" not in capfd.readouterr().err


def test_errors_come_first_and_observations_apart(sample_path, tmp_path):
    """The sample district's pack: 48 data-quality observations are no finding; a changed figure is, shown first."""
    pack = tmp_path / "pack.xlsx"
    assert runner.invoke(app, ["audit-pack", str(sample_path), "--month", "2563-03", "--out", str(pack)]).exit_code == 0
    res = runner.invoke(app, ["audit", str(pack), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "ข้อสังเกตคุณภาพข้อมูล 48 รายการ" in res.output and "ผลการตรวจ: ผ่าน" in res.output
    wb = load_workbook(pack)
    wb["CPL_R003"]["E18"] = 1
    wb.save(pack)
    res = runner.invoke(app, ["audit", str(pack), "--out", str(tmp_path / "out")])
    assert res.exit_code == 1
    text = " ".join(res.output.split())
    assert "ผลการตรวจ: ไม่ผ่าน" in text
    assert text.index("CPL_R003!E18") < text.index("ข้อสังเกตคุณภาพข้อมูล 48 รายการ") < text.index("เรื่องร้องเรียน!")


@pytest.mark.libreoffice
def test_audit_recalc_shows_what_excel_will_show(submission, tmp_path, libreoffice):
    bad = tmp_path / "bad.xlsx"
    wb = load_workbook(submission)
    wb["CPL_R003"]["E13"] = str(wb["CPL_R003"]["E13"].value)  # October's count stored as text
    wb.save(bad)
    res = runner.invoke(app, ["audit", str(bad), "--out", str(tmp_path), "--recalc"])
    assert res.exit_code == 1
    assert "CPL_R003!E13" in res.output and "CPL_R003!E25" in res.output  # cell references stay whole
    by_cell = {f.cell: f for f in audit_workbook(bad, recalc=True).findings if f.code == "recalculated_differs"}
    assert by_cell["E25"].message_en == "after recalculation E25 shows 48, it must show 59"
    assert by_cell["H13"].message_th == "เมื่อคำนวณใหม่ เซลล์ H13 แสดง (ว่าง) แต่ที่ถูกต้องคือ 100.0"


def test_reports_kept_in_files_of_their_own(sample_path, tmp_path):
    """`cplkpi report` files (each with its validation sheet) audited beside the complaint workbook: no finding."""
    res = runner.invoke(app, ["report", str(sample_path), "--month", "2563-03", "--out", str(tmp_path / "r"),
                              "--no-pdf"])
    assert res.exit_code == 0, res.output
    r003, r001 = sorted((tmp_path / "r").glob("CPL_R003_*.xlsx")), sorted((tmp_path / "r").glob("CPL_R001_*.xlsx"))
    res = runner.invoke(app, ["audit", str(sample_path), "--report", str(r003[0]), "--report", str(r001[0]),
                              "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "ผลการตรวจ: ผ่าน" in res.output and "ชีตที่ไม่อยู่ในชุดชีตของแม่แบบ" not in res.output
