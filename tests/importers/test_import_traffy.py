"""Traffy Fondue readers on synthetic fixtures in the three formats (tests/data/import/)."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from zoneinfo import ZoneInfo

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cplkpi.importers import (
    BANGKOK_DISTRICTS,
    EXTRA_STATES,
    bangkok_timestamps,
    csvsource,
    detect_format,
    parse_thai_duration,
    read_file,
    split_organization,
    state_code,
)
from cplkpi.importers.csvsource import scan_csv
from cplkpi.scoring.errors import InputError
from cplkpi.scoring.tables import STATUSES

DATA = Path(__file__).parents[1] / "data" / "import"
DUMP, GEOJSON, WEB = DATA / "traffy_dump.csv", DATA / "traffy_geojson.csv", DATA / "traffy_web.csv"


def by_id(snapshot) -> pd.DataFrame:
    return snapshot.complaints.set_index("complaint_id")


def ts(text: str) -> pd.Timestamp:
    return pd.Timestamp(text)


# --- format detection ------------------------------------------------------------------


def test_formats_are_recognised_by_their_headers():
    assert detect_format(DUMP) == "traffy_dump"
    assert detect_format(GEOJSON) == "traffy_geojson"
    assert detect_format(WEB) == "traffy_web"
    assert DUMP.read_bytes().startswith(b"\xef\xbb\xbf")  # the fixture carries the dump's BOM
    assert not GEOJSON.read_bytes().startswith(b"\xef\xbb\xbf")


def test_columns_are_mapped_by_name_not_position(tmp_path):
    """The 2025 data dictionary lists photo, photo_after before coords: same result in any order."""
    with open(DUMP, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    header = rows[0]
    order = [header.index(h) for h in ("state", "photo", "photo_after", "coords", "ticket_id", "timestamp")]
    order += [i for i in range(len(header)) if i not in order]
    moved = tmp_path / "reordered.csv"
    with open(moved, "w", encoding="utf-8", newline="") as fh:  # and without a BOM
        w = csv.writer(fh, lineterminator="\n")
        for r in rows:
            w.writerow([r[i] for i in order] + r[len(header):])
    a, b = read_file(DUMP), read_file(moved)
    cols = [c for c in a.complaints.columns if c not in ("source_file",)]
    pd.testing.assert_frame_equal(a.complaints[cols], b.complaints[cols])
    assert [(r.row, r.code) for r in a.rejections] == [(r.row, r.code) for r in b.rejections]


def test_windows_thai_encoding_is_read(tmp_path):
    text = DUMP.read_text(encoding="utf-8-sig")
    cp = tmp_path / "dump_cp874.csv"
    cp.write_bytes(text.encode("cp874"))
    a, b = read_file(DUMP), read_file(cp)
    assert b.complaints["detail"].tolist() == a.complaints["detail"].tolist()
    assert b.complaints["agency"].tolist() == a.complaints["agency"].tolist()


# --- the official dump ---------------------------------------------------------------


def test_dump_counts_rejections_and_duplicates():
    s = read_file(DUMP)
    assert s.rows_read == 11
    assert len(s.complaints) == 8 and s.duplicates == 1
    assert [(r.row, r.line, r.code) for r in s.rejections] == [(6, 8, "missing_id"), (8, 10, "bad_line")]
    assert s.rejections[1].detail == "17 ≠ 16"
    assert "2023-TSTBAD" not in set(s.complaints["complaint_id"])  # a shifted row is never imported


def test_dump_utc_timestamps_become_bangkok_dates():
    t = by_id(read_file(DUMP))
    # 2023-05-11 17:30 UTC is 00:30 on 12 May in Bangkok: the forwarding date is the Bangkok one
    assert t.loc["2023-TST001", "received_at"] == ts("2023-05-12 00:30:00.123456")
    assert t.loc["2023-TST001", "forwarded_on"] == ts("2023-05-12")
    # one microsecond before 17:00 UTC is still 11 May in Bangkok
    assert t.loc["2023-TST002", "received_at"] == ts("2023-05-11 23:59:59.999999")
    assert t.loc["2023-TST002", "forwarded_on"] == ts("2023-05-11")


def test_dump_completion_date_is_the_bangkok_date_of_the_last_activity():
    t = by_id(read_file(DUMP))
    assert t.loc["2023-TST003", "status"] == "completed"
    assert t.loc["2023-TST003", "resolved_on"] == ts("2023-05-13")  # 17:05 UTC on 12 May
    assert bool(t.loc["2023-TST003", "has_evidence"]) is True
    assert t["resolved_on"].notna().sum() == 1  # only the completed ticket has one
    assert t["acknowledged_on"].isna().all() and t["first_progress_on"].isna().all()  # never invented


def test_dump_keeps_the_latest_row_of_a_duplicated_ticket():
    s = read_file(DUMP)
    t = by_id(s)
    assert t.loc["2023-TST001", "status"] == "in_progress"  # the row with the later last_activity
    assert t.loc["2023-TST001", "source_row"] == 2
    assert any(p.code == "duplicate_in_file" and p.row == 12 for p in s.problems)


def test_dump_values():
    t = by_id(read_file(DUMP))
    assert t.loc["2023-TST001", "subject"] == "ถนน, ทางเท้า"
    assert pd.isna(t.loc["2023-TST002", "subject"])  # {} is no type
    assert t.loc["2023-TST003", "subject"] == "ขยะ ตกค้าง, ความสะอาด"  # quoted array element
    assert t.loc["2023-TST001", "lon"] == pytest.approx(100.529) and t.loc["2023-TST001", "lat"] == 13.721
    assert t.loc["2023-TST002", "detail"] == "ไฟดับทั้งซอย\nกลางคืนมืดมาก"
    assert t.loc["2023-TST003", "detail"] == 'ขยะกองหน้าปากซอย เขียนว่า "ด่วน" ส่งกลิ่นเหม็น'
    assert t.loc["2023-TST006", "reopen_count"] == 2
    assert pd.isna(t.loc["2023-TST006", "reopened_on"])  # the dump has no reopening date
    assert t.loc["2023-TST003", "star"] == 5
    assert t.loc["2023-TST001", "last_activity_at"] == ts("2023-05-12 01:02:10.5")


def test_dump_channels():
    t = by_id(read_file(DUMP))
    assert t.loc["TSTX55", "channel"] == "1555"
    assert (t.drop(index="TSTX55")["channel"] == "Traffy Fondue").all()


def test_dump_unknown_state_is_kept_and_reported():
    s = read_file(DUMP)
    assert by_id(s).loc["2023-TST008", "status"] == "รอตรวจสอบพิเศษ"
    found = [p for p in s.problems if p.code == "unknown_status"]
    assert [(p.row, p.letter, p.severity) for p in found] == [(10, "M", "warning")]


def test_dump_organisation_chains():
    t = by_id(read_file(DUMP))
    assert t.loc["2023-TST001", ["agency", "unit", "district"]].tolist() == ["สำนักงานเขตสาทร", "ฝ่ายโยธา",
                                                                            "สาทร"]
    assert t.loc["2023-TST003", "other_agencies"] == "สำนักสิ่งแวดล้อม กทม."
    assert t.loc["2023-TST007", "agency"] == "กรุงเทพโปร่งใส" and pd.isna(t.loc["2023-TST007", "district"])
    assert pd.isna(t.loc["2023-TST009", "agency"])  # outside Bangkok, no organisation: left empty


# --- the GeoJSON export --------------------------------------------------------------


def test_geojson_zone_less_timestamps_are_bangkok_time():
    t = by_id(read_file(GEOJSON))
    assert t.loc["TSTG01", "received_at"] == ts("2025-05-06 00:10:09")
    assert t.loc["TSTG01", "forwarded_on"] == ts("2025-05-06")
    assert t.loc["2025-TSTG02", "forwarded_on"] == ts("2025-05-05")  # 23:59:59 stays on 5 May


def test_geojson_states_and_newer_statuses():
    t = by_id(read_file(GEOJSON))
    assert t["status"].to_dict() == {
        "TSTG01": "forwarded", "2025-TSTG02": "acknowledged", "2025-TSTG03": "completed",
        "2025-TSTG04": "irrelevant", "2025-TSTG05": "studying", "2025-TSTG06": "legal",
        "2025-TSTG07": "waiting", "2025-TSTG08": "in_progress",
    }


def test_geojson_malformed_header_and_missing_fields():
    s = read_file(GEOJSON)
    t = by_id(s)
    assert t.loc["TSTG01", "photo_url"].endswith("/g01.jpg")  # "comment photo" holds the photo
    assert t["detail"].isna().all() and t["subject"].isna().all()  # no comment, type is "Point"
    assert pd.isna(t.loc["2025-TSTG04", "photo_url"])  # the platform's placeholder image is no photo
    # no completion date in the export: a closed ticket (เสร็จสิ้น, ไม่เกี่ยวข้อง) is closed on its
    # last_activity, here a copy of the report time (the import summary counts them)
    assert t.loc["2025-TSTG03", "resolved_on"] == pd.Timestamp("2025-05-05")
    assert t.loc["2025-TSTG04", "resolved_on"] == pd.Timestamp("2025-05-05")
    assert pd.isna(t.loc["2025-TSTG02", "resolved_on"])  # acknowledged: still open
    assert {"detail", "subject", "resolved_on"} <= s.not_in_source
    assert t.loc["TSTG01", "channel"] == "1555"
    assert t.loc["2025-TSTG03", "star"] == 5 and t.loc["2025-TSTG03", "reopen_count"] == 1
    assert t.loc["TSTG01", ["lon", "lat"]].tolist() == [100.571, 13.78]
    assert t.loc["2025-TSTG04", "unit"] == "ฝ่ายเทศกิจ"


# --- the web scrape ------------------------------------------------------------------


def test_web_thai_dates_and_times():
    t = by_id(read_file(WEB))
    assert t.loc["2024-TSTW01", "received_at"] == ts("2024-12-09 08:28")  # 9 ธ.ค. 67 08:28 น.
    assert t.loc["2024-TSTW02", "forwarded_on"] == ts("2024-12-06")
    assert t.loc["2022-TSTW03", "received_at"] == ts("2022-10-30 22:10")
    assert (t["status"] == "waiting").all()  # "รอรับเรื่อง 3 นาทีที่แล้ว" without its age


def test_web_reopening_restarts_the_clock():
    t = by_id(read_file(WEB))
    assert t.loc["2024-TSTW02", "reopened_on"] == ts("2024-12-08")
    assert t.loc["2022-TSTW03", "reopened_on"] == ts("2022-11-03")
    assert t["reopened_on"].notna().sum() == 2
    assert t["reopen_count"].isna().all()  # how many times is not in the scrape


def test_web_latest_events_and_take_time():
    s = read_file(WEB)
    ev = s.events
    latest = ev[ev["basis"] == "traffy_web_latest_event"].set_index("complaint_id")
    assert latest.loc["TSTW55", "at"] == ts("2024-12-09 08:31")
    assert latest.loc["TSTW55", "status"] == "in_progress"
    assert latest.loc["2024-TSTW06", "state"] == "ส่งต่อ"
    assert "2024-TSTW01" not in latest.index  # its latest event is the report itself
    # TakeTime 3 days 7 h is shorter than the 3 days 15 h 30 min to the reopening: an earlier change
    earlier = ev[ev["basis"] == "traffy_web_take_time"]
    assert earlier["complaint_id"].tolist() == ["2022-TSTW03"]
    assert earlier["not_before"].iloc[0] == ts("2022-11-03 05:10")
    assert earlier["not_after"].iloc[0] == ts("2022-11-03 06:11")
    assert pd.isna(earlier["state"].iloc[0])
    assert [(p.code, p.row, p.letter) for p in s.problems] == [("took_not_duration", 5, "L")]


def test_web_latest_event_is_kept_when_the_report_date_is_unreadable(tmp_path):
    header = WEB.read_text(encoding="utf-8-sig").splitlines()[0]
    p = tmp_path / "web.csv"
    row = "2024-TSTW07,เมื่อวาน,08:28 น.,รอรับเรื่อง,,ก,เขตบางรัก,ถนน,รอรับเรื่อง,9 ธ.ค. 67,08:28 น.,รอรับเรื่อง"
    p.write_text(f"{header}\n{row}\n", encoding="utf-8")
    s = read_file(p)
    assert [(x.code, x.row) for x in s.problems] == [("date_invalid", 2)]
    latest = s.events[s.events["basis"] == "traffy_web_latest_event"]
    assert latest["complaint_id"].tolist() == ["2024-TSTW07"]  # nothing says it is the report itself
    assert latest["at"].tolist() == [ts("2024-12-09 08:28")]


def test_web_agency_prefers_the_district_where_the_problem_is():
    t = by_id(read_file(WEB))
    row = t.loc["2022-TSTW03"]
    assert row["agency"] == "สำนักงานเขตพระนคร"  # the address says เขตพระนคร
    assert row["other_agencies"] == "ฝ่ายเทศกิจ เขตป้อมปราบศัตรูพ่าย"
    assert t.loc["2024-TSTW02", ["agency", "unit"]].tolist() == ["สำนักงานเขตบางนา", "ฝ่ายโยธา"]
    assert t.loc["TSTW55", "channel"] == "1555" and t.loc["2024-TSTW01", "channel"] == "Traffy Fondue"
    assert t.loc["2024-TSTW01", ["location_district", "subdistrict"]].tolist() == ["ปทุมวัน", "ลุมพินี"]


# --- building blocks -----------------------------------------------------------------


def test_every_extra_state_maps_to_a_canonical_status():
    assert set(EXTRA_STATES.values()) <= set(STATUSES)
    for label in STATUSES.values():  # the list: รอรับเรื่อง … ขั้นตอนทางกฎหมาย
        assert state_code(label) in STATUSES
    assert state_code("ส่งต่อ") == "forwarded" and state_code("เปิดเรื่องใหม่") == "waiting"
    assert state_code("ไม่มีสถานะนี้") is None


def test_split_organization_rules():
    r = split_organization("เขตลาดกระบัง, ฝ่ายโยธา เขตลาดกระบัง, การไฟฟ้านครหลวง เขตลาดกระบัง, เพื่อนชัชชาติ")
    assert (r.agency, r.unit, r.district) == ("สำนักงานเขตลาดกระบัง", "ฝ่ายโยธา", "ลาดกระบัง")
    assert r.other_agencies == "การไฟฟ้านครหลวง เขตลาดกระบัง"  # not a section of the district office
    assert split_organization("สำนักงานเขตบางพลัด").agency == "สำนักงานเขตบางพลัด"
    r = split_organization("สำนักการโยธา กทม.,ฝ่ายโยธา เขตวัฒนา,การไฟฟ้านครหลวง เขตบางเขน")
    assert (r.agency, r.unit, r.other_agencies) == ("สำนักงานเขตวัฒนา", "ฝ่ายโยธา",
                                                    "สำนักการโยธา กทม., การไฟฟ้านครหลวง เขตบางเขน")
    assert split_organization("การไฟฟ้านครหลวง เขตบางเขน").agency == "การไฟฟ้านครหลวง เขตบางเขน"
    assert split_organization("กรุงเทพมหานคร, ร้องทุกข์ กทม. 1555").agency is None
    assert split_organization("").agency is None
    assert len(BANGKOK_DISTRICTS) == len(set(BANGKOK_DISTRICTS)) == 50


@settings(max_examples=200, deadline=None)
@given(st.datetimes(min_value=dt.datetime(2000, 1, 1), max_value=dt.datetime(2030, 12, 31)))
def test_bangkok_timestamps_match_zoneinfo(moment):
    utc = moment.replace(tzinfo=dt.UTC)
    text = utc.strftime("%Y-%m-%d %H:%M:%S.%f") + "+00"
    out, bad = bangkok_timestamps(pd.Series([text, utc.strftime("%Y-%m-%d %H:%M:%S")]))
    expected = utc.astimezone(ZoneInfo("Asia/Bangkok")).replace(tzinfo=None)
    assert out.iloc[0] == pd.Timestamp(expected)
    assert out.iloc[1] == pd.Timestamp(moment.replace(microsecond=0))  # no zone: already Bangkok time
    assert not bad.any()


def test_a_date_without_a_time_has_no_zone():
    """'-11' at the end of 2023-05-11 is the day, not an offset of eleven hours."""
    out, bad = bangkok_timestamps(pd.Series(["2023-05-11", "2023-05-11 08:00:00-03", "2023-05-11T08:00-0330",
                                             "2023-05-12 01:00:00 -03:00"]))
    assert out.tolist() == [ts("2023-05-11 00:00"), ts("2023-05-11 18:00"), ts("2023-05-11 18:30"),
                            ts("2023-05-12 11:00")]
    assert not bad.any()


def test_unreadable_timestamps_are_reported_not_guessed():
    out, bad = bangkok_timestamps(pd.Series(["2023-13-45 10:00:00+00", "", "เมื่อวาน"]))
    assert out.isna().all()
    assert bad.tolist() == [True, False, True]


def test_parse_thai_duration():
    minutes, gran = parse_thai_duration(pd.Series(
        ["ใช้เวลา 51 นาที", "ใช้เวลา 1 ชม. 32 นาที", "ใช้เวลา 8 วัน 19 ชม.", "ใช้เวลา 1 วัน", "รอรับเรื่อง", "ข้อความ"]))
    assert minutes.tolist()[:4] == [51, 92, 8 * 1440 + 19 * 60, 1440]
    assert minutes.iloc[4:].isna().all()
    assert gran.tolist()[:4] == [1, 1, 60, 60]


def test_scan_csv_blank_lines_crlf_and_a_last_line_without_newline(tmp_path):
    p = tmp_path / "x.csv"
    p.write_bytes(b'a,b\r\n1,2\r\n\r\n"x\r\ny",3\r\n4,5,6\r\n7')
    r = scan_csv(p)
    assert r.fields.tolist() == [2, 2, 2, 3, 1]
    assert r.rows.tolist() == [1, 2, 4, 5, 6]  # the blank line is row 3, as a spreadsheet shows it
    assert r.lines.tolist() == [1, 2, 4, 6, 7]


def test_stray_quote_that_breaks_the_record_structure_is_an_error(tmp_path):
    p = tmp_path / "broken.csv"
    p.write_text("ticket_id,state,timestamp,comment\n2023-A,รอรับเรื่อง,2023-05-12 01:00:00+00,a\"b\n"
                 "2023-B,รอรับเรื่อง,2023-05-12 02:00:00+00,c\n", encoding="utf-8")
    with pytest.raises(ValueError, match="do not line up"):
        read_file(p)


def test_empty_file_with_only_a_header(tmp_path):
    p = tmp_path / "empty.csv"
    p.write_text(DUMP.read_text(encoding="utf-8-sig").splitlines()[0] + "\n", encoding="utf-8")
    s = read_file(p)
    assert s.rows_read == 0 and len(s.complaints) == 0 and s.rejections == []
    assert list(s.complaints.columns[:3]) == ["complaint_id", "agency", "unit"]


def test_encoding_is_decided_on_the_text_not_only_the_header(tmp_path):
    """The header is ASCII in either encoding: the Thai text below it decides."""
    text = WEB.read_text(encoding="utf-8-sig")
    cp = tmp_path / "web_cp874.csv"
    cp.write_bytes(text.encode("cp874"))
    assert read_file(cp).complaints["agency"].tolist() == read_file(WEB).complaints["agency"].tolist()
    row = "2024-TSTW09,9 ธ.ค. 67,08:28 น.,รอรับเรื่อง,,ก,ข,ค,รอรับเรื่อง,9 ธ.ค. 67,08:28 น.,รอรับเรื่อง\n"
    mixed = tmp_path / "mixed.csv"  # over 1 MiB of UTF-8, then a Windows-Thai row
    mixed.write_bytes(text.encode("utf-8") + row.encode("utf-8") * 12000 + row.encode("cp874"))
    with pytest.raises(InputError) as err:  # the one text reader: refused naming the line of the Windows-Thai row
        read_file(mixed)
    assert [p.message_en for p in err.value.problems] == [
        "cannot tell the character encoding of the CSV file (neither UTF-8, UTF-16 nor TIS-620/cp874 on line "
        "12,008, byte 2,127,026): save it again as UTF-8"]
    mixed.write_bytes(row.encode("cp874") + text.encode("utf-8"))  # neither encoding fits
    with pytest.raises(InputError) as err:
        read_file(mixed)
    assert [(p.sheet, p.message_en) for p in err.value.problems] == [(
        "mixed.csv", "cannot tell the character encoding of the CSV file (neither UTF-8, UTF-16 nor TIS-620/cp874 "
        "on line 3, byte 225): save it again as UTF-8")]


def test_whitespace_only_lines_are_blank_lines_as_the_csv_reader_skips_them(tmp_path, monkeypatch):
    p = tmp_path / "ws.csv"
    p.write_bytes(b'a,b\n1,2\n  \t\n3,4\n \r\n"  ",5\n   ')
    r = scan_csv(p)
    assert r.fields.tolist() == [2, 2, 2, 2]  # a quoted blank field is a record; spaces alone are not
    assert r.rows.tolist() == [1, 2, 4, 6]
    assert r.lines.tolist() == [1, 2, 4, 6]
    for size in (1, 2, 3, 5):  # records and blank lines cut across the blocks the scan reads
        monkeypatch.setattr(csvsource, "_SCAN_BYTES", size)
        cut = scan_csv(p)
        assert (cut.fields.tolist(), cut.rows.tolist(), cut.lines.tolist()) == (
            r.fields.tolist(), r.rows.tolist(), r.lines.tolist())
    monkeypatch.undo()
    lines = DUMP.read_bytes().split(b"\n")
    spaced = tmp_path / "spaced.csv"  # a line of spaces after the first ticket, tabs at the end
    spaced.write_bytes(b"\n".join([*lines[:2], b"   ", *lines[2:]]) + b"\t \n")
    s, plain = read_file(spaced), read_file(DUMP)
    assert s.rows_read == plain.rows_read == 11
    assert len(s.complaints) == len(plain.complaints) == 8
    assert by_id(s).loc["2023-TST003", "source_row"] == by_id(plain).loc["2023-TST003", "source_row"] + 1
    assert [(r.row, r.line, r.code) for r in s.rejections] == [(7, 9, "missing_id"), (9, 11, "bad_line")]



@settings(max_examples=150, deadline=None)
@given(st.lists(st.sampled_from(["1,2", "", "  ", "\t \t", " \r", "\r", '"a\nb",3', '"  ",4', " x ,5"]),
                max_size=12), st.booleans())
def test_scan_csv_counts_the_records_the_csv_reader_reads(tmp_path_factory, lines, final_newline):
    text = "a,b\n" + "\n".join(lines) + ("\n" if final_newline else "")
    p = tmp_path_factory.mktemp("scan") / "x.csv"
    p.write_bytes(text.encode())
    read = pd.read_csv(p, dtype=str, keep_default_na=False)
    assert len(scan_csv(p).rows) - 1 == len(read)
