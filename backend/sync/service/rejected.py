"""What the server could not accept, kept with its content so the app can show it to the rep."""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

import sync
from backend.core.extensions import db
from backend.sync.models import SyncMutation
from backend.users.models import User

MAX_LISTED = 500


def rejected_mutations(actor: User, client_id: str | None = None) -> list[dict[str, Any]]:
    """The actor's rejected mutations, newest first (one device's with ``client_id``).

    Each carries what the phone sent (``name``, ``args``) and why it was refused (``reason``,
    ``errors``), as the push answered it; pruning keeps them (``prune.prune``).
    """
    stmt = select(SyncMutation).where(
        SyncMutation.user_id == actor.id, SyncMutation.status == str(sync.Status.REJECTED)
    )
    if client_id is not None:
        stmt = stmt.where(SyncMutation.client_id == client_id)
    stmt = stmt.order_by(SyncMutation.created_at.desc(), SyncMutation.mutation_id.desc())
    rows = db.session.scalars(stmt.limit(MAX_LISTED))
    out = []
    for row in rows:
        outcome = row.outcome or {}
        out.append(
            {
                "id": row.id,
                "client_id": row.client_id,
                "mutation_id": row.mutation_id,
                "name": outcome.get("name"),
                "args": outcome.get("args"),
                "reason": outcome.get("reason"),
                "errors": outcome.get("errors"),
                "rejected_at": row.created_at,
            }
        )
    return out
