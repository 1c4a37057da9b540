"""What to do today: the fiscal-year points at stake in each open complaint's next action.

The daily list (:func:`~cplkpi.scoring.monitor.monitor`) says what is late; staff also want to know
what protects the score most. For each listed complaint, its next action (the phase it waits for:
acknowledgement, first progress report, or the next 15th/30th follow-up report) is taken as done
today and the complaint kept on track afterwards (its first progress report by today when still
missing, a follow-up report on every 15th/30th checkpoint up to the period end). A step's criteria
go together (step 1 of BMA-2557: acknowledged *and* first progress on time), so an action alone,
with the complaint then left, would show no points at all. The fiscal-year score is projected to the
period end:

* ``projected_nothing``: :func:`~cplkpi.scoring.scores.score` as of the period end on the data as it
  stands (nothing more done: every pending deadline then missed);
* ``projected_all``: the same with every listed complaint's action done today and kept on track;
* per complaint, ``points``: how much the projected total rises when only that complaint is.
  Criteria are judged per complaint, so the engine evaluates both tables once and each
  complaint moves each component's count of correct complaints by −1, 0 or +1; the rule set's step
  formula (:func:`~cplkpi.scoring.scores.step_score` through the score's components) turns those
  counts into points, step by step, after the step's deductions, with no loop over complaints.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from .calendar import Calendar, thai_calendar
from .catalogue import bilingual, catalogue
from .coverage import Coverage
from .days import to_date
from .deadlines import followup_checkpoints
from .monitor import monitor
from .percent import decimal_of, percent, quantize_half_up
from .rules import DEFAULT_RULES, RuleSet, load_rules
from .scores import ScoreResult, component_score, score
from .thaidate import fiscal_year_range, format_thai_date

__all__ = ["ACTIONS_TH", "EXPLANATION_TH", "Stakes", "points_at_stake"]

#: What doing a phase's action today means, Thai (English) (``scoring/data/labels.toml``).
ACTIONS_TH: dict[str, str] = bilingual(__package__ or "cplkpi.scoring", "labels", "action")


@dataclass
class Stakes:
    """Points at stake per listed complaint and the two projected fiscal-year totals."""

    #: the monitor's rows (same index) with ``action_th`` and ``points`` (the rise of the projected total)
    table: pd.DataFrame
    projected_nothing: float
    projected_all: float
    #: the projection date (the period end) and the day the actions are taken as done
    projected_to: Any
    today: Any
    baseline: ScoreResult

    def notes_th(self) -> list[str]:
        """What a work list carries under its table (the Excel sheet, ``overdue --out``): the data's
        coverage when imported, the projected totals, how the points at stake are computed."""
        coverage = self.baseline.coverage
        return [*([coverage.text()] if coverage is not None else []), self.summary_th(), *EXPLANATION_TH]

    def summary_th(self) -> str:
        """The projected totals as a person reads them, Thai with English beside."""
        r = self.baseline.rules
        places = r.score_decimals
        return (f"คะแนนปีงบประมาณที่คาดการณ์ ณ {format_thai_date(self.projected_to)}: ถ้าไม่ดำเนินการใดเพิ่ม "
                f"{self.projected_nothing:.{places}f} / ถ้าทุกเรื่องในรายการดำเนินการขั้นถัดไปวันนี้และขั้นต่อไปตามกำหนด "
                f"{self.projected_all:.{places}f} จาก {r.total_points:g} คะแนน (projected fiscal-year score on "
                f"{self.projected_to:%Y-%m-%d}: {self.projected_nothing:.{places}f} if nothing more is done, "
                f"{self.projected_all:.{places}f} if every listed complaint's next action is done today and "
                f"its later deadlines are met)")


#: How the points at stake are computed, for the sheet and the docs (Thai, then English; ``scoring/data/labels.toml``).
_EXPLANATION = catalogue(__package__ or "cplkpi.scoring", "labels")["explanation"]["points_at_stake"]
EXPLANATION_TH: tuple[str, ...] = (*_EXPLANATION["th"], *_EXPLANATION["en"])


def _done_today(complaints: pd.DataFrame, progress: pd.DataFrame | None, listed: pd.DataFrame, today: Any,
                until: Any, rules: RuleSet, calendar: Calendar) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The tables with each listed complaint's next action dated ``today`` and the complaint kept on
    track to ``until``: acknowledged and first progress by today, a report on every later checkpoint."""
    day = pd.Timestamp(today)
    c = complaints.copy()
    for phases, col in ((("ack",), "acknowledged_on"), (("ack", "progress"), "first_progress_on")):
        rows = listed.index[listed["phase"].isin(phases)]
        if col not in c:
            c[col] = pd.Series(pd.NaT, index=c.index, dtype="datetime64[ns]")
        c.loc[rows, col] = c.loc[rows, col].where(c.loc[rows, col].notna(), day)
    later = followup_checkpoints(day + pd.Timedelta(days=1), until, rules=rules, calendar=calendar)
    dates = np.concatenate([[day.to_datetime64().astype("datetime64[D]")], later.astype("datetime64[D]")])
    ids = listed["complaint_id"].to_numpy()
    added = pd.DataFrame({"complaint_id": np.repeat(ids, len(dates)),
                          "reported_on": pd.to_datetime(np.tile(dates, len(ids)))})
    if progress is None or progress.empty:
        p = added
    else:
        added = added.astype({"reported_on": progress["reported_on"].dtype})
        p = pd.concat([progress, added], ignore_index=True)
    return c, p


def points_at_stake(
    complaints: pd.DataFrame,
    progress: pd.DataFrame | None = None,
    monthly_reports: pd.DataFrame | None = None,
    audit_sample: pd.DataFrame | None = None,
    *,
    today: Any,
    fiscal_year: int | None = None,
    start: Any = None,
    end: Any = None,
    rules: RuleSet | str = DEFAULT_RULES,
    calendar: Calendar | None = None,
    coverage: Coverage | None = None,
    statuses: tuple[str, ...] = ("overdue", "due_soon"),
) -> Stakes:
    """Points at stake in the next action of each complaint the monitor lists with ``statuses`` as of
    ``today``, most points first (then the monitor's order), and the projected fiscal-year totals.

    ``fiscal_year`` (or ``start``/``end``) is the period scored, as in :func:`score`.
    """
    rules = load_rules(rules)
    cal = calendar or thai_calendar()
    today = to_date(today)
    listed = monitor(complaints, progress, as_of=today, rules=rules, calendar=cal)
    listed = listed[listed["status"].isin(list(statuses))]
    kw = {"rules": rules, "fiscal_year": fiscal_year, "start": start, "end": end, "calendar": cal, "coverage": coverage}
    base = score(complaints, progress, monthly_reports, audit_sample, **kw,
                 as_of=end or _period_end(fiscal_year))
    c2, p2 = _done_today(complaints, progress, listed, today, base.end, rules, cal)
    done = score(c2, p2, monthly_reports, audit_sample, **kw, as_of=base.as_of)

    # per complaint: the change of each component's count of correct complaints (−1, 0, +1)
    in_period = listed.index.intersection(base.complaints.index)
    rows = pd.Index(listed.index)
    before = pd.DataFrame(0.0, index=rows, columns=list(base.steps["step"]))
    comps = base.components.set_index("key")
    for comp in rules.components:
        if comp.monthly or comp.key not in comps.index:
            continue
        flag = f"{comp.key}_correct"
        delta = pd.Series(0, index=rows, dtype=int)
        delta.loc[in_period] = (done.complaints.loc[in_period, flag].astype(int)
                                - base.complaints.loc[in_period, flag].astype(int))
        k, n = (int(x) for x in comps.loc[comp.key, ["correct", "total"]].to_numpy())
        points = {d: _points(comp, k + d, n, rules) for d in (-1, 0, 1)}
        gain = delta.map({d: points[d] - points[0] for d in (-1, 0, 1)})
        before[comp.step] += gain.to_numpy(dtype=float)
    steps = base.steps.set_index("step")
    total = np.zeros(len(rows))
    for step in steps.index:
        after = np.maximum(steps.at[step, "score_before"] + before[step].to_numpy()
                           - steps.at[step, "deductions"], 0)
        total += np.round(after, rules.score_decimals)
    gains = np.round(total - float(base.total), rules.score_decimals)
    table = listed.assign(action_th=listed["phase"].map(ACTIONS_TH), points=gains + 0.0)
    order = np.lexsort((np.arange(len(table)), -table["points"].to_numpy()))
    return Stakes(table.iloc[order], float(base.total), float(done.total), base.as_of, today, base)


def _period_end(fiscal_year: int | None) -> Any:
    return fiscal_year_range(fiscal_year)[1] if fiscal_year is not None else None


def _points(comp: Any, correct: int, total: int, rules: RuleSet) -> float:
    """A component's points with ``correct`` of ``total`` complaints correct (full points when none)."""
    if total <= 0 or correct < 0 or correct > total:
        return float(comp.points) if total <= 0 else float("nan")
    sc = component_score(comp, percent(correct, total, rules.pct_decimals), rules)
    return float(quantize_half_up(decimal_of(sc), rules.score_decimals))
