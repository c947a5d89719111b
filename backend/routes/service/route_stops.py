"""Changes to a stored route: stop status updates and reordering (API and sync share these).

The route is one document, so every write is a compare-and-swap on ``version``: a writer whose copy went stale re-reads the route and applies its change again.
A stale change of a DIFFERENT stop is therefore merged; a stale change of the SAME stop (it
changed after the writer's ``base_version`` to something other than the writer's
``base_status``) is a ``Conflict``: 409 over REST, ``conflict`` with the server's route in sync.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from sqlalchemy import select, update

from backend.core import changes
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.routes.models import RoutePlan
from backend.users.models import User
from backend.users.scope import rep_scope
from sync.constants import STOP_STATUSES

# A writer that loses the compare-and-swap this many times in a row gives up with a Conflict.
_ATTEMPTS = 5


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


def find_stop(route: RoutePlan, account_id: Any) -> dict | None:
    """The stop of ``account_id`` on the route, or None."""
    return next((s for s in route.stops if s["account_id"] == account_id), None)


def stop_conflicts(
    stop: dict, status: str, base_version: int | None, base_status: str | None
) -> bool:
    """Did this stop change after the writer's base, to something the writer did not see?

    No base (an older client) never conflicts. Setting the status the stop already has is no
    conflict either: both sides agree.
    """
    if base_version is None or stop.get("status") == status:
        return False
    if int(stop.get("version") or 0) <= base_version:
        return False  # only other stops changed since: merge
    return base_status is None or stop.get("status") != base_status


def _write(route: RoutePlan, change: Callable[[RoutePlan], dict[str, Any]]) -> RoutePlan:
    """Store ``change(route)`` (new column values) with a compare-and-swap on ``version``.

    ``UPDATE ... WHERE version = <read>`` matches no row when another writer committed first;
    the route is then re-read (its committed state) and the change computed again on top of it.
    """
    for _ in range(_ATTEMPTS):
        read = route.version
        values = change(route)
        done = db.session.execute(
            update(RoutePlan)
            .where(RoutePlan.id == route.id, RoutePlan.version == read)
            .values(**values, version=read + 1),
            execution_options={"synchronize_session": False},
        ).rowcount
        db.session.refresh(route)
        if done == 1:
            changes.record("route", route.id, rep_id=route.rep_id)
            return route
    raise Conflict("The route is changing too fast; try again.")


def update_stop(
    actor: User,
    route: RoutePlan,
    account_id: int,
    status: str,
    at: datetime | None = None,
    skip_reason: str | None = None,
    base_version: int | None = None,
    base_status: str | None = None,
) -> RoutePlan:
    """Mark a stop arrived, done, skipped (with a reason) or planned again."""
    if status not in STOP_STATUSES:
        raise Invalid("Bad status.", {"status": [f"Use one of {', '.join(STOP_STATUSES)}."]})
    if status == "skipped" and not (skip_reason or "").strip():
        raise Invalid("Say why.", {"skip_reason": ["A skipped stop needs a reason."]})
    stamp = at.isoformat() if at else None

    def change(route: RoutePlan) -> dict[str, Any]:
        stops = [dict(s) for s in route.stops]
        stop = next((s for s in stops if s["account_id"] == account_id), None)
        if stop is None:
            raise Invalid(
                "Not on this route.", {"account_id": [f"Account {account_id} is not a stop."]}
            )
        if stop_conflicts(stop, status, base_version, base_status):
            raise Conflict(
                "This stop changed since you loaded the route.",
                extra={"server_version": route.version, "stop": stop},
            )
        stop["status"] = status
        if status == "arrived":
            stop["arrived_at"] = stamp
        elif status == "done":
            stop["done_at"] = stamp
            # Straight to done (no check-in first): the visit began no later than it ended.
            if not stop.get("arrived_at"):
                stop["arrived_at"] = stamp
        stop["skip_reason"] = skip_reason if status == "skipped" else None
        stop["version"] = route.version + 1
        state = route.status
        if any(s.get("status") in ("arrived", "done") for s in stops):
            state = "in_progress"
        if all(s.get("status") in ("done", "skipped") for s in stops):
            state = "done"
        return {"stops": stops, "status": state}

    return _write(route, change)


def reorder(actor: User, route: RoutePlan, order: list[int], base_version: int | None) -> RoutePlan:
    """Put the stops in the rep's own order (times are re-estimated on the next plan)."""

    def change(route: RoutePlan) -> dict[str, Any]:
        if base_version is not None and base_version != route.version:
            raise Conflict(
                "The route changed since you loaded it.", extra={"server_version": route.version}
            )
        by_id = {s["account_id"]: s for s in route.stops}
        if sorted(order) != sorted(by_id):
            raise Invalid(
                "Order must list every stop once.",
                {"order": ["Must be a permutation of the stops."]},
            )
        return {"stops": [dict(by_id[a], seq=i + 1) for i, a in enumerate(order)]}

    return _write(route, change)
