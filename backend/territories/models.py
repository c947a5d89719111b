"""Territory management's own tables (rules, proposals, handovers); accounts and users live in
their domains."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.extensions import db
from backend.core.models import Timestamped, UTCDateTime, utcnow

# --- proposals (H2) ---


class Proposal(Timestamped, db.Model):
    """A rebalancing proposal: the moves CP-SAT suggests and the team's figures before and after.

    Kept as a what-if scenario until a manager applies it (``status`` "open" -> "applied");
    ``territory_ids`` is the scope it was computed for (one territory, or a manager's all).
    """

    __tablename__ = "rebalance_proposals"

    id: Mapped[int] = mapped_column(primary_key=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), index=True
    )
    territory_id: Mapped[int | None] = mapped_column(
        ForeignKey("territories.id", ondelete="SET NULL"), index=True
    )
    territory_ids: Mapped[list] = mapped_column(JSON, default=list)
    period: Mapped[str] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="open")
    # {"target_parity", "max_moves"} as asked; solver: {"status", "seconds", "reached_target"}.
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    solver: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"account_id", "from_rep", "to_rep"}]
    moves: Mapped[list] = mapped_column(JSON, default=list)
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    # [{"rep_id", "name", "before_minutes", "after_minutes", "accounts_before", "accounts_after"}]
    per_rep: Mapped[list] = mapped_column(JSON, default=list)
    travel_before: Mapped[float] = mapped_column(Float, default=0.0)
    travel_after: Mapped[float] = mapped_column(Float, default=0.0)
    applied_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    applied_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


# --- rules (H1) ---


class TerritoryRule(Timestamped, db.Model):
    """One rule of a territory: a GeoJSON area and/or segment conditions, in the territory's order.

    An account matches when it lies in ``geometry`` (if given) AND meets every non-empty
    condition list (if any); a hybrid rule has both. Empty lists mean "no condition".
    """

    __tablename__ = "territory_rules"
    __table_args__ = (Index("ix_territory_rules_territory_position", "territory_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    territory_id: Mapped[int] = mapped_column(ForeignKey("territories.id", ondelete="CASCADE"))
    # 0-based place in the territory's list; the first matching rule is the one recorded.
    position: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(200), default="")
    # A GeoJSON Polygon or MultiPolygon (lon, lat order, as GeoJSON says), or None.
    geometry: Mapped[dict | None] = mapped_column(JSON)
    industries: Mapped[list] = mapped_column(JSON, default=list)
    size_bands: Mapped[list] = mapped_column(JSON, default=list)
    tiers: Mapped[list] = mapped_column(JSON, default=list)
    postal_prefixes: Mapped[list] = mapped_column(JSON, default=list)

    @property
    def kind(self) -> str:
        """``geo``, ``segment`` or ``hybrid`` (both an area and conditions)."""
        has_segment = any((self.industries, self.size_bands, self.tiers, self.postal_prefixes))
        if self.geometry and has_segment:
            return "hybrid"
        return "geo" if self.geometry else "segment"


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
