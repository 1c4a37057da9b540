"""Cross-check the business-day engine against a real spreadsheet (headless LibreOffice Calc).

``python -m cplkpi.crosscheck --cases 20000 --seed 8`` writes random cases
into an .xlsx as native ``WORKDAY.INTL`` / ``NETWORKDAYS.INTL`` formulas
(weekend code 1 = Saturday/Sunday) over the same holiday list the engine uses
(:attr:`Calendar.holiday_dates` of ``thai_calendar(extra_holidays,
extra_workdays)``), with every cached formula value *poisoned* (the text
``POISON``), lets LibreOffice recalculate it (:func:`cplkpi.office.recalculate`:
fresh profile, recalculation on load forced), and compares every formula cell,
as an Excel serial number, with :mod:`cplkpi.scoring`.

The cases are drawn to hit the corners: starts across 2000–2027 on ordinary
days, weekends, holidays, the days around holidays and the workbook
overrides, the edge of the covered calendar; ``n`` from −40 to +40 with extra
weight on 0, ±1 and ±3 (the deadlines) and some fractional values (Excel
truncates them toward zero); NETWORKDAYS ends before, on and after the start.
Cases are spread over override scenarios: extra holidays (on working days,
next to holidays, on weekends and on existing holidays) and extra working
days. Extra working days are only drawn on weekday holidays, because Excel's
WORKDAY.INTL cannot express a Saturday or Sunday made a working day.

A WORKDAY case whose result would leave the covered calendar (1997-01-01 …
2027-12-31) is excluded from the comparison explicitly: the engine must refuse
it with :class:`~cplkpi.scoring.errors.CalendarRangeError` and LibreOffice's
result must indeed lie outside the range; both are checked and counted.
"""

from __future__ import annotations

from cplkpi.crosscheck.cases import Scenario, expected_values, make_cases, make_scenarios
from cplkpi.crosscheck.compare import CrossCheckResult, compare, read_formula_values
from cplkpi.crosscheck.formula_book import POISON, write_workbook
from cplkpi.crosscheck.tool import main, run

__all__ = [
    "POISON",
    "CrossCheckResult",
    "Scenario",
    "compare",
    "expected_values",
    "main",
    "make_cases",
    "make_scenarios",
    "read_formula_values",
    "run",
    "write_workbook",
]
