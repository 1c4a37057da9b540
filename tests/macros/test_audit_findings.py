"""The audit finds every kind of tampering with a submitted agency workbook, at the right cell.

One clean synthetic submission (a district, FY 2563, report month มี.ค. 2563, built by the report job) is
copied and tampered with the way real forms go wrong (seed 003, SPEC §8). Most edits are made in the
file's XML, the way Excel saves a workbook: every other formula keeps its stored result.
"""

from __future__ import annotations

import datetime as _dt
import re
import zipfile
from pathlib import Path

import pytest
from agencies_synthetic import agency_name, write_agency_submission

from cplkpi.macros.audit import audit_workbook
from cplkpi.macros.audit_submission import NARRATIVE_SHEET
from cplkpi.ooxml.parts import sheet_parts as guard_parts
from cplkpi.scoring.thaidate import excel_serial

MARCH = _dt.date(2020, 3, 1)
INDEX = 5  # สำนักงานเขตบางกะปิ
R003, R001, COMPLAINTS = "CPL_R003", "CPL_R001", "เรื่องร้องเรียน"
FEB_ROW, MAR_ROW = 17, 18  # CPL_R003 monthly table rows of ก.พ. and มี.ค. 2563
NARR_FEB, NARR_MAR = 9, 10  # narrative rows (reports 5 and 6)


@pytest.fixture(scope="module")
def clean(tmp_path_factory) -> Path:
    return write_agency_submission(tmp_path_factory.mktemp("audit") / "clean.xlsx", INDEX, MARCH, 400)


@pytest.fixture(scope="module")
def clean_result(clean):
    return audit_workbook(clean)


def _cell_re(ref: str) -> re.Pattern[str]:
    return re.compile(rf'<c r="{ref}"(?P<attrs>[^>]*?)(?:/>|>(?P<body>.*?)</c>)', re.S)


class Cached:
    """A new stored result for a formula cell (the formula stays), as Excel writes after recalculating."""

    def __init__(self, value):
        self.value = value


def _xml_value(ref: str, style: str, value, body: str | None = None) -> str:
    if isinstance(value, Cached):
        formula = re.search(r"<f>.*?</f>", body or "", re.S)
        assert formula, f"{ref} holds no formula"
        return f'<c r="{ref}"{style}>{formula[0]}<v>{value.value}</v></c>'
    if value is None:
        return f'<c r="{ref}"{style}/>'
    if isinstance(value, _dt.date):
        value = excel_serial(value)
    if isinstance(value, str):
        text = value.replace("&", "&amp;").replace("<", "&lt;")
        return f'<c r="{ref}"{style} t="inlineStr"><is><t>{text}</t></is></c>'
    return f'<c r="{ref}"{style} t="n"><v>{value}</v></c>'


def tamper(src: Path, dst: Path, sheet: str, values: dict) -> Path:
    """Copy ``src`` to ``dst`` with cells of ``sheet`` replaced in the XML (None blanks a cell)."""
    with zipfile.ZipFile(src) as zf:
        part = guard_parts(zf)[sheet][0]

    def edit(xml: str) -> str:
        for ref, value in values.items():
            m = _cell_re(ref).search(xml)
            assert m, f"{sheet}!{ref} not in the file"
            style = re.search(r'\ss="\d+"', m["attrs"])
            xml = xml[:m.start()] + _xml_value(ref, style[0] if style else "", value, m["body"]) + xml[m.end():]
        return xml

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            zout.writestr(info, edit(data.decode()).encode() if info.filename == part else data)
    return dst


def read_cell(path: Path, sheet: str, ref: str):
    from openpyxl import load_workbook

    return load_workbook(path, data_only=True)[sheet][ref].value


def findings_at(result, kind: str) -> set[str]:
    return {f.where for f in result.findings if f.code == kind}


def test_an_untouched_submission_has_no_finding(clean_result):
    assert clean_result.agency == agency_name(INDEX) and clean_result.month == MARCH
    assert clean_result.findings == []
    assert clean_result.score.total > 0 and len(clean_result.score.complaints) > 100


def test_a_figure_that_differs_is_found_with_reported_and_recomputed(clean, tmp_path):
    march = read_cell(clean, R003, f"E{MAR_ROW}")
    bad = tamper(clean, tmp_path / "t.xlsx", R003, {f"E{MAR_ROW}": march + 3})
    result = audit_workbook(bad)
    (f,) = [f for f in result.findings if f.code == "figure_differs" and f.where == f"{R003}!E{MAR_ROW}"]
    assert (f.reported, f.recomputed) == (march + 3, march)
    # the month's figures no longer add up either (validator)
    assert f"{R003}!E{MAR_ROW}" in findings_at(result, "counts_mismatch")


def test_a_formula_replaced_by_a_typed_number(clean, tmp_path):
    total = read_cell(clean, R003, "I45")
    g = read_cell(clean, R003, f"G{MAR_ROW}")
    bad = tamper(clean, tmp_path / "t.xlsx", R003, {"I45": 5, f"G{MAR_ROW}": g})
    result = audit_workbook(bad)
    replaced = {f.where: f for f in result.findings if f.code == "formula_replaced"}
    assert set(replaced) == {f"{R003}!I45", f"{R003}!G{MAR_ROW}"}
    assert (replaced[f"{R003}!I45"].reported, replaced[f"{R003}!I45"].recomputed) == (5, total)
    assert replaced[f"{R003}!G{MAR_ROW}"].reported == g  # same number, still not the formula


def test_a_formula_replaced_in_a_tool_that_drops_stored_results(clean, tmp_path):
    """openpyxl (like some tools) writes formulas without results: only formula text can be compared."""
    from openpyxl import load_workbook

    wb = load_workbook(clean)
    wb[R003]["H9"] = 99.5
    wb.save(tmp_path / "t.xlsx")
    result = audit_workbook(tmp_path / "t.xlsx")
    assert findings_at(result, "formula_replaced") == {f"{R003}!H9"}
    assert findings_at(result, "figure_differs") == set()


def test_a_total_that_does_not_add_up(clean, tmp_path):
    total = read_cell(clean, R003, "E25")
    bad = tamper(clean, tmp_path / "t.xlsx", R003, {"E25": total + 10})
    result = audit_workbook(bad)
    assert f"{R003}!E25" in findings_at(result, "total_mismatch")
    assert f"{R003}!E25" in findings_at(result, "formula_replaced")


def test_a_narrative_whose_counts_do_not_add_up(clean, tmp_path):
    text = read_cell(clean, NARRATIVE_SHEET, f"C{NARR_MAR}")
    pending = int(re.search(r"กำลังดำเนินการ (\d+) เรื่อง", text)[1])
    bad = tamper(clean, tmp_path / "t.xlsx", NARRATIVE_SHEET,
                 {f"C{NARR_MAR}": text.replace(f"กำลังดำเนินการ {pending} เรื่อง", f"กำลังดำเนินการ {pending + 1} เรื่อง")})
    result = audit_workbook(bad)
    cell = f"{NARRATIVE_SHEET}!C{NARR_MAR}"
    assert cell in findings_at(result, "counts_mismatch") and cell in findings_at(result, "figure_differs")


def test_a_month_copied_from_the_month_before(clean, tmp_path):
    feb = {c: read_cell(clean, R003, f"{c}{FEB_ROW}") for c in "EFGH"}
    bad = tamper(clean, tmp_path / "t.xlsx", R003, {f"E{MAR_ROW}": feb["E"], f"F{MAR_ROW}": feb["F"],
                                                    f"G{MAR_ROW}": Cached(feb["G"]), f"H{MAR_ROW}": Cached(feb["H"])})
    result = audit_workbook(bad)
    assert f"{R003}!E{MAR_ROW}" in findings_at(result, "month_copied")
    assert {f"{R003}!E{MAR_ROW}", f"{R003}!F{MAR_ROW}"} <= findings_at(result, "figure_differs")


def test_a_narrative_copied_from_the_report_before(clean, tmp_path):
    """Seed 003's reports 8 and 9 are the same text: the copy is found, with the overlap it makes."""
    feb_text = read_cell(clean, NARRATIVE_SHEET, f"C{NARR_FEB}")
    bad = tamper(clean, tmp_path / "t.xlsx", NARRATIVE_SHEET, {f"C{NARR_MAR}": feb_text})
    result = audit_workbook(bad)
    cell = f"{NARRATIVE_SHEET}!C{NARR_MAR}"
    copied = [f for f in result.findings if f.code == "month_copied"]
    assert [f.where for f in copied] == [cell] and copied[0].severity == "error"
    assert cell in findings_at(result, "period_overlap")


def test_a_gap_between_periods(clean, tmp_path):
    feb_text = read_cell(clean, NARRATIVE_SHEET, f"C{NARR_FEB}")
    assert "1 กุมภาพันธ์ - 29 กุมภาพันธ์ 2563" in feb_text
    bad = tamper(clean, tmp_path / "t.xlsx", NARRATIVE_SHEET,
                 {f"C{NARR_FEB}": feb_text.replace("- 29 กุมภาพันธ์", "- 27 กุมภาพันธ์")})
    result = audit_workbook(bad)
    gaps = [f for f in result.findings if f.code == "period_gap"]
    assert [f.where for f in gaps] == [f"{NARRATIVE_SHEET}!C{NARR_MAR}"]
    assert "28 ก.พ. 2563 – 29 ก.พ. 2563" in gaps[0].message_th
    # the same in the CPL_R003 monthly table: February ends early
    bad = tamper(clean, tmp_path / "t2.xlsx", R003, {f"D{FEB_ROW}": _dt.date(2020, 2, 27)})
    result = audit_workbook(bad)
    assert f"{R003}!C{MAR_ROW}" in findings_at(result, "period_gap")
    assert f"{R003}!D{FEB_ROW}" in findings_at(result, "figure_differs")


def test_an_overlap_between_periods(clean, tmp_path):
    mar_text = read_cell(clean, NARRATIVE_SHEET, f"C{NARR_MAR}")
    bad = tamper(clean, tmp_path / "t.xlsx", NARRATIVE_SHEET,
                 {f"C{NARR_MAR}": re.sub(r"ตั้งแต่วันที่ 1 มีนาคม", "ตั้งแต่วันที่ 25 กุมภาพันธ์", mar_text)})
    result = audit_workbook(bad)
    assert f"{NARRATIVE_SHEET}!C{NARR_MAR}" in findings_at(result, "period_overlap")


def _completed_row(result) -> tuple[int, str]:
    ev = result.score.complaints
    row = int(ev.index[ev["resolved"].to_numpy(dtype=bool)][0])
    return row, str(ev.at[row, "complaint_id"])


def test_completed_without_result_detail_or_evidence(clean, clean_result, tmp_path):
    row, cid = _completed_row(clean_result)
    bad = tamper(clean, tmp_path / "t.xlsx", COMPLAINTS, {f"M{row}": None, f"N{row}": "ไม่มี"})
    result = audit_workbook(bad)
    detail = [f for f in result.findings if f.code == "completed_without_detail"]
    evidence = [f for f in result.findings if f.code == "completed_without_evidence"]
    assert [(f.where, f.complaint_id) for f in detail] == [(f"{COMPLAINTS}!M{row}", cid)]
    assert [(f.where, f.complaint_id) for f in evidence] == [(f"{COMPLAINTS}!N{row}", cid)]
    # the reports were made from the untouched rows, so step 2 no longer matches the recomputed figures
    assert f"{R003}!G30" in findings_at(result, "figure_differs")


def _r001_ids(path: Path) -> dict[str, int]:
    from openpyxl import load_workbook

    ws = load_workbook(path, data_only=True)[R001]
    return {str(ws.cell(r, 2).value): r for r in range(11, ws.max_row + 1) if ws.cell(r, 2).value}


def test_a_complaint_missing_from_the_pending_report(clean, clean_result, tmp_path):
    ids = _r001_ids(clean)
    cid, r = next((c, r) for c, r in ids.items()
                  if read_cell(clean, R001, f"D{r}").date() >= _dt.date(2019, 10, 1))
    bad = tamper(clean, tmp_path / "t.xlsx", R001, {f"{c}{r}": None for c in "ABCDEFGHIJKL"})
    result = audit_workbook(bad)
    t = clean_result.score.complaints
    complaint_row = int(t.index[t["complaint_id"] == cid][0])
    missing = [f for f in result.findings if f.code == "missing_from_report"]
    assert [(f.where, f.complaint_id) for f in missing] == [(f"{COMPLAINTS}!A{complaint_row}", cid)]
    # and the two reports disagree: CPL_R003 counts it in progress in its month, CPL_R001 does not list it
    forwarded = read_cell(clean, R001, f"D{r}").date().replace(day=1)
    month_row = 13 + (forwarded.month - 10) % 12
    assert findings_at(result, "pending_missing_from_r001") == {f"{R003}!G{month_row}"}


def test_complaints_listed_as_pending_that_are_not(clean, clean_result, tmp_path):
    ids = _r001_ids(clean)
    last = max(ids.values())
    _, done_id = _completed_row(clean_result)
    bad = tamper(clean, tmp_path / "t.xlsx", R001, {f"B{last}": done_id})
    result = audit_workbook(bad)
    assert (f"{R001}!B{last}", done_id) in {(f.where, f.complaint_id) for f in result.findings
                                             if f.code == "not_pending"}
    bad = tamper(clean, tmp_path / "t2.xlsx", R001, {f"B{last}": "999999999"})
    result = audit_workbook(bad)
    assert findings_at(result, "unknown_complaint") == {f"{R001}!B{last}"}


def test_a_missing_report_sheet_and_a_missing_name(clean, tmp_path):
    from openpyxl import load_workbook

    wb = load_workbook(clean)
    del wb[R001]
    del wb.defined_names["R003_TOTAL"]
    wb.save(tmp_path / "t.xlsx")
    result = audit_workbook(tmp_path / "t.xlsx")
    missing = {(f.where, f.severity) for f in result.findings if f.code == "report_missing"}
    assert missing == {(R001, "error")}
    # a deleted name breaks Excel's formulas that use it: an error at its template address, still compared there
    assert {(f.where, f.severity, f.name) for f in result.findings if f.code == "name_changed"} == {
        (f"{R003}!I45", "error", "R003_TOTAL")}
    assert result.score is not None  # still scored from the complaint rows


def test_the_month_comes_from_the_report_and_can_be_overridden(clean):
    assert audit_workbook(clean).month == MARCH
    other = audit_workbook(clean, month=_dt.date(2020, 2, 1))
    assert other.month == _dt.date(2020, 2, 1)
    assert f"{R003}!C4" in findings_at(other, "figure_differs")  # the report says March


def test_audit_from_an_open_book_with_report_grids(clean):
    """The Excel button's path: a ComplaintWorkbook plus ReportSheets built from value/formula grids."""
    from openpyxl import load_workbook

    from cplkpi.macros.audit_source import ReportSheets
    from cplkpi.reader import from_sheets

    values, formulas = load_workbook(clean, data_only=True), load_workbook(clean)
    grids = {name: [list(r) for r in values[name].iter_rows(values_only=True)] for name in values.sheetnames}
    fgrids = {name: [list(r) for r in formulas[name].iter_rows(values_only=True)] for name in (R003, R001)}
    names = {n: next(iter(d.destinations)) for n, d in formulas.defined_names.items()}
    book = from_sheets({k: v for k, v in grids.items() if k not in (R003, R001, NARRATIVE_SHEET)}, path=clean)
    reports = ReportSheets.from_grids({k: grids[k] for k in (R003, R001, NARRATIVE_SHEET)}, fgrids, names)
    result = audit_workbook(book, reports)
    assert result.findings == [] and result.month == MARCH
    assert result.summary().total == audit_workbook(clean).summary().total


def test_the_committees_marks_cost_005_a_month_below_80_percent(clean, clean_result, tmp_path):
    """กองกลาง marks the month's sample; re-auditing applies the deduction without blaming the report."""
    from openpyxl import load_workbook as load

    from cplkpi.macros.audit_sample import MARK_CORRECT, MARK_INCORRECT, SAMPLE_SHEET

    first = audit_workbook(clean, samples=tmp_path)
    assert first.sample.size >= 2 and first.summary().sample_accuracy_pct is None
    path = first.sample_file.path
    wb = load(path)
    ws = wb[SAMPLE_SHEET]
    rows = [r for r in ws.iter_rows(min_row=5) if r[3].value]
    for i, r in enumerate(rows):
        r[8].value = MARK_CORRECT if i == 0 else MARK_INCORRECT
    wb.save(path)
    again = audit_workbook(clean, samples=tmp_path)
    assert again.sample == first.sample  # the same draw, kept
    s = again.summary()
    expected = round(100 / len(rows), 2)
    assert s.sample_accuracy_pct == pytest.approx(expected) and dict(s.deductions)["audit"] == 0.05
    assert s.total == pytest.approx(clean_result.summary().total - 0.05, abs=1e-9)
    assert again.findings == []  # the agency's report was right when it was made


def test_a_submission_made_before_the_month_end_is_audited_as_of_its_own_date(tmp_path):
    """Reports filled as of 20 Mar 2563 are recomputed as of 20 Mar (R003_AS_OF), not the month's end."""
    early = write_agency_submission(tmp_path / "early.xlsx", INDEX, MARCH, 400, as_of=_dt.date(2020, 3, 20))
    assert read_cell(early, R003, "L3").date() == _dt.date(2020, 3, 20)
    result = audit_workbook(early)
    assert result.findings == []
    assert result.score.as_of == _dt.date(2020, 3, 20)


def test_an_honest_pack_without_pending_complaints_passes(tmp_path, sample_path):
    """A month before any complaint (the sample, ก.ย. 2562): the report job writes ไม่มีเรื่องคงค้าง into
    CPL_R001's first table row, a row without a complaint id. That is the recomputed report's own text,
    not something typed in: found reading the whole chain on the real Traffy GeoJSON export (เม.ย. 2568)."""
    from cplkpi.macros.audit_submission import build_submission
    from cplkpi.templates import layout

    build_submission(sample_path, "2562-09", tmp_path / "pack.xlsx")
    result = audit_workbook(tmp_path / "pack.xlsx")
    assert read_cell(tmp_path / "pack.xlsx", R001, f"F{layout.R001_FIRST_ROW}") == layout.NO_PENDING
    assert result.tampering == [] and result.passed


def test_text_typed_over_the_no_pending_line_is_still_found(tmp_path, sample_path):
    from cplkpi.macros.audit_submission import build_submission
    from cplkpi.templates import layout

    build_submission(sample_path, "2562-09", tmp_path / "pack.xlsx")
    ref = f"F{layout.R001_FIRST_ROW}"
    bad = tamper(tmp_path / "pack.xlsx", tmp_path / "bad.xlsx", R001, {ref: "ดำเนินการครบทุกเรื่องแล้ว"})
    result = audit_workbook(bad)
    assert [(f.code, f.sheet, f.cell) for f in result.tampering] == [("text_changed", R001, ref)]
