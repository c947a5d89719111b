"""Storage of the cadence plan: versions by effective date; the default plan."""

from __future__ import annotations

from datetime import date
from functools import cache

from sqlalchemy import Date, Select, bindparam, select

from backend.cadence.models import CadencePlanVersion
from backend.core.extensions import db

DEFAULT_TIERS = [
    {"tier": "A", "visit_minutes": 45, "weight": 3.0},
    {"tier": "B", "visit_minutes": 30, "weight": 2.0},
    {"tier": "C", "visit_minutes": 20, "weight": 1.0},
]
DEFAULT_RULES = [
    {"tier": "A", "touch_type": "visit", "count": 2, "period": "month"},
    {"tier": "A", "touch_type": "call", "count": 2, "period": "month"},
    {"tier": "A", "touch_type": "email", "count": 4, "period": "month"},
    {"tier": "B", "touch_type": "visit", "count": 1, "period": "month"},
    {"tier": "B", "touch_type": "call", "count": 2, "period": "month"},
    {"tier": "B", "touch_type": "email", "count": 2, "period": "month"},
    {"tier": "C", "touch_type": "visit", "count": 1, "period": "quarter"},
    {"tier": "C", "touch_type": "call", "count": 1, "period": "month"},
    {"tier": "C", "touch_type": "email", "count": 1, "period": "month"},
]
DEFAULT_EFFECTIVE_FROM = date(2000, 1, 1)


def plan_versions() -> list[CadencePlanVersion]:
    """All plan versions, oldest first."""
    return list(
        db.session.scalars(select(CadencePlanVersion).order_by(CadencePlanVersion.effective_from))
    )


def plan_at(day: date) -> CadencePlanVersion | None:
    """The plan version in force on ``day`` (None before the first one)."""
    return db.session.scalar(_plan_at_stmt(), {"day": day})


@cache
def _plan_at_stmt() -> Select:
    # Built once: every due list (so every pull after a push) reads the plan in force.
    return (
        select(CadencePlanVersion)
        .where(CadencePlanVersion.effective_from <= bindparam("day", type_=Date))
        .order_by(CadencePlanVersion.effective_from.desc())
        .limit(1)
    )


def ensure_default_plan() -> CadencePlanVersion:
    """Create the default plan when no plan exists yet (fresh install, demo)."""
    existing = plan_at(date.max)
    if existing is not None:
        return existing
    version = CadencePlanVersion(
        effective_from=DEFAULT_EFFECTIVE_FROM, tiers=DEFAULT_TIERS, rules=DEFAULT_RULES
    )
    db.session.add(version)
    db.session.flush()
    return version


def known_tiers() -> list[str]:
    """Tier names across all plan versions; the default A/B/C before any plan exists."""
    names: list[str] = []
    for version in plan_versions():
        for tier in version.tiers:
            if tier["tier"] not in names:
                names.append(tier["tier"])
    return names or [t["tier"] for t in DEFAULT_TIERS]
