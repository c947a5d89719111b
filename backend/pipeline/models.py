"""Opportunities (deals) with their stage history, account status history, quotas, P.A.C.E."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.accounts.models import Account
from backend.core.extensions import db
from backend.core.models import Timestamped, UTCDateTime, Versioned, utcnow
from sync.constants import OPPORTUNITY_STAGES

# The one definition is the sync protocol's (pure, so the backend imports it from there).
STAGES = OPPORTUNITY_STAGES
OPEN_STAGES = ("lead", "qualified", "proposal", "negotiation")
CLOSED_STAGES = ("won", "lost")
PACE_QUALITIES = ("passion", "awareness", "curiosity", "energy")


class Opportunity(Versioned, db.Model):
    """A sales opportunity on an account: stage, amount, dates; soft-deleted for sync."""

    __tablename__ = "opportunities"
    __table_args__ = (
        Index("ix_opportunities_owner_live", "owner_id", "deleted_at"),
        Index("ix_opportunities_account", "account_id"),
        Index("ix_opportunities_closed_at", "closed_at"),
        Index("ix_opportunities_created_at", "created_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    # The UUID a phone gave a deal it created offline (``opportunity.create``): its retries
    # find the row by it instead of creating the deal twice.
    client_id: Mapped[str | None] = mapped_column(String(36), unique=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    name: Mapped[str] = mapped_column(String(200))
    stage: Mapped[str] = mapped_column(String(16), default="lead")
    amount: Mapped[float] = mapped_column(Float, default=0.0)
    currency: Mapped[str] = mapped_column(String(3), default="EUR")
    closed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    lost_reason: Mapped[str | None] = mapped_column(String(500))
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    account: Mapped[Account] = relationship()


class StageChange(db.Model):
    """One move of an opportunity from a stage to another (the first row has no ``from``)."""

    __tablename__ = "opportunity_stage_history"
    __table_args__ = (Index("ix_opportunity_stage_history_opp_at", "opportunity_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    opportunity_id: Mapped[int] = mapped_column(ForeignKey("opportunities.id", ondelete="CASCADE"))
    from_stage: Mapped[str | None] = mapped_column(String(16))
    to_stage: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class AccountStatusChange(db.Model):
    """An account entering a status (lead -> opportunity -> customer), with the date it did.

    Written by a session hook (``backend.pipeline.status``) for every path that changes an
    account's status, so the funnel counts what happened, not what the account is today.
    """

    __tablename__ = "account_status_history"
    __table_args__ = (
        Index("ix_account_status_history_account_at", "account_id", "at"),
        Index("ix_account_status_history_status_at", "to_status", "at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    from_status: Mapped[str | None] = mapped_column(String(16))
    to_status: Mapped[str] = mapped_column(String(16))
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    account: Mapped[Account] = relationship()


class Quota(Versioned, db.Model):
    """A goal for one rep or one territory in one period: revenue, new accounts, activity.

    ``activity`` holds the minimum touches per tier and type, ``{"A": {"visit": 6}, ...}``.
    """

    __tablename__ = "quotas"
    __table_args__ = (
        UniqueConstraint("period", "rep_id", "territory_id", name="uq_quotas_period_target"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    period: Mapped[str] = mapped_column(String(16), index=True)
    rep_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territories.id", ondelete="CASCADE")
    )
    revenue: Mapped[float] = mapped_column(Float, default=0.0)
    new_accounts: Mapped[int] = mapped_column(Integer, default=0)
    activity: Mapped[dict] = mapped_column(JSON, default=dict)


class PaceRating(Timestamped, db.Model):
    """A manager's P.A.C.E. rating of a rep for a period: four qualities 1-5 and a note."""

    __tablename__ = "pace_ratings"
    __table_args__ = (UniqueConstraint("rep_id", "period", name="uq_pace_ratings_rep_period"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16))
    passion: Mapped[int] = mapped_column(Integer)
    awareness: Mapped[int] = mapped_column(Integer)
    curiosity: Mapped[int] = mapped_column(Integer)
    energy: Mapped[int] = mapped_column(Integer)
    note: Mapped[str] = mapped_column(Text, default="")
    rated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class SummaryEmail(db.Model):
    """One weekly summary sent to a manager: at most one per manager and period."""

    __tablename__ = "summary_emails"
    __table_args__ = (UniqueConstraint("manager_id", "period", name="uq_summary_emails"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    manager_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    period: Mapped[str] = mapped_column(String(16))
    sent_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
