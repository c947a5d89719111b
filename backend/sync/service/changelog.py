"""The change log sink: what a transaction wrote becomes ``sync_changes`` rows at its very end.

Services call ``changes.record(...)``; ORM writes to syncable models are noticed as well (rows
added by scripts or fixtures that never call ``record``). Nothing is written then: the entries
wait in ``session.info`` and are turned into rows in ``before_commit``, after
``pg_advisory_xact_lock`` on PostgreSQL, so sequence numbers are drawn in commit order and a
puller's cursor can never pass a number a running transaction will still commit
(docs/sync-protocol.md, "Commit order"). A rolled-back savepoint forgets what it recorded.
"""

from __future__ import annotations

from datetime import datetime
from functools import cache
from typing import Any

from flask import Flask
from sqlalchemy import Insert, Select, bindparam, event, func, select, text
from sqlalchemy.orm import Session

from backend.accounts.models import Account
from backend.cadence.models import CadencePlanVersion
from backend.core import changes
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.pipeline.models import Opportunity
from backend.routes.models import RoutePlan
from backend.sync.models import AccountOwnerHistory, SyncChange
from backend.touches.models import Touch

# Any fixed bigint; every writer of sync_changes (commits, pruning) takes this one lock.
SYNC_CHANGE_LOCK = 0x5359_4E43  # "SYNC"
_PENDING = "sync_pending"
_MARKS = "sync_savepoint_marks"
_SYNCABLE = {
    Account: "account",
    Touch: "touch",
    RoutePlan: "route",
    CadencePlanVersion: "plan",
    Opportunity: "opportunity",
}
_installed = False
# A row of ``_audiences()``: an account's id, owner_id, territory_id, deleted_at, created_at.
Audience = Any


def install(app: Flask) -> None:
    """Subscribe the sink and the session hooks (once per process; every app shares them)."""
    global _installed
    if _installed:
        return
    _installed = True
    changes.subscribe(_sink)
    target = db.session
    event.listen(target, "after_flush", _after_flush)
    event.listen(target, "before_commit", _before_commit)
    event.listen(target, "after_transaction_create", _after_transaction_create)
    event.listen(target, "after_soft_rollback", _after_soft_rollback)
    event.listen(target, "after_transaction_end", _after_transaction_end)


def _pending(session: Session) -> list[tuple[str, str, dict[str, Any]]]:
    return session.info.setdefault(_PENDING, [])


def _sink(entity: str, entity_id: int | str, **details: Any) -> None:
    _pending(db.session()).append((entity, str(entity_id), details))


def _after_flush(session: Session, _ctx: Any) -> None:
    pending = _pending(session)
    for obj in (*session.new, *session.dirty, *session.deleted):
        entity = _SYNCABLE.get(type(obj))
        if entity is not None and obj.id is not None:
            pending.append((entity, str(obj.id), {}))


def _after_transaction_create(session: Session, transaction: Any) -> None:
    if transaction.nested:
        session.info.setdefault(_MARKS, {})[id(transaction)] = len(_pending(session))


def _after_soft_rollback(session: Session, previous: Any) -> None:
    if previous.nested:
        mark = session.info.get(_MARKS, {}).pop(id(previous), None)
        if mark is not None:
            del _pending(session)[mark:]


def _after_transaction_end(session: Session, transaction: Any) -> None:
    # Savepoint commits and rollbacks fire the commit/rollback events too: only the end of
    # the outermost transaction (committed or not) forgets what was recorded.
    if transaction.nested:
        session.info.get(_MARKS, {}).pop(id(transaction), None)
    elif transaction.parent is None:
        session.info.pop(_PENDING, None)
        session.info.pop(_MARKS, None)


def _before_commit(session: Session) -> None:
    # Releasing a savepoint fires before_commit too; only the real COMMIT may draw numbers.
    if not session.in_nested_transaction():
        write_pending(session)


_LOCK = text("SELECT pg_advisory_xact_lock(:k)")


def lock(session: Session) -> None:
    """Serialise writers of the change log until this transaction ends (no-op on SQLite)."""
    if session.get_bind().dialect.name == "postgresql":
        session.execute(_LOCK, {"k": SYNC_CHANGE_LOCK})


# Statements every write sends are built once (``@cache``): building one and its cache key
# again per request cost about as much as running it.
@cache
def _changes_insert() -> Insert:
    # RETURNING lets SQLAlchemy send one multi-row INSERT per 1,000 rows ("insertmanyvalues")
    # instead of a statement per row, so the lock is held for a round trip or two.
    table = SyncChange.__table__
    return table.insert().returning(table.c.seq)


@cache
def _audiences(locking: bool = False) -> Select:
    """Who receives each account's changes (``ids``): only the columns the rows need, not
    whole accounts (a push's touches need their account's owner and territory).

    ``locking`` (PostgreSQL): the same read takes the change-log lock (``k``) with each row.
    """
    columns = [
        Account.id, Account.owner_id, Account.territory_id, Account.deleted_at, Account.created_at
    ]  # fmt: skip
    if locking:
        columns.append(func.pg_advisory_xact_lock(bindparam("k")).label("locked"))
    return select(*columns).where(Account.id.in_(bindparam("ids", expanding=True)))


def write_pending(session: Session) -> int:
    """Turn what this transaction recorded into change rows; call last, just before COMMIT."""
    session.flush()
    pending = session.info.get(_PENDING)
    if not pending:
        return 0
    rows, locked = _rows_for(session, pending)
    session.info[_PENDING] = []
    if not rows:
        return 0
    if not locked:
        lock(session)
    now = utcnow()
    session.execute(_changes_insert(), [{**r, "created_at": now} for r in rows])
    return len(rows)


def _row(entity: str, entity_id: Any, op: str, rep_id: Any = None, territory_id: Any = None):
    return {
        "entity": entity,
        "entity_id": str(entity_id),
        "op": op,
        "rep_id": rep_id,
        "territory_id": territory_id,
    }


def _rows_for(
    session: Session, pending: list[tuple[str, str, dict[str, Any]]]
) -> tuple[list[dict], bool]:
    """Change rows for the recorded entities: one per audience, plus leaves and due markers;
    and whether the change-log lock is held already.

    The rows these refer to are loaded in bulk (the identity map only holds them weakly, so a
    batch of a thousand touches would otherwise cost a thousand selects here).

    When only touches changed (a push), the read of their accounts takes the lock too, on
    PostgreSQL: one round trip less, and the order stays the one ``write_pending`` keeps (read,
    then lock, then draw numbers), with nothing but Python between the lock and the INSERT.
    Other transactions (a reassignment, a departure) read more afterwards and lock separately.
    """
    details: dict[tuple[str, str], dict[str, Any]] = {}
    for entity, entity_id, extra in pending:
        details.setdefault((entity, entity_id), {}).update(extra)
    touches = {i: d for (e, i), d in details.items() if e == "touch"}
    unknown = [i for i, d in touches.items() if "rep_id" not in d or "account_id" not in d]
    if unknown:
        found = session.execute(
            select(Touch.id, Touch.account_id, Touch.rep_id).where(Touch.id.in_(unknown))
        )
        for touch_id, account_id, rep_id in found:
            touches[touch_id] = {"account_id": account_id, "rep_id": rep_id}
    edited = {int(i) for e, i in details if e == "account"}
    wanted = edited | {d["account_id"] for d in touches.values() if "account_id" in d}
    early = (
        bool(wanted)
        and all(e == "touch" for e, _ in details)
        and session.get_bind().dialect.name == "postgresql"
    )
    params: dict[str, Any] = {"ids": sorted(wanted), "k": SYNC_CHANGE_LOCK}
    found = session.execute(_audiences(early), params).all() if wanted else []
    accounts = {a.id: a for a in found}
    locked = early and bool(found)
    route_ids = [int(i) for e, i in details if e == "route"]
    route_reps: dict[int, int] = {}
    if route_ids:
        found = session.execute(
            select(RoutePlan.id, RoutePlan.rep_id).where(RoutePlan.id.in_(route_ids))
        )
        route_reps = {route_id: rep_id for route_id, rep_id in found}
    before = _last_audience(session, sorted(edited))
    previous = {
        account_id: _previous(account, details[("account", str(account_id))], before)
        for account_id, account in accounts.items()
        if ("account", str(account_id)) in details
    }
    history = _close_ownerships(session, accounts, previous)
    rows_opp = _opportunity_rows(
        session, sorted({int(i) for e, i in details if e == "opportunity"})
    )
    rows: list[dict] = []
    due_reps: set[int] = set()
    for entity, entity_id in details:
        if entity == "account" and int(entity_id) in accounts:
            account = accounts[int(entity_id)]
            rows += _account_rows(account, previous[account.id], history, due_reps)
        elif entity == "touch" and "rep_id" in touches.get(entity_id, {}):
            touch = touches[entity_id]
            rows += _touch_rows(entity_id, touch, accounts.get(touch["account_id"]), due_reps)
        elif entity == "route" and int(entity_id) in route_reps:
            rows.append(_row("route", entity_id, "put", rep_id=route_reps[int(entity_id)]))
        elif entity == "plan":
            rows.append(_row("plan", entity_id, "put"))  # everyone: the plan is global
    rows += rows_opp
    rows += [_row("due", rep, "put", rep_id=rep) for rep in sorted(due_reps)]
    return rows, locked


def _opportunity_rows(session: Session, ids: list[int]) -> list[dict]:
    """A put (or tombstone) per deal for its owner and its account's territory; a leave for
    the owner or territory that saw it last when it moved."""
    if not ids:
        return []
    found = session.execute(
        select(Opportunity.id, Opportunity.owner_id, Opportunity.deleted_at, Account.territory_id)
        .join(Account, Account.id == Opportunity.account_id)
        .where(Opportunity.id.in_(ids))
    ).all()
    before = _last_audience(session, [r[0] for r in found], entity="opportunity")
    rows: list[dict] = []
    for opp_id, owner, deleted_at, territory in found:
        old_rep, old_territory = before.get(opp_id, (owner, territory))
        if old_rep is not None and old_rep != owner:
            rows.append(_row("opportunity", opp_id, "leave", rep_id=old_rep))
        if old_territory is not None and old_territory != territory:
            rows.append(_row("opportunity", opp_id, "leave", territory_id=old_territory))
        op = "delete" if deleted_at is not None else "put"
        rows.append(_row("opportunity", opp_id, op, owner, territory))
    return rows


def _last_audience(
    session: Session, account_ids: list[int], entity: str = "account"
) -> dict[int, tuple[Any, Any]]:
    """(owner, territory) each row had in its latest put/delete row: who saw it last."""
    if not account_ids:
        return {}
    ids = [str(i) for i in account_ids]
    latest = (
        select(func.max(SyncChange.seq))
        .where(
            SyncChange.entity == entity,
            SyncChange.entity_id.in_(ids),
            SyncChange.op != "leave",
        )
        .group_by(SyncChange.entity_id)
    )
    found = session.execute(
        select(SyncChange.entity_id, SyncChange.rep_id, SyncChange.territory_id).where(
            SyncChange.seq.in_(latest)
        )
    )
    return {int(e): (rep, territory) for e, rep, territory in found}


def _previous(
    account: Audience, extra: dict[str, Any], before: dict[int, tuple[Any, Any]]
) -> tuple[Any, Any]:
    """(owner, territory) the account's audience had before this transaction."""
    if account.id in before:
        return before[account.id]
    # First change row for this account: the service's word on the previous owner.
    return (
        extra.get("previous_owner_id", account.owner_id),
        extra.get("previous_territory_id", account.territory_id),
    )


def _account_rows(
    account: Audience,
    previous: tuple[Any, Any],
    history: dict[int, list[str]],
    due_reps: set[int],
) -> list[dict]:
    account_id = account.id
    old_rep, old_territory = previous
    rows: list[dict] = []
    if old_rep is not None and old_rep != account.owner_id:
        rows.append(_row("account", account_id, "leave", rep_id=old_rep))
        due_reps.add(old_rep)
        # The new owner needs the account's history even though it is older than their cursor.
        rows += [
            _row("touch", t, "put", rep_id=account.owner_id) for t in history.get(account_id, ())
        ]
    if old_territory is not None and old_territory != account.territory_id:
        rows.append(_row("account", account_id, "leave", territory_id=old_territory))
    op = "delete" if account.deleted_at is not None else "put"
    rows.append(_row("account", account_id, op, account.owner_id, account.territory_id))
    if account.owner_id is not None:
        due_reps.add(account.owner_id)
    return rows


_CHUNK = 500  # ids per IN (...) list


def _close_ownerships(
    session: Session, accounts: dict[int, Audience], previous: dict[int, tuple[Any, Any]]
) -> dict[int, list[str]]:
    """Remember that each previous owner owned their account until now (offline touches rely
    on it), and return the touch ids of the accounts a new live owner must receive.

    In bulk: a departure or a realignment moves thousands of accounts in one transaction.
    """
    moved = {
        account_id: old_rep
        for account_id, (old_rep, _) in previous.items()
        if old_rep is not None and old_rep != accounts[account_id].owner_id
    }
    if not moved:
        return {}
    ids = sorted(moved)
    since: dict[int, datetime] = {}
    history: dict[int, list[str]] = {}
    receivers = [
        i for i in ids if accounts[i].owner_id is not None and accounts[i].deleted_at is None
    ]
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        since.update(
            session.execute(
                select(AccountOwnerHistory.account_id, func.max(AccountOwnerHistory.to_at))
                .where(AccountOwnerHistory.account_id.in_(chunk))
                .group_by(AccountOwnerHistory.account_id)
            ).all()
        )
    for start in range(0, len(receivers), _CHUNK):
        chunk = receivers[start : start + _CHUNK]
        for touch_id, account_id in session.execute(
            select(Touch.id, Touch.account_id).where(Touch.account_id.in_(chunk))
        ):
            history.setdefault(account_id, []).append(touch_id)
    now = utcnow()
    session.execute(
        AccountOwnerHistory.__table__.insert(),
        [
            {
                "account_id": i,
                "rep_id": moved[i],
                "from_at": since.get(i) or accounts[i].created_at,
                "to_at": now,
            }
            for i in ids
        ],
    )
    return history


def _touch_rows(
    touch_id: str, touch: dict[str, Any], account: Audience | None, due_reps: set[int]
) -> list[dict]:
    rep_id = touch["rep_id"]
    territory = account.territory_id if account is not None else None
    rows = [_row("touch", touch_id, "put", rep_id, territory)]
    owner = account.owner_id if account is not None else None
    if owner is not None and owner != rep_id:
        rows.append(_row("touch", touch_id, "put", rep_id=owner))
    if owner is not None:
        due_reps.add(owner)
    return rows
