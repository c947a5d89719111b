"""The account status hook: every change of ``Account.status`` leaves a dated history row.

A session hook rather than a call in each writer, because accounts change status through the
REST API, the CSV import, offline sync, the demo and scripts alike; the accounts domain sits
below this one and cannot call it. The row is added before the flush, in the same transaction.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import event, inspect
from sqlalchemy.orm import Session

from backend.accounts.models import Account
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.pipeline.models import AccountStatusChange

_installed = False


def install() -> None:
    """Listen on the app's session (once per process)."""
    global _installed
    if not _installed:
        _installed = True
        event.listen(db.session, "before_flush", _before_flush)


def _before_flush(session: Session, _ctx: Any, _instances: Any) -> None:
    now = utcnow()
    for obj in list(session.new):
        if isinstance(obj, Account):
            status = obj.status or "customer"
            at = obj.created_at or now
            session.add(AccountStatusChange(account=obj, from_status=None, to_status=status, at=at))
    for obj in list(session.dirty):
        if not isinstance(obj, Account):
            continue
        history = inspect(obj).attrs.status.history
        if history.added and history.deleted and history.added[0] != history.deleted[0]:
            session.add(
                AccountStatusChange(
                    account_id=obj.id,
                    from_status=history.deleted[0],
                    to_status=history.added[0],
                    at=now,
                )
            )
