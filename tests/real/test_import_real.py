"""The importers over the real Traffy Fondue samples in ../shared/data/traffy (skipped when absent).

The files are read in place, never copied; these tests assert counts, times,
states and ids only (no citizen text).
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from cplkpi.importers import district_name, import_files, read_file
from cplkpi.scoring.tables import STATUSES

TRAFFY = Path(os.environ.get("CPLKPI_TRAFFY_DIR",
                            Path(__file__).resolve().parents[3] / "shared" / "data" / "traffy"))
DUMP = TRAFFY / "teamchadchart_snapshot_2023-05-12.csv"
GEOJSON = TRAFFY / "geojson_api_snapshot_2025-05-06a.csv"
WEB = TRAFFY / "web_scrape_2024-12-09.csv"

pytestmark = pytest.mark.skipif(
    not all(p.exists() for p in (DUMP, GEOJSON, WEB)),
    reason=f"real Traffy Fondue samples not found in {TRAFFY} (see SOURCE.md there; set CPLKPI_TRAFFY_DIR)")


@pytest.fixture(scope="module")
def dump():
    return read_file(DUMP)


@pytest.fixture(scope="module")
def geojson():
    return read_file(GEOJSON)


@pytest.fixture(scope="module")
def web():
    return read_file(WEB)


def test_row_counts_and_no_unexplained_rejection(dump, geojson, web):
    assert (dump.format, geojson.format, web.format) == ("traffy_dump", "traffy_geojson", "traffy_web")
    assert (dump.rows_read, geojson.rows_read, web.rows_read) == (1000, 1000, 811)  # SOURCE.md
    assert (len(dump.complaints), len(geojson.complaints), len(web.complaints)) == (988, 1000, 811)
    assert geojson.rejections == [] and web.rejections == []
    # the dump's 12 rejected rows are redacted reports: no ticket id (and no comment, no address)
    assert len(dump.rejections) == 12
    assert {r.code for r in dump.rejections} == {"missing_id"}
    assert all(r.line is not None and r.line >= r.row for r in dump.rejections)
    for s in (dump, geojson, web):
        assert s.duplicates == 0
        assert len(s.complaints) + len(s.rejections) == s.rows_read  # nothing dropped silently
        assert s.complaints["complaint_id"].is_unique


def test_every_state_is_mapped(dump, geojson, web):
    for s in (dump, geojson, web):
        t = s.complaints
        assert t["status"].isin(list(STATUSES)).all()
        assert not [p for p in s.problems if p.code == "unknown_status"]
        pairs = t.groupby("source_state")["status"].unique()
        assert all(len(v) == 1 for v in pairs)
    assert dump.complaints["status"].value_counts().to_dict() == {
        "in_progress": 472, "waiting": 418, "completed": 98}
    assert geojson.complaints["status"].value_counts().to_dict() == {
        "waiting": 345, "forwarded": 279, "in_progress": 276, "acknowledged": 42, "completed": 41,
        "irrelevant": 10, "studying": 5, "legal": 2}
    assert set(web.events["state"].dropna()) == {"รอรับเรื่อง", "เปิดเรื่องใหม่", "ส่งต่อ", "กำลังดำเนินการ", "รับเรื่อง"}
    assert web.events["status"].dropna().isin(list(STATUSES)).all()


def test_utc_to_bangkok_on_rows_near_midnight(dump):
    t = dump.complaints.set_index("complaint_id")
    # 2023-05-11 17:09:56 UTC → 00:09:56 on 12 May in Bangkok
    assert t.loc["2023-LK8V44", "received_at"] == pd.Timestamp("2023-05-12 00:09:56.72429")
    assert t.loc["2023-LK8V44", "forwarded_on"] == pd.Timestamp("2023-05-12")
    # 2023-05-11 16:55:29 UTC → 23:55:29 on 11 May
    assert t.loc["UNWWLC", "received_at"] == pd.Timestamp("2023-05-11 23:55:29.344688")
    assert t.loc["UNWWLC", "forwarded_on"] == pd.Timestamp("2023-05-11")
    assert t.loc["7B8D94", "forwarded_on"] == pd.Timestamp("2023-05-12")  # 17:49 UTC
    assert t["received_at"].min() == pd.Timestamp("2023-05-11 11:41:36.046347")  # SOURCE.md: from 04:41 UTC
    assert t["received_at"].max() == pd.Timestamp("2023-05-12 20:27:54.482138")


def test_the_dump_and_the_scrape_agree_on_a_shared_ticket(dump, web):
    """2023-B2EBD3 is in both: the dump's UTC time converted equals the web UI's Bangkok time."""
    d = dump.complaints.set_index("complaint_id").loc["2023-B2EBD3"]
    w = web.complaints.set_index("complaint_id").loc["2023-B2EBD3"]
    assert d["received_at"].floor("min") == w["received_at"] == pd.Timestamp("2023-05-11 19:17")
    # the dump's last activity is the reopening the scrape shows as its latest event
    assert d["last_activity_at"].floor("min") == w["last_activity_at"] == pd.Timestamp("2023-05-12 16:03")
    assert w["reopened_on"] == pd.Timestamp("2023-05-12") and d["reopen_count"] == 2
    merged = import_files([DUMP, WEB]).complaints.set_index("complaint_id")
    assert merged.loc["2023-B2EBD3", "source_file"] == WEB.name  # the scrape is the later snapshot


def test_completion_dates_follow_the_after_photo(dump):
    """Completed tickets whose after-photo file is named by its upload time (epoch ms) were last active
    within a minute of that upload: the last activity is the closing, the basis of resolved_on."""
    t = dump.complaints
    done = t[t["status"] == "completed"]
    assert done["resolved_on"].notna().all()
    stamp = done["photo_after_url"].str.extract(r"/(\d{13})\.\w+$")[0].dropna()
    uploaded = pd.to_datetime(stamp.astype("int64"), unit="ms", utc=True).dt.tz_convert("Asia/Bangkok")
    gap = (done.loc[stamp.index, "last_activity_at"] - uploaded.dt.tz_localize(None)).dt.total_seconds()
    assert len(gap) >= 90
    assert ((gap >= 0) & (gap <= 60)).mean() > 0.9


def test_geojson_timestamps_are_bangkok_local_time(geojson):
    t = geojson.complaints
    hours = t["received_at"].dt.hour
    assert ((hours >= 1) & (hours <= 5)).mean() < 0.05  # Bangkok's quiet hours (as UTC they would be 29 %)
    assert (t["last_activity_at"] == t["received_at"]).all()  # the export copies timestamp
    # no completion date in the export: the 41 เสร็จสิ้น and 10 ไม่เกี่ยวข้อง tickets close on their last activity
    closed = t["status"].isin(["completed", "irrelevant"])
    assert int(closed.sum()) == 51 and "resolved_on" in geojson.not_in_source
    assert (t.loc[closed, "resolved_on"] == t.loc[closed, "last_activity_at"].dt.normalize()).all()
    assert t.loc[~closed, "resolved_on"].isna().all()
    assert t["detail"].isna().all() and t["photo_url"].notna().mean() > 0.98


def test_channels_and_agencies(dump, geojson, web):
    assert dump.complaints["channel"].value_counts()["1555"] == 294
    assert geojson.complaints["channel"].value_counts()["1555"] == 127
    assert web.complaints["channel"].value_counts()["1555"] == 36
    t = dump.complaints
    members = t["organization"].fillna("").str.split(",")
    has_office = members.map(lambda ms: any(district_name(m) for m in ms)).astype(bool)
    assert has_office.sum() > 900
    assert t.loc[has_office, "agency"].str.startswith("สำนักงานเขต").all()
    assert (t.loc[has_office, "agency"] == "สำนักงานเขต" + t.loc[has_office, "district"]).all()
    assert t["agency"].isna().sum() == 4  # the four tickets from outside Bangkok with no organisation
    assert geojson.complaints["agency"].notna().all()


def test_web_take_time_reading(web):
    codes = pd.Series([p.code for p in web.problems]).value_counts().to_dict()
    assert codes == {"took_not_duration": 4}  # no duration contradicts the two timestamps
    ev = web.events
    assert (ev["basis"] == "traffy_web_take_time").sum() == 4
    latest = ev[ev["basis"] == "traffy_web_latest_event"]
    assert (latest["state"] == "เปิดเรื่องใหม่").sum() == 228 == web.complaints["reopened_on"].notna().sum()


def test_all_three_into_one_workbook(tmp_path):
    from openpyxl import load_workbook

    from cplkpi.importers.writer import COMPLAINT_SHEET
    from cplkpi.reader import read_workbook

    result = import_files([DUMP, GEOJSON, WEB])
    assert (result.summary.rows_read, result.summary.rejected, result.summary.superseded) == (2811, 12, 1)
    assert len(result.complaints) == 2798
    path = result.write(tmp_path / "bangkok.xlsx")
    book = read_workbook(path)
    assert len(book.complaints.table) == 2798 and not book.errors
    ws = load_workbook(path, read_only=True)[COMPLAINT_SHEET]
    kinds = {c.data_type for row in ws.iter_rows(min_row=2, min_col=6, max_col=6) for c in row if c.value}
    assert kinds == {"s"}  # every comment is text
    assert np.array_equal(book.complaints.table["forwarded_on"].to_numpy(),
                          result.complaints["forwarded_on"].to_numpy())
