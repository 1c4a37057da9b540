"""Snapshots of the same tickets merged into one table; the district filter."""

from __future__ import annotations

import csv
from pathlib import Path

import pandas as pd
import pytest

from cplkpi.importers import district_filter, import_files, read_file

DATA = Path(__file__).parents[1] / "data" / "import"
DUMP_HEADER = ["ticket_id", "type", "organization", "comment", "coords", "photo", "photo_after", "address",
               "subdistrict", "district", "province", "timestamp", "state", "star", "count_reopen",
               "last_activity"]
GEO_HEADER = ["type", "coords", "ticket_id", "organization", "comment photo", "photo_after", "address",
              "subdistrict", "district", "province", "timestamp", "state", "star", "count_reopen",
              "last_activity"]


def ticket(tid: str, state: str, activity: str, **kw: str) -> dict[str, str]:
    row = {"ticket_id": tid, "type": "{ถนน}", "organization": "เขตสาทร,ฝ่ายโยธา เขตสาทร", "comment": "ถนนชำรุด",
           "coords": "100.52,13.72", "photo": "https://example.invalid/p.jpg", "photo_after": "",
           "address": "",
           "subdistrict": "ยานนาวา", "district": "สาทร", "province": "กรุงเทพมหานคร",
           "timestamp": "2023-05-10 03:00:00+00", "state": state, "star": "", "count_reopen": "0",
           "last_activity": activity}
    row.update(kw)
    return row


def write(path: Path, rows: list[dict[str, str]], header: list[str] = DUMP_HEADER) -> Path:
    with open(path, "w", encoding="utf-8-sig", newline="") as fh:
        w = csv.DictWriter(fh, header, extrasaction="ignore", lineterminator="\n")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "comment photo": r.get("photo", "")})
    return path


@pytest.fixture()
def snapshots(tmp_path):
    early = write(tmp_path / "dump_2023-05-11.csv", [
        ticket("2023-M1", "รอรับเรื่อง", "2023-05-10 03:00:00+00"),
        ticket("2023-M2", "กำลังดำเนินการ", "2023-05-10 05:00:00+00"),
        ticket("2023-M3", "รอรับเรื่อง", "2023-05-11 09:00:00+00", organization="เขตบางรัก", district="บางรัก"),
    ])
    late = write(tmp_path / "dump_2023-05-13.csv", [
        ticket("2023-M1", "เสร็จสิ้น", "2023-05-12 18:30:00+00", photo_after="https://example.invalid/a.jpg"),
        ticket("2023-M2", "กำลังดำเนินการ", "2023-05-13 02:00:00+00", count_reopen="1"),
        ticket("2023-M4", "รอรับเรื่อง", "2023-05-13 04:00:00+00"),
    ])
    return early, late


def test_the_latest_snapshot_wins_whatever_the_order_given(snapshots):
    early, late = snapshots
    a = import_files([early, late])
    b = import_files([late, early])
    pd.testing.assert_frame_equal(a.complaints, b.complaints)
    t = a.complaints.set_index("complaint_id")
    assert sorted(t.index) == ["2023-M1", "2023-M2", "2023-M3", "2023-M4"]
    assert t.loc["2023-M1", "status"] == "completed"
    assert t.loc["2023-M1", "resolved_on"] == pd.Timestamp("2023-05-13")  # 18:30 UTC on 12 May
    assert t.loc["2023-M1", "source_file"] == late.name
    assert t.loc["2023-M3", "source_file"] == early.name  # only in the earlier file: kept
    assert a.summary.superseded == 2 and a.summary.complaints == 4


def test_status_changes_between_snapshots_become_dated_events(snapshots):
    early, late = snapshots
    ev = import_files([early, late]).events
    change = ev[ev["basis"] == "snapshot_change"].set_index("complaint_id")
    assert list(change.index) == ["2023-M1"]
    assert change.loc["2023-M1", "status"] == "completed" and change.loc["2023-M1", "state"] == "เสร็จสิ้น"
    # after the earlier file's snapshot time (its latest activity, 16:00 Bangkok on 11 May) …
    assert change.loc["2023-M1", "not_before"] == pd.Timestamp("2023-05-11 16:00")
    # … and no later than the ticket's last activity in the later file; the exact time is unknown
    assert change.loc["2023-M1", "not_after"] == pd.Timestamp("2023-05-13 01:30")
    assert pd.isna(change.loc["2023-M1", "at"])
    reopen = ev[ev["basis"] == "snapshot_reopen_count"]
    assert reopen["complaint_id"].tolist() == ["2023-M2"] and reopen["status"].tolist() == ["waiting"]


def test_report_facts_missing_in_the_winner_come_from_an_earlier_file(tmp_path, snapshots):
    early, _ = snapshots
    geo = tmp_path / "geo_2023-05-14.csv"
    # the export writes Bangkok time without a zone and copies the timestamp into last_activity
    row = ticket("2023-M1", "เสร็จสิ้น", "2023-05-10 10:00:00", timestamp="2023-05-10 10:00:00",
                 type="Point", coords="[100.52, 13.72]")
    write(geo, [row, ticket("2023-M9", "รอรับเรื่อง", "2023-05-14 10:00:00", timestamp="2023-05-14 10:00:00",
                            type="Point")], GEO_HEADER)
    t = import_files([geo, early]).complaints.set_index("complaint_id")
    assert t.loc["2023-M1", "source_file"] == geo.name  # the GeoJSON export is the latest snapshot
    assert t.loc["2023-M1", "detail"] == "ถนนชำรุด"  # it has no comment: taken from the dump
    assert t.loc["2023-M1", "subject"] == "ถนน"
    assert pd.isna(t.loc["2023-M9", "detail"])  # nothing earlier to take it from
    assert t.loc["2023-M1", "received_at"] == pd.Timestamp("2023-05-10 10:00")  # both files agree
    # changing values come from the winner only: the GeoJSON export closes it on its last activity
    assert t.loc["2023-M1", "resolved_on"] == pd.Timestamp("2023-05-10")


def test_equal_snapshot_times_the_file_given_later_wins(tmp_path):
    a = write(tmp_path / "a.csv", [ticket("2023-E1", "รอรับเรื่อง", "2023-05-10 05:00:00+00")])
    b = write(tmp_path / "b.csv", [ticket("2023-E1", "กำลังดำเนินการ", "2023-05-10 05:00:00+00")])
    assert import_files([a, b]).complaints["status"].tolist() == ["in_progress"]
    assert import_files([b, a]).complaints["status"].tolist() == ["waiting"]


def test_the_same_file_twice_gives_no_duplicate_events():
    once = import_files([DATA / "traffy_web.csv"])
    twice = import_files([DATA / "traffy_web.csv", DATA / "traffy_web.csv"])
    assert len(twice.complaints) == len(once.complaints) == 6
    assert twice.summary.superseded == 6
    assert len(twice.events) == len(once.events) == 5


def test_district_filter(snapshots):
    early, late = snapshots
    r = import_files([early, late], districts=["เขตบางรัก"])
    assert r.complaints["complaint_id"].tolist() == ["2023-M3"]
    assert r.summary.filtered_out == 3 and r.summary.district_filter == ("บางรัก",)
    assert district_filter(["สาทร", "สำนักงานเขตสาทร", "เขต สาทร"]) == ("สาทร",)
    with pytest.raises(ValueError, match="not a Bangkok district"):
        district_filter(["เขตเมืองทอง"])


def test_every_format_together():
    r = import_files([DATA / "traffy_dump.csv", DATA / "traffy_geojson.csv", DATA / "traffy_web.csv"])
    assert r.summary.rows_read == 11 + 8 + 6
    assert len(r.complaints) == 8 + 8 + 6
    assert r.complaints["complaint_id"].is_unique
    assert r.complaints["received_at"].is_monotonic_increasing
    assert set(r.complaints["source_format"]) == {"traffy_dump", "traffy_geojson", "traffy_web"}
    assert read_file(DATA / "traffy_dump.csv").snapshot_at == pd.Timestamp("2023-05-13 00:05:00.25")
