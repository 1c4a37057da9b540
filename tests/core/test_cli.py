"""The command line: score, overdue, holidays, rules; errors exit 1 with located messages."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from cplkpi.cli import app

runner = CliRunner()


@pytest.fixture(autouse=True)
def console_width_from_env(monkeypatch):
    """Rich fixes a console's width when COLUMNS is set as it is created (as in pytest-xdist workers):
    let the consoles read the COLUMNS each test gives its command."""
    from cplkpi.cli import common

    for c in (common.console, common.err_console):
        monkeypatch.setattr(c, "_width", None)


def sha(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_score_prints_steps_and_total_and_writes_explanations(sample_path, tmp_path):
    before = sha(sample_path)
    out = tmp_path / "why.csv"
    res = runner.invoke(app, ["score", str(sample_path), "--fy", "2563", "--explain", str(out)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "4.5502" in res.output and "95.78" in res.output and "ส่งรายงานประจำเดือนช้า" in res.output
    assert "ก.พ. 2563" in res.output and "พ.ค. 2563" in res.output  # the months of the two deductions
    table = pd.read_csv(out, encoding="utf-8-sig")
    assert "เหตุผล" in table.columns and (table["เหตุผล"].str.startswith("ตอบรับช้า")).any()
    assert sha(sample_path) == before  # the source is never written


def test_overdue_lists_what_to_expedite(sample_path, tmp_path):
    out = tmp_path / "overdue.xlsx"
    res = runner.invoke(app, ["overdue", str(sample_path), "--as-of", "30 ก.ย. 2563", "--out", str(out)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "เกินกำหนด (overdue) 4" in res.output
    assert "รายงานความก้าวหน้าครั้งที่ 1" in res.output and "ติดตามวันที่ 15/30" in res.output  # PHASE_LABELS
    # Thai only (the status codes and an English status column were written beside it)
    listed = pd.read_excel(out, engine="openpyxl")
    assert list(listed.columns) == [
        "เลขที่เรื่อง (complaint id)", "เรื่อง (subject)", "ฝ่าย (unit)", "สถานะตามต้นทาง (source status)",
        "วันที่ศูนย์แจ้งเรื่อง (forwarded)", "รายงานความก้าวหน้าล่าสุด (last progress report)",
        "จำนวนวันทำการ (business days open)", "ขั้น (phase)", "กำหนด (due)", "สถานะ",
        "สิ่งที่ต้องทำวันนี้ (action today)",
        "คะแนนที่ได้คืน (points at stake)"]
    assert set(listed["สถานะ"]) == {"เกินกำหนด", "ใกล้ครบกำหนด"}
    # the projected totals and how the points are computed go with the list
    notes = pd.read_excel(out, sheet_name="คำอธิบาย", engine="openpyxl")["คำอธิบาย (notes)"].tolist()
    summary = next(line for line in res.output.splitlines() if line.startswith("คะแนนปีงบประมาณที่คาดการณ์"))
    assert notes[0].startswith(summary) and notes[0].startswith("คะแนนปีงบประมาณที่คาดการณ์ ณ 30 ก.ย. 2563: ")
    assert notes[1].startswith("คะแนนที่ได้คืน: ") and notes[-1].startswith("Points at stake: ")
    assert len(notes) == 5


def test_overdue_csv_keeps_one_table_and_its_notes_beside_it(tmp_path):
    """A .csv holds the table only (programs read it); the coverage line, the projected
    totals and the explanation are in ``<name>_คำอธิบาย.txt`` beside it."""
    from cplkpi.importers import import_files

    src = Path(__file__).parents[1] / "data" / "import" / "traffy_geojson.csv"
    path = import_files([src], districts=["เขตดินแดง"]).write(tmp_path / "ดินแดง.xlsx")
    out = tmp_path / "งาน.csv"
    res = runner.invoke(app, ["overdue", str(path), "--out", str(out)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    listed = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    assert listed["เลขที่เรื่อง (complaint id)"].tolist() == ["TSTG01"]
    assert listed["สถานะ"].tolist() == ["ใกล้ครบกำหนด"]  # forwarded 6 May 00:10, listed as of 6 May
    notes = (tmp_path / "งาน_คำอธิบาย.txt").read_text("utf-8-sig").splitlines()
    assert notes[0] == ("ข้อมูลครอบคลุม 6 พ.ค. 2568 (ข้อมูล ณ 6 พ.ค. 2568 03:40 น.) "
                        "(data covers 2025-05-06 to 2025-05-06)")
    assert notes[1].startswith("คะแนนปีงบประมาณที่คาดการณ์ ณ 30 ก.ย. 2568: ถ้าไม่ดำเนินการใดเพิ่ม ")
    assert notes[2].startswith("คะแนนที่ได้คืน: ") and len(notes) == 6
    assert "งาน_คำอธิบาย.txt" in res.output


def test_holidays_and_rules():
    res = runner.invoke(app, ["holidays", "2563"], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "ประชุมสุดยอดอาเซียน" in res.output and "4 พ.ย. 2562" in res.output
    res = runner.invoke(app, ["rules"], env={"COLUMNS": "200"})
    assert res.exit_code == 0 and "bma-2557" in res.output and "best-service-2558" in res.output


def test_bad_workbook_exits_1_naming_the_cell(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "เรื่องร้องเรียน"
    ws.append(["เลขที่เรื่อง", "วันที่ศูนย์แจ้งเรื่อง"])
    ws.append(["A1", "31/02/2562"])
    path = tmp_path / "bad.xlsx"
    wb.save(path)
    res = runner.invoke(app, ["score", str(path), "--fy", "2563"], env={"COLUMNS": "200"})
    assert res.exit_code == 1
    assert "เรื่องร้องเรียน!B2" in res.output and "31/02/2562" in res.output


def test_unknown_rule_set_is_a_clear_error(sample_path):
    res = runner.invoke(app, ["score", str(sample_path), "--rules", "bma-2099"], env={"COLUMNS": "200"})
    assert res.exit_code == 1 and "unknown rule set" in res.output


def test_an_output_that_is_the_source_is_refused(sample_path, tmp_path):
    src = tmp_path / "book.xlsx"
    src.write_bytes(sample_path.read_bytes())
    before = sha(src)
    for args in (["score", str(src), "--explain", str(src)], ["overdue", str(src), "--out", str(src)]):
        res = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert res.exit_code == 1 and "never overwrites a source" in res.output
    assert sha(src) == before


def test_a_christian_era_fiscal_year_is_a_bad_parameter(sample_path, tmp_path):
    form = tmp_path / "form.txt"
    form.write_text("ไม่มีช่วงเวลา\n", encoding="utf-8")
    for args in (["score", str(sample_path), "--fy", "2020"],
                 ["report", str(sample_path), "--fiscal-year", "2020", "--out", str(tmp_path), "--no-pdf"],
                 ["validate-report", "--progress-form", str(form), "--fy", "2020"],
                 ["holidays", "2020"]):
        res = runner.invoke(app, args, env={"COLUMNS": "200"})
        assert res.exit_code == 2, (args, res.output)  # a usage error, not a traceback
        assert res.exception is None or isinstance(res.exception, SystemExit), (args, res.exception)
        assert "fiscal year must be B.E." in res.output, args
    assert not list(tmp_path.glob("*.xlsx"))  # nothing was written


def test_an_as_of_with_an_impossible_zone_is_a_parameter_error(sample_path):
    res = runner.invoke(app, ["score", str(sample_path), "--as-of", "2020-09-30 10:00+99"], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and "Traceback" not in res.output
    assert ("Invalid value for --as-of: อ่านวันที่ไม่ได้ (ไม่มีเขตเวลา UTC+99: เขตเวลาอยู่ระหว่าง −12:00 ถึง +14:00 "
            "กรุงเทพฯ คือ +07:00): \"2020-09-30 10:00+99\" (cannot read the date (no such time zone UTC+99: zones "
            "run from −12:00 to +14:00; Bangkok is +07:00): \"2020-09-30 10:00+99\")") in " ".join(
                res.output.replace("│", " ").split())


@pytest.mark.skipif(not hasattr(__import__("os"), "mkfifo"), reason="no named pipes on this system")
def test_a_pipe_given_as_input_is_refused_up_front_by_every_command_never_waited_on(tmp_path):
    """A FIFO once hung ``import`` and was "not found" by ``score``: every command says what it is."""
    import os

    fifo = tmp_path / "p.csv"
    os.mkfifo(fifo)
    said = (f"{fifo} ไม่ใช่ไฟล์ปกติ (เป็น pipe/FIFO อุปกรณ์ หรือ socket): บันทึกข้อมูลเป็นไฟล์ก่อน ({fifo} is not a "
            "regular file (a pipe/FIFO, device or socket): save the data to a file first)")
    for args in (["import", str(fifo), "--out", str(tmp_path / "o.xlsx")], ["score", str(fifo)],
                 ["validate-report", str(fifo), "--out", str(tmp_path / "f.xlsx")]):
        res = runner.invoke(app, args, env={"COLUMNS": "400"})
        assert res.exit_code == 1, args
        assert said in " ".join(res.output.split()), args
    res = runner.invoke(app, ["audit-batch", str(fifo), "--out", str(tmp_path / "b")], env={"COLUMNS": "400"})
    assert res.exit_code == 2 and " ".join(res.output.split()) == (
        f"ข้อผิดพลาด (error): {fifo} ไม่ใช่โฟลเดอร์ (เป็น pipe/FIFO อุปกรณ์ หรือ socket): ระบุโฟลเดอร์ไฟล์ของหน่วยงาน "
        f"({fifo} is not a folder (a pipe/FIFO, device or socket): give the folder of the agency workbooks)")
    folder = tmp_path / "batch"
    folder.mkdir()
    os.mkfifo(folder / "ส่งมา.xlsx")
    from cplkpi.macros.audit_batch import _ignore_reason

    assert _ignore_reason(folder / "ส่งมา.xlsx", set()) == (
        "ไม่ใช่ไฟล์ปกติ (pipe/FIFO อุปกรณ์ หรือ socket) (not a regular file: a pipe, device or socket)")
