"""Changes to a stored route: stop status updates and reordering (API and sync share these)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from backend.core import changes
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.routes.models import RoutePlan
from backend.users.models import User
from backend.users.scope import rep_scope
from sync.constants import STOP_STATUSES


def get_route(actor: User, route_id: int) -> RoutePlan:
    """A route of a rep in the actor's scope, or NotFound."""
    route = db.session.get(RoutePlan, route_id)
    if (
        route is None
        or db.session.scalar(select(User.id).where(User.id == route.rep_id, rep_scope(actor)))
        is None
    ):
        raise NotFound(f"Route {route_id} not found.")
    return route


def update_stop(
    actor: User,
    route: RoutePlan,
    account_id: int,
    status: str,
    at: datetime | None = None,
    skip_reason: str | None = None,
) -> RoutePlan:
    """Mark a stop arrived, done, skipped (with a reason) or planned again."""
    if status not in STOP_STATUSES:
        raise Invalid("Bad status.", {"status": [f"Use one of {', '.join(STOP_STATUSES)}."]})
    if status == "skipped" and not (skip_reason or "").strip():
        raise Invalid("Say why.", {"skip_reason": ["A skipped stop needs a reason."]})
    stops = [dict(s) for s in route.stops]
    for stop in stops:
        if stop["account_id"] == account_id:
            stop["status"] = status
            stamp = at.isoformat() if at else None
            if status == "arrived":
                stop["arrived_at"] = stamp
            elif status == "done":
                stop["done_at"] = stamp
                stop.setdefault("arrived_at", stamp)
            stop["skip_reason"] = skip_reason if status == "skipped" else None
            break
    else:
        raise Invalid(
            "Not on this route.", {"account_id": [f"Account {account_id} is not a stop."]}
        )
    route.stops = stops
    if any(s["status"] in ("arrived", "done") for s in stops):
        route.status = "in_progress"
    if all(s["status"] in ("done", "skipped") for s in stops):
        route.status = "done"
    route.version += 1
    db.session.flush()
    changes.record("route", route.id, rep_id=route.rep_id)
    return route


def reorder(actor: User, route: RoutePlan, order: list[int], base_version: int | None) -> RoutePlan:
    """Put the stops in the rep's own order (times are re-estimated on the next plan)."""
    if base_version is not None and base_version != route.version:
        raise Conflict(
            "The route changed since you loaded it.", extra={"server_version": route.version}
        )
    by_id = {s["account_id"]: s for s in route.stops}
    if sorted(order) != sorted(by_id):
        raise Invalid(
            "Order must list every stop once.", {"order": ["Must be a permutation of the stops."]}
        )
    route.stops = [dict(by_id[a], seq=i + 1) for i, a in enumerate(order)]
    route.version += 1
    db.session.flush()
    changes.record("route", route.id, rep_id=route.rep_id)
    return route
