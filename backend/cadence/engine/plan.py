"""The cadence plan as data: rules per tier and touch type, and dated plan versions.

A plan change is a new ``PlanVersion`` with an ``effective_from`` date. It applies to every as-of
date on or after that date and never to earlier ones, so answers about the past never change.
For a period that straddles the change, the rule in force on the as-of date (for a closed period:
on its last day) governs the whole period; touches logged before the change still count, because
touches are facts and only the requirement changed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType

from backend.cadence.engine.periods import PERIOD_KINDS
from sync.constants import TOUCH_TYPES

DEFAULT_VISIT_MINUTES: Mapping[str, int] = MappingProxyType({"A": 45, "B": 30, "C": 20})


@dataclass(frozen=True)
class CadenceRule:
    """Tier ``tier`` needs ``count`` touches of ``touch_type`` every ``period``."""

    tier: str
    touch_type: str
    count: int
    period: str

    def __post_init__(self) -> None:
        if self.touch_type not in TOUCH_TYPES:
            raise ValueError(f"touch_type must be one of {TOUCH_TYPES}, not {self.touch_type!r}")
        if self.period not in PERIOD_KINDS:
            raise ValueError(f"period must be one of {PERIOD_KINDS}, not {self.period!r}")
        if isinstance(self.count, bool) or not isinstance(self.count, int) or self.count < 0:
            raise ValueError(f"count must be a non-negative integer, not {self.count!r}")
        if not self.tier:
            raise ValueError("tier must not be empty")


@dataclass(frozen=True)
class PlanVersion:
    """The whole plan as it stands from ``effective_from`` until the next version."""

    effective_from: date
    rules: tuple[CadenceRule, ...]
    visit_minutes: Mapping[str, int] = field(default_factory=lambda: dict(DEFAULT_VISIT_MINUTES))

    def __post_init__(self) -> None:
        seen: set[tuple[str, str]] = set()
        for rule in self.rules:
            key = (rule.tier, rule.touch_type)
            # Two rules for one tier and type (say 2 visits a month and 1 a week) would make
            # "required" ambiguous; the plan editor must pick one.
            if key in seen:
                raise ValueError(f"more than one rule for tier {rule.tier} and {rule.touch_type}")
            seen.add(key)

    def rule_for(self, tier: str, touch_type: str) -> CadenceRule | None:
        """The rule for one tier and touch type, or None if the plan asks nothing of it."""
        for rule in self.rules:
            if rule.tier == tier and rule.touch_type == touch_type:
                return rule
        return None


def plan_at(versions: Iterable[PlanVersion], day: date) -> PlanVersion | None:
    """The plan version in force on ``day``: the latest one effective on or before it."""
    in_force = [v for v in versions if v.effective_from <= day]
    if not in_force:
        return None
    return max(in_force, key=lambda v: v.effective_from)


def rules_at(versions: Iterable[PlanVersion], day: date) -> tuple[CadenceRule, ...]:
    """The cadence rules in force on ``day`` (empty before the first plan version)."""
    plan = plan_at(versions, day)
    return plan.rules if plan else ()


def visit_minutes_at(
    versions: Iterable[PlanVersion], day: date, tier: str, default: int = 30
) -> int:
    """Planned visit duration in minutes for ``tier`` on ``day``."""
    plan = plan_at(versions, day)
    if plan is None:
        return default
    return plan.visit_minutes.get(tier, default)


def rules_from_counts(
    counts: Mapping[str, Mapping[str, tuple[int, str]]],
) -> tuple[CadenceRule, ...]:
    """Build rules from ``{"A": {"visit": (2, "month"), ...}, ...}`` (the plan's wire shape)."""
    return tuple(
        CadenceRule(tier, touch_type, count, period)
        for tier, by_type in counts.items()
        for touch_type, (count, period) in by_type.items()
    )


# The example plan from DESIGN.md, a sensible starting point for a new installation.
DEFAULT_RULES: tuple[CadenceRule, ...] = rules_from_counts(
    {
        "A": {"visit": (2, "month"), "call": (2, "month"), "email": (4, "month")},
        "B": {"visit": (1, "month"), "call": (1, "month"), "email": (2, "month")},
        "C": {"visit": (1, "quarter"), "call": (1, "month"), "email": (1, "month")},
    }
)
