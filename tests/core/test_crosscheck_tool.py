"""The cross-check tool itself (no LibreOffice): cases hit the corners, values are poisoned,
and the comparison reports a wrong, missing or stale value."""

from __future__ import annotations

import zipfile

import numpy as np
import pandas as pd
import pytest

from cplkpi.crosscheck import (
    POISON,
    compare,
    expected_values,
    make_cases,
    read_formula_values,
    write_workbook,
)
from cplkpi.scoring import thai_calendar
from cplkpi.scoring.thaidate import excel_serial


@pytest.fixture(scope="module")
def drawn():
    return make_cases(3000, seed=5)


def test_cases_cover_holidays_weekends_overrides_and_the_calendar_edge(drawn):
    scenarios, cases = drawn
    start = cases["start"].to_numpy().astype("datetime64[D]")
    assert start.min() >= np.datetime64("2000-01-01") and start.max() <= np.datetime64("2027-12-31")
    assert cases["days"].min() < -39 and cases["days"].max() > 39
    assert (cases["days"] == 0).sum() > 200
    assert (cases["days"] != np.trunc(cases["days"])).sum() > 50
    assert set(cases["start_kind"]) == {"any", "holiday", "weekend", "override", "near_holiday", "edge"}
    assert cases["workday_excluded"].sum() > 0
    assert scenarios[0].extra_holidays == () and all(s.extra_workdays for s in scenarios[1:])
    base = thai_calendar()
    for s in scenarios[1:]:
        # extra working days are only weekday holidays of the shipped calendar (Excel can express those)
        assert not base.is_workday(np.array(s.extra_workdays)).any()
        assert (((np.array(s.extra_workdays).astype(np.int64) + 3) % 7) < 5).all()
        assert len(s.calendar.weekend_workdays) == 0


def test_excluded_cases_are_exactly_the_ones_the_engine_refuses(drawn):
    scenarios, cases = drawn
    expected = expected_values(scenarios, cases)  # raises if the engine accepts an excluded case
    assert expected["workday"].isna().to_numpy().tolist() == cases["workday_excluded"].tolist()
    last = excel_serial(thai_calendar().last)
    assert expected["workday"].max() <= last


def test_known_cases_against_the_thai_calendar():
    """Spot values (2019-10-11 Fri → next business day Tue 2019-10-15: Mon 14 Oct was a holiday)."""
    scenarios, _ = make_cases(10, seed=1)
    cases = pd.DataFrame(
        {
            "case": [1, 2, 3],
            "scenario": [0, 0, 0],
            "start": np.array(["2019-10-11", "2019-10-13", "2019-10-14"], dtype="datetime64[D]"),
            "days": [1.0, 0.0, -1.7],
            "end": np.array(["2019-10-15", "2019-10-13", "2019-10-07"], dtype="datetime64[D]"),
            "start_kind": "any",
            "workday_excluded": False,
        }
    )
    got = expected_values(scenarios, cases)
    assert got["workday"].tolist() == [
        excel_serial(np.datetime64("2019-10-15")),
        excel_serial(np.datetime64("2019-10-13")),
        excel_serial(np.datetime64("2019-10-11")),
    ]
    assert got["networkdays"].tolist() == [2, 0, -5]


def _fake_recalculated(scenarios, cases, path, tweak=None):
    """A workbook whose cached values are the engine's (as if recalculated), optionally tweaked."""
    cached = expected_values(scenarios, cases).copy()
    cached.loc[cases["workday_excluded"], "workday"] = excel_serial(thai_calendar().last) + 30
    if tweak:
        tweak(cached)
    write_workbook(scenarios, cases, path, rows_per_sheet=1000, cached=cached)


def test_written_values_are_poisoned_until_recalculated(drawn, tmp_path):
    scenarios, cases = drawn
    sheets = write_workbook(scenarios, cases, tmp_path / "in.xlsx", rows_per_sheet=1000)
    assert sheets == ["cases1", "cases2", "cases3"]
    values = read_formula_values(tmp_path / "in.xlsx", sheets)
    assert len(values) == 2 * len(cases) and set(values.values()) == {POISON}
    with zipfile.ZipFile(tmp_path / "in.xlsx") as zf:
        sheet = zf.read("xl/worksheets/sheet1.xml").decode()
    assert "<f>WORKDAY.INTL(C2,D2,1,holidays!$" in sheet and "<f>NETWORKDAYS.INTL(C2,E2,1,holidays!$" in sheet
    disagreements, *_ = compare(scenarios, cases, tmp_path / "in.xlsx", sheets, rows_per_sheet=1000)
    assert len(disagreements) == 2 * len(cases)
    assert set(disagreements["problem"]) == {
        "not recalculated (cached POISON value)",
        "engine refused (outside the calendar) but LibreOffice's result is inside",
    }


def test_comparison_passes_equal_values_and_names_each_wrong_cell(drawn, tmp_path):
    scenarios, cases = drawn
    _fake_recalculated(scenarios, cases, tmp_path / "ok.xlsx")
    sheets = ["cases1", "cases2", "cases3"]
    disagreements, n_work, n_net, n_excl = compare(
        scenarios, cases, tmp_path / "ok.xlsx", sheets, rows_per_sheet=1000
    )
    assert disagreements.empty
    assert n_net == 3000 and n_work + n_excl == 3000

    i = int(np.flatnonzero(~cases["workday_excluded"].to_numpy())[1500 - 1000])

    def tweak(cached):
        cached.loc[cases.index[i], "workday"] += 1
        cached.loc[cases.index[2999], "networkdays"] -= 1

    _fake_recalculated(scenarios, cases, tmp_path / "bad.xlsx", tweak)
    disagreements, *_ = compare(scenarios, cases, tmp_path / "bad.xlsx", sheets, rows_per_sheet=1000)
    assert disagreements[["sheet", "cell", "case", "problem"]].values.tolist() == [
        [sheets[i // 1000], f"F{i % 1000 + 2}", i + 1, "values differ"],
        ["cases3", "G1001", 3000, "values differ"],
    ]
