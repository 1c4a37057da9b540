"""Batch audit of a folder of agency workbooks and the committee workbook."""

from __future__ import annotations

import datetime as _dt
import io
import os
import shutil
import subprocess
import zipfile
from pathlib import Path

import pandas as pd
import pytest
from agencies_synthetic import agency_name, write_agency_folder
from corpus import build as corpus
from openpyxl import load_workbook
from rich.console import Console

from cplkpi.macros.audit import AgencySummary, audit_workbook
from cplkpi.macros.audit_batch import (
    CHART_SHEET,
    ERRORS_SHEET,
    FINDINGS_SHEET,
    SUMMARY_SHEET,
    audit_files,
    audit_folder,
    workbook_files,
)
from cplkpi.macros.audit_sample import sample_file_path

MARCH = _dt.date(2020, 3, 1)
AGENCIES = 20
MADE_ON = _dt.date(2020, 4, 20)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    """20 clean agencies, one of them tampered, a corrupt file and a workbook without a complaint sheet."""
    folder = tmp_path_factory.mktemp("agencies")
    paths = write_agency_folder(folder, AGENCIES, MARCH, 150)
    wb = load_workbook(paths[0])
    wb["CPL_R003"]["E18"] = 999  # typed over the monthly table (the formulas' results are dropped too)
    wb.save(paths[0])
    data = paths[1].read_bytes()
    (folder / "21_ไฟล์เสีย.xlsx").write_bytes(data[: len(data) // 3])
    wb = load_workbook(paths[2])
    del wb["เรื่องร้องเรียน"]
    wb.save(folder / "22_ไม่มีชีตเรื่องร้องเรียน.xlsx")
    (folder / "~$01_lock.xlsx").write_bytes(b"lock")  # Excel's lock file is not a workbook to audit
    (folder / "notes.txt").write_text("บันทึก")
    return folder


@pytest.fixture(scope="module")
def batch(folder, tmp_path_factory):
    out = tmp_path_factory.mktemp("committee")
    console = Console(file=io.StringIO(), width=200, force_terminal=False)
    result = audit_folder(folder, out_dir=out, workers=2, pdf=False, console=console, made_on=MADE_ON)
    return result, console.file.getvalue(), out


def test_every_file_is_audited_or_reported_and_skipped(batch):
    result, printed, _ = batch
    assert len(result.summaries) == AGENCIES + 2
    assert {s.agency for s in result.audited} == {agency_name(i) for i in range(AGENCIES)}
    errors = {s.file: s.error for s in result.errors}
    assert set(errors) == {"21_ไฟล์เสีย.xlsx", "22_ไม่มีชีตเรื่องร้องเรียน.xlsx"}
    assert "เสียหาย" in errors["21_ไฟล์เสีย.xlsx"] or "corrupt" in errors["21_ไฟล์เสีย.xlsx"]
    assert "ไม่พบชีตเรื่องร้องเรียน" in errors["22_ไม่มีชีตเรื่องร้องเรียน.xlsx"]
    assert "21_ไฟล์เสีย.xlsx" in printed and "ข้ามไฟล์" in printed
    assert result.ignored == [("notes.txt", "ไม่ใช่ไฟล์ Excel .xlsx/.xlsm (not an Excel workbook)"),
                              ("~$01_lock.xlsx", "ไฟล์ล็อกชั่วคราวของ Excel (an Excel lock file of an open workbook)")]
    assert result.exit_status == 1  # a tampered agency and two files that could not be audited


def test_the_batch_equals_auditing_each_file_alone(batch, folder, tmp_path):
    result, _, out = batch
    one = audit_workbook(folder / f"04_{agency_name(3)}.xlsx", samples=tmp_path)
    s = next(s for s in result.audited if s.agency == agency_name(3))
    assert s.total == one.summary().total and s.components == one.summary().components and s.findings == 0
    tampered = next(s for s in result.audited if s.agency == agency_name(0))
    kinds = {f.code for o, f in result.findings if o.agency == agency_name(0)}
    assert tampered.findings == len([1 for o, _ in result.findings if o is tampered]) > 0
    assert "figure_differs" in kinds
    # each agency's month sample was drawn into the samples folder
    assert sample_file_path(out / "สุ่มตรวจ", agency_name(3), 2563).exists()


def test_committee_workbook(batch):
    result, _, out = batch
    path = result.workbook
    assert path == out / "สรุปผลการตรวจ_2563-03.xlsx"
    wb = load_workbook(path)
    assert wb.sheetnames == [SUMMARY_SHEET, FINDINGS_SHEET, ERRORS_SHEET, CHART_SHEET]
    ws = wb[SUMMARY_SHEET]
    assert "มีนาคม 2563" in ws["A1"].value and "20 เมษายน 2563" in ws["A3"].value
    assert ("ตรวจแล้ว 20 หน่วยงาน จาก 20 ไฟล์   ไม่ผ่าน 1 ไฟล์   ตรวจไม่ได้ 2 ไฟล์   ไม่ได้ตรวจ 2 ไฟล์"
            in ws["A3"].value)
    header = [c.value for c in ws[5]]
    assert header[:5] == ["อันดับ", "หน่วยงาน", "ไฟล์", "เดือนที่ตรวจ", "จำนวนเรื่อง"]
    total_col = header.index("คะแนนรวม (เต็ม 5)")
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=6, max_row=5 + AGENCIES)]
    totals = pd.Series([r[total_col] for r in rows])
    assert [r[0] for r in rows] == list(totals.rank(method="min", ascending=False).astype(int))
    assert list(totals) == sorted(totals, reverse=True)
    by_agency = {s.agency: s for s in result.audited}
    for r in rows:
        s = by_agency[r[1]]
        assert r[total_col] == s.total and r[header.index("ข้อค้นพบ")] == s.findings
        assert r[5] == s.components[0][2]  # step 1 percentage
    assert ws.cell(6, 4).number_format.startswith("[$-107041E]")  # B.E. month
    errors = [[c.value for c in r] for r in ws.iter_rows(min_row=6 + AGENCIES, max_row=7 + AGENCIES)]
    assert {r[2] for r in errors} == {"21_ไฟล์เสีย.xlsx", "22_ไม่มีชีตเรื่องร้องเรียน.xlsx"}
    assert all(r[0] is None and r[-1].startswith("ตรวจไม่ได้") for r in errors)
    es = wb[ERRORS_SHEET]
    assert {es.cell(r, 1).value: es.cell(r, 2).value for r in (4, 5)} == {s.file: s.error for s in result.errors}
    assert [(es.cell(r, 1).value, es.cell(r, 2).value) for r in (6, 7)] == [
        ("notes.txt", "ไม่ได้ตรวจ: ไม่ใช่ไฟล์ Excel .xlsx/.xlsm (not an Excel workbook)"),
        ("~$01_lock.xlsx", "ไม่ได้ตรวจ: ไฟล์ล็อกชั่วคราวของ Excel (an Excel lock file of an open workbook)")]
    # print-ready: A4 landscape, one page wide, the header row on every page
    assert int(ws.page_setup.paperSize) == int(ws.PAPERSIZE_A4) and ws.page_setup.orientation == "landscape"
    assert ws.page_setup.fitToWidth == 1 and ws.page_setup.fitToHeight == 0 and ws.print_title_rows == "$5:$5"
    fs = wb[FINDINGS_SHEET]
    assert fs.max_row - 4 == len(result.findings) and fs.print_title_rows == "$4:$4"
    with zipfile.ZipFile(path) as z:  # openpyxl drops charts when it loads: look in the file
        chart = next(n for n in z.namelist() if n.startswith("xl/charts/chart"))
        xml = z.read(chart).decode()
    assert "barChart" in xml and f"'{SUMMARY_SHEET}'!$O$6:$O${5 + AGENCIES}" in xml


def test_a_duplicate_agency_is_flagged(folder, tmp_path):
    files = workbook_files(folder)[:3]
    copy = tmp_path / "copy_of_first.xlsx"
    shutil.copyfile(files[1], copy)
    result = audit_files([*files, copy], month=MARCH, workers=1)
    dup = [(s.file, f.message_th) for s, f in result.findings if f.code == "duplicate_agency"]
    # said once per agency, on its first file, naming every file of it
    assert dup == [(files[1].name, f"หน่วยงาน {agency_name(1)} ส่งมา 2 ไฟล์: {files[1].name}, copy_of_first.xlsx")]
    assert result.agencies == 3 and len(result.audited) == 4


def _crash_on_second(path: Path, month, rules, samples) -> tuple[AgencySummary, list]:
    """A job that kills its worker process on one file, to test that the batch survives it."""
    if path.name.startswith("02_"):
        os._exit(3)
    return AgencySummary(path.name, path.stem, MARCH, 2563, total=1.0), []


def test_a_file_that_kills_its_worker_is_reported_and_the_batch_goes_on(folder):
    files = workbook_files(folder)[:6]
    result = audit_files(files, workers=2, job=_crash_on_second)
    errors = {s.file for s in result.errors}
    assert errors == {files[1].name}
    assert [s.file for s in result.audited] == [f.name for f in files if f != files[1]]
    assert "crashed" in result.errors[0].error


def _abort_on_second(path: Path, month, rules, samples) -> tuple[AgencySummary, list]:
    """A job that dies as the Rust reader does when an allocation fails: a line on stderr, then SIGABRT."""
    if path.name.startswith("02_"):
        os.write(2, b"memory allocation of 8000000000 bytes failed\n")
        os.abort()
    return AgencySummary(path.name, path.stem, MARCH, 2563, total=1.0), []


@pytest.mark.parametrize("workers", [1, 2])
def test_a_worker_killed_by_the_reader_is_one_clear_line_even_with_one_worker(folder, workers, capfd):
    files = workbook_files(folder)[:3]
    result = audit_files(files, workers=workers, job=_abort_on_second)
    assert [s.file for s in result.audited] == [files[0].name, files[2].name]
    assert [s.error for s in result.errors] == [
        "กระบวนการตรวจหยุดทำงานกะทันหันขณะอ่านไฟล์นี้ (the worker process crashed while auditing this file: "
        "memory allocation of 8000000000 bytes failed)"]
    assert capfd.readouterr().err == ""  # nothing the dying process printed reaches the terminal


def test_a_hostile_far_cell_is_refused_in_a_batch_not_a_crash(folder, tmp_path):
    """One value at ALL250000 in a 1 KB workbook once made the reader ask for 8 GB and kill the batch."""
    bad = corpus.CORPUS["far_cell_all250000"](tmp_path)
    result = audit_files([workbook_files(folder)[0], bad], month=MARCH, workers=1)
    assert len(result.audited) == 1
    assert [s.error for s in result.errors] == [
        "ข้อผิดพลาด far_cell_all250000.xlsx: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ ALL250000 (250,000,000 เซลล์ เกินขีดจำกัด 10,000,000): "
        "ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell ALL250000 (250,000,000 cells, over the limit of "
        "10,000,000): delete the unused rows and columns)"]


@pytest.mark.libreoffice
def test_committee_pdf(batch, libreoffice, tmp_path):
    from cplkpi.office import to_pdf

    result, _, _ = batch
    pdf = to_pdf(result.workbook, tmp_path / "committee.pdf")
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    flat = "".join(text.split())  # pdftotext puts spaces inside Thai words
    assert "สรุปผลการตรวจสอบ" in flat and agency_name(0) in flat and "20เมษายน2563" in flat
    assert "หน้า1/" in flat and "ไฟล์ที่ตรวจไม่ได้" in flat


def test_a_committee_pdf_that_cannot_be_made_is_skipped_with_its_reason(tmp_path, monkeypatch):
    """LibreOffice failing or missing costs the PDF, never the batch (the workbook is written)."""
    import cplkpi.macros.reports as reports_module
    from cplkpi.office import OfficeError

    write_agency_folder(tmp_path / "in", 1, MARCH, 60)

    def fail(src, dst):
        raise OfficeError("soffice exited with status 1")

    monkeypatch.setattr(reports_module, "soffice", lambda: "soffice")
    monkeypatch.setattr(reports_module, "to_pdf", fail)
    result = audit_folder(tmp_path / "in", out_dir=tmp_path / "out", workers=1, made_on=MADE_ON)
    assert result.workbook.exists() and result.pdf is None
    assert "PDF" in result.pdf_skipped and "status 1" in result.pdf_skipped
    monkeypatch.setattr(reports_module, "soffice", lambda: None)
    result = audit_folder(tmp_path / "in", out_dir=tmp_path / "out2", workers=1, made_on=MADE_ON)
    assert result.pdf is None and "LibreOffice" in result.pdf_skipped
    assert not list((tmp_path / "out2").glob("*.pdf"))


def test_component_columns_are_headed_by_their_short_label(tmp_path):
    """BMA-2562 numbers its parts ส่วนที่ 1/2: the committee's columns are headed like CPL_R003's short labels."""
    from cplkpi.macros.audit_batch import BatchResult, write_committee_workbook

    path = write_committee_workbook(BatchResult(), tmp_path / "c.xlsx", rules="bma-2562", made_on=MADE_ON)
    headers = [c.value for c in load_workbook(path)[SUMMARY_SHEET][5]]
    assert headers[5:7] == ["ส่วนที่ 1 (ร้อยละ)", "ส่วนที่ 2 (ร้อยละ)"]
    path = write_committee_workbook(BatchResult(), tmp_path / "d.xlsx", made_on=MADE_ON)
    assert [c.value for c in load_workbook(path)[SUMMARY_SHEET][5]][5] == "ขั้นตอนที่ 1 (ร้อยละ)"


def test_a_submission_named_like_the_committee_workbook_is_audited_and_never_replaced(tmp_path):
    """--out equal to the audited folder: a file only counts as the committee's own output by its content."""
    from cplkpi.macros.audit_batch import earlier_outputs, is_committee_workbook
    from cplkpi.outputs import OutputError

    folder = tmp_path / "agencies"
    folder.mkdir()
    paths = write_agency_folder(folder, 2, MARCH, 20)
    fake = folder / "สรุปผลการตรวจ_2563-03.xlsx"
    paths[0].rename(fake)
    before = fake.read_bytes()
    assert not is_committee_workbook(fake) and earlier_outputs(folder) == []
    assert fake in workbook_files(folder)
    with pytest.raises(OutputError) as exc:
        audit_folder(folder, out_dir=folder, workers=1, pdf=False, made_on=MADE_ON)
    assert str(exc.value.problems[0]) == (
        "ข้อผิดพลาด สรุปผลการตรวจ_2563-03.xlsx: ไฟล์ผลลัพธ์ สรุปผลการตรวจ_2563-03.xlsx เป็นไฟล์ต้นฉบับ: cplkpi "
        "ไม่เขียนทับไฟล์ต้นฉบับ ให้ระบุชื่อไฟล์ผลลัพธ์อื่น (the output สรุปผลการตรวจ_2563-03.xlsx is an input file: "
        "cplkpi never overwrites a source; give another output name)")
    assert fake.read_bytes() == before
    fake.rename(tmp_path / "elsewhere.xlsx")  # the committee's own workbook of a run is recognised as such
    own = audit_folder(folder, out_dir=folder, workers=1, pdf=False, made_on=MADE_ON).workbook
    assert is_committee_workbook(own) and earlier_outputs(folder) == [own]
    assert own not in workbook_files(folder, exclude=earlier_outputs(folder))
