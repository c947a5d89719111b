"""Web push: browser subscriptions, reminder preferences, and the reminder log with its sends."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.extensions import db
from backend.core.models import Timestamped, UTCDateTime, utcnow

REMINDER_KINDS = ("digest", "overdue_alert", "follow_up")
# queued -> sending -> delivered | gone | failed | config_error; failed with a retry_at is
# picked up again (by a delayed job or the next run) while the reminder's day lasts.
SEND_STATUSES = ("queued", "sending", "delivered", "gone", "failed", "config_error")


class PushSubscription(Timestamped, db.Model):
    """One browser's push subscription (a user may have several devices)."""

    __tablename__ = "push_subscriptions"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The endpoint is a bearer capability for that browser: unique, and never logged in full.
    endpoint: Mapped[str] = mapped_column(String(2048), unique=True)
    p256dh: Mapped[str] = mapped_column(String(128))
    auth: Mapped[str] = mapped_column(String(64))
    user_agent: Mapped[str] = mapped_column(String(300), default="")
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    def as_webpush(self) -> dict:
        """The subscription as the browser's PushSubscription JSON (what delivery.send takes)."""
        return {"endpoint": self.endpoint, "keys": {"p256dh": self.p256dh, "auth": self.auth}}


class ReminderPreference(Timestamped, db.Model):
    """A user's reminder settings; a user without a row gets the defaults of this class."""

    __tablename__ = "reminder_preferences"

    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    is_digest_muted: Mapped[bool] = mapped_column(Boolean, default=False)
    is_overdue_alert_muted: Mapped[bool] = mapped_column(Boolean, default=False)
    digest_hour: Mapped[int] = mapped_column(Integer, default=7)  # local hour, 0..23
    # Quiet hours as minutes since local midnight; start > end wraps midnight (21:00-07:00).
    # No column default: NULL is a real choice ("no quiet hours") and a default would replace it.
    # The defaults live in services.reminder_prefs.DEFAULTS.
    quiet_start_min: Mapped[int | None] = mapped_column(Integer)
    quiet_end_min: Mapped[int | None] = mapped_column(Integer)
    is_weekends_off: Mapped[bool] = mapped_column(Boolean, default=True)


class ReminderLog(db.Model):
    """One reminder decided for one user and local day: the row that makes it at-most-once.

    ``account_id`` is 0 and ``touch_type`` empty for a digest (NULLs would not collide in the
    unique constraint), so the key is the same on SQLite and PostgreSQL.
    """

    __tablename__ = "reminder_log"
    __table_args__ = (
        UniqueConstraint(
            "user_id", "kind", "account_id", "touch_type", "local_day", name="uq_reminder_log_key"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    kind: Mapped[str] = mapped_column(String(16))
    account_id: Mapped[int] = mapped_column(Integer, default=0)  # not a FK: 0 means "none"
    touch_type: Mapped[str] = mapped_column(String(8), default="")
    local_day: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
    url: Mapped[str] = mapped_column(String(300))
    urgency: Mapped[str] = mapped_column(String(8))
    # End of the rep's local day in UTC: the TTL and the last moment a retry is worth it.
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ReminderSend(db.Model):
    """One reminder to one device: its delivery state and outcome."""

    __tablename__ = "reminder_sends"
    __table_args__ = (
        UniqueConstraint("log_id", "subscription_id", name="uq_reminder_sends_log_sub"),
        Index("ix_reminder_sends_status_retry", "status", "retry_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    log_id: Mapped[int] = mapped_column(ForeignKey("reminder_log.id", ondelete="CASCADE"))
    # SET NULL: a subscription deleted as gone keeps its send rows as history.
    subscription_id: Mapped[int | None] = mapped_column(
        ForeignKey("push_subscriptions.id", ondelete="SET NULL"), index=True
    )
    status: Mapped[str] = mapped_column(String(16), default="queued")
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    http_status: Mapped[int | None] = mapped_column(Integer)
    detail: Mapped[str] = mapped_column(String(300), default="")
    retry_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)
