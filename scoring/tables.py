"""The canonical input tables and their normalisation from what staff type: one import for the three
rooms that hold them.

- :mod:`cplkpi.scoring.schema`: the canonical columns, header aliases, sheet names and the words a
  cell may say (yes/no, statuses, calendar overrides);
- :mod:`cplkpi.scoring.normalize`: a sheet read against a table into typed columns, every unreadable
  value one :class:`~cplkpi.scoring.errors.Problem` naming its cell;
- :mod:`cplkpi.scoring.checks`: each table's normalisation with the checks that need the whole table.

Most of the package reads the tables through this module (``from cplkpi.scoring.tables import
SHEETS``), so it stays their public name; nothing is defined here.
"""

from __future__ import annotations

from .checks import (
    normalize_audit_sample,
    normalize_calendar_overrides,
    normalize_complaints,
    normalize_monthly_reports,
    normalize_progress,
)
from .normalize import MAX_COUNT, Normalized, normalize
from .schema import (
    ACKNOWLEDGED_STATUSES,
    AUDIT_SAMPLE,
    CALENDAR_OVERRIDES,
    CLOSED_STATUSES,
    COMPLAINTS,
    MONTHLY_REPORTS,
    PROGRESS,
    SHEETS,
    STATUSES,
    Column,
    ExcelError,
    canonical_status,
    has_text,
    header_key,
    yes_no,
)

__all__ = [
    "ACKNOWLEDGED_STATUSES",
    "AUDIT_SAMPLE",
    "CALENDAR_OVERRIDES",
    "CLOSED_STATUSES",
    "COMPLAINTS",
    "MAX_COUNT",
    "MONTHLY_REPORTS",
    "PROGRESS",
    "SHEETS",
    "STATUSES",
    "Column",
    "ExcelError",
    "Normalized",
    "canonical_status",
    "has_text",
    "header_key",
    "normalize",
    "normalize_audit_sample",
    "normalize_calendar_overrides",
    "normalize_complaints",
    "normalize_monthly_reports",
    "normalize_progress",
    "yes_no",
]
