"""Imported workbooks in staff hands (issue 11): empty or missing optional columns, closed tickets,
source states shown beside the monitoring status, states from the data file."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.importers import import_files
from cplkpi.importers.states import load_extra_states, state_code
from cplkpi.scoring.monitor import monitor
from cplkpi.workbook import read_workbook

runner = CliRunner()

GEO_HEADER = ["type", "coords", "ticket_id", "organization", "comment photo", "photo_after", "address",
              "subdistrict", "district", "province", "timestamp", "state", "star", "count_reopen",
              "last_activity"]


@pytest.fixture(autouse=True)
def console_width_from_env(monkeypatch):
    """Let the consoles read the COLUMNS each test gives its command (see tests/test_cli.py)."""
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
    res = runner.invoke(app, ["overdue", str(dindaeng), "--as-of", "7 พ.ค. 2568", "--out", str(out)],
                        env={"COLUMNS": "200"})
    assert res.exit_code == 0, res.output
    assert "เกินกำหนด (overdue) 3  ใกล้ครบกำหนด (due soon) 0" in res.output
    listed = pd.read_csv(out, encoding="utf-8-sig", dtype=str)
    # closed tickets (เสร็จสิ้น, ไม่เกี่ยวข้อง) are never work; the new states are work in progress
    assert sorted(listed["เลขที่เรื่อง (complaint id)"]) == ["2025-BUDG01", "2025-OPEN01", "2025-PROC01"]
    shown = dict(zip(listed["เลขที่เรื่อง (complaint id)"], listed["สถานะตามต้นทาง (source status)"]))
    assert shown == {"2025-OPEN01": "รอรับเรื่อง", "2025-PROC01": "จัดซื้อจัดจ้าง", "2025-BUDG01": "ของบประมาณ"}
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
    title, frame = result.summary.tables()["closing_dates"]
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
                   "2025-IRRL01": ("ไม่เกี่ยวข้อง", "done"), "2025-PROC01": ("จัดซื้อจัดจ้าง", "overdue"),
                   "2025-BUDG01": ("ของบประมาณ", "overdue")}


def test_states_data_file_maps_the_new_states_and_refuses_unknown_codes():
    assert state_code("จัดซื้อจัดจ้าง") == "in_progress" and state_code("ของบประมาณ") == "in_progress"
    assert load_extra_states("state,status,source\n# a comment\nรอคิว,waiting,seen in a 2026 export\n") == {
        "รอคิว": "waiting"}
    with pytest.raises(ValueError, match="บรรทัด 3"):
        load_extra_states("state,status,source\n\nรอคิว,pending_review,typo\n")
