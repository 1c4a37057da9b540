"""main.py of an xlwings Lite workbook for cplkpi: paste this into the main.py tab of xlwings Lite.

The cell functions ``CPL_*`` (``=CPL_ACK_DUE(H2:H500)`` …) and the task-pane scripts (the report
buttons ``cpl_*``) are registered from what this module imports. Settings are read from the control
sheet ``cplkpi`` exactly as in classic Excel; see docs/excel.md, section 4.
"""

from cplkpi.macros.buttons import (  # noqa: F401  the task-pane scripts
    cpl_audit,
    cpl_import,
    cpl_monthly_reports,
    cpl_overdue,
    cpl_score,
    cpl_validate,
)
from cplkpi.udfs import *  # noqa: F403  the cell functions CPL_* (every name in cplkpi.udfs.__all__)
