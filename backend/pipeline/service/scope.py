"""Object-level access to pipeline rows: reps their own deals, managers their territories'."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from backend.accounts.models import Account
from backend.core.errors import NotFound
from backend.core.extensions import db
from backend.pipeline.models import Opportunity
from backend.users.models import Territory, User, territory_members


def managed_ids(user: User):
    """SELECT of the territory ids ``user`` manages."""
    return select(Territory.id).where(Territory.manager_id == user.id)


def opportunity_scope(user: User) -> ColumnElement[bool]:
    """SQL condition on Opportunity for what ``user`` may read and write.

    A rep sees the deals they own (not every deal on their accounts: a colleague's deal on a
    shared account is the colleague's); a manager every deal on an account of a territory
    they manage; an admin all.
    """
    if user.role == "admin":
        return true()
    if user.role == "manager":
        accounts = select(Account.id).where(Account.territory_id.in_(managed_ids(user)))
        return Opportunity.account_id.in_(accounts)
    return Opportunity.owner_id == user.id


def get_opportunity(user: User, opportunity_id: int) -> Opportunity:
    """The live opportunity if in scope; NotFound otherwise (never reveal existence)."""
    opp = db.session.scalar(
        select(Opportunity).where(
            Opportunity.id == opportunity_id,
            Opportunity.deleted_at.is_(None),
            opportunity_scope(user),
        )
    )
    if opp is None:
        raise NotFound(f"Opportunity {opportunity_id} not found.")
    return opp


def team_rep_ids(user: User):
    """SELECT of the reps in the territories ``user`` manages."""
    return select(territory_members.c.user_id).where(
        territory_members.c.territory_id.in_(managed_ids(user))
    )
