"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime, Integer
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """Current time, timezone-aware UTC (the only clock models use)."""
    return datetime.now(UTC)


class Timestamped:
    """``created_at`` / ``updated_at`` in UTC with callable defaults."""

    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Versioned(Timestamped):
    """Syncable rows carry a version that every write bumps (the optimistic-concurrency base)."""

    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
