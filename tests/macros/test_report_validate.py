"""Validation of filled reports: seed 003's real mistakes, tampered workbooks, the layout-free core."""

from __future__ import annotations

import datetime as _dt
from io import BytesIO
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cplkpi.macros.reports import fill_monthly_reports
from cplkpi.macros.validate import (
    CODES,
    PeriodFigures,
    check_periods,
    parse_progress_form,
    parse_progress_text,
    validate_reports,
)
from cplkpi.templates import layout

DATA = Path(__file__).parents[1] / "data" / "report"
D = _dt.date
FY2563 = (D(2019, 10, 1), D(2020, 9, 30))


def codes(findings, severity=None):
    return sorted({f.code for f in findings if severity is None or f.severity == severity})


# --- seed 003: the progress form of สำนักงานเขตบางกอกน้อย, FY 2563 -----------------------


@pytest.fixture(scope="module")
def seed_periods():
    return parse_progress_form((DATA / "seed003_progress_form.txt").read_text(encoding="utf-8"))


def test_seed003_form_is_read_as_written(seed_periods):
    got = [(p.label.split(" (")[0], p.start, p.end, p.received, p.completed, p.in_progress) for p in seed_periods]
    assert got == [
        ("รายงานครั้งที่ 1", D(2019, 10, 1), D(2019, 10, 31), 91, 71, 20),
        ("รายงานครั้งที่ 2", None, None, 94, 72, 18),
        ("รายงานครั้งที่ 3", D(2019, 12, 1), D(2019, 12, 27), 68, 49, 19),
        ("รายงานครั้งที่ 4", D(2019, 12, 28), D(2020, 1, 31), 89, 75, 14),
        ("รายงานครั้งที่ 5", D(2020, 2, 1), D(2020, 2, 27), 69, 43, 26),
        ("รายงานครั้งที่ 6", D(2020, 3, 1), D(2020, 3, 30), 96, 70, 20),
        ("รายงานครั้งที่ 8", D(2020, 4, 1), D(2020, 4, 27), 101, 75, 26),
        ("รายงานครั้งที่ 9", D(2020, 4, 1), D(2020, 4, 27), 101, 75, 26),
        ("รายงานครั้งที่ 10", D(2020, 5, 27), D(2020, 6, 26), 110, 98, 12),
        ("รายงานครั้งที่ 11", D(2020, 6, 27), D(2020, 7, 29), 96, 73, 23),
        ("รายงานครั้งที่ 12", D(2020, 8, 1), D(2020, 8, 31), 88, 62, 26),
    ]


def test_seed003_mistakes_are_found_exactly(seed_periods):
    findings = check_periods(seed_periods, expected_start=FY2563[0], expected_end=FY2563[1])
    got = sorted((f.code, f.cell.split(" (")[0]) for f in findings)
    assert got == sorted([
        # totals that do not add up: 94 ≠ 72 + 18 and 96 ≠ 70 + 20
        ("counts_mismatch", "รายงานครั้งที่ 2"),
        ("counts_mismatch", "รายงานครั้งที่ 6"),
        ("period_missing", "รายงานครั้งที่ 2"),
        # 28–29 Feb (report 5 ends 27 Feb, report 6 starts 1 Mar), 31 Mar, 28 Apr – 26 May, 30–31 Jul, Sep
        ("period_gap", "รายงานครั้งที่ 6"),
        ("period_gap", "รายงานครั้งที่ 8"),
        ("period_gap", "รายงานครั้งที่ 10"),
        ("period_gap", "รายงานครั้งที่ 12"),
        ("period_gap", "รายงานครั้งที่ 12"),
        # report 9 is report 8 copied: same period, same figures
        ("period_overlap", "รายงานครั้งที่ 9"),
        ("month_copied", "รายงานครั้งที่ 9"),
    ])
    gaps = sorted(f.message_en.split(" (")[0] for f in findings if f.code == "period_gap")
    assert gaps == ["2020-02-28 – 2020-02-29", "2020-03-31 – 2020-03-31", "2020-04-28 – 2020-05-26",
                    "2020-07-30 – 2020-07-31", "2020-09-01 – 2020-09-30"]
    copied = next(f for f in findings if f.code == "month_copied")
    assert copied.severity == "error" and "รายงานครั้งที่ 8" in copied.message_th
    mismatch = next(f for f in findings if f.code == "counts_mismatch" and "ครั้งที่ 6" in f.cell)
    assert "96" in mismatch.message_th and "= 90" in mismatch.message_th


def test_report3_to_report4_is_contiguous(seed_periods):
    """27 Dec then 28 Dec: no gap, no overlap (seed 003 reports 3 and 4)."""
    r3, r4 = seed_periods[2], seed_periods[3]
    assert check_periods([r3, r4]) == []


def test_progress_line_variants():
    p = parse_progress_text("จำนวนเรื่องร้องเรียน ตั้งแต่วันที่ 27 พ.ค. 63 - 26 มิ.ย. 63 จำนวน 1,110 เรื่อง "
                            "ดำเนินการเสร็จสิ้นแล้ว 98 เรื่อง กำลังดำเนินการ 12 เรื่อง")
    assert (p.start, p.end, p.received, p.completed, p.in_progress) == (D(2020, 5, 27), D(2020, 6, 26), 1110, 98, 12)
    p = parse_progress_text("ตั้งแต่วันที่ 1 - 27 เมษายน จำนวน 101 เรื่อง ดำเนินการเสร็จสิ้น 75 เรื่อง "
                            "กำลังดำเนินการ 26 เรื่อง", "28/4/2563")
    assert (p.start, p.end) == (D(2020, 4, 1), D(2020, 4, 27))
    p = parse_progress_text("จำนวนเรื่องร้องเรียน 15 ธันวาคม - 10 มกราคม 2563 จำนวน 5 เรื่อง")
    assert (p.start, p.end, p.received, p.completed) == (D(2019, 12, 15), D(2020, 1, 10), 5, None)


# --- hypothesis: contiguous periods are clean; removing days is exactly one gap ---------------


@st.composite
def partitions(draw):
    start = draw(st.dates(D(2015, 1, 1), D(2025, 1, 1)))
    lengths = draw(st.lists(st.integers(1, 40), min_size=2, max_size=12))
    periods, day = [], start
    for i, n in enumerate(lengths):
        end = day + _dt.timedelta(days=n - 1)
        done = draw(st.integers(0, 50))
        periods.append(PeriodFigures(f"p{i}", day, end, done + i + 1, done, i + 1))
        day = end + _dt.timedelta(days=1)
    return periods


@settings(max_examples=60, deadline=None)
@given(partitions(), st.data())
def test_contiguous_periods_have_no_findings_and_a_hole_is_one_gap(periods, data):
    assert check_periods(periods, expected_start=periods[0].start, expected_end=periods[-1].end) == []
    i = data.draw(st.integers(1, len(periods) - 1))
    cut = data.draw(st.integers(1, 5))
    p = periods[i]
    if p.start + _dt.timedelta(days=cut) > p.end:
        return
    shifted = PeriodFigures(p.label, p.start + _dt.timedelta(days=cut), p.end, p.received, p.completed, p.in_progress)
    findings = check_periods([*periods[:i], shifted, *periods[i + 1:]])
    assert [(f.code, f.cell) for f in findings] == [("period_gap", p.label)]
    assert findings[0].message_en.startswith(f"{p.start} – {p.start + _dt.timedelta(days=cut - 1)}")


def test_overlap_names_the_days_counted_twice():
    a = PeriodFigures("ต.ค.", D(2019, 10, 1), D(2019, 10, 31), 10, 5, 5)
    b = PeriodFigures("พ.ย.", D(2019, 10, 25), D(2019, 11, 30), 12, 6, 6)
    (f,) = check_periods([a, b])
    assert f.code == "period_overlap" and "2019-10-25 – 2019-10-31" in f.message_en


def test_equal_figures_in_different_periods_is_a_warning():
    a = PeriodFigures("ต.ค.", D(2019, 10, 1), D(2019, 10, 31), 10, 5, 5)
    b = PeriodFigures("พ.ย.", D(2019, 11, 1), D(2019, 11, 30), 10, 5, 5)
    (f,) = check_periods([a, b])
    assert (f.code, f.severity) == ("month_copied", "warning")


# --- filled workbooks, untouched and tampered ----------------------------------------------


@pytest.fixture(scope="module")
def filled(sample_book, tmp_path_factory):
    out = tmp_path_factory.mktemp("validate")
    return fill_monthly_reports(sample_book, "2563-09", out_dir=out, pdf=False)


def values_and_formulas(path):
    data = Path(path).read_bytes()
    return load_workbook(BytesIO(data), data_only=True), load_workbook(BytesIO(data))


def test_untouched_reports_have_no_findings(filled):
    assert filled.findings == []
    assert validate_reports(r003=filled.r003_xlsx, r001=filled.r001_xlsx) == []


def month_row(m: int) -> int:
    """Excel row of month ``m`` (1 = October) in the monthly table."""
    return layout.MONTH_ROWS[m - 1]


def test_seed003_mistakes_in_a_tampered_r003(filled):
    """Seed 003's figures typed into the monthly table of a real CPL_R003 (values only, as Excel saves them)."""
    values, _ = values_and_formulas(filled.r003_xlsx)
    ws = values[layout.R003_SHEET]
    typed = {  # month: (start, end, received, completed, in progress) as seed 003 reported them
        5: (D(2020, 2, 1), D(2020, 2, 27), 69, 43, 26),
        6: (D(2020, 3, 1), D(2020, 3, 30), 96, 70, 20),   # 96 ≠ 70 + 20, and 28–29 Feb uncovered
        7: (D(2020, 3, 31), D(2020, 4, 27), 101, 75, 26),
        8: (D(2020, 3, 31), D(2020, 4, 27), 101, 75, 26),  # a copy of the month before
    }
    for m, (start, end, rec, done, prog) in typed.items():
        r = month_row(m)
        for col, v in zip("CDEFG", (start, end, rec, done, prog)):
            ws[f"{col}{r}"] = v
    findings = validate_reports(r003=values)
    where = {(f.code, f.cell) for f in findings}
    assert ("counts_mismatch", f"E{month_row(6)}") in where
    assert ("period_gap", f"C{month_row(6)}") in where            # 28–29 Feb 2020
    assert ("month_copied", f"E{month_row(8)}") in where
    assert ("period_overlap", f"C{month_row(8)}") in where
    assert ("period_gap", f"C{month_row(9)}") in where            # 28–31 May: nothing after 27 Apr until 1 Jun
    gap = next(f for f in findings if f.code == "period_gap" and f.cell == f"C{month_row(6)}")
    assert gap.sheet == layout.R003_SHEET and "2020-02-28 – 2020-02-29" in gap.message_en
    # the totals no longer add up to the typed rows
    assert ("total_mismatch", f"E{layout.MONTHS_TOTAL_ROW}") in where
    assert set(codes(findings)) <= set(CODES)


def test_typed_total_replacing_a_formula(filled):
    values, formulas = values_and_formulas(filled.r003_xlsx)
    ref = f"E{layout.MONTHS_TOTAL_ROW}"
    values[layout.R003_SHEET][ref] = 1200
    formulas[layout.R003_SHEET][ref] = 1200
    findings = validate_reports(r003=values, r003_formulas=formulas)
    assert {(f.code, f.cell) for f in findings} >= {("formula_replaced", ref), ("total_mismatch", ref)}


def test_percentage_and_score_inconsistent_with_counts(filled):
    values, _ = values_and_formulas(filled.r003_xlsx)
    ws = values[layout.R003_SHEET]
    r = layout.COMPONENT_ROWS[1]
    ws[f"I{r}"] = 97.09       # the counts give 87.09
    ws[f"H{month_row(3)}"] = 99.0
    findings = validate_reports(r003=values)
    where = {(f.code, f.cell) for f in findings}
    assert ("pct_mismatch", f"I{r}") in where
    assert ("pct_mismatch", f"H{month_row(3)}") in where
    # 97.09 >= 95 would earn the full point: the stored 0.9167 no longer follows from the stored %
    assert ("score_mismatch", f"J{r}") in where


def test_wrong_deduction_and_step_total(filled):
    values, _ = values_and_formulas(filled.r003_xlsx)
    ws = values[layout.R003_SHEET]
    ws[f"L{month_row(5)}"] = 0          # February's summary was late: 0.1 is due
    ws[layout.R003_NAMES["R003_TOTAL"]] = 4.6
    findings = validate_reports(r003=values)
    where = {(f.code, f.cell) for f in findings}
    assert ("deduction_mismatch", f"L{month_row(5)}") in where
    assert ("total_mismatch", layout.R003_NAMES["R003_TOTAL"]) in where


def test_pending_complaint_missing_from_r001(filled):
    """Delete one R001 row: R003 counts it in progress, R001 no longer lists it (and its count is stale)."""
    r1_values, _ = values_and_formulas(filled.r001_xlsx)
    ws = r1_values[layout.R001_SHEET]
    row = layout.R001_FIRST_ROW + 3
    fwd = ws[f"D{row}"].value.date()
    for col in "ABCDEFGHIJKL":
        ws[f"{col}{row}"] = None
    findings = validate_reports(r003=filled.r003_xlsx, r001=r1_values)
    where = {(f.code, f.sheet, f.cell) for f in findings}
    month = list(layout.MONTH_ROWS)[(fwd.month - 10) % 12]
    assert ("pending_missing_from_r001", layout.R003_SHEET, f"G{month}") in where
    assert ("total_mismatch", layout.R001_SHEET, layout.R001_NAMES["R001_PENDING_TOTAL"]) in where


def test_r001_duplicates_and_complaints_after_the_period(filled):
    r1_values, _ = values_and_formulas(filled.r001_xlsx)
    ws = r1_values[layout.R001_SHEET]
    first = layout.R001_FIRST_ROW
    ws[f"B{first + 1}"] = ws[f"B{first}"].value
    ws[f"D{first + 2}"] = D(2020, 10, 2)
    findings = validate_reports(r001=r1_values)
    where = {(f.code, f.cell) for f in findings}
    assert ("duplicate_complaint", f"B{first + 1}") in where
    assert ("pending_after_period", f"D{first + 2}") in where


def test_without_defined_names_the_template_addresses_are_used(filled):
    values, _ = values_and_formulas(filled.r003_xlsx)
    for name in list(values.defined_names):
        del values.defined_names[name]
    values[layout.R003_SHEET][f"G{month_row(2)}"] = 1
    findings = validate_reports(r003=values)
    assert "names_missing" in codes(findings, "warning")
    assert ("counts_mismatch", f"E{month_row(2)}") in {(f.code, f.cell) for f in findings}


def test_a_workbook_saved_without_calculation(filled, tmp_path):
    """openpyxl saves formulas without values: the validator says so instead of inventing figures."""
    _, formulas = values_and_formulas(filled.r003_xlsx)
    path = tmp_path / "uncalculated.xlsx"
    formulas.save(path)
    findings = validate_reports(r003=path)
    assert codes(findings) == ["not_calculated"]
    assert findings[0].severity == "warning"


def test_findings_name_sheet_and_cell(filled):
    values, _ = values_and_formulas(filled.r003_xlsx)
    values[layout.R003_SHEET][f"F{month_row(4)}"] = 1
    (f, *_) = [f for f in validate_reports(r003=values) if f.code == "counts_mismatch"]
    assert f.where == f"{layout.R003_SHEET}!E{month_row(4)}"
    assert f.message_th and f.message_en and f.severity == "error"


def test_a_month_blanked_in_r003_leaves_its_pending_complaints_uncounted(filled):
    values, _ = values_and_formulas(filled.r003_xlsx)
    ws = values[layout.R003_SHEET]
    r = month_row(12)                    # September: 55 in progress, listed in R001
    for col in "EFGH":
        ws[f"{col}{r}"] = None
    findings = validate_reports(r003=values, r001=filled.r001_xlsx)
    uncounted = [f for f in findings if f.code == "pending_not_in_r003"]
    assert len(uncounted) == 55 and all(f.sheet == layout.R001_SHEET for f in uncounted)


def test_formula_workbook_given_as_values_is_not_calculated(filled):
    """A workbook loaded with its formulas (not data_only) has no figures to check: one warning, no noise."""
    _, formulas = values_and_formulas(filled.r003_xlsx)
    findings = validate_reports(r003=formulas)
    assert [(f.code, f.severity) for f in findings] == [("not_calculated", "warning")]


# --- review fixes: ranges the parser once crashed on or dated a year late ----------------------


def test_a_range_starting_on_a_day_its_month_lacks_is_a_missing_period():
    """'31 - 30 พฤศจิกายน 2562': November has no 31st; the period is missing, the audit goes on."""
    text = ("จำนวนเรื่องร้องทุกข์ตั้งแต่วันที่ 31 - 30 พฤศจิกายน 2562 จำนวน 94 เรื่อง ดำเนินการเสร็จสิ้นแล้ว 72 เรื่อง "
            "กำลังดำเนินการ 22 เรื่อง")
    p = parse_progress_text(text, label="รายงานครั้งที่ 2")
    assert (p.start, p.end, p.received, p.completed, p.in_progress) == (None, D(2019, 11, 30), 94, 72, 22)
    assert codes(check_periods([p])) == ["period_missing"]


def test_a_range_without_a_year_ends_before_the_report_date():
    """'1 - 31 ธันวาคม' reported on 5 Jan 2563 (2020) is December 2019, not December 2020."""
    p = parse_progress_text("ตั้งแต่วันที่ 1 - 31 ธันวาคม จำนวน 68 เรื่อง ดำเนินการเสร็จสิ้น 49 เรื่อง "
                            "กำลังดำเนินการ 19 เรื่อง", "5/1/2563")
    assert (p.start, p.end) == (D(2019, 12, 1), D(2019, 12, 31))
    # a start month after the end month is in the year before the end's
    p = parse_progress_text("ตั้งแต่วันที่ 15 ธันวาคม - 10 มกราคม จำนวน 5 เรื่อง", "12/1/2563")
    assert (p.start, p.end) == (D(2019, 12, 15), D(2020, 1, 10))
    # 29 February of a leap year before an end in January of the same year: the year before has no 29 Feb
    p = parse_progress_text("ตั้งแต่วันที่ 29 ก.พ. - 10 ม.ค. 2563 จำนวน 5 เรื่อง")
    assert (p.start, p.end) == (None, D(2020, 1, 10))


@pytest.fixture(scope="module")
def custom_rules(tmp_path_factory):
    """The BMA-2557 rule set as a file of the agency's own, under a name the validator does not ship."""
    from importlib.resources import files

    text = files("cplkpi.scoring").joinpath("rulesets/bma-2557.toml").read_text(encoding="utf-8")
    path = tmp_path_factory.mktemp("rules") / "district-rules.toml"
    path.write_text(text.replace('name = "bma-2557"', 'name = "district-rules"'), encoding="utf-8")
    return path


def test_a_custom_rule_set_file_checks_the_monthly_component_as_monthly(sample_book, custom_rules, tmp_path):
    """The monthly-summary component scores full points minus deductions under any rule-set file, not the
    threshold formula (which would turn its 9 of 11 on-time months into a false score_mismatch)."""
    result = fill_monthly_reports(sample_book, "2563-09", out_dir=tmp_path, rules=custom_rules, pdf=False)
    assert result.figures.rules.name == "district-rules"
    assert result.findings == []
    assert validate_reports(r003=result.r003_xlsx, rules=custom_rules) == []


def test_a_summary_due_on_the_as_of_day_is_not_judged_yet(sample_book, tmp_path):
    """February's summary is due 10 Mar 2563: as of that day it can still be sent (the engine's
    report_due_passed), so the status is ยังไม่ถึงกำหนด and nothing is deducted; the validator agrees."""
    result = fill_monthly_reports(sample_book, "2563-02", out_dir=tmp_path, as_of=D(2020, 3, 10), pdf=False)
    feb = result.figures.score.months.set_index("month").loc[D(2020, 2, 1)]
    assert feb["report_due"] == D(2020, 3, 10) and not feb["report_due_passed"]
    assert result.findings == []
    values, _ = values_and_formulas(result.r003_xlsx)
    assert values[layout.R003_SHEET][f"K{month_row(5)}"].value == layout.REPORT_NOT_DUE
    assert values[layout.R003_SHEET][f"L{month_row(5)}"].value == 0


def test_a_status_or_due_day_that_breaks_the_rule_set(filled):
    values, _ = values_and_formulas(filled.r003_xlsx)
    ws = values[layout.R003_SHEET]
    ws[f"I{month_row(3)}"] = D(2020, 1, 15)      # December's summary is due 10 Jan 2563
    ws[f"K{month_row(5)}"] = layout.REPORT_ON_TIME   # February's summary was late
    findings = validate_reports(r003=values)
    where = {(f.code, f.cell) for f in findings}
    assert ("deduction_mismatch", f"I{month_row(3)}") in where
    assert ("deduction_mismatch", f"K{month_row(5)}") in where


def test_a_table_name_narrowed_to_one_cell_is_read_as_one_row(filled):
    """A submitted workbook whose R003_STEPS_DATA names a single cell: that row is checked, nothing crashes."""
    from openpyxl.workbook.defined_name import DefinedName

    values, _ = values_and_formulas(filled.r003_xlsx)
    first = layout.STEP_ROWS[0]
    del values.defined_names["R003_STEPS_DATA"]
    values.defined_names["R003_STEPS_DATA"] = DefinedName("R003_STEPS_DATA", attr_text=f"'CPL_R003'!$A${first}")
    values[layout.R003_SHEET][f"I{first}"] = 0.5
    findings = validate_reports(r003=values)
    assert ("score_mismatch", f"I{first}") in {(f.code, f.cell) for f in findings}
