"""Push: apply a client's batch exactly once and in order, each mutation isolated from the others.

The rules are the sync library's (plan_batch, decide_*, merge_fields) and the domain services'
(``touches.check_touch``); this module loads what they need once per batch, calls the services
that do the writes, and turns domain errors into per-item answers. The view commits once.

Isolation comes two ways (docs/sync-protocol.md, "Fast path"). A run of consecutive ``touch.log``
mutations is decided in Python against the preloaded rows, then its accepted touches go in with
one bulk INSERT: deciding writes nothing, so a rejected touch has nothing to roll back, and
accepting one changes only what later touches of the run see about its UUID, which the decision
loop tracks. Every other mutation, or a run whose bulk insert meets a concurrent writer, takes
the general path: one savepoint per mutation.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError

import sync
from backend.accounts import service as accounts
from backend.accounts.models import Account
from backend.accounts.schemas import AccountSchema
from backend.core import changes
from backend.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.routes.models import RoutePlan
from backend.routes.service import route_stops
from backend.sync.models import AccountOwnerHistory, SyncClient, SyncMutation
from backend.sync.service.pull import account_in_scope, route_json
from backend.touches import service as touches
from backend.touches.models import Touch
from backend.users.models import User
from backend.users.scope import managed_territory_ids
from sync import Mutation, PushResult, Reason

_account_schema = AccountSchema()


@dataclass
class _Batch:
    """What the mutations of one push refer to, loaded with a handful of queries."""

    actor: User
    managed: set[int]
    accounts: dict[Any, Account] = field(default_factory=dict)
    touch_reps: dict[str, int] = field(default_factory=dict)
    owned: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    routes: dict[Any, RoutePlan] = field(default_factory=dict)

    def account(self, account_id: Any) -> Account | None:
        """A live account, or None (unknown and deleted look the same to the client)."""
        account = self.accounts.get(account_id)
        return account if account is not None and account.deleted_at is None else None

    def in_scope(self, account: Account) -> bool:
        """May the actor edit this account now?"""
        return account_in_scope(self.actor, account, self.managed)

    def owned_at(self, account: Account, at: datetime) -> bool:
        """Did the actor own the account at ``at`` (before a reassignment)?"""
        return any(start <= at <= end for start, end in self.owned.get(account.id, ()))


def push(actor: User, req: sync.PushRequest, *, pause_seconds: float = 0.0) -> sync.PushResponse:
    """Plan and apply a parsed push; store the client's counter and the mutation log (flush only).

    ``pause_seconds`` sleeps after each applied mutation: a test hook that lets a fault-injection
    test kill the server in the middle of a batch.
    """
    client = _lock_client(actor.id, req.client_id, req.schema_version)
    plan = sync.plan_batch(
        client.last_mutation_id,
        req.mutations,
        client_id=req.client_id,
        log=_logged(actor.id, req.mutations),
    )
    batch = _load(actor, plan.to_apply)
    outcomes: list[PushResult] = []
    for is_touch, run in itertools.groupby(
        plan.to_apply, key=lambda m: m.name == sync.MutationName.TOUCH_LOG
    ):
        if is_touch:
            outcomes += _touch_run(batch, list(run), pause_seconds)
        else:
            outcomes += [_apply_one(batch, m, pause_seconds) for m in run]
    response = sync.build_push_response(plan, outcomes)
    client.last_mutation_id = plan.last_mutation_id
    client.schema_version = req.schema_version
    client.last_seen_at = utcnow()
    entries = sync.log_entries(req.client_id, response)
    if entries:
        now = utcnow()
        # RETURNING lets SQLAlchemy send multi-row INSERTs ("insertmanyvalues"), not a row each.
        db.session.execute(
            SyncMutation.__table__.insert().returning(SyncMutation.__table__.c.id),
            [
                {
                    "id": e.id,
                    "user_id": actor.id,
                    "client_id": e.client_id,
                    "mutation_id": e.mutation_id,
                    "status": str(e.status),
                    "outcome": {"reason": e.reason, "fields": list(e.fields or ()) or None},
                    "created_at": now,
                }
                for e in entries
            ],
        )
    db.session.flush()
    return response


def _apply_one(b: _Batch, m: Mutation, pause_seconds: float = 0.0) -> PushResult:
    """The general path: one mutation in its own savepoint; a domain error is its answer."""
    savepoint = db.session.begin_nested()
    try:
        result = _APPLY[m.name](b, m, m.payload)
        savepoint.commit()
    except DomainError as err:
        savepoint.rollback()
        result = _domain_answer(m, err)
    if pause_seconds:
        time.sleep(pause_seconds)
    return result


class _Contended(Exception):
    """Another transaction inserted one of the run's touch UUIDs after we loaded them."""


def _touch_run(b: _Batch, run: list[Mutation], pause_seconds: float) -> list[PushResult]:
    """The fast path: decide a run of touch.log mutations in order, insert the accepted ones at once.

    Equivalent to the general path (same ``check_touch`` on the same rows, in the same order),
    which takes over if the bulk insert fails or loses a race for a UUID: the savepoint around
    the insert is rolled back and each mutation is applied on its own, as before.
    """
    reps_before = dict(b.touch_reps)
    now = datetime.now(UTC)
    outcomes: list[PushResult] = []
    rows: list[dict[str, Any]] = []
    for m in run:
        try:
            values = _decide_touch(b, m.payload, now)
        except DomainError as err:
            outcomes.append(_domain_answer(m, err))
        else:
            outcomes.append(sync.applied(m))
            if values is not None:
                rows.append(values)
        if pause_seconds:
            time.sleep(pause_seconds)
    if not rows:
        return outcomes
    try:
        with db.session.begin_nested():
            _insert_touches(b.actor, rows)
    except (IntegrityError, _Contended):
        b.touch_reps = reps_before
        return [_apply_one(b, m) for m in run]
    return outcomes


def _insert_touches(actor: User, rows: list[dict[str, Any]]) -> None:
    """One multi-row INSERT; a UUID that a concurrent request stored meanwhile is skipped and
    raises _Contended (only the per-mutation path can tell a retry from a reused UUID then)."""
    stmt = (
        _insert_for()(Touch.__table__)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(Touch.__table__.c.id)
    )
    inserted = db.session.execute(stmt, rows).all()
    if len(inserted) != len(rows):
        raise _Contended
    for r in rows:
        changes.record("touch", r["id"], account_id=r["account_id"], rep_id=actor.id)


def _insert_for() -> Callable[..., Any]:
    """The dialect's INSERT, which knows ON CONFLICT (PostgreSQL and SQLite spell it alike)."""
    dialect = db.session.get_bind().dialect.name
    return pg_insert if dialect == "postgresql" else sqlite_insert


def _lock_client(user_id: int, client_id: str, schema_version: int) -> SyncClient:
    """The client's row, created if new, locked until commit so its pushes serialise.

    One upsert: ON CONFLICT DO UPDATE locks the existing row as SELECT ... FOR UPDATE would, and
    a concurrent push of the same client waits on it. On SQLite the insert takes the database's
    write lock first, which serialises just the same (and makes the savepoints below nest inside
    a real transaction).
    """
    now = utcnow()
    stmt = (
        _insert_for()(SyncClient)
        .values(
            user_id=user_id,
            client_id=client_id,
            last_mutation_id=0,
            schema_version=schema_version,
            created_at=now,
            last_seen_at=now,
        )
        .on_conflict_do_update(index_elements=["user_id", "client_id"], set_={"last_seen_at": now})
        .returning(SyncClient)
    )
    return db.session.scalars(stmt, execution_options={"populate_existing": True}).one()


def _logged(user_id: int, mutations: Iterable[Mutation]) -> dict[str, sync.LoggedMutation]:
    """The mutation log's records for the batch's UUIDs (any user: a reused UUID is refused)."""
    ids = list({m.id for m in mutations if m.id})
    if not ids:
        return {}
    rows = db.session.scalars(select(SyncMutation).where(SyncMutation.id.in_(ids)))
    out = {}
    for row in rows:
        # Another user's record never counts as this client's: it can only be a reused UUID.
        client = row.client_id if row.user_id == user_id else f"\x00user:{row.user_id}"
        out[row.id] = sync.LoggedMutation(
            row.id,
            client,
            row.mutation_id,
            sync.Status(row.status),
            (row.outcome or {}).get("reason"),
            tuple((row.outcome or {}).get("fields") or ()) or None,
        )
    return out


def _load(actor: User, mutations: Iterable[Mutation]) -> _Batch:
    """Bulk-load the accounts, touches, ownership history and routes the batch refers to."""
    account_ids: set[Any] = set()
    touch_ids: set[str] = set()
    route_ids: set[Any] = set()
    for m in mutations:
        p = m.payload
        if isinstance(p, sync.TouchLog | sync.AccountUpdate):
            account_ids.add(p.account_id)
        if isinstance(p, sync.TouchLog):
            touch_ids.add(p.id)
        if isinstance(p, sync.StopUpdate | sync.RouteReorder):
            route_ids.add(p.route_id)
    managed = set(managed_territory_ids(actor)) if actor.role == "manager" else set()
    batch = _Batch(actor, managed)
    int_ids = [i for i in account_ids if isinstance(i, int)]
    if int_ids:
        for account in db.session.scalars(select(Account).where(Account.id.in_(int_ids))):
            batch.accounts[account.id] = account
        # Ownership history only decides touches on accounts the actor does not own now (the
        # rare case: a reassignment while the phone was offline), so only those are looked up.
        lost = [a.id for a in batch.accounts.values() if not batch.in_scope(a)]
        history = (
            db.session.scalars(
                select(AccountOwnerHistory).where(
                    AccountOwnerHistory.rep_id == actor.id,
                    AccountOwnerHistory.account_id.in_(lost),
                )
            )
            if lost
            else ()
        )
        for h in history:
            batch.owned.setdefault(h.account_id, []).append((_aware(h.from_at), _aware(h.to_at)))
    if touch_ids:
        rows = db.session.execute(select(Touch.id, Touch.rep_id).where(Touch.id.in_(touch_ids)))
        batch.touch_reps = {tid: rep for tid, rep in rows}
    int_routes = [i for i in route_ids if isinstance(i, int)]
    if int_routes:
        for route in db.session.scalars(select(RoutePlan).where(RoutePlan.id.in_(int_routes))):
            batch.routes[route.id] = route
    return batch


def _aware(value: datetime) -> datetime:
    # SQLite hands back naive datetimes; everything stored is UTC.
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def _decide_touch(b: _Batch, p: sync.TouchLog, now: datetime) -> dict[str, Any] | None:
    """The row to insert for a touch.log, or None when it is the rep's retry; DomainError if not.

    Scope for sync is "owns the account now or owned it when the visit happened", and the age
    limit is lifted: a phone may come back after weeks offline, and its visits are kept.
    """
    account = b.accounts.get(p.account_id)
    in_scope = account is not None and (b.in_scope(account) or b.owned_at(account, p.occurred_at))
    create = touches.check_touch(
        b.actor,
        p.occurred_at,
        existing_rep_id=b.touch_reps.get(p.id),
        account=account,
        in_scope=in_scope,
        allow_backfill=True,
        now=now,
    )
    if not create:
        return None
    b.touch_reps[p.id] = b.actor.id
    checkin = p.checkin
    data = {
        "id": p.id,
        "type": p.type,
        "occurred_at": p.occurred_at,
        "outcome": p.outcome,
        "notes": p.notes,
        "next_step": p.next_step,
        "duration_minutes": p.duration_minutes,
        "checkin": None
        if checkin is None
        else {"lat": checkin.lat, "lon": checkin.lon, "accuracy_m": checkin.accuracy_m},
    }
    return touches.touch_values(b.actor, account.id, data)


def _touch_log(b: _Batch, m: Mutation, p: sync.TouchLog) -> PushResult:
    # The general path for one touch (after a contended bulk insert): same decision, own insert.
    values = _decide_touch(b, p, datetime.now(UTC))
    if values is not None:
        touches.insert_touch(b.actor, values)
    return sync.applied(m)


def _account_update(b: _Batch, m: Mutation, p: sync.AccountUpdate) -> PushResult:
    account = b.account(p.account_id)
    reason = sync.account_update_rejection(
        account is not None, account is not None and b.in_scope(account)
    )
    if reason is not None:
        return sync.rejected(m, reason)
    server = {name: getattr(account, name) for name in sync.EDITABLE_ACCOUNT_FIELDS}
    merge = sync.merge_fields(server, account.version, p.base_version, p.base, p.changes)
    if merge.changes_anything:
        accounts.update_account(b.actor, account.id, dict(merge.writes))
    return merge.result(m, _account_schema.dump(account))


def _stop_update(b: _Batch, m: Mutation, p: sync.StopUpdate) -> PushResult:
    route = b.routes.get(p.route_id)
    if route is None:
        return sync.rejected(m, Reason.NOT_FOUND)
    stop = next((s for s in route.stops if s["account_id"] == p.account_id), None)
    action, reason = sync.decide_stop_update(
        stop["status"] if stop else "", p.status, route.rep_id == b.actor.id, stop is not None
    )
    if action is sync.StopAction.REJECT:
        return sync.rejected(m, reason or Reason.INVALID)
    if action is sync.StopAction.APPLY:
        route_stops.update_stop(b.actor, route, p.account_id, p.status, p.at, p.skip_reason)
    return sync.applied(m)


def _route_reorder(b: _Batch, m: Mutation, p: sync.RouteReorder) -> PushResult:
    route = b.routes.get(p.route_id)
    if route is None:
        return sync.rejected(m, Reason.NOT_FOUND)
    current = [s["account_id"] for s in route.stops]
    action, reason = sync.decide_route_reorder(
        p, route.rep_id == b.actor.id, route.version, current
    )
    if action is sync.ReorderAction.REJECT:
        errors = {"args.order": ["Must list every stop of the route once."]}
        return sync.rejected(
            m, reason or Reason.INVALID, errors if reason is Reason.INVALID else None
        )
    if action is sync.ReorderAction.CONFLICT:
        return sync.conflict(m, route_json(route), ["order"])
    if action is sync.ReorderAction.APPLY:
        route_stops.reorder(b.actor, route, list(p.order), p.base_version)
    return sync.applied(m)


_APPLY: dict[str, Callable[[_Batch, Mutation, Any], PushResult]] = {
    sync.MutationName.TOUCH_LOG: _touch_log,
    sync.MutationName.ACCOUNT_UPDATE: _account_update,
    sync.MutationName.STOP_UPDATE: _stop_update,
    sync.MutationName.ROUTE_REORDER: _route_reorder,
}


def _domain_answer(m: Mutation, err: DomainError) -> PushResult:
    """A domain rule said no: a permanent, per-item answer (never a 500, never a retry loop)."""
    if isinstance(err, Invalid):
        prefix = "args.changes." if m.name == sync.MutationName.ACCOUNT_UPDATE else "args."
        errors = {f"{prefix}{k}": list(v) for k, v in (err.errors or {}).items()}
        return sync.rejected(m, Reason.INVALID, errors or {"args": [err.message]})
    if isinstance(err, Conflict) and m.name == sync.MutationName.TOUCH_LOG:
        return sync.rejected(m, Reason.ID_REUSED, {"args.id": ["Already used; pick a new UUID."]})
    if isinstance(err, NotFound):
        return sync.rejected(m, Reason.NOT_FOUND)
    if isinstance(err, Forbidden | Conflict):
        # Conflict here means the row moved under us between load and write (another request
        # committed first); the client's next pull shows the server row.
        return sync.rejected(
            m, Reason.NOT_IN_SCOPE if isinstance(err, Forbidden) else Reason.INVALID
        )
    raise err
