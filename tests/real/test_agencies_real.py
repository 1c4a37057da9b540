"""A whole-Bangkok import of a real Traffy Fondue dump through score, report --all-agencies and the refusal
(issue 11 item 2). The dump in ../shared/data/traffy is read in place, never copied; skipped when absent.

The dump (teamchadchart_snapshot_2023-05-12.csv, SOURCE.md there) holds 988 tickets of 53 agencies
(4 name none); the figures asserted are counts and ids, no citizen text.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.importers import import_files
from cplkpi.reader import read_workbook
from cplkpi.templates import layout

TRAFFY = Path(os.environ.get("CPLKPI_TRAFFY_DIR",
                            Path(__file__).resolve().parents[3] / "shared" / "data" / "traffy"))
DUMP = TRAFFY / "teamchadchart_snapshot_2023-05-12.csv"

pytestmark = pytest.mark.skipif(
    not DUMP.exists(), reason=f"real Traffy Fondue dump not found: {DUMP} (see SOURCE.md there; set CPLKPI_TRAFFY_DIR)")

runner = CliRunner()
WIDE = {"COLUMNS": "200"}


@pytest.fixture(scope="module")
def bangkok(tmp_path_factory) -> Path:
    """The whole dump imported without a district filter: every agency in one workbook."""
    out = tmp_path_factory.mktemp("bangkok") / "ทั้งกรุงเทพ.xlsx"
    import_files([DUMP]).write(out)
    return out


def test_the_import_holds_many_agencies(bangkok):
    book = read_workbook(bangkok)
    counts = book.agency_counts()
    assert len(book.complaints.table) == 988 and len(counts) == 53 and sum(counts.values()) == 984
    assert list(counts.items())[:2] == [("สำนักงานเขตบางพลัด", 53), ("สำนักงานเขตจตุจักร", 45)]
    assert counts["สำนักงานเขตสาทร"] == 22
    # every count of one agency is its own rows only
    sathon = book.for_agency("เขตสาทร")
    assert len(sathon.complaints.table) == 22 and sathon.agency_counts() == {"สำนักงานเขตสาทร": 22}


def test_score_one_row_per_agency(bangkok):
    res = runner.invoke(app, ["score", str(bangkok), "--as-of", "2566-05-12"], env=WIDE)
    assert res.exit_code == 0, res.output
    assert "53 หน่วยงาน (agencies) ผลการประเมินปีงบประมาณ 2566" in res.output
    rows = [re.sub(r"\s+", " ", line).strip() for line in res.output.splitlines()]
    ranked = [r for r in rows if re.match(r"^\d+ \S.* \d+ \d\.\d{4} \d\.\d{4} \d\.\d{4} \d\.\d{4}$", r)]
    assert len(ranked) == 53
    assert [int(r.split()[0]) for r in ranked] == list(range(1, 54))
    assert sum(int(r.split()[-5]) for r in ranked) == 984  # each agency's complaints, none counted twice
    totals = [float(r.split()[-1]) for r in ranked]
    assert totals == sorted(totals, reverse=True)
    assert "4 เรื่องไม่ระบุหน่วยงาน ไม่ได้นับในหน่วยงานใด" in res.output
    one = runner.invoke(app, ["score", str(bangkok), "--as-of", "2566-05-12", "--agency", "สำนักงานเขต สาทร"], env=WIDE)
    assert one.exit_code == 0, one.output
    sathon = next(r for r in ranked if " สำนักงานเขตสาทร " in f" {r} ")
    assert sathon.split()[-1] in one.output  # the agency's own total, the same in both views


def test_report_refuses_then_fills_one_folder_per_agency(bangkok, tmp_path):
    out = tmp_path / "reports"
    refused = runner.invoke(app, ["report", str(bangkok), "--month", "2566-05", "--out", str(out), "--no-pdf"],
                            env=WIDE)
    assert refused.exit_code == 1
    assert "ไฟล์นี้มีเรื่องของ 53 หน่วยงาน" in refused.output
    assert "  สำนักงานเขตบางพลัด: 53 เรื่อง\n  สำนักงานเขตจตุจักร: 45 เรื่อง\n" in refused.output
    assert "  ไม่ระบุหน่วยงาน (no agency): 4 เรื่อง" in refused.output
    assert not out.exists()
    res = runner.invoke(app, ["report", str(bangkok), "--month", "2566-05", "--as-of", "2566-05-12", "--out", str(out),
                              "--no-pdf", "--all-agencies"], env=WIDE)
    assert res.exit_code == 0, res.output
    folders = sorted(p for p in out.iterdir())
    assert len(folders) == 53
    counts = read_workbook(bangkok).agency_counts()
    for folder in folders:
        ws = load_workbook(folder / "CPL_R003_2566-05.xlsx", data_only=True)[layout.R003_SHEET]
        agency = ws[layout.R003_NAMES["R003_AGENCY"]].value
        assert folder.name == agency.rstrip(".")
        assert ws[layout.R003_NAMES["R003_RECEIVED_FYTD"]].value == counts[agency]
        assert (folder / "CPL_R001_2566-05.xlsx").exists() and (folder / "CPL_narrative_2566-05.txt").exists()
    memo = (out / "สำนักงานเขตจตุจักร" / "CPL_narrative_2566-05.txt").read_text(encoding="utf-8-sig")
    assert "เรียน  ผู้อำนวยการเขตจตุจักร" in memo and "จำนวน 45 เรื่อง" in memo
