"""Who is leaving, what they own, and who may take it over: the departure's checks.

``actor`` None is the operator at the console (``fieldrep users depart``): admin scope.
"""

from __future__ import annotations

from sqlalchemy import func, select

from backend.accounts.models import Account
from backend.accounts.scope import account_scope
from backend.accounts.service import assignable_owner_ids
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.territories.departure.owners import AccountInfo, Candidate
from backend.territories.models import Departure
from backend.users.models import User, territory_members
from backend.users.scope import rep_scope

NO_TARGET = "Not an active rep of your territories."


def departing_rep(actor: User | None, rep_id: int) -> User:
    """The rep ``actor`` may hand over: a manager's team member, anyone for an admin.

    Reps, and users outside the caller's scope, get NotFound (never reveal existence).
    """
    if actor is not None and actor.role == "rep":
        raise NotFound(f"User {rep_id} not found.")
    stmt = select(User).where(User.id == rep_id)
    if actor is not None:
        stmt = stmt.where(rep_scope(actor))
    rep = db.session.scalar(stmt)
    if rep is None or (actor is not None and rep.id == actor.id):
        raise NotFound(f"User {rep_id} not found.")
    if rep.role != "rep":
        raise Invalid("Only reps hand over accounts.", {"user_id": ["This user is not a rep."]})
    if not rep.is_active:
        raise Invalid("Already inactive.", {"user_id": ["This rep has already left."]})
    if open_departure(rep.id) is not None:
        raise Conflict("This rep's departure is already under way.")
    return rep


def open_departure(rep_id: int) -> Departure | None:
    """The rep's departure whose window is still open, if any."""
    return db.session.scalar(
        select(Departure).where(Departure.rep_id == rep_id, Departure.finished_at.is_(None))
    )


def accounts_of(actor: User | None, rep: User) -> list[Account]:
    """The rep's live accounts; a manager may only hand over a rep whose every account lies in
    their territories (a departure leaves no account behind, so an admin must do the rest)."""
    live = (Account.owner_id == rep.id) & Account.deleted_at.is_(None)
    accounts = list(db.session.scalars(select(Account).where(live).order_by(Account.id)))
    if actor is not None and actor.role == "manager":
        outside = db.session.scalar(
            select(func.count()).select_from(Account).where(live, ~account_scope(actor))
        )
        if outside:
            raise Invalid(
                "Accounts outside your territories.",
                {"user_id": [f"The rep owns {outside} accounts outside your territories; "
                             "an admin must hand them over."]},
            )  # fmt: skip
    return accounts


def infos(accounts: list[Account]) -> list[AccountInfo]:
    """What the owner-choosing strategies need of each account."""
    return [AccountInfo(a.id, a.lat, a.lon, a.tier, a.territory_id) for a in accounts]


def _busy_reps() -> set[int]:
    """Reps with a departure under way: they receive nothing."""
    return set(db.session.scalars(select(Departure.rep_id).where(Departure.finished_at.is_(None))))


def allowed_targets(actor: User | None, rep: User, ids: list[int]) -> set[int]:
    """Of ``ids``, the active reps ``actor`` may give accounts to (never the leaving rep)."""
    if actor is None:
        allowed = set(
            db.session.scalars(
                select(User.id).where(
                    User.id.in_(ids), User.is_active.is_(True), User.role == "rep"
                )
            )
        )
    else:
        allowed = {
            i
            for i in assignable_owner_ids(actor, ids)
            if db.session.get(User, i).role == "rep"  # an admin's pick is still a rep
        }
    return allowed - {rep.id} - _busy_reps()


def check_targets(actor: User | None, rep: User, ids: list[int], field: str) -> set[int]:
    """``ids`` if every one is allowed; Invalid (422) naming the others otherwise."""
    allowed = allowed_targets(actor, rep, ids)
    wrong = sorted(set(ids) - allowed)
    if wrong:
        raise Invalid("Invalid new owners.", {field: [f"{NO_TARGET} ({i})" for i in wrong]})
    return allowed


def team_of(actor: User | None, rep: User, accounts: list[Account]) -> set[int]:
    """Default candidates: the active reps sharing a territory with the accounts or the rep."""
    territories = {a.territory_id for a in accounts if a.territory_id is not None}
    territories |= {t.id for t in rep.territories}
    if not territories:
        return set()
    members = db.session.scalars(
        select(territory_members.c.user_id).where(territory_members.c.territory_id.in_(territories))
    )
    return allowed_targets(actor, rep, sorted(set(members)))


def candidates(ids: set[int]) -> list[Candidate]:
    """The candidates with their home, current load (live accounts owned) and territories."""
    if not ids:
        return []
    load = dict(
        db.session.execute(
            select(Account.owner_id, func.count())
            .where(Account.owner_id.in_(ids), Account.deleted_at.is_(None))
            .group_by(Account.owner_id)
        ).all()
    )
    territories: dict[int, set[int]] = {i: set() for i in ids}
    for territory_id, user_id in db.session.execute(
        select(territory_members.c.territory_id, territory_members.c.user_id).where(
            territory_members.c.user_id.in_(ids)
        )
    ):
        territories[user_id].add(territory_id)
    reps = db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id))
    return [
        Candidate(
            r.id, r.home_lat, r.home_lon, int(load.get(r.id, 0)), frozenset(territories[r.id])
        )
        for r in reps
    ]
