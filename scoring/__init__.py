"""The cplkpi scoring engine: pure, vectorised, no Excel.

Imported as ``cplkpi.scoring``. Calendar, deadlines, step scores, penalties,
rule sets (data files), fiscal years, Thai dates and input normalisation.
"""

from .calendar import Calendar, is_workday, networkdays, thai_calendar, workday
from .errors import CalendarRangeError, CplError, InputError, Problem
from .thaidate import (
    fiscal_year,
    fiscal_year_range,
    format_thai_date,
    parse_date,
    parse_dates,
)

__all__ = [
    "Calendar",
    "CalendarRangeError",
    "CplError",
    "InputError",
    "Problem",
    "fiscal_year",
    "fiscal_year_range",
    "format_thai_date",
    "is_workday",
    "networkdays",
    "parse_date",
    "parse_dates",
    "thai_calendar",
    "workday",
]
