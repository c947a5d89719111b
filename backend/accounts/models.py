"""Accounts (customers and prospects) and the geocoding cache."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Boolean, Float, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from backend.core.extensions import db
from backend.core.models import Timestamped, UTCDateTime, Versioned, utcnow
from backend.users.models import Territory, User


class Account(Versioned, db.Model):
    """A customer or prospect with location, weekly opening hours, tier and economics."""

    __tablename__ = "accounts"
    __table_args__ = (
        Index("ix_accounts_owner_live", "owner_id", "deleted_at"),
        Index("ix_accounts_territory_live", "territory_id", "deleted_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    external_id: Mapped[str | None] = mapped_column(String(100), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    address: Mapped[str | None] = mapped_column(String(400))
    lat: Mapped[float] = mapped_column(Float)
    lon: Mapped[float] = mapped_column(Float)
    tier: Mapped[str] = mapped_column(String(16), default="C", index=True)
    kare: Mapped[str] = mapped_column(String(16), default="keep")
    status: Mapped[str] = mapped_column(String(16), default="customer")
    revenue: Mapped[float] = mapped_column(Float, default=0.0)
    cost_to_serve: Mapped[float] = mapped_column(Float, default=0.0)
    # Segment attributes, for territory rules and lookalikes.
    industry: Mapped[str | None] = mapped_column(String(100), index=True)
    size_band: Mapped[str | None] = mapped_column(String(16))
    postal_code: Mapped[str | None] = mapped_column(String(20), index=True)
    # Yearly revenue potential (what the account could buy), for balancing and quotas.
    potential: Mapped[float] = mapped_column(Float, default=0.0)
    # Excluded from realignment: rebalancing and rules never move a locked account.
    locked: Mapped[bool] = mapped_column(Boolean, default=False)
    # {"mon": [["08:00", "12:00"], ["13:00", "17:00"]], ..., "sun": []}
    opening_hours: Mapped[dict] = mapped_column(JSON, default=dict)
    service_minutes: Mapped[int | None] = mapped_column(Integer)
    notes: Mapped[str] = mapped_column(Text, default="")
    contacts: Mapped[list] = mapped_column(JSON, default=list)
    owner_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territories.id", ondelete="SET NULL")
    )
    # The territory rule that placed the account (set by the rules run; None when no rule did).
    territory_rule_id: Mapped[int | None] = mapped_column(
        ForeignKey("territory_rules.id", ondelete="SET NULL")
    )
    # Soft delete: sync needs tombstones.
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    owner: Mapped[User | None] = relationship(foreign_keys=[owner_id])
    territory: Mapped[Territory | None] = relationship()


class GeocodeCache(Timestamped, db.Model):
    """Answers of the geocoder, so a re-import never asks twice for the same address."""

    __tablename__ = "geocode_cache"

    query: Mapped[str] = mapped_column(String(400), primary_key=True)
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)


# What may change an account's ownership, and which fields are audited.
AUDIT_SOURCES = ("manual", "import", "rule", "proposal", "departure", "transition")
AUDIT_FIELDS = ("owner_id", "territory_id", "territory_rule_id")


class AuditEntry(db.Model):
    """One change of an account's owner, territory or matching rule: who, when, why, from, to.

    Written in the same transaction as the change itself, by every path that changes ownership
    (manual edits, CSV import, territory rules, proposals, departures); never updated.
    """

    __tablename__ = "audit_log"
    __table_args__ = (Index("ix_audit_log_account_at", "account_id", "at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    # "owner_id", "territory_id" or "territory_rule_id".
    field: Mapped[str] = mapped_column(String(32))
    old_value: Mapped[int | None] = mapped_column(Integer)
    new_value: Mapped[int | None] = mapped_column(Integer)
    # What made the change: manual, import, rule, proposal, departure, transition.
    source: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text, default="")
    # The proposal, departure or rule the change came from, when there is one.
    ref: Mapped[str | None] = mapped_column(String(64))
