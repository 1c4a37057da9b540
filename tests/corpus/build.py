"""The malformed-input corpus: every bad file a district or the committee may hand to cplkpi.

Each entry of :data:`CORPUS` builds one input file into a folder. Small,
readable cases are built from rows with openpyxl; the big or binary ones
(1,000,000 rows, zip bombs, a truncated zip, an encrypted OLE container, an
.xlsm with a macro project, a TIS-620 CSV…) are generated here at test time
and never committed. Two files made by a real spreadsheet application are
committed in ``files/``: LibreOffice saved them from the ``.fods`` sources
beside them (``cplkpi.office.convert(src, "xlsx", folder)``) with its own
cached results: formulas returning ``#DIV/0!``, ``#VALUE!``, ``#N/A`` and a
link to another workbook.

``python tests/corpus/build.py OUTDIR`` writes the whole corpus, to open the
files in Excel by hand. tests/core/test_corpus_inputs.py asserts the exact message
for each.
"""

from __future__ import annotations

import codecs
import datetime as dt
import io
import re
import shutil
import struct
import sys
import unicodedata
import zipfile
import zlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

FILES = Path(__file__).parent / "files"
SHEET = "เรื่องร้องเรียน"
HEADER = [
    "เลขที่เรื่อง",
    "วันที่ศูนย์แจ้งเรื่อง",
    "วันที่ตอบรับ",
    "วันที่รายงานความก้าวหน้า",
    "วันที่แล้วเสร็จ",
    "สถานะ",
    "ผลการดำเนินการ",
    "หลักฐาน",
]
GOOD = ["6300001", "1/10/2562", "2/10/2562", "3/10/2562", "10/10/2562", "เสร็จสิ้น", "ซ่อมผิวถนนแล้ว", "มี"]
OPEN = ["6300002", "2/10/2562", "3/10/2562", "4/10/2562", None, "กำลังดำเนินการ", None, None]

Builder = Callable[[Path], Path]
#: name → builder(folder) → path of the built input
CORPUS: dict[str, Builder] = {}


def case(name: str) -> Callable[[Builder], Builder]:
    def register(fn: Builder) -> Builder:
        CORPUS[name] = fn
        return fn

    return register


def book(
    path: Path, sheets: dict[str, Sequence[Sequence[Any]]], tweak: Callable[[Any], None] | None = None
) -> Path:
    """An .xlsx with ``sheets`` (rows from Excel row 1), saved by openpyxl after ``tweak(wb)``."""
    from openpyxl import Workbook

    wb = Workbook()
    wb.remove(wb.active)
    for name, rows in sheets.items():
        ws = wb.create_sheet(name)
        for row in rows:
            ws.append(list(row))
    if tweak is not None:
        tweak(wb)
    wb.save(path)
    return path


def complaints(
    path: Path,
    *rows: Sequence[Any],
    header: Sequence[str] = HEADER,
    more: dict[str, Sequence[Sequence[Any]]] | None = None,
) -> Path:
    """A complaint workbook: the good row, then ``rows``; ``more`` sheets after it."""
    return book(path, {SHEET: [header, GOOD, *rows], **(more or {})})


def edit_zip(src: Path, dst: Path, edit: Callable[[dict[str, bytes]], None]) -> Path:
    """Copy the zip ``src`` to ``dst`` with its members edited in place by ``edit(members)``."""
    with zipfile.ZipFile(src) as zin:
        members = {i.filename: zin.read(i.filename) for i in zin.infolist()}
    edit(members)
    with zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for name, data in members.items():
            zout.writestr(name, data)
    if src != dst:
        src.unlink()
    return dst


def raw_xlsx(
    path: Path, sheet_xml: Callable[[], Any], *, name: str = SHEET, level: int = 1, stored: bool = False
) -> Path:
    """A minimal .xlsx whose single sheet's XML is streamed from ``sheet_xml()`` (an iterable of str)."""
    ns = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    method = zipfile.ZIP_STORED if stored else zipfile.ZIP_DEFLATED
    with zipfile.ZipFile(path, "w", method, compresslevel=None if stored else level) as zf:
        zf.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
            'package/2006/content-types"><Default Extension="rels" ContentType="application/'
            'vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" '
            'ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType='
            '"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
        )
        zf.writestr(
            "_rels/.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://'
            'schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" '
            f'Type="{rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>',
        )
        zf.writestr(
            "xl/workbook.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{ns}" '
            f'xmlns:r="{rel}"><sheets><sheet name="{name}" sheetId="1" r:id="rId1"/></sheets></workbook>',
        )
        zf.writestr(
            "xl/_rels/workbook.xml.rels",
            '<?xml version="1.0" encoding="UTF-8"?><Relationships '
            'xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship '
            f'Id="rId1" Type="{rel}/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
        )
        with zf.open("xl/worksheets/sheet1.xml", "w") as fh:
            fh.write(f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{ns}"><sheetData>'.encode())
            buf = []
            for part in sheet_xml():
                buf.append(part)
                if len(buf) >= 5000:
                    fh.write("".join(buf).encode())
                    buf.clear()
            fh.write(("".join(buf) + "</sheetData></worksheet>").encode())
    return path


def ole(path: Path, streams: Sequence[str]) -> Path:
    """A minimal OLE (compound file) container: the signature and a directory sector naming ``streams``."""
    header = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHH", 0x3E, 3, 0xFFFE)
    header = header.ljust(512, b"\x00")
    entries = b""
    for name in ("Root Entry", *streams):
        raw = name.encode("utf-16-le") + b"\x00\x00"
        entries += (raw.ljust(64, b"\x00") + struct.pack("<H", len(raw))).ljust(128, b"\x00")
    path.write_bytes(header + entries.ljust(512, b"\x00"))
    return path


# --- headers and sheets ------------------------------------------------------------------------------


@case("missing_forwarded_column")
def _(d: Path) -> Path:
    return book(d / "missing_forwarded_column.xlsx", {SHEET: [["เลขที่เรื่อง", "สถานะ"], ["6300001", "เสร็จสิ้น"]]})


@case("misspelled_forwarded_header")
def _(d: Path) -> Path:
    header = ["เลขที่เรื่อง", "วันทีศูนย์แจ้งเรื่อง", "สถานะ"]  # ที without the tone mark
    return book(d / "misspelled_forwarded_header.xlsx", {SHEET: [header, ["6300001", "1/10/2562", "เสร็จสิ้น"]]})


@case("missing_id_column")
def _(d: Path) -> Path:
    return book(d / "missing_id_column.xlsx", {SHEET: [["วันที่ศูนย์แจ้งเรื่อง", "สถานะ"], ["1/10/2562", "เสร็จสิ้น"]]})


@case("no_header_row")
def _(d: Path) -> Path:
    return book(d / "no_header_row.xlsx", {SHEET: [GOOD, OPEN]})


@case("empty_sheet")
def _(d: Path) -> Path:
    return book(d / "empty_sheet.xlsx", {SHEET: []})


@case("header_only")
def _(d: Path) -> Path:
    return book(d / "header_only.xlsx", {SHEET: [HEADER]})


@case("duplicate_column")
def _(d: Path) -> Path:
    return book(d / "duplicate_column.xlsx", {SHEET: [[*HEADER, "เลขที่"], [*GOOD, "X-1"]]})


@case("no_complaint_sheet")
def _(d: Path) -> Path:
    return book(d / "no_complaint_sheet.xlsx", {"Sheet1": [HEADER, GOOD], "Sheet2": [["หมายเหตุ"]]})


@case("two_complaint_sheets")
def _(d: Path) -> Path:
    return book(d / "two_complaint_sheets.xlsx", {SHEET: [HEADER, GOOD], "complaints": [HEADER, OPEN]})


@case("hidden_complaint_sheet")
def _(d: Path) -> Path:
    def hide(wb: Any) -> None:
        wb[SHEET].sheet_state = "hidden"

    return book(d / "hidden_complaint_sheet.xlsx", {"หมายเหตุ": [["ฉบับร่าง"]], SHEET: [HEADER, GOOD]}, hide)


@case("hidden_old_copy_and_visible_sheet")
def _(d: Path) -> Path:
    def hide(wb: Any) -> None:
        wb[SHEET].sheet_state = "hidden"

    return book(
        d / "hidden_old_copy_and_visible_sheet.xlsx",
        {SHEET: [HEADER, ["OLD-1", "1/10/2561"]], "complaints": [HEADER, GOOD]},
        hide,
    )


# --- ids and values ------------------------------------------------------------------------------------


@case("duplicate_ids")
def _(d: Path) -> Path:
    return complaints(d / "duplicate_ids.xlsx", OPEN, ["6300001", "5/10/2562"])


@case("missing_id")
def _(d: Path) -> Path:
    return complaints(d / "missing_id.xlsx", [None, "5/10/2562", "6/10/2562"])


@case("id_longer_than_15_digits_as_number")
def _(d: Path) -> Path:
    return complaints(d / "id_longer_than_15_digits_as_number.xlsx", [6300000000000012345, "5/10/2562"])


@case("missing_forwarded_date")
def _(d: Path) -> Path:
    return complaints(d / "missing_forwarded_date.xlsx", ["6300003", None, "6/10/2562"])


@case("excel_error_value_typed")
def _(d: Path) -> Path:
    return complaints(d / "excel_error_value_typed.xlsx", ["6300003", "#N/A"], ["#REF!", "5/10/2562"])


@case("reopen_count_in_words")
def _(d: Path) -> Path:
    header = [*HEADER, "จำนวนครั้งที่เปิดใหม่"]
    return complaints(
        d / "reopen_count_in_words.xlsx",
        [*OPEN, "สองครั้ง"],
        ["6300003", "3/10/2562", *[None] * 6, -1],
        header=header,
    )


# --- dates typed in odd ways -------------------------------------------------------------------------


def _date_case(name: str, value: Any, column: int = 1) -> None:
    @case(name)
    def _(d: Path) -> Path:
        row = ["6300003", "4/10/2562", None, None, None, None, None, None]
        row[column] = value
        return complaints(d / f"{name}.xlsx", row)


_date_case("date_day_32", "32/10/2562")
_date_case("date_month_13", "1/13/2562")
_date_case("date_without_day", "ต.ค. 2562")
_date_case("date_in_words", "พรุ่งนี้")
_date_case("date_with_a_note", "1/10/2562 (แก้ไข)")
_date_case("date_ce_numeric", "1/10/2019")
_date_case("date_ce_thai_month", "1 ต.ค. 2019")
_date_case("date_be_in_iso_text", "2562-10-01")
_date_case("date_be_typed_into_date_cell", dt.datetime(2562, 10, 1))
_date_case("date_two_digit_ce_year", "1/10/19")
_date_case("feb29_in_non_leap_year", "29/2/2562")
_date_case("feb29_be_date_cell_not_leap_in_ce", dt.datetime(2564, 2, 29))
_date_case("serial_number_stored_as_text", "43739")
_date_case("boolean_in_date_column", True)
_date_case("negative_serial_number", -5)
_date_case("date_after_the_calendar", "1/10/2600")
_date_case("date_before_the_calendar", "1/10/2530")
_date_case("progress_date_in_words", "หลังตอบรับ", column=3)


# --- date order and status ---------------------------------------------------------------------------


@case("acknowledged_before_forwarded")
def _(d: Path) -> Path:
    return complaints(d / "acknowledged_before_forwarded.xlsx", ["6300003", "10/10/2562", "9/10/2562"])


@case("progress_before_acknowledged")
def _(d: Path) -> Path:
    return complaints(
        d / "progress_before_acknowledged.xlsx", ["6300003", "10/10/2562", "11/10/2562", "10/10/2562"]
    )


@case("resolved_before_forwarded")
def _(d: Path) -> Path:
    return complaints(
        d / "resolved_before_forwarded.xlsx",
        ["6300003", "10/10/2562", None, None, "1/10/2562", "เสร็จสิ้น", "ซ่อมแล้ว"],
    )


@case("reopen_count_out_of_range")
def _(d: Path) -> Path:
    """Whole numbers past any count (1e300, 2^63, the text 1e300, 5,000 nines): OverflowError in 7 commands."""
    header = [*HEADER, "จำนวนครั้งที่เปิดใหม่"]
    rows = [[f"630001{i}", "3/10/2562", *[None] * 6, v]
            for i, v in enumerate([1e300, 2.0**63, "1e300", "9" * 5000, 1_000_001, 1_000_000])]
    return complaints(d / "reopen_count_out_of_range.xlsx", *rows, header=header)


@case("reopened_before_forwarded")
def _(d: Path) -> Path:
    return complaints(
        d / "reopened_before_forwarded.xlsx", [*OPEN, "1/10/2562"], header=[*HEADER, "วันที่ส่งเรื่องใหม่"]
    )


@case("unknown_status")
def _(d: Path) -> Path:
    return complaints(d / "unknown_status.xlsx", ["6300003", "3/10/2562", None, None, None, "รอตรวจสอบอีกที"])


@case("completed_without_resolution_date")
def _(d: Path) -> Path:
    return complaints(
        d / "completed_without_resolution_date.xlsx", ["6300003", "3/10/2562", None, None, None, "เสร็จสิ้น"]
    )


@case("resolution_date_but_not_completed")
def _(d: Path) -> Path:
    return complaints(
        d / "resolution_date_but_not_completed.xlsx",
        ["6300003", "3/10/2562", None, None, "9/10/2562", "กำลังดำเนินการ"],
    )


# --- the other sheets ------------------------------------------------------------------------------------


@case("progress_for_unknown_complaint")
def _(d: Path) -> Path:
    return complaints(
        d / "progress_for_unknown_complaint.xlsx",
        more={
            "รายงานความก้าวหน้า": [
                ["เลขที่เรื่อง", "วันที่รายงาน", "ความก้าวหน้า"],
                ["6300001", "15/10/2562", "ซ่อมแล้ว"],
                ["6399999", "16/10/2562", "?"],
            ]
        },
    )


@case("progress_without_date")
def _(d: Path) -> Path:
    return complaints(
        d / "progress_without_date.xlsx",
        more={"รายงานความก้าวหน้า": [["เลขที่เรื่อง", "วันที่รายงาน", "ความก้าวหน้า"], ["6300001", None, "ลงพื้นที่แล้ว"]]},
    )


@case("monthly_report_month_in_words")
def _(d: Path) -> Path:
    return complaints(
        d / "monthly_report_month_in_words.xlsx",
        more={
            "รายงานประจำเดือน": [["เดือน", "วันที่ส่งรายงาน"], ["ต.ค. 2562", "8/11/2562"], ["เดือนสิบ", "9/12/2562"]]
        },
    )


@case("monthly_report_duplicate_month")
def _(d: Path) -> Path:
    return complaints(
        d / "monthly_report_duplicate_month.xlsx",
        more={
            "รายงานประจำเดือน": [["เดือน", "วันที่ส่งรายงาน"], ["ต.ค. 2562", "8/11/2562"], ["10/2562", "9/11/2562"]]
        },
    )


@case("sheet_and_header_typed_with_decomposed_sara_am")
def _(d: Path) -> Path:
    """ำ typed as ํ + า (some keyboards and PDFs): the sheet and its header are still recognised."""
    decomposed = unicodedata.normalize("NFKC", "รายงานประจำเดือน")
    return complaints(
        d / "sheet_and_header_typed_with_decomposed_sara_am.xlsx",
        more={
            decomposed: [[unicodedata.normalize("NFKC", "ประจำเดือน"), "วันที่ส่งรายงาน"], ["เดือนสิบ", "9/12/2562"]]
        },
    )


@case("audit_mark_not_yes_or_no")
def _(d: Path) -> Path:
    return complaints(
        d / "audit_mark_not_yes_or_no.xlsx",
        more={"สุ่มตรวจ": [["เดือน", "เลขที่เรื่อง", "ผลการตรวจ"], ["ต.ค. 2562", "6300001", "ไม่แน่ใจ"]]},
    )


@case("calendar_kind_unknown")
def _(d: Path) -> Path:
    return complaints(
        d / "calendar_kind_unknown.xlsx",
        more={"ปฏิทิน": [["วันที่", "ประเภท", "หมายเหตุ"], ["7/10/2562", "หยุดครึ่งวัน", "ประชุม"]]},
    )


@case("calendar_holiday_and_workday_same_date")
def _(d: Path) -> Path:
    return complaints(
        d / "calendar_holiday_and_workday_same_date.xlsx",
        more={
            "ปฏิทิน": [
                ["วันที่", "ประเภท", "หมายเหตุ"],
                ["7/10/2562", "วันหยุด", "น้ำท่วม"],
                ["7/10/2562", "วันทำงาน", "ยกเลิก"],
            ]
        },
    )


@case("calendar_weekend_workday_and_repeats")
def _(d: Path) -> Path:
    return complaints(
        d / "calendar_weekend_workday_and_repeats.xlsx",
        more={
            "ปฏิทิน": [
                ["วันที่", "ประเภท", "หมายเหตุ"],
                ["5/10/2562", "วันทำงาน", "วันเสาร์ทำงานชดเชย"],
                ["8/10/2562", "วันหยุด", "น้ำท่วม"],
                ["8/10/2562", "วันหยุด", "น้ำท่วม (ซ้ำ)"],
                ["9/10/2562", "วันทำงาน", ""],
            ]
        },
    )


# --- what a values reader does not see --------------------------------------------------------------


@case("merged_cells_in_data")
def _(d: Path) -> Path:
    def merge(wb: Any) -> None:
        wb[SHEET].merge_cells("F2:F3")
        wb[SHEET].merge_cells("A1:B1")  # a merged header: the forwarded column has no header of its own

    return book(d / "merged_cells_in_data.xlsx", {SHEET: [HEADER, GOOD, OPEN]}, merge)


@case("hidden_rows_filtered")
def _(d: Path) -> Path:
    def hide(wb: Any) -> None:
        for r in (3, 5, 6):
            wb[SHEET].row_dimensions[r].hidden = True

    rows = [HEADER, GOOD, *[[f"630000{i}", f"{i}/10/2562"] for i in range(2, 7)]]
    return book(d / "hidden_rows_filtered.xlsx", {SHEET: rows}, hide)


@case("hidden_columns")
def _(d: Path) -> Path:
    def hide(wb: Any) -> None:
        wb[SHEET].column_dimensions["C"].hidden = True

    return book(d / "hidden_columns.xlsx", {SHEET: [HEADER, GOOD]}, hide)


@case("formulas_without_stored_values")
def _(d: Path) -> Path:
    return complaints(d / "formulas_without_stored_values.xlsx", ["6300003", "=DATE(2019,10,3)", "=B3+1"])


@case("formula_errors_from_libreoffice")
def _(d: Path) -> Path:
    return Path(shutil.copy(FILES / "formula_errors_libreoffice.xlsx", d))


@case("external_link_from_libreoffice")
def _(d: Path) -> Path:
    return Path(shutil.copy(FILES / "external_link_libreoffice.xlsx", d))


@case("xlsm_with_macros")
def _(d: Path) -> Path:
    base = complaints(d / "macro_base.xlsx")

    def add_vba(m: dict[str, bytes]) -> None:
        m["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b'Attribute VB_Name = "Module1"' * 20
        m["[Content_Types].xml"] = m["[Content_Types].xml"].replace(
            b"</Types>",
            b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
        )

    return edit_zip(base, d / "xlsm_with_macros.xlsm", add_vba)


@case("data_connection_and_embedded_object")
def _(d: Path) -> Path:
    base = complaints(d / "conn_base.xlsx")

    def add(m: dict[str, bytes]) -> None:
        m["xl/connections.xml"] = (
            b'<connections xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
            b'<connection id="1" name="Query - MIS" type="5"/></connections>'
        )
        m["xl/embeddings/oleObject1.bin"] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100)

    return edit_zip(base, d / "data_connection_and_embedded_object.xlsx", add)


# --- files refused before parsing ---------------------------------------------------------------------


@case("encrypted_workbook")
def _(d: Path) -> Path:
    return ole(d / "encrypted_workbook.xlsx", ["EncryptionInfo", "EncryptedPackage", "\x06DataSpaces"])


@case("legacy_xls")
def _(d: Path) -> Path:
    return ole(d / "legacy_xls.xls", ["Workbook", "\x05SummaryInformation"])


@case("truncated_zip")
def _(d: Path) -> Path:
    full = complaints(d / "full.xlsx", OPEN).read_bytes()
    (d / "full.xlsx").unlink()
    path = d / "truncated_zip.xlsx"
    path.write_bytes(full[: len(full) // 2])
    return path


@case("corrupt_zip_member")
def _(d: Path) -> Path:
    src = raw_xlsx(
        d / "crc_base.xlsx",
        lambda: (f'<row r="{i}"><c r="A{i}"><v>{i}</v></c></row>' for i in range(1, 2000)),
        stored=True,
    )
    data = bytearray(src.read_bytes())
    src.unlink()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    data[start + info.compress_size // 2] ^= (
        0x01  # one flipped bit in the middle of the sheet's (stored) data
    )
    path = d / "corrupt_zip_member.xlsx"
    path.write_bytes(bytes(data))
    return path


@case("zip_bomb_ratio")
def _(d: Path) -> Path:
    return raw_xlsx(
        d / "zip_bomb_ratio.xlsx",
        lambda: iter(['<row r="1"><c r="A1"><v>1</v></c></row>', " " * 60_000_000]),
        level=9,
    )


@case("zip_bomb_lying_sizes")
def _(d: Path) -> Path:
    """Headers claim 1,000 bytes for a sheet that inflates to 50 MB: the ratio looks harmless."""
    src = raw_xlsx(
        d / "lying_base.xlsx",
        lambda: iter(['<row r="1"><c r="A1"><v>1</v></c></row>', " " * 50_000_000]),
        level=9,
    )
    data = bytearray(src.read_bytes())
    src.unlink()
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 1000)  # local header: uncompressed size
    pos = 0
    while (pos := bytes(data).find(b"PK\x01\x02", pos)) >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, pos + 24, 1000)  # central directory: uncompressed size
        pos += 4
    path = d / "zip_bomb_lying_sizes.xlsx"
    path.write_bytes(bytes(data))
    return path


@case("zip_bomb_lying_sizes_and_crc")
def _(d: Path) -> Path:
    """As above, and the CRC fields match the declared first 1,000 bytes: a zip reader alone accepts it."""
    scratch = d / "scratch_lying_crc"
    scratch.mkdir(exist_ok=True)
    data = bytearray(CORPUS["zip_bomb_lying_sizes"](scratch).read_bytes())
    shutil.rmtree(scratch)
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as zf:
        info = zf.getinfo("xl/worksheets/sheet1.xml")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    crc = zlib.crc32(
        zlib.decompressobj(-15).decompress(bytes(data[start : start + info.compress_size]), 1000)
    )
    struct.pack_into("<I", data, info.header_offset + 14, crc)
    pos = 0
    while (pos := bytes(data).find(b"PK\x01\x02", pos)) >= 0:
        name_len = struct.unpack_from("<H", data, pos + 28)[0]
        if bytes(data[pos + 46 : pos + 46 + name_len]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, pos + 16, crc)
        pos += 4
    out = d / "zip_bomb_lying_sizes_and_crc.xlsx"
    out.write_bytes(bytes(data))
    with zipfile.ZipFile(out) as zf:  # the point of this case: zipfile's own checks pass
        zf.read("xl/worksheets/sheet1.xml")
    return out


@case("zip_with_password")
def _(d: Path) -> Path:
    data = bytearray(complaints(d / "pw_base.xlsx").read_bytes())
    (d / "pw_base.xlsx").unlink()
    pos = 0
    while (pos := bytes(data).find(b"PK\x01\x02", pos)) >= 0:
        struct.pack_into(
            "<H", data, pos + 8, struct.unpack_from("<H", data, pos + 8)[0] | 1
        )  # "encrypted" flag
        pos += 4
    path = d / "zip_with_password.xlsx"
    path.write_bytes(bytes(data))
    return path


@case("empty_file")
def _(d: Path) -> Path:
    path = d / "empty_file.xlsx"
    path.write_bytes(b"")
    return path


@case("missing_file")
def _(d: Path) -> Path:
    return d / "no_such_file.xlsx"


@case("html_saved_as_xls")
def _(d: Path) -> Path:
    path = d / "html_saved_as_xls.xls"
    path.write_text(
        '<html><head><meta charset="utf-8"></head><body><table><tr><td>เลขที่เรื่อง</td></tr>'
        "</table></body></html>",
        encoding="utf-8",
    )
    return path


@case("xml_spreadsheet_2003")
def _(d: Path) -> Path:
    path = d / "xml_spreadsheet_2003.xls"
    path.write_text(
        '<?xml version="1.0"?>\n<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet">'
        "<Worksheet/></Workbook>",
        encoding="utf-8",
    )
    return path


@case("csv_named_xlsx")
def _(d: Path) -> Path:
    path = d / "csv_named_xlsx.xlsx"
    path.write_text(",".join(HEADER) + "\n" + ",".join(x or "" for x in GOOD) + "\n", encoding="utf-8")
    return path


@case("xlsb_binary_workbook")
def _(d: Path) -> Path:
    path = d / "xlsb_binary_workbook.xlsb"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("xl/workbook.bin", b"\x83\x01\x00")
    return path


@case("ods_named_xlsx")
def _(d: Path) -> Path:
    path = d / "ods_named_xlsx.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr("content.xml", "<office:document-content/>")
    return path


@case("word_document_named_xlsx")
def _(d: Path) -> Path:
    path = d / "word_document_named_xlsx.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        zf.writestr("word/document.xml", "<w:document/>")
    return path


@case("million_rows")
def _(d: Path) -> Path:
    def rows() -> Any:
        yield (
            '<row r="1"><c r="A1" t="inlineStr"><is><t>เลขที่เรื่อง</t></is></c><c r="B1" t="inlineStr"><is>'
            "<t>วันที่ศูนย์แจ้งเรื่อง</t></is></c></row>"
        )
        for i in range(2, 1_000_002):
            yield f'<row r="{i}"><c r="A{i}"><v>{6300000 + i}</v></c><c r="B{i}"><v>{43739 + i % 300}</v></c></row>'

    return raw_xlsx(d / "million_rows.xlsx", rows)


@case("one_far_away_cell")
def _(d: Path) -> Path:
    def far(wb: Any) -> None:
        wb[SHEET]["A900000"] = "x"

    return book(d / "one_far_away_cell.xlsx", {SHEET: [HEADER, GOOD]}, far)


@case("one_far_right_cell")
def _(d: Path) -> Path:
    def wide(wb: Any) -> None:
        wb[SHEET]["XFD1000"] = "x"

    return book(d / "one_far_right_cell.xlsx", {SHEET: [HEADER, GOOD]}, wide)


# --- hostile sheet XML: far cells written every way the reader accepts (issue 14, item 1) ---------------
# Each is a few hundred bytes; the reader (python-calamine) would build the dense grid up to the far cell
# (17 billion cells for XFD1048576: "memory allocation of 549755813888 bytes failed", SIGABRT).

_X_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"


def _far(path: Path, cells: str, edit: Callable[[dict[str, bytes]], None] | None = None) -> Path:
    """A one-sheet .xlsx whose sheetData is ``cells`` (the header row first), then ``edit(members)``."""
    head = '<row r="1"><c r="A1" t="inlineStr"><is><t>เลขที่เรื่อง</t></is></c></row>'
    src = raw_xlsx(path.with_name(f"base_{path.name}"), lambda: iter([head, cells]))
    return edit_zip(src, path, edit or (lambda members: None))


def _retarget(target: str, member: str = "xl/worksheets/sheet1.xml") -> Callable[[dict[str, bytes]], None]:
    """Point the workbook's relationship at ``target`` and rename the sheet part ``member``."""

    def edit(members: dict[str, bytes]) -> None:
        rels = "xl/_rels/workbook.xml.rels"
        old = b'Target="worksheets/sheet1.xml"'
        members[rels] = members[rels].replace(old, f'Target="{target}"'.encode())
        members[member] = members.pop("xl/worksheets/sheet1.xml")

    return edit


@case("cell_beyond_column_xfd")
def _(d: Path) -> Path:
    """``r="ZZZZ2"``: a column Excel does not have (openpyxl raised ValueError in validate-report)."""
    return _far(d / "cell_beyond_column_xfd.xlsx", '<row r="2"><c r="ZZZZ2"><v>1</v></c></row>')


def _merge(*refs: str) -> Callable[[dict[str, bytes]], None]:
    def edit(members: dict[str, bytes]) -> None:
        p = "xl/worksheets/sheet1.xml"
        merged = "".join(f'<mergeCell ref="{ref}"/>' for ref in refs)
        members[p] = members[p].replace(b"</sheetData>", (
            f'</sheetData><mergeCells count="{len(refs)}">{merged}</mergeCells>').encode())

    return edit


@case("merged_range_to_xfd1048576")
def _(d: Path) -> Path:
    """One merged range over the whole sheet: openpyxl built 17 billion cells (MemoryError)."""
    return _far(d / "merged_range_to_xfd1048576.xlsx", '<row r="2"><c r="A2"><v>1</v></c></row>',
                _merge("A2:XFD1048576"))


@case("merged_range_of_16_million_cells")
def _(d: Path) -> Path:
    """A merged range within the rows limit covering 16,384 × 1,000 cells."""
    return _far(d / "merged_range_of_16_million_cells.xlsx", '<row r="2"><c r="A2"><v>1</v></c></row>',
                _merge("$A$2:$XFD$1001"))


@case("merged_ranges_overlapping_11_million_cells")
def _(d: Path) -> Path:
    """Eleven merged ranges, each A1:ALL1000 (1,000,000 cells) within the sheet's area: 11 million cell objects."""
    return _far(d / "merged_ranges_overlapping_11_million_cells.xlsx", '<row r="2"><c r="A2"><v>1</v></c></row>',
                _merge(*["A1:ALL1000"] * 11))


for _name, _cell in {
    "style_index_4294967295": '<c r="B2" s="4294967295"><v>1</v></c>',
    "shared_string_index_999999": '<c r="B2" t="s"><v>999999</v></c>',
    "number_cell_holding_abc": '<c r="B2"><v>abc</v></c>',
    "number_cell_holding_nan": '<c r="B2"><v>NaN</v></c>',
}.items():
    def _build(d: Path, name: str = _name, cell: str = _cell) -> Path:
        """A cell openpyxl cannot load (IndexError, ValueError): a clear refusal naming the file in every command."""
        return _far(d / f"{name}.xlsx", f'<row r="2"><c r="A2"><v>1</v></c>{cell}</row>')

    case(_name)(_build)


@case("sheet_target_external_file")
def _(d: Path) -> Path:
    """The only sheet related as an external file (``file:///etc/passwd``): never followed; openpyxl then
    loads no sheet at all (validate-report raised IndexError)."""

    def external(members: dict[str, bytes]) -> None:
        rels = "xl/_rels/workbook.xml.rels"
        members[rels] = members[rels].replace(b'Target="worksheets/sheet1.xml"',
                                              b'Target="file:///etc/passwd" TargetMode="External"')

    return _far(d / "sheet_target_external_file.xlsx", '<row r="2"><c r="A2"><v>1</v></c></row>', external)


@case("far_cell_all250000")
def _(d: Path) -> Path:
    return _far(d / "far_cell_all250000.xlsx", '<row r="250000"><c r="ALL250000"><v>1</v></c></row>')


@case("far_cell_single_quotes")
def _(d: Path) -> Path:
    return _far(d / "far_cell_single_quotes.xlsx", "<row r='1048576'><c r='XFD1048576'><v>1</v></c></row>")


@case("far_cell_lower_case")
def _(d: Path) -> Path:
    return _far(d / "far_cell_lower_case.xlsx", '<row r="9"><c r="xfd9000"><v>1</v></c></row>')


@case("far_cell_spaces_around_equals")
def _(d: Path) -> Path:
    cells = '<row r="2"><c r = "XFD1048576" ><v>1</v></c></row>'
    return _far(d / "far_cell_spaces_around_equals.xlsx", cells)


@case("far_cell_behind_target_in_other_case")
def _(d: Path) -> Path:
    cells = '<row r="2"><c r="XFD1048576"><v>1</v></c></row>'
    return _far(d / "far_cell_behind_target_in_other_case.xlsx", cells,
                _retarget("WORKSHEETS/Sheet1.xml", "xl/worksheets/sheet1.xml"))


@case("far_cell_behind_absolute_target")
def _(d: Path) -> Path:
    cells = '<row r="2"><c r="XFD1048576"><v>1</v></c></row>'
    return _far(d / "far_cell_behind_absolute_target.xlsx", cells,
                _retarget("/xl/Worksheets/data.xml", "xl/worksheets/data.xml"))


@case("far_cell_prefixed_elements")
def _(d: Path) -> Path:
    cells = f'<x:row xmlns:x="{_X_NS}" r="2"><x:c r="IV300000"><x:v>1</x:v></x:c></x:row>'
    return _far(d / "far_cell_prefixed_elements.xlsx", cells)


@case("far_cells_without_references")
def _(d: Path) -> Path:
    """No ``r`` at all: the reader places the cells by counting rows and the cells before them."""
    row = "<row>" + "<c/>" * 2000 + "<c><v>1</v></c></row>"
    return _far(d / "far_cells_without_references.xlsx", '<row r="6000"/>' + row)


@case("far_cell_reference_as_entity")
def _(d: Path) -> Path:
    return _far(d / "far_cell_reference_as_entity.xlsx", '<row r="2"><c r="&#88;FD2000"><v>1</v></c></row>')


@case("sheet_with_doctype")
def _(d: Path) -> Path:
    def doctype(members: dict[str, bytes]) -> None:
        part = members["xl/worksheets/sheet1.xml"]
        at = part.find(b"?>") + 2
        members["xl/worksheets/sheet1.xml"] = part[:at] + b'<!DOCTYPE w [<!ENTITY e "XFD1">]>' + part[at:]

    return _far(d / "sheet_with_doctype.xlsx", "", doctype)


@case("two_parts_differing_in_case")
def _(d: Path) -> Path:
    def twin(members: dict[str, bytes]) -> None:
        members["XL/WORKSHEETS/SHEET1.XML"] = members["xl/worksheets/sheet1.xml"].replace(b"A1", b"XFD1")

    return _far(d / "two_parts_differing_in_case.xlsx", "", twin)


def ods_file(path: Path, tables: str) -> Path:
    """A minimal OpenDocument spreadsheet whose body is ``tables`` (``<table:table>`` elements)."""
    office = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr(zipfile.ZipInfo("mimetype"), "application/vnd.oasis.opendocument.spreadsheet")
        zf.writestr(
            "META-INF/manifest.xml",
            '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:'
            'opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry '
            'manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
            "<manifest:file-entry "
            'manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>',
        )
        zf.writestr(
            "content.xml",
            f'<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="{office}" '
            'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
            'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2">'
            f"<office:body><office:spreadsheet>{tables}</office:spreadsheet></office:body>"
            "</office:document-content>",
        )
    return path


_ODS_HEADER = ('<table:table-row><table:table-cell office:value-type="string"><text:p>เลขที่เรื่อง</text:p>'
               "</table:table-cell></table:table-row>")


@case("ods_repeated_cells_30_million")
def _(d: Path) -> Path:
    """1 KB describing 3,000 × 10,000 cells with a value: the reader once took 3.4 GB for it."""
    row = ('<table:table-row table:number-rows-repeated="3000"><table:table-cell '
           'table:number-columns-repeated="10000" office:value-type="float" office:value="1"/></table:table-row>')
    table = f'<table:table table:name="{SHEET}">{_ODS_HEADER}{row}</table:table>'
    return ods_file(d / "ods_repeated_cells_30_million.ods", table)


@case("ods_repeated_empty_rows_before_a_value")
def _(d: Path) -> Path:
    """Empty rows count when a value follows them: 400,000 repeated empty rows, then one cell."""
    rows = ('<table:table-row table:number-rows-repeated="400000"><table:table-cell/></table:table-row>'
            '<table:table-row><table:table-cell office:value-type="float" office:value="2"/>'
            "</table:table-row>")
    return ods_file(d / "ods_repeated_empty_rows_before_a_value.ods",
                    f'<table:table table:name="{SHEET}">{_ODS_HEADER}{rows}</table:table>')


def _biff(typ: int, data: bytes) -> bytes:
    return struct.pack("<HH", typ, len(data)) + data


def xls_file(path: Path, cells: Sequence[tuple[int, int]], dimensions: tuple[int, int] = (1, 1)) -> Path:
    """A minimal BIFF8 .xls (OLE compound file, one sheet SHEET) with a NUMBER record at each (row, col),
    0-based, and the sheet's DIMENSIONS (last row + 1, last column + 1)."""
    name = SHEET.encode("utf-16-le")
    def bof(kind: int) -> bytes:
        return _biff(0x0809, struct.pack("<HHHHII", 0x0600, kind, 0x0DBB, 0x07CC, 0, 0x0206))

    sheet_at = len(bof(5)) + len(_biff(0x0085, bytes(8) + name)) + 4
    boundsheet = _biff(0x0085, struct.pack("<IBBBB", sheet_at, 0, 0, len(SHEET), 1) + name)
    globals_ = bof(5) + boundsheet + _biff(0x000A, b"")
    sheet = bof(0x10) + _biff(0x0200, struct.pack("<IIHHH", 0, dimensions[0], 0, dimensions[1], 0))
    for row, col in cells:
        sheet += _biff(0x0203, struct.pack("<HHHd", row, col, 15, 1.0))
    stream = globals_ + sheet + _biff(0x000A, b"")
    stream = stream.ljust(4096 + 512, b"\x00")  # a regular stream: at least the 4,096-byte cutoff
    n = len(stream) // 512
    end, free = 0xFFFFFFFE, 0xFFFFFFFF
    fat = [0xFFFFFFFD, *range(2, n + 1), end, end] + [free] * (128 - n - 2)
    header = (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(16) + struct.pack("<HHHHH", 0x3E, 3, 0xFFFE, 9, 6)
              + bytes(10) + struct.pack("<IIIIIIII", 1, n + 1, 0, 4096, end, 0, end, 0)
              + struct.pack("<109I", 0, *[free] * 108))

    def entry(label: str, kind: int, child: int, start: int, size: int) -> bytes:
        raw = label.encode("utf-16-le") + b"\x00\x00"
        return (raw.ljust(64, b"\x00") + struct.pack("<HBBIII", len(raw), kind, 1, free, free, child)
                + bytes(36) + struct.pack("<IQ", start, size))

    directory = entry("Root Entry", 5, 1, end, 0) + entry("Workbook", 2, free, 1, len(stream))
    directory = directory + (bytes(64) + struct.pack("<HBBIII", 0, 0, 0, free, free, free) + bytes(48)) * 2
    path.write_bytes(header + struct.pack("<128I", *fat) + stream + directory)
    return path


def xlsb_file(path: Path, records: bytes) -> Path:
    """A minimal .xlsb: sheet SHEET whose part xl/worksheets/sheet1.bin holds ``records`` (BIFF12)."""
    rel = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
    name = SHEET.encode("utf-16-le")
    bundle = struct.pack("<III", 0, 1, 4) + "rId1".encode("utf-16-le") + struct.pack("<I", len(SHEET)) + name
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("[Content_Types].xml", "<Types/>")
        book = _b12(0x83, b"") + _b12(0x8F, b"") + _b12(0x9C, bundle) + _b12(0x90, b"") + _b12(0x84, b"")
        zf.writestr("xl/workbook.bin", book)
        zf.writestr("xl/_rels/workbook.bin.rels", '<Relationships xmlns="http://schemas.openxmlformats.org/'
                    f'package/2006/relationships"><Relationship Id="rId1" Type="{rel}/worksheet" '
                    'Target="worksheets/sheet1.bin"/></Relationships>')
        sheet = _b12(0x81, b"") + _b12(0x94, bytes(16)) + _b12(0x91, b"") + records
        sheet += _b12(0x92, b"") + _b12(0x82, b"")
        zf.writestr("xl/worksheets/sheet1.bin", sheet)
    return path


def _b12(typ: int, data: bytes) -> bytes:
    """A BIFF12 record: type and size as 7-bit varints, then the data."""

    def varint(n: int) -> bytes:
        out = bytearray()
        while True:
            out.append((n & 0x7F) | (0x80 if n > 0x7F else 0))
            n >>= 7
            if not n:
                return bytes(out)

    return varint(typ) + varint(len(data)) + data


@case("xls_far_cell")
def _(d: Path) -> Path:
    """A 5 KB .xls with one number at row 60,000, column 60,000 (16-bit fields allow 4 billion cells)."""
    return xls_file(d / "xls_far_cell.xls", [(0, 0), (59_999, 59_999)])


@case("xls_declared_dimensions")
def _(d: Path) -> Path:
    """DIMENSIONS says IV65536 around one cell: the reader builds nothing from it (read as one cell)."""
    return xls_file(d / "xls_declared_dimensions.xls", [(0, 0)], dimensions=(65_536, 256))


@case("xlsb_far_cell")
def _(d: Path) -> Path:
    """An .xlsb row header at row 1,000,000 and a number in column 10,001 (4-byte fields: billions)."""
    cell = struct.pack("<II", 10_000, 0) + struct.pack("<d", 1.0)
    rows = _b12(0, struct.pack("<IIHH", 0, 0, 300, 0)) + _b12(5, struct.pack("<IId", 0, 0, 1.0))
    rows += _b12(0, struct.pack("<IIHH", 999_999, 0, 300, 0)) + _b12(5, cell)
    return xlsb_file(d / "xlsb_far_cell.xlsb", rows)


@case("stale_declared_dimension")
def _(d: Path) -> Path:
    """A sheet declaring A1:XFD1048576 with two rows: the reader does not build cells from it; read as is."""

    def declare(members: dict[str, bytes]) -> None:
        part = members["xl/worksheets/sheet1.xml"]
        start = part.index(b'<dimension ref="') + len(b'<dimension ref="')
        members["xl/worksheets/sheet1.xml"] = part[:start] + b"A1:XFD1048576" + part[part.index(b'"', start):]

    src = complaints(d / "stale_base.xlsx", OPEN)
    return edit_zip(src, d / "stale_declared_dimension.xlsx", declare)


# --- CSV ------------------------------------------------------------------------------------------------


def _csv_text(*rows: Sequence[Any]) -> str:
    return "".join(",".join("" if v is None else str(v) for v in r) + "\r\n" for r in (HEADER, GOOD, *rows))


@case("csv_tis620_thai")
def _(d: Path) -> Path:
    path = d / "csv_tis620_thai.csv"
    path.write_bytes(_csv_text(OPEN).encode("cp874"))
    return path


@case("csv_undecodable_bytes")
def _(d: Path) -> Path:
    path = d / "csv_undecodable_bytes.csv"
    path.write_bytes(_csv_text().encode("cp874") + b"\xfc\xfd\xfe\r\n")
    return path


@case("csv_that_is_an_xlsx")
def _(d: Path) -> Path:
    src = complaints(d / "csv_base.xlsx")
    return Path(shutil.move(src, d / "csv_that_is_an_xlsx.csv"))


@case("csv_semicolons_and_error_text")
def _(d: Path) -> Path:
    path = d / "csv_semicolons_and_error_text.csv"
    text = _csv_text(["6300003", "#N/A", "4/10/2562"]).replace(",", ";")
    path.write_text(text, encoding="utf-8-sig")
    return path


# --- issue 14: impossible times and zones, invisible characters, text encodings --------------------------

_date_case("timestamp_with_zone_plus_99", "2019-10-01 10:00:00+99")
_date_case("timestamp_at_25_61", "2019-10-01 25:61:00+07", column=2)


@case("header_with_zero_width_space")
def _(d: Path) -> Path:
    """วันที่ตอบรับ with a zero-width space after it (copied from a web page): still the acknowledgement column."""
    header = [h + "\u200b" if h == "วันที่ตอบรับ" else h for h in HEADER]
    return complaints(d / "header_with_zero_width_space.xlsx", OPEN, header=header)


@case("header_with_double_sara_e")
def _(d: Path) -> Path:
    """วันที่แล้วเสร็จ typed with เเ (two SARA E) for แ: still the resolution column."""
    header = [h.replace("แ", "เเ") if h == "วันที่แล้วเสร็จ" else h for h in HEADER]
    return complaints(d / "header_with_double_sara_e.xlsx", OPEN, header=header)


@case("ids_differing_by_invisible_characters_digits_and_case")
def _(d: Path) -> Path:
    rows = [[i, *OPEN[1:]] for i in ("6300001\u200b", "\uff16\uff13\uff10\uff10\uff10\uff10\uff11", "BKK-7", "bkk-7")]
    return complaints(d / "ids_differing_by_invisible_characters_digits_and_case.xlsx", *rows)


@case("csv_with_a_second_bom")
def _(d: Path) -> Path:
    path = d / "csv_with_a_second_bom.csv"
    path.write_bytes(("\ufeff\ufeff" + _csv_text(OPEN)).encode("utf-8"))
    return path



def _text_case(name: str, data: Callable[[str], bytes]) -> None:
    """A CSV of the good and the open row whose bytes are ``data(text)``."""

    @case(name)
    def _(d: Path) -> Path:
        path = d / f"{name}.csv"
        path.write_bytes(data(_csv_text(OPEN)))
        return path


_text_case("csv_utf16_le_with_bom", lambda t: t.encode("utf-16"))
_text_case("csv_utf16_le_without_bom", lambda t: t.encode("utf-16-le"))
_text_case("csv_utf16_be_with_bom", lambda t: b"\xfe\xff" + t.encode("utf-16-be"))
_text_case("csv_utf16_be_without_bom", lambda t: t.encode("utf-16-be"))
_text_case("csv_utf16_cut_to_an_odd_length", lambda t: t.encode("utf-16")[:-1])
_text_case("csv_utf16_unpaired_surrogate",
           lambda t: t.encode("utf-16") + "6300003,".encode("utf-16-le") + b"\x00\xd8" + ",\r\n".encode("utf-16-le"))
_text_case("csv_field_of_200000_characters",
           lambda t: (t + "6300003,4/10/2562,,,,,\"" + "ก" * 200_000 + "\",\r\n").encode("utf-8"))
_text_case("csv_unclosed_quote_over_the_field_limit",
           lambda t: (t + "6300003,4/10/2562,,,,,\"" + "ข้อความยาว\r\n" * 120_000).encode("utf-8"))


# --- what a date reader hides, formula-like citizen text, names at the file system's limit (issue 14) -------


def _date_formatted(name: str, value: float) -> None:
    """A date-formatted cell holding ``value`` in the forwarding-date column (Excel shows 0 as 00/01/1900,
    60 as 29/02/1900; a values reader gives a time of day or 28/02/1900)."""
    def tweak(wb: Any) -> None:
        wb[SHEET]["B3"].number_format = "d/m/yyyy"

    @case(name)
    def _(d: Path) -> Path:
        return book(d / f"{name}.xlsx", {SHEET: [HEADER, GOOD, ["6300002", value, *[None] * 3, "กำลังดำเนินการ"]]},
                    tweak)


_date_formatted("date_formatted_serial_zero", 0)
_date_formatted("date_formatted_serial_minus_one", -1)
_date_formatted("date_formatted_serial_60_excel_fictional_day", 60)


@case("acknowledged_with_today_formula")
def _(d: Path) -> Path:
    """=TODAY() as an acknowledgement date, saved by a spreadsheet on 3 Oct 2019 (its cached value)."""
    def tweak(wb: Any) -> None:
        wb[SHEET]["C3"] = "=TODAY()"
        wb[SHEET]["C3"].number_format = "d/m/yyyy"

    path = book(d / "acknowledged_with_today_formula.xlsx",
                {SHEET: [HEADER, GOOD, ["6300002", "2/10/2562", None, None, None, "กำลังดำเนินการ"]]}, tweak)

    def cache(members: dict[str, bytes]) -> None:
        xml = members["xl/worksheets/sheet1.xml"]
        members["xl/worksheets/sheet1.xml"] = re.sub(rb"<f>TODAY\(\)</f>(<v */>|<v></v>)",
                                                     b"<f>TODAY()</f><v>43741</v>", xml)
        assert members["xl/worksheets/sheet1.xml"] != xml

    return edit_zip(path, path, cache)


#: Citizen text a spreadsheet would run as a formula if it were not kept as text.
FORMULA_LIKE = ['=HYPERLINK("http://example.invalid","คลิก")', "+66 81 234 5678", "-ซ่อมแล้ว", "@SUM(A1:A9)"]


@case("citizen_text_like_formulas")
def _(d: Path) -> Path:
    rows = [[f"630001{i}", "1/10/2562", "2/10/2562", "3/10/2562", "10/10/2562", "เสร็จสิ้น", None, "มี"]
            for i in range(len(FORMULA_LIKE))]

    def as_text(wb: Any) -> None:  # stored as text (a shared string), as an export from Traffy stores it
        for r, text in enumerate(FORMULA_LIKE, start=3):
            cell = wb[SHEET].cell(row=r, column=7)
            cell.value, cell.data_type = text, "s"

    return book(d / "citizen_text_like_formulas.xlsx", {SHEET: [HEADER, GOOD, *rows]}, as_text)


#: Text that a rich console would read as markup: ``[/]`` crashed every command printing it, ``[bold]`` vanished.
MARKUP_LIKE = ("[/]รอ[bold]ตรวจ", "ซ่อมแล้ว [draft] [link=http://example.invalid]ดูรูป[/link]")


@case("text_like_console_markup")
def _(d: Path) -> Path:
    return complaints(d / "text_like_console_markup.xlsx",
                      ["6300002", "2/10/2562", "3/10/2562", None, None, MARKUP_LIKE[0], MARKUP_LIKE[1], None])


#: An agency name of 100 Thai characters (300 bytes of UTF-8): a file named after it needs shortening.
LONG_AGENCY = ("สำนักงานเขตบางกอกน้อย ฝ่ายโยธา งานทาง" * 3)[:100]


@case("agency_of_100_thai_characters")
def _(d: Path) -> Path:
    header = [*HEADER, "หน่วยงาน"]
    return book(d / "agency_of_100_thai_characters.xlsx",
                {SHEET: [header, [*GOOD, LONG_AGENCY], [*OPEN, LONG_AGENCY]]})


@case("file_name_of_245_bytes")
def _(d: Path) -> Path:
    """A valid 245-byte file name: a temporary or a derived name beside it would pass 255 bytes."""
    return complaints(d / ("ก" * 80 + ".xlsx"), OPEN)


def _with_shared_strings(xml: bytes) -> Callable[[dict[str, bytes]], None]:
    """Add ``xml`` as xl/sharedStrings.xml, related from the workbook."""

    def edit(members: dict[str, bytes]) -> None:
        members["xl/sharedStrings.xml"] = xml
        rels = "xl/_rels/workbook.xml.rels"
        members[rels] = members[rels].replace(b"</Relationships>", (
            '<Relationship Id="rId9" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>').encode())

    return edit


@case("shared_strings_declare_4294967295")
def _(d: Path) -> Path:
    """1.8 KB declaring 4,294,967,295 shared strings (one written): the reader reserved 103 GB and aborted."""
    sst = (f'<?xml version="1.0"?><sst xmlns="{_X_NS}" count="1" uniqueCount="4294967295">'
           "<si><t>x</t></si></sst>").encode()
    return _far(d / "shared_strings_declare_4294967295.xlsx", '<row r="2"><c r="A2" t="s"><v>0</v></c></row>',
                _with_shared_strings(sst))


@case("shared_strings_under_another_name_declare_4294967295")
def _(d: Path) -> Path:
    """The same declaration in a shared-strings part the workbook relates under another name."""
    sst = (f'<?xml version="1.0"?><sst xmlns="{_X_NS}" count="1" uniqueCount="4294967295">'
           "<si><t>x</t></si></sst>").encode()

    def edit(members: dict[str, bytes]) -> None:
        _with_shared_strings(sst)(members)
        members["xl/strings/text.xml"] = members.pop("xl/sharedStrings.xml")
        rels = "xl/_rels/workbook.xml.rels"
        members[rels] = members[rels].replace(b'Target="sharedStrings.xml"', b'Target="strings/text.xml"')

    return _far(d / "shared_strings_under_another_name_declare_4294967295.xlsx",
                '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', edit)


@case("shared_strings_reference_count_4294967295")
def _(d: Path) -> Path:
    """The string references count declared as 4,294,967,295 (uniqueCount right)."""
    sst = (f'<?xml version="1.0"?><sst xmlns="{_X_NS}" count=" 4294967295" uniqueCount="1">'
           "<si><t>x</t></si></sst>").encode()
    return _far(d / "shared_strings_reference_count_4294967295.xlsx",
                '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', _with_shared_strings(sst))


@case("ods_cell_of_2000000000_spaces")
def _(d: Path) -> Path:
    """844 bytes: one ``text:s`` standing for 2,000,000,000 spaces in a cell killed ``import``."""
    cell = ('<table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="2000000000"/>'
            "</text:p></table:table-cell></table:table-row>")
    return ods_file(d / "ods_cell_of_2000000000_spaces.ods",
                    f'<table:table table:name="{SHEET}">{_ODS_HEADER}{cell}</table:table>')


@case("ods_cells_of_spaces_tabs_and_breaks_past_the_total")
def _(d: Path) -> Path:
    """Cells each within Excel's 32,767 characters, repeated past the text the sheets may hold in total."""
    cell = ('<table:table-row table:number-rows-repeated="1000"><table:table-cell table:number-columns-repeated="1000"'
            ' office:value-type="string"><text:p><text:s text:c="997"/><text:tab/><text:line-break/>ก</text:p>'
            "</table:table-cell></table:table-row>")
    return ods_file(d / "ods_cells_of_spaces_tabs_and_breaks_past_the_total.ods",
                    f'<table:table table:name="{SHEET}">{_ODS_HEADER}{cell}</table:table>')


@case("workbook_without_calc_properties")
def _(d: Path) -> Path:
    """A valid workbook whose xl/workbook.xml has no <calcPr> (written by other tools): audit-pack crashed."""
    src = complaints(d / "base_workbook_without_calc_properties.xlsx", OPEN)

    def drop(members: dict[str, bytes]) -> None:
        members["xl/workbook.xml"] = re.sub(rb"<calcPr[^>]*/>", b"", members["xl/workbook.xml"])
        assert b"calcPr" not in members["xl/workbook.xml"]

    return edit_zip(src, d / "workbook_without_calc_properties.xlsx", drop)


@case("csv_utf32_le_with_bom")
def _(d: Path) -> Path:
    """UTF-32 LE with its BOM (FF FE 00 00, which starts like UTF-16's): was "no header row"."""
    path = d / "csv_utf32_le_with_bom.csv"
    path.write_bytes(codecs.BOM_UTF32_LE + "\n".join([",".join(HEADER), ",".join(GOOD)]).encode("utf-32-le"))
    return path


@case("csv_utf32_be_with_bom")
def _(d: Path) -> Path:
    path = d / "csv_utf32_be_with_bom.csv"
    path.write_bytes(codecs.BOM_UTF32_BE + "\n".join([",".join(HEADER), ",".join(GOOD)]).encode("utf-32-be"))
    return path


@case("csv_with_a_nul_in_a_field")
def _(d: Path) -> Path:
    """One NUL byte inside a UTF-8 field (a copy from another system): text, not a binary file."""
    path = d / "csv_with_a_nul_in_a_field.csv"
    good = ",".join(GOOD).replace("ซ่อมผิวถนนแล้ว", "ซ่อมผิวถนน\x00แล้ว")
    path.write_bytes("\n".join([",".join(HEADER), good, ""]).encode())
    return path


def build_all(folder: str | Path, names: Sequence[str] | None = None) -> dict[str, Path]:
    """Build the corpus (or ``names`` of it) into ``folder``; returns name → input path."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    return {name: CORPUS[name](folder) for name in (names or CORPUS)}


if __name__ == "__main__":
    built = build_all(sys.argv[1] if len(sys.argv) > 1 else "corpus_out")
    for name, path in built.items():
        print(f"{name}: {path}")
