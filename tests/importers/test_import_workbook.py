"""The imported table written as a complaint workbook, the CLI, and the demo path to CPL_R001."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pandas as pd
import pytest
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.importers import import_files
from cplkpi.importers.writer import COMPLAINT_SHEET, COVERAGE_SHEET, EVENTS_SHEET, SUMMARY_SHEET
from cplkpi.reader import read_workbook
from cplkpi.scoring.coverage import Coverage
from cplkpi.scoring.errors import InputError
from cplkpi.scoring.tables import COMPLAINTS, STATUSES

DATA = Path(__file__).parents[1] / "data" / "import"
FILES = [DATA / "traffy_dump.csv", DATA / "traffy_geojson.csv", DATA / "traffy_web.csv"]


@pytest.fixture(scope="module")
def imported():
    return import_files(FILES)


@pytest.fixture(scope="module")
def written(imported, tmp_path_factory):
    return imported.write(tmp_path_factory.mktemp("out") / "complaints.xlsx")


def test_the_workbook_reads_back_as_the_imported_table(imported, written):
    book = read_workbook(written)
    assert set(book.complaints.columns) == set(COMPLAINTS)  # every canonical column found by its Thai header
    assert not book.errors
    # warnings only: the unknown state kept verbatim (closed GeoJSON tickets have their last activity's date)
    assert sorted((p.code, p.severity) for p in book.problems) == [("unknown_status", "warning")]
    back = book.complaints.table.reset_index(drop=True)
    ours = imported.complaints
    assert back["complaint_id"].tolist() == ours["complaint_id"].tolist()
    for col in ("agency", "unit", "channel", "subject", "detail", "status", "result_detail"):
        pd.testing.assert_series_equal(back[col], ours[col].astype("string"), check_names=False,
                                       check_dtype=False)
    for col in ("forwarded_on", "acknowledged_on", "resolved_on", "reopened_on"):
        assert back[col].tolist() == ours[col].tolist(), col
    assert back["received_at"].tolist() == ours["received_at"].dt.floor("s").tolist()
    assert back["has_evidence"].tolist() == ours["has_evidence"].tolist()
    assert back["reopen_count"].tolist() == ours["reopen_count"].tolist()


def test_citizen_text_is_never_a_formula(written):
    from openpyxl import load_workbook

    ws = load_workbook(written)[COMPLAINT_SHEET]
    headers = [c.value for c in ws[1]]
    detail = headers.index(COMPLAINTS["detail"].label_th) + 1
    cells = {c.value: c for c in (ws.cell(row=r, column=detail) for r in range(2, ws.max_row + 1))}
    risky = {v: c for v, c in cells.items() if isinstance(v, str) and v[:1] in "=+-@"}
    assert set(risky) == {"=1+1 ผู้ร้องแจ้งว่ามีเสียงดัง\n#1555", "@SUM(A1) ถนนยุบเป็นหลุม",
                          "-5 บาทต่อครั้ง เรียกเก็บเงินที่จอดรถ", "+66 81 000 0000 โทรกลับด้วย", "+ เพิ่มเติม: สายไฟห้อยต่ำ"}
    for value, cell in risky.items():
        assert cell.data_type == "s", value
        assert cell.quotePrefix
    status = headers.index(COMPLAINTS["status"].label_th) + 1
    labels = {ws.cell(row=r, column=status).value for r in range(2, ws.max_row + 1)}
    assert labels <= set(STATUSES.values()) | {"รอตรวจสอบพิเศษ"}  # Thai labels; the unknown state verbatim


def test_events_and_summary_sheets(written, imported):
    from openpyxl import load_workbook

    wb = load_workbook(written)
    assert wb.sheetnames == [COMPLAINT_SHEET, EVENTS_SHEET, SUMMARY_SHEET, COVERAGE_SHEET]
    # the latest snapshot (the GeoJSON export) and the first report day of all the files
    cov = [[c for c in row if c is not None] for row in wb[COVERAGE_SHEET].iter_rows(values_only=True)]
    assert cov == [["ข้อมูล ณ (snapshot time)", dt.datetime(2025, 5, 6, 3, 40)],
                   ["ข้อมูลตั้งแต่วันที่ (data from)", dt.datetime(2022, 10, 30)],
                   ["ข้อมูลถึงวันที่ (data to)", dt.datetime(2025, 5, 6)], [],
                   ["ข้อมูลครอบคลุม 30 ต.ค. 2565 – 6 พ.ค. 2568 (ข้อมูล ณ 6 พ.ค. 2568 03:40 น.)"]]
    assert read_workbook(written).coverage == Coverage(pd.Timestamp("2025-05-06 03:40"), dt.date(2022, 10, 30),
                                                       dt.date(2025, 5, 6))
    assert wb[EVENTS_SHEET].max_row == len(imported.events) + 1
    summary = [[c for c in row if c is not None] for row in wb[SUMMARY_SHEET].iter_rows(values_only=True)]
    assert ["แถวที่อ่านทั้งหมด (rows read)", 25] in summary
    assert ["แถวที่ปฏิเสธ (rows rejected)", 2] in summary
    assert ["เรื่องร้องเรียนในตาราง (complaints in the table)", 22] in summary
    assert any(row[:2] == ["traffy_dump.csv", 6] for row in summary)  # the rejected row, with its line 8
    assert any(row[:3] == ["traffy_dump.csv", 6, 8] for row in summary)


def test_an_input_file_is_never_overwritten(tmp_path):
    src = tmp_path / "traffy_dump.csv"
    shutil.copy(FILES[0], src)
    before = src.read_bytes()
    result = import_files([src])
    link = tmp_path / "link.xlsx"
    link.hardlink_to(src)  # another name of the same file
    for target in (src, link):
        with pytest.raises(InputError, match="never overwrites a source"):
            result.write(target)
    assert src.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.xlsx", "traffy_dump.csv"]  # no temporary file


def test_cli_import(tmp_path):
    out = tmp_path / "sathon.xlsx"
    res = CliRunner().invoke(app, ["import", *map(str, FILES), "--out", str(out), "--district", "เขตสาทร"])
    assert res.exit_code == 0, res.output
    assert "นำเข้าแล้ว (imported)" in res.output
    t = read_workbook(out).complaints.table
    assert t["complaint_id"].tolist() == ["2023-TST002", "2023-TST001"]  # ordered by report time
    assert set(t["agency"]) == {"สำนักงานเขตสาทร"}


def test_cli_refuses_a_bad_district_and_an_input_as_output(tmp_path):
    runner = CliRunner()
    res = runner.invoke(app, ["import", str(FILES[0]), "--out", str(tmp_path / "x.xlsx"),
                              "--district", "เขตไม่มี"])
    assert res.exit_code != 0
    copy = tmp_path / "dump.xlsx"
    shutil.copy(FILES[0], copy)
    res = runner.invoke(app, ["import", str(copy), "--out", str(copy)])
    assert res.exit_code == 1 and copy.read_bytes() == FILES[0].read_bytes()
    assert "never overwrites a source" in res.output  # as every command says it


def test_demo_path_import_then_cpl_r001(tmp_path):
    """Import a Traffy file for one district and fill CPL_R001: the open complaints of that district."""
    from openpyxl import load_workbook

    out = tmp_path / "bangrak.xlsx"
    reports = tmp_path / "reports"
    res = CliRunner().invoke(app, ["import", str(FILES[0]), "--district", "เขตบางรัก", "--out", str(out),
                                   "--report-month", "2566-05", "--report-dir", str(reports), "--no-pdf"])
    assert res.exit_code == 0, res.output
    r001 = reports / "CPL_R001_2566-05.xlsx"
    assert r001.exists() and (reports / "CPL_R003_2566-05.xlsx").exists()
    ws = load_workbook(r001).active
    values = [[v for v in row if v is not None] for row in ws.iter_rows(values_only=True)]
    assert ["หน่วยงาน", "สำนักงานเขตบางรัก", "ปีงบประมาณ พ.ศ.", 2566] in values
    # the one Bang Rak ticket was completed on 13 May 2566: nothing is pending at the end of May
    ids = {v for row in values for v in row if isinstance(v, str) and v.startswith("2023-")}
    assert ids == set()

    out2 = tmp_path / "sathon.xlsx"
    res = CliRunner().invoke(app, ["import", str(FILES[0]), "--district", "เขตสาทร", "--out", str(out2),
                                   "--report-month", "2566-05", "--report-dir", str(reports), "--no-pdf"])
    assert res.exit_code == 0, res.output
    ws = load_workbook(reports / "CPL_R001_2566-05.xlsx").active
    ids = {v for row in ws.iter_rows(values_only=True) for v in row
           if isinstance(v, str) and v.startswith("2023-")}
    assert ids == {"2023-TST001", "2023-TST002"}  # both Sathon tickets are still open


def test_report_month_needs_one_agency(tmp_path):
    res = CliRunner().invoke(app, ["import", str(FILES[0]), "--out", str(tmp_path / "all.xlsx"),
                                   "--report-month", "2566-05", "--no-pdf"])
    assert res.exit_code == 1
    assert "--district" in res.output
