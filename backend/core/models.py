"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import DateTime, Integer
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import TypeDecorator


def utcnow() -> datetime:
    """Current time, timezone-aware UTC (the only clock models use)."""
    return datetime.now(UTC)


def as_utc(value: datetime) -> datetime:
    """``value`` in UTC; a naive value is taken to be UTC already (what every column stores)."""
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """The one column type for timestamps: stored as UTC, always read back aware in UTC.

    SQLite has no time zones: it would store an aware value's wall clock as given and hand back
    a naive one, so the value is converted to UTC on the way in and tagged UTC on the way out.
    PostgreSQL's ``timestamptz`` answers in the session's zone; that is normalised to UTC too.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: Any, dialect: Dialect) -> datetime | None:
        """UTC before it reaches the driver, so SQLite stores and compares one clock."""
        return None if value is None else as_utc(value)

    def process_result_value(self, value: Any, dialect: Dialect) -> datetime | None:
        """Aware UTC, whatever the driver handed back."""
        return None if value is None else as_utc(value)


class Timestamped:
    """``created_at`` / ``updated_at`` in UTC with callable defaults."""

    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)


class Versioned(Timestamped):
    """Syncable rows carry a version that every write bumps (the optimistic-concurrency base)."""

    version: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
