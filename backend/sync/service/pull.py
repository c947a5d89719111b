"""Pull: a page of the change log in the caller's scope, with current rows and the due list.

Paging and cursor rules are the sync library's (pull_start, build_pull_response); this module
reads ``sync_changes`` through the audience indexes and turns each row into what the client
stores: ``put`` with the row as the REST API shows it, ``delete`` (tombstone) or ``leave``.

Due status is derived, not stored: a ``due`` change row (written whenever a touch, an account or
the plan may have changed a rep's due list) makes the page end with the rep's due list for today
in their time zone: a ``put`` per item (id ``"<account_id>:<touch_type>"``, the data of
``GET /api/cadence/due``) and a ``delete`` for every other pair the plan could make due. A pull from
an empty cursor always ends with it. The day rolling over changes no row: the client refreshes
the list itself then (the PWA's prefetch reads ``GET /api/cadence/due``).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import cache
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, Select, and_, bindparam, func, or_, select, true

import sync
from backend.accounts.models import Account
from backend.accounts.schemas import AccountSchema
from backend.cadence import service as cadence
from backend.cadence.schemas import PlanSchema
from backend.core.extensions import db
from backend.pipeline.models import Opportunity
from backend.pipeline.schemas import OpportunitySchema
from backend.routes.models import RoutePlan
from backend.sync.models import SyncChange, SyncState
from backend.touches.models import Touch
from backend.users.models import User
from backend.users.scope import managed_territory_ids
from sync import Change, Entity, Op

_accounts = AccountSchema()
_plan = PlanSchema()
_opportunities = OpportunitySchema()
# Routes a rep's phone keeps: this week and the next seven days.
ROUTE_DAYS_AHEAD = 7


def account_in_scope(user: User, account: Account, managed: set[int]) -> bool:
    """The object-level rule of ``scope.account_scope``, for a row already loaded."""
    if user.role == "admin":
        return True
    if user.role == "manager":
        return account.territory_id in managed
    return account.owner_id == user.id


def route_json(route: RoutePlan) -> dict[str, Any]:
    """A route as docs/api-contract.md shows it."""

    def point(lat: float | None, lon: float | None) -> dict | None:
        return None if lat is None else {"lat": lat, "lon": lon}

    has_break = route.break_start is not None
    return {
        "id": route.id,
        "rep_id": route.rep_id,
        "date": route.date.isoformat(),
        "version": route.version,
        "status": route.status,
        "start": point(route.start_lat, route.start_lon),
        "end": point(route.end_lat, route.end_lon),
        "stops": list(route.stops or []),
        "break": {"start": route.break_start, "end": route.break_end} if has_break else None,
        "legs": list(route.legs or []),
        "dropped": list(route.dropped or []),
        "value": route.value,
        "travel_seconds": route.travel_seconds,
        "distance_m": route.distance_m,
        "solver": route.solver,
        "notes": list(route.notes or []),
        "updated_at": route.updated_at.isoformat() if route.updated_at else None,
    }


def touch_json(touch: Touch) -> dict[str, Any]:
    """``TouchSchema().dump(touch)`` without marshmallow's per-field work: a pull page carries a
    touch per push of the rep's, so this runs often (a test holds the two shapes equal)."""
    has_checkin = touch.checkin_lat is not None
    return {
        "id": str(touch.id),
        "account_id": touch.account_id,
        "rep_id": touch.rep_id,
        "type": touch.type,
        "occurred_at": touch.occurred_at.isoformat(),
        "local_date": touch.local_date.isoformat(),
        "outcome": touch.outcome,
        "notes": touch.notes,
        "next_step": touch.next_step,
        "next_step_on": touch.next_step_on.isoformat() if touch.next_step_on else None,
        "follow_up_done": touch.follow_up_done_at is not None,
        "follow_up_done_at": touch.follow_up_done_at.isoformat()
        if touch.follow_up_done_at
        else None,
        "duration_minutes": touch.duration_minutes,
        "checkin": {
            "lat": touch.checkin_lat,
            "lon": touch.checkin_lon,
            "accuracy_m": touch.checkin_accuracy_m,
        }
        if has_checkin
        else None,
        "created_by_id": touch.created_by_id,
        "created_at": touch.created_at.isoformat(),
        "received_at": touch.received_at.isoformat() if touch.received_at else None,
        "flags": list(touch.flags) if touch.flags else None,
    }


# Statements every pull sends are built once (``@cache``): building one and its cache key again
# per request costs about as much as running it.
@cache
def _state_stmt() -> Select:
    return select(
        select(SyncState.epoch).where(SyncState.id == 1).scalar_subquery().label("epoch"),
        select(SyncState.tombstone_horizon_seq)
        .where(SyncState.id == 1)
        .scalar_subquery()
        .label("horizon"),
        select(func.max(SyncChange.seq)).scalar_subquery().label("high"),
    )


@cache
def _state_and_page_stmt(scoped: bool, managed: bool) -> Select:
    """``sync_state``'s row outer-joined to the page after ``from_seq`` (no upper bound: in one
    snapshot no visible row is above the highest visible number): always one row at least."""
    state = _state_stmt().subquery("state")
    page = _page_stmt(scoped, managed).subquery("page")
    return (
        select(
            page.c.seq,
            page.c.entity,
            page.c.entity_id,
            page.c.op,
            state.c.epoch,
            state.c.horizon,
            state.c.high,
        )  # fmt: skip
        .select_from(state.outerjoin(page, true()))
        .order_by(page.c.seq)
    )


@cache
def _changes_stmt(scoped: bool, managed: bool) -> Select:
    """The page after ``from_seq`` up to ``high_seq``, read after the state in its own statement."""
    return _page_stmt(scoped, managed).where(SyncChange.seq <= bindparam("high_seq"))


def _page_stmt(scoped: bool, managed: bool) -> Select:
    """The page's change rows after ``from_seq``; ``scoped``: only the rows for ``user_id`` or
    everyone (and, with ``managed``, the ``territories``)."""
    stmt = (
        select(SyncChange.seq, SyncChange.entity, SyncChange.entity_id, SyncChange.op)
        .where(SyncChange.seq > bindparam("from_seq"))
        .order_by(SyncChange.seq)
        .limit(bindparam("limit", type_=Integer))
    )
    if scoped:
        everyone = and_(SyncChange.rep_id.is_(None), SyncChange.territory_id.is_(None))
        mine = [SyncChange.rep_id == bindparam("user_id"), everyone]
        if managed:
            mine.append(SyncChange.territory_id.in_(bindparam("territories", expanding=True)))
        stmt = stmt.where(or_(*mine))
    return stmt


def today_for(user: User, now: datetime | None = None) -> date:
    """The user's local date."""
    tz = ZoneInfo(user.time_zone or "UTC")
    return (now.astimezone(tz) if now else datetime.now(tz)).date()


def pull(user: User, req: sync.PullRequest, *, now: datetime | None = None) -> sync.PullResponse:
    """One page of changes after ``req.cursor`` for ``user`` (read only)."""
    managed = set(managed_territory_ids(user)) if user.role == "manager" else set()
    scoped = user.role != "admin"
    params: dict[str, Any] = {"limit": req.limit + 1, "user_id": user.id}
    if scoped and managed:
        params["territories"] = sorted(managed)
    variant = (scoped, scoped and bool(managed))
    # The state and the page in one statement, so one snapshot: under the commit-order lock the
    # committed numbers are a prefix, so every row up to the highest visible one is in it. Read
    # from the cursor; when the cursor cannot be trusted (a reset), the page is read again.
    assumed = 0 if req.cursor.is_start else req.cursor.seq
    params["from_seq"] = assumed
    found = db.session.execute(_state_and_page_stmt(*variant), params).all()
    epoch, horizon, high_seq = (found[0].epoch or 1, found[0].horizon or 0, found[0].high or 0)
    high_seq = max(high_seq, horizon)
    start = sync.pull_start(req.cursor, epoch, horizon, high_seq)
    if start.from_seq == assumed:
        rows = [row for row in found if row.seq is not None]
    else:
        # high_seq first: under the commit-order lock, once a number is visible every smaller
        # number that will ever exist is committed too, so rows read afterwards up to it form
        # no gaps.
        params.update(from_seq=start.from_seq, high_seq=high_seq)
        rows = db.session.execute(_changes_stmt(*variant), params).all()
    # The library decides cursor and has_more from the raw rows; what each row becomes (maybe
    # nothing, when it left the caller's scope since) is decided afterwards.
    placeholders = [(seq, Change(Entity.ACCOUNT, Op.LEAVE, 0)) for seq, *_ in rows]
    page = sync.build_pull_response(placeholders, req.limit, epoch, start, high_seq)
    kept = rows[: req.limit]
    changes = _materialise(user, managed, kept, today_for(user, now))
    wants_due = any(r.entity in ("due", "plan") for r in kept) or (
        start.from_seq == 0 and not page.has_more
    )
    if wants_due and user.role == "rep":
        changes += _due_changes(user, today_for(user, now))
    return sync.PullResponse(page.cursor, page.has_more, page.reset, tuple(changes))


def _materialise(user: User, managed: set[int], rows: list[Any], today: date) -> list[Change]:
    """Current rows for the page's changes, in order, one change per entity (the latest)."""
    last: dict[tuple[str, str], Any] = {}
    for row in rows:
        if row.entity in ("account", "touch", "route", "opportunity"):
            last.pop((row.entity, row.entity_id), None)  # keep the latest position
            last[(row.entity, row.entity_id)] = row
        elif row.entity == "plan":
            last.pop(("plan", ""), None)
            last[("plan", "")] = row
    ids: dict[str, list[Any]] = {"account": [], "touch": [], "route": [], "opportunity": []}
    for (entity, entity_id), row in last.items():
        if entity in ids and row.op != "leave":
            ids[entity].append(entity_id)
    loaded_touches = _by_id(Touch, ids["touch"])
    # One read for the page's accounts and those of others' touches (the caller's own touches
    # are theirs whatever the account, so theirs need none).
    account_ids = {int(i) for i in ids["account"]}
    account_ids |= {t.account_id for t in loaded_touches.values() if t.rep_id != user.id}
    loaded_accounts = touch_accounts = _by_id(Account, sorted(account_ids))
    loaded_routes = _by_id(RoutePlan, [int(i) for i in ids["route"]])
    loaded_opps = _by_id(Opportunity, [int(i) for i in ids["opportunity"]])
    monday = today - timedelta(days=today.weekday())
    out: list[Change] = []
    for (entity, entity_id), row in last.items():
        if entity == "plan":
            out.append(_plan_change(today))
        elif row.op == "leave":
            out.append(Change(Entity(entity), Op.LEAVE, _row_id(entity, entity_id)))
        elif entity == "account":
            account = loaded_accounts.get(int(entity_id))
            if account is None or account.deleted_at is not None:
                out.append(Change(Entity.ACCOUNT, Op.DELETE, int(entity_id)))
            elif account_in_scope(user, account, managed):
                out.append(Change(Entity.ACCOUNT, Op.PUT, account.id, _accounts.dump(account)))
        elif entity == "touch":
            touch = loaded_touches.get(entity_id)
            account = touch_accounts.get(touch.account_id) if touch else None
            if touch is None:
                out.append(Change(Entity.TOUCH, Op.DELETE, entity_id))
            elif touch.rep_id == user.id or (
                account is not None
                and account.deleted_at is None
                and account_in_scope(user, account, managed)
            ):
                out.append(Change(Entity.TOUCH, Op.PUT, touch.id, touch_json(touch)))
        elif entity == "opportunity":
            out += _opportunity_change(user, managed, loaded_opps.get(int(entity_id)), entity_id)
        elif entity == "route":
            route = loaded_routes.get(int(entity_id))
            if (
                route is not None
                and route.rep_id == user.id
                and monday <= route.date <= today + timedelta(days=ROUTE_DAYS_AHEAD)
            ):
                out.append(Change(Entity.ROUTE, Op.PUT, route.id, route_json(route)))
    return out


def _opportunity_change(
    user: User, managed: set[int], opp: Opportunity | None, entity_id: str
) -> list[Change]:
    """A deal's put when the caller may see it now, a tombstone when it is gone."""
    if opp is None or opp.deleted_at is not None:
        return [Change(Entity.OPPORTUNITY, Op.DELETE, int(entity_id))]
    if user.role == "admin" or (
        opp.owner_id == user.id if user.role == "rep" else opp.account.territory_id in managed
    ):
        return [Change(Entity.OPPORTUNITY, Op.PUT, opp.id, _opportunities.dump(opp))]
    return []


def _row_id(entity: str, entity_id: str) -> int | str:
    return entity_id if entity == "touch" else int(entity_id)


def _by_id(model: Any, ids: list[Any]) -> dict[Any, Any]:
    if not ids:
        return {}
    return {obj.id: obj for obj in db.session.scalars(by_ids(model), {"ids": ids})}


@cache
def by_ids(model: Any) -> Select:
    """``SELECT model WHERE id IN :ids`` (built once; ``ids`` is an expanding parameter)."""
    return select(model).where(model.id.in_(bindparam("ids", expanding=True)))


def _plan_change(today: date) -> Change:
    """The plan in force today (the client keeps one plan, so every plan change sends it)."""
    view = cadence.plan_view(today)
    return Change(Entity.PLAN, Op.PUT, view["id"] or 0, _plan.dump(view))


def _due_changes(rep: User, today: date) -> list[Change]:
    """The rep's due list for ``today``, complete: a put per item, a delete for every other pair."""
    snapshot = cadence.due_snapshot(rep, today)
    out: list[Change] = []
    current = set()
    for item in snapshot.items:
        key = f"{item.account_id}:{item.touch_type}"
        current.add(key)
        # DueItem.to_json is the shape of GET /api/cadence/due, without marshmallow's cost.
        out.append(Change(Entity.DUE, Op.PUT, key, {**item.to_json(), "id": key}))
    for account_id in snapshot.account_ids:
        for touch_type in snapshot.touch_types:
            key = f"{account_id}:{touch_type}"
            if key not in current:
                out.append(Change(Entity.DUE, Op.DELETE, key))
    return out
