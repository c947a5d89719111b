"""Day routes: build the routing problem from what is due, solve it, store and re-plan it.

The travel model, the break and the solver budget come in as ``PlanningSettings``, which the
boundary (view, CLI command) builds from the app's config.
"""

from __future__ import annotations

import time
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select, update

from backend.accounts.models import Account
from backend.cadence import plan_store
from backend.cadence import service as cadence
from backend.core import changes, metrics
from backend.core.errors import Conflict, Invalid
from backend.core.extensions import db
from backend.core.hours import to_minutes
from backend.routes.models import Appointment, RoutePlan
from backend.routes.service import horizon
from backend.routes.service.problems import (
    DEFAULT_VISIT_MINUTES,
    VALUE_SCALE,
    DayProblem,
    lunch_break,
    service_seconds,
    start_windows,
)
from backend.routes.service.problems import travel as travel_matrix
from backend.routes.service.settings import DEFAULT_SETTINGS, PlanningSettings
from backend.users.models import User
from routing.models import Location, Plan, Problem, ProblemError, RoutingError, Stop
from routing.problem_io import format_time
from routing.solver import solve


def build_day_problem(
    rep: User,
    day: date,
    *,
    start_at: int | None = None,
    position: Location | None = None,
    exclude: set[int] | frozenset[int] = frozenset(),
    must: set[int] | frozenset[int] = frozenset(),
    settings: PlanningSettings = DEFAULT_SETTINGS,
) -> DayProblem:
    """The rep's day as an orienteering problem: due visits (value from urgency), opening
    hours as start windows, appointments as required stops, the break, home as start and end.

    ``must``: accounts the rep pinned to the day; they are required stops (due or not).
    """
    if rep.home_lat is None or rep.home_lon is None:
        raise Invalid("No home location.", {"rep": ["Set the rep's home location first."]})
    version = plan_store.plan_at(day)
    tier_minutes = {
        t["tier"]: int(t.get("visit_minutes", DEFAULT_VISIT_MINUTES))
        for t in (version.tiers if version else [])
    }
    shift = (rep.work_start_min * 60, rep.work_end_min * 60)
    if start_at is not None:
        shift = (max(shift[0], start_at), shift[1])
    if shift[1] <= shift[0]:
        raise Invalid("The working day is over.", {"at": ["No working time left today."]})

    due = [
        item
        for item in cadence.due_for_rep(rep, day)
        if item.touch_type == "visit" and item.status != "done" and item.account_id not in exclude
    ]
    due.sort(key=lambda item: -item.urgency)
    due = due[: settings.max_candidates]
    value_of = {item.account_id: max(1, round(item.urgency * VALUE_SCALE)) for item in due}
    appointments = list(
        db.session.scalars(
            select(Appointment).where(Appointment.rep_id == rep.id, Appointment.date == day)
        )
    )
    must = set(must) - set(exclude)
    ids = set(value_of) | must | {a.account_id for a in appointments if a.account_id not in exclude}
    accounts = {a.id: a for a in db.session.scalars(select(Account).where(Account.id.in_(ids)))}

    stops: list[Stop] = []
    closed: list[str] = []
    fixed = {a.account_id: a for a in appointments if a.account_id in accounts}
    pinned = [i for i in must if i not in fixed and i not in value_of]
    for account_id in [*fixed, *[i for i in value_of if i not in fixed], *pinned]:
        account = accounts[account_id]
        if account.deleted_at is not None:
            continue
        location = Location(account.lat, account.lon)
        if account_id in fixed:
            appt = fixed[account_id]
            begin = to_minutes(appt.start) * 60
            stops.append(
                Stop(
                    str(account_id),
                    location,
                    appt.minutes * 60,
                    value_of.get(account_id, VALUE_SCALE),
                    ((begin, begin),),
                    required=True,
                )
            )
            continue
        service = service_seconds(account, tier_minutes)
        windows = start_windows(account, day.weekday(), service, shift)
        if not windows:
            closed.append(str(account_id))
            continue
        value = value_of.get(account_id, VALUE_SCALE)
        stops.append(
            Stop(str(account_id), location, service, value, windows, required=account_id in must)
        )

    origin = position or Location(rep.home_lat, rep.home_lon)
    home = Location(rep.home_lat, rep.home_lon)
    notes: list[str] = []
    travel = travel_matrix([origin, *[s.location for s in stops], home], notes, settings)
    brk = lunch_break(*shift, settings)
    problem = Problem(
        shift_start=shift[0],
        shift_end=shift[1],
        start=origin,
        end=home,
        stops=tuple(stops),
        durations=travel.durations,
        distances=travel.distances,
        brk=brk,
        max_stops=rep.max_stops,
        date=day.isoformat(),
    )
    return DayProblem(problem, {str(k): v for k, v in accounts.items()}, closed, notes)


def _messages(err: ProblemError) -> list[str]:
    return [f"{path}: {msg}" for path, msgs in sorted(err.errors.items()) for msg in msgs]


def time_limit_for(problem: Problem, settings: PlanningSettings = DEFAULT_SETTINGS) -> float:
    """Solver time for a day: grows with the number of candidates, capped."""
    limit = settings.time_limit_base + settings.time_limit_per_stop * problem.n
    return min(limit, settings.time_limit_max)


def solve_day(
    day_problem: DayProblem,
    *,
    time_limit: float | None = None,
    workers: int | None = None,
    settings: PlanningSettings = DEFAULT_SETTINGS,
) -> Plan:
    """Solve, translating routing failures into domain errors (422, never 500)."""
    problem = day_problem.problem
    started = time.perf_counter()
    try:
        plan = solve(
            problem,
            time_limit if time_limit is not None else time_limit_for(problem, settings),
            workers=workers or settings.solver_workers,
        )
    except ProblemError as err:
        metrics.PLANS.labels("invalid").inc()
        raise Invalid("The day cannot be planned.", {"problem": _messages(err)}) from err
    except RoutingError as err:
        metrics.PLANS.labels("failed").inc()
        raise Invalid(str(err), {"problem": [str(err)]}) from err
    metrics.SOLVER_SECONDS.observe(time.perf_counter() - started)
    metrics.PLANS.labels("planned").inc()
    return plan


def _stop_doc(planned, account: Account, problem_stop: Stop, seq: int) -> dict:
    return {
        "seq": seq,
        "account_id": account.id,
        "name": account.name,
        "lat": account.lat,
        "lon": account.lon,
        "address": account.address,
        "tier": account.tier,
        "arrival": format_time(planned.arrival),
        "start": format_time(planned.start),
        "departure": format_time(planned.departure),
        "windows": [[format_time(a)[:5], format_time(b)[:5]] for a, b in problem_stop.windows],
        "required": problem_stop.required,
        "value": planned.value,
        "status": "planned",
        "skip_reason": None,
        "arrived_at": None,
        "done_at": None,
    }


def _claim(route: RoutePlan) -> None:
    """Compare-and-swap the version this plan was built on, as every stop write does.

    A stop update (a phone's sync, a REST call) that committed while the planner ran would
    otherwise be overwritten by the new document: the plan is refused with a ``Conflict`` (409,
    "plan again") and the stop update stands. The claim also takes the row's write lock first.
    """
    read = route.version
    done = db.session.execute(
        update(RoutePlan)
        .where(RoutePlan.id == route.id, RoutePlan.version == read)
        .values(version=read + 1),
        execution_options={"synchronize_session": False},
    ).rowcount
    if done != 1:
        raise Conflict(
            "The route changed while it was being planned; plan again.",
            extra={"route_id": route.id},
        )
    # The ORM writes the new document with the claimed version (no second bump).
    route.version = read + 1


def store_plan(
    rep: User,
    day: date,
    day_problem: DayProblem,
    plan: Plan,
    kept: list[dict] | None = None,
    skipped: list[dict] | None = None,
    pinned: set[int] | frozenset[int] = frozenset(),
) -> RoutePlan:
    """Write the plan as the rep's route for ``day`` (a new version of an existing route).

    ``kept``: stops already visited today, first; ``skipped``: stops the rep skipped, last (the
    rep still sees them, with their reasons).
    """
    by_id = {s.id: s for s in day_problem.problem.stops}
    kept = kept or []
    stops = [dict(s, seq=i + 1) for i, s in enumerate(kept)]
    for planned in plan.stops:
        account = day_problem.accounts[planned.id]
        doc = _stop_doc(planned, account, by_id[planned.id], len(stops) + 1)
        if account.id in pinned:
            doc["pinned"] = True  # kept on the day by every re-plan until the rep unpins it
        stops.append(doc)
    stops += [dict(s, seq=len(stops) + i + 1) for i, s in enumerate(skipped or [])]
    dropped = [
        {"account_id": int(d.id), "name": day_problem.accounts[d.id].name, "reason": d.reason}
        for d in plan.dropped
    ]
    dropped += [
        {"account_id": int(i), "name": day_problem.accounts[i].name, "reason": "closed that day"}
        for i in day_problem.closed
    ]
    route = db.session.scalar(
        select(RoutePlan).where(RoutePlan.rep_id == rep.id, RoutePlan.date == day)
    )
    if route is None:
        route = RoutePlan(rep_id=rep.id, date=day, version=0)
        db.session.add(route)
    else:
        _claim(route)
    problem = day_problem.problem
    route.start_lat, route.start_lon = problem.start.lat, problem.start.lon
    route.end_lat, route.end_lon = problem.end.lat, problem.end.lon
    route.stops = stops
    route.dropped = dropped
    route.legs = [
        {
            "from": leg.origin,
            "to": leg.destination,
            "travel_seconds": leg.travel_seconds,
            "distance_m": leg.distance_m,
        }
        for leg in plan.legs
    ]
    route.break_start = format_time(plan.break_start) if plan.break_start is not None else None
    route.break_end = format_time(plan.break_end) if plan.break_end is not None else None
    route.value = plan.value + sum(int(s.get("value") or 0) for s in kept)
    route.travel_seconds = plan.travel_seconds
    route.distance_m = plan.distance_m
    route.solver = plan.solver[:32]
    # Only what the rep should know: travel fallbacks and engines that failed, not the log.
    route.notes = day_problem.notes + [n for n in plan.notes if " failed (" in n]
    route.status = "in_progress" if kept else "planned"
    if route.id is None:
        route.version = 1
    db.session.flush()
    changes.record("route", route.id, rep_id=rep.id)
    return route


def pinned(route: RoutePlan | None) -> set[int]:
    """The stops still to visit that the rep pinned to the route's day (or moved there)."""
    if route is None:
        return set()
    return {s["account_id"] for s in route.stops if s.get("pinned") and s["status"] == "planned"}


def plan_day(
    rep: User,
    day: date,
    *,
    time_limit: float | None = None,
    workers: int | None = None,
    settings: PlanningSettings = DEFAULT_SETTINGS,
    policy: str | None = None,
) -> RoutePlan:
    """Plan (or re-plan from scratch) the rep's day and store it.

    ``policy`` "horizon" (the default, ``settings.policy``) makes the day the first day of a plan
    for the rest of the period; "day" plans the day on its own, as before the horizon. Stops the
    rep pinned to the day (or moved to it from another day) stay on it, pinned: planning the day
    again, or the morning's team plan, never undoes what the rep decided.
    """
    pins = pinned(get_day(rep, day))
    day_problem, plan = _plan(
        rep,
        day,
        time_limit=time_limit,
        workers=workers,
        settings=settings,
        policy=policy,
        **({"must": pins} if pins else {}),
    )
    return store_plan(rep, day, day_problem, plan, pinned=pins)


def _plan(
    rep: User,
    day: date,
    *,
    time_limit: float | None,
    workers: int | None,
    settings: PlanningSettings,
    policy: str | None,
    **where,
) -> tuple[DayProblem, Plan]:
    """The day's problem and plan under ``policy``; ``where`` narrows the day (start_at, ...)."""
    if (policy or settings.policy) == "day":
        day_problem = build_day_problem(rep, day, settings=settings, **where)
        plan = solve_day(day_problem, time_limit=time_limit, workers=workers, settings=settings)
        return day_problem, plan
    days = horizon.build_horizon(rep, day, settings=settings, **where)
    first = days.days[0].problem
    limit = time_limit if time_limit is not None else time_limit_for(first, settings)
    try:
        day_problem, plan, _ = horizon.plan_first_day(
            days, limit, workers or settings.solver_workers
        )
    except ProblemError as err:
        raise Invalid("The day cannot be planned.", {"problem": _messages(err)}) from err
    except RoutingError as err:
        raise Invalid(str(err), {"problem": [str(err)]}) from err
    day_problem.notes = days.days[0].notes
    return day_problem, plan


def reoptimize(
    rep: User,
    route: RoutePlan,
    position: Location,
    at: datetime,
    *,
    settings: PlanningSettings = DEFAULT_SETTINGS,
    policy: str | None = None,
) -> RoutePlan:
    """Re-plan the rest of the day from where the rep is now, keeping visits already made."""
    local = at.astimezone(ZoneInfo(rep.time_zone))
    if local.date() != route.date:
        raise Invalid("Wrong day.", {"at": [f"The route is for {route.date.isoformat()}."]})
    kept = [s for s in route.stops if s["status"] in ("arrived", "done")]
    skipped = [s for s in route.stops if s["status"] == "skipped"]
    pins = pinned(route)
    now = local.hour * 3600 + local.minute * 60 + local.second
    day_problem, plan = _plan(
        rep,
        route.date,
        time_limit=None,
        workers=None,
        settings=settings,
        policy=policy,
        start_at=now,
        position=position,
        exclude={s["account_id"] for s in kept + skipped},
        must=pins,
    )
    return store_plan(rep, route.date, day_problem, plan, kept=kept, skipped=skipped, pinned=pins)


def get_day(rep: User, day: date) -> RoutePlan | None:
    """The stored route of the rep for ``day``, if planned."""
    return db.session.scalar(
        select(RoutePlan).where(RoutePlan.rep_id == rep.id, RoutePlan.date == day)
    )
