"""One finding model for the report validator and the committee's audit.

A :class:`Finding` is one thing a check found, pointing at the sheet and cell a person should look
at, with a Thai and an English message. Its ``code`` is one of the codes of ``data/findings.toml``:
the validator's codes (:data:`VALIDATE_CODES`) and the audit's own (:data:`AUDIT_CODES`), each with
its labels and its category (``tampering`` or ``observation``, :data:`OBSERVATION_CODES`). The
validator fills ``report``; the audit fills what was ``reported`` and ``recomputed``, the
defined ``name`` or column and the ``complaint_id``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Literal

from cplkpi.scoring.catalogue import catalogue, labels

__all__ = [
    "AUDIT_CODES",
    "CODES",
    "FINDINGS_HEADERS",
    "OBSERVATION_CODES",
    "VALIDATE_CODES",
    "Category",
    "Finding",
    "Severity",
    "drawing_label",
    "findings_rows",
    "macro_labels",
]

Severity = Literal["error", "warning"]
Category = Literal["tampering", "observation"]

_PACKAGE = "cplkpi.macros"

#: The report validator's codes: ``{code: (th, en)}``.
VALIDATE_CODES: dict[str, tuple[str, str]] = labels(_PACKAGE, "findings", "validate")
#: The audit's own codes (beyond the validator's): ``{code: (th, en)}``.
AUDIT_CODES: dict[str, tuple[str, str]] = labels(_PACKAGE, "findings", "audit")
#: Every code, the validator's first: ``{code: (th, en)}`` (the committee workbook groups by these).
CODES: dict[str, tuple[str, str]] = {**VALIDATE_CODES, **AUDIT_CODES}
#: Codes that observe the quality of the complaint data rather than the report's honesty: they are
#: listed apart (summary, workbook, console) and never change the exit status.
OBSERVATION_CODES: frozenset[str] = frozenset(
    code for table in ("validate", "audit") for code, entry in catalogue(_PACKAGE, "findings")[table].items()
    if entry["category"] == "observation")


def macro_labels(table: str) -> dict[str, tuple[str, str]]:
    """``{key: (th, en)}`` of one table of ``data/labels.toml`` (``deductions``, ``drawings``)."""
    return labels(_PACKAGE, "labels", table)


def drawing_label(kind: str) -> str:
    """The Thai name of a kind of drawing (``chart``: แผนภูมิ); the kind itself when it has none."""
    return macro_labels("drawings").get(kind, (kind, kind))[0]


@dataclass(frozen=True)
class Finding:
    """One thing wrong with a report or a submission, located by sheet and cell.

    The first seven fields are the validator's (positional); the audit adds the value ``reported``
    and the one ``recomputed``, the defined ``name`` (or complaint column) and the ``complaint_id``.
    """

    code: str
    sheet: str | None
    cell: str | None
    message_th: str
    message_en: str
    severity: Severity = "error"
    #: which report (``CPL_R003``, ``CPL_R001``, a file name or a form)
    report: str | None = None
    reported: Any = None
    recomputed: Any = None
    name: str | None = None
    complaint_id: str | None = None

    @property
    def where(self) -> str:
        """``CPL_R003!E13`` (or the sheet, the cell, or the report label for a text form)."""
        if self.sheet and self.cell:
            return f"{self.sheet}!{self.cell}"
        return self.sheet or self.cell or self.report or ""

    @property
    def message(self) -> str:
        """Thai message with the English one in parentheses."""
        return f"{self.message_th} ({self.message_en})"

    @property
    def label_th(self) -> str:
        """Thai label of the code (the code itself when the catalogue lacks it)."""
        return CODES.get(self.code, (self.code, self.code))[0]

    @property
    def category(self) -> Category:
        """``tampering`` (the report is inconsistent or tampered with) or ``observation`` (data quality)."""
        return "observation" if self.code in OBSERVATION_CODES else "tampering"

    @property
    def is_error(self) -> bool:
        """An error-level tampering/consistency finding: the submission fails the audit (exit status 1)."""
        return self.severity == "error" and self.category == "tampering"

    def __str__(self) -> str:
        level = "ข้อผิดพลาด" if self.severity == "error" else "คำเตือน"
        return f"{level} [{self.code}] {self.where}: {self.message}"


#: Column headers of a findings sheet (the rows of :func:`findings_rows`).
FINDINGS_HEADERS = ["ระดับ (severity)", "รหัส (code)", "รายงาน (report)", "ชีต (sheet)", "เซลล์ (cell)", "ข้อความ",
                    "message"]


def findings_rows(findings: Iterable[Finding]) -> list[list[Any]]:
    """Rows for a findings sheet: ระดับ, รหัส, รายงาน, ชีต, เซลล์, ข้อความ, message."""
    return [["ข้อผิดพลาด (error)" if f.severity == "error" else "คำเตือน (warning)", f.code, f.report or "",
             f.sheet or "", f.cell or "", f.message_th, f.message_en] for f in findings]
