"""What each mutation does on the server: decide a touch, apply an edit, answer a domain error.

``push`` loads a ``Batch`` once per request and calls these per mutation (docs/sync-protocol.md).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

import sync
from backend.accounts import service as accounts
from backend.accounts.models import Account
from backend.accounts.schemas import AccountSchema
from backend.core.errors import Conflict, DomainError, Forbidden, Invalid, NotFound
from backend.core.extensions import db
from backend.pipeline.models import Opportunity, StageChange
from backend.pipeline.schemas import OpportunitySchema
from backend.pipeline.service import opportunities
from backend.routes.models import RoutePlan
from backend.routes.service import route_stops
from backend.sync.service.pull import account_in_scope, route_json, touch_json
from backend.touches import service as touches
from backend.touches.models import Touch
from backend.users.models import User
from sync import Mutation, PushResult, Reason, Status

_account_schema = AccountSchema()
_opportunity_schema = OpportunitySchema()


@dataclass
class Batch:
    """What the mutations of one push refer to, loaded with a handful of queries."""

    actor: User
    managed: set[int]
    accounts: dict[Any, Account] = field(default_factory=dict)
    touch_reps: dict[str, int] = field(default_factory=dict)
    owned: dict[int, list[tuple[datetime, datetime]]] = field(default_factory=dict)
    routes: dict[Any, RoutePlan] = field(default_factory=dict)
    touch_rules: touches.TouchRules = touches.TouchRules()
    # Deals by server id and, for those a phone created, by their client UUID too.
    opportunities: dict[Any, Opportunity] = field(default_factory=dict)
    # Who created each deal the batch's ``opportunity.create`` UUIDs already name.
    creators: dict[str, int | None] = field(default_factory=dict)

    def account(self, account_id: Any) -> Account | None:
        """A live account, or None (unknown and deleted look the same to the client)."""
        account = self.accounts.get(account_id)
        return account if account is not None and account.deleted_at is None else None

    def in_scope(self, account: Account) -> bool:
        """May the actor edit this account now?"""
        return account_in_scope(self.actor, account, self.managed)

    def opportunity_in_scope(self, opp: Opportunity) -> bool:
        """May the actor edit this deal now? (``pipeline.service.scope``, for a loaded row.)"""
        if self.actor.role == "admin":
            return True
        if self.actor.role == "manager":
            return opp.account.territory_id in self.managed
        return opp.owner_id == self.actor.id

    def owned_before(self, account: Account) -> bool:
        """Did the actor own the account at some time (it moved away while they were offline)?"""
        return bool(self.owned.get(account.id))

    def owned_at(self, account: Account, at: datetime) -> bool:
        """Did the actor own the account at ``at`` (before a reassignment)?"""
        return any(start <= at <= end for start, end in self.owned.get(account.id, ()))


def decide_touch(b: Batch, p: sync.TouchLog, now: datetime) -> dict[str, Any] | None:
    """The row to insert for a touch.log, or None when it is the rep's retry; DomainError if not.

    Scope for sync is "owns the account now, or owned it before" (a visit logged offline after
    a reassignment or before a deletion is kept and flagged, docs/sync-protocol.md), and the
    device's clock never gets a visit refused: ``touches.touch_time`` clamps or flags it.
    """
    account = b.accounts.get(p.account_id)
    in_scope = account is not None and (b.in_scope(account) or b.owned_at(account, p.occurred_at))
    flags = touches.check_touch(
        b.actor,
        p.occurred_at,
        existing_rep_id=b.touch_reps.get(p.id),
        account=account,
        in_scope=in_scope,
        owned_before=account is not None and b.owned_before(account),
        check_time=False,
    )
    if flags is None:
        return None
    when = touches.touch_time(p.occurred_at, now, b.touch_rules)
    b.touch_reps[p.id] = b.actor.id
    checkin = p.checkin
    data = {
        "id": p.id,
        "type": p.type,
        "occurred_at": when.occurred_at,
        "period_at": when.period_at,
        "received_at": now,
        "flags": (*flags, *when.flags),
        "outcome": p.outcome,
        "notes": p.notes,
        "next_step": p.next_step,
        "next_step_on": p.next_step_on,
        "duration_minutes": p.duration_minutes,
        "checkin": None
        if checkin is None
        else {"lat": checkin.lat, "lon": checkin.lon, "accuracy_m": checkin.accuracy_m},
    }
    return touches.touch_values(b.actor, account.id, data)


def _touch_log(b: Batch, m: Mutation, p: sync.TouchLog) -> PushResult:
    # The general path for one touch (after a contended bulk insert): same decision, own insert.
    values = decide_touch(b, p, datetime.now(UTC))
    if values is not None:
        touches.insert_touch(b.actor, values)
    return sync.applied(m)


def _account_update(b: Batch, m: Mutation, p: sync.AccountUpdate) -> PushResult:
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


def _opportunity_update(b: Batch, m: Mutation, p: sync.OpportunityUpdate) -> PushResult:
    """A field-level merge of the rep's edit of their deal, exactly like ``account.update``.

    A deal outside the actor's scope answers not_found (whose deal it is stays private).
    """
    opp = b.opportunities.get(p.opportunity_id)
    if opp is None or opp.deleted_at is not None or not b.opportunity_in_scope(opp):
        return sync.rejected(m, Reason.NOT_FOUND)
    editable = sync.EDITABLE_OPPORTUNITY_FIELDS
    server = {name: getattr(opp, name) for name in editable}
    merge = sync.merge_fields(server, opp.version, p.base_version, p.base, p.changes, editable)
    if merge.changes_anything:
        opportunities.apply_changes(b.actor, opp, dict(merge.writes))
    return merge.result(m, _opportunity_schema.dump(opp))


def _opportunity_create(b: Batch, m: Mutation, p: sync.OpportunityCreate) -> PushResult:
    """A deal the rep started offline, created once however often the phone sends it.

    The client's UUID names the deal: a retry (a new mutation_id after the answer was lost, or
    a second device) finds it and answers applied without writing; a UUID another user created
    a deal with is refused ``id_reused``. A rep creates deals only on accounts they own.
    """
    if p.id in b.creators:
        return _created_before(b, m, p.id)
    account = b.account(p.account_id)
    reason = sync.account_update_rejection(
        account is not None, account is not None and b.in_scope(account)
    )
    if reason is not None:
        return sync.rejected(m, reason)
    data = {
        "client_id": p.id,
        "account_id": account.id,
        "name": p.name,
        "stage": p.stage,
        "amount": p.amount,
        "lost_reason": p.lost_reason,
    }
    if p.currency is not None:
        data["currency"] = p.currency
    try:
        with db.session.begin_nested():
            opp = opportunities.create_opportunity(b.actor, data)
    except IntegrityError:
        # A concurrent push (the rep's other device) stored this UUID first: the same deal.
        _load_created(b, [p.id])
        if p.id not in b.creators:
            raise
        return _created_before(b, m, p.id)
    b.creators[p.id] = b.actor.id
    b.opportunities[opp.id] = b.opportunities[p.id] = opp
    return _with_row(m, opp)


def _created_before(b: Batch, m: Mutation, client_id: str) -> PushResult:
    if b.creators[client_id] != b.actor.id:
        return sync.rejected(m, Reason.ID_REUSED, {"args.id": ["Already used; pick a new UUID."]})
    opp = b.opportunities[client_id]
    visible = opp.deleted_at is None and b.opportunity_in_scope(opp)
    return _with_row(m, opp) if visible else sync.applied(m)


def _with_row(m: Mutation, opp: Opportunity) -> PushResult:
    """applied, with the stored deal (its server id and version) for the phone's copy."""
    return PushResult(m.id, m.mutation_id, Status.APPLIED, server=_opportunity_schema.dump(opp))


def load_opportunities(b: Batch, ids: set[Any]) -> None:
    """Put the deals named by server id or by client UUID (a deal created offline) in ``b``."""
    int_ids = [i for i in ids if isinstance(i, int)]
    uuids = [i for i in ids if isinstance(i, str)]
    if int_ids:
        for opp in db.session.scalars(select(Opportunity).where(Opportunity.id.in_(int_ids))):
            b.opportunities[opp.id] = opp
    if uuids:
        _load_created(b, uuids)


def _load_created(b: Batch, client_ids: list[str]) -> None:
    """Deals created from these client UUIDs, with who created them (the first stage row)."""
    rows = db.session.execute(
        select(Opportunity, StageChange.actor_id)
        .outerjoin(
            StageChange,
            (StageChange.opportunity_id == Opportunity.id) & StageChange.from_stage.is_(None),
        )
        .where(Opportunity.client_id.in_(client_ids))
    )
    for opp, creator in rows:
        b.opportunities[opp.id] = b.opportunities[opp.client_id] = opp
        b.creators[opp.client_id] = creator


def _stop_update(b: Batch, m: Mutation, p: sync.StopUpdate) -> PushResult:
    route = b.routes.get(p.route_id)
    if route is None:
        return sync.rejected(m, Reason.NOT_FOUND)
    stop = route_stops.find_stop(route, p.account_id)
    owned = route.rep_id == b.actor.id
    # The same stop changed on both sides: a conflict the rep sees, before any transition rule
    # (a stop finished over REST must not turn a phone's "skipped" into a silent rejection).
    if owned and stop and route_stops.stop_conflicts(stop, p.status, p.base_version, p.base_status):
        return sync.conflict(m, route_json(route), ["status"])
    action, reason = sync.decide_stop_update(
        stop["status"] if stop else "", p.status, owned, stop is not None
    )
    if action is sync.StopAction.REJECT:
        return sync.rejected(m, reason or Reason.INVALID)
    if action is sync.StopAction.APPLY:
        try:
            route_stops.update_stop(
                b.actor,
                route,
                p.account_id,
                p.status,
                p.at,
                p.skip_reason,
                p.base_version,
                p.base_status,
            )
        except Conflict:
            # A concurrent writer changed this very stop between our read and our write.
            return sync.conflict(m, route_json(route), ["status"])
    return sync.applied(m)


def _route_reorder(b: Batch, m: Mutation, p: sync.RouteReorder) -> PushResult:
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
        try:
            route_stops.reorder(b.actor, route, list(p.order), p.base_version)
        except Conflict:
            # Another writer committed a change of the route between our read and our write.
            return sync.conflict(m, route_json(route), ["order"])
    return sync.applied(m)


def _follow_up_update(b: Batch, m: Mutation, p: sync.FollowUpUpdate) -> PushResult:
    """Mark a follow-up done (or open again) or move it to another day, merged field by field.

    Touches carry no version, so the merge compares values: a field the server still holds as
    the device saw it (``base``) is written; one changed since to something else (the other
    device moved it to another day) is a conflict the rep sees. The touch may have been logged
    earlier in the same push (it is read after the batch's touches went in).
    """
    touch = db.session.get(Touch, p.touch_id)
    if touch is None or touch.rep_id != b.actor.id:
        return sync.rejected(m, Reason.NOT_FOUND)
    editable = sync.EDITABLE_FOLLOW_UP_FIELDS
    # Versions that never match: every field is judged by its base value alone.
    merge = sync.merge_fields(touches.follow_up_values(touch), 1, 0, p.base, p.changes, editable)
    if merge.changes_anything:
        touches.update_follow_up(b.actor, touch, dict(merge.writes), p.at or datetime.now(UTC))
    return merge.result(m, touch_json(touch))


APPLY: dict[str, Callable[[Batch, Mutation, Any], PushResult]] = {
    sync.MutationName.TOUCH_LOG: _touch_log,
    sync.MutationName.ACCOUNT_UPDATE: _account_update,
    sync.MutationName.STOP_UPDATE: _stop_update,
    sync.MutationName.ROUTE_REORDER: _route_reorder,
    sync.MutationName.OPPORTUNITY_UPDATE: _opportunity_update,
    sync.MutationName.OPPORTUNITY_CREATE: _opportunity_create,
    sync.MutationName.FOLLOW_UP_UPDATE: _follow_up_update,
}


def domain_answer(m: Mutation, err: DomainError) -> PushResult:
    """A domain rule said no: a permanent, per-item answer (never a 500, never a retry loop)."""
    if isinstance(err, Invalid):
        edits = (sync.MutationName.ACCOUNT_UPDATE, sync.MutationName.OPPORTUNITY_UPDATE)
        prefix = "args.changes." if m.name in edits else "args."
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
