"""Evaluation, step scores, deductions, totals and explanations (SPEC §3–5, seeds 000 and 001)."""

from __future__ import annotations

import datetime as dt
import tomllib

import numpy as np
import pandas as pd
import pytest

from cplkpi.scoring.evaluate import evaluate_complaints
from cplkpi.scoring.rules import RuleSetError, available_rules, load_rules
from cplkpi.scoring.scores import (
    audit_sample_size,
    completed_in_month,
    monthly_report_deduction,
    monthly_report_due,
    period_summary,
    score,
    step_score,
)

D = dt.date
COLS = ["complaint_id", "forwarded_on", "acknowledged_on", "first_progress_on", "resolved_on",
        "result_detail", "has_evidence", "reopened_on"]


def table(*rows) -> pd.DataFrame:
    """Canonical complaint table from short rows (id, fwd, ack, first, resolved, detail, evidence, reopened)."""
    full = [list(r) + [None] * (len(COLS) - len(r)) for r in rows]
    df = pd.DataFrame(full, columns=COLS)
    for c in ("forwarded_on", "acknowledged_on", "first_progress_on", "resolved_on", "reopened_on"):
        df[c] = pd.to_datetime(df[c]).astype("datetime64[s]")
    df["has_evidence"] = df["has_evidence"].astype("boolean")
    df["result_detail"] = df["result_detail"].astype("string")
    df.index = pd.RangeIndex(2, 2 + len(df), name="row")
    return df


def progress(*rows) -> pd.DataFrame:
    df = pd.DataFrame(rows, columns=["complaint_id", "reported_on"])
    df["reported_on"] = pd.to_datetime(df["reported_on"]).astype("datetime64[s]")
    return df


OK = ("ดำเนินการแล้ว แจ้งผู้ร้องทราบ", True)


def test_acknowledged_two_business_days_late_is_explained():
    t = table(("A", D(2019, 10, 2), D(2019, 10, 7), D(2019, 10, 8), D(2019, 10, 9), *OK))
    r = score(t, None, None, fiscal_year=2563)
    ex = r.explain()
    row = ex[(ex["complaint_id"] == "A") & (ex["component"] == "acknowledge")].iloc[0]
    assert not row["correct"] and row["reason_code"] == "ACK_LATE" and row["days_late"] == 2
    assert row["reason_th"] == "ตอบรับช้า 2 วันทำการ: กำหนด 3 ต.ค. 2562 ตอบรับ 7 ต.ค. 2562"
    assert row["reason_en"] == "acknowledged 2 business day(s) late: due 3 Oct 2019, acknowledged 7 Oct 2019"
    assert row["row"] == 2


def test_followup_checkpoints_met_and_missed():
    # ack 2 Oct → first progress due 7 Oct; resolved 20 Nov: checkpoints 15 Oct, 30 Oct, 15 Nov are required
    t = table(("A", D(2019, 10, 1), D(2019, 10, 2), D(2019, 10, 4), D(2019, 11, 20), *OK),
              ("B", D(2019, 10, 1), D(2019, 10, 2), D(2019, 10, 4), D(2019, 11, 20), *OK))
    p = progress(("A", D(2019, 10, 29)), ("B", D(2019, 10, 29)), ("B", D(2019, 11, 14)),
                 ("X", D(2019, 11, 14)))
    ev = evaluate_complaints(t, p, as_of=D(2020, 9, 30))
    a, b = ev.loc[2], ev.loc[3]
    assert (a["followups_required"], a["followups_met_count"], a["followups_met"]) == (3, 2, False)
    assert a["first_missed_followup"] == pd.Timestamp("2019-11-15")
    assert (b["followups_required"], b["followups_met_count"], b["followups_met"]) == (3, 3, True)
    ex = score(t, p, None, fiscal_year=2563).explain()
    text = ex[(ex["complaint_id"] == "A") & (ex["component"] == "followup_evidence")]["reason_th"].iloc[0]
    assert text == "ไม่ได้รายงานความคืบหน้าตามรอบวันที่ 15/30 จำนวน 1 จาก 3 รอบ (รอบแรกที่ขาด 15 พ.ย. 2562)"


def test_resolution_counts_as_the_first_progress_report():
    t = table(("A", D(2019, 10, 1), D(2019, 10, 2), None, D(2019, 10, 4), *OK))
    ev = evaluate_complaints(t, None, as_of=D(2019, 12, 31)).iloc[0]
    assert ev["progress_on_time"] and ev["first_progress_on"] == pd.Timestamp("2019-10-04")
    assert ev["followups_required"] == 0 and ev["followups_met"]


def test_pending_deadlines_are_not_failures_and_missing_ones_are():
    t = table(("A", D(2020, 9, 30)), ("B", D(2020, 9, 1)))
    ev = evaluate_complaints(t, None, as_of=D(2020, 9, 30))
    assert ev.loc[2, "ack_on_time"] and ev.loc[2, "ack_on_time_reason"] == "ACK_PENDING"
    assert not ev.loc[3, "ack_on_time"] and ev.loc[3, "ack_on_time_reason"] == "ACK_MISSING"
    assert ev.loc[3, "ack_late_days"] == 18  # due 2 Sep; 3–30 Sep: 20 weekdays less 4 and 7 Sep (Songkran moved)
    assert not ev.loc[2, "resolved"] and ev.loc[2, "resolved_reason"] == "NOT_RESOLVED"


def test_reopened_complaint_restarts_the_clock():
    # first cycle: forwarded 1 Oct, resolved 10 Oct; rejected, re-forwarded 21 Oct; 23 Oct is a holiday
    t = table(("A", D(2019, 10, 1), D(2019, 10, 24), D(2019, 10, 25), D(2019, 11, 5), *OK, D(2019, 10, 21)))
    ev = evaluate_complaints(t, None, as_of=D(2020, 9, 30)).iloc[0]
    assert ev["start_on"] == pd.Timestamp("2019-10-21")
    assert ev["ack_due"] == pd.Timestamp("2019-10-22") and not ev["ack_on_time"]
    assert ev["progress_due"] == pd.Timestamp("2019-10-29") and ev["progress_on_time"]
    # dates of the earlier cycle do not count for the new one
    t2 = table(("A", D(2019, 10, 1), D(2019, 10, 2), D(2019, 10, 3), D(2019, 10, 10), *OK, D(2019, 10, 21)))
    ev2 = evaluate_complaints(t2, None, as_of=D(2020, 9, 30)).iloc[0]
    assert pd.isna(ev2["acknowledged_on"]) and pd.isna(ev2["resolved_on"]) and not ev2["resolved"]


@pytest.mark.parametrize(
    ("pct", "points", "expected"),
    [(100.0, 1, 1.0), (95.0, 1, 1.0), (96.5, 1, 1.0), (94.99, 1, 0.9999), (90.25, 1, 0.95), (47.5, 2, 1.0),
     (83.99, 2, 1.7682), (0.0, 3, 0.0), (None, 1, None)],
)
def test_step_score_threshold_formula(pct, points, expected):
    assert step_score(pct, points) == expected


def _perfect_year() -> pd.DataFrame:
    return table(*[(f"C{i}", D(2019, 10, 1), D(2019, 10, 2), D(2019, 10, 3), D(2019, 10, 4), *OK)
                   for i in range(20)])


def _reports(late: dict[int, dt.date] | None = None, missing: tuple[int, ...] = ()) -> pd.DataFrame:
    months = [D(2019 + (m < 10), m, 1) for m in (10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8, 9)]
    rows = []
    for i, m in enumerate(months):
        if i in missing:
            continue
        sent = (late or {}).get(i, monthly_report_due(m) - dt.timedelta(days=2))
        rows.append((pd.Timestamp(m), pd.Timestamp(sent)))
    return pd.DataFrame(rows, columns=["month", "sent_on"])


def test_perfect_year_scores_full_points():
    r = score(_perfect_year(), None, _reports(), fiscal_year=2563)
    assert r.total == 5.0
    assert list(r.components["pct"]) == [100.0, 100.0, 100.0, 100.0]
    assert r.deductions.empty


def test_late_and_missing_monthly_reports_are_deducted_from_step_3():
    r = score(_perfect_year(), None, _reports(late={4: D(2020, 3, 13)}, missing=(7,)), fiscal_year=2563)
    assert sorted(r.deductions["kind"]) == ["late_report", "missing_report"]
    assert r.steps.set_index("step").loc[3, "score"] == 0.8 and r.total == 4.8
    assert monthly_report_due(D(2020, 2, 1)) == D(2020, 3, 10)
    # September's summary is due 10 Oct 2020: not yet due when scored as of 30 Sep
    assert not r.months.iloc[-1]["report_due_passed"]


def test_deductions_never_push_a_step_below_zero():
    r = score(_perfect_year(), None, None, fiscal_year=2563)  # no monthly-report sheet at all
    assert len(r.deductions) == 11 and r.steps.set_index("step").loc[3, "score"] == 0.0
    assert r.total == 4.0 and any("รายงานประจำเดือน" in n for n in r.notes)


def test_audit_month_below_80_percent_costs_005_from_step_2():
    t = _perfect_year()
    sample = pd.DataFrame({"month": [pd.Timestamp("2019-10-01")] * 2, "complaint_id": ["C0", "C1"],
                           "correct": pd.array([True, False], dtype="boolean")})
    r = score(t, None, _reports(), sample, fiscal_year=2563)
    oct_ = r.months.iloc[0]
    assert (oct_["completed_in_month"], oct_["audit_sample_needed"], oct_["audit_accuracy_pct"]) == (20, 2, 50.0)
    assert list(r.deductions["kind"]) == ["audit"] and r.total == 4.95
    ok = sample.assign(correct=pd.array([True, True], dtype="boolean"))
    assert score(t, None, _reports(), ok, fiscal_year=2563).total == 5.0


@pytest.mark.parametrize(("n", "size"), [(0, 0), (1, 1), (10, 1), (11, 2), (40, 4), (41, 5), (915, 92)])
def test_audit_sample_size_rounds_up(n, size):
    assert audit_sample_size(n) == size


@pytest.mark.parametrize(
    ("end", "received", "completed", "pct", "pending_pct"),
    [(D(2019, 3, 31), 915, 914, 99.89, 0.11), (D(2019, 6, 24), 1335, 1301, 97.45, 2.55),
     (D(2019, 8, 30), 1669, 1637, 98.08, 1.92)],
)
def test_seed_001_quarterly_cumulative_figures(end, received, completed, pct, pending_pct):
    rows = [(f"C{i}", D(2018, 10, 1) + dt.timedelta(days=i % 150), None, None,
             D(2018, 10, 1) + dt.timedelta(days=i % 150) if i < completed else None) for i in range(received)]
    s = period_summary(table(*rows), D(2018, 10, 1), end)
    assert (s["received"], s["completed"], s["pending"]) == (received, completed, received - completed)
    assert (s["completed_pct"], s["pending_pct"]) == (pct, pending_pct)


def test_total_is_traceable_to_explanation_rows(sample_book):
    r = sample_book.score(fiscal_year=2563)
    ex = r.explain()
    for _, comp in r.components.iterrows():
        rows = ex[ex["component"] == comp["key"]]
        assert int(rows["correct"].sum()) == comp["correct"] and len(rows) == comp["total"]
    assert ex["deduction"].sum() == pytest.approx(r.deductions["amount"].sum())
    assert r.total == pytest.approx(r.steps["score"].sum())
    assert r.total == 4.5502  # the committed sample: step 1 full, 2.1 and 2.2 below 95 %, 2 reports late/missing


def test_bma_2562_rule_set_scores_out_of_100(sample_book):
    r = sample_book.score(fiscal_year=2563, rules="bma-2562")
    assert list(r.components["points"]) == [20.0, 80.0]
    assert 0 <= r.total <= 100 and r.deductions.empty


def test_rule_sets_are_data(tmp_path):
    assert available_rules() == ["best-service-2558", "bma-2557", "bma-2562"]
    r = load_rules("bma-2557")
    assert (r.total_points, r.threshold_pct, r.audit.per_month, r.late_report.per_month) == (5, 95, 0.05, 0.1)
    assert [c.points for c in r.components] == [1, 1, 2, 1]
    lv = load_rules("best-service-2558").levels
    assert lv.thresholds_pct == (60, 70, 80, 90, 100) and lv.revision_business_days == 10
    src = (load_rules.__globals__["_RULESETS"] / "bma-2557.toml").read_text("utf-8")
    data = tomllib.loads(src)
    bad = src.replace('criteria = ["ack_on_time", "progress_on_time"]', 'criteria = ["ack_on_time", "magic"]')
    (tmp_path / "bad.toml").write_text(bad, "utf-8")
    with pytest.raises(RuleSetError, match="unknown criteria"):
        load_rules(str(tmp_path / "bad.toml"))
    (tmp_path / "pts.toml").write_text(src.replace("total_points = 5", "total_points = 6"), "utf-8")
    with pytest.raises(RuleSetError, match="add up"):
        load_rules(str(tmp_path / "pts.toml"))
    assert data["name"] == "bma-2557"
    with pytest.raises(RuleSetError, match="unknown rule set"):
        load_rules("bma-2099")


def test_scoring_refuses_a_level_rule_set():
    with pytest.raises(ValueError, match="levels"):
        score(_perfect_year(), fiscal_year=2563, rules="best-service-2558")


def test_complaints_outside_the_period_are_not_counted():
    t = table(("A", D(2019, 9, 30), D(2019, 10, 1)), ("B", D(2019, 10, 1), D(2019, 10, 2)))
    r = score(t, None, None, fiscal_year=2563)
    assert list(r.complaints["complaint_id"]) == ["B"]
    assert np.isclose(r.components.iloc[0]["total"], 1)


def test_period_summary_agrees_with_the_months_table_on_reopened_complaints():
    # B was resolved, rejected by the complainant and re-forwarded: pending again
    t = table(("A", D(2020, 9, 1), D(2020, 9, 2), D(2020, 9, 3), D(2020, 9, 10), *OK),
              ("B", D(2020, 9, 1), D(2020, 9, 2), D(2020, 9, 3), D(2020, 9, 10), *OK, D(2020, 9, 20)))
    s = period_summary(t, D(2020, 9, 1), D(2020, 9, 30))
    sept = score(t, None, None, fiscal_year=2563).months.iloc[-1]
    assert (s["received"], s["completed"], s["pending"]) == (2, 1, 1)
    assert (sept["received"], sept["completed"], sept["in_progress"]) == (2, 1, 1)


def test_a_reopening_after_the_as_of_date_does_not_erase_the_cycle_of_that_date():
    # resolved in September; the complainant rejected it in November, after the as-of date
    t = table(("A", D(2019, 9, 2), D(2019, 9, 3), D(2019, 9, 4), D(2019, 9, 5), *OK, D(2019, 11, 4)))
    ev = evaluate_complaints(t, None, as_of=D(2019, 9, 30)).iloc[0]
    assert ev["start_on"] == pd.Timestamp("2019-09-02") and ev["resolved"] and ev["ack_on_time"]
    assert period_summary(t, D(2019, 9, 1), D(2019, 9, 30))["completed"] == 1
    later = evaluate_complaints(t, None, as_of=D(2019, 12, 31)).iloc[0]
    assert later["start_on"] == pd.Timestamp("2019-11-04") and not later["resolved"]


def test_complaints_forwarded_after_the_as_of_date_are_not_in_the_report_yet():
    t = table(("A", D(2019, 10, 2), D(2019, 10, 3), D(2019, 10, 4), D(2019, 10, 8), *OK),
              ("B", D(2019, 11, 20)))
    r = score(t, None, None, fiscal_year=2563, as_of=D(2019, 11, 1))
    assert list(r.complaints["complaint_id"]) == ["A"]
    assert list(r.components["pct"])[:3] == [100.0, 100.0, 100.0]


def test_a_deadline_on_the_as_of_day_is_still_pending_for_every_kind():
    # first progress due 7 Oct; the 15 Oct and 30 Oct checkpoints follow; no report after 4 Oct
    t = table(("A", D(2019, 10, 1), D(2019, 10, 2), D(2019, 10, 4)))
    on_the_day = evaluate_complaints(t, None, as_of=D(2019, 10, 30)).iloc[0]
    assert on_the_day["followups_required"] == 1 and on_the_day["followups_met"]  # 15 Oct met by 4 Oct
    day_after = evaluate_complaints(t, None, as_of=D(2019, 10, 31)).iloc[0]
    assert day_after["followups_required"] == 2 and not day_after["followups_met"]
    assert day_after["first_missed_followup"] == pd.Timestamp("2019-10-30")
    # October's summary is due 10 Nov: not judged on 10 Nov, missing on 11 Nov
    assert not score(_perfect_year(), None, _reports(missing=(0,)), start=D(2019, 10, 1), end=D(2019, 10, 31),
                     as_of=D(2019, 11, 10)).months.iloc[0]["report_due_passed"]
    late = score(_perfect_year(), None, _reports(missing=(0,)), start=D(2019, 10, 1), end=D(2019, 10, 31),
                 as_of=D(2019, 11, 11))
    assert list(late.deductions["kind"]) == ["missing_report"]


def test_monthly_report_deduction_vectorised():
    got = monthly_report_deduction([D(2020, 3, 13), None, None, D(2020, 3, 10)], D(2020, 2, 1),
                                   [D(2020, 4, 1), D(2020, 3, 10), D(2020, 3, 11), None])
    assert got[0] == 0.1 and np.isnan(got[1]) and got[2] == 0.1 and got[3] == 0.0


def test_completed_in_month_is_the_audit_population():
    t = table(("A", D(2019, 10, 1), None, None, D(2019, 10, 10), *OK),
              ("B", D(2019, 10, 1), None, None, D(2019, 11, 1), *OK),
              ("C", D(2019, 10, 1), None, None, D(2019, 10, 15), *OK, D(2019, 10, 20)))  # reopened: pending
    mask = completed_in_month(t, D(2019, 10, 1), as_of=D(2019, 12, 31))
    assert list(t["complaint_id"][mask]) == ["A"]
    assert score(t, None, None, fiscal_year=2563).months.iloc[0]["completed_in_month"] == 1


def test_bma_2562_scores_its_data_window_only():
    # SPEC §5: complaints received 1 Oct 2018 - 31 Aug 2019; a September 2019 one is outside
    t = table(("A", D(2018, 10, 2), D(2018, 10, 3), D(2018, 10, 4), D(2018, 10, 8), *OK),
              ("B", D(2019, 9, 10)))
    r = score(t, None, None, fiscal_year=2562, rules="bma-2562")
    assert list(r.complaints["complaint_id"]) == ["A"] and r.end == D(2019, 8, 31)
    assert r.total == 100.0 and any("data window" in n for n in r.notes)


def test_component_scoring_mode_is_read_from_the_rule_set(tmp_path):
    src = (load_rules.__globals__["_RULESETS"] / "bma-2557.toml").read_text("utf-8")
    src = src.replace('criteria = ["ack_on_time", "progress_on_time"]',
                      'criteria = ["ack_on_time", "progress_on_time"]\nscoring = "full_minus_deductions"', 1)
    (tmp_path / "r.toml").write_text(src, "utf-8")
    t = table(("A", D(2019, 10, 2), D(2019, 10, 7), D(2019, 10, 8), D(2019, 10, 9), *OK))  # ack late
    r = score(t, None, _reports(), fiscal_year=2563, rules=str(tmp_path / "r.toml"))
    ack = r.components.set_index("key").loc["acknowledge"]
    assert ack["pct"] == 0.0 and ack["score"] == 1.0
    (tmp_path / "bad.toml").write_text(src.replace('scoring = "full_minus_deductions"', 'scoring = "magic"', 1),
                                       "utf-8")
    with pytest.raises(RuleSetError, match="scoring must be"):
        load_rules(str(tmp_path / "bad.toml"))


def test_what_happens_after_the_as_of_date_has_not_happened_yet():
    # October's summary, due 10 Nov, was sent on 20 Nov: as of 15 Nov it is missing, not late
    r = score(_perfect_year(), None, _reports(late={0: D(2019, 11, 20)}), start=D(2019, 10, 1),
              end=D(2019, 10, 31), as_of=D(2019, 11, 15))
    assert list(r.deductions["kind"]) == ["missing_report"]
    got = monthly_report_deduction(D(2019, 11, 20), D(2019, 10, 1), D(2019, 11, 5))
    assert np.isnan(got[0])  # not sent as of 5 Nov, and not due yet
    t = table(("A", D(2019, 10, 2)), ("B", D(2019, 10, 20)))
    assert period_summary(t, D(2019, 10, 1), D(2019, 10, 31), as_of=D(2019, 10, 10))["received"] == 1


@pytest.mark.parametrize(("old", "new", "message"), [
    ("ack_business_days = 1", "ack_business_days = 99999999999999999999",
     "ไฟล์ชุดเกณฑ์ {f}: ค่า deadlines.ack_business_days = 99999999999999999999 ใช้ไม่ได้ ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 366 "
     "(the rule-set file {f}: deadlines.ack_business_days = 99999999999999999999 cannot be used: it must be a whole "
     "number from 0 to 366)"),
    ("pct_decimals = 2", "pct_decimals = -5000",
     "ไฟล์ชุดเกณฑ์ {f}: ค่า pct_decimals = -5000 ใช้ไม่ได้ ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 10 (the rule-set file {f}: "
     "pct_decimals = -5000 cannot be used: it must be a whole number from 0 to 10)"),
    ("total_points = 5", "total_points = nan",
     "ไฟล์ชุดเกณฑ์ {f}: ค่า total_points = nan ใช้ไม่ได้ ต้องเป็นตัวเลขตั้งแต่ 0 ถึง 1,000 (the rule-set file {f}: "
     "total_points = nan cannot be used: it must be a number from 0 to 1,000)"),
    ("followup_days = [15, 30]", "followup_days = [0, 45, -1]",
     "ไฟล์ชุดเกณฑ์ {f}: ค่า deadlines.followup_days[2] = -1 ใช้ไม่ได้ ต้องเป็นจำนวนเต็มตั้งแต่ 0 ถึง 366 (the rule-set "
     "file {f}: deadlines.followup_days[2] = -1 cannot be used: it must be a whole number from 0 to 366)"),
])
def test_every_number_of_a_rule_set_file_is_bounded_and_named_with_its_file_and_key(tmp_path, old, new, message):
    src = (load_rules.__globals__["_RULESETS"] / "bma-2557.toml").read_text("utf-8")
    assert old in src
    path = tmp_path / "bad.toml"
    path.write_text(src.replace(old, new, 1), "utf-8")
    with pytest.raises(RuleSetError) as exc:
        load_rules(str(path))
    assert str(exc.value) == message.format(f=path)


def test_a_rule_set_file_nested_100000_deep_is_refused_not_a_recursion_error(tmp_path):
    path = tmp_path / "deep.toml"
    path.write_text("x = " + "[" * 100_000 + "]" * 100_000 + "\n", "utf-8")
    with pytest.raises(RuleSetError) as exc:
        load_rules(str(path))
    assert str(exc.value) == (f"ไฟล์ชุดเกณฑ์ {path} ซ้อนตาราง/รายการลึกเกินไป (the rule-set file {path} nests tables "
                              "or arrays too deeply)")
