"""Touches: append-only facts of visits, calls and emails."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.extensions import db
from backend.core.models import UTCDateTime, utcnow


class Touch(db.Model):
    """A logged visit, call or email; the id is the client-generated UUID (idempotency key)."""

    __tablename__ = "touches"
    __table_args__ = (
        Index("ix_touches_account_type_date", "account_id", "type", "local_date"),
        Index("ix_touches_rep_date", "rep_id", "local_date"),
        # Covering index for the compliance report: a local_date range scan that also yields
        # account and type, so counting a month of touches never visits the table.
        Index("ix_touches_date_account_type", "local_date", "account_id", "type"),
        # Covering index for a manager's performance report: their accounts' touches of a
        # period counted by rep or territory and type from the index alone (no heap visit).
        Index(
            "ix_touches_account_date_cover",
            "account_id",
            "local_date",
            postgresql_include=["type", "rep_id"],
        ),
    )

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id"))
    type: Mapped[str] = mapped_column(String(8))
    occurred_at: Mapped[datetime] = mapped_column(UTCDateTime())
    # The date in the rep's time zone when it happened: the period key for cadence.
    local_date: Mapped[date] = mapped_column(Date)
    outcome: Mapped[str | None] = mapped_column(String(16))
    notes: Mapped[str] = mapped_column(Text, default="")
    next_step: Mapped[str] = mapped_column(Text, default="")
    # A follow-up task: the rep is reminded of ``next_step`` on this local date (None: no task).
    next_step_on: Mapped[date | None] = mapped_column(Date, index=True)
    # When the rep marked the follow-up done (None: open). The follow-up is the one part of a
    # touch that changes after it is logged: done, or moved to another day (``next_step_on``).
    follow_up_done_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    duration_minutes: Mapped[int | None] = mapped_column(Integer)
    checkin_lat: Mapped[float | None] = mapped_column(Float)
    checkin_lon: Mapped[float | None] = mapped_column(Float)
    checkin_accuracy_m: Mapped[float | None] = mapped_column(Float)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the server got it; occurred_at is the device's word (docs/sync-protocol.md, "Clocks").
    received_at: Mapped[datetime | None] = mapped_column(UTCDateTime(), default=utcnow)
    # Why a manager should look at it (TOUCH_FLAGS), or NULL: the touch is kept either way.
    flags: Mapped[list[str] | None] = mapped_column(JSON(none_as_null=True))

    @property
    def follow_up_done(self) -> bool:
        """Has the rep marked the follow-up done?"""
        return self.follow_up_done_at is not None
