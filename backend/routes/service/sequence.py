"""The rep steers the day: an exact list of stops in the rep's order, timed and stored.

Used for "add to today", "remove", "pin", accepting a re-plan preview and its one-tap undo. The
stops already checked in or done stay first and the skipped ones last, as in a re-plan; the
listed stops follow in the given order, timed from the shift start (or from the last visited
stop's departure). An order that cannot meet an opening window or the working day is refused
with a 422 naming the problem, never stored half-right.
"""

from __future__ import annotations

from sqlalchemy import select

from backend.accounts.models import Account
from backend.cadence import plan_store
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.routes.models import Appointment, RoutePlan
from backend.routes.service import planning, problems
from backend.routes.service.settings import DEFAULT_SETTINGS, PlanningSettings
from backend.users.models import User
from routing.models import Location, Problem, RoutingError, Stop
from routing.problem_io import parse_time
from routing.schedule import build_plan


def _accounts(rep: User, ids: list[int]) -> dict[int, Account]:
    rows = db.session.scalars(
        select(Account).where(
            Account.id.in_(ids), Account.owner_id == rep.id, Account.deleted_at.is_(None)
        )
    )
    found = {a.id: a for a in rows}
    missing = [i for i in ids if i not in found]
    if missing:
        # Not the rep's (or gone): the same answer as for an id that does not exist.
        raise NotFound(f"Account {missing[0]} not found.")
    return found


def set_sequence(
    rep: User,
    route: RoutePlan,
    order: list[int],
    base_version: int | None,
    pinned: list[int] | None = None,
    *,
    settings: PlanningSettings = DEFAULT_SETTINGS,
) -> RoutePlan:
    """Store ``order`` (account ids still to visit) as the rest of the day; flush, no commit."""
    if base_version is not None and base_version != route.version:
        raise Conflict(
            "The route changed since you loaded it.", extra={"server_version": route.version}
        )
    if len(set(order)) != len(order):
        raise Invalid("A stop is listed twice.", {"order": ["Each account at most once."]})
    kept = [s for s in route.stops if s.get("status") in ("arrived", "done")]
    skipped = [s for s in route.stops if s.get("status") == "skipped"]
    handled = {s["account_id"] for s in kept + skipped}
    clash = [i for i in order if i in handled]
    if clash:
        raise Invalid(
            "That stop is already visited or skipped.",
            {"order": [f"Account {clash[0]} is already handled today."]},
        )
    pins = set(pinned if pinned is not None else [])
    if pinned is None:  # unchanged pins for stops that stay
        pins = {s["account_id"] for s in route.stops if s.get("pinned")}
    pins &= set(order)
    accounts = _accounts(rep, order)

    version = plan_store.plan_at(route.date)
    tier_minutes = {
        t["tier"]: int(t.get("visit_minutes", problems.DEFAULT_VISIT_MINUTES))
        for t in (version.tiers if version else [])
    }
    shift = [rep.work_start_min * 60, rep.work_end_min * 60]
    origin = Location(rep.home_lat, rep.home_lon)
    if kept:
        last = kept[-1]
        origin = Location(last["lat"], last["lon"])
        departure = last.get("departure")
        if departure:
            shift[0] = max(shift[0], parse_time(departure))
    if rep.home_lat is None:
        raise Invalid("No home location.", {"rep": ["Set the rep's home location first."]})
    old_value = {s["account_id"]: s.get("value") for s in route.stops}
    fixed = {
        a.account_id: a
        for a in db.session.scalars(
            select(Appointment).where(Appointment.rep_id == rep.id, Appointment.date == route.date)
        )
    }
    stops: list[Stop] = []
    for account_id in order:
        account = accounts[account_id]
        value = int(old_value.get(account_id) or problems.VALUE_SCALE)
        if account_id in fixed:  # a booked time: the visit starts exactly then
            begin = parse_time(fixed[account_id].start)
            stops.append(
                Stop(
                    str(account_id),
                    Location(account.lat, account.lon),
                    fixed[account_id].minutes * 60,
                    value,
                    ((begin, begin),),
                    required=True,
                )
            )
            continue
        service = problems.service_seconds(account, tier_minutes)
        windows = problems.start_windows(account, route.date.weekday(), service, tuple(shift))
        if not windows:
            raise Invalid(
                f"{account.name} is closed that day.",
                {"order": [f"{account.name} has no opening time left in the working day."]},
            )
        stops.append(
            Stop(str(account_id), Location(account.lat, account.lon), service, value, windows)
        )
    home = Location(rep.home_lat, rep.home_lon)
    notes: list[str] = []
    travel = problems.travel([origin, *[s.location for s in stops], home], notes, settings)
    problem = Problem(
        shift_start=shift[0],
        shift_end=shift[1],
        start=origin,
        end=home,
        stops=tuple(stops),
        durations=travel.durations,
        distances=travel.distances,
        brk=problems.lunch_break(*shift, settings),
        date=route.date.isoformat(),
    )
    try:
        plan = build_plan(problem, list(range(len(stops))), solver="rep")
    except RoutingError as err:
        raise Invalid(
            "That order does not fit the day.",
            {"order": ["A stop would miss its opening hours or the end of the working day."]},
        ) from err
    day_problem = problems.DayProblem(problem, {str(k): v for k, v in accounts.items()}, [], notes)
    dropped = list(route.dropped or [])
    stored = planning.store_plan(
        rep, route.date, day_problem, plan, kept=kept, skipped=skipped, pinned=pins
    )
    # What the solver left out earlier and the rep did not add stays listed as "did not fit".
    stored.dropped = [d for d in dropped if d.get("account_id") not in set(order)]
    db.session.flush()
    return stored
