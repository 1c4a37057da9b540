"""The canonical input tables: their columns, header aliases, sheet names and value vocabulary.

Column names in code are English (DESIGN.md "Canonical tables"); a workbook may
use Thai or English headers, matched by the aliases below (case, spaces and
punctuation ignored), in any order, with title rows above the header. The words
accepted for yes/no, status and calendar-override cells live here too, so that
what a sheet may say is read in one place; :mod:`cplkpi.scoring.normalize`
reads sheets against it.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Literal, Self

import numpy as np
import pandas as pd

from .text import normalize_text

__all__ = [
    "ACKNOWLEDGED_STATUSES",
    "AUDIT_SAMPLE",
    "CALENDAR_OVERRIDES",
    "CLOSED_STATUSES",
    "COMPLAINTS",
    "FALSE_WORDS",
    "HOLIDAY_WORDS",
    "MONTHLY_REPORTS",
    "PROGRESS",
    "SHEETS",
    "STATUSES",
    "TRUE_WORDS",
    "WORKDAY_WORDS",
    "Column",
    "ExcelError",
    "Kind",
    "canonical_status",
    "has_text",
    "header_key",
    "yes_no",
]

Kind = Literal["id", "text", "date", "datetime", "bool", "int", "status", "month", "override"]


class ExcelError(str):
    """An Excel error value read from a cell (``#N/A``, ``#DIV/0!``…), with the formula that gave it.

    Readers put one in the rows where a cell holds an error, so that the
    problem can name the formula; a plain string equal to an error value is
    recognised too (CSV, xlwings).
    """

    formula: str | None

    def __new__(cls, code: str, formula: str | None = None) -> Self:
        obj = super().__new__(cls, code)
        obj.formula = formula
        return obj


@dataclass(frozen=True)
class Column:
    """One canonical column: its name in code, its type, Thai label and accepted header aliases."""

    name: str
    kind: Kind
    label_th: str
    aliases: tuple[str, ...] = ()
    required: bool = False


def _cols(*cols: Column) -> dict[str, Column]:
    return {c.name: c for c in cols}


_ID_ALIASES = ("เลขที่เรื่อง", "เลขที่", "เลขเรื่อง", "รหัสเรื่อง", "เลขที่เรื่องร้องเรียน", "เลขที่รับเรื่อง",
               "ticket_id", "ticket id", "complaint id", "complaint no", "id")

COMPLAINTS = _cols(
    Column("complaint_id", "id", "เลขที่เรื่อง", _ID_ALIASES, required=True),
    Column("agency", "text", "หน่วยงาน", ("หน่วยงาน", "หน่วยงานที่รับผิดชอบ", "สำนักงานเขต", "agency")),
    Column("unit", "text", "ฝ่าย", ("ฝ่าย", "หน่วยงานย่อย", "ฝ่ายที่รับผิดชอบ", "unit")),
    Column("channel", "text", "ช่องทาง", ("ช่องทาง", "ช่องทางการร้องเรียน", "ช่องทางรับเรื่อง", "channel")),
    Column("subject", "text", "เรื่อง", ("เรื่อง", "หัวเรื่อง", "ชื่อเรื่อง", "ประเภทเรื่อง", "subject", "title")),
    Column("detail", "text", "รายละเอียด", ("รายละเอียด", "รายละเอียดเรื่องร้องเรียน", "รายละเอียดเรื่อง",
                                              "detail", "description", "comment")),
    Column("received_at", "datetime", "วันที่รับแจ้ง", ("วันที่รับแจ้ง", "วันที่ร้องเรียน", "วันที่แจ้ง",
                                                         "วันเวลาที่แจ้ง", "received", "received at", "timestamp")),
    Column("forwarded_on", "date", "วันที่ศูนย์แจ้งเรื่อง",
           ("วันที่ศูนย์แจ้งเรื่อง", "วันที่ศูนย์ฯแจ้งเรื่อง", "วันที่ศูนย์รับแจ้งทุกข์แจ้งเรื่อง", "วันที่ส่งเรื่อง",
            "วันที่ได้รับแจ้ง", "วันที่ส่งต่อ", "forwarded", "forwarded on", "forwarded date"), required=True),
    Column("acknowledged_on", "date", "วันที่ตอบรับ", ("วันที่ตอบรับ", "วันที่ตอบรับเรื่อง", "วันที่รับเรื่อง",
                                                     "acknowledged", "acknowledged on")),
    Column("first_progress_on", "date", "วันที่รายงานความก้าวหน้า",
           ("วันที่รายงานความก้าวหน้า", "วันที่รายงานความก้าวหน้าครั้งที่1", "วันที่รายงานความก้าวหน้าครั้งแรก",
            "first progress", "first progress on", "progress")),
    Column("resolved_on", "date", "วันที่แล้วเสร็จ", ("วันที่แล้วเสร็จ", "วันที่ดำเนินการแล้วเสร็จ", "วันที่เสร็จสิ้น",
                                                      "วันที่ดำเนินการเสร็จสิ้น", "resolved", "resolved on",
                                                      "completed on")),
    Column("status", "status", "สถานะ", ("สถานะ", "สถานะเรื่อง", "สถานะการดำเนินการ", "status", "state")),
    Column("result_detail", "text", "ผลการดำเนินการ", ("ผลการดำเนินการ", "รายละเอียดผลการดำเนินการ",
                                                       "ผลการแก้ไข", "result", "result detail")),
    Column("has_evidence", "bool", "หลักฐาน", ("หลักฐาน", "มีหลักฐาน", "ภาพก่อนหลัง", "ภาพก่อนหลังหรือหลักฐาน",
                                               "รูปภาพก่อนหลังหรือหลักฐาน", "evidence", "has evidence")),
    Column("reopen_count", "int", "จำนวนครั้งที่เปิดใหม่", ("จำนวนครั้งที่เปิดใหม่", "เปิดใหม่ครั้งที่",
                                                               "count reopen", "reopen count", "reopens")),
    Column("reopened_on", "date", "วันที่ส่งเรื่องใหม่", ("วันที่ส่งเรื่องใหม่", "วันที่เปิดเรื่องใหม่",
                                                          "วันที่ศูนย์ส่งเรื่องใหม่", "reopened", "reopened on")),
)

PROGRESS = _cols(
    Column("complaint_id", "id", "เลขที่เรื่อง", _ID_ALIASES, required=True),
    Column("reported_on", "date", "วันที่รายงาน", ("วันที่รายงาน", "วันที่รายงานความก้าวหน้า", "วันที่",
                                                 "reported on", "reported", "date"), required=True),
    Column("text", "text", "ความก้าวหน้า", ("ความก้าวหน้า", "รายละเอียดความก้าวหน้า", "ข้อความ", "รายละเอียด",
                                           "text", "progress")),
)

MONTHLY_REPORTS = _cols(
    Column("agency", "text", "หน่วยงาน", ("หน่วยงาน", "agency")),
    Column("month", "month", "เดือน", ("เดือน", "ประจำเดือน", "month"), required=True),
    Column("sent_on", "date", "วันที่ส่งรายงาน", ("วันที่ส่งรายงาน", "วันที่ส่ง", "วันที่ส่งกองกลาง", "sent on", "sent")),
)

AUDIT_SAMPLE = _cols(
    Column("agency", "text", "หน่วยงาน", ("หน่วยงาน", "agency")),
    Column("month", "month", "เดือน", ("เดือน", "month"), required=True),
    Column("complaint_id", "id", "เลขที่เรื่อง", _ID_ALIASES, required=True),
    Column("correct", "bool", "ผลการตรวจ", ("ผลการตรวจ", "ถูกต้อง", "correct", "result")),
    Column("comment", "text", "หมายเหตุ", ("หมายเหตุ", "ความเห็น", "comment", "note")),
)

CALENDAR_OVERRIDES = _cols(
    Column("date", "date", "วันที่", ("วันที่", "date"), required=True),
    Column("kind", "override", "ประเภท", ("ประเภท", "ชนิด", "kind", "type"), required=True),
    Column("note", "text", "หมายเหตุ", ("หมายเหตุ", "ชื่อวันหยุด", "note", "name")),
)

#: Canonical status codes and their Thai labels (Traffy/MIS states).
STATUSES: dict[str, str] = {
    "waiting": "รอรับเรื่อง",
    "acknowledged": "รับเรื่อง",
    "in_progress": "กำลังดำเนินการ",
    "forwarded": "ส่งต่อ(ใหม่)",
    "follow_up": "ติดตามเรื่อง",
    "completed": "เสร็จสิ้น",
    "irrelevant": "ไม่เกี่ยวข้อง",
    "studying": "ศึกษาปัญหา",
    "legal": "ขั้นตอนทางกฎหมาย",
}
#: Status codes of a closed complaint: finished, or closed by the agency as not its matter. Such a
#: complaint is never work to do, whether or not the source gave its closing date.
CLOSED_STATUSES: tuple[str, ...] = ("completed", "irrelevant")
#: Status codes of an open complaint the agency has taken on: the source's state proves it was
#: acknowledged even when no acknowledgement date is given (รับเรื่อง, กำลังดำเนินการ — จัดซื้อจัดจ้าง,
#: ของบประมาณ —, ติดตามเรื่อง, ศึกษาปัญหา, ขั้นตอนทางกฎหมาย). ส่งต่อ(ใหม่) is not among them: Traffy
#: writes it for a ticket newly handed to the agency, still to be acknowledged (docs/decisions.md).
ACKNOWLEDGED_STATUSES: tuple[str, ...] = ("acknowledged", "in_progress", "follow_up", "studying", "legal")
_STATUS_ALIASES: dict[str, str] = {
    "ดำเนินการเสร็จสิ้น": "completed", "เสร็จสิ้นแล้ว": "completed", "แล้วเสร็จ": "completed",
    "ดำเนินการแล้วเสร็จ": "completed", "เสร็จ": "completed", "done": "completed", "finish": "completed",
    "closed": "completed", "resolved": "completed",
    "อยู่ระหว่างดำเนินการ": "in_progress", "ระหว่างดำเนินการ": "in_progress", "inprogress": "in_progress",
    "ส่งต่อ": "forwarded", "ส่งต่อใหม่": "forwarded", "รอรับ": "waiting", "pending": "waiting",
    "ตอบรับ": "acknowledged", "รับเรื่องแล้ว": "acknowledged", "ติดตาม": "follow_up",
}

#: The sheets of a complaint workbook: canonical key → (Thai name, accepted names).
SHEETS: dict[str, tuple[str, tuple[str, ...]]] = {
    "complaints": ("เรื่องร้องเรียน", ("เรื่องร้องเรียน", "เรื่องร้องทุกข์", "complaints", "data")),
    "progress": ("รายงานความก้าวหน้า", ("รายงานความก้าวหน้า", "ความก้าวหน้า", "progress")),
    "monthly_reports": ("รายงานประจำเดือน", ("รายงานประจำเดือน", "การรายงานผล", "monthly reports", "monthly_reports")),
    "audit_sample": ("สุ่มตรวจ", ("สุ่มตรวจ", "ตัวอย่างสุ่มตรวจ", "audit sample", "audit_sample")),
    "calendar": ("ปฏิทิน", ("ปฏิทิน", "วันหยุด", "วันหยุดเพิ่มเติม", "calendar", "holidays")),
}


def header_key(text: Any) -> str:
    """Header matching key: :func:`~cplkpi.scoring.text.normalize_text` (no invisible characters, Thai
    look-alikes unified), NFKC, lower case, no spaces, punctuation or 'ฯ'."""
    return re.sub(r"[\s_\-–.:/()\[\]*#'\"ฯ]+", "",
                  unicodedata.normalize("NFKC", normalize_text(text))).lower()


TRUE_WORDS = frozenset(header_key(x) for x in ("มี", "ใช่", "ถูกต้อง", "ถูก", "ทำ", "yes", "y", "true", "1", "✓", "✔", "x",
                                            "ok", "correct", "มีหลักฐาน", "ผ่าน"))
FALSE_WORDS = frozenset(header_key(x) for x in ("ไม่มี", "ไม่ใช่", "ไม่", "ไม่ทำ", "ไม่ถูกต้อง", "ผิด", "no", "n", "false", "0",
                                             "-", "–", "incorrect", "ไม่ผ่าน", "ไม่มีหลักฐาน"))
HOLIDAY_WORDS = frozenset(header_key(x) for x in ("วันหยุด", "หยุด", "วันหยุดเพิ่ม", "holiday", "off"))
WORKDAY_WORDS = frozenset(header_key(x) for x in ("วันทำงาน", "ทำงาน", "วันทำงานเพิ่ม", "ยกเลิกวันหยุด",
                                              "workday", "working day", "work"))
#: status text key → canonical code: the codes, their Thai labels, then the aliases
_STATUS_LOOKUP: dict[str, str] = {
    **{header_key(a): code for a, code in _STATUS_ALIASES.items()},
    **{header_key(label): code for code, label in STATUSES.items()},
    **{header_key(code): code for code in STATUSES},
}
_NO_TEXT = frozenset(header_key(x) for x in ("", "-", "–", "ไม่มี", "n/a", "na", "none", "null"))


def yes_no(value: Any) -> bool | None:
    """True/False for a yes/no answer (มี, ใช่, ถูกต้อง, ✓, yes, 1 … / ไม่มี, ไม่ใช่, -, no, 0 …),
    None when empty; raises ValueError for anything else."""
    if value is None or (isinstance(value, float) and np.isnan(value)) or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, bool | np.bool_):
        return bool(value)
    k = header_key(value)
    if k in TRUE_WORDS:
        return True
    if k in FALSE_WORDS:
        return False
    raise ValueError(f"ต้องเป็น ใช่/ไม่ใช่ (must be yes or no): {value!r}")


def has_text(values: pd.Series) -> pd.Series:
    """True where a text column holds a real answer (not empty, "-" or "ไม่มี")."""
    keys = values.fillna("").astype(str).map(header_key)
    return ~keys.isin(_NO_TEXT)


def canonical_status(value: Any) -> str | None:
    """Canonical status code of a Thai/English status text, or None when unknown."""
    return _STATUS_LOOKUP.get(header_key(value))

