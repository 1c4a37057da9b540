"""The top-level jobs of :mod:`cplkpi` that are more than a re-export: they only dispatch.

:func:`score` takes what a Python user holds (a workbook read with :func:`cplkpi.read_workbook`, a
normalised table, or a pandas DataFrame with the sheet's Thai headers or the canonical names) and
hands it, normalised by the one normaliser (:mod:`cplkpi.scoring.tables`), to the one scorer
(:meth:`cplkpi.reader.ComplaintWorkbook.score`). Nothing here computes a figure.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeAlias

import pandas as pd

from cplkpi.reader import ComplaintWorkbook
from cplkpi.scoring.errors import ArgumentError, InputError
from cplkpi.scoring.rules import DEFAULT_RULES, RuleSet
from cplkpi.scoring.scores import ScoreResult
from cplkpi.scoring.tables import (
    Normalized,
    normalize_audit_sample,
    normalize_calendar_overrides,
    normalize_complaints,
    normalize_monthly_reports,
    normalize_progress,
)

__all__ = ["Table", "score"]

#: A table :func:`score` accepts: normalised already, or a DataFrame with Thai headers or canonical names.
Table: TypeAlias = Normalized | pd.DataFrame

#: Problems that leave a table without the columns it needs: it cannot be scored at all.
_UNUSABLE = frozenset({"no_header", "missing_column"})


def _normalized(table: Any, normalize: Callable[[pd.DataFrame], Normalized], what: str) -> Normalized:
    """``table`` as a :class:`Normalized`; a DataFrame is normalised like the sheet it stands for."""
    if isinstance(table, Normalized):
        return table
    if not isinstance(table, pd.DataFrame):
        raise ArgumentError(f"{what} ต้องเป็นตาราง (must be a ComplaintWorkbook, a Normalized table or a "
                            f"pandas DataFrame), got {type(table).__name__}")
    norm = normalize(table)
    unusable = [p for p in norm.errors if p.code in _UNUSABLE]
    if unusable:
        raise InputError(unusable)
    return norm


def score(
    data: ComplaintWorkbook | Table,
    *,
    fiscal_year: int | None = None,
    rules: RuleSet | str = DEFAULT_RULES,
    as_of: Any = None,
    start: Any = None,
    end: Any = None,
    progress: Table | None = None,
    monthly_reports: Table | None = None,
    audit_sample: Table | None = None,
    calendar_overrides: Table | None = None,
) -> ScoreResult:
    """Score complaints for a fiscal year (B.E.; default: the latest one they were forwarded in).

    ``data`` is a :class:`~cplkpi.reader.ComplaintWorkbook` (its progress, monthly-report, audit-sample
    and calendar sheets and its coverage are used, exactly as ``cplkpi score`` does), or the complaint
    table alone: a :class:`~cplkpi.scoring.tables.Normalized` or a DataFrame whose headers are the
    sheet's (``เลขที่เรื่อง``, ``วันที่ศูนย์แจ้งเรื่อง`` …) or the canonical names (``complaint_id``,
    ``forwarded_on`` …). With a table, the other sheets may be given the same way (``progress``,
    ``monthly_reports``, ``audit_sample``, ``calendar_overrides``); without ``monthly_reports`` every due
    monthly summary counts as missing.

    Raises :class:`~cplkpi.scoring.errors.InputError` naming the missing columns when a DataFrame lacks a
    required one (problems in single rows are kept, as a workbook keeps them), and
    :class:`~cplkpi.scoring.errors.ArgumentError` for anything else than a table, or other tables given
    beside a workbook (it carries its own).
    """
    others = {"progress": progress, "monthly_reports": monthly_reports, "audit_sample": audit_sample,
              "calendar_overrides": calendar_overrides}
    if isinstance(data, ComplaintWorkbook):
        given = [name for name, table in others.items() if table is not None]
        if given:
            raise ArgumentError(f"สมุดงานมีตารางอื่นอยู่แล้ว (a workbook carries its own tables): "
                                f"do not give {', '.join(given)} with it")
        book = data
    else:
        book = ComplaintWorkbook(
            complaints=_normalized(data, normalize_complaints, "data"),
            progress=_optional(progress, normalize_progress, "progress"),
            monthly_reports=_optional(monthly_reports, normalize_monthly_reports, "monthly_reports"),
            audit_sample=_optional(audit_sample, normalize_audit_sample, "audit_sample"),
            calendar_overrides=_optional(calendar_overrides, normalize_calendar_overrides, "calendar_overrides"),
        )
    return book.score(fiscal_year=fiscal_year, rules=rules, as_of=as_of, start=start, end=end)


def _optional(table: Table | None, normalize: Callable[[pd.DataFrame], Normalized], what: str) -> Normalized | None:
    return None if table is None else _normalized(table, normalize, what)
