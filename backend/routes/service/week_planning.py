"""The week plan: due visits spread over the working days with cadence spacing."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from backend.core.errors import Invalid
from backend.routes.service import planning
from backend.users.models import User
from routing.models import Plan, RoutingError
from routing.week import solve_week

WORKING_DAYS = 5  # Monday to Friday
WEEK_TIME_LIMIT_MAX = 6.0


def plan_week(
    rep: User, monday: date, *, settings: planning.PlanningSettings = planning.DEFAULT_SETTINGS
) -> dict:
    """Plan the days of the week that have not started yet; keep routes already under way.

    Days already driven (or in progress) are returned as stored. The remaining days are solved
    together, so an account is visited once in the week, or twice at least two days apart when
    its cadence still owes two visits. A stop the rep pinned or moved to a day stays on that day,
    pinned (a required stop there, planned on no other day of the week), and the day's notes
    say so.
    """
    today = datetime.now(ZoneInfo(rep.time_zone)).date()
    days = [monday + timedelta(days=i) for i in range(WORKING_DAYS)]
    stored = {d: planning.get_day(rep, d) for d in days}
    open_days = [
        d for d in days if d >= today and (stored[d] is None or stored[d].status == "planned")
    ]
    unplanned: list[dict] = []
    before = _open_stops(stored.get(today))
    if open_days:
        pins = {d: planning.pinned(stored[d]) for d in open_days}
        problems = [
            planning.build_day_problem(
                rep, d, must=pins[d], exclude=_pinned_elsewhere(pins, d), settings=settings
            )
            for d in open_days
        ]
        owed = _visits_owed(rep, open_days[0])
        limit = min(
            WEEK_TIME_LIMIT_MAX,
            sum(planning.time_limit_for(p.problem, settings) for p in problems),
        )
        try:
            week = solve_week([p.problem for p in problems], visits=owed, time_limit_s=limit)
        except RoutingError as err:
            raise Invalid(str(err), {"week": [str(err)]}) from err
        for day, day_problem, plan in zip(open_days, problems, week.days, strict=True):
            stored[day] = planning.store_plan(
                rep, day, day_problem, _without_drops(plan), pinned=pins[day]
            )
            stored[day].notes = [*stored[day].notes, *_pin_notes(stored[day], pins[day])]
        names = {sid: a.name for p in problems for sid, a in p.accounts.items()}
        unplanned = [
            {"account_id": int(d.id), "name": names.get(d.id, ""), "reason": d.reason}
            for d in week.unserved
        ]
    return {
        "monday": monday,
        "rep_id": rep.id,
        "days": [stored[d] for d in days if stored[d]],
        "unplanned": unplanned,
        "today": _today_change(today, before, stored.get(today)) if today in days else None,
    }


def _pinned_elsewhere(pins: dict[date, set[int]], day: date) -> set[int]:
    """Accounts pinned to another open day: they are not planned on ``day`` as well."""
    others = set().union(*(p for d, p in pins.items() if d != day))
    return others - pins[day]


def _pin_notes(route, pinned: set[int]) -> list[str]:
    """What the week plan did with the day's pins: kept, or why one could not be."""
    if not pinned:
        return []
    on_day = {s["account_id"]: s["name"] for s in route.stops}
    names = [on_day[i] for i in sorted(pinned) if i in on_day]
    notes = [f"Kept on this day (pinned): {name}" for name in names]
    lost = {d["account_id"]: d["name"] for d in route.dropped if d["account_id"] in pinned}
    notes += [f"Pinned but not kept: {name} (closed that day)" for name in lost.values()]
    return notes


def _open_stops(route) -> list[tuple[int, str]]:
    if route is None:
        return []
    stops = sorted(route.stops, key=lambda s: s["seq"])
    return [(s["account_id"], s["name"]) for s in stops if s.get("status") == "planned"]


def _today_change(today: date, before: list[tuple[int, str]], route) -> dict:
    """What planning the week did to today's route: the rep is told, never surprised."""
    after = _open_stops(route)
    was, now = dict(before), dict(after)
    added = [name for i, name in after if i not in was]
    removed = [name for i, name in before if i not in now]
    kept_before = [i for i, _ in before if i in now]
    kept_after = [i for i, _ in after if i in was]
    return {
        "date": today.isoformat(),
        "changed": bool(added or removed or kept_before != kept_after),
        "added": added,
        "removed": removed,
        "reordered": kept_before != kept_after,
    }


def stored_week(rep: User, monday: date) -> dict:
    """The week's stored day routes, without planning anything."""
    days = [monday + timedelta(days=i) for i in range(WORKING_DAYS)]
    routes = [r for r in (planning.get_day(rep, d) for d in days) if r is not None]
    return {"monday": monday, "rep_id": rep.id, "days": routes, "unplanned": []}


def _visits_owed(rep: User, day: date) -> dict[str, int]:
    """Visits each account still needs this period, at most two in one week."""
    from backend.cadence import service as cadence

    return {
        str(item.account_id): min(2, max(1, item.remaining))
        for item in cadence.due_for_rep(rep, day)
        if item.touch_type == "visit"
    }


def _without_drops(plan: Plan) -> Plan:
    # A stop dropped on one day is usually served on another; the week lists what is unserved.
    plan.dropped = []
    return plan
