"""Submitted workbooks are untrusted: size caps per sheet, no entity expansion, no macros or links loaded."""

from __future__ import annotations

import re
import zipfile
from pathlib import Path

import openpyxl.xml
import pytest
from openpyxl import Workbook

from cplkpi.macros.audit import audit_workbook
from cplkpi.macros.audit_source import open_readonly, read_report_sheets
from cplkpi.ooxml.parts import sheet_parts as guard_parts
from cplkpi.reader import read_workbook as read_complaint_workbook
from cplkpi.scoring.errors import InputError

SHEET = "เรื่องร้องเรียน"


def _book(path: Path, rows: int = 3) -> Path:
    wb = Workbook()
    ws = wb.active
    ws.title = SHEET
    ws.append(["เลขที่เรื่อง", "วันที่ศูนย์แจ้งเรื่อง", "สถานะ"])
    for i in range(rows):
        ws.append([f"C{i:04d}", "2020-01-06", "เสร็จสิ้น"])
    wb.create_sheet("อื่น ๆ")["A1"] = "x"
    wb.save(path)
    return path


def sheet_parts(path: Path) -> dict[str, str]:
    with zipfile.ZipFile(path) as zf:
        return {name: part for name, (part, _) in guard_parts(zf).items()}


def _rewrite(src: Path, dst: Path, member: str, edit) -> Path:
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, edit(data) if info.filename == member else data)
    return dst


def test_openpyxl_parses_through_defusedxml():
    assert openpyxl.xml.DEFUSEDXML is True


def _with_cell(path: Path, dst: Path, ref: str) -> Path:
    row = re.search(r"\d+", ref)[0]
    cell = f'<row r="{row}"><c r="{ref}" t="n"><v>1</v></c></row></sheetData>'
    return _rewrite(path, dst, sheet_parts(path)[SHEET], lambda d: d.replace(b"</sheetData>", cell.encode()))


@pytest.mark.parametrize(("ref", "code"), [("A1048576", "too_many_rows"), ("XFD1000", "sheet_too_large")])
def test_a_far_away_cell_is_refused_before_anything_builds_the_dense_sheet(tmp_path, ref, code):
    """One cell far away would make a values reader build millions of empty cells."""
    bad = _with_cell(_book(tmp_path / "base.xlsx"), tmp_path / "far.xlsx", ref)
    with pytest.raises(InputError) as exc:
        audit_workbook(bad)
    (p,) = exc.value.problems
    assert p.code == code and SHEET in str(exc.value)


def test_a_declared_dimension_is_not_trusted(tmp_path):
    """A sheet that declares A1:XFD1048576 but holds 4 rows is read as 4 rows, quickly."""
    path = _book(tmp_path / "base.xlsx")
    lying = _rewrite(path, tmp_path / "lying.xlsx", sheet_parts(path)[SHEET],
                     lambda d: re.sub(rb'<dimension ref="[^"]*"\s*/>', b'<dimension ref="A1:XFD1048576"/>', d))
    cells = read_report_sheets(lying, [SHEET]).cells[SHEET]
    assert max(int(re.search(r"\d+", r)[0]) for r in cells) == 4 and "C4" in cells and len(cells) == 12


@pytest.mark.parametrize("member", ["xl/workbook.xml", "sheet"])
def test_xml_entities_are_refused_not_expanded(tmp_path, member):
    path = _book(tmp_path / "base.xlsx")
    target = sheet_parts(path)[SHEET] if member == "sheet" else member
    doctype = (b'<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
               b'<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>')

    def edit(data: bytes) -> bytes:
        end = data.find(b"?>")
        at = end + 2 if end >= 0 else 0
        return re.sub(rb"<t>C0000</t>", b"<t>&lol3;</t>", data[:at] + doctype + data[at:])

    bomb = _rewrite(path, tmp_path / "bomb.xlsx", target, edit)
    for read in (read_complaint_workbook, lambda p: read_report_sheets(p, [SHEET])):
        with pytest.raises(InputError) as exc:
            read(bomb)
        # refused by the guard (workbook.xml: "corrupt") or by the reader ("unsafe"), never expanded
        assert exc.value.problems[0].code in ("unsafe_xml", "corrupt_xlsx")
        assert "bomb.xlsx" in str(exc.value)


def test_external_links_are_never_loaded(tmp_path):
    from openpyxl.packaging.relationship import Relationship
    from openpyxl.workbook.external_link.external import ExternalBook, ExternalLink

    wb = Workbook()
    wb.active["A1"] = "='[other.xlsx]Sheet1'!A1"
    link = ExternalLink(externalBook=ExternalBook(id="rId1"))
    link.file_link = Relationship(type="externalLinkPath", Target="file:///C:/secret/other.xlsx",
                                  TargetMode="External", Id="rId1")
    wb._external_links.append(link)
    wb.save(tmp_path / "ext.xlsx")
    from openpyxl import load_workbook

    assert len(load_workbook(tmp_path / "ext.xlsx", read_only=True, keep_links=True)._external_links) == 1
    assert len(open_readonly(tmp_path / "ext.xlsx", data_only=False)._external_links) == 0
    report = read_report_sheets(tmp_path / "ext.xlsx", ["Sheet"])
    assert report.cells["Sheet"]["A1"].formula == "='[other.xlsx]Sheet1'!A1"  # kept as text, never followed


def test_macros_are_never_loaded(tmp_path):
    path = _book(tmp_path / "base.xlsx")
    xlsm = tmp_path / "macro.xlsm"
    with zipfile.ZipFile(path) as zin, zipfile.ZipFile(xlsm, "w") as zout:
        for info in zin.infolist():
            zout.writestr(info, zin.read(info.filename))
        zout.writestr("xl/vbaProject.bin", b"\xd0\xcf\x11\xe0 not really a macro project")
    wb = open_readonly(xlsm, data_only=True)
    assert wb.vba_archive is None and not wb._external_links
    wb.close()
    book = read_complaint_workbook(xlsm)
    assert list(book.complaints.table["complaint_id"]) == ["C0000", "C0001", "C0002"]
    assert "macros" in {p.code for p in book.problems}  # the guard's warning reaches the audit


def test_a_corrupt_file_is_a_clear_input_error(tmp_path):
    path = _book(tmp_path / "base.xlsx")
    broken = tmp_path / "broken.xlsx"
    broken.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(InputError) as exc:
        read_complaint_workbook(broken)
    assert "broken.xlsx" in str(exc.value)


def test_a_programming_error_is_not_passed_off_as_a_corrupt_file(tmp_path, monkeypatch):
    """Only what the parsers raise becomes "the file may be corrupt": a KeyError in our own code stays one."""
    from cplkpi.macros import audit_source

    path = _book(tmp_path / "ok.xlsx")
    assert read_report_sheets(path, [SHEET]).cells[SHEET]["A2"].value == "C0000"

    def broken(value):
        raise KeyError("bug")

    monkeypatch.setattr(audit_source, "_plain", broken)
    with pytest.raises(KeyError, match="bug"):
        read_report_sheets(path, [SHEET])
    monkeypatch.undo()
    monkeypatch.setattr(audit_source, "_defined_names", lambda wb: {}["R003_TOTAL"])
    with pytest.raises(KeyError):
        read_report_sheets(path, [SHEET])
