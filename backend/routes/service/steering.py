"""Steering across days: book an appointment onto a route, move a stop to another day.

Both put one account into a stored day route at the position that fits (the cheapest place
where every window still holds), pinned, through ``sequence.set_sequence``; nothing is stored
when no position fits, so a 422 leaves both the appointment book and the routes as they were.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select

from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.routes.models import Appointment, RoutePlan
from backend.routes.service import appointments, planning, sequence
from backend.routes.service.settings import DEFAULT_SETTINGS, PlanningSettings
from backend.users.models import User


def _open(route: RoutePlan) -> list[int]:
    """Account ids of the stops still to visit, in the route's order."""
    stops = sorted(route.stops, key=lambda s: s["seq"])
    return [s["account_id"] for s in stops if s.get("status") == "planned"]


def _pins(route: RoutePlan) -> list[int]:
    return [s["account_id"] for s in route.stops if s.get("pinned")]


def insert_stop(
    rep: User, route: RoutePlan, account_id: int, settings: PlanningSettings
) -> RoutePlan:
    """Put ``account_id`` on the route where it costs the least driving; pinned; flush only."""
    rest = [i for i in _open(route) if i != account_id]
    best: tuple[int, list[int]] | None = None
    for at in range(len(rest) + 1):
        order = [*rest[:at], account_id, *rest[at:]]
        savepoint = db.session.begin_nested()
        try:
            tried = sequence.set_sequence(
                rep, route, order, None, [*_pins(route), account_id], settings=settings
            )
            cost = tried.travel_seconds
        except Invalid:
            cost = None
        finally:
            savepoint.rollback()
        db.session.refresh(route)
        if cost is not None and (best is None or cost < best[0]):
            best = (cost, order)
    if best is None:
        raise Invalid(
            "That does not fit the day.",
            {"date": ["No place on that day's route keeps every stop inside its hours."]},
        )
    return sequence.set_sequence(
        rep, route, best[1], None, [*_pins(route), account_id], settings=settings
    )


def _route_for(rep: User, day: date) -> RoutePlan:
    """The stored route of ``day``, or a new empty one (the rep plans the rest of it later)."""
    route = planning.get_day(rep, day)
    if route is None:
        route = RoutePlan(rep_id=rep.id, date=day, version=1, stops=[], dropped=[], legs=[])
        route.start_lat, route.start_lon = rep.home_lat, rep.home_lon
        route.end_lat, route.end_lon = rep.home_lat, rep.home_lon
        db.session.add(route)
        db.session.flush()
    return route


def book_on_route(
    actor: User, data: dict, *, settings: PlanningSettings = DEFAULT_SETTINGS
) -> tuple[Appointment, RoutePlan | None]:
    """Book the appointment and make it a fixed stop of that day's stored route (if any)."""
    booked = appointments.book(actor, data)
    rep = db.session.get(User, booked.rep_id)
    route = planning.get_day(rep, booked.date)
    if route is None:
        return booked, None  # the day's plan takes it as a required stop when it is made
    stop = next((s for s in route.stops if s["account_id"] == booked.account_id), None)
    if stop is not None and stop.get("status") != "planned":
        raise Invalid(
            "That stop is already visited or skipped.",
            {"account_id": ["The account is already handled on that day."]},
        )
    return booked, insert_stop(rep, route, booked.account_id, settings)


def move_stop(
    rep: User,
    route: RoutePlan,
    account_id: int,
    to_day: date,
    base_version: int | None,
    *,
    settings: PlanningSettings = DEFAULT_SETTINGS,
) -> dict:
    """Take a planned stop off ``route`` and put it (pinned) on the route of ``to_day``."""
    if base_version is not None and base_version != route.version:
        raise Conflict(
            "The route changed since you loaded it.", extra={"server_version": route.version}
        )
    stop = next((s for s in route.stops if s["account_id"] == account_id), None)
    if stop is None:
        raise NotFound(f"Account {account_id} is not on this route.")
    if stop.get("status") != "planned":
        raise Invalid("Already visited or skipped.", {"account_id": ["Only a planned stop moves."]})
    monday = route.date - timedelta(days=route.date.weekday())
    if to_day == route.date or not monday <= to_day < monday + timedelta(days=7):
        raise Invalid("Pick another day of the same week.", {"to": ["Another day of this week."]})
    booked = db.session.scalar(
        select(Appointment).where(
            Appointment.rep_id == rep.id,
            Appointment.account_id == account_id,
            Appointment.date == route.date,
        )
    )
    if booked is not None:
        raise Invalid(
            "That stop is an appointment.",
            {"account_id": ["Move the appointment itself: cancel it and book the new day."]},
        )
    target = _route_for(rep, to_day)
    if any(s["account_id"] == account_id for s in target.stops if s.get("status") != "planned"):
        raise Invalid("Already handled that day.", {"to": ["The account is done on that day."]})
    moved_to = insert_stop(rep, target, account_id, settings)
    left = [i for i in _open(route) if i != account_id]
    pins = [i for i in _pins(route) if i != account_id]
    source = sequence.set_sequence(rep, route, left, None, pins, settings=settings)
    return {"from": source, "to": moved_to}
