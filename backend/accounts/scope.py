"""Object-level access to accounts: which accounts a user may read and write."""

from __future__ import annotations

from collections.abc import Callable

from sqlalchemy import ColumnElement, select, true

from backend.accounts.models import Account
from backend.core.errors import NotFound
from backend.core.extensions import db
from backend.users.models import Territory, User


def account_scope(user: User) -> ColumnElement[bool]:
    """SQL condition on Account for what ``user`` may read and write."""
    if user.role == "admin":
        return true()
    if user.role == "manager":
        return Account.territory_id.in_(select(Territory.id).where(Territory.manager_id == user.id))
    return Account.owner_id == user.id


# Read-only access granted by higher domains (a leaving rep reads what they handed over until
# the transition ends), registered by the composition root: user -> SQL condition on Account.
_read_grants: list[Callable[[User], ColumnElement[bool]]] = []


def grant_read(grant: Callable[[User], ColumnElement[bool]]) -> None:
    """Register an extra read-only condition (``get_account(..., readonly=True)`` honours it)."""
    if grant not in _read_grants:
        _read_grants.append(grant)


def get_account(
    user: User, account_id: int, *, include_deleted: bool = False, readonly: bool = False
) -> Account:
    """The account if it exists and is in scope; otherwise NotFound (never reveal existence).

    ``readonly``: also what the registered read grants allow (never for writes).
    """
    scope = account_scope(user)
    if readonly:
        for grant in _read_grants:
            scope = scope | grant(user)
    stmt = select(Account).where(Account.id == account_id, scope)
    if not include_deleted:
        stmt = stmt.where(Account.deleted_at.is_(None))
    account = db.session.scalar(stmt)
    if account is None:
        raise NotFound(f"Account {account_id} not found.")
    return account
