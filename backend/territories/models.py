"""Territory management's own tables (rules, proposals, handovers); accounts and users live in
their domains."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.extensions import db
from backend.core.models import Timestamped, UTCDateTime

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
