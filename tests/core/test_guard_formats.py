"""Every format ``import`` reads (.xlsx/.xlsm, .xlsb, .xls, .ods) passes the same size guard before the reader.

Hostile files are refused with the exact message; ordinary ones (LibreOffice's .ods with its trailing
million empty rows, small .xls/.xlsb) are read, and the grid the guard expects is the one python-calamine
builds.
"""

from __future__ import annotations

import struct
import zipfile
from pathlib import Path

import pytest
from corpus import build as corpus
from python_calamine import CalamineWorkbook

from cplkpi.guard import IMPORT_FORMATS, WORKBOOK_FORMATS, check_workbook_file
from cplkpi.importers import read_mis
from cplkpi.scoring.errors import InputError

ROWS = ("ข้อผิดพลาด {file}: เรื่องร้องเรียน: ชีตใช้แถวเกินขีดจำกัด 300,000 แถว: แยกไฟล์ตามปีงบประมาณหรือตามหน่วยงาน "
        "หรือลบแถวที่ไม่ใช้ออก (the sheet uses more than the limit of 300,000 rows: split the file by fiscal year "
        "or by agency, or delete the unused rows)")


def refusal(path: Path) -> str:
    with pytest.raises(InputError) as exc:
        read_mis(path)
    return str(exc.value.problems[0])


def test_import_refuses_hostile_files_of_every_format_with_the_same_limits(tmp_path):
    for case in ("xlsb_far_cell", "ods_repeated_empty_rows_before_a_value", "far_cell_single_quotes"):
        path = corpus.CORPUS[case](tmp_path)
        assert refusal(path) == ROWS.format(file=path.name)
    assert refusal(corpus.CORPUS["xls_far_cell"](tmp_path)) == (
        "ข้อผิดพลาด xls_far_cell.xls: เรื่องร้องเรียน: ชีตใช้พื้นที่ถึงเซลล์ CJSR60000 (3,600,000,000 เซลล์ เกินขีดจำกัด 10,000,000): "
        "ลบแถวและคอลัมน์ที่ไม่ใช้ออก (the sheet is used up to cell CJSR60000 (3,600,000,000 cells, over the limit of "
        "10,000,000): delete the unused rows and columns)")


def test_import_refuses_an_ods_whose_cell_text_expands_past_the_limits(tmp_path):
    """``text:s text:c`` spaces, tabs and line breaks are counted as the reader expands them."""
    assert refusal(corpus.CORPUS["ods_cell_of_2000000000_spaces"](tmp_path)) == (
        "ข้อผิดพลาด ods_cell_of_2000000000_spaces.ods: เรื่องร้องเรียน!A2: ข้อความในเซลล์ยาวเกิน 32,767 อักขระ "
        "(ขีดจำกัดของ Excel) ปฏิเสธเพื่อความปลอดภัย (the cell's text is longer than 32,767 characters (Excel's limit); "
        "refused for safety)")
    assert refusal(corpus.CORPUS["ods_cells_of_spaces_tabs_and_breaks_past_the_total"](tmp_path)) == (
        "ข้อผิดพลาด ods_cells_of_spaces_tabs_and_breaks_past_the_total.ods: เรื่องร้องเรียน!A2: "
        "ข้อความในทุกชีตของไฟล์รวมกันเกิน 200,000,000 อักขระ (นับเซลล์ที่ซ้ำกันทุกครั้ง) ถึงเซลล์นี้ ปฏิเสธเพื่อความปลอดภัย "
        "(the text of the file's sheets adds up to more than 200,000,000 characters (each repeated cell counted) by "
        "this cell; refused for safety)")
    within = corpus.ods_file(tmp_path / "within.ods", (
        f'<table:table table:name="{corpus.SHEET}">{corpus._ODS_HEADER}<table:table-row><table:table-cell '
        'office:value-type="string"><text:p>ก<text:s text:c="32766"/></text:p></table:table-cell>'
        "</table:table-row></table:table>"))
    assert check_workbook_file(within, IMPORT_FORMATS) == []
    assert len(CalamineWorkbook.from_path(str(within)).get_sheet_by_name(corpus.SHEET).to_python()[1][0]) == 32_767


def test_the_complaint_workbook_still_takes_xlsx_only(tmp_path):
    path = corpus.xls_file(tmp_path / "small.xls", [(0, 0)])
    assert check_workbook_file(path, IMPORT_FORMATS) == []
    with pytest.raises(InputError) as exc:
        check_workbook_file(path, WORKBOOK_FORMATS)
    assert exc.value.problems[0].code == "legacy_xls"


def grid(path: Path) -> tuple[int, int]:
    rows = CalamineWorkbook.from_path(str(path)).get_sheet_by_name(corpus.SHEET).to_python(skip_empty_area=False)
    return len(rows), max(map(len, rows), default=0)


def test_ordinary_xls_and_xlsb_pass_and_their_grid_is_the_readers(tmp_path):
    xls = corpus.xls_file(tmp_path / "ok.xls", [(0, 0), (5, 3), (120, 20)], dimensions=(65_536, 256))
    assert check_workbook_file(xls, IMPORT_FORMATS) == [] and grid(xls) == (121, 21)
    number = struct.pack("<d", 2.0)
    records = b"".join(corpus._b12(0, struct.pack("<IIHH", row, 0, 300, 0)) + corpus._b12(5, struct.pack("<II", col, 0) + number)
                       for row, col in ((0, 0), (7, 2), (40, 30)))
    xlsb = corpus.xlsb_file(tmp_path / "ok.xlsb", records)
    assert check_workbook_file(xlsb, IMPORT_FORMATS) == [] and grid(xlsb) == (41, 31)


def test_libreoffice_ods_with_its_trailing_empty_rows_is_read(tmp_path):
    """LibreOffice ends a sheet with ~1 million repeated empty rows of 1,024 empty cells: nothing is built."""
    header = "".join(f'<table:table-cell office:value-type="string"><text:p>{h}</text:p></table:table-cell>'
                     for h in ("เลขที่เรื่อง", "วันที่ส่งหน่วยงาน", "สถานะล่าสุด"))
    row = ('<table:table-cell office:value-type="string"><text:p>6300001</text:p></table:table-cell>'
           '<table:table-cell office:value-type="string"><text:p>1/10/2562</text:p></table:table-cell>'
           '<table:table-cell office:value-type="string"><text:p>เสร็จสิ้น</text:p></table:table-cell>')
    tables = (f'<table:table table:name="{corpus.SHEET}"><table:table-row>{header}'
              '<table:table-cell table:number-columns-repeated="1021"/></table:table-row>'
              f'<table:table-row>{row}<table:table-cell table:number-columns-repeated="1021"/></table:table-row>'
              '<table:table-row table:number-rows-repeated="1048574"><table:table-cell '
              'table:number-columns-repeated="1024"/></table:table-row></table:table>')
    path = corpus.ods_file(tmp_path / "libreoffice.ods", tables)
    assert check_workbook_file(path, IMPORT_FORMATS) == [] and grid(path) == (2, 3)
    assert list(read_mis(path).complaints["complaint_id"]) == ["6300001"]


def test_an_xlsb_with_a_decoy_workbook_xml_is_measured_as_the_reader_reads_it(tmp_path):
    """The reader goes by the extension: an .xlsb that also holds a harmless xl/workbook.xml is read from
    its binary parts, so those are measured too, wherever its relationships put them."""
    far = corpus._b12(0, struct.pack("<IIHH", 999_999, 0, 300, 0)) + corpus._b12(5, struct.pack("<IId", 9, 0, 1.0))
    src = corpus.xlsb_file(tmp_path / "src.xlsb", far)
    decoy = corpus.raw_xlsx(tmp_path / "decoy.xlsx", lambda: iter(['<row r="1"><c r="A1"><v>1</v></c></row>']))

    def edit(members: dict[str, bytes]) -> None:
        members["xl/data/s.bin"] = members.pop("xl/worksheets/sheet1.bin")
        rels = "xl/_rels/workbook.bin.rels"
        members[rels] = members[rels].replace(b"worksheets/sheet1.bin", b"data/s.bin")
        with zipfile.ZipFile(decoy) as zf:
            members.update({n: zf.read(n) for n in zf.namelist() if n != "[Content_Types].xml"})

    path = corpus.edit_zip(src, tmp_path / "decoy_inside.xlsb", edit)
    with pytest.raises(InputError) as exc:
        check_workbook_file(path, IMPORT_FORMATS)
    assert str(exc.value.problems[0]) == ROWS.format(file="decoy_inside.xlsb")
    with pytest.raises(InputError):
        check_workbook_file(path)  # the complaint workbook door measures it too, whatever it is called
