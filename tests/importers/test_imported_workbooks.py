"""Imported workbooks in staff hands (issue 11): empty or missing optional columns, closed tickets,
source states shown beside the monitoring status, states from the data file."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.importers import import_files
from cplkpi.importers.states import load_extra_states, state_code
from cplkpi.reader import read_workbook
from cplkpi.scoring.coverage import Coverage, format_thai_period
from cplkpi.scoring.monitor import monitor

runner = CliRunner()

GEO_HEADER = ["type", "coords", "ticket_id", "organization", "comment photo", "photo_after", "address",
              "subdistrict", "district", "province", "timestamp", "state", "star", "count_reopen",
              "last_activity"]


@pytest.fixture(autouse=True)
def console_width_from_env(monkeypatch):
    """Let the consoles read the COLUMNS each test gives its command (see tests/core/test_cli.py)."""
    from cplkpi.cli import common

    for c in (common.console, common.err_console):
        monkeypatch.setattr(c, "_width", None)


def geo_row(tid: str, state: str, at: str, district: str = "ดินแดง") -> dict[str, str]:
    """One GeoJSON-export row: no comment, type "Point", last_activity a copy of timestamp."""
    return {"type": "Point", "coords": "[100.57, 13.78]", "ticket_id": tid,
            "organization": f"กรุงเทพมหานคร, เขต{district}", "comment photo": "", "photo_after": "",
            "address": "", "subdistrict": "", "district": district, "province": "กรุงเทพมหานคร",
            "timestamp": at, "state": state, "star": "", "count_reopen": "0", "last_activity": at}


@pytest.fixture()
def geojson(tmp_path) -> Path:
    """Tickets of เขตดินแดง in every kind of state, and one of เขตสาทร in a state nobody knows."""
    path = tmp_path / "geo_2025-05-06.csv"
    rows = [
        geo_row("2025-OPEN01", "รอรับเรื่อง", "2025-05-02 09:00:00"),
        geo_row("2025-DONE01", "เสร็จสิ้น", "2025-05-02 10:00:00"),
        geo_row("2025-IRRL01", "ไม่เกี่ยวข้อง", "2025-05-02 11:00:00"),
        geo_row("2025-PROC01", "จัดซื้อจัดจ้าง", "2025-05-02 12:00:00"),
        geo_row("2025-BUDG01", "ของบประมาณ", "2025-05-02 13:00:00"),
        geo_row("2025-ODD001", "รอคิวพิเศษ", "2025-05-02 14:00:00", district="สาทร"),
    ]
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, GEO_HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows(rows)
    return path


@pytest.fixture()
def dindaeng(geojson, tmp_path) -> Path:
    out = tmp_path / "dindaeng.xlsx"
    res = runner.invoke(app, ["import", str(geojson), "--district", "เขตดินแดง", "--out", str(out)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    return out


def test_overdue_lists_an_imported_workbook_without_subjects(dindaeng, tmp_path):
    """The GeoJSON export has no subject: every subject cell is empty (pd.NA), the list is still made."""
    out = tmp_path / "overdue.csv"
    res = runner.invoke(app, ["overdue", str(dindaeng), "--as-of", "7 พ.ค. 2568", "--all", "--out", str(out)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    # issue 11 defect 3: จัดซื้อจัดจ้าง / ของบประมาณ were "overdue for acknowledgement" (3 overdue); their
    # state proves the acknowledgement, so they wait for the first progress report, due 13 May (on time)
    assert "เกินกำหนด (overdue) 1  ใกล้ครบกำหนด (due soon) 0" in res.output
    listed = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    # closed tickets (เสร็จสิ้น, ไม่เกี่ยวข้อง) are never work; the new states are work in progress
    assert sorted(listed["เลขที่เรื่อง (complaint id)"]) == ["2025-BUDG01", "2025-OPEN01", "2025-PROC01"]
    shown = dict(zip(listed["เลขที่เรื่อง (complaint id)"],
                     zip(listed["สถานะตามต้นทาง (source status)"], listed["ขั้น (phase)"], listed["กำหนด (due)"],
                         listed["สถานะ"])))
    waits = "รายงานความก้าวหน้าครั้งที่ 1 (ตอบรับแล้วตามต้นทาง ไม่มีวันที่)"
    assert shown == {"2025-OPEN01": ("รอรับเรื่อง", "ตอบรับ", "2025-05-06", "เกินกำหนด"),
                     "2025-PROC01": ("จัดซื้อจัดจ้าง", waits, "2025-05-13", "อยู่ในกำหนด"),
                     "2025-BUDG01": ("ของบประมาณ", waits, "2025-05-13", "อยู่ในกำหนด")}
    for line in ("2025-OPEN01", "2025-PROC01", "2025-BUDG01"):
        assert line in res.output
    assert "จัดซื้อจัดจ้าง" in res.output and "2025-DONE01" not in res.output and "2025-IRRL01" not in res.output
    assert "<NA>" not in res.output and "nan" not in res.output


def test_overdue_lists_a_sheet_without_the_subject_column(tmp_path):
    wb = Workbook()
    ws = wb.active
    ws.title = "เรื่องร้องเรียน"
    ws.append(["เลขที่เรื่อง", "หน่วยงาน", "วันที่ศูนย์แจ้งเรื่อง", "สถานะ"])
    ws.append(["6800001", "สำนักงานเขตดินแดง", "2/5/2568", "รอรับเรื่อง"])
    ws.append(["6800002", "สำนักงานเขตดินแดง", "2/5/2568", "เสร็จสิ้น"])  # closed with no date: not work
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    res = runner.invoke(app, ["overdue", str(path), "--as-of", "7 พ.ค. 2568"], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "6800001" in res.output and "6800002" not in res.output
    assert "เกินกำหนด (overdue) 1  ใกล้ครบกำหนด (due soon) 0" in res.output


def test_closed_tickets_take_their_last_activity_and_the_summary_says_so(geojson):
    result = import_files([geojson], districts=["เขตดินแดง"])
    t = result.complaints.set_index("complaint_id")
    assert t.loc["2025-DONE01", "resolved_on"] == pd.Timestamp("2025-05-02")
    assert t.loc["2025-IRRL01", "resolved_on"] == pd.Timestamp("2025-05-02")
    assert pd.isna(t.loc["2025-PROC01", "resolved_on"])
    assert result.summary.closing_dates.to_dict("records") == [
        {"file": "geo_2025-05-06.csv", "closed": 2, "closed_at_report_time": 2}]
    title, _frame = result.summary.tables()["closing_dates"]
    assert title.startswith("วันที่ปิดเรื่องนำมาจากเวลาเคลื่อนไหวล่าสุด (last_activity)")
    # the unknown state is a สาทร ticket: not reported for ดินแดง
    assert result.summary.unknown_states.empty


def test_unknown_state_reported_once_for_the_chosen_district(geojson):
    s = import_files([geojson], districts=["เขตสาทร"]).summary
    assert s.unknown_states.to_dict("records") == [
        {"state": "รอคิวพิเศษ", "complaints": 1, "files": "geo_2025-05-06.csv", "first": "geo_2025-05-06.csv!7"}]
    assert not [p for p in s.problems if p.code == "unknown_status"]


def test_r001_and_monitor_show_the_source_state(dindaeng):
    book = read_workbook(dindaeng)
    table = monitor(book.complaints.table, None, as_of="2025-05-07", open_only=False)
    got = dict(zip(table["complaint_id"], zip(table["source_status"], table["status"])))
    assert got == {"2025-OPEN01": ("รอรับเรื่อง", "overdue"), "2025-DONE01": ("เสร็จสิ้น", "done"),
                   "2025-IRRL01": ("ไม่เกี่ยวข้อง", "done"), "2025-PROC01": ("จัดซื้อจัดจ้าง", "on_time"),
                   "2025-BUDG01": ("ของบประมาณ", "on_time")}  # issue 11 defect 3: acknowledged per the source


def test_states_data_file_maps_the_new_states_and_refuses_unknown_codes():
    assert state_code("จัดซื้อจัดจ้าง") == "in_progress" and state_code("ของบประมาณ") == "in_progress"
    assert load_extra_states("state,status,source\n# a comment\nรอคิว,waiting,seen in a 2026 export\n") == {
        "รอคิว": "waiting"}
    with pytest.raises(ValueError, match="บรรทัด 3"):
        load_extra_states("state,status,source\n\nรอคิว,pending_review,typo\n")


def test_no_command_reads_the_states_file_when_the_package_is_imported():
    """Issue 11 defect 6: the states file was read when cplkpi.importers was imported, so a typo in it
    crashed every command; it is read at the first mapped state (an import) only."""
    import subprocess
    import sys

    code = ("import cplkpi.cli, cplkpi.importers, cplkpi.macros.buttons\n"
            "from cplkpi.importers import states\n"
            "print(states._shipped.cache_info().currsize)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "0"


def test_a_typo_in_the_states_file_stops_only_the_import_naming_file_and_line(tmp_path, monkeypatch, sample_path):
    """Issue 11 defect 6: a bad row in the shipped file (here a copy with a typo) is a Thai+English error
    naming the file and line, from import; score still works (its states are the engine's)."""
    from cplkpi.importers import states

    bad = tmp_path / "traffy_states.csv"
    bad.write_text(states.STATES_FILE.read_text("utf-8-sig") + "รอตรวจสอบ,in_progres,x\n", "utf-8")
    n = len(bad.read_text("utf-8").splitlines())
    monkeypatch.setattr(states, "STATES_FILE", bad)
    states._shipped.cache_clear()
    states._shipped_keys.cache_clear()
    try:
        src = Path(__file__).parents[1] / "data" / "import" / "traffy_dump.csv"
        res = runner.invoke(app, ["import", str(src), "--out", str(tmp_path / "o.xlsx")], env={"COLUMNS": "300"})
        assert res.exit_code == 1
        assert f"ไฟล์สถานะ {bad} บรรทัด {n}: ต้องมีสถานะต้นทางและรหัสสถานะหนึ่งใน waiting," in res.output
        assert f"แต่พบ รอตรวจสอบ,in_progres,x (states file {bad} line {n}: a state and a known" in res.output
        assert not (tmp_path / "o.xlsx").exists()
        res = runner.invoke(app, ["score", str(sample_path), "--fy", "2563"], env={"COLUMNS": "200"})
        assert res.exit_code == 0, res.output
    finally:
        states._shipped.cache_clear()
        states._shipped_keys.cache_clear()


def test_staff_keep_their_own_states_file_outside_the_package(tmp_path):
    """Issue 11 defect 6: ``import --states FILE`` maps the states the shipped file does not know (its rows
    win); the shipped file is untouched, and a bad row in the staff file names that file and line."""
    src = Path(__file__).parents[1] / "data" / "import" / "traffy_dump.csv"
    res = runner.invoke(app, ["import", str(src), "--out", str(tmp_path / "a.xlsx")], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "รอตรวจสอบพิเศษ" in res.output  # unknown without the staff file
    mine = tmp_path / "สถานะของเขต.csv"
    mine.write_text("state,status,source\nรอตรวจสอบพิเศษ,in_progress,เขตสาทร 2566\n", "utf-8")
    out = tmp_path / "b.xlsx"
    res = runner.invoke(app, ["import", str(src), "--states", str(mine), "--out", str(out)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "รอตรวจสอบพิเศษ" not in res.output
    table = read_workbook(out).complaints.table
    assert table.loc[table["complaint_id"] == "2023-TST008", "status"].tolist() == ["in_progress"]
    assert state_code("รอตรวจสอบพิเศษ") is None  # only within that import
    mine.write_text("state,status,source\nรอตรวจสอบพิเศษ,in_progres,typo\n", "utf-8")
    res = runner.invoke(app, ["import", str(src), "--states", str(mine), "--out", str(tmp_path / "c.xlsx")],
                        env={"COLUMNS": "300"})
    assert res.exit_code == 1
    assert f"ไฟล์สถานะ {mine} บรรทัด 2:" in res.output and not (tmp_path / "c.xlsx").exists()


# --- data coverage (item 4) ---------------------------------------------------------------


def test_coverage_period_text():
    assert format_thai_period(dt.date(2023, 5, 11), dt.date(2023, 5, 13)) == "11–13 พ.ค. 2566"
    assert format_thai_period(dt.date(2023, 4, 29), dt.date(2023, 5, 2)) == "29 เม.ย. – 2 พ.ค. 2566"
    assert format_thai_period(dt.date(2023, 12, 30), dt.date(2024, 1, 2)) == "30 ธ.ค. 2566 – 2 ม.ค. 2567"
    assert format_thai_period(dt.date(2023, 5, 11), dt.date(2023, 5, 11)) == "11 พ.ค. 2566"


def test_imported_workbook_records_its_coverage_and_commands_state_it(dindaeng, tmp_path):
    book = read_workbook(dindaeng)
    # reported 2 May 2025 09:00–14:00 (Bangkok); the snapshot is the latest activity, 2 May 2025 14:00
    assert book.coverage == Coverage(pd.Timestamp("2025-05-02 14:00"), dt.date(2025, 5, 2), dt.date(2025, 5, 2))
    line = "ข้อมูลครอบคลุม 2 พ.ค. 2568 (ข้อมูล ณ 2 พ.ค. 2568 14:00 น.)"
    # overdue without --as-of: as of the snapshot day, not today (the acknowledgement is due 6 May)
    res = runner.invoke(app, ["overdue", str(dindaeng)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "เรื่องที่ต้องเร่งรัด ณ 2 พ.ค. 2568" in res.output and line in res.output
    # รอรับเรื่อง is due soon; จัดซื้อจัดจ้าง and ของบประมาณ (acknowledged per the source: issue 11 defect 3) wait
    # for the first progress report, due 13 May: on time, not listed
    assert "เกินกำหนด (overdue) 0  ใกล้ครบกำหนด (due soon) 1" in res.output
    # score without --as-of: as of the snapshot day, no month before May is a missing report
    res = runner.invoke(app, ["score", str(dindaeng)], env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "ณ วันที่ (as of) 2 พ.ค. 2568" in res.output and line in res.output
    assert "ไม่ส่งรายงานประจำเดือน" not in res.output


def test_months_outside_the_coverage_have_no_data(dindaeng, tmp_path):
    from openpyxl import load_workbook

    from cplkpi.macros.reports import fill_monthly_reports
    from cplkpi.templates import layout

    book = read_workbook(dindaeng)
    res = book.score(fiscal_year=2568)
    assert res.as_of == dt.date(2025, 5, 2) and res.deductions.empty
    months = res.months.set_index("month")
    assert not months.loc[dt.date(2024, 10, 1), "has_data"] and months.loc[dt.date(2025, 5, 1), "has_data"]
    assert not months["report_due_passed"].any()
    result = fill_monthly_reports(book, "2568-05", out_dir=tmp_path / "rep", pdf=False)
    assert result.findings == []
    ws = load_workbook(result.r003_xlsx)[layout.R003_SHEET]
    assert ws[layout.R003_NAMES["R003_DATA_FROM"]].value.date() == dt.date(2025, 5, 2)
    assert ws[layout.R003_NAMES["R003_DATA_TO"]].value.date() == dt.date(2025, 5, 2)
    cached = load_workbook(result.r003_xlsx, data_only=True)[layout.R003_SHEET]
    col = layout.R003_MONTH_COLS["report_status"]
    # October–April: no data (not ไม่ส่ง); May: its summary is not due yet; June–September: after the period
    assert [cached[f"{col}{r}"].value for r in layout.MONTH_ROWS] == (
        [layout.REPORT_NO_DATA] * 7 + [layout.REPORT_NOT_DUE] + [None] * 4)
    memo = result.narrative_txt.read_text("utf-8-sig")
    assert ("ประจำเดือนพฤษภาคม 2568 ดังนี้ (ข้อมูลครอบคลุม 2 พ.ค. 2568 (ข้อมูล ณ 2 พ.ค. 2568 14:00 น.) "
            "เดือนที่อยู่นอกช่วงนี้ไม่มีข้อมูล)") in memo
    r001 = load_workbook(result.r001_xlsx)[layout.R001_SHEET]
    assert r001[layout.R001_NAMES["R001_DATA_FROM"]].value.date() == dt.date(2025, 5, 2)


def test_merging_snapshots_far_apart_names_the_tickets_only_in_the_old_one(geojson, tmp_path):
    old = tmp_path / "geo_2023-05-06.csv"
    with open(old, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, GEO_HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows([geo_row("2023-STALE1", "รอรับเรื่อง", "2023-05-01 09:00:00"),
                     geo_row("2025-OPEN01", "รอรับเรื่อง", "2023-05-02 09:00:00")])  # also in the new file
    s = import_files([old, geojson], districts=["เขตดินแดง"]).summary
    stale = [p for p in s.problems if p.code == "stale_snapshot"]
    assert [(p.sheet, p.severity, p.message_th) for p in stale] == [(
        "geo_2023-05-06.csv", "warning",
        "1 เรื่องมีเฉพาะในไฟล์นี้ (ข้อมูล ณ 2 พ.ค. 2566) ซึ่งเก่ากว่าไฟล์ล่าสุด geo_2025-05-06.csv "
        "(ข้อมูล ณ 2 พ.ค. 2568) 731 วัน สถานะอาจล้าสมัย: 2023-STALE1")]
    # snapshots a few days apart are an ordinary merge: no warning
    assert not [p for p in import_files([geojson]).summary.problems if p.code == "stale_snapshot"]


def test_a_closed_status_without_a_date_is_closed_in_every_count(tmp_path):
    """A hand-typed เสร็จสิ้น without a date: not in CPL_R001, completed in CPL_R003 (the two agree), resolved
    by the as-of date in the evaluation (so no earlier follow-up is excused); the sheet check warns."""
    from cplkpi.macros.reports import fill_monthly_reports
    from cplkpi.scoring import evaluate_complaints

    wb = Workbook()
    ws = wb.active
    ws.title = "เรื่องร้องเรียน"
    ws.append(["เลขที่เรื่อง", "หน่วยงาน", "วันที่ศูนย์แจ้งเรื่อง", "สถานะ", "วันที่แล้วเสร็จ"])
    ws.append(["6800001", "สำนักงานเขตดินแดง", "2/5/2568", "รอรับเรื่อง", None])
    ws.append(["6800002", "สำนักงานเขตดินแดง", "2/5/2568", "เสร็จสิ้น", None])
    ws.append(["6800003", "สำนักงานเขตดินแดง", "2/5/2568", "ไม่เกี่ยวข้อง", None])
    path = tmp_path / "typed.xlsx"
    wb.save(path)
    book = read_workbook(path)
    assert [(p.code, p.row) for p in book.problems if p.code == "status_without_date"] == [
        ("status_without_date", 3)]
    result = fill_monthly_reports(book, "2568-05", out_dir=tmp_path / "rep", pdf=False)
    # the reports agree with each other; only the source's missing date is pointed out
    assert [(f.code, f.cell, f.severity) for f in result.findings] == [("input_status_without_date", "E3", "warning")]
    assert (result.figures.month_summary["received"], result.figures.month_summary["completed"]) == (3, 2)
    assert result.figures.pending["complaint_id"].tolist() == ["6800001"]
    ev = evaluate_complaints(book.complaints.table, as_of=dt.date(2025, 5, 31))
    assert ev["resolved_on"].tolist() == [pd.NaT, pd.Timestamp("2025-05-31"), pd.Timestamp("2025-05-31")]


# --- months without data (issue 11 defect 1) ----------------------------------------------


@pytest.fixture()
def dindaeng_day(tmp_path) -> Path:
    """One district's import of a one-day snapshot (6 May 2568): October–April have no data."""
    src = Path(__file__).parents[1] / "data" / "import" / "traffy_geojson.csv"
    return import_files([src], districts=["เขตดินแดง"]).write(tmp_path / "ดินแดง.xlsx")


def _rows(output: str) -> list[str]:
    return [" ".join(line.split()) for line in output.splitlines()]


def test_months_without_data_are_counted_apart_from_not_yet_due(dindaeng_day):
    """Months outside the snapshot are "ไม่มีข้อมูล", never "ยังไม่ถึงกำหนด": only May (with data, its summary
    due 10 June) is not due yet."""
    res = runner.invoke(app, ["score", str(dindaeng_day)], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    rows = _rows(res.output)
    step3 = rows.index("ขั้นตอนที่ 3 ส่งตรงเวลา 0/0 เดือน 1 - 1 - 1.0000")
    assert rows[step3 + 1] == "ไม่มีข้อมูล 7 เดือน"
    assert "ไม่มีข้อมูลในช่วงนี้" not in res.output  # May has a complaint: the period has data
    book = read_workbook(dindaeng_day)
    c = book.score().component_summary().set_index("key").loc["monthly_report"]
    assert (c["not_yet_due"], c["no_data"]) == (1, 7)


def test_a_period_without_any_data_says_its_full_score_is_not_earned(dindaeng_day, tmp_path):
    note = ("ไม่มีข้อมูลในช่วงนี้ ข้อมูลครอบคลุม 6 พ.ค. 2568 (ข้อมูล ณ 6 พ.ค. 2568 03:40 น.): คะแนน 5.0000 "
            "ที่แสดงเป็นคะแนนเต็มเพราะไม่มีเรื่องและไม่มีรายงานให้ประเมิน ไม่ใช่ผลการดำเนินงาน (no data in this period: "
            "the score shown is full points for want of anything to assess, not a result earned)")
    res = runner.invoke(app, ["score", str(dindaeng_day), "--fy", "2567"], env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    text = " ".join(res.output.split())
    assert note in text
    assert text.index(note) < text.index("คะแนนรายองค์ประกอบ")  # above the figures it qualifies
    rows = _rows(res.output)
    assert rows[rows.index("ขั้นตอนที่ 3 ส่งตรงเวลา 0/0 เดือน 0 - 1 - 1.0000") + 1] == "ไม่มีข้อมูล 12 เดือน"

    out = tmp_path / "reports"
    res = runner.invoke(app, ["report", str(dindaeng_day), "--month", "2568-04", "--out", str(out), "--no-pdf"],
                        env={"COLUMNS": "80"})
    assert res.exit_code == 0, res.output
    assert note in " ".join(res.output.split())
    assert "ไม่พบข้อผิดพลาด (validation: no findings)" in res.output
    memo = (out / "CPL_narrative_2568-04.txt").read_text("utf-8-sig")
    assert ("ขั้นตอนที่ 3 การรายงานผลประจำเดือน: ส่งตรงเวลา 0 จาก 0 เดือน (ไม่มีข้อมูล 7 เดือน) ได้ 1 จาก 1 คะแนน\n"
            in memo)
    assert f"หมายเหตุ {note}\n" in memo
    from openpyxl import load_workbook

    from cplkpi.templates import layout

    ws = load_workbook(out / "CPL_R003_2568-04.xlsx", data_only=True)[layout.R003_SHEET]
    step3 = layout.COMPONENT_ROWS[3]
    assert [ws[f"{c}{layout.COMPONENTS_HEADER_ROW}"].value for c in "LM"] == ["ยังไม่ถึงกำหนด", "ไม่มีข้อมูล"]
    assert (ws[f"L{step3}"].value, ws[f"M{step3}"].value) == (0, 7)
    assert [ws[f"K{r}"].value for r in layout.MONTH_ROWS[:7]] == ["ไม่มีข้อมูล"] * 7
    assert ws[layout.R003_NAMES["R003_NOTE"]].value == f"หมายเหตุ: {note}"


def test_a_state_past_acknowledgement_never_asks_to_acknowledge(tmp_path):
    """Issue 11 defect 3: a ticket in กำลังดำเนินการ / ของบประมาณ without an acknowledgement date waits for its
    first progress report (due 3 business days after the acknowledgement deadline), noted "ตอบรับแล้วตามต้นทาง
    ไม่มีวันที่", in the work list and CPL_R001; ส่งต่อ(ใหม่) still waits for the acknowledgement. The score
    still counts the acknowledgement as not on time (no date)."""
    from openpyxl import load_workbook

    from cplkpi.templates import layout

    path = tmp_path / "geo_2025-05-06.csv"
    with open(path, "w", encoding="utf-8", newline="") as fh:
        w = csv.DictWriter(fh, GEO_HEADER, lineterminator="\n")
        w.writeheader()
        w.writerows([geo_row("2025-BUDG01", "ของบประมาณ", "2025-04-22 13:00:00"),
                     geo_row("2025-WORK01", "กำลังดำเนินการ", "2025-04-22 14:00:00"),
                     geo_row("2025-FWD001", "ส่งต่อ(ใหม่)", "2025-04-22 15:00:00")])
    book_path = import_files([path], districts=["เขตดินแดง"]).write(tmp_path / "ดินแดง.xlsx")
    book = read_workbook(book_path)
    t = monitor(book.complaints.table, None, as_of="2025-05-07").set_index("complaint_id")
    # forwarded Tue 22 Apr: acknowledgement due Wed 23 Apr, first progress report Mon 28 Apr
    assert t.loc["2025-FWD001", ["phase", "due", "status"]].tolist() == ["ack", pd.Timestamp("2025-04-23"), "overdue"]
    for tid in ("2025-BUDG01", "2025-WORK01"):
        assert t.loc[tid, ["phase", "due", "status", "note_th"]].tolist() == [
            "progress", pd.Timestamp("2025-04-28"), "overdue", "ตอบรับแล้วตามต้นทาง ไม่มีวันที่"]
    assert pd.isna(t.loc["2025-FWD001", "note_th"])
    res = book.score(as_of="2025-05-07").component_summary().set_index("key")
    assert res.loc["acknowledge", ["correct", "total"]].tolist() == [0, 3]  # no date: not on time

    out = tmp_path / "reports"
    r = runner.invoke(app, ["report", str(book_path), "--month", "2568-04", "--as-of", "2568-05-07", "--out",
                            str(out), "--no-pdf"], env={"COLUMNS": "80"})
    assert r.exit_code == 0, r.output
    ws = load_workbook(out / "CPL_R001_2568-04.xlsx")[layout.R001_SHEET]
    c = layout.R001_COLS
    phases = {ws[f"{c['complaint_id']}{row}"].value: ws[f"{c['phase']}{row}"].value
              for row in range(layout.R001_FIRST_ROW, layout.R001_FIRST_ROW + 3)}
    assert phases == {"2025-FWD001": "ตอบรับ",
                      "2025-BUDG01": "รายงานความก้าวหน้าครั้งที่ 1 (ตอบรับแล้วตามต้นทาง ไม่มีวันที่)",
                      "2025-WORK01": "รายงานความก้าวหน้าครั้งที่ 1 (ตอบรับแล้วตามต้นทาง ไม่มีวันที่)"}
