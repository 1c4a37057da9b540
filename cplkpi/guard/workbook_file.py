"""The check of a workbook file before any reader opens it: kind, zip, sizes, every sheet measured."""

from __future__ import annotations

import posixpath
import re
import zipfile
import zlib
from pathlib import Path

from cplkpi.guard.counts import COUNTED_PART, check_declared_counts, counted_targets
from cplkpi.guard.limits import (
    MAX_RATIO,
    MAX_UNZIPPED_BYTES,
    OLE_MAGIC,
    bomb,
    check_extent,
    common_checks,
    corrupt_error,
    fail,
    warn,
)
from cplkpi.guard.members import Lying, member_chunks
from cplkpi.guard.ods import check_ods_content, is_ods
from cplkpi.guard.sheets import (
    check_sheet_part,
    sheet_members,
    unique_names,
)
from cplkpi.guard.xls import check_xls, ole_kind
from cplkpi.guard.xlsb import xlsb_extent
from cplkpi.ooxml.scan import (
    UnsafeXml,
)
from cplkpi.scoring.errors import Problem

#: What each command may read: the complaint workbook and reports are .xlsx/.xlsm; ``import`` also
#: reads MIS exports saved as .xlsb, .xls or OpenDocument .ods.
WORKBOOK_FORMATS = ("xlsx",)
IMPORT_FORMATS = ("xlsx", "xlsb", "xls", "ods")


def check_workbook_file(path: str | Path, formats: tuple[str, ...] = WORKBOOK_FORMATS) -> list[Problem]:
    """Refuse (raise :class:`InputError` naming the file) a workbook we cannot read safely.

    ``formats`` are those the caller reads (``xlsx``: .xlsx/.xlsm; ``xlsb``, ``xls``, ``ods``); any other
    kind is
    refused with what to do. Every format gets the same limits: file size, zip bombs, and sheets whose
    cells would reach beyond :data:`MAX_ROWS` rows or :data:`MAX_CELLS` cells in the reader.

    Returns warnings for what is kept but not used: macros (never run),
    external links (stored values used, never followed), data connections
    (never refreshed) and embedded objects (never opened).
    """
    path = Path(path)
    common_checks(path)
    with path.open("rb") as fh:
        head = fh.read(2048)
    if not head.startswith(b"PK"):
        if "xls" in formats and head.startswith(OLE_MAGIC) and ole_kind(path) == "xls":
            check_xls(path)
            return []
        _refuse_non_zip(path, head)
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise corrupt_error(path, f"zip: {exc}") from exc
    with zf:
        infos = zf.infolist()
        names = {i.filename for i in infos}
        if any(i.flag_bits & 0x1 for i in infos):
            raise fail("encrypted", "ไฟล์ถูกเข้ารหัสด้วยรหัสผ่าน: เอารหัสผ่านออกแล้วบันทึกเป็น .xlsx",
                        "the file is encrypted with a password: remove the password and save as .xlsx", path)
        kind = ("xlsx" if "xl/workbook.xml" in names else "xlsb" if "xl/workbook.bin" in names
                else "ods" if is_ods(zf, names) else None)
        if kind not in formats:
            _refuse_other_zip(zf, names, path)
        total = sum(i.file_size for i in infos)
        packed = max(sum(i.compress_size for i in infos), 1)
        if total > MAX_UNZIPPED_BYTES or total / packed > MAX_RATIO:
            raise bomb(path, total, ratio=total / packed)
        lower = unique_names(infos, path)
        # The reader picks its format by the file's extension, not by what the zip holds: every kind of
        # sheet the zip holds is measured (an .xlsb named file with a harmless xl/workbook.xml beside its
        # binary sheets is read as .xlsb).
        xml_sheets = sheet_members(zf, lower, path, "xlsx") if "xl/workbook.xml" in lower else {}
        bin_sheets = sheet_members(zf, lower, path, "xlsb") if "xl/workbook.bin" in lower else {}
        counted = counted_targets(zf, lower) if kind == "xlsx" else set()
        with path.open("rb") as raw:
            for info in infos:
                try:
                    measured = False
                    if info.filename in xml_sheets:
                        check_sheet_part(path, raw, info, xml_sheets[info.filename])
                        measured = True
                    if info.filename in bin_sheets:
                        extent = xlsb_extent(member_chunks(raw, info))
                        check_extent(path, bin_sheets[info.filename], *extent)
                        measured = True
                    if kind == "xlsx" and (COUNTED_PART.search(info.filename) or info.filename in counted):
                        check_declared_counts(path, member_chunks(raw, info), info.filename,
                                               max(sum(not COUNTED_PART.search(m) for m in xml_sheets), 1))
                        measured = True
                    if info.filename.lower() == "content.xml":
                        check_ods_content(path, member_chunks(raw, info))
                        measured = True
                    if not measured:
                        for _ in member_chunks(raw, info):
                            pass
                except Lying as exc:
                    raise bomb(path, info.file_size, lying=info.filename) from exc
                except UnsafeXml as exc:
                    raise fail("unsafe_xml",
                                f"ไฟล์มี XML ที่ไม่ปลอดภัย (DTD/entity) ใน {exc} ปฏิเสธเพื่อความปลอดภัย",
                                f"the file contains unsafe XML (DTD/entities) in {exc}; refused for safety",
                                path) from exc
                except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError, OSError) as exc:
                    raise corrupt_error(path, f"{info.filename}: {exc}") from exc
        return _warnings(zf, names, path) if kind == "xlsx" else []


def _refuse_non_zip(path: Path, head: bytes) -> None:
    if head.startswith(OLE_MAGIC):
        kind = ole_kind(path)
        if kind == "encrypted":
            raise fail("encrypted", "ไฟล์ถูกเข้ารหัสด้วยรหัสผ่าน: เปิดใน Excel แล้วเอารหัสผ่านออก "
                        "(ไฟล์ > ข้อมูล > ป้องกันเวิร์กบุ๊ก > เข้ารหัสด้วยรหัสผ่าน) แล้วบันทึกเป็น .xlsx",
                        "the workbook is encrypted with a password: remove the password in Excel "
                        "(File > Info > Protect Workbook > Encrypt with Password) and save as .xlsx", path)
        if kind == "xls":
            raise fail("legacy_xls", "ไฟล์เป็น Excel รุ่นเก่า (.xls): เปิดใน Excel แล้วบันทึกเป็น .xlsx",
                        "the file is a legacy Excel .xls workbook: open it in Excel and save it as .xlsx",
                        path)
        raise fail("not_xlsx", "ไม่ใช่ไฟล์ Excel (.xlsx): เป็นไฟล์ Office รุ่นเก่าชนิดอื่น",
                    "not an Excel .xlsx file: another legacy Office (OLE) file", path)
    text = head.lstrip(b"\xef\xbb\xbf \t\r\n").lower()
    if text.startswith((b"<!doctype html", b"<html", b"<table", b"<meta")) or b"<html" in text[:512]:
        raise fail("html_as_excel", "ไฟล์เป็นหน้าเว็บ (HTML) ที่ตั้งนามสกุลเป็น Excel: เปิดใน Excel "
                    "แล้วบันทึกเป็น .xlsx", "the file is a web page (HTML) named like an Excel file: "
                    "open it in Excel and save it as .xlsx", path)
    if text.startswith(b"<?xml") and b"urn:schemas-microsoft-com:office:spreadsheet" in head:
        raise fail("xml_spreadsheet", "ไฟล์เป็น XML Spreadsheet 2003: เปิดใน Excel แล้วบันทึกเป็น .xlsx",
                    "the file is an XML Spreadsheet 2003: open it in Excel and save it as .xlsx", path)
    if b"\x00" not in head:
        raise fail("text_as_excel", "ไฟล์เป็นข้อความ (เช่น CSV) แต่ตั้งนามสกุลเป็น Excel: "
                    "เปลี่ยนนามสกุลเป็น .csv หรือบันทึกเป็น .xlsx",
                    "the file is plain text (such as CSV) named like an Excel file: "
                    "rename it to .csv or save it as .xlsx", path)
    raise fail("not_xlsx", "ไม่ใช่ไฟล์ Excel (.xlsx) หรือไฟล์เสียหาย",
                "not an Excel .xlsx file, or the file is corrupt", path)


def _refuse_other_zip(zf: zipfile.ZipFile, names: set[str], path: Path) -> None:
    if "xl/workbook.bin" in names:
        raise fail("xlsb", "ไฟล์เป็น Excel แบบไบนารี (.xlsb): เปิดใน Excel แล้วบันทึกเป็น .xlsx",
                    "the file is an Excel binary workbook (.xlsb): open it in Excel and save it as .xlsx",
                    path)
    if is_ods(zf, names):
        raise fail("ods", "ไฟล์เป็น OpenDocument (.ods): บันทึกเป็น .xlsx ก่อน",
                    "the file is an OpenDocument spreadsheet (.ods): save it as .xlsx first", path)
    if "word/document.xml" in names:
        raise fail("not_xlsx", "ไฟล์เป็นเอกสาร Word ไม่ใช่ Excel (.xlsx)",
                    "the file is a Word document, not an Excel .xlsx workbook", path)
    raise fail("not_xlsx", "ไม่ใช่ไฟล์ Excel (.xlsx): ไม่มี xl/workbook.xml",
                "not an Excel .xlsx file: no xl/workbook.xml", path)


def _external_targets(zf: zipfile.ZipFile, names: set[str]) -> list[str]:
    targets = []
    for name in sorted(names):
        if re.fullmatch(r"xl/externalLinks/_rels/externalLink\d+\.xml\.rels", name):
            targets += re.findall(r'Target="([^"]*)"', zf.read(name).decode("utf-8", "replace"))
    return [posixpath.basename(t.replace("\\", "/").replace("%20", " ")) or t for t in targets]


def _warnings(zf: zipfile.ZipFile, names: set[str], path: Path) -> list[Problem]:
    out = []
    if any(n.endswith("vbaProject.bin") or n.startswith("xl/macrosheets/") for n in names):
        out.append(warn("macros", "ไฟล์มีแมโคร (VBA): cplkpi ไม่เรียกใช้แมโคร อ่านเฉพาะค่าที่บันทึกในเซลล์",
                          "the file contains macros (VBA): cplkpi never runs them and reads stored cell "
                          "values only", path))
    if any(n.startswith("xl/externalLinks/") for n in names):
        targets = _external_targets(zf, names)
        shown = ", ".join(targets[:3]) + (f" และอีก {len(targets) - 3}" if len(targets) > 3 else "")
        out.append(warn("external_links",
                         f"ไฟล์เชื่อมโยงข้อมูลจากไฟล์อื่น ({shown}): ใช้ค่าที่บันทึกไว้ล่าสุด ไม่ได้เปิดไฟล์ที่เชื่อมโยง "
                         "ค่าอาจไม่เป็นปัจจุบัน",
                         f"the workbook links to other files ({shown}): the values last stored are used and "
                         "the linked files are not opened, so they may be out of date", path))
    if "xl/connections.xml" in names:
        out.append(warn("data_connections", "ไฟล์มีการเชื่อมต่อข้อมูลภายนอก (Power Query/ODBC): ไม่ได้รีเฟรช "
                         "ใช้ค่าที่บันทึกไว้ล่าสุด", "the workbook has external data connections "
                         "(Power Query/ODBC): they are not refreshed; the values last stored are used", path))
    if any(n.startswith(("xl/embeddings/", "xl/activeX/")) for n in names):
        out.append(warn("embedded_objects", "ไฟล์มีวัตถุฝังหรือ ActiveX: ไม่ได้เปิดหรือเรียกใช้",
                         "the workbook has embedded objects or ActiveX controls: they are not opened or run",
                         path))
    return out
