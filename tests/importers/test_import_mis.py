"""MIS/1555 exports with Thai headers (a synthetic .xlsx written here, and the same as .csv)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from builders import HEADER, ROWS, write_mis

from cplkpi.importers import MIS_ALIASES, MIS_EXTRA, detect_format, read_file, read_mis
from cplkpi.importers.mis import MIS_SPEC
from cplkpi.scoring.errors import InputError
from cplkpi.scoring.tables import COMPLAINTS, header_key


@pytest.fixture()
def mis_path(tmp_path):
    return write_mis(tmp_path / "mis_export.xlsx")


def test_mis_xlsx_is_read_by_header_names(mis_path):
    assert detect_format(mis_path) == "mis"
    s = read_file(mis_path)
    assert s.format == "mis" and s.rows_read == 4
    t = s.complaints.set_index("complaint_id")
    assert list(t.index) == ["6302-0001", "6302-0002", "6302-0004"]
    assert t.loc["6302-0001", "received_at"] == pd.Timestamp("2019-10-01 08:15")
    assert t.loc["6302-0002", "received_at"] == pd.Timestamp("2019-10-03 23:40")
    assert t.loc["6302-0001", "forwarded_on"] == pd.Timestamp("2019-10-01")
    assert t.loc["6302-0002", "forwarded_on"] == pd.Timestamp("2019-10-03")  # "3 ต.ค. 62"
    assert t.loc["6302-0001", "acknowledged_on"] == pd.Timestamp("2019-10-02")
    assert t.loc["6302-0001", "resolved_on"] == pd.Timestamp("2019-10-15")
    assert t.loc["6302-0001", "result_detail"] == "ซ่อมไฟแล้ว"
    assert t.loc["6302-0001", "channel"] == "1555"
    assert t.loc["6302-0002", "detail"] == "=cmd|' /C calc'!A0"  # text, read as text


def test_mis_states_agencies_and_location(mis_path):
    t = read_file(mis_path).complaints.set_index("complaint_id")
    assert t["status"].to_dict() == {"6302-0001": "completed", "6302-0002": "in_progress",
                                     "6302-0004": "รอตรวจสอบ"}
    assert t.loc["6302-0001", ["agency", "unit", "district"]].tolist() == ["สำนักงานเขตบางกอกน้อย", "ฝ่ายโยธา",
                                                                          "บางกอกน้อย"]
    assert t.loc["6302-0002", "agency"] == "สำนักงานเขตบางกอกน้อย"
    assert t.loc["6302-0004", "agency"] == "สำนักการระบายน้ำ" and pd.isna(t.loc["6302-0004", "district"])
    where = t.loc["6302-0001", ["location_district", "subdistrict", "address"]].tolist()
    assert where == ["บางกอกน้อย", "ศิริราช", "ซอยสมมุติ 1"]


def test_mis_rejections_and_problems_name_sheet_row_and_column(mis_path):
    s = read_file(mis_path)
    assert [(r.row, r.code) for r in s.rejections] == [(6, "missing_id")]  # Excel row 6
    bad_date = [p for p in s.problems if p.code.startswith("date")]
    assert [(p.sheet, p.row, p.letter, p.column) for p in bad_date] == [
        ("[mis_export.xlsx]รายงาน", 7, "I", "วันที่ส่งหน่วยงาน")]
    unknown = [p for p in s.problems if p.code == "unknown_status"]
    assert [(p.row, p.letter, p.severity) for p in unknown] == [(7, "L", "warning")]
    assert "acknowledged_on" not in s.not_in_source and "reopened_on" in s.not_in_source


def test_mis_csv_export_is_read_the_same(tmp_path, mis_path):
    frame = pd.DataFrame(ROWS, columns=HEADER).astype(object)
    frame.iloc[1, 2] = "3 ต.ค. 2562 23:40"
    frame.iloc[0, 8] = "1/10/2562"
    csv_path = tmp_path / "mis_export.csv"
    frame.to_csv(csv_path, index=False, encoding="utf-8-sig")
    assert detect_format(csv_path) == "mis"
    a = read_mis(mis_path).complaints.set_index("complaint_id")
    b = read_file(csv_path).complaints.set_index("complaint_id")
    for col in ("received_at", "forwarded_on", "acknowledged_on", "resolved_on", "status", "agency",
                "detail"):
        pd.testing.assert_series_equal(a[col], b[col], check_names=False)


def test_a_sheet_without_an_id_column_is_refused(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["หัวข้อ", "วันที่ร้องทุกข์"])
    wb.active.append(["ไฟดับ", "1 ต.ค. 2562"])
    wb.save(tmp_path / "no_id.xlsx")
    with pytest.raises(InputError):
        read_file(tmp_path / "no_id.xlsx")


def test_mis_aliases_do_not_collide():
    """Every accepted header names exactly one column (engine aliases included)."""
    owner: dict[str, str] = {}
    for col in MIS_SPEC.values():
        for alias in {header_key(a) for a in (col.name, col.label_th, *col.aliases)}:
            assert owner.setdefault(alias, col.name) == col.name, alias
    assert set(MIS_ALIASES) <= set(COMPLAINTS)
    assert set(MIS_EXTRA) == {"location_district", "subdistrict", "address"}


def test_the_documentation_lists_every_accepted_header_and_state():
    from cplkpi.importers import EXTRA_STATES

    doc = (Path(__file__).resolve().parents[2] / "docs" / "import.md").read_text(encoding="utf-8")
    for col in MIS_SPEC.values():
        for alias in col.aliases:
            assert alias in doc, alias
    for state in EXTRA_STATES:
        assert state in doc, state
