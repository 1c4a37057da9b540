"""cplkpi: the complaint-KPI workbench of the Bangkok Metropolitan Administration.

The whole public surface is here, one import away::

    import cplkpi
    book = cplkpi.read_workbook("examples/sample_district_2563.xlsx")
    result = cplkpi.score(book, fiscal_year=2563)       # a workbook, a normalised table or a DataFrame with Thai headers
    cplkpi.fill_monthly_reports(book, "2563-09", out_dir="out")

with :func:`audit_workbook` and :func:`import_files` beside them. Every error cplkpi raises on purpose is
a :class:`CplError`. The engine lives in :mod:`cplkpi.scoring` (folder ``scoring/``), Excel cell
functions in :mod:`cplkpi.udfs` (``udfs/``), report jobs in :mod:`cplkpi.macros` (``macros/``).

The names load on first use (PEP 562): ``import cplkpi`` stays as light as the command line needs
(``cplkpi --help`` answers, and Ctrl-C while it loads ends cleanly, before pandas is imported).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

#: Each public name and the module that defines it (one implementation each; this module only points).
_WHERE: dict[str, str] = {
    # the jobs
    "read_workbook": "cplkpi.reader",
    "score": "cplkpi._api",
    "fill_monthly_reports": "cplkpi.macros.reports",
    "fill_fiscal_year": "cplkpi.macros.reports",
    "audit_workbook": "cplkpi.macros.audit",
    "import_files": "cplkpi.importers.job",
    # what they return
    "ComplaintWorkbook": "cplkpi.reader",
    "Normalized": "cplkpi.scoring.tables",
    "Problem": "cplkpi.scoring.errors",
    "ScoreResult": "cplkpi.scoring.scores",
    "ReportResult": "cplkpi.macros.reports",
    "AuditResult": "cplkpi.macros.audit",
    "ImportResult": "cplkpi.importers.job",
    # rule sets, calendar, Thai dates
    "DEFAULT_RULES": "cplkpi.scoring.rules",
    "RuleSet": "cplkpi.scoring.rules",
    "available_rules": "cplkpi.scoring.rules",
    "load_rules": "cplkpi.scoring.rules",
    "Calendar": "cplkpi.scoring.calendar",
    "thai_calendar": "cplkpi.scoring.calendar",
    "fiscal_year": "cplkpi.scoring.thaidate",
    "format_thai_date": "cplkpi.scoring.thaidate",
    "parse_date": "cplkpi.scoring.thaidate",
    # the error family
    "CplError": "cplkpi.scoring.errors",
    "AgencyChoiceError": "cplkpi.reader",
    "ArgumentError": "cplkpi.scoring.errors",
    "CalendarRangeError": "cplkpi.scoring.errors",
    "DateParseError": "cplkpi.scoring.thaidate",
    "InputError": "cplkpi.scoring.errors",
    "OfficeError": "cplkpi.office",
    "OutputError": "cplkpi.outputs",
    "RuleSetError": "cplkpi.scoring.rules",
    "StatesFileError": "cplkpi.importers.states",
}

__all__ = [
    "DEFAULT_RULES",
    "AgencyChoiceError",
    "ArgumentError",
    "AuditResult",
    "Calendar",
    "CalendarRangeError",
    "ComplaintWorkbook",
    "CplError",
    "DateParseError",
    "ImportResult",
    "InputError",
    "Normalized",
    "OfficeError",
    "OutputError",
    "Problem",
    "ReportResult",
    "RuleSet",
    "RuleSetError",
    "ScoreResult",
    "StatesFileError",
    "__version__",
    "audit_workbook",
    "available_rules",
    "fill_fiscal_year",
    "fill_monthly_reports",
    "fiscal_year",
    "format_thai_date",
    "import_files",
    "load_rules",
    "parse_date",
    "read_workbook",
    "score",
    "thai_calendar",
]

if TYPE_CHECKING:
    from cplkpi._api import score
    from cplkpi.importers.job import ImportResult, import_files
    from cplkpi.importers.states import StatesFileError
    from cplkpi.macros.audit import AuditResult, audit_workbook
    from cplkpi.macros.reports import ReportResult, fill_fiscal_year, fill_monthly_reports
    from cplkpi.office import OfficeError
    from cplkpi.outputs import OutputError
    from cplkpi.reader import AgencyChoiceError, ComplaintWorkbook, read_workbook
    from cplkpi.scoring.calendar import Calendar, thai_calendar
    from cplkpi.scoring.errors import ArgumentError, CalendarRangeError, CplError, InputError, Problem
    from cplkpi.scoring.rules import DEFAULT_RULES, RuleSet, RuleSetError, available_rules, load_rules
    from cplkpi.scoring.scores import ScoreResult
    from cplkpi.scoring.tables import Normalized
    from cplkpi.scoring.thaidate import DateParseError, fiscal_year, format_thai_date, parse_date


def __getattr__(name: str) -> Any:
    """Load a public name from its module on first use, then keep it here."""
    module = _WHERE.get(name)
    if module is None:
        raise AttributeError(f"module 'cplkpi' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})
