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

from . import checks, schema
from .checks import *  # noqa: F403  (a re-export: checks.__all__)
from .normalize import MAX_COUNT, Normalized, normalize
from .schema import *  # noqa: F403  (a re-export: schema.__all__)

#: every public name of the schema and of the per-table normalisation, and the generic normalisation
__all__ = [*schema.__all__, "MAX_COUNT", "Normalized", "normalize", *checks.__all__]
