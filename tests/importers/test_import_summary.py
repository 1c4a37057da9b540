"""The import summary: read/imported/rejected, unknown states, per district, values left empty."""

from __future__ import annotations

from pathlib import Path

import pytest

from cplkpi.importers import import_files
from cplkpi.importers.summary import NO_DISTRICT

DATA = Path(__file__).parents[1] / "data" / "import"
FILES = [DATA / "traffy_dump.csv", DATA / "traffy_geojson.csv", DATA / "traffy_web.csv"]


@pytest.fixture(scope="module")
def summary():
    return import_files(FILES).summary


def test_counts_per_file(summary):
    got = [(f.file, f.format, f.rows_read, f.imported, f.rejected, f.duplicates) for f in summary.files]
    assert got == [("traffy_dump.csv", "traffy_dump", 11, 8, 2, 1),
                   ("traffy_geojson.csv", "traffy_geojson", 8, 8, 0, 0),
                   ("traffy_web.csv", "traffy_web", 6, 6, 0, 0)]
    assert (summary.rows_read, summary.rejected, summary.complaints) == (25, 2, 22)
    assert [(r.file, r.row, r.line, r.code) for r in summary.rejections] == [
        ("traffy_dump.csv", 6, 8, "missing_id"), ("traffy_dump.csv", 8, 10, "bad_line")]


def test_unknown_states(summary):
    assert summary.unknown_states.to_dict("records") == [
        {"state": "รอตรวจสอบพิเศษ", "complaints": 1, "files": "traffy_dump.csv", "first": "traffy_dump.csv!10"}]
    # reported once there, not again row by row among the problems
    assert not [p for p in summary.problems if p.code == "unknown_status"]


def test_unknown_state_of_another_district_is_not_reported():
    # รอตรวจสอบพิเศษ is a บางกะปิ ticket: an import of สาทร does not mention it
    s = import_files(FILES, districts=["เขตสาทร"]).summary
    assert s.unknown_states.empty
    assert s.tables()["unknown_states"][1].empty


def test_closing_dates_from_last_activity_are_counted(summary):
    # no Traffy export has a completion date: every closed ticket's date is its last activity; the
    # GeoJSON export's last activity only repeats the report time
    assert summary.closing_dates.to_dict("records") == [
        {"file": "traffy_dump.csv", "closed": 1, "closed_at_report_time": 0},
        {"file": "traffy_geojson.csv", "closed": 2, "closed_at_report_time": 2}]  # เสร็จสิ้น, ไม่เกี่ยวข้อง


def test_per_district(summary):
    d = summary.districts.set_index("district")
    assert d.loc["สาทร"].to_dict() == {"complaints": 2, "pending": 2, "waiting": 1, "completed": 0}
    assert d.loc["บางรัก"].to_dict() == {"complaints": 1, "pending": 0, "waiting": 0, "completed": 1}
    assert d.loc["ดินแดง", "complaints"] == 3  # the dump's 1555 ticket, the export's, the scrape's
    # complaints whose agency is not a district office come last
    assert summary.districts["district"].iloc[-1] == NO_DISTRICT
    assert d.loc[NO_DISTRICT, "complaints"] == 3  # กรุงเทพโปร่งใส twice, and the ticket outside Bangkok
    assert d["complaints"].sum() == 22
    # the GeoJSON export holds no completion date: its completed ticket is completed, not pending
    assert d.loc["สะพานสูง"].to_dict() == {"complaints": 1, "pending": 0, "waiting": 0, "completed": 1}
    assert (d["pending"] + d["completed"] <= d["complaints"]).all()


def test_values_left_empty_are_counted_with_their_reason(summary):
    e = summary.empty_values.set_index(["file", "column_name"])

    def empty(file: str, column: str) -> list:
        return e.loc[(file, column), ["empty", "reason_code"]].tolist()

    assert empty("traffy_dump.csv", "acknowledged_on") == [2, "not_in_source"]
    assert empty("traffy_dump.csv", "result_detail") == [1, "not_in_source"]
    assert empty("traffy_dump.csv", "reopened_on") == [1, "not_in_source"]
    assert empty("traffy_dump.csv", "agency") == [1, "empty_in_source"]
    assert empty("traffy_geojson.csv", "detail") == [8, "not_in_source"]
    # the GeoJSON export's closed ticket takes its closing date from last_activity (closing_dates)
    assert ("traffy_geojson.csv", "resolved_on") not in e.index
    assert empty("traffy_web.csv", "reopen_count") == [6, "not_in_source"]
    # a waiting ticket has no acknowledgement date to miss: the web scrape's are all waiting
    assert ("traffy_web.csv", "acknowledged_on") not in e.index
    assert ("traffy_dump.csv", "resolved_on") not in e.index  # the completed ticket has its date


def test_tables_have_thai_and_english_headers(summary):
    tables = summary.tables()
    assert list(tables) == ["totals", "files", "rejections", "unknown_states", "closing_dates", "districts",
                            "empty_values", "problems"]
    for title, frame in tables.values():
        assert "(" in title and all("(" in str(c) for c in frame.columns), title
    assert "column_name" not in tables["empty_values"][1].columns


def test_files_with_the_same_name_in_different_folders_are_kept_apart(tmp_path):
    import shutil

    for folder, fixture in (("a", FILES[0]), ("b", FILES[2])):  # a dump and a web scrape, both traffy.csv
        (tmp_path / folder).mkdir()
        shutil.copy(fixture, tmp_path / folder / "traffy.csv")
    result = import_files([tmp_path / "a" / "traffy.csv", tmp_path / "b" / "traffy.csv"])
    s = result.summary
    assert [(f.file, f.format, f.imported) for f in s.files] == [("a/traffy.csv", "traffy_dump", 8),
                                                                 ("b/traffy.csv", "traffy_web", 6)]
    assert result.complaints["source_file"].value_counts().to_dict() == {"a/traffy.csv": 8, "b/traffy.csv": 6}
    assert {r.file for r in s.rejections} == {"a/traffy.csv"}
    e = s.empty_values.set_index(["file", "column_name"])
    assert e.loc[("b/traffy.csv", "reopen_count"), ["empty", "format"]].tolist() == [6, "traffy_web"]
    assert e.loc[("a/traffy.csv", "acknowledged_on"), ["empty", "format"]].tolist() == [2, "traffy_dump"]
    assert {p.sheet for p in s.problems} == {"a/traffy.csv", "b/traffy.csv"}
