"""Deadlines, follow-up checkpoints and monitoring status (SPEC §3, seed 004)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest

from cplkpi.scoring.deadlines import (
    ack_due,
    business_days_late,
    followup_checkpoints,
    next_followup,
    on_time,
    progress_due,
    status_as_of,
)
from cplkpi.scoring.rules import Deadlines, load_rules

D = dt.date


@pytest.mark.parametrize(("forwarded", "expected", "why"), [
    (D(2019, 10, 2), D(2019, 10, 3), "the next business day"),
    (D(2019, 10, 11), D(2019, 10, 15), "Friday; Monday 14 Oct is a holiday"),
    (D(2019, 12, 30), D(2020, 1, 2), "31 Dec and 1 Jan off"),
    (D(2019, 4, 12), D(2019, 4, 17), "forwarded on a holiday, Songkran follows"),
])
def test_ack_due(forwarded, expected, why):
    assert ack_due(forwarded) == expected, why


@pytest.mark.parametrize(("acknowledged", "expected", "why"), [
    (D(2019, 4, 17), D(2019, 4, 22), "three business days over a weekend"),
    (D(2019, 10, 31), D(2019, 11, 7), "1, 6, 7 Nov (ASEAN summit days 4-5 Nov)"),
    (D(2022, 11, 15), D(2022, 11, 23), "APEC days 16-18 Nov"),
])
def test_progress_due(acknowledged, expected, why):
    assert progress_due(acknowledged) == expected, why


def test_followup_checkpoints_february_and_non_business_days():
    cps = followup_checkpoints(D(2020, 1, 1), D(2020, 4, 30))
    assert [str(x) for x in cps] == ["2020-01-15", "2020-01-30", "2020-02-17", "2020-03-02", "2020-03-16",
                                     "2020-03-30", "2020-04-15", "2020-04-30"]
    # 28 Feb 2021 is a Sunday: the last day of February moves to Monday 1 March
    assert np.datetime64("2021-03-01") in followup_checkpoints(D(2021, 2, 1), D(2021, 3, 1))
    # 15 April 2019 is Songkran: the checkpoint moves past 16 April (substitute) to the 17th
    assert np.datetime64("2019-04-17") in followup_checkpoints(D(2019, 4, 1), D(2019, 4, 30))
    assert next_followup(D(2020, 2, 16)) == D(2020, 2, 17)
    assert next_followup(D(2020, 1, 15)) == D(2020, 1, 15)


def test_checkpoint_policy_is_configurable():
    keep = load_rules("bma-2557")
    keep = type(keep)(**{**keep.__dict__, "deadlines": Deadlines(followup_non_business="keep")})
    cps = followup_checkpoints(D(2020, 2, 1), D(2020, 2, 29), rules=keep)
    assert [str(x) for x in cps] == ["2020-02-15", "2020-02-29"]
    prev = type(keep)(**{**keep.__dict__, "deadlines": Deadlines(followup_non_business="previous")})
    cps = followup_checkpoints(D(2020, 2, 1), D(2020, 2, 29), rules=prev)
    assert [str(x) for x in cps] == ["2020-02-14", "2020-02-28"]


def test_on_time_and_late_days():
    assert on_time(D(2019, 10, 3), D(2019, 10, 3)) is True
    assert on_time(D(2019, 10, 4), D(2019, 10, 3)) is False
    assert on_time(None, D(2019, 10, 3)) is False
    assert business_days_late(D(2019, 10, 7), D(2019, 10, 3)) == 2  # Fri 4, Mon 7
    assert business_days_late(D(2019, 10, 15), D(2019, 10, 11)) == 1  # over the 14 Oct holiday
    assert business_days_late(D(2019, 10, 1), D(2019, 10, 3)) == 0


@pytest.mark.parametrize(
    ("ack", "report", "resolved", "as_of", "status", "phase", "due"),
    [
        (None, None, None, D(2019, 10, 1), "due_soon", "ack", D(2019, 10, 2)),
        (None, None, None, D(2019, 10, 3), "overdue", "ack", D(2019, 10, 2)),
        (D(2019, 10, 2), None, None, D(2019, 10, 2), "on_time", "progress", D(2019, 10, 7)),
        (D(2019, 10, 2), None, None, D(2019, 10, 4), "due_soon", "progress", D(2019, 10, 7)),
        (D(2019, 10, 2), None, None, D(2019, 10, 8), "overdue", "progress", D(2019, 10, 7)),
        (D(2019, 10, 2), D(2019, 10, 4), None, D(2019, 10, 10), "on_time", "followup", D(2019, 10, 30)),
        # the report of 4 Oct lies in the window (30 Sep, 15 Oct]: the 15 Oct checkpoint is met
        (D(2019, 10, 2), D(2019, 10, 4), None, D(2019, 10, 15), "on_time", "followup", D(2019, 10, 30)),
        (D(2019, 10, 2), D(2019, 10, 4), None, D(2019, 10, 29), "due_soon", "followup", D(2019, 10, 30)),
        (D(2019, 10, 2), D(2019, 10, 4), None, D(2019, 10, 25), "on_time", "followup", D(2019, 10, 30)),
        (D(2019, 10, 2), D(2019, 10, 4), None, D(2019, 11, 1), "overdue", "followup", D(2019, 10, 30)),
        (D(2019, 10, 2), D(2019, 10, 29), None, D(2019, 11, 1), "on_time", "followup", D(2019, 11, 15)),
        (D(2019, 10, 2), D(2019, 10, 4), D(2019, 10, 9), D(2019, 10, 20), "done", "done", None),
    ],
)
def test_status_as_of(ack, report, resolved, as_of, status, phase, due):
    st = status_as_of(D(2019, 10, 1), ack, report, resolved, as_of).iloc[0]
    assert (st["status"], st["phase"]) == (status, phase)
    if due is None:
        assert pd.isna(st["due"])
    else:
        assert st["due"] == np.datetime64(due)


def test_status_labels_are_thai():
    st = status_as_of(D(2019, 10, 1), None, None, None, D(2019, 10, 3))
    assert st["status_th"].iloc[0] == "เกินกำหนด" and st["status_en"].iloc[0] == "overdue"


def test_a_status_proving_the_acknowledgement_moves_on_to_the_first_progress_report():
    """Issue 11 defect 3: no acknowledgement date, but the source's state says it was acknowledged: the
    complaint waits for the first progress report, due 3 business days after the acknowledgement deadline
    (forwarded Tue 22 Apr 2025: acknowledgement due 23 Apr, report due 28 Apr); one flag per complaint."""
    from cplkpi.scoring.deadlines import PHASES, STATUSES, status_codes

    start = np.array(["2025-04-22", "2025-04-22", "2025-04-22"], dtype="datetime64[D]")
    nat = np.array(["NaT"] * 3, dtype="datetime64[D]")
    ack = np.array(["NaT", "NaT", "2025-04-22"], dtype="datetime64[D]")
    status, phase, due = status_codes(start, ack, nat, nat, dt.date(2025, 4, 24),
                                      acknowledged_by_status=np.array([False, True, False]))
    assert [PHASES[p] for p in phase] == ["ack", "progress", "progress"]
    assert [STATUSES[s] for s in status] == ["overdue", "on_time", "due_soon"]  # due soon: within 1 business day
    assert due.tolist() == [dt.date(2025, 4, 23), dt.date(2025, 4, 28), dt.date(2025, 4, 25)]
