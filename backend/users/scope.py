"""Object-level access to people: which reps and territories a user may see."""

from __future__ import annotations

from sqlalchemy import ColumnElement, select, true

from backend.core.errors import NotFound
from backend.core.extensions import db
from backend.users.models import Territory, User, territory_members


def managed_territory_ids(user: User) -> list[int]:
    """Ids of the territories a manager manages."""
    return list(db.session.scalars(select(Territory.id).where(Territory.manager_id == user.id)))


def rep_scope(user: User) -> ColumnElement[bool]:
    """SQL condition on User for the reps ``user`` may see (themselves, their team, everyone)."""
    if user.role == "admin":
        return true()
    if user.role == "manager":
        team = (
            select(territory_members.c.user_id)
            .join(Territory, Territory.id == territory_members.c.territory_id)
            .where(Territory.manager_id == user.id)
        )
        return User.id.in_(team) | (User.id == user.id)
    return User.id == user.id


def get_rep(user: User, rep_id: int | None) -> User:
    """Resolve ``rep=`` for a request: default to the caller; others only within scope."""
    if rep_id is None or rep_id == user.id:
        return user
    rep = db.session.scalar(select(User).where(User.id == rep_id, rep_scope(user)))
    if rep is None:
        raise NotFound(f"Rep {rep_id} not found.")
    return rep


def resolve_rep(user: User, rep: str | None) -> User:
    """Resolve a ``rep`` query value that may be an id or an email."""
    if rep is None or rep == "":
        return user
    if rep.isdigit():
        return get_rep(user, int(rep))
    found = db.session.scalar(select(User).where(User.email == rep.lower(), rep_scope(user)))
    if found is None:
        raise NotFound(f"Rep {rep} not found.")
    return found
