"""P.A.C.E. ratings (passion, awareness, curiosity, energy) a manager records per rep and period."""

from __future__ import annotations

from sqlalchemy import ColumnElement, Select, select, true

from backend.core.errors import Invalid
from backend.core.extensions import db
from backend.pipeline.models import PaceRating
from backend.pipeline.service.scope import team_rep_ids
from backend.users.models import User


def pace_scope(user: User) -> ColumnElement[bool]:
    """A rep sees their own ratings; a manager their team's; an admin all."""
    if user.role == "admin":
        return true()
    if user.role == "manager":
        return PaceRating.rep_id.in_(team_rep_ids(user))
    return PaceRating.rep_id == user.id


def query_ratings(user: User, filters: dict) -> Select:
    """SELECT of the ratings in scope."""
    stmt = select(PaceRating).where(pace_scope(user))
    for key in ("rep_id", "period"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(PaceRating, key) == filters[key])
    return stmt.order_by(PaceRating.period.desc(), PaceRating.rep_id)


def rate(user: User, data: dict) -> PaceRating:
    """Record a rep's rating for a period, replacing an earlier one (managers and admins)."""
    rep = db.session.get(User, data["rep_id"])
    ok = rep is not None and rep.role == "rep"
    if ok and user.role != "admin":
        ok = rep.id in set(db.session.scalars(team_rep_ids(user)))
    if not ok:
        raise Invalid("Bad rep.", {"rep_id": ["No such rep in your territories."]})
    rating = db.session.scalar(
        select(PaceRating).where(
            PaceRating.rep_id == data["rep_id"], PaceRating.period == data["period"]
        )
    )
    if rating is None:
        rating = PaceRating(rep_id=data["rep_id"], period=data["period"])
        db.session.add(rating)
    for key in ("passion", "awareness", "curiosity", "energy", "note"):
        setattr(rating, key, data[key])
    rating.rated_by_id = user.id
    db.session.flush()
    return rating
