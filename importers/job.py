"""The import job: files in, one canonical complaint table (+ events and a summary) out."""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from cplkpi.scoring.coverage import Coverage
from cplkpi.scoring.errors import ArgumentError, Problem
from cplkpi.scoring.thaidate import format_thai_date

from .agencies import district_name
from .csvsource import SPREADSHEET_SUFFIXES, detect_format
from .merge import merge_snapshots
from .mis import read_mis
from .snapshot import Snapshot
from .states import staff_states
from .summary import ImportSummary, summarize
from .traffy import read_traffy
from .writer import write_import_workbook

__all__ = [
    "IMPORT_SUFFIXES",
    "STALE_SNAPSHOT_DAYS",
    "ImportResult",
    "district_filter",
    "import_files",
    "read_file",
    "source_names",
    "stale_snapshot_problems",
]

#: Snapshots further apart than this many days are "far apart": tickets only the older one holds are
#: reported, since their state may have changed long ago without the newer file saying so.
STALE_SNAPSHOT_DAYS = 30
#: How many ticket ids a stale-snapshot warning names (the count is always given).
_STALE_IDS_SHOWN = 10

#: The file suffixes an import reads: CSV (Traffy Fondue, MIS/1555) and spreadsheets (MIS/1555).
IMPORT_SUFFIXES = (".csv", *SPREADSHEET_SUFFIXES)


@dataclass
class ImportResult:
    """The imported complaints (canonical columns first), their state events and the summary."""

    complaints: pd.DataFrame
    events: pd.DataFrame
    summary: ImportSummary
    snapshots: list[Snapshot]

    @property
    def inputs(self) -> list[Path]:
        return [s.path for s in self.snapshots]

    @property
    def coverage(self) -> Coverage | None:
        """Snapshot time (the latest file's) and the days the imported complaints cover; None when empty."""
        times = [s.snapshot_at for s in self.snapshots if pd.notna(s.snapshot_at)]
        return Coverage.of(self.complaints["received_at"], max(times)) if times else None

    def write(self, path: str | Path, *, on_rows: Callable[[int], None] | None = None) -> Path:
        """Write the complaint workbook (see :func:`cplkpi.importers.writer.write_import_workbook`)."""
        return write_import_workbook(self, path, on_rows=on_rows)


def read_file(path: str | Path, *, name: str | None = None) -> Snapshot:
    """Read one file in whichever supported format its header shows (``name``: see :class:`Snapshot`)."""
    fmt = detect_format(path)
    return read_mis(path, name=name) if fmt == "mis" else read_traffy(path, fmt, name=name)


def source_names(paths: Sequence[str | Path]) -> list[str]:
    """How each input is named in the import: its file name, or, when another input has the same
    name, its path from the folder the inputs share (``a/traffy.csv``, ``b/traffy.csv``)."""
    resolved = [Path(p).resolve() for p in paths]
    counts = Counter(p.name for p in resolved)
    if all(n == 1 for n in counts.values()):
        return [p.name for p in resolved]
    try:
        common = Path(os.path.commonpath([p.parent for p in resolved]))
    except ValueError:  # on different drives (Windows): the whole path
        return [p.as_posix() if counts[p.name] > 1 else p.name for p in resolved]
    return [p.relative_to(common).as_posix() if counts[p.name] > 1 else p.name for p in resolved]


def district_filter(names: Iterable[str]) -> tuple[str, ...]:
    """District names from what a user types (``เขตสาทร``, ``สาทร``, ``สำนักงานเขตสาทร``).

    Raises ArgumentError (a ValueError) naming every value that is not a Bangkok district.
    """
    out: list[str] = []
    bad: list[str] = []
    for n in names:
        d = district_name(n)
        (out if d else bad).append(d or n)
    if bad:
        raise ArgumentError(f"ไม่ใช่ชื่อเขตของกรุงเทพมหานคร (not a Bangkok district): {', '.join(bad)}")
    return tuple(dict.fromkeys(out))


def import_files(
    paths: Sequence[str | Path],
    *,
    districts: Iterable[str] = (),
    on_file: Callable[[Snapshot], None] | None = None,
    states: str | Path | None = None,
) -> ImportResult:
    """Import Traffy Fondue CSVs and MIS/1555 exports into one complaint table.

    Files are recognised by their headers; several files of the same tickets
    are merged (the latest snapshot wins, :mod:`.merge`). With ``districts``
    only complaints for which those district offices are responsible are kept.
    ``on_file`` is called after each file is read (for progress bars). ``states``: the staff's own
    states file (the form of ``importers/data/traffy_states.csv``), added to the shipped one.
    """
    wanted = district_filter(districts)
    snapshots = []
    with staff_states(states):
        for p, name in zip(paths, source_names(paths)):
            snap = read_file(p, name=name)
            snapshots.append(snap)
            if on_file is not None:
                on_file(snap)
        complaints, events, superseded = merge_snapshots(snapshots)
    filtered_out = 0
    if wanted:
        keep = complaints["district"].isin(list(wanted)).fillna(False).to_numpy(dtype=bool)
        filtered_out = int((~keep).sum())
        complaints = complaints[keep].reset_index(drop=True)
        events = events[events["complaint_id"].isin(complaints["complaint_id"])].reset_index(drop=True)
    summary = summarize(snapshots, complaints, superseded=superseded, filtered_out=filtered_out,
                        district_filter=wanted)
    summary.problems += stale_snapshot_problems(snapshots, complaints)
    return ImportResult(complaints, events, summary, snapshots)


def stale_snapshot_problems(snapshots: Sequence[Snapshot], complaints: pd.DataFrame,
                            days: int = STALE_SNAPSHOT_DAYS) -> list[Problem]:
    """One warning per file whose snapshot is more than ``days`` older than the latest file's, naming
    the imported tickets that come only from it (the latest file wins every ticket it holds)."""
    times = {s.name: s.snapshot_at for s in snapshots if pd.notna(s.snapshot_at)}
    if len(times) < 2 or complaints.empty:
        return []
    latest_name = max(times, key=lambda n: times[n])
    latest = times[latest_name]
    out = []
    for name, at in times.items():
        gap = (latest.normalize() - at.normalize()).days
        if gap <= days:
            continue
        ids = complaints.loc[complaints["source_file"] == name, "complaint_id"].astype(str).tolist()
        if not ids:
            continue
        shown = ", ".join(ids[:_STALE_IDS_SHOWN]) + (f" …(+{len(ids) - _STALE_IDS_SHOWN:,})"
                                                     if len(ids) > _STALE_IDS_SHOWN else "")
        out.append(Problem(
            "stale_snapshot",
            f"{len(ids):,} เรื่องมีเฉพาะในไฟล์นี้ (ข้อมูล ณ {format_thai_date(at)}) ซึ่งเก่ากว่าไฟล์ล่าสุด {latest_name} "
            f"(ข้อมูล ณ {format_thai_date(latest)}) {gap:,} วัน สถานะอาจล้าสมัย: {shown}",
            f"{len(ids):,} tickets come only from this file (snapshot {at:%Y-%m-%d}), {gap:,} days older than the "
            f"latest file {latest_name} ({latest:%Y-%m-%d}); their state may be stale: {shown}",
            sheet=name, severity="warning"))
    return out
