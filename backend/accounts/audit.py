"""The ownership audit: every change of an account's owner, territory or rule, with who and why.

Each path that changes ownership calls :func:`record` in the transaction of the change, so the
audit and the accounts can never disagree.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select

from backend.accounts.models import AUDIT_FIELDS as FIELDS
from backend.accounts.models import AUDIT_SOURCES as SOURCES
from backend.accounts.models import Account, AuditEntry
from backend.accounts.scope import account_scope
from backend.core.extensions import db
from backend.users.models import User
from backend.users.scope import managed_territory_ids


def record(
    account: Account,
    *,
    actor: User | None,
    source: str,
    before: dict[str, int | None],
    reason: str = "",
    ref: str | None = None,
) -> list[AuditEntry]:
    """Audit what changed on ``account`` against ``before`` (field -> value before the change).

    Fields that did not change write nothing; a new account's ``before`` is all None.
    """
    if source not in SOURCES:
        raise ValueError(f"unknown audit source {source!r}")
    entries = []
    for field, old in before.items():
        if field not in FIELDS:
            raise ValueError(f"not an audited field: {field!r}")
        new = getattr(account, field)
        if new == old:
            continue
        entry = AuditEntry(
            actor_id=actor.id if actor else None,
            account_id=account.id,
            field=field,
            old_value=old,
            new_value=new,
            source=source,
            reason=reason,
            ref=ref,
        )
        db.session.add(entry)
        entries.append(entry)
    return entries


def snapshot(account: Account) -> dict[str, int | None]:
    """The audited fields of ``account`` now, to pass as ``before`` after changing it."""
    return {field: getattr(account, field, None) for field in FIELDS if hasattr(account, field)}


def entries_query(user: User, filters: dict) -> Select:
    """Audit entries ``user`` may read, newest first.

    Managers read the history of the accounts in their territories now, and every entry that
    moved an account into or out of one of them (so what left a territory stays visible to its
    manager); reps the history of the accounts they own; admins everything.
    """
    stmt = select(AuditEntry).join(Account, Account.id == AuditEntry.account_id)
    if user.role == "manager":
        managed = managed_territory_ids(user)
        moved = (AuditEntry.field == "territory_id") & (
            AuditEntry.old_value.in_(managed) | AuditEntry.new_value.in_(managed)
        )
        stmt = stmt.where(or_(account_scope(user), moved))
    elif user.role != "admin":
        stmt = stmt.where(account_scope(user))
    for key in ("account_id", "source", "field", "actor_id"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(AuditEntry, key) == filters[key])
    if filters.get("since") is not None:
        stmt = stmt.where(AuditEntry.at >= filters["since"])
    return stmt.order_by(AuditEntry.at.desc(), AuditEntry.id.desc())
