"""Errors and input problems.

Every problem a user can act on names where it is: sheet, row and column, as
Excel shows them (``เรื่องร้องเรียน!D14``). Messages are Thai first with English
in parentheses, because staff read Thai and developers read the logs.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "ArgumentError",
    "CalendarRangeError",
    "CplError",
    "InputError",
    "Problem",
    "column_letter",
]

Severity = Literal["error", "warning"]


class CplError(Exception):
    """Base class of every error cplkpi raises on purpose."""


class CalendarRangeError(CplError, ValueError):
    """A date (or a deadline computed from it) lies outside the calendar's covered years."""


class ArgumentError(CplError, ValueError):
    """A value given to a function cannot be used: a fiscal year not in B.E., no period to score, a
    date style the function does not know, a day that is both an extra holiday and an extra working day.

    Still a :class:`ValueError`, as these errors were before they joined :class:`CplError`.
    """


def column_letter(index: int) -> str:
    """Excel column letter of a 1-based column index (1 → A, 28 → AB)."""
    if index < 1:
        raise ValueError(f"column index must be >= 1, got {index}")
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


@dataclass(frozen=True)
class Problem:
    """One problem found in the input, located as precisely as the input allows.

    ``row`` is the Excel row number (the header is row 1 unless the sheet says
    otherwise); ``column`` is the header as the user wrote it and ``letter`` its
    Excel column letter, e.g. ``"D"``.
    """

    code: str
    message_th: str
    message_en: str
    sheet: str | None = None
    row: int | None = None
    column: str | None = None
    letter: str | None = None
    severity: Severity = "error"

    @property
    def ref(self) -> str | None:
        """The cell (``D14``), its column (``D``) or row (``14``) alone; None when neither is known."""
        return f"{self.letter or ''}{self.row or ''}" or None

    @property
    def where(self) -> str:
        """The location as a user reads it, e.g. ``เรื่องร้องเรียน!D14 (วันที่ตอบรับ)``."""
        parts = []
        if self.sheet:
            parts.append(self.sheet)
        if self.ref:
            parts.append(self.ref)
        where = "!".join(parts)
        if self.column:
            where = f"{where} ({self.column})" if where else f"({self.column})"
        return where

    @property
    def message(self) -> str:
        """``ข้อความภาษาไทย (English text)``."""
        return f"{self.message_th} ({self.message_en})"

    def __str__(self) -> str:
        prefix = "ข้อผิดพลาด" if self.severity == "error" else "คำเตือน"
        where = f"{self.where}: " if self.where else ""
        return f"{prefix} {where}{self.message}"


class InputError(CplError, ValueError):
    """The input cannot be used as it is. Carries one :class:`Problem` per problem found."""

    def __init__(self, problems: Iterable[Problem]):
        self.problems: list[Problem] = list(problems)
        n = len(self.problems)
        head = f"พบปัญหาในข้อมูล {n} รายการ (found {n} problem{'s' if n != 1 else ''} in the input)"
        lines = [str(p) for p in self.problems[:20]]
        if n > 20:
            lines.append(f"... และอีก {n - 20} รายการ (and {n - 20} more)")
        super().__init__("\n".join([head, *lines]))
