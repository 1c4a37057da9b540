"""Many agencies in one workbook (issue 11 item 2) and texts that match their numbers (items 5, 6).

A small synthetic workbook of fiscal year 2566 holds three agencies, the district written three ways
(เขตสาทร, สำนักงานเขต สาทร, " สำนักงานเขตสาทร "), and one complaint naming no agency; every
command either works on one agency (--agency), on each (score, --all-agencies), or refuses with the
agencies listed.
"""

from __future__ import annotations

import datetime as _dt
import re
from pathlib import Path

import pytest
from builders import many_agency_workbook
from openpyxl import load_workbook
from typer.testing import CliRunner

from cplkpi.cli import app
from cplkpi.reader import AgencyChoiceError, agency_key, one_agency, read_workbook
from cplkpi.scoring.errors import CplError
from cplkpi.templates import layout

D = _dt.date
runner = CliRunner()
WIDE = {"COLUMNS": "80"}  # what staff have: every figure asserted must fit 80 columns

#: What the refusal lists for the synthetic workbook, most complaints first.
LISTED = ("หน่วยงานในไฟล์ (agencies in the file):\n"
          "  สำนักงานเขตสาทร: 3 เรื่อง\n"
          "  สำนักงานเขตบางรัก: 2 เรื่อง\n"
          "  สำนักการโยธา: 1 เรื่อง\n"
          "  ไม่ระบุหน่วยงาน (no agency): 1 เรื่อง")


@pytest.fixture()
def many(tmp_path) -> Path:
    return many_agency_workbook(tmp_path / "ทั้งกรุงเทพ.xlsx")


@pytest.mark.parametrize(("written", "key"), [
    ("เขตสาทร", "สำนักงานเขตสาทร"), ("สำนักงานเขต สาทร", "สำนักงานเขตสาทร"), ("  สาทร ", "สำนักงานเขตสาทร"),
    ("สำนักงานเขตสาทร", "สำนักงานเขตสาทร"), ("สำนักการโยธา  กทม.", "สำนักการโยธา กทม."), (None, ""), ("  ", ""),
])
def test_agency_names_as_staff_write_them(written, key):
    assert agency_key(written) == key


def test_one_agency_narrows_every_sheet(many):
    book = read_workbook(many)
    assert book.problems == []  # the two agencies' April summaries are not duplicates
    assert book.agency_counts() == {"สำนักงานเขตสาทร": 3, "สำนักงานเขตบางรัก": 2, "สำนักการโยธา": 1}
    sathon = book.for_agency("เขต สาทร")
    assert sathon.agency == "สำนักงานเขตสาทร"
    assert list(sathon.complaints.table["complaint_id"]) == ["S1", "S2", "S3"]
    assert list(sathon.progress.table["complaint_id"]) == ["S2"]
    assert list(sathon.monthly_reports.table["sent_on"].dt.date) == [D(2023, 5, 8)]
    assert [b.agency for b in book.by_agency()] == ["สำนักงานเขตสาทร", "สำนักงานเขตบางรัก", "สำนักการโยธา"]
    with pytest.raises(AgencyChoiceError) as exc:
        book.for_agency("เขตบางนา")
    assert str(exc.value).startswith("ไม่พบหน่วยงาน เขตบางนา ในไฟล์\n(no complaint of agency 'เขตบางนา' in the file):")
    with pytest.raises(CplError) as exc:
        one_agency(book)
    # issue 11 defect 9: one line per part, each fitting 80 columns (it was one 261-column line)
    assert str(exc.value) == (
        "ไฟล์นี้มีเรื่องของ 3 หน่วยงาน แต่รายงานนี้เป็นของหน่วยงานเดียว\n"
        "(the file holds 3 agencies' complaints, this job is for one agency):\n"
        "ระบุ --agency ชื่อหน่วยงาน หรือ --all-agencies ทำทุกหน่วยงาน\n"
        "(choose one with --agency NAME, or every agency with --all-agencies)\n" + LISTED)


def test_overdue_refuses_a_many_agency_workbook_and_lists_one_agencys_work(many, tmp_path):
    """Issue 11 defect 2: a work list is one agency's; without --agency the agencies are listed."""
    out = tmp_path / "o.xlsx"
    res = runner.invoke(app, ["overdue", str(many), "--as-of", "2566-05-31", "--out", str(out)], env=WIDE)
    assert res.exit_code == 1
    assert res.output.startswith("ข้อผิดพลาด (error): ไฟล์นี้มีเรื่องของ 3 หน่วยงาน แต่รายงานนี้เป็นของหน่วยงานเดียว\n"
                                 "(the file holds 3 agencies' complaints, this job is for one agency):\n"
                                 "ระบุ --agency ชื่อหน่วยงาน\n(choose one with --agency NAME)\n" + LISTED)
    assert not out.exists()
    res = runner.invoke(app, ["overdue", str(many), "--as-of", "2566-05-31", "--agency", "บางรัก"], env=WIDE)
    assert res.exit_code == 0, res.output
    assert "B2" in res.output and "S2" not in res.output and "Y1" not in res.output


def test_the_refusal_fits_80_columns(many):
    """Issue 11 defect 9: the refusal printed by a command fits the 80 columns staff have."""
    from rich.cells import cell_len

    res = runner.invoke(app, ["report", str(many), "--month", "2566-05", "--no-pdf"], env=WIDE)
    assert res.exit_code == 1
    lines = res.output.splitlines()
    assert lines[0] == "ข้อผิดพลาด (error): ไฟล์นี้มีเรื่องของ 3 หน่วยงาน แต่รายงานนี้เป็นของหน่วยงานเดียว"
    assert max(cell_len(line) for line in lines) <= 80


def test_score_gives_the_committee_one_row_per_agency(many, tmp_path):
    why = tmp_path / "why.csv"
    res = runner.invoke(app, ["score", str(many), "--as-of", "2566-05-31", "--explain", str(why)], env=WIDE)
    assert res.exit_code == 0, res.output
    assert "3 หน่วยงาน (agencies) ผลการประเมินปีงบประมาณ 2566 (scored fiscal year 2566)" in res.output
    rows = [re.sub(r"\s+", " ", line).strip() for line in res.output.splitlines()]
    assert "1 สำนักงานเขตบางรัก 2 0.5263 1.5789 0.3000 2.4052" in rows
    assert "2 สำนักงานเขตสาทร 3 0.3508 1.0525 0.4000 1.8033" in rows
    assert "3 สำนักการโยธา 1 0.0000 0.0000 0.3000 0.3000" in rows
    assert "1 เรื่องไม่ระบุหน่วยงาน ไม่ได้นับในหน่วยงานใด" in res.output
    import pandas as pd

    table = pd.read_csv(why, encoding="utf-8-sig")
    assert table.columns[0] == "หน่วยงาน (agency)"
    rows = table[table["แถว (row)"].notna()]  # per complaint: 3 per-complaint components each
    assert rows.groupby("หน่วยงาน (agency)")["เลขที่เรื่อง (complaint id)"].nunique().to_dict() == {
        "สำนักงานเขตสาทร": 3, "สำนักงานเขตบางรัก": 2, "สำนักการโยธา": 1}


def test_score_of_one_agency_shows_not_yet_due_and_step_3_as_it_is(many, tmp_path):
    out = tmp_path / "คำอธิบาย.xlsx"
    res = runner.invoke(app, ["score", str(many), "--as-of", "2566-05-31", "--agency", "สำนักงานเขต  สาทร",
                              "--explain", str(out)], env=WIDE)
    assert res.exit_code == 0, res.output
    assert "สำนักงานเขตสาทร ผลการประเมินปีงบประมาณ 2566" in res.output  # the scored year, not the rules' 2557
    rows = [re.sub(r"\s+", " ", line).strip() for line in res.output.splitlines()]
    # counted, not yet due (S3 forwarded on the as-of day), %, points, deducted, score
    assert "ขั้นตอนที่ 1 1/3 เรื่อง 1 33.33 1 - 0.3508" in rows
    # step 3: summaries on time 1 of 7 due months, May not due yet, 6 missing months deducted
    assert "ขั้นตอนที่ 3 ส่งตรงเวลา 1/7 เดือน 1 - 1 0.6000 0.4000" in rows
    assert "รวม (total) 5 1.8033" in [re.sub(r"[│\s]+", " ", line).strip(" ") for line in res.output.splitlines()]
    # the explanation file: blank cells where no date exists, Thai component labels, wide wrapped reasons
    ws = load_workbook(out).active
    values = [c.value for row in ws.iter_rows() for c in row]
    assert not any(isinstance(v, str) and v.strip() in {"NaT", "nan", "None", "NaN", "<NA>"} for v in values)
    headers = [c.value for c in ws[1]]
    actual = headers.index("วันที่ดำเนินการ (actual)") + 1
    dates = [ws.cell(r, actual).value for r in range(2, ws.max_row + 1)]
    assert {type(v) for v in dates} == {type(None), _dt.datetime}  # real dates, or blank: never "NaT"
    assert None in dates
    component = headers.index("องค์ประกอบ (component)") + 1
    assert {ws.cell(r, component).value for r in range(2, ws.max_row + 1)} == {
        "ขั้นตอนที่ 1 การรับเรื่อง", "ขั้นตอนที่ 2.1 แก้ไขและรายงานผลโดยระบุรายละเอียดที่ตอบผู้ร้องได้",
        "ขั้นตอนที่ 2.2 ติดตามความคืบหน้าทุกวันที่ 15 และ 30 และมีภาพก่อน-หลังหรือหลักฐาน",
        "ขั้นตอนที่ 3 การรายงานผลประจำเดือน"}
    reason = headers.index("เหตุผล") + 1
    letter = ws.cell(1, reason).column_letter
    assert ws.column_dimensions[letter].width == 70
    assert ws.cell(2, reason).alignment.wrap_text


def test_report_refuses_a_many_agency_workbook_and_lists_the_agencies(many, tmp_path):
    res = runner.invoke(app, ["report", str(many), "--month", "2566-05", "--out", str(tmp_path / "o"), "--no-pdf"],
                        env=WIDE)
    assert res.exit_code == 1
    assert "ไฟล์นี้มีเรื่องของ 3 หน่วยงาน" in res.output and LISTED in res.output
    assert not (tmp_path / "o").exists()


def test_report_all_agencies_one_folder_each(many, tmp_path):
    out = tmp_path / "o"
    res = runner.invoke(app, ["report", str(many), "--month", "2566-05", "--as-of", "2566-05-31", "--out", str(out),
                              "--no-pdf", "--all-agencies"], env=WIDE)
    assert res.exit_code == 0, res.output
    assert sorted(p.name for p in out.iterdir()) == sorted(["สำนักงานเขตสาทร", "สำนักงานเขตบางรัก", "สำนักการโยธา"])
    ws = load_workbook(out / "สำนักงานเขตสาทร" / "CPL_R003_2566-05.xlsx")[layout.R003_SHEET]
    assert ws[layout.R003_NAMES["R003_AGENCY"]].value == "สำนักงานเขตสาทร"
    r = layout.COMPONENT_ROWS
    # column L: not yet due, beside the counts (no internal component keys)
    assert [ws[f"L{layout.COMPONENTS_HEADER_ROW}"].value, *(ws[f"L{x}"].value for x in r[:4])] == [
        "ยังไม่ถึงกำหนด", 1, 0, 0, 1]
    assert [ws[f"G{x}"].value for x in r[:3]] == [1, 1, 1] and [ws[f"H{x}"].value for x in r[:3]] == [3, 3, 3]
    # step 3 scores by deductions alone: its score column says so, the deductions follow in the steps table
    assert ws[f"J{layout.COMPONENTS_HEADER_ROW}"].value == "คะแนนก่อนหัก"
    memo = (out / "สำนักงานเขตสาทร" / "CPL_narrative_2566-05.txt").read_text(encoding="utf-8-sig")
    assert "เรียน  ผู้อำนวยการเขตสาทร" in memo
    assert ("จำนวน 3 เรื่อง ดำเนินการเสร็จสิ้นแล้ว 1 เรื่อง คิดเป็นร้อยละ 33.33 กำลังดำเนินการ 2 เรื่อง "
            "คิดเป็นร้อยละ 66.67\n") in memo
    assert ("ขั้นตอนที่ 3 การรายงานผลประจำเดือน: ส่งตรงเวลา 1 จาก 7 เดือน (ยังไม่ถึงกำหนดส่งอีก 1 เดือน) "
            "หัก 0.6 คะแนน ได้ 0.4 จาก 1 คะแนน\n") in memo
    assert "seed" not in memo and "monthly progress" not in memo
    r001 = load_workbook(out / "สำนักงานเขตบางรัก" / "CPL_R001_2566-05.xlsx")[layout.R001_SHEET]
    ids = {c.value for row in r001.iter_rows() for c in row if isinstance(c.value, str) and c.value in
           {"S1", "S2", "S3", "B1", "B2", "Y1", "N1"}}
    assert ids == {"B2"}  # the one open complaint of บางรัก, nobody else's


def test_a_per_agency_audit_pack_carries_nothing_of_the_other_agencies_import(tmp_path):
    """Issue 11 defect 7: the import summary (the whole file's counts, every district) is dropped from an
    agency's pack, and the state history keeps that agency's complaints only."""
    from cplkpi.importers import import_files
    from cplkpi.importers.writer import EVENTS_SHEET, SUMMARY_SHEET

    src = Path(__file__).parents[1] / "data" / "import" / "traffy_web.csv"
    path = import_files([src]).write(tmp_path / "ทั้งหมด.xlsx")
    assert SUMMARY_SHEET in load_workbook(path).sheetnames
    events = [r[0] for r in load_workbook(path)[EVENTS_SHEET].iter_rows(min_row=2, values_only=True)]
    assert events == ["2022-TSTW03", "2022-TSTW03", "2024-TSTW02", "2024-TSTW06", "TSTW55"]  # 4 agencies'
    out = tmp_path / "พระนคร.xlsx"
    res = runner.invoke(app, ["audit-pack", str(path), "--month", "2565-10", "--agency", "พระนคร", "--out", str(out)],
                        env=WIDE)
    assert res.exit_code == 0, res.output
    wb = load_workbook(out)
    assert SUMMARY_SHEET not in wb.sheetnames
    ids = [r[0] for r in wb["เรื่องร้องเรียน"].iter_rows(min_row=2, values_only=True) if r[0]]
    assert ids == ["2022-TSTW03"]
    assert [r[0] for r in wb[EVENTS_SHEET].iter_rows(min_row=2, values_only=True) if r[0]] == [
        "2022-TSTW03", "2022-TSTW03"]  # every one of its rows, nobody else's


def test_audit_pack_keeps_one_agency_and_audit_refusesmany_agency_workbook(many, tmp_path):
    res = runner.invoke(app, ["audit-pack", str(many), "--month", "2566-05", "--out", str(tmp_path / "p.xlsx")],
                        env=WIDE)
    assert res.exit_code == 1 and LISTED in res.output
    res = runner.invoke(app, ["audit-pack", str(many), "--month", "2566-05", "--out", str(tmp_path / "p.xlsx"),
                              "--agency", "บางรัก"], env=WIDE)
    assert res.exit_code == 0, res.output
    sub = read_workbook(tmp_path / "p.xlsx")
    assert sub.agency_counts() == {"สำนักงานเขตบางรัก": 2}
    assert list(sub.progress.table["complaint_id"]) == ["B2"]
    assert list(sub.monthly_reports.table["agency"]) == ["สำนักงานเขตบางรัก"]
    audited = runner.invoke(app, ["audit", str(tmp_path / "p.xlsx"), "--out", str(tmp_path / "a")], env=WIDE)
    assert audited.exit_code == 0, audited.output
    assert (tmp_path / "a" / "ผลการตรวจ_p_2566-05.xlsx").exists()  # B.E. in the file name
    refused = runner.invoke(app, ["audit", str(many), "--month", "2566-05", "--out", str(tmp_path / "b")], env=WIDE)
    # exit 2: could not audit (docs/audit.md), the agencies listed
    assert refused.exit_code == 2 and LISTED in refused.output
    res = runner.invoke(app, ["audit-pack", str(many), "--month", "2566-05", "--out", str(tmp_path / "all" / "p.xlsx"),
                              "--all-agencies"], env=WIDE)
    assert res.exit_code == 0, res.output
    assert sorted(p.relative_to(tmp_path / "all").as_posix() for p in (tmp_path / "all").rglob("*.xlsx")) == sorted(
        ["สำนักงานเขตสาทร/p.xlsx", "สำนักงานเขตบางรัก/p.xlsx", "สำนักการโยธา/p.xlsx"])


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_explanations_without_any_actual_date_are_blank_not_nat(tmp_path, suffix):
    """No row has an actual date (nothing acknowledged, no summary sent): the column was written "NaT"."""
    from cplkpi.export import write_table
    from cplkpi.reader import from_sheets
    from cplkpi.scoring.explain import for_people
    from cplkpi.scoring.tables import SHEETS

    book = from_sheets({SHEETS["complaints"][0]: [
        ["เลขที่เรื่อง", "หน่วยงาน", "วันที่ศูนย์แจ้งเรื่อง"], ["X1", "เขตสาทร", D(2023, 5, 2)]]})
    result = book.score(fiscal_year=2566, as_of=D(2023, 5, 31))
    path = write_table(for_people(result.explain(), result.rules), tmp_path / f"why{suffix}", "คำอธิบาย")
    if suffix == ".csv":
        text = path.read_text(encoding="utf-8-sig")
    else:
        text = "\n".join(str(c.value) for row in load_workbook(path).active.iter_rows() for c in row
                         if c.value is not None)
    assert "ไม่ได้ตอบรับ" in text and "ไม่ได้ส่งรายงานประจำเดือน" in text
    assert not re.search(r"\b(NaT|nan|NaN|None|<NA>)\b", text), text


def test_audit_sample_draws_from_one_agency_only(many, tmp_path):
    refused = runner.invoke(app, ["audit-sample", str(many), "--month", "2566-05", "--out", str(tmp_path)], env=WIDE)
    assert refused.exit_code == 1 and LISTED in refused.output
    res = runner.invoke(app, ["audit-sample", str(many), "--month", "2566-05", "--out", str(tmp_path),
                              "--agency", "เขตบางรัก"], env=WIDE)
    assert res.exit_code == 0, res.output
    # B1 is the only complaint of บางรัก completed in May: the sample is drawn from it, nobody else's
    assert re.search(r"เสร็จสิ้นในเดือน 1 เรื่อง สุ่ม 1 เรื่อง", res.output) and "\n  B1\n" in res.output
    assert (tmp_path / "สุ่มตรวจ_สำนักงานเขตบางรัก_2566.xlsx").exists()
