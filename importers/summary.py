"""The import summary: what was read, imported, rejected, left empty, and per district.

Every figure here is recomputed from the imported table and the snapshots;
:meth:`ImportSummary.tables` gives them as labelled tables for the
``สรุปการนำเข้า`` sheet and the command line.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import pandas as pd

from cplkpi.scoring.catalogue import bilingual, labels
from cplkpi.scoring.errors import Problem
from cplkpi.scoring.tables import CLOSED_STATUSES, COMPLAINTS, STATUSES

from .snapshot import FORMAT_LABELS, Rejection, Snapshot

if TYPE_CHECKING:
    from pandas._libs.tslibs.nattype import NaTType

__all__ = ["EMPTY_REASONS", "LABELS", "NO_DISTRICT", "FileSummary", "ImportSummary", "needed_mask",
           "summarize"]

#: Why a value is empty: code → (Thai, English) (``data/labels.toml``).
EMPTY_REASONS: dict[str, tuple[str, str]] = labels("cplkpi.importers", "labels", "empty_reasons")

#: Row label for complaints whose responsible agency is not a district office.
NO_DISTRICT = "(ไม่ใช่สำนักงานเขต)"

_ACKNOWLEDGED = ("acknowledged", "in_progress", "follow_up", "completed", "studying", "legal")
_PROGRESSED = ("in_progress", "follow_up", "completed", "studying", "legal")


def needed_mask(table: pd.DataFrame, column: str) -> pd.Series:
    """Rows where ``column`` should hold a value given the complaint's status (docs/import.md)."""
    status = table["status"]
    if column == "acknowledged_on":
        return status.isin(_ACKNOWLEDGED).fillna(False)
    if column == "first_progress_on":
        return status.isin(_PROGRESSED).fillna(False)
    if column in ("resolved_on", "result_detail", "has_evidence"):
        return (status == "completed").fillna(False)
    if column == "reopened_on":
        return (table["reopen_count"] > 0).fillna(False)
    return pd.Series(True, index=table.index)


@dataclass(frozen=True)
class FileSummary:
    """Counts for one input file."""

    file: str
    format: str
    rows_read: int
    imported: int
    rejected: int
    duplicates: int
    #: NaT for a file without any time
    snapshot_at: pd.Timestamp | NaTType


@dataclass
class ImportSummary:
    """Everything the import did, for people to check."""

    files: list[FileSummary]
    complaints: int
    superseded: int
    filtered_out: int
    district_filter: tuple[str, ...]
    rejections: list[Rejection]
    unknown_states: pd.DataFrame
    districts: pd.DataFrame
    empty_values: pd.DataFrame
    problems: list[Problem] = field(default_factory=list)
    #: closed Traffy tickets per file whose closing date is the date of ``last_activity`` (no export
    #: holds a completion date), and how many of those only repeat the report time
    closing_dates: pd.DataFrame = field(default_factory=lambda: _closing_dates(pd.DataFrame()))

    @property
    def rows_read(self) -> int:
        return sum(f.rows_read for f in self.files)

    @property
    def rejected(self) -> int:
        return len(self.rejections)

    def tables(self) -> dict[str, tuple[str, pd.DataFrame]]:
        """The summary as tables: key → (Thai title with English, frame with Thai (English) headers)."""
        files = pd.DataFrame({
            "file": [f.file for f in self.files],
            "format": [FORMAT_LABELS.get(f.format, f.format) for f in self.files],
            "rows_read": [f.rows_read for f in self.files],
            "imported": [f.imported for f in self.files],
            "rejected": [f.rejected for f in self.files],
            "duplicates": [f.duplicates for f in self.files],
            "snapshot_at": [f.snapshot_at for f in self.files],
        })
        totals = pd.DataFrame({
            "item": [
                "แถวที่อ่านทั้งหมด (rows read)", "แถวที่ปฏิเสธ (rows rejected)",
                "แถวที่ถูกแทนด้วยไฟล์ที่ใหม่กว่า (rows superseded by a later file)",
                "เรื่องที่ตัดออกเพราะอยู่นอกเขตที่เลือก (left out by the district filter)",
                "เรื่องร้องเรียนในตาราง (complaints in the table)",
            ],
            "count": [self.rows_read, self.rejected, self.superseded, self.filtered_out, self.complaints],
        })
        rejected = pd.DataFrame({
            "file": [r.file for r in self.rejections],
            "row": pd.array([r.row for r in self.rejections], dtype="Int64"),
            "line": pd.array([r.line for r in self.rejections], dtype="Int64"),
            "reason": [f"{r.message_th} ({r.message_en})" for r in self.rejections],
        })
        problems = pd.DataFrame({
            "level": ["ข้อผิดพลาด (error)" if p.severity == "error" else "คำเตือน (warning)"
                      for p in self.problems],
            "where": [p.where for p in self.problems],
            "message": [p.message for p in self.problems],
        })
        parts = {
            "totals": ("สรุปรวม (totals)", totals),
            "files": ("ไฟล์ที่นำเข้า (files)", files),
            "rejections": ("แถวที่ไม่ได้นำเข้า (rejected rows)", rejected),
            "unknown_states": ("สถานะที่ไม่รู้จัก เก็บไว้ตามเดิม (unknown states, kept as is)", self.unknown_states),
            "closing_dates": ("วันที่ปิดเรื่องนำมาจากเวลาเคลื่อนไหวล่าสุด (last_activity) เพราะไฟล์ไม่มีวันที่แล้วเสร็จ "
                              "(closing dates taken from last_activity: the export holds no completion date)",
                              self.closing_dates),
            "districts": ("จำนวนเรื่องแยกตามเขตที่รับผิดชอบ (complaints per responsible district)", self.districts),
            "empty_values": ("ค่าที่เว้นว่างไว้ ไม่เดา (values left empty, never guessed)",
                             self.empty_values.drop(columns=["column_name", "reason_code"])),
            "problems": ("ปัญหาในข้อมูลต้นทาง (problems in the source data)", problems),
        }
        return {k: (title, frame.rename(columns=LABELS)) for k, (title, frame) in parts.items()}


#: Thai (English) headers of the summary tables (``data/labels.toml``).
LABELS: dict[str, str] = bilingual("cplkpi.importers", "labels", "summary_headers")


def summarize(snapshots: Sequence[Snapshot], table: pd.DataFrame, *, superseded: int, filtered_out: int,
              district_filter: Sequence[str] = ()) -> ImportSummary:
    """Build the :class:`ImportSummary` of an import from its snapshots and the final table."""
    files = [FileSummary(s.name, s.format, s.rows_read, len(s.complaints), len(s.rejections),
                         s.duplicates, s.snapshot_at) for s in snapshots]
    rejections = [r for s in snapshots for r in s.rejections]
    # an unknown state is reported once, in the unknown-states table, and only for the complaints kept
    problems = [p for s in snapshots for p in s.problems if p.code != "unknown_status"]
    return ImportSummary(files, len(table), superseded, filtered_out, tuple(district_filter), rejections,
                         _unknown_states(table), _districts(table), _empty_values(snapshots, table), problems,
                         _closing_dates(table))


def _closing_dates(table: pd.DataFrame) -> pd.DataFrame:
    columns = ["file", "closed", "closed_at_report_time"]
    if table.empty or "last_activity_at" not in table:
        return pd.DataFrame({c: pd.Series(dtype=object if c == "file" else "int64") for c in columns})
    closed = table[table["status"].isin(CLOSED_STATUSES).fillna(False) & table["resolved_on"].notna()
                   & table["last_activity_at"].notna()]
    g = closed.assign(same=(closed["last_activity_at"] <= closed["received_at"]).fillna(False)).groupby(
        "source_file", sort=False).agg(closed=("same", "size"), closed_at_report_time=("same", "sum"))
    return pd.DataFrame({"file": g.index.astype(str), "closed": g["closed"].to_numpy(dtype="int64"),
                         "closed_at_report_time": g["closed_at_report_time"].to_numpy(dtype="int64")})


def _unknown_states(table: pd.DataFrame) -> pd.DataFrame:
    unknown = table[table["status"].notna() & ~table["status"].isin(list(STATUSES))]
    where = unknown["source_file"].astype(str) + "!" + unknown["source_row"].astype(str)
    grouped = unknown.assign(_where=where).groupby("status", sort=True).agg(
        complaints=("complaint_id", "size"), files=("source_file", lambda f: ", ".join(sorted(set(f)))),
        first=("_where", "first"))
    return pd.DataFrame({"state": grouped.index.astype(str), "complaints": grouped["complaints"].to_numpy(),
                         "files": grouped["files"].to_numpy(), "first": grouped["first"].to_numpy()})


def _districts(table: pd.DataFrame) -> pd.DataFrame:
    district = table["district"].fillna(NO_DISTRICT)
    completed = (table["status"] == "completed").fillna(False)
    closed = table["status"].isin(CLOSED_STATUSES).fillna(False)
    frame = pd.DataFrame({
        "district": district,
        # a closed ticket (เสร็จสิ้น, ไม่เกี่ยวข้อง) is not pending, with or without a closing date
        "pending": table["resolved_on"].isna() & ~closed,
        "completed": completed,
        "waiting": (table["status"] == "waiting").fillna(False),
    })
    g = frame.groupby("district", sort=False).agg(
        complaints=("pending", "size"), pending=("pending", "sum"), completed=("completed", "sum"),
        waiting=("waiting", "sum"))
    g = g.reset_index()
    g["_other"] = g["district"] == NO_DISTRICT
    g = g.sort_values(["_other", "complaints", "district"], ascending=[True, False, True], kind="stable")
    return g[["district", "complaints", "pending", "waiting", "completed"]].reset_index(drop=True)


def _empty_values(snapshots: Sequence[Snapshot], table: pd.DataFrame) -> pd.DataFrame:
    not_in = {s.name: s.not_in_source for s in snapshots}
    formats = {s.name: s.format for s in snapshots}
    rows = []
    for file, part in table.groupby("source_file", sort=False):
        for name, col in COMPLAINTS.items():
            empty = int((part[name].isna() & needed_mask(part, name)).sum())
            if not empty:
                continue
            reason = "not_in_source" if name in not_in.get(str(file), ()) else "empty_in_source"
            rows.append((file, formats.get(str(file), ""), f"{col.label_th} ({name})", empty,
                         f"{EMPTY_REASONS[reason][0]} ({EMPTY_REASONS[reason][1]})", name, reason))
    return pd.DataFrame(rows, columns=["file", "format", "column", "empty", "reason", "column_name",
                                       "reason_code"])
