"""Day routes (one rep, one date) and appointments."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.extensions import db
from backend.core.models import Timestamped, UTCDateTime, Versioned, utcnow


class RoutePlan(Versioned, db.Model):
    """A rep's plan for one local date.

    ``stops`` is the ordered list the rep drives: ``[{"seq", "account_id", "name", "lat", "lon",
    "arrival", "start", "departure", "windows", "required", "value", "status", "skip_reason",
    "arrived_at", "done_at"}]``; ``dropped`` the due accounts that did not fit, with reasons;
    ``legs`` the travel between consecutive points. The route is one document: a stop update or
    a reorder bumps ``version``, which offline clients send back as their base; each stop keeps
    the route ``version`` of its last status change, so a stale write of another stop merges.
    Stop writes are a compare-and-swap on ``version`` (routes.service.route_stops).
    """

    __tablename__ = "route_plans"
    __table_args__ = (UniqueConstraint("rep_id", "date", name="uq_route_plans_rep_date"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    date: Mapped[date] = mapped_column(Date, index=True)
    status: Mapped[str] = mapped_column(String(16), default="planned")
    start_lat: Mapped[float | None]
    start_lon: Mapped[float | None]
    end_lat: Mapped[float | None]
    end_lon: Mapped[float | None]
    stops: Mapped[list] = mapped_column(JSON, default=list)
    dropped: Mapped[list] = mapped_column(JSON, default=list)
    legs: Mapped[list] = mapped_column(JSON, default=list)
    break_start: Mapped[str | None] = mapped_column(String(8))
    break_end: Mapped[str | None] = mapped_column(String(8))
    value: Mapped[int] = mapped_column(Integer, default=0)
    travel_seconds: Mapped[int] = mapped_column(Integer, default=0)
    distance_m: Mapped[int | None] = mapped_column(Integer)
    solver: Mapped[str] = mapped_column(String(32), default="")
    # What the planner wants the rep to know (road times unavailable, an engine that failed).
    notes: Mapped[list] = mapped_column(JSON, default=list)


class Appointment(Timestamped, db.Model):
    """A fixed-time visit: a required stop of the day's route."""

    __tablename__ = "appointments"

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    date: Mapped[date] = mapped_column(Date, index=True)
    start: Mapped[str] = mapped_column(String(5))  # HH:MM local
    minutes: Mapped[int] = mapped_column(Integer, default=30)
    note: Mapped[str] = mapped_column(String(400), default="")


class CalendarFeed(db.Model):
    """A rep's private calendar feed: the URL carries a secret token, stored only as its hash.

    Regenerating replaces the row (the old URL stops working); revoking deletes it.
    """

    __tablename__ = "calendar_feeds"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), unique=True, index=True
    )
    token_sha256: Mapped[str] = mapped_column(String(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
