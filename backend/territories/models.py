"""Territory management's own tables (rules, proposals, handovers); accounts and users live in
their domains."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.extensions import db
from backend.core.models import UTCDateTime, utcnow

# --- departure (H3) ---


class Departure(db.Model):
    """A rep's departure: who handed their accounts over, how, and when the window ends.

    ``finished_at`` is set when the rep is deactivated (at once for a zero-day window, else by
    ``fieldrep users finish-departures`` once ``transition_until`` has passed).
    """

    __tablename__ = "territory_departures"

    id: Mapped[int] = mapped_column(primary_key=True)
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    strategy: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    transition_until: Mapped[datetime] = mapped_column(UTCDateTime(), index=True)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    moves: Mapped[int] = mapped_column(Integer, default=0)
    # {rep_id: accounts received}, as answered.
    by_owner: Mapped[dict] = mapped_column(JSON, default=dict)


class Handover(db.Model):
    """One account handed from a departing rep to its new owner, readable by both until ``until``.

    ``intro_due`` (tier-A accounts only) is the day the new owner's introductory visit is due:
    it appears in their due list, and so in their route plans, until they log a visit there.
    """

    __tablename__ = "account_handovers"
    __table_args__ = (
        Index("ix_account_handovers_from_until", "from_rep_id", "until"),
        Index("ix_account_handovers_to_intro", "to_rep_id", "intro_due"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    departure_id: Mapped[int] = mapped_column(
        ForeignKey("territory_departures.id", ondelete="CASCADE"), index=True
    )
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    from_rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    to_rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    starts_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    until: Mapped[datetime] = mapped_column(UTCDateTime())
    intro_due: Mapped[date | None] = mapped_column(Date)
