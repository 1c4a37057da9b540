"""Exact percentages and half-up rounding (docs/decisions.md 18: 98.075 → 98.08, no float artefacts).

Percentages of counts are computed in integers, so ``percent(914, 915)`` is
exactly ``round_half_up(99.8907…, 2) = 99.89`` with no binary-float error.
Other values go through :class:`decimal.Decimal` of their shortest repr, which
is what a user typed or saw (``98.075`` → ``98.08``; Excel's ROUND agrees).
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import numpy as np

from .errors import ArgumentError

__all__ = ["decimal_of", "percent", "percent_array", "quantize_half_up", "round_half_up", "to_decimal"]


def to_decimal(value: Any) -> Decimal | None:
    """A number as the Decimal of its shortest repr (what a user typed or saw); None when missing."""
    if value is None:
        return None
    value = value.item() if isinstance(value, np.generic) else value
    if isinstance(value, float) and value != value:
        return None
    return value if isinstance(value, Decimal) else Decimal(str(value))


def decimal_of(value: Any) -> Decimal:
    """:func:`to_decimal` of a value that must be a number: an :class:`ArgumentError` when it is missing."""
    number = to_decimal(value)
    if number is None:
        raise ArgumentError(f"ต้องเป็นตัวเลข (expected a number), got {value!r}")
    return number


def quantize_half_up(value: Decimal, places: int) -> float:
    """A Decimal rounded half away from zero to ``places`` decimals, as a float."""
    return float(value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def round_half_up(value: float | int | Decimal | str, places: int = 2) -> float:
    """Round half away from zero to ``places`` decimals, as a float.

    >>> round_half_up(98.075)
    98.08
    >>> round_half_up(-0.125)
    -0.13
    """
    return quantize_half_up(Decimal(str(value)), places)


def percent(numerator: int, denominator: int, places: int = 2) -> float | None:
    """``numerator * 100 / denominator`` rounded half up, exactly; None when the denominator is 0.

    >>> percent(914, 915), percent(1301, 1335), percent(1637, 1669)
    (99.89, 97.45, 98.08)
    """
    if denominator == 0:
        return None
    scaled = Decimal(int(numerator) * 100) / Decimal(int(denominator))
    return float(scaled.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP))


def percent_array(numerator: Any, denominator: Any, places: int = 2) -> np.ndarray:
    """Vectorised :func:`percent` for non-negative integer counts (NaN where the denominator is 0)."""
    num = np.asarray(numerator, dtype=np.int64)
    den = np.asarray(denominator, dtype=np.int64)
    if (num < 0).any() or (den < 0).any():
        raise ValueError("percent_array takes non-negative counts")
    scale = 10 ** (places + 2)
    safe = np.where(den == 0, 1, den)
    # floor(num * scale / den + 1/2) == (2 * num * scale + den) // (2 * den), in integers
    units = (2 * num * scale + safe) // (2 * safe)
    return np.where(den == 0, np.nan, units / 10**places)
