"""Automatic tiering: an account's tier from its revenue, with the thresholds as data."""

from __future__ import annotations

import math
from collections.abc import Sequence
from decimal import Decimal

# (tier, minimum revenue), any order: A from 100k, B from 25k, everything below is C.
DEFAULT_TIER_THRESHOLDS: tuple[tuple[str, float], ...] = (("A", 100_000), ("B", 25_000), ("C", 0))


def tier_for_revenue(
    revenue: float | Decimal | None,
    thresholds: Sequence[tuple[str, float | Decimal]] = DEFAULT_TIER_THRESHOLDS,
) -> str | None:
    """The highest tier whose minimum ``revenue`` reaches; None when revenue is unknown."""
    if not thresholds:
        raise ValueError("thresholds must name at least one tier")
    if revenue is None:
        # Unknown is not zero: a missing figure in a CRM export must not demote a key account,
        # so the caller keeps whatever tier the account already has.
        return None
    if (
        isinstance(revenue, float)
        and math.isnan(revenue)
        or (isinstance(revenue, Decimal) and revenue.is_nan())
    ):
        raise ValueError("revenue must be a number")
    ordered = sorted(thresholds, key=lambda t: t[1], reverse=True)
    for tier, minimum in ordered:
        if revenue >= minimum:
            return tier
    # Below every minimum (negative revenue, say): the lowest tier, never "no tier".
    return ordered[-1][0]
