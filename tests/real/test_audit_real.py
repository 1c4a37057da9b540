"""An honest audit pack made from each real Traffy Fondue export passes the audit (no false alarm).

The files in ../shared/data/traffy are read in place, never copied (skipped when absent). For each file the
district with the most complaints is imported, packed for the month of its last forwarded complaint, and
audited as it is and after a LibreOffice round trip.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.importers import read_file
from cplkpi.macros.audit import audit_workbook
from cplkpi.office import convert

TRAFFY = Path(os.environ.get("CPLKPI_TRAFFY_DIR",
                            Path(__file__).resolve().parents[3] / "shared" / "data" / "traffy"))
FILES = ("teamchadchart_snapshot_2023-05-12.csv", "geojson_api_snapshot_2025-05-06a.csv", "web_scrape_2024-12-09.csv")

pytestmark = pytest.mark.skipif(
    not all((TRAFFY / f).exists() for f in FILES),
    reason=f"real Traffy Fondue samples not found in {TRAFFY} (see SOURCE.md there; set CPLKPI_TRAFFY_DIR)")

runner = CliRunner()


@pytest.mark.parametrize("name", FILES)
def test_an_honest_pack_of_real_data_passes(name, tmp_path, libreoffice):
    complaints = read_file(TRAFFY / name).complaints
    district = complaints["agency"].value_counts().index[0]
    last = complaints["forwarded_on"].max()
    month = f"{last.year + 543}-{last.month:02d}"  # B.E.
    book, pack = tmp_path / "book.xlsx", tmp_path / "pack.xlsx"
    res = runner.invoke(app, ["import", str(TRAFFY / name), "--district", district, "--out", str(book)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["audit-pack", str(book), "--month", month, "--out", str(pack)])
    assert res.exit_code == 0, res.output
    res = runner.invoke(app, ["audit", str(pack), "--out", str(tmp_path / "out")])
    assert res.exit_code == 0, res.output
    assert "ผลการตรวจ: ผ่าน" in res.output
    for recalc in (True, False):
        again = convert(pack, "xlsx", tmp_path / f"lo_{recalc}", recalc=recalc)
        result = audit_workbook(again)
        assert result.tampering == [], [(f.where, f.code, f.message_en) for f in result.tampering]
