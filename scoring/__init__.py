"""The cplkpi scoring engine: pure, vectorised, no Excel.

Imported as ``cplkpi.scoring``. Calendar, deadlines, step scores, penalties,
rule sets (data files), fiscal years, Thai dates and input normalisation::

    from cplkpi.scoring import score, thai_calendar, parse_date
    result = score(complaints, progress, monthly_reports, fiscal_year=2563, rules="bma-2557")
    result.total, result.components, result.explain()
"""

from .calendar import Calendar, is_workday, networkdays, thai_calendar, workday
from .deadlines import ack_due, next_followup, progress_due, status_as_of
from .errors import ArgumentError, CalendarRangeError, CplError, InputError, Problem
from .evaluate import evaluate_complaints
from .monitor import monitor
from .percent import percent, round_half_up
from .rules import DEFAULT_RULES, RuleSet, RuleSetError, available_rules, load_rules
from .scores import ScoreResult, period_summary, score, step_score
from .thaidate import (
    fiscal_year,
    fiscal_year_range,
    format_thai_date,
    parse_date,
    parse_dates,
    parse_month,
)

__all__ = [
    "DEFAULT_RULES",
    "ArgumentError",
    "Calendar",
    "CalendarRangeError",
    "CplError",
    "InputError",
    "Problem",
    "RuleSet",
    "RuleSetError",
    "ScoreResult",
    "ack_due",
    "available_rules",
    "evaluate_complaints",
    "fiscal_year",
    "fiscal_year_range",
    "format_thai_date",
    "is_workday",
    "load_rules",
    "monitor",
    "networkdays",
    "next_followup",
    "parse_date",
    "parse_dates",
    "parse_month",
    "percent",
    "period_summary",
    "progress_due",
    "round_half_up",
    "score",
    "status_as_of",
    "step_score",
    "thai_calendar",
    "workday",
]
