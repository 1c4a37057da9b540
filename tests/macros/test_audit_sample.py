"""กองกลาง's monthly 10 % sample: reproducible draw, sample file, marks, −0.05 per month below 80 %."""

from __future__ import annotations

import datetime as _dt
import hashlib
import math

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook

from cplkpi.macros.audit_sample import (
    MARK_CORRECT,
    MARK_INCORRECT,
    SAMPLE_SHEET,
    SUMMARY_SHEET,
    draw_month_sample,
    read_sample_file,
    sample_file_path,
    sample_seed,
    update_sample_file,
)
from cplkpi.scoring.scores import score

AGENCY = "สำนักงานเขตบางกอกน้อย"
OCT, NOV, DEC, JAN = (_dt.date(2019, 10, 1), _dt.date(2019, 11, 1), _dt.date(2019, 12, 1), _dt.date(2020, 1, 1))


def test_seed_is_sha256_of_agency_and_month():
    expected = int(hashlib.sha256(f"{AGENCY}|2020-03".encode()).hexdigest()[:12], 16)
    assert sample_seed(AGENCY, _dt.date(2020, 3, 17)) == expected == 38348368936760
    assert sample_seed("  สำนักงานเขตบางกอกน้อย ", "2020-03-01") == expected
    assert sample_seed(AGENCY, _dt.date(2020, 4, 1)) != expected
    assert sample_seed("สำนักงานเขตบางรัก", _dt.date(2020, 3, 1)) != expected


def test_draw_is_reproducible_and_independent_of_row_order(sample_book):
    t = sample_book.complaints.table
    a = draw_month_sample(t, AGENCY, _dt.date(2020, 3, 1))
    b = draw_month_sample(t.sample(frac=1, random_state=7), AGENCY, _dt.date(2020, 3, 1))
    assert a == b
    assert a.population == 85 and a.size == 9 == math.ceil(85 / 10)
    # the documented rule, checked by hand: the k ids with the smallest sha256("seed|id")
    resolved = t["resolved_on"].dt.to_period("M") == pd.Period("2020-03", "M")
    pop = sorted(t.loc[resolved, "complaint_id"].astype(str))
    by_hash = sorted(pop, key=lambda cid: hashlib.sha256(f"{a.seed}|{cid}".encode()).digest())
    assert a.complaint_ids == tuple(sorted(by_hash[:9]))
    # another agency with the same complaints draws another sample
    assert draw_month_sample(t, "สำนักงานเขตบางรัก", _dt.date(2020, 3, 1)).complaint_ids != a.complaint_ids


def test_population_is_the_engines_completed_in_month(sample_book):
    result = sample_book.score()
    for m in result.months.itertuples():
        s = draw_month_sample(sample_book.complaints.table, AGENCY, m.month)
        assert s.population == m.completed_in_month
        assert s.size == m.audit_sample_needed


@settings(max_examples=60, deadline=None)
@given(n=st.integers(0, 250), extra=st.integers(0, 40), agency=st.text(min_size=1, max_size=20))
def test_sample_size_is_ceil_ten_percent(n, extra, agency):
    ids = [f"C{i:05d}" for i in range(n + extra)]
    resolved = [pd.Timestamp("2020-02-10")] * n + [pd.Timestamp("2020-03-02")] * extra
    t = pd.DataFrame({"complaint_id": ids, "resolved_on": pd.to_datetime(resolved)})
    s = draw_month_sample(t, agency, "2020-02-01")
    assert s.population == n
    assert s.size == (n + 9) // 10 == len(s.complaint_ids) == len(set(s.complaint_ids))
    assert set(s.complaint_ids) <= set(ids[:n])
    assert draw_month_sample(t.iloc[::-1], agency, "2020-02-01") == s


@pytest.fixture
def sample_file(sample_book, tmp_path):
    path = sample_file_path(tmp_path, AGENCY, 2563)
    update_sample_file(path, sample_book.complaints.table, AGENCY, [OCT, NOV, DEC])
    return path


def _mark(path, marks: dict[_dt.date, list[str | None]], comment: str = "ตรวจแล้ว") -> None:
    """Write the auditor's marks month by month (in sheet order) like a person in Excel would."""
    wb = load_workbook(path)
    ws = wb[SAMPLE_SHEET]
    seen: dict[_dt.date, int] = {}
    for row in ws.iter_rows(min_row=5):
        month = row[1].value
        if month is None:
            continue
        m = month.date() if isinstance(month, _dt.datetime) else month
        if m in marks:
            i = seen.get(m, 0)
            seen[m] = i + 1
            if i < len(marks[m]) and marks[m][i] is not None:
                row[8].value = marks[m][i]
                row[9].value = comment
    wb.save(path)


def test_sample_file_layout(sample_file):
    wb = load_workbook(sample_file)
    ws = wb[SAMPLE_SHEET]
    assert [c.value for c in ws[4]][:4] == ["หน่วยงาน", "เดือน", "ลำดับ", "เลขที่เรื่อง"]
    assert ws["I4"].value == "ผลการตรวจ" and ws["J4"].value == "หมายเหตุ"
    assert ws.max_row == 4 + 4 + 8 + 7
    validations = ws.data_validations.dataValidation
    assert validations and all(dv.formula1 == f'"{MARK_CORRECT},{MARK_INCORRECT}"' for dv in validations)
    covered = {c for dv in validations for rng in dv.sqref.ranges for c in rng.cells}
    assert {(r, 9) for r in range(5, ws.max_row + 1)} <= covered
    assert ws["K5"].value == str(sample_seed(AGENCY, OCT))
    assert ws.page_setup.orientation == "landscape" and ws.print_title_rows == "$4:$4"
    assert wb[SUMMARY_SHEET]["A5"].value.date() == OCT and wb[SUMMARY_SHEET]["C5"].value == 4


def test_rerun_never_changes_an_existing_sample(sample_book, sample_file):
    _mark(sample_file, {OCT: [MARK_CORRECT, MARK_INCORRECT, MARK_CORRECT, MARK_CORRECT]}, "ภาพไม่ตรงกับสถานที่")
    before = read_sample_file(sample_file).table
    raw = sample_file.read_bytes()
    again = update_sample_file(sample_file, sample_book.complaints.table, AGENCY, [OCT, DEC])
    assert again.drawn == [] and again.kept == [OCT, DEC]
    assert sample_file.read_bytes() == raw  # not even rewritten
    # a later month is appended; the drawn months, marks and comments stay exactly as they were
    more = update_sample_file(sample_file, sample_book.complaints.table, AGENCY, [JAN])
    assert [s.month for s in more.drawn] == [JAN] and more.drawn[0].size == 10
    after = more.table
    pd.testing.assert_frame_equal(after.loc[before.index], before)
    assert after.loc[before.index[1], "comment"] == "ภาพไม่ตรงกับสถานที่"
    assert len(after) == len(before) + 10


def test_rerun_keeps_the_sample_even_when_the_data_changes(sample_book, sample_file):
    drawn = read_sample_file(sample_file).table.query("month == @pd.Timestamp(@OCT)")["complaint_id"].tolist()
    t = sample_book.complaints.table.copy()
    t.loc[t["complaint_id"] == drawn[0], "resolved_on"] = pd.NaT  # the agency "un-completes" a sampled one
    update_sample_file(sample_file, t, AGENCY, [OCT])
    assert read_sample_file(sample_file).table.query("month == @pd.Timestamp(@OCT)")["complaint_id"].tolist() == drawn


def test_accuracy_and_deduction_exactly_below_80(sample_book, sample_file):
    update_sample_file(sample_file, sample_book.complaints.table, AGENCY, [JAN])
    C, X = MARK_CORRECT, MARK_INCORRECT
    _mark(sample_file, {
        OCT: [C, C, X, C],                      # 3/4  = 75.00 % -> -0.05
        NOV: [C, C, C, X, C, C, C, C],          # 7/8  = 87.50 %
        DEC: [X, X, X, X, X, X, None],          # not finished: no accuracy, no deduction yet
        JAN: [C, C, X, C, C, C, X, C, C, C],    # 8/10 = 80.00 %: not below 80
    })
    marks = read_sample_file(sample_file, agency=AGENCY)
    assert marks.problems == []
    b = sample_book
    result = score(b.complaints.table, b.progress.table, b.monthly_reports.table, marks.table, fiscal_year=2563)
    acc = dict(zip(result.months["month"], result.months["audit_accuracy_pct"]))
    assert acc[OCT] == 75.0 and acc[NOV] == 87.5 and pd.isna(acc[DEC]) and acc[JAN] == 80.0
    audit = result.deductions[result.deductions["kind"] == "audit"]
    assert audit["month"].tolist() == [OCT] and audit["amount"].tolist() == [0.05] and audit["step"].tolist() == [2]
    step2 = result.steps.set_index("step").loc[2]
    assert step2["deductions"] == 0.05 and step2["score"] == pytest.approx(step2["score_before"] - 0.05, abs=1e-9)


def test_a_mark_outside_the_list_is_reported_with_its_cell(sample_book, sample_file):
    _mark(sample_file, {OCT: [MARK_CORRECT, "ผิด", MARK_CORRECT, MARK_CORRECT]})
    marks = read_sample_file(sample_file)
    (p,) = marks.problems
    assert (p.code, p.sheet, p.letter, p.row) == ("bad_mark", SAMPLE_SHEET, "I", 6)
    b = sample_book
    result = score(b.complaints.table, None, None, marks.table, fiscal_year=2563)
    assert pd.isna(result.months.set_index("month").loc[OCT, "audit_accuracy_pct"])


@pytest.mark.libreoffice
def test_summary_sheet_formulas_agree_with_the_engine(sample_file, tmp_path, libreoffice):
    from cplkpi.office import recalculate

    C, X = MARK_CORRECT, MARK_INCORRECT
    _mark(sample_file, {OCT: [C, C, X, C], NOV: [C] * 8, DEC: [C, X, None]})
    out = recalculate(sample_file, tmp_path / "recalc.xlsx")
    ws = load_workbook(out, data_only=True)[SUMMARY_SHEET]
    got = {ws.cell(r, 1).value.date(): [ws.cell(r, c).value for c in range(2, 9)] for r in range(5, 8)}
    assert got[OCT] == [39, 4, 4, 4, 3, 75, 0.05]
    assert got[NOV] == [76, 8, 8, 8, 8, 100, 0]
    assert got[DEC][:5] == [70, 7, 7, 2, 1] and got[DEC][5:] in (["", ""], [None, None])


# --- review fixes --------------------------------------------------------------------------


def test_a_month_without_completed_complaints_is_recorded_once(sample_book, tmp_path):
    """No complaint completed in มี.ค. 2564: the month is recorded (summary row, sample of 0) and kept;
    re-running neither appends another summary row nor rewrites the file."""
    t = sample_book.complaints.table
    empty = _dt.date(2021, 3, 1)
    path = sample_file_path(tmp_path, AGENCY, 2564)
    first = update_sample_file(path, t, AGENCY, [empty])
    assert [(s.month, s.population, s.size, s.complaint_ids) for s in first.drawn] == [(empty, 0, 0, ())]
    raw = path.read_bytes()
    again = update_sample_file(path, t, AGENCY, [empty])
    assert again.drawn == [] and again.kept == [empty]
    assert path.read_bytes() == raw
    summary = load_workbook(path)[SUMMARY_SHEET]
    assert summary.max_row == 5 and summary["A5"].value.date() == empty and summary["B5"].value == 0


def test_the_file_gives_back_each_kept_months_sample(sample_book, sample_file):
    """What was drawn is what the file reads back: seed, population, size and ids of every month."""
    drawn = [draw_month_sample(sample_book.complaints.table, AGENCY, m) for m in (OCT, NOV, DEC)]
    assert read_sample_file(sample_file, agency=AGENCY).samples == drawn
    # the population is the engine's, whatever changed in the data since
    t = sample_book.complaints.table.copy()
    t.loc[t["complaint_id"] == drawn[0].complaint_ids[0], "resolved_on"] = pd.NaT
    kept = update_sample_file(sample_file, t, AGENCY, [OCT])
    assert kept.samples[0] == drawn[0] != draw_month_sample(t, AGENCY, OCT)


def test_the_population_is_the_current_cycles_completions():
    """Resolved on 10 Feb but reopened (re-forwarded) on 20 Feb and not resolved again: not completed in
    February (the engine's completed_in_month); a duplicated id counts as the engine counts it, drawn once."""
    t = pd.DataFrame({
        "complaint_id": ["A", "B", "C", "C"],
        "forwarded_on": pd.to_datetime(["2020-02-03"] * 4),
        "resolved_on": pd.to_datetime(["2020-02-10", "2020-02-10", "2020-02-12", "2020-02-12"]),
        "reopened_on": pd.to_datetime(["2020-02-20", None, None, None]),
    })
    s = draw_month_sample(t, AGENCY, "2020-02-01")
    assert s.population == 3 and s.size == 1 and set(s.complaint_ids) <= {"B", "C"}
    # as of 15 Feb the first resolution still stood
    assert draw_month_sample(t, AGENCY, "2020-02-01", as_of=_dt.date(2020, 2, 15)).population == 4


def test_the_audit_takes_a_kept_months_sample_from_the_file(sample_book, tmp_path):
    """Re-auditing after the agency changed its data: the month's sample is the one in the file."""
    from dataclasses import replace

    from cplkpi.macros.audit import audit_workbook

    first = audit_workbook(sample_book, month="2020-03", samples=tmp_path)
    t = sample_book.complaints.table.copy()
    t.loc[t["complaint_id"] == first.sample.complaint_ids[0], "resolved_on"] = pd.NaT
    changed = replace(sample_book, complaints=replace(sample_book.complaints, table=t))
    again = audit_workbook(changed, month="2020-03", samples=tmp_path)
    assert again.sample_file.kept == [_dt.date(2020, 3, 1)] and again.sample_file.drawn == []
    assert again.sample == first.sample
    assert again.sample.population == 85 and first.sample.size == 9
