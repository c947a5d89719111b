"""Accounts: list, create, change, soft-delete, all within the caller's scope."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from backend.accounts import audit, hooks
from backend.accounts.models import Account
from backend.accounts.scope import account_scope, get_account
from backend.core import changes
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.core.tiers import known_tiers
from backend.users.models import Territory, User, territory_members
from backend.users.scope import managed_territory_ids

SORTS = {
    "name": Account.name,
    "-revenue": Account.revenue.desc(),
    "tier": Account.tier,
    "-updated_at": Account.updated_at.desc(),
}


def query_accounts(user: User, filters: dict) -> Select:
    """SELECT of the live accounts in scope matching ``filters`` (q, tier, status, ...)."""
    stmt = select(Account).where(account_scope(user), Account.deleted_at.is_(None))
    if q := filters.get("q"):
        like = f"%{q.lower()}%"
        stmt = stmt.where(
            or_(
                func.lower(Account.name).like(like),
                func.lower(func.coalesce(Account.address, "")).like(like),
                func.lower(func.coalesce(Account.external_id, "")).like(like),
            )
        )
    for key in (
        "tier",
        "kare",
        "status",
        "owner_id",
        "territory_id",
        "industry",
        "size_band",
        "locked",
    ):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(Account, key) == filters[key])
    return stmt.order_by(SORTS[filters.get("sort", "name")], Account.id)


NO_TERRITORY = "No such territory."
NEW_ACCOUNT = {"owner_id": None, "territory_id": None}
NO_OWNER = "No such active rep in your territories."


def _check_refs(user: User, data: dict) -> None:
    """Tier, owner and territory must exist and be within what ``user`` may assign.

    An id outside the caller's reach answers exactly like an unknown id, so the messages
    reveal nothing about other teams' users or territories.
    """
    errors: dict[str, list[str]] = {}
    if "tier" in data:
        tiers = known_tiers()
        if data["tier"] not in tiers:
            errors["tier"] = [f"Unknown tier; the plan has {', '.join(tiers)}."]
    if "locked" in data and user.role == "rep":
        errors["locked"] = ["Only managers lock accounts out of realignment."]
    if data.get("owner_id") is not None:
        if user.role == "rep":
            if data["owner_id"] != user.id:
                errors["owner_id"] = ["A rep can only own accounts themselves."]
        elif data["owner_id"] not in assignable_owner_ids(user, [data["owner_id"]]):
            errors["owner_id"] = [NO_OWNER]
    if "territory_id" in data and user.role != "admin":
        if data["territory_id"] is None:
            errors["territory_id"] = ["Pick one of your territories."]
        elif data["territory_id"] not in _assignable_territory_ids(user):
            errors["territory_id"] = [NO_TERRITORY]
    elif (
        data.get("territory_id") is not None
        and db.session.get(Territory, data["territory_id"]) is None
    ):
        errors["territory_id"] = [NO_TERRITORY]
    if errors:
        raise Invalid("Invalid references.", errors)


def _assignable_territory_ids(user: User) -> set[int]:
    """Territories a rep belongs to, or a manager manages."""
    if user.role == "manager":
        return set(managed_territory_ids(user))
    return {t.id for t in user.territories}


def assignable_owner_ids(user: User, candidate_ids: list[int]) -> set[int]:
    """Of ``candidate_ids``, the active users ``user`` may make account owners.

    An admin may pick any active user; a manager only active reps who are members of one
    of the territories they manage.
    """
    stmt = select(User.id).where(User.id.in_(candidate_ids), User.is_active.is_(True))
    if user.role != "admin":
        team = select(territory_members.c.user_id).where(
            territory_members.c.territory_id.in_(managed_territory_ids(user))
        )
        stmt = stmt.where(User.role == "rep", User.id.in_(team))
    return set(db.session.scalars(stmt))


def create_account(user: User, data: dict) -> Account:
    """Create an account the caller may own or manage."""
    data = dict(data)
    if user.role == "rep":
        data.setdefault("owner_id", user.id)
        if data.get("territory_id") is None:
            if user.territories:
                data["territory_id"] = user.territories[0].id
            else:
                data.pop("territory_id", None)  # a rep in no territory creates unassigned ones
    if user.role == "manager" and data.get("territory_id") is None:
        raise Invalid("Territory required.", {"territory_id": ["Managers must pick a territory."]})
    _check_refs(user, data)
    if data.get("external_id") and db.session.scalar(
        select(Account.id).where(Account.external_id == data["external_id"])
    ):
        raise Invalid("Duplicate external id.", {"external_id": ["Already in use."]})
    account = Account(**data)
    db.session.add(account)
    db.session.flush()
    audit.record(account, actor=user, source="manual", before=NEW_ACCOUNT, reason="created")
    changes.record("account", account.id)
    hooks.written([account], user)
    return account


def update_account(user: User, account_id: int, data: dict, *, reason: str = "") -> Account:
    """Change fields; a stale ``base_version`` is a Conflict carrying the server row.

    A change of owner or territory is audited with ``reason``.
    """
    account = get_account(user, account_id)
    data = dict(data)
    base_version = data.pop("base_version", None)
    reason = data.pop("reason", None) or reason
    if base_version is not None and base_version != account.version:
        raise Conflict(
            "The account changed since you loaded it.",
            extra={"server_version": account.version},
        )
    if user.role == "rep" and "owner_id" in data and data["owner_id"] != user.id:
        raise Invalid("Cannot give away.", {"owner_id": ["Ask a manager to reassign accounts."]})
    _check_refs(user, data)
    new_external = data.get("external_id")
    if (
        new_external
        and new_external != account.external_id
        and db.session.scalar(select(Account.id).where(Account.external_id == new_external))
    ):
        raise Invalid("Duplicate external id.", {"external_id": ["Already in use."]})
    before_owner, before_territory = account.owner_id, account.territory_id
    before = audit.snapshot(account)
    for key, value in data.items():
        setattr(account, key, value)
    account.version += 1
    db.session.flush()
    audit.record(account, actor=user, source="manual", before=before, reason=reason)
    changes.record(
        "account",
        account.id,
        previous_owner_id=before_owner,
        previous_territory_id=before_territory,
    )
    return account


def delete_account(user: User, account_id: int) -> None:
    """Soft-delete (a tombstone for offline clients); reps may not delete."""
    if user.role == "rep":
        raise NotFound(f"Account {account_id} not found.")
    account = get_account(user, account_id)
    account.deleted_at = utcnow()
    account.version += 1
    db.session.flush()
    changes.record("account", account.id)
