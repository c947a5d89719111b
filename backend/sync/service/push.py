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
import logging
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from functools import cache
from typing import Any

from sqlalchemy import Insert, Select, Update, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import DataError, IntegrityError, StatementError
from sqlalchemy.orm.attributes import set_committed_value

import sync
from backend.accounts.models import Account
from backend.core import changes
from backend.core.errors import DomainError
from backend.core.extensions import db
from backend.core.models import UTCDateTime, utcnow
from backend.routes.models import RoutePlan
from backend.sync.models import AccountOwnerHistory, SyncClient, SyncMutation
from backend.sync.service.mutators import (
    APPLY,
    Batch,
    decide_touch,
    domain_answer,
    load_opportunities,
)
from backend.sync.service.pull import by_ids
from backend.touches.models import Touch
from backend.touches.service import TouchRules
from backend.users.models import User
from backend.users.scope import managed_territory_ids
from sync import Mutation, PushResult, Reason

log = logging.getLogger(__name__)

# A database refusing one mutation's values (out of range, unstorable text) is that mutation's
# problem, not the batch's: it is answered rejected/invalid in its savepoint. Connection and
# lock errors (OperationalError) stay transient: a 5xx, and the client retries.
_BAD_VALUE = (DataError, IntegrityError, ValueError, OverflowError)


def push(
    actor: User, req: sync.PushRequest, *, touch_rules: TouchRules = TouchRules()
) -> sync.PushResponse:
    """Plan and apply a parsed push; store the client's counter and the mutation log (flush only).

    ``touch_rules`` are the server's clock limits for ``touch.log``. A rejected mutation's log record keeps its name, args and errors, so what the server could
    not accept is never lost: ``rejected_mutations`` lists it for the app to show.
    """
    client = _lock_client(actor.id, req.client_id, req.schema_version)
    plan = sync.plan_batch(
        client.last_mutation_id,
        req.mutations,
        client_id=req.client_id,
        log=_logged(actor.id, req.mutations),
    )
    batch = _load(actor, plan.to_apply)
    batch.touch_rules = touch_rules
    outcomes: list[PushResult] = []
    for is_touch, run in itertools.groupby(
        plan.to_apply, key=lambda m: m.name == sync.MutationName.TOUCH_LOG
    ):
        if is_touch:
            outcomes += _touch_run(batch, list(run))
        else:
            outcomes += [_apply_one(batch, m) for m in run]
    response = sync.build_push_response(plan, outcomes)
    _store_client(client, plan.last_mutation_id, req.schema_version)
    entries = sync.log_entries(req.client_id, response)
    sent = {m.id: m for m in req.mutations}
    answers = {r.id: r for r in response.results}
    if entries:
        now = utcnow()
        db.session.execute(
            _mutations_insert(),
            [
                {
                    "id": e.id,
                    "user_id": actor.id,
                    "client_id": e.client_id,
                    "mutation_id": e.mutation_id,
                    "status": str(e.status),
                    "outcome": _outcome(e, sent.get(e.id), answers.get(e.id)),
                    "created_at": now,
                }
                for e in entries
            ],
        )
    db.session.flush()
    return response


def _outcome(e: sync.LoggedMutation, m: Mutation | None, r: PushResult | None) -> dict[str, Any]:
    """The log record's JSON: the answer, plus the content of a rejected mutation."""
    out: dict[str, Any] = {"reason": e.reason, "fields": list(e.fields or ()) or None}
    if e.status is sync.Status.REJECTED and m is not None:
        out["name"] = _storable(m.name)
        out["args"] = _storable(dict(m.args))
        out["errors"] = _storable(dict(r.errors)) if r is not None and r.errors else None
    return out


def _storable(value: Any) -> Any:
    """``value`` with text no database takes (NUL, lone surrogates) escaped, kept readable."""
    if isinstance(value, str):
        if sync.unstorable_text(value) is None:
            return value
        escaped = value.encode("utf-8", "backslashreplace").decode("utf-8")
        return escaped.replace("\x00", "\\u0000")
    if isinstance(value, dict):
        return {_storable(str(k)): _storable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_storable(v) for v in value]
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) > sync.INT8_MAX:
        return str(value)
    return value


def _apply_one(b: Batch, m: Mutation) -> PushResult:
    """The general path: one mutation in its own savepoint; a domain error is its answer."""
    savepoint = db.session.begin_nested()
    try:
        result = APPLY[m.name](b, m, m.payload)
        savepoint.commit()
    except DomainError as err:
        savepoint.rollback()
        result = domain_answer(m, err)
    except _BAD_VALUE as err:
        savepoint.rollback()
        result = _bad_value(m, err)
    return result


def _bad_value(m: Mutation, err: Exception) -> PushResult:
    """The safety net: a value the database refused rejects this mutation alone."""
    if isinstance(err, StatementError):
        err = err.orig or err
    log.warning("sync: mutation %s rejected by the database: %s", m.id, type(err).__name__)
    return sync.rejected(m, Reason.INVALID, {"args": ["A value cannot be stored."]})


class _Contended(Exception):
    """Another transaction inserted one of the run's touch UUIDs after we loaded them."""


def _touch_run(b: Batch, run: list[Mutation]) -> list[PushResult]:
    """The fast path: decide a run of touch.log mutations in order, insert the accepted ones at once.

    Equivalent to the general path (same ``check_touch`` on the same rows, in the same order),
    which takes over if the bulk insert fails or loses a race for a UUID: the savepoint around
    the insert is rolled back and each mutation is applied on its own, as before.

    The run is first decided without looking its UUIDs up in ``touches``: new UUIDs are the
    rule, and the INSERT's ON CONFLICT tells if one was stored already (then the general path
    decides with the stored rows). A rejection is decided again with them, because a stored
    UUID is answered before scope (a retry of an applied touch stays applied).
    """
    now = datetime.now(UTC)
    reps_before = dict(b.touch_reps)
    outcomes, rows, refused = _decide_run(b, run, now)
    if refused:
        b.touch_reps = reps_before
        _load_touch_reps(b, run)
        reps_before = dict(b.touch_reps)
        outcomes, rows, _ = _decide_run(b, run, now)
    if not rows:
        return outcomes
    try:
        with db.session.begin_nested():
            _insert_touches(b.actor, rows)
    except (*_BAD_VALUE, _Contended):
        b.touch_reps = reps_before
        _load_touch_reps(b, run)
        return [_apply_one(b, m) for m in run]
    return outcomes


def _decide_run(
    b: Batch, run: list[Mutation], now: datetime
) -> tuple[list[PushResult], list[dict[str, Any]], bool]:
    """Each mutation's answer, the rows to insert, and whether any was refused."""
    outcomes: list[PushResult] = []
    rows: list[dict[str, Any]] = []
    refused = False
    for m in run:
        try:
            values = decide_touch(b, m.payload, now)
        except DomainError as err:
            outcomes.append(domain_answer(m, err))
            refused = True
        except _BAD_VALUE as err:
            outcomes.append(_bad_value(m, err))
            refused = True
        else:
            outcomes.append(sync.applied(m))
            if values is not None:
                rows.append(values)
    return outcomes, rows, refused


def _load_touch_reps(b: Batch, run: list[Mutation]) -> None:
    """Who stored each of the run's touch UUIDs, where one is stored (this transaction included)."""
    ids = {m.payload.id for m in run} - b.touch_reps.keys()
    if ids:
        found = db.session.execute(select(Touch.id, Touch.rep_id).where(Touch.id.in_(ids)))
        b.touch_reps.update({tid: rep for tid, rep in found})


def _insert_touches(actor: User, rows: list[dict[str, Any]]) -> None:
    """One multi-row INSERT; a UUID that a concurrent request stored meanwhile is skipped and
    raises _Contended (only the per-mutation path can tell a retry from a reused UUID then)."""
    inserted = db.session.execute(_touches_insert(_dialect()), rows).all()
    if len(inserted) != len(rows):
        raise _Contended
    for r in rows:
        changes.record("touch", r["id"], account_id=r["account_id"], rep_id=actor.id)


def _dialect() -> str:
    return db.session.get_bind().dialect.name


def _insert_for(dialect: str) -> Callable[..., Any]:
    """The dialect's INSERT, which knows ON CONFLICT (PostgreSQL and SQLite spell it alike)."""
    return pg_insert if dialect == "postgresql" else sqlite_insert


# The statements of every push are built once per dialect (``@cache``): building one and its
# cache key again per request cost about as much as running it.
@cache
def _touches_insert(dialect: str) -> Insert:
    return (
        _insert_for(dialect)(Touch.__table__)
        .on_conflict_do_nothing(index_elements=["id"])
        .returning(Touch.__table__.c.id)
    )


@cache
def _client_upsert(dialect: str) -> Insert:
    """Insert the client's row or touch its ``last_seen_at``; the row comes back either way."""
    now = bindparam("now", type_=UTCDateTime())
    return (
        _insert_for(dialect)(SyncClient)
        .values(
            user_id=bindparam("uid"),
            client_id=bindparam("cid"),
            last_mutation_id=0,
            schema_version=bindparam("version"),
            created_at=now,
            last_seen_at=now,
        )
        .on_conflict_do_update(index_elements=["user_id", "client_id"], set_={"last_seen_at": now})
        .returning(SyncClient)
    )


@cache
def _logged_stmt() -> Select:
    return select(SyncMutation).where(SyncMutation.id.in_(bindparam("ids", expanding=True)))


@cache
def _mutations_insert() -> Insert:
    # RETURNING lets SQLAlchemy send multi-row INSERTs ("insertmanyvalues"), not a row each.
    return SyncMutation.__table__.insert().returning(SyncMutation.__table__.c.id)


def _lock_client(user_id: int, client_id: str, schema_version: int) -> SyncClient:
    """The client's row, created if new, locked until commit so its pushes serialise.

    One upsert: ON CONFLICT DO UPDATE locks the existing row as SELECT ... FOR UPDATE would, and
    a concurrent push of the same client waits on it. On SQLite the insert takes the database's
    write lock first, which serialises just the same (and makes the savepoints below nest inside
    a real transaction).
    """
    params = {"uid": user_id, "cid": client_id, "version": schema_version, "now": utcnow()}
    return db.session.scalars(
        _client_upsert(_dialect()), params, execution_options={"populate_existing": True}
    ).one()


def _store_client(client: SyncClient, last_mutation_id: int, schema_version: int) -> None:
    """The client's new counter, in one Core UPDATE (the unit of work's flush of one row costs
    more than the statement); the loaded row is told, as a flush would leave it."""
    values = {
        "last_mutation_id": last_mutation_id,
        "schema_version": schema_version,
        "last_seen_at": utcnow(),
    }
    db.session.execute(_client_update(), {"client_pk": client.id, **values})
    for name, value in values.items():
        set_committed_value(client, name, value)


@cache
def _client_update() -> Update:
    table = SyncClient.__table__
    return table.update().where(table.c.id == bindparam("client_pk"))


def _logged(user_id: int, mutations: Iterable[Mutation]) -> dict[str, sync.LoggedMutation]:
    """The mutation log's records for the batch's UUIDs (any user: a reused UUID is refused)."""
    ids = list({m.id for m in mutations if m.id})
    if not ids:
        return {}
    rows = db.session.scalars(_logged_stmt(), {"ids": ids})
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


def _load(actor: User, mutations: Iterable[Mutation]) -> Batch:
    """Bulk-load the accounts, ownership history, routes and deals the batch refers to (touch
    UUIDs are looked up only when a run needs it, ``_touch_run``)."""
    account_ids: set[Any] = set()
    route_ids: set[Any] = set()
    opportunity_ids: set[Any] = set()
    for m in mutations:
        p = m.payload
        if isinstance(p, sync.TouchLog | sync.AccountUpdate | sync.OpportunityCreate):
            account_ids.add(p.account_id)
        if isinstance(p, sync.StopUpdate | sync.RouteReorder):
            route_ids.add(p.route_id)
        if isinstance(p, sync.OpportunityUpdate):
            opportunity_ids.add(p.opportunity_id)
        if isinstance(p, sync.OpportunityCreate):
            opportunity_ids.add(p.id)
    managed = set(managed_territory_ids(actor)) if actor.role == "manager" else set()
    batch = Batch(actor, managed)
    int_ids = [i for i in account_ids if isinstance(i, int)]
    if int_ids:
        for account in db.session.scalars(by_ids(Account), {"ids": int_ids}):
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
            batch.owned.setdefault(h.account_id, []).append((h.from_at, h.to_at))
    int_routes = [i for i in route_ids if isinstance(i, int)]
    if int_routes:
        for route in db.session.scalars(select(RoutePlan).where(RoutePlan.id.in_(int_routes))):
            batch.routes[route.id] = route
    load_opportunities(batch, opportunity_ids)
    return batch
