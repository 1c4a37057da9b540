"""A district's whole day on each real Traffy Fondue file (issue 11): import one district, overdue,
score with explanations, reports with PDF, audit-pack, audit — through the command line, as staff run it.

The files are read in place from ../shared/data/traffy (never copied); the tests are skipped with the
reason when they are absent. They assert what a person reads: counts, the coverage line, statuses,
scores, the reports' cells. Slow (LibreOffice renders six PDFs and recalculates the reports): marked
``slow`` and ``libreoffice``; both run in CI.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.reader import read_workbook
from cplkpi.templates import layout

TRAFFY = Path(os.environ.get("CPLKPI_TRAFFY_DIR",
                            Path(__file__).resolve().parents[3] / "shared" / "data" / "traffy"))

runner = CliRunner()
ENV = {"COLUMNS": "250"}


@dataclass(frozen=True)
class Case:
    """One real file, the district whose day is run, and what staff must read."""

    file: str
    district: str
    month: str                     # the report month (B.E.)
    imported: str                  # the import's last line
    coverage: str                  # the coverage line every summary prints
    snapshot_day: dt.date
    counts: str                    # overdue's count line
    listed: int                    # complaints in the overdue list (= CPL_R001 rows)
    closed: tuple[str, ...]        # closed tickets of the district: never listed
    projected: tuple[float, float]  # nothing more done / every listed complaint handled
    top_points: float
    total: str                     # the score's total
    r003_status: tuple[str | None, ...]  # CPL_R003 column K, October to September
    source_states: dict[str, int] = field(default_factory=dict)  # CPL_R001 column M
    missing: tuple[str, ...] = ()  # months whose summary counts as missing (due before the snapshot day)
    #: CPL_R001 lists every open complaint, the overdue list those overdue or due soon (None: the same);
    #: a state past acknowledgement waits for its first report, not yet due soon (issue 11 defect 3)
    r001_rows: int | None = None
    r001_states: dict[str, int] | None = None


CASES = [
    Case("teamchadchart_snapshot_2023-05-12.csv", "เขตบางพลัด", "2566-05",
         "นำเข้าแล้ว (imported) 53 เรื่อง จาก 1,000 แถว (ปฏิเสธ rejected 12)",
         "ข้อมูลครอบคลุม 11–12 พ.ค. 2566 (ข้อมูล ณ 12 พ.ค. 2566 20:34 น.)", dt.date(2023, 5, 12),
         "เกินกำหนด (overdue) 0  ใกล้ครบกำหนด (due soon) 11", 11,
         ("2023-MGCTCM", "2023-38VBU3", "2023-9LPNNG", "CDAVBE"), (1.0589, 1.2773), 0.0199, "2.1589",
         (layout.REPORT_NO_DATA,) * 7 + (layout.REPORT_NOT_DUE,) + (None,) * 4,
         {"รอรับเรื่อง": 11}, r001_rows=49, r001_states={"กำลังดำเนินการ": 38, "รอรับเรื่อง": 11}),
    Case("geojson_api_snapshot_2025-05-06a.csv", "เขตบางพลัด", "2568-05",
         "นำเข้าแล้ว (imported) 30 เรื่อง จาก 1,000 แถว (ปฏิเสธ rejected 0)",
         "ข้อมูลครอบคลุม 5–6 พ.ค. 2568 (ข้อมูล ณ 6 พ.ค. 2568 03:46 น.)", dt.date(2025, 5, 6),
         "เกินกำหนด (overdue) 0  ใกล้ครบกำหนด (due soon) 15", 15,
         ("2025-HM9LD3", "2025-G3Y8ME", "2025-F6R2AZ", "2025-4G3LH4", "2025-9PTRBH", "2025-898C3N",
          "2025-9FY9JN"), (1.3211, 1.9175), 0.1052, "2.4912",
         (layout.REPORT_NO_DATA,) * 7 + (layout.REPORT_NOT_DUE,) + (None,) * 4,
         {"ส่งต่อ(ใหม่)": 15}, r001_rows=23,
         r001_states={"ส่งต่อ(ใหม่)": 15, "กำลังดำเนินการ": 7, "รับเรื่อง": 1}),
    Case("web_scrape_2024-12-09.csv", "เขตบางนา", "2567-12",
         "นำเข้าแล้ว (imported) 85 เรื่อง จาก 811 แถว (ปฏิเสธ rejected 0)",
         "ข้อมูลครอบคลุม 11 มิ.ย. 2565 – 9 ธ.ค. 2567 (ข้อมูล ณ 9 ธ.ค. 2567 08:41 น.)", dt.date(2024, 12, 9),
         "เกินกำหนด (overdue) 72  ใกล้ครบกำหนด (due soon) 13", 85, (), (0.7, 1.4202), 0.0554, "1.6202",
         # the scrape holds tickets since 2565: every month of FY 2568 has data; October's summary was due
         # 10 Nov 2567, before the snapshot; November's is due 10 Dec 2567, after it
         (layout.REPORT_MISSING, layout.REPORT_NOT_DUE, layout.REPORT_NOT_DUE) + (None,) * 9,
         {"รอรับเรื่อง": 85}, ("ต.ค. 2567",)),
]


@dataclass
class Day:
    """What each step of the day printed and wrote."""

    case: Case
    out: Path
    outputs: dict[str, str] = field(default_factory=dict)


def _run(day: Day, name: str, args: list[str]) -> str:
    res = runner.invoke(app, args, env=ENV)
    assert res.exit_code == 0, f"{name}: {res.output}"
    day.outputs[name] = res.output
    return res.output


@pytest.fixture(scope="module", params=CASES, ids=[c.file.split("_")[0] for c in CASES])
def day(request, tmp_path_factory, libreoffice) -> Day:
    case: Case = request.param
    src = TRAFFY / case.file
    if not src.exists():
        pytest.skip(f"real Traffy Fondue sample {src.name} not found in {TRAFFY} (see SOURCE.md; set CPLKPI_TRAFFY_DIR)")
    d = Day(case, tmp_path_factory.mktemp("day"))
    o = d.out
    _run(d, "import", ["import", str(src), "--district", case.district, "--out", str(o / "district.xlsx")])
    _run(d, "overdue", ["overdue", str(o / "district.xlsx"), "--out", str(o / "overdue.csv")])
    _run(d, "score", ["score", str(o / "district.xlsx"), "--explain", str(o / "why.xlsx")])
    _run(d, "report", ["report", str(o / "district.xlsx"), "--month", case.month, "--out", str(o / "reports")])
    _run(d, "audit-pack", ["audit-pack", str(o / "district.xlsx"), "--month", case.month,
                           "--out", str(o / "pack.xlsx")])
    _run(d, "audit", ["audit", str(o / "pack.xlsx"), "--out", str(o / "audit")])
    return d


pytestmark = [pytest.mark.slow, pytest.mark.libreoffice]


def test_import_states_the_coverage(day):
    c = day.case
    assert c.imported in day.outputs["import"]
    assert c.coverage in day.outputs["import"]
    book = read_workbook(day.out / "district.xlsx")
    assert book.coverage.end == c.snapshot_day
    assert book.agency == f"สำนักงาน{c.district}"


def test_overdue_lists_open_work_only_with_points_at_stake(day):
    c = day.case
    out = day.outputs["overdue"]
    assert f"เรื่องที่ต้องเร่งรัด ณ {_thai(c.snapshot_day)}" in out  # the snapshot day, not today
    assert c.coverage in out and c.counts in out
    listed = pd.read_csv(day.out / "overdue.csv", encoding="utf-8-sig", dtype=str)
    assert len(listed) == c.listed
    assert not set(c.closed) & set(listed["เลขที่เรื่อง (complaint id)"])
    assert listed["สถานะตามต้นทาง (source status)"].value_counts().to_dict() == c.source_states
    points = listed["คะแนนที่ได้คืน (points at stake)"].astype(float)
    assert points.iloc[0] == c.top_points and points.is_monotonic_decreasing
    nothing, handled = c.projected
    assert (f"ถ้าไม่ดำเนินการใดเพิ่ม {nothing:.4f} / ถ้าทุกเรื่องในรายการดำเนินการขั้นถัดไปวันนี้และขั้นต่อไปตามกำหนด "
            f"{handled:.4f} จาก 5 คะแนน") in " ".join(out.split())
    assert "<NA>" not in out and "nan" not in out.lower().replace("nanosecond", "")


def test_score_as_of_the_snapshot_day_with_explanations(day):
    c = day.case
    out = day.outputs["score"]
    assert f"ณ วันที่ (as of) {_thai(c.snapshot_day)}" in out and c.coverage in out
    assert f"│        {c.total} │" in out
    # a month without data is never a missing report; a month with data whose summary was due is
    assert [line.split("│")[2].strip() for line in out.splitlines()
            if line.startswith("│ ไม่ส่งรายงานประจำเดือน")] == list(c.missing)
    assert (day.out / "why.xlsx").exists()


def test_reports_with_pdfs_state_the_coverage_and_recalculate(day, tmp_path):
    from builders import assert_recalculates_to_cache

    c = day.case
    out = day.outputs["report"]
    assert c.coverage in out and "ไม่พบข้อผิดพลาด" in out
    folder = day.out / "reports"
    code = c.month
    for name in (f"CPL_R001_{code}.xlsx", f"CPL_R003_{code}.xlsx", f"CPL_R001_{code}.pdf", f"CPL_R003_{code}.pdf",
                 f"CPL_narrative_{code}.txt"):
        assert (folder / name).stat().st_size > 0, name
    r001 = load_workbook(folder / f"CPL_R001_{code}.xlsx", data_only=True)[layout.R001_SHEET]
    first = layout.R001_FIRST_ROW
    rows = c.listed if c.r001_rows is None else c.r001_rows
    ids = [r001[f"B{r}"].value for r in range(first, first + rows)]
    assert len(ids) == rows and None not in ids and not set(c.closed) & set(ids)
    assert r001[f"B{first + rows}"].value is None
    assert pd.Series([r001[f"M{r}"].value for r in range(first, first + rows)]).value_counts().to_dict() \
        == (c.source_states if c.r001_states is None else c.r001_states)
    assert r001[layout.R001_NAMES["R001_DATA_TO"]].value.date() == c.snapshot_day
    r003 = load_workbook(folder / f"CPL_R003_{code}.xlsx", data_only=True)[layout.R003_SHEET]
    assert tuple(r003[f"K{r}"].value for r in layout.MONTH_ROWS) == c.r003_status
    memo = (folder / f"CPL_narrative_{code}.txt").read_text("utf-8-sig")
    assert f"ดังนี้ ({c.coverage} เดือนที่อยู่นอกช่วงนี้ไม่มีข้อมูล)" in memo
    # LibreOffice computes every formula (ไม่มีข้อมูล included) as the engine did
    assert_recalculates_to_cache(folder / f"CPL_R003_{code}.xlsx", tmp_path)


def test_audit_of_the_pack_recomputes_the_same_score(day):
    c = day.case
    assert (day.out / "pack.xlsx").exists()
    out = day.outputs["audit"]
    assert c.coverage in out and f"│        {c.total} │" in out
    assert list((day.out / "audit").glob("*.xlsx"))


def _thai(day: dt.date) -> str:
    from cplkpi.scoring.thaidate import format_thai_date

    return format_thai_date(day)
