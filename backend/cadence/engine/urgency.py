"""Urgency of a due touch: one number to sort a rep's due list and to value stops on a route.

    urgency = 10 * w_tier * w_kare * w_type * 2 ** (lateness_days / doubling_days)

``lateness_days`` is the as-of date minus the due date: positive when overdue, negative while
there is still time. The exponential term is 1 on the due date, doubles for every week overdue
and halves for every week still to go, so it is strictly increasing in lateness and never
negative; the weights are plain multipliers, so a higher tier or a more valuable KARE category
always scores higher at equal lateness. All weights are data (``UrgencyWeights``); tiers and
categories without a weight count as 1.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


def _frozen(mapping: Mapping[str, float]) -> Mapping[str, float]:
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class UrgencyWeights:
    """Multipliers for tier, KARE category and touch type, and the doubling time in days."""

    tier: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"A": 3.0, "B": 2.0, "C": 1.0})
    )
    # Keep (key customers to protect) outranks Expand (customers to grow), Recapture (lapsed
    # customers) and Attain (prospects): losing an existing customer costs the most.
    kare: Mapping[str, float] = field(
        default_factory=lambda: _frozen(
            {"keep": 1.3, "expand": 1.2, "recapture": 1.1, "attain": 1.0}
        )
    )
    # A missed visit hurts more than a missed call, which hurts more than a missed email.
    touch_type: Mapping[str, float] = field(
        default_factory=lambda: _frozen({"visit": 1.0, "call": 0.6, "email": 0.3})
    )
    doubling_days: float = 7.0

    def __post_init__(self) -> None:
        for name in ("tier", "kare", "touch_type"):
            if any(w <= 0 for w in getattr(self, name).values()):
                raise ValueError(f"{name} weights must be positive")
        if self.doubling_days <= 0:
            raise ValueError("doubling_days must be positive")


DEFAULT_WEIGHTS = UrgencyWeights()


def urgency_score(
    tier: str,
    touch_type: str,
    lateness_days: int,
    kare: str | None = None,
    weights: UrgencyWeights = DEFAULT_WEIGHTS,
) -> float:
    """Urgency of a touch ``lateness_days`` past its due date (negative: days still left)."""
    multiplier = (
        weights.tier.get(tier, 1.0)
        * weights.kare.get(kare or "", 1.0)
        * weights.touch_type.get(touch_type, 1.0)
    )
    return 10.0 * multiplier * 2.0 ** (lateness_days / weights.doubling_days)
