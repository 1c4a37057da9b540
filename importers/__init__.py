"""Importers: Traffy Fondue exports and MIS/1555 spreadsheets into the canonical complaint table.

Usage::

    from cplkpi.importers import import_files

    result = import_files(["bangkok_traffy.csv"], districts=["เขตสาทร"])
    result.complaints            # canonical columns (scoring.tables.COMPLAINTS) + extras
    result.events                # dated state changes
    result.summary.tables()      # rows read / imported / rejected, unknown states, per district
    result.write("sathon.xlsx")  # a workbook cplkpi.reader.read_workbook reads

The formats, header aliases, state mapping and every derivation rule are in docs/import.md.
"""

from . import states
from .agencies import BANGKOK_DISTRICTS, Responsible, district_name, district_office, split_organization
from .csvsource import detect_format
from .job import IMPORT_SUFFIXES, ImportResult, district_filter, import_files, read_file, source_names
from .merge import STATIC_COLUMNS, merge_snapshots
from .mis import MIS_ALIASES, MIS_EXTRA, read_mis
from .snapshot import EVENT_COLUMNS, EXTRA_COLUMNS, FORMAT_LABELS, REJECTION_REASONS, Rejection, Snapshot
from .states import StatesFileError, map_states, staff_states, state_code
from .summary import FileSummary, ImportSummary
from .traffy import read_traffy
from .traffy_values import bangkok_timestamps, parse_thai_duration
from .writer import write_import_workbook

__all__ = [
    "BANGKOK_DISTRICTS",
    "EVENT_COLUMNS",
    "EXTRA_COLUMNS",
    "EXTRA_STATES",
    "FORMAT_LABELS",
    "IMPORT_SUFFIXES",
    "MIS_ALIASES",
    "MIS_EXTRA",
    "REJECTION_REASONS",
    "STATIC_COLUMNS",
    "FileSummary",
    "ImportResult",
    "ImportSummary",
    "Rejection",
    "Responsible",
    "Snapshot",
    "StatesFileError",
    "bangkok_timestamps",
    "detect_format",
    "district_filter",
    "district_name",
    "district_office",
    "import_files",
    "map_states",
    "merge_snapshots",
    "parse_thai_duration",
    "read_file",
    "read_mis",
    "read_traffy",
    "source_names",
    "split_organization",
    "staff_states",
    "state_code",
    "write_import_workbook",
]


def __getattr__(name: str) -> dict[str, str]:
    """``EXTRA_STATES`` (:mod:`.states`), read from its data file on first use, never at import time."""
    if name == "EXTRA_STATES":
        return states.EXTRA_STATES
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
