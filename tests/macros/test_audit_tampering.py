"""Tampering a motivated agency would try, and honest round trips, in one table (issue 13).

Each row of :data:`CASES` is (name, how the clean submission is changed, what the audit must find): a set
of (sheet, cell, finding kind), or ``set()`` for an honest round trip that must give no finding at all.
The changes are made the way the files really arrive: in the sheet XML as Excel saves it (cached values
kept, inline strings, shared formulas), through openpyxl, or through a LibreOffice round trip. The next
trick is one more row.
"""

from __future__ import annotations

import datetime as _dt
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from agencies_synthetic import agency_name, write_agency_submission
from openpyxl import load_workbook
from openpyxl.styles import Color, Font, PatternFill

from cplkpi.macros.audit import audit_workbook
from cplkpi.macros.audit_sample import SAMPLE_SHEET, SUMMARY_SHEET, sample_file_path
from cplkpi.ooxml.parts import sheet_parts
from cplkpi.scoring.thaidate import excel_serial

MARCH = _dt.date(2020, 3, 1)
INDEX = 5  # สำนักงานเขตบางกะปิ
R003, R001, COMPLAINTS = "CPL_R003", "CPL_R001", "เรื่องร้องเรียน"
KEPT = sample_file_path(".", agency_name(INDEX), 2563).name  # the committee's sample file of the agency


@dataclass
class Case:
    """A submission to audit: the file, the committee's sample folder (None: no kept samples) and facts."""

    path: Path
    samples: Path | None = None


@dataclass
class Pack:
    """The clean submission, the committee's sample folder drawn from it, and facts the tamperings use."""

    path: Path
    samples: Path
    march_draw: tuple[str, ...]
    march_completed: tuple[str, ...]
    overdue_row: int


@pytest.fixture(scope="module")
def pack(tmp_path_factory) -> Pack:
    folder = tmp_path_factory.mktemp("tamper")
    path = write_agency_submission(folder / "clean.xlsx", INDEX, MARCH, 400)
    first = audit_workbook(path, samples=folder / "samples")
    from cplkpi.scoring.scores import completed_in_month

    t = first.score.complaints
    done = t[completed_in_month(t, MARCH, first.score.as_of)]["complaint_id"].astype(str)
    ws = load_workbook(path, data_only=True)[R001]
    overdue = next(r for r in range(11, ws.max_row + 1) if ws.cell(r, 11).value == "เกินกำหนด")
    return Pack(path, folder / "samples", first.sample.complaint_ids, tuple(sorted(done)), overdue)


# --- ways to change a file -----------------------------------------------------------------


def _edit_zip(src: Path, dst: Path, edits: dict[str, Callable[[str], str]]) -> Path:
    """Copy ``src`` to ``dst`` with the XML parts in ``edits`` (part name or sheet name) rewritten."""
    with zipfile.ZipFile(src) as zf:
        parts = {name: part for name, (part, _) in sheet_parts(zf).items()}
    by_part = {parts.get(k, k): fn for k, fn in edits.items()}
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename in by_part:
                data = by_part[info.filename](data.decode()).encode()
            zout.writestr(info, data)
    return dst


def _cell_xml(xml: str, ref: str) -> re.Match[str]:
    m = re.search(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)', xml, re.S)
    assert m, f"{ref} not in the sheet"
    return m


def _style(m: re.Match[str]) -> str:
    s = re.search(r'\ss="\d+"', m["attrs"])
    return s[0] if s else ""


def formula(ref: str, text: str) -> Callable[[str], str]:
    """Put formula ``text`` into cell ``ref``, keeping the value the cell showed as the formula's cached result."""
    def edit(xml: str) -> str:
        m = _cell_xml(xml, ref)
        v = re.search(r"<v>(.*?)</v>", m["body"] or "")
        assert v, f"{ref} has no value to keep"
        t = ' t="str"' if 't="s"' in m["attrs"] or 't="str"' in m["attrs"] else ""
        text_xml = text.replace("&", "&amp;").replace("<", "&lt;").replace('"', "&quot;")
        return xml[:m.start()] + f'<c r="{ref}"{_style(m)}{t}><f>{text_xml}</f><v>{v[1]}</v></c>' + xml[m.end():]
    return edit


def inline_text(ref: str, text: str | None = None) -> Callable[[str], str]:
    """Store cell ``ref`` as an inline string: its own number as text (``<is><t>96</t></is>``) or ``text``."""
    def edit(xml: str) -> str:
        m = _cell_xml(xml, ref)
        value = text if text is not None else re.search(r"<v>(.*?)</v>", m["body"])[1]
        return xml[:m.start()] + f'<c r="{ref}"{_style(m)} t="inlineStr"><is><t xml:space="preserve">{value}</t></is></c>' + xml[m.end():]
    return edit


def number(ref: str, value: float | _dt.date) -> Callable[[str], str]:
    def edit(xml: str) -> str:
        m = _cell_xml(xml, ref)
        v = excel_serial(value) if isinstance(value, _dt.date) else value
        return xml[:m.start()] + f'<c r="{ref}"{_style(m)} t="n"><v>{v}</v></c>' + xml[m.end():]
    return edit


def hide_row(row: int) -> Callable[[str], str]:
    return lambda xml: re.sub(rf'<row r="{row}"', f'<row r="{row}" hidden="1"', xml, count=1)


def both(*edits: Callable[[str], str]) -> Callable[[str], str]:
    def edit(xml: str) -> str:
        for e in edits:
            xml = e(xml)
        return xml
    return edit


def hide_sheet(name: str) -> Callable[[str], str]:
    return lambda xml: xml.replace(f'<sheet name="{name}" sheetId="5" state="visible"',
                                   f'<sheet name="{name}" sheetId="5" state="hidden"')


def move_name(name: str, ref: str) -> Callable[[str], str]:
    return lambda xml: re.sub(rf'(<definedName name="{name}">)[^<]*', rf"\g<1>'CPL_R003'!{ref}", xml)


def shared_formulas(col: str, first: int, last: int, si: int) -> Callable[[str], str]:
    """Rewrite a column's formulas the way Excel saves a filled-down range: one shared formula."""
    def edit(xml: str) -> str:
        for r in range(first, last + 1):
            m = _cell_xml(xml, f"{col}{r}")
            f = re.search(r"<f>(.*?)</f>", m["body"])
            new = (f'<f t="shared" ref="{col}{first}:{col}{last}" si="{si}">{f[1]}</f>' if r == first
                   else f'<f t="shared" si="{si}"/>')
            xml = xml[:m.start()] + m[0].replace(f[0], new) + xml[m.end():]
        return xml
    return edit


def in_xml(**edits: Callable[[str], str]) -> Callable[[Pack, Path], Case]:
    """A tampering made in the XML of report sheets: keyword = sheet name (``CPL_R003``)."""
    return xml_parts(edits)


def xml_parts(edits: dict[str, Callable[[str], str]]) -> Callable[[Pack, Path], Case]:
    """A tampering made in the XML: key = sheet name or zip part (``xl/workbook.xml``)."""
    return lambda p, tmp: Case(_edit_zip(p.path, tmp / "t.xlsx", edits))


def with_openpyxl(change: Callable[[object, Pack], None]) -> Callable[[Pack, Path], Case]:
    def make(p: Pack, tmp: Path) -> Case:
        wb = load_workbook(p.path)
        change(wb, p)
        wb.save(tmp / "t.xlsx")
        return Case(tmp / "t.xlsx")
    return make


def style(sheet: str, ref: str, **attrs: object) -> Callable[[Pack, Path], Case]:
    """Give cell ``ref`` another presentation (font, fill, number format) through openpyxl; values kept."""
    return with_openpyxl(lambda wb, p: [setattr(wb[sheet][ref], k, v) for k, v in attrs.items()])


def _copy_first(wb, p: Pack) -> None:
    copy = wb.copy_worksheet(wb[R003])
    copy.title = f"{R003} (2)"
    copy["E18"] = copy["E18"].value + 20
    wb.move_sheet(copy, offset=-len(wb.sheetnames) + 1)


def copy_first(title: Callable[[object], None]) -> Callable[[Pack, Path], Case]:
    """A full copy of CPL_R003 named ``สรุป``, E18 changed, placed first and active, its title line changed
    by ``title`` (given the copied sheet)."""
    def change(wb, p: Pack) -> None:
        copy = wb.copy_worksheet(wb[R003])
        copy.title = "สรุป"
        copy["E18"] = copy["E18"].value + 20
        title(copy)
        wb.move_sheet(copy, offset=-len(wb.sheetnames) + 1)
        wb.active = 0
    return with_openpyxl(change)


def _retitle(old: str, new: str) -> Callable[[object], None]:
    return lambda ws: setattr(ws["A1"], "value", ws["A1"].value.replace(old, new))


def _agency_sample(wb, p: Pack) -> None:
    """The agency's own สุ่มตรวจ sheet: 9 complaints of its choosing, all marked correct, and O18 = 100."""
    ws = wb.create_sheet(SAMPLE_SHEET)
    ws.append(["เดือน", "เลขที่เรื่อง", "ผลการตรวจ"])
    chosen = [c for c in p.march_completed if c not in p.march_draw][:9]
    for cid in chosen:
        ws.append([MARCH, cid, "ถูกต้อง"])
    wb[R003]["O18"] = 100


def _white_when_high(wb, p: Pack) -> None:
    from openpyxl.formatting.rule import CellIsRule

    wb[R003].conditional_formatting.add("E13:E24", CellIsRule(operator="greaterThan", formula=["30"],
                                                               font=Font(color="FFFFFF")))


def _swap_rows(wb, p: Pack) -> None:
    ws = wb[R001]
    for c in range(1, 13):
        ws.cell(11, c).value, ws.cell(12, c).value = ws.cell(12, c).value, ws.cell(11, c).value


def _reverse_complaints(wb, p: Pack) -> None:
    ws = wb[COMPLAINTS]
    rows = [[c.value for c in r] for r in ws.iter_rows(min_row=2)]
    for i, values in enumerate(reversed(rows), start=2):
        for j, v in enumerate(values, start=1):
            ws.cell(i, j).value = v


def kept_sample(change: Callable[[object, Pack], None]) -> Callable[[Pack, Path], Case]:
    """The clean submission audited against an edited copy of the committee's kept sample file."""
    def make(p: Pack, tmp: Path) -> Case:
        folder = tmp / "samples"
        shutil.copytree(p.samples, folder)
        wb = load_workbook(folder / KEPT)
        change(wb, p)
        wb.save(folder / KEPT)
        return Case(p.path, folder)
    return make


def _swap_drawn_id(wb, p: Pack) -> None:
    ws = wb[SAMPLE_SHEET]
    ws["D5"] = next(c for c in p.march_completed if c not in p.march_draw)
    for r in range(5, ws.max_row + 1):
        ws[f"I{r}"] = "ถูกต้อง"


def _rewrite_counts(wb, p: Pack) -> None:
    ws = wb[SUMMARY_SHEET]
    ws["B5"], ws["C5"] = ws["B5"].value - 10, ws["C5"].value - 1


def _no_sample_recorded(wb, p: Pack) -> None:
    """The month's sample rows deleted, the summary saying nothing was completed, drawn as of 29 Feb 2563."""
    ws, sm = wb[SAMPLE_SHEET], wb[SUMMARY_SHEET]
    ws.delete_rows(5, ws.max_row)
    sm["B5"], sm["C5"], sm["J5"] = 0, 0, _dt.datetime(2020, 2, 29)


def _drawn_mid_month(wb, p: Pack) -> None:
    """The sample redrawn as of 20 Mar 2563 (fewer completions, other ids), all marked ถูกต้อง."""
    from cplkpi.macros.audit_sample import draw_month_sample
    from cplkpi.reader import read_workbook

    s = draw_month_sample(read_workbook(p.path).complaints.table, agency_name(INDEX), MARCH, as_of=_dt.date(2020, 3, 20))
    ws, sm = wb[SAMPLE_SHEET], wb[SUMMARY_SHEET]
    agency = ws["A5"].value
    ws.delete_rows(5, ws.max_row)
    for i, cid in enumerate(s.complaint_ids, start=5):
        for col, v in zip("ABCDIK", (agency, _dt.datetime(2020, 3, 1), i - 4, cid, "ถูกต้อง", str(s.seed))):
            ws[f"{col}{i}"] = v
    sm["B5"], sm["C5"], sm["J5"] = s.population, s.size, _dt.datetime(2020, 3, 20)


def _seed_rewritten(wb, p: Pack) -> None:
    ws = wb[SAMPLE_SHEET]
    wb[SUMMARY_SHEET]["I5"] = "12345"
    for r in range(5, ws.max_row + 1):
        ws[f"K{r}"] = "12345"


NARRATIVE = "แบบรายงานความก้าวหน้า"
MARCH_TEXT = "จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 1 มีนาคม - 31 มีนาคม 2563 "


def progress_text(counts: str) -> Callable[[Pack, Path], Case]:
    """The March progress text (row 10 of the progress form) rewritten with other counts."""
    return with_openpyxl(lambda wb, p: wb[NARRATIVE].__setitem__("C10", MARCH_TEXT + counts))


def _marks_of_its_own(p: Pack, tmp: Path) -> Case:
    """The drawn ids in the agency's own sheet, all marked correct; กองกลาง marked the first one incorrect."""
    case = kept_sample(lambda wb, p: [wb[SAMPLE_SHEET].__setitem__(f"I{r}", "ไม่ถูกต้อง" if r == 5 else "ถูกต้อง")
                                      for r in range(5, 5 + len(p.march_draw))])(p, tmp)
    wb = load_workbook(p.path)
    ws = wb.create_sheet(SAMPLE_SHEET)
    ws.append(["เดือน", "เลขที่เรื่อง", "ผลการตรวจ"])
    for cid in p.march_draw:
        ws.append([MARCH, cid, "ถูกต้อง"])
    wb.save(tmp / "t.xlsx")
    return Case(tmp / "t.xlsx", case.samples)


def _late_pack(p: Pack, tmp: Path) -> Case:
    """A pack built as of half a year after the March report's due date (10 Apr 2563)."""
    return Case(write_agency_submission(tmp / "late.xlsx", INDEX, MARCH, 400, as_of=_dt.date(2020, 10, 10)))


def _libreoffice(recalc: bool) -> Callable[[Pack, Path], Case]:
    def make(p: Pack, tmp: Path) -> Case:
        return Case(lo_round_trip(p.path, tmp / "lo.xlsx", recalc=recalc))
    return make


def lo_round_trip(src: Path, dst: Path, *, recalc: bool) -> Path:
    """Open and save ``src`` in headless LibreOffice, recalculating on load or keeping the cached values."""
    from cplkpi.office import convert

    out = convert(src, "xlsx", dst.parent / "lo_out", recalc=recalc)
    return out.replace(dst)


LO = pytest.mark.libreoffice
WARNINGS = {"extra_sheet"}
WB = "xl/workbook.xml"
SUMMARY = f"[{KEPT}]{SUMMARY_SHEET}"
SAMPLE = f"[{KEPT}]{SAMPLE_SHEET}"

#: a white text box over I45 (column 8, row 44 counted from 0), in the drawing part's default namespace
TEXT_BOX = (
    '<twoCellAnchor><from><col>8</col><colOff>0</colOff><row>44</row>'
    '<rowOff>0</rowOff></from><to><col>9</col><colOff>0</colOff><row>45</row>'
    '<rowOff>0</rowOff></to><sp macro="" textlink=""><nvSpPr><cNvPr id="9" name="TextBox 9"/>'
    '<cNvSpPr txBox="1"/></nvSpPr><spPr><a:prstGeom prst="rect"><a:avLst/></a:prstGeom>'
    '<a:solidFill><a:srgbClr val="FFFFFF"/></a:solidFill></spPr><txBody><a:bodyPr/><a:p><a:r>'
    '<a:t>4.9500</a:t></a:r></a:p></txBody></sp><clientData/></twoCellAnchor>')

#: (name, how the clean pack is changed, findings that must be there; set() = no finding at all)
CASES = [
    # --- honest round trips ---
    ("untouched", lambda p, tmp: Case(p.path, p.samples), set()),
    ("openpyxl re-save", with_openpyxl(lambda wb, p: None), set()),
    pytest.param("LibreOffice round trip, recalculated", _libreoffice(True), set(), marks=LO),
    pytest.param("LibreOffice round trip, cached values kept", _libreoffice(False), set(), marks=LO),
    ("CPL_R001 rows reordered", with_openpyxl(_swap_rows), set()),
    ("complaint rows reordered", with_openpyxl(_reverse_complaints), set()),
    ("Excel shared formulas", in_xml(CPL_R003=both(shared_formulas("G", 13, 24, 0), shared_formulas("H", 13, 24, 1))),
     set()),
    # --- 1. a formula in a value cell keeps its cached value but shows another number ---
    ("E18 =INDIRECT(\"E17\")", in_xml(CPL_R003=formula("E18", 'INDIRECT("E17")')),
     {(R003, "E18", "formula_in_value_cell")}),
    ("L3 =TODAY()", in_xml(CPL_R003=formula("L3", "TODAY()")), {(R003, "L3", "formula_in_value_cell")}),
    ("F18 from another workbook", in_xml(CPL_R003=formula("F18", "[1]CPL_R003!F18")),
     {(R003, "F18", "formula_in_value_cell")}),
    ("a formula beside the report", in_xml(CPL_R003=lambda x: re.sub(
        r'(<row r="6"[^>]*>.*?)</row>', r'\1<c r="Q6"><f>1+1</f><v>2</v></c></row>', x, count=1, flags=re.S)),
     {(R003, "Q6", "formula_in_value_cell")}),
    ("G18 another formula", in_xml(CPL_R003=formula("G18", "E18-F18+0")), {(R003, "G18", "formula_changed")}),
    # --- 2. a number stored as text ---
    ("E18 96 as text", in_xml(CPL_R003=inline_text("E18")), {(R003, "E18", "value_as_text")}),
    ("L3 date as text", in_xml(CPL_R003=inline_text("L3", "31/03/2563")), {(R003, "L3", "value_as_text")}),
    ("an overdue status with a trailing space", lambda p, tmp: Case(_edit_zip(p.path, tmp / "t.xlsx", {
        R001: inline_text(f"K{p.overdue_row}", "เกินกำหนด ")})), {(R001, "K{overdue}", "figure_differs")}),
    ("a space in an empty date cell", in_xml(CPL_R003=lambda x: re.sub(
        r'<c r="J18"[^>]*/>', '<c r="J18" t="inlineStr"><is><t xml:space="preserve"> </t></is></c>', x, count=1)),
     {(R003, "J18", "figure_differs")}),
    ("F32 TRUE as a boolean", in_xml(CPL_R003=lambda x: re.sub(r'<c r="F32"([^>]*?)(?: t="\w+")?>(.*?)</c>',
                                                             r'<c r="F32"\1 t="b"><v>1</v></c>', x, count=1,
                                                             flags=re.S)),
     {(R003, "F32", "value_as_text")}),
    ("E18 a data-table formula", in_xml(CPL_R003=lambda x: re.sub(
        r'<c r="E18"([^>]*)>(.*?)</c>', r'<c r="E18"\1><f t="dataTable" ref="E18" dt2D="0" dtr="0" r1="E17"/>\2</c>',
        x, count=1, flags=re.S)), {(R003, "E18", "formula_in_value_cell")}),
    ("progress text: เสร็จสิ้นไปแล้ว / กำลังดำเนินการอยู่", progress_text(
        "จำนวน 91 เรื่อง ดำเนินการเสร็จสิ้นไปแล้ว 80 เรื่อง กำลังดำเนินการอยู่ 11 เรื่อง"),
     {(NARRATIVE, "C10", "figure_differs")}),
    ("progress text in รายการ", progress_text("จำนวน 91 รายการ ดำเนินการเสร็จสิ้นแล้ว 80 รายการ กำลังดำเนินการ 11 รายการ"),
     {(NARRATIVE, "C10", "figure_differs")}),
    ("progress text: แก้ไขแล้วเสร็จ / คงเหลือ", progress_text("จำนวน 91 เรื่อง แก้ไขแล้วเสร็จ 80 เรื่อง คงเหลือ 11 เรื่อง"),
     {(NARRATIVE, "C10", "figure_differs")}),
    ("progress text the parser cannot read", progress_text("จำนวน 32 เรื่อง ปิดงาน 10 เรื่อง ยังไม่ปิด 22 เรื่อง"),
     {(NARRATIVE, "C10", "counts_unreadable")}),
    ("progress text, honest, other words", progress_text(
        "จำนวน 32 เรื่อง ดำเนินการเสร็จสิ้นไปแล้ว 10 เรื่อง กำลังดำเนินการอยู่ 22 เรื่อง"), set()),
    # --- template text ---
    ("A45 รวมคะแนน (ได้ 4.95)", with_openpyxl(lambda wb, p: wb[R003].__setitem__("A45", "รวมคะแนน (ได้ 4.95)")),
     {(R003, "A45", "text_changed")}),
    ("A8 another month's label", with_openpyxl(lambda wb, p: wb[R003].__setitem__("A8", "เดือนกุมภาพันธ์ 2563")),
     {(R003, "A8", "text_changed")}),
    ("header H38 changed", with_openpyxl(lambda wb, p: wb[R003].__setitem__("H38", "หักคะแนน (ยกเว้น)")),
     {(R003, "H38", "text_changed")}),
    ("a score typed in the empty J45", with_openpyxl(lambda wb, p: wb[R003].__setitem__("J45", "คะแนนที่ได้ 4.9500")),
     {(R003, "J45", "text_changed")}),
    ("a score in the page header", with_openpyxl(lambda wb, p: setattr(wb[R003].oddHeader.center, "text",
                                                                       "คะแนน 4.95")),
     {(R003, None, "text_changed")}),
    ("CPL_R001 header text changed", with_openpyxl(lambda wb, p: wb[R001].__setitem__("A1", "รายงานเรื่องคงค้าง (ไม่มี)")),
     {(R001, "A1", "text_changed")}),
    ("a note typed in a CPL_R001 row without an id", with_openpyxl(
        lambda wb, p: wb[R001].__setitem__("B11", None) or wb[R001].__setitem__("M11", "ไม่นับ")),
     {(R001, "M11", "text_changed")}),
    # --- 3. hidden things ---
    ("hidden CPL_R003", xml_parts({WB: hide_sheet(R003)}), {(R003, None, "hidden_sheet")}),
    ("hidden step row", in_xml(CPL_R003=hide_row(41)), {(R003, "41:41", "hidden_rows")}),
    ("hidden overdue complaint", lambda p, tmp: Case(_edit_zip(p.path, tmp / "t.xlsx", {R001: hide_row(p.overdue_row)})),
     {(R001, "{overdue}:{overdue}", "hidden_rows")}),
    ("step row 0 points high", in_xml(CPL_R003=lambda x: x.replace('<row r="41"', '<row r="41" ht="0" customHeight="1"', 1)),
     {(R003, "41:41", "hidden_rows")}),
    ("the empty rest of the sheet hidden", in_xml(CPL_R003=lambda x: x.replace(
        "</cols>", '<col min="17" max="16384" width="9" hidden="1"/></cols>', 1)), set()),
    ("rows 39-41 hidden, Excel's zero-height way", in_xml(CPL_R003=lambda x: re.sub(
        r'<row r="(39|40|41)"[^>]*>.*?</row>', "", re.sub(r"<sheetFormatPr", '<sheetFormatPr zeroHeight="1"', x),
        flags=re.S)), {(R003, "39:41", "hidden_rows")}),
    ("CPL_R001 row 12 one point high", in_xml(CPL_R001=lambda x: x.replace('<row r="12"', '<row r="12" ht="1" customHeight="1"', 1)),
     {(R001, "12:12", "hidden_rows")}),
    ("step row 1.5 points high", in_xml(CPL_R003=lambda x: x.replace('<row r="41"', '<row r="41" ht="1.5" customHeight="1"', 1)),
     {(R003, "41:41", "hidden_rows")}),
    ("column E 0.6 wide", in_xml(CPL_R003=lambda x: re.sub(r'(<col [^>]*)width="9"([^>]*min="5" max="5")', r'\1width="0.6"\2', x, count=1)),
     {(R003, "E:E", "hidden_rows")}),
    ("default row height 0.75", in_xml(CPL_R003=lambda x: re.sub(r'<sheetFormatPr[^>]*/>',
                                                                  '<sheetFormatPr defaultRowHeight="0.75" customHeight="1"/>', x, count=1)),
     {(R003, "2:4", "hidden_rows"), (R003, "13:25", "hidden_rows")}),
    ("column G hidden", in_xml(CPL_R003=lambda x: re.sub(r'(<col [^>]*min="7" max="7")', r'\1 hidden="1"', x, count=1)),
     {(R003, "G:G", "hidden_rows")}),
    ("print area stops before the total", xml_parts({WB: lambda x: x.replace("'CPL_R003'!$A$1:$P$75", "'CPL_R003'!$A$1:$P$40")}),
     {(R003, None, "hidden_rows")}),
    ("E18 formatted ;;;", with_openpyxl(lambda wb, p: setattr(wb[R003]["E18"], "number_format", ";;;")),
     {(R003, "E18", "hidden_value")}),
    ("E18 formatted to show 90", with_openpyxl(lambda wb, p: setattr(wb[R003]["E18"], "number_format", '"90"')),
     {(R003, "E18", "hidden_value")}),
    ("E18 in white", with_openpyxl(lambda wb, p: setattr(wb[R003]["E18"], "number_format", "[White]0")),
     {(R003, "E18", "hidden_value")}),
    ("E18 white on white", with_openpyxl(lambda wb, p: setattr(wb[R003]["E18"], "font", Font(color="FFFFFF"))),
     {(R003, "E18", "hidden_value")}),
    ("white text when above 30", with_openpyxl(_white_when_high), {(R003, "E13", "hidden_value")}),
    ("I45 on a solid black fill", style(R003, "I45", fill=PatternFill("solid", fgColor="000000")),
     {(R003, "I45", "hidden_value")}),
    ("E18 font FFFFFE", style(R003, "E18", font=Font(size=9, color="FFFFFE")), {(R003, "E18", "hidden_value")}),
    ("E18 font indexed 9 (white)", style(R003, "E18", font=Font(size=9, color=Color(indexed=9))),
     {(R003, "E18", "hidden_value")}),
    ("E18 white on a theme-0 fill", style(R003, "E18", font=Font(size=9, color="FFFFFF"),
                                         fill=PatternFill("solid", fgColor=Color(theme=0))),
     {(R003, "E18", "hidden_value")}),
    ("E18 black on 0A0A0A", style(R003, "E18", fill=PatternFill("solid", fgColor="0A0A0A")),
     {(R003, "E18", "hidden_value")}),
    ("E18 black on a dark pattern", style(R003, "E18", fill=PatternFill("darkGray", fgColor="000000")),
     {(R003, "E18", "hidden_value")}),
    ("E18 font size 1", style(R003, "E18", font=Font(size=1)), {(R003, "E18", "hidden_value")}),
    ("I45 formatted 0 (shows 5)", style(R003, "I45", number_format="0"), {(R003, "I45", "hidden_value")}),
    ("E18 formatted 0, (shows 0)", style(R003, "E18", number_format="0,"), {(R003, "E18", "hidden_value")}),
    ("E18 formatted 0%", style(R003, "E18", number_format="0%"), {(R003, "E18", "hidden_value")}),
    ("I45 formatted # ?/?", style(R003, "I45", number_format="# ?/?"), {(R003, "I45", "hidden_value")}),
    ("L3 date shown as General", style(R003, "L3", number_format="General"), {(R003, "L3", "hidden_value")}),
    ("Excel 2010 conditional format (x14)", in_xml(CPL_R003=lambda x: x.replace("</worksheet>", (
        '<extLst><ext uri="{78C0D931-6437-407d-A8EE-F0AAD7539E65}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:conditionalFormattings><x14:conditionalFormatting '
        'xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main"><x14:cfRule type="cellIs" priority="1" '
        'operator="greaterThan" id="{00000000-0000-0000-0000-000000000001}"><xm:f>30</xm:f><x14:dxf><font>'
        '<color rgb="FFFFFFFF"/></font></x14:dxf></x14:cfRule><xm:sqref>E13:E24</xm:sqref>'
        '</x14:conditionalFormatting></x14:conditionalFormattings></ext></extLst></worksheet>'), 1)),
     {(R003, "E13", "hidden_value")}),
    ("E18 under a merged D18:E18", in_xml(CPL_R003=lambda x: re.sub(r"(<mergeCells[^>]*>)",
                                                                      r'\1<mergeCell ref="D18:E18"/>', x, count=1)),
     {(R003, "E18", "hidden_value")}),
    ("a white text box reading 4.9500 over I45", xml_parts({"xl/drawings/drawing1.xml": lambda x: x.replace(
        "</wsDr>", f"{TEXT_BOX}</wsDr>")}), {(R003, "I45", "hidden_value")}),
    ("the text box inside mc:AlternateContent", xml_parts({"xl/drawings/drawing1.xml": lambda x: x.replace(
        "</wsDr>", '<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
                   f'<mc:Choice Requires="a14">{TEXT_BOX}</mc:Choice></mc:AlternateContent></wsDr>')}),
     {(R003, "I45", "hidden_value")}),
    ("chart 2's values written into the chart", xml_parts({"xl/charts/chart2.xml": lambda x: re.sub(
        r"<val><numRef>.*?</numRef></val>", "<val><numLit><ptCount val=\"1\"/><pt idx=\"0\"><v>100</v></pt></numLit></val>",
        x, count=1, flags=re.S)}), {(R003, "I54", "hidden_value")}),
    ("a figure written into the page header", with_openpyxl(
        lambda wb, p: setattr(wb[R003].oddHeader.right, "text", "คะแนนรวม 4.9500")), {(R003, None, "text_changed")}),
    ("CPL_R003 (2) placed first", with_openpyxl(_copy_first), {(f"{R003} (2)", None, "duplicate_report")}),
    ("a copy titled CPL‐R003 (Unicode hyphen)", copy_first(_retitle("CPL_R003", "CPL\u2010R003")),
     {("สรุป", None, "duplicate_report")}),
    ("a copy titled with a zero-width space", copy_first(_retitle("CPL_R003", "CPL_\u200bR003")),
     {("สรุป", None, "duplicate_report")}),
    ("a copy with its title moved to row 4", copy_first(lambda ws: ws.insert_rows(1, 3)),
     {("สรุป", None, "duplicate_report")}),
    ("a copy without its title", copy_first(lambda ws: setattr(ws["A1"], "value", None)),
     {("สรุป", None, "duplicate_report")}),
    ("an unknown sheet", with_openpyxl(lambda wb, p: wb.create_sheet("ร่าง")), {("ร่าง", None, "extra_sheet")}),
    # --- 4. the sample is the committee's ---
    ("agency-made สุ่มตรวจ sheet, O18=100", with_openpyxl(_agency_sample), {(SAMPLE_SHEET, "B2", "sample_mismatch")}),
    ("kept sample: a drawn id swapped", kept_sample(_swap_drawn_id),
     {(SAMPLE, "D5", "sample_mismatch"), (SUMMARY, "A5", "sample_mismatch")}),
    ("kept sample: population and size rewritten", kept_sample(_rewrite_counts),
     {(SUMMARY, "B5", "sample_mismatch"), (SUMMARY, "C5", "sample_mismatch")}),
    ("kept sample: an id not in the workbook", kept_sample(lambda wb, p: wb[SAMPLE_SHEET].__setitem__("D5", "999999999")),
     {(SAMPLE, "D5", "sample_unknown_id"), (SAMPLE, "D5", "sample_mismatch")}),
    ("kept sample: no sample recorded, drawn as of 29 Feb", kept_sample(_no_sample_recorded),
     {(SUMMARY, "J5", "sample_mismatch"), (SUMMARY, "B5", "sample_mismatch"), (SUMMARY, "C5", "sample_mismatch"),
      (SUMMARY, "A5", "sample_mismatch")}),
    ("kept sample: drawn as of 20 Mar, all correct", kept_sample(_drawn_mid_month),
     {(SUMMARY, "J5", "sample_mismatch"), (SUMMARY, "B5", "sample_mismatch")}),
    ("kept sample: seed rewritten", kept_sample(_seed_rewritten),
     {(SUMMARY, "I5", "sample_mismatch"), (SAMPLE, "K5", "sample_mismatch")}),
    ("agency sheet marks its own draw correct", _marks_of_its_own, {(SAMPLE_SHEET, "C2", "sample_marks_differ")}),
    # --- 5. dates that move the goalposts ---
    ("as of half a year after the due date", _late_pack, {(R003, "L3", "as_of_after_due")}),
    ("C4 says February", in_xml(CPL_R003=number("C4", _dt.date(2020, 2, 1))), {(R003, "C4", "month_mismatch")}),
    ("R003_AS_OF defined again on the sheet", xml_parts({WB: lambda x: x.replace(
        "</definedNames>", "<definedName name=\"R003_AS_OF\" localSheetId=\"4\">'CPL_R003'!$L$4</definedName>"
        "</definedNames>")}), {(R003, None, "name_changed")}),
    ("R003_THRESHOLD = E48-45", xml_parts({WB: move_name("R003_THRESHOLD", "$E$48-45")}),
     {(R003, "E48", "name_changed")}),
    ("R003_LATE_PER_MONTH = E49*0", xml_parts({WB: move_name("R003_LATE_PER_MONTH", "$E$49*0")}),
     {(R003, "E49", "name_changed")}),
    ("R003_AS_OF = L3-30", xml_parts({WB: move_name("R003_AS_OF", "$L$3-30")}), {(R003, "L3", "name_changed")}),
    ("R003_AS_OF = the whole column L", xml_parts({WB: move_name("R003_AS_OF", "$L:$L")}),
     {(R003, "L3", "name_changed")}),
    ("names written another way (no quotes, lower case)", xml_parts({WB: lambda x: x.replace(
        "'CPL_R003'!$E$48", "cpl_r003!$e$48").replace("'CPL_R003'!$L$3<", "CPL_R003!L3<")}), set()),
    ("R003_AS_OF moved, E18 changed", xml_parts({WB: move_name("R003_AS_OF", "$L$4"), R003: number("E18", 90)}),
     {(R003, "L3", "name_changed"), (R003, "E18", "figure_differs")}),
]


@pytest.mark.parametrize(("name", "make", "expected"), CASES, ids=[
    c.values[0] if hasattr(c, "marks") else c[0] for c in CASES])
def test_tampering_is_found_and_honest_round_trips_are_not(pack, tmp_path, request, name, make, expected):
    if request.node.get_closest_marker("libreoffice"):
        request.getfixturevalue("libreoffice")  # skips (locally) or fails (CI) without LibreOffice
    case = make(pack, tmp_path)
    result = audit_workbook(case.path, samples=case.samples)
    found = {(f.sheet, f.cell, f.code) for f in result.findings}
    want = {(s, c.format(overdue=pack.overdue_row) if c else c, k) for s, c, k in expected}
    if not want:
        assert result.findings == [], [(f.where, f.code, f.message_en) for f in result.findings]
        assert result.passed and result.month == MARCH
        return
    assert want <= found, sorted(found, key=str)
    # every tampering fails the audit (exit status 1); a sheet beyond the template's set is only listed
    assert result.passed == all(k in WARNINGS for _, _, k in want)
    assert result.month == MARCH  # whatever C4 says


def test_the_month_is_cross_checked_and_figures_fall_back_to_the_template(pack, tmp_path):
    """C4 alone cannot move the audit to February; E8/F8/G8 are not reported as changed formulas."""
    bad = _edit_zip(pack.path, tmp_path / "t.xlsx", {R003: number("C4", _dt.date(2020, 2, 1))})
    result = audit_workbook(bad)
    assert result.month == MARCH
    assert [(f.where, f.reported, f.recomputed) for f in result.findings] == [
        (f"{R003}!C4", "ก.พ. 2563", "มี.ค. 2563")]


def test_a_late_as_of_is_audited_as_of_the_due_date(pack, tmp_path):
    """Total 4.6322 → 4.8076 in the issue: here the late pack's figures are recomputed as of 10 Apr 2563."""
    case = _late_pack(pack, tmp_path)
    result = audit_workbook(case.path)
    assert result.score.as_of == _dt.date(2020, 4, 10)
    (late,) = [f for f in result.findings if f.code == "as_of_after_due"]
    assert (late.reported, late.recomputed) == ("10 ต.ค. 2563", "10 เม.ย. 2563")
    assert f"{R003}!I45" in {f.where for f in result.findings if f.code == "figure_differs"}


def test_a_formula_in_a_value_cell_says_why_its_value_cannot_be_trusted(pack, tmp_path):
    bad = _edit_zip(pack.path, tmp_path / "t.xlsx", {R003: both(formula("E18", 'INDIRECT("E17")'),
                                                                 formula("F18", "[1]CPL_R003!F18"))})
    by_cell = {f.cell: f for f in audit_workbook(bad).findings if f.code == "formula_in_value_cell"}
    assert by_cell["E18"].reported == '=INDIRECT("E17")' and by_cell["E18"].recomputed == 32
    assert "volatile" in by_cell["E18"].message_en and "INDIRECT" in by_cell["E18"].message_th
    assert "another workbook" in by_cell["F18"].message_en


def test_every_kept_month_is_checked_as_of_the_date_it_was_drawn(pack, tmp_path):
    """February drawn in an earlier audit, March now: both months of the file are checked, neither is a finding."""
    folder = tmp_path / "samples"
    audit_workbook(pack.path, month=_dt.date(2020, 2, 1), samples=folder)  # February's audit (as of 29 Feb)
    result = audit_workbook(pack.path, samples=folder)
    assert [(x.month, x.as_of) for x in result.sample_file.samples] == [
        (_dt.date(2020, 2, 1), _dt.date(2020, 2, 29)), (MARCH, _dt.date(2020, 3, 31))]
    assert result.findings == []
    ws = load_workbook(folder / KEPT, data_only=True)[SUMMARY_SHEET]
    assert ws["J4"].value == "สุ่ม ณ วันที่ (as of)" and ws["J5"].value.date() == _dt.date(2020, 2, 29)
    # February's kept ids edited afterwards: found at its cell, March untouched
    wb = load_workbook(folder / KEPT)
    feb_row = next(r for r in range(5, wb[SAMPLE_SHEET].max_row + 1)
                   if wb[SAMPLE_SHEET].cell(r, 2).value.month == 2)
    wb[SAMPLE_SHEET].cell(feb_row, 4).value = pack.march_completed[0]
    wb.save(folder / KEPT)
    found = {(f.sheet, f.cell, f.code) for f in audit_workbook(pack.path, samples=folder).findings}
    assert (SAMPLE, f"D{feb_row}", "sample_mismatch") in found


@pytest.mark.libreoffice
def test_with_recalc_the_audit_shows_what_excel_will_show(pack, tmp_path, libreoffice):
    """E18 stored as text: Excel's SUM skips it; LibreOffice's recalculation shows the totals the committee would see."""
    values = load_workbook(pack.path, data_only=True)[R003]
    e18, e25, f25 = values["E18"].value, values["E25"].value, values["F25"].value
    bad = _edit_zip(pack.path, tmp_path / "t.xlsx", {R003: inline_text("E18")})
    assert {f.code for f in audit_workbook(bad).findings} >= {"value_as_text"}
    result = audit_workbook(bad, recalc=True)
    shown = {f.cell: (f.reported, f.recomputed) for f in result.findings if f.code == "recalculated_differs"}
    assert shown["E25"] == (e25 - e18, e25)
    assert shown["H25"] == (round(f25 * 100 / (e25 - e18), 2), round(f25 * 100 / e25, 2))
    assert "E18" not in shown  # a value cell: its type is the finding
    # an honest pack shows the engine's values after recalculation
    assert [f for f in audit_workbook(pack.path, recalc=True).findings if f.code == "recalculated_differs"] == []


def test_marks_of_its_own_are_told_in_thai(pack, tmp_path):
    case = _marks_of_its_own(pack, tmp_path)
    (f,) = [f for f in audit_workbook(case.path, samples=case.samples).findings if f.code == "sample_marks_differ"]
    assert (f.where, f.reported, f.recomputed, f.complaint_id) == (
        f"{SAMPLE_SHEET}!C2", "ถูกต้อง", "ไม่ถูกต้อง", pack.march_draw[0])


def test_unreadable_text_and_another_format_are_told_with_the_templates(pack, tmp_path):
    """The finding says what shows and what the template shows: colours, contrast, size, number format."""
    wb = load_workbook(pack.path)
    wb[R003]["E18"].font = Font(size=9, color="FFFFFE")
    wb[R003]["E17"].font = Font(size=1)
    wb[R003]["I45"].number_format = "0"
    wb.save(tmp_path / "t.xlsx")
    by_cell = {f.cell: f for f in audit_workbook(tmp_path / "t.xlsx").findings if f.code == "hidden_value"}
    assert by_cell["E18"].message_en == ("the text of E18 (#FFFFFE on #FFFFFF) can hardly be seen: its value 32 does "
                                         "not show (contrast 1.00:1, template 21.00:1)")
    assert by_cell["E18"].message_th.startswith("ตัวอักษรในเซลล์ E18 (สี #FFFFFE บนพื้น #FFFFFF) แทบมองไม่เห็น")
    assert by_cell["E17"].message_en == "the text of E17 is 1 pt (template 9 pt): its value 35 cannot be read"
    assert by_cell["I45"].message_en.startswith("the number format of I45 (0) is not the template's (0.0000)")


def test_a_row_too_low_to_read_is_told_with_the_templates_height(pack, tmp_path):
    bad = _edit_zip(pack.path, tmp_path / "t.xlsx", {R003: both(
        lambda x: x.replace('<row r="41"', '<row r="41" ht="1.5" customHeight="1"', 1),
        lambda x: re.sub(r'(<col [^>]*)width="9"([^>]*min="5" max="5")', r'\1width="0.6"\2', x, count=1))})
    by_cell = {f.cell: f for f in audit_workbook(bad).findings if f.code == "hidden_rows"}
    assert by_cell["41:41"].message_en == "row 41 of report CPL_R003 is 1.5 pt high (template 15): unreadable in the printout"
    assert by_cell["41:41"].message_th == ("แถว 41 ของรายงาน CPL_R003 สูงเพียง 1.5 พอยต์ (แม่แบบ 15) "
                                           "ข้อมูลในแถวนี้จะมองไม่เห็นในเอกสารที่พิมพ์")
    assert by_cell["E:E"].message_en == ("column E of report CPL_R003 is 0.6 characters wide (template 9): "
                                         "unreadable in the printout")


def test_a_text_box_over_a_figure_is_told_with_its_text(pack, tmp_path):
    bad = _edit_zip(pack.path, tmp_path / "t.xlsx", {"xl/drawings/drawing1.xml": lambda x: x.replace(
        "</wsDr>", f"{TEXT_BOX}</wsDr>")})
    (f,) = [f for f in audit_workbook(bad).findings if f.code == "hidden_value"]
    assert (f.where, f.reported) == (f"{R003}!I45", "4.9500")
    assert f.message_en == ("a shape the template does not have is drawn over report CPL_R003 at I45 reading "
                            "'4.9500': it shows over the report's values")
    assert f.message_th == ("มีรูปร่างหรือกล่องข้อความวาดทับรายงาน CPL_R003 ที่เซลล์ I45 ซึ่งแม่แบบไม่มี ข้อความ «4.9500» "
                            "จะปรากฏทับค่าในเอกสารที่พิมพ์")


def test_a_name_moved_to_another_sheet_is_moved_not_missing(pack, tmp_path):
    bad = _edit_zip(pack.path, tmp_path / "t.xlsx", {WB: lambda x: re.sub(
        r'(<definedName name="R003_AS_OF">)[^<]*', "\\g<1>'เรื่องร้องเรียน'!$B$2", x)})
    (f,) = [f for f in audit_workbook(bad).findings if f.code == "name_changed"]
    assert (f.where, f.reported, f.recomputed) == (f"{R003}!L3", "เรื่องร้องเรียน!$B$2", "L3")
    assert f.message_en.startswith("defined name R003_AS_OF moved to เรื่องร้องเรียน!$B$2")
