"""Pruning the change and mutation logs: superseded rows, old tombstones and leaves (raising the
tombstone horizon), old mutation records except rejected ones (docs/sync-protocol.md, "Pruning")."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from backend.sync.models import SyncChange, SyncMutation, SyncState
from backend.sync.service.changelog import lock


def prune(session: Session, *, older_than: datetime) -> dict[str, int]:
    """Compact superseded change rows, drop old tombstones and leaves, and old mutation records
    (except rejected ones, which keep what the server could not accept).

    A tombstone or leave older than ``older_than`` is removed and the horizon rises to its
    number: a client whose cursor is behind it may have missed a delete and gets a reset.
    Superseded rows (a later row for the same entity and audience exists) go whatever their age.
    """
    lock(session)
    newer = SyncChange.__table__.alias("newer")
    same = (
        (newer.c.entity == SyncChange.entity)
        & (newer.c.entity_id == SyncChange.entity_id)
        & (newer.c.seq > SyncChange.seq)
        & newer.c.rep_id.is_not_distinct_from(SyncChange.rep_id)
        & newer.c.territory_id.is_not_distinct_from(SyncChange.territory_id)
    )
    superseded = session.execute(
        SyncChange.__table__.delete().where(select(newer.c.seq).where(same).exists())
    ).rowcount
    gone = SyncChange.op.in_(("delete", "leave")) & (SyncChange.created_at < older_than)
    top = session.scalar(select(func.max(SyncChange.seq)).where(gone))
    tombstones = session.execute(SyncChange.__table__.delete().where(gone)).rowcount
    if top is not None:
        state = session.get(SyncState, 1)
        if state is None:
            state = SyncState(id=1, epoch=1, tombstone_horizon_seq=0)
            session.add(state)
        state.tombstone_horizon_seq = max(state.tombstone_horizon_seq, top)
    # Rejected mutations keep their content for the rep (GET /api/sync/rejected): never pruned.
    mutations = session.execute(
        SyncMutation.__table__.delete().where(
            SyncMutation.created_at < older_than, SyncMutation.status != "rejected"
        )
    ).rowcount
    session.flush()
    return {"superseded": superseded, "tombstones": tombstones, "mutations": mutations}
