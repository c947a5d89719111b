"""The cadence plan, versioned by the date it takes effect."""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Date, ForeignKey
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.extensions import db
from backend.core.models import Timestamped


class CadencePlanVersion(Timestamped, db.Model):
    """One version of the plan; the version in force on a date is the latest effective one.

    ``tiers``: ``[{"tier": "A", "visit_minutes": 45, "weight": 3}, ...]``;
    ``rules``: ``[{"tier": "A", "touch_type": "visit", "count": 2, "period": "month"}, ...]``.
    A change of plan is a new row, so the past is never rewritten.
    """

    __tablename__ = "cadence_plan_versions"

    id: Mapped[int] = mapped_column(primary_key=True)
    effective_from: Mapped[date] = mapped_column(Date, unique=True, index=True)
    tiers: Mapped[list] = mapped_column(JSON)
    rules: Mapped[list] = mapped_column(JSON)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
