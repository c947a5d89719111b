"""Accounts: list, create, change, soft-delete, all within the caller's scope."""

from __future__ import annotations

from sqlalchemy import Select, func, or_, select

from backend.accounts.models import Account
from backend.accounts.scope import account_scope, get_account
from backend.core import changes
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.core.tiers import known_tiers
from backend.users.models import Territory, User
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
    for key in ("tier", "kare", "status", "owner_id", "territory_id"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(Account, key) == filters[key])
    return stmt.order_by(SORTS[filters.get("sort", "name")], Account.id)


def _check_refs(user: User, data: dict) -> None:
    """Tier, owner and territory must exist and be within what ``user`` may assign."""
    errors: dict[str, list[str]] = {}
    if "tier" in data:
        tiers = known_tiers()
        if data["tier"] not in tiers:
            errors["tier"] = [f"Unknown tier; the plan has {', '.join(tiers)}."]
    if data.get("owner_id") is not None:
        owner = db.session.get(User, data["owner_id"])
        if owner is None or not owner.is_active:
            errors["owner_id"] = ["No such active user."]
        elif user.role == "rep" and owner.id != user.id:
            errors["owner_id"] = ["A rep can only own accounts themselves."]
    if data.get("territory_id") is not None:
        territory = db.session.get(Territory, data["territory_id"])
        if territory is None:
            errors["territory_id"] = ["No such territory."]
        elif user.role == "manager" and territory.id not in managed_territory_ids(user):
            errors["territory_id"] = ["Not one of your territories."]
    if errors:
        raise Invalid("Invalid references.", errors)


def create_account(user: User, data: dict) -> Account:
    """Create an account the caller may own or manage."""
    data = dict(data)
    if user.role == "rep":
        data.setdefault("owner_id", user.id)
        if data.get("territory_id") is None and user.territories:
            data["territory_id"] = user.territories[0].id
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
    changes.record("account", account.id)
    return account


def update_account(user: User, account_id: int, data: dict) -> Account:
    """Change fields; a stale ``base_version`` is a Conflict carrying the server row."""
    account = get_account(user, account_id)
    data = dict(data)
    base_version = data.pop("base_version", None)
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
    for key, value in data.items():
        setattr(account, key, value)
    account.version += 1
    db.session.flush()
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
