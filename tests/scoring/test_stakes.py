"""Points at stake today (issue 11, go beyond): each listed complaint's next action done today, the
fiscal-year total projected to the year end; checked against the engine's own score, complaint by complaint."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from cplkpi.scoring import score
from cplkpi.scoring.deadlines import followup_checkpoints
from cplkpi.scoring.stakes import ACTIONS_TH, points_at_stake

TODAY = dt.date(2020, 9, 15)


@pytest.fixture(scope="module")
def stakes(sample_book):
    return sample_book.points_at_stake(TODAY)


def _tables(book):
    return (book.complaints.table, book.progress.table,
            book.monthly_reports.table if book.monthly_reports is not None else None,
            book.audit_sample.table if book.audit_sample is not None else None)


def _one_done(book, row: int, phase: str, complaint_id: str) -> float:
    """The projected total with only this complaint handled: its next action today, then kept on track
    (first progress by today, a report on each 15th/30th checkpoint to the year end); a plain re-score."""
    c, p, m, a = _tables(book)
    c = c.copy()
    if phase == "ack":
        c.loc[row, "acknowledged_on"] = pd.Timestamp(TODAY)
    if phase in ("ack", "progress"):
        c.loc[row, "first_progress_on"] = pd.Timestamp(TODAY)
    reports = [pd.Timestamp(TODAY)] + [pd.Timestamp(d) for d in followup_checkpoints(
        TODAY + dt.timedelta(days=1), dt.date(2020, 9, 30), calendar=book.calendar())]
    assert reports[1:] == [pd.Timestamp("2020-09-30")]  # the one checkpoint left in FY 2563
    p = pd.concat([p, pd.DataFrame({"complaint_id": [complaint_id] * len(reports), "reported_on": reports})],
                  ignore_index=True)
    return score(c, p, m, a, fiscal_year=2563, as_of=dt.date(2020, 9, 30), calendar=book.calendar()).total


def test_projected_totals(stakes, sample_book):
    assert (stakes.projected_nothing, stakes.projected_all) == (4.5502, 4.5556)
    assert stakes.projected_to == dt.date(2020, 9, 30)
    c, p, m, a = _tables(sample_book)
    assert score(c, p, m, a, fiscal_year=2563, calendar=sample_book.calendar()).total == 4.5502
    assert stakes.summary_th() == (
        "คะแนนปีงบประมาณที่คาดการณ์ ณ 30 ก.ย. 2563: ถ้าไม่ดำเนินการใดเพิ่ม 4.5502 / "
        "ถ้าทุกเรื่องในรายการดำเนินการขั้นถัดไปวันนี้และขั้นต่อไปตามกำหนด 4.5556 จาก 5 คะแนน (projected fiscal-year "
        "score on 2020-09-30: 4.5502 if nothing more is done, 4.5556 if every listed complaint's next action is "
        "done today and its later deadlines are met)")


def test_each_complaints_points_are_what_the_engine_scores_when_only_it_is_done(stakes, sample_book):
    t = stakes.table
    assert len(t) == 10 and set(t["status"]) == {"overdue", "due_soon"}
    for row, x in t.iterrows():
        assert round(_one_done(sample_book, row, x["phase"], x["complaint_id"]) - stakes.projected_nothing, 4) \
            == x["points"], x["complaint_id"]
    # the three follow-up reports due today protect 0.0019 each; late or full-point steps protect nothing
    assert t["points"].tolist() == [0.0019] * 3 + [0.0] * 7
    assert t["complaint_id"].head(3).tolist() == ["630200954", "630200973", "630201051"]
    assert t["action_th"].iloc[0] == ACTIONS_TH["followup"]


def test_nothing_listed_changes_nothing(sample_book):
    c, p, m, a = _tables(sample_book)
    s = points_at_stake(c, p, m, a, today=dt.date(2020, 9, 15), fiscal_year=2563, statuses=("none",))
    assert s.table.empty and s.projected_all == s.projected_nothing == 4.5502
