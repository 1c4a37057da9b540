"""Properties of deadlines, scores, deductions and exact percentages (hypothesis)."""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from fractions import Fraction

import numpy as np
import pandas as pd
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from cplkpi.reader import from_sheets
from cplkpi.scoring.evaluate import evaluate_complaints
from cplkpi.scoring.percent import percent, percent_array, round_half_up
from cplkpi.scoring.rules import load_rules
from cplkpi.scoring.scores import audit_sample_size, step_score

SETTINGS = settings(max_examples=60, deadline=None)
FY_START = dt.date(2019, 10, 1)
HEADER = [
    "เลขที่เรื่อง",
    "วันที่ศูนย์แจ้งเรื่อง",
    "วันที่ตอบรับ",
    "วันที่รายงานความก้าวหน้า",
    "วันที่แล้วเสร็จ",
    "สถานะ",
    "ผลการดำเนินการ",
    "หลักฐาน",
    "วันที่ส่งเรื่องใหม่",
]
maybe_days = st.one_of(st.none(), st.integers(0, 60))


@st.composite
def complaint_rows(draw):
    n = draw(st.integers(1, 25))
    rows = []
    for i in range(n):
        fwd = FY_START + dt.timedelta(days=draw(st.integers(0, 364)))
        ack, prog, res, reopen = (
            draw(maybe_days),
            draw(maybe_days),
            draw(st.one_of(st.none(), st.integers(0, 200))),
            draw(st.one_of(st.none(), st.integers(1, 90))),
        )
        ack_on = None if ack is None else fwd + dt.timedelta(days=ack)
        prog_on = None if prog is None or ack_on is None else ack_on + dt.timedelta(days=prog)
        res_on = None if res is None else fwd + dt.timedelta(days=res)
        reopen_on = None if reopen is None or res_on is None else res_on + dt.timedelta(days=reopen)
        rows.append(
            [
                f"C{i:03d}",
                fwd,
                ack_on,
                prog_on,
                res_on,
                "เสร็จสิ้น" if res_on else "กำลังดำเนินการ",
                draw(st.sampled_from([None, "-", "ซ่อมแล้ว"])),
                draw(st.sampled_from([None, "มี", "ไม่มี"])),
                reopen_on,
            ]
        )
    return rows


@st.composite
def workbooks(draw):
    rows = draw(complaint_rows())
    ids = [r[0] for r in rows]
    progress = [["เลขที่เรื่อง", "วันที่รายงาน"]] + [
        [draw(st.sampled_from(ids)), FY_START + dt.timedelta(days=draw(st.integers(0, 400)))]
        for _ in range(draw(st.integers(0, 30)))
    ]
    months = [
        FY_START.replace(month=m) if m >= 10 else dt.date(2020, m, 1) for m in (10, 11, 12, *range(1, 10))
    ]
    reports = [["เดือน", "วันที่ส่งรายงาน"]] + [
        [
            m,
            None
            if (late := draw(st.one_of(st.none(), st.integers(0, 60)))) is None
            else (m + dt.timedelta(days=31)).replace(day=1) + dt.timedelta(days=late),
        ]
        for m in months
        if draw(st.booleans())
    ]
    audit = [["เดือน", "เลขที่เรื่อง", "ผลการตรวจ"]] + [
        [
            draw(st.sampled_from(months)),
            draw(st.sampled_from(ids)),
            draw(st.sampled_from(["ถูกต้อง", "ไม่ถูกต้อง"])),
        ]
        for _ in range(draw(st.integers(0, 12)))
    ]
    return from_sheets(
        {
            "เรื่องร้องเรียน": [HEADER, *rows],
            "รายงานความก้าวหน้า": progress,
            "รายงานประจำเดือน": reports,
            "สุ่มตรวจ": audit,
        }
    )


@SETTINGS
@given(
    workbooks(),
    st.sampled_from(["bma-2557", "bma-2562"]),
    st.dates(min_value=dt.date(2019, 10, 1), max_value=dt.date(2021, 3, 31)),
)
def test_scores_stay_within_zero_and_full_points_and_deductions_never_go_below_zero(book, rules, as_of):
    assert book.errors == []
    r = load_rules(rules)
    result = book.score(fiscal_year=2563, rules=rules, as_of=as_of)
    comps = result.components
    assert ((comps["score"] >= 0) & (comps["score"] <= comps["points"])).all()
    assert all(p is None or p != p or 0 <= p <= 100 for p in comps["pct"])
    steps = result.steps
    assert ((steps["score"] >= 0) & (steps["score"] <= steps["points"])).all()
    for _, s in steps.iterrows():  # a deduction is taken from its step, and never below zero
        assert math.isclose(s["score"], max(s["score_before"] - s["deductions"], 0.0), abs_tol=1e-9)
    assert 0 <= result.total <= r.total_points
    assert math.isclose(result.total, steps["score"].sum(), abs_tol=1e-9)
    assert (result.deductions["amount"] > 0).all()


@SETTINGS
@given(complaint_rows(), st.integers(0, 120))
def test_a_reopen_never_shortens_a_deadline(rows, reopen_after):
    """The same complaints, reopened (re-forwarded) some days after forwarding: every deadline is as late or later."""
    table = pd.DataFrame(
        rows,
        columns=[
            "complaint_id",
            "forwarded_on",
            "acknowledged_on",
            "first_progress_on",
            "resolved_on",
            "status",
            "result_detail",
            "has_evidence",
            "reopened_on",
        ],
    )
    for c in ("forwarded_on", "acknowledged_on", "first_progress_on", "resolved_on", "reopened_on"):
        table[c] = pd.to_datetime(table[c])
    table["has_evidence"] = table["has_evidence"].map({"มี": True, "ไม่มี": False}).astype("boolean")
    plain = table.assign(reopened_on=pd.NaT)
    reopened = table.assign(reopened_on=table["forwarded_on"] + pd.Timedelta(days=reopen_after))
    as_of = dt.date(2021, 6, 30)
    a = evaluate_complaints(plain, as_of=as_of)
    b = evaluate_complaints(reopened, as_of=as_of)
    assert (b["ack_due"] >= a["ack_due"]).all()
    assert (b["progress_due"] >= a["progress_due"]).all()
    assert (b["start_on"] >= a["start_on"]).all()


@SETTINGS
@given(
    st.lists(st.dates(min_value=dt.date(1998, 1, 1), max_value=dt.date(2027, 6, 30)), min_size=2, max_size=20)
)
def test_a_later_forwarding_never_gives_an_earlier_acknowledgement_deadline(days):
    days = sorted(days)
    table = pd.DataFrame(
        {"complaint_id": [f"C{i}" for i in range(len(days))], "forwarded_on": pd.to_datetime(days)}
    )
    due = evaluate_complaints(table, as_of=dt.date(2027, 12, 31))["ack_due"].to_numpy()
    assert (np.diff(due) >= np.timedelta64(0, "D")).all()


# --- exact percentages ---------------------------------------------------------------------------------


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 10**7), st.integers(1, 10**7))
def test_percent_is_exact_half_up(num, den):
    exact = Fraction(num * 100, den)
    expected = math.floor(exact * 100 + Fraction(1, 2)) / Fraction(100)
    assert Decimal(str(percent(num, den))) == Decimal(expected.numerator) / Decimal(expected.denominator)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 10**6)), min_size=1, max_size=50))
def test_percent_array_equals_percent(pairs):
    num, den = map(np.array, zip(*pairs))
    got = percent_array(num, den)
    for g, (a, b) in zip(got, pairs):
        assert (np.isnan(g) and b == 0) or g == percent(a, b)


@settings(max_examples=500, deadline=None)
@given(st.integers(0, 10**6))
def test_round_half_up_has_no_binary_float_artefacts(k):
    """Three-decimal values (1.005, 98.075…) round half up as typed, although their floats lie below the half."""
    value = float(f"{k / 1000:.3f}")
    assert Decimal(str(round_half_up(value, 2))) == Decimal((k + 5) // 10) / 100
    assert round_half_up(-value, 2) == -round_half_up(value, 2)


@settings(max_examples=300, deadline=None)
@given(
    st.floats(0, 100, allow_nan=False),
    st.floats(0, 100, allow_nan=False),
    st.sampled_from([1, 2, 3, 20, 80]),
    st.sampled_from([90, 95]),
)
def test_step_score_is_monotone_bounded_and_full_at_the_threshold(p1, p2, points, threshold):
    lo, hi = sorted((round(p1, 2), round(p2, 2)))
    s_lo, s_hi = step_score(lo, points, threshold), step_score(hi, points, threshold)
    assert 0 <= s_lo <= s_hi <= points
    assert (s_hi == points) == (hi >= threshold)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 100_000), st.sampled_from([5, 10, 12.5, 20]))
def test_audit_sample_is_the_rounded_up_share(completed, pct):
    n = audit_sample_size(completed, pct)
    assert n == math.ceil(Fraction(completed) * Fraction(str(pct)) / 100)
    assert n >= completed * pct / 100 - 1e-9 and (completed == 0) == (n == 0)
    assume(completed > 0)
    assert n - 1 < completed * pct / 100
