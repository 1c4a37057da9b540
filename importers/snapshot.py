"""What one imported file gives: its complaints, its dated state events, what it rejected.

Every reader (:mod:`.traffy`, :mod:`.mis`) returns a :class:`Snapshot`; :mod:`.merge`
combines several into one table keyed by complaint id.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd

from cplkpi.scoring.catalogue import bilingual, labels
from cplkpi.scoring.errors import Problem
from cplkpi.scoring.tables import COMPLAINTS

if TYPE_CHECKING:
    from pandas._libs.tslibs.nattype import NaTType

__all__ = [
    "EVENT_COLUMNS",
    "EXTRA_COLUMNS",
    "FORMAT_LABELS",
    "REJECTION_REASONS",
    "Rejection",
    "Snapshot",
    "empty_events",
    "finish_complaints",
]

#: Columns the importers add after the canonical ones: name → (kind, Thai header).
EXTRA_COLUMNS: dict[str, tuple[str, str]] = {
    "district": ("text", "เขตที่รับผิดชอบ"),
    "other_agencies": ("text", "หน่วยงานร่วม"),
    "organization": ("text", "หน่วยงานตามต้นทาง"),
    "source_state": ("text", "สถานะตามต้นทาง"),
    "location_district": ("text", "เขตที่เกิดเหตุ"),
    "subdistrict": ("text", "แขวงที่เกิดเหตุ"),
    "address": ("text", "ที่อยู่ที่เกิดเหตุ"),
    "lon": ("float", "ลองจิจูด"),
    "lat": ("float", "ละติจูด"),
    "photo_url": ("text", "ภาพก่อนดำเนินการ"),
    "photo_after_url": ("text", "ภาพหลังดำเนินการ"),
    "star": ("int", "คะแนนความพึงพอใจ"),
    "last_activity_at": ("datetime", "เวลาเคลื่อนไหวล่าสุด"),
    "source_format": ("text", "รูปแบบไฟล์ต้นทาง"),
    "source_file": ("text", "ไฟล์ต้นทาง"),
    "source_row": ("int", "แถวในไฟล์ต้นทาง"),
}

#: The state-history table: name → (kind, Thai header).
EVENT_COLUMNS: dict[str, tuple[str, str]] = {
    "complaint_id": ("text", "เลขที่เรื่อง"),
    "state": ("text", "สถานะตามต้นทาง"),
    "status": ("text", "สถานะ"),
    "at": ("datetime", "เวลาที่เปลี่ยนสถานะ"),
    "not_before": ("datetime", "เปลี่ยนหลังเวลา"),
    "not_after": ("datetime", "เปลี่ยนไม่เกินเวลา"),
    "basis": ("text", "ที่มาของข้อมูล"),
    "source_file": ("text", "ไฟล์ต้นทาง"),
    "source_row": ("int", "แถวในไฟล์ต้นทาง"),
}

#: Input formats: code → Thai (English) label (``data/labels.toml``).
FORMAT_LABELS: dict[str, str] = bilingual("cplkpi.importers", "labels", "formats")

#: Every reason a row can be rejected: code → (Thai, English) (``data/labels.toml``).
REJECTION_REASONS: dict[str, tuple[str, str]] = labels("cplkpi.importers", "labels", "rejections")


@dataclass(frozen=True)
class Rejection:
    """One source row that was not imported, and why."""

    file: str
    row: int | None
    line: int | None
    code: str
    detail: str = ""

    @property
    def message_th(self) -> str:
        return REJECTION_REASONS[self.code][0] + (f": {self.detail}" if self.detail else "")

    @property
    def message_en(self) -> str:
        return REJECTION_REASONS[self.code][1] + (f": {self.detail}" if self.detail else "")


@dataclass
class Snapshot:
    """One file, read: complaints (canonical + :data:`EXTRA_COLUMNS`, index = source row) and more."""

    path: Path
    format: str
    complaints: pd.DataFrame
    events: pd.DataFrame
    rows_read: int
    rejections: list[Rejection] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    #: canonical columns this file's format has no source for
    not_in_source: frozenset[str] = frozenset()
    #: rows superseded by a later row of the same ticket in the same file
    duplicates: int = 0
    #: how the file is named in the table (``source_file``), rejections, problems and the summary;
    #: the file name unless another input has the same one (:func:`.job.source_names`)
    name: str = ""

    def __post_init__(self) -> None:
        self.name = self.name or self.path.name

    @property
    def snapshot_at(self) -> pd.Timestamp | NaTType:
        """When the data was current: the latest activity (or report) time in the file."""
        t = self.complaints
        times = t["last_activity_at"].dropna()
        if times.empty:
            times = t["received_at"].dropna()
        return times.max() if not times.empty else pd.NaT  # NaT: a file without a time


def empty_events() -> pd.DataFrame:
    """An event table with no rows and the right dtypes."""
    return finish_events(pd.DataFrame(index=pd.RangeIndex(0)))


def _typed(kind: str, values: object, index: pd.Index) -> pd.Series:
    if kind == "date":
        return pd.Series(values, index=index).astype("datetime64[s]")
    if kind == "datetime":
        return pd.Series(values, index=index).astype("datetime64[ns]")
    if kind == "bool":
        return pd.Series(values, index=index).astype("boolean")
    if kind == "int":
        return pd.Series(values, index=index).astype("Int64")
    if kind == "float":
        return pd.Series(values, index=index).astype("float64")
    return pd.Series(values, index=index).astype("string")


def _missing(kind: str, n: int) -> object:
    if kind in ("date", "datetime"):
        return np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]")
    if kind == "float":
        return np.full(n, np.nan)
    return pd.array([pd.NA] * n, dtype="object")


def finish_complaints(columns: dict[str, object], index: pd.Index) -> pd.DataFrame:
    """A complaint frame with every canonical and extra column, in order, with canonical dtypes.

    ``columns`` maps column names to values (Series aligned on ``index``,
    arrays or scalars); absent columns are empty.
    """
    kinds = {c.name: c.kind for c in COMPLAINTS.values()} | {k: v[0] for k, v in EXTRA_COLUMNS.items()}
    out = {}
    for name, kind in kinds.items():
        kind = "text" if kind in ("id", "status") else kind
        values = columns.get(name)
        if values is None:
            values = _missing(kind, len(index))
        elif np.isscalar(values):
            values = [values] * len(index)
        out[name] = _typed(kind, values, index)
    return pd.DataFrame(out, index=index)


def finish_events(frame: pd.DataFrame) -> pd.DataFrame:
    """An event frame with every :data:`EVENT_COLUMNS` column, in order, typed."""
    index = pd.RangeIndex(len(frame))
    frame = frame.reset_index(drop=True)
    out = {}
    for name, (kind, _) in EVENT_COLUMNS.items():
        values = frame[name] if name in frame else _missing(kind, len(index))
        out[name] = _typed(kind, values, index)
    return pd.DataFrame(out, index=index)
