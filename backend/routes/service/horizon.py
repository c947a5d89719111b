"""The horizon: the rep's visits still owed this period, as one problem per working day left.

``build_horizon`` turns the cadence into ``routing.horizon`` input: per account the due date of
every visit it still owes (the cadence rule's even spread), its period end, the spacing between
visits, and a weight from tier, KARE category and revenue; per working day from ``day`` on a
full day problem (opening hours of that weekday, that day's appointments, the break, home).
``plan_first_day`` solves it and returns the first day as a ``DayProblem`` and ``Plan``, ready
for ``planning.store_plan``; the later days are re-planned each morning from what really
happened (touches logged, visits missed), so only the first day is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from sqlalchemy import func, select

from backend.accounts.models import Account
from backend.cadence import plan_store
from backend.cadence import service as cadence
from backend.cadence.engine.due import due_dates
from backend.cadence.engine.periods import PERIOD_WORDS, Period, parse_period, period_containing
from backend.cadence.engine.urgency import urgency_score
from backend.core.errors import Invalid
from backend.core.extensions import db
from backend.core.hours import to_minutes
from backend.routes.models import Appointment
from backend.routes.service import problems
from backend.routes.service.settings import DEFAULT_SETTINGS, PlanningSettings
from backend.touches.models import Touch
from backend.users.models import User
from routing.horizon import HorizonPlan, Need, solve_horizon
from routing.models import CLOSED, DroppedStop, Location, Plan, Problem, Stop

WORKING_WEEKDAYS = 5  # Monday to Friday, as the week plan
# Revenue lifts an account's weight by up to this share over the rep's least valuable one.
REVENUE_LIFT = 0.5


@dataclass
class Horizon:
    """The day problems of the horizon (first = ``day``) and what each account owes."""

    days: list[problems.DayProblem]
    needs: dict[str, Need]


def working_days(day: date, last: date, cap: int) -> list[date]:
    """Working days from ``day`` to ``last``, at least to the week's Friday, at most ``cap``."""
    friday = day + timedelta(days=max(0, 4 - day.weekday()))
    end = max(last, friday)
    out = []
    d = day
    while d <= end and len(out) < max(1, cap):
        if d.weekday() < WORKING_WEEKDAYS:
            out.append(d)
        d += timedelta(days=1)
    return out or [day]


def _last_visits(ids: list[int], since: date, day: date) -> dict[int, date]:
    """Each account's last visit in ``[since, day]``."""
    if not ids:
        return {}
    rows = db.session.execute(
        select(Touch.account_id, func.max(Touch.local_date))
        .where(
            Touch.account_id.in_(ids),
            Touch.type == "visit",
            Touch.local_date >= since,
            Touch.local_date <= day,
        )
        .group_by(Touch.account_id)
    )
    return {a: d if isinstance(d, date) else date.fromisoformat(d) for a, d in rows}


def _period_of(item, day: date) -> tuple[Period, bool]:
    """(the item's cadence period, True) or, for a one-off visit another domain adds to the due
    list (a handed-over account's introductory visit), (the month of its due date, False)."""
    try:
        return parse_period(item.period), True
    except ValueError:
        return period_containing("month", max(day, item.due_date)), False


def _needs(items: list, accounts: dict[int, Account], day: date) -> dict[str, Need]:
    """Per account the due date of each visit still owed; spacing a third of the plan's gap."""
    weights = cadence.weights_of(plan_store.plan_at(day))
    top = max((accounts[i.account_id].revenue or 0.0 for i in items), default=0.0) or 1.0
    kinds = {i.account_id: _period_of(i, day) for i in items}
    periods = {a: p for a, (p, _) in kinds.items()}
    first = min((p.first for p in periods.values()), default=day)
    last = _last_visits(list(periods), first, day)
    needs = {}
    for item in items:
        account = accounts[item.account_id]
        period = periods[item.account_id]
        dues = []
        for k in range(item.remaining):
            pair = due_dates(period, item.required, item.done + k)
            if not kinds[item.account_id][1]:
                dues.append(item.due_date)  # a one-off: due on its own date
            elif pair is not None:
                dues.append(pair[1])
        base = urgency_score(account.tier, "visit", 0, account.kare, weights) / 10.0
        lift = 1.0 + REVENUE_LIFT * max(0.0, account.revenue or 0.0) / top
        seen = last.get(item.account_id)
        needs[str(item.account_id)] = Need(
            str(item.account_id),
            tuple(dues),
            period.last,
            weight=base * lift,
            # Visits spread over the period: two of them not closer than a third of the gap.
            gap_days=max(1, period.days // (3 * max(1, item.required))),
            last_visit=seen if seen is not None and period.contains(seen) else None,
            period=PERIOD_WORDS[period.kind],
        )
    return needs


def build_horizon(
    rep: User,
    day: date,
    *,
    start_at: int | None = None,
    position: Location | None = None,
    exclude: set[int] | frozenset[int] = frozenset(),
    must: set[int] | frozenset[int] = frozenset(),
    settings: PlanningSettings = DEFAULT_SETTINGS,
) -> Horizon:
    """The rep's horizon from ``day``: one problem per working day over one travel matrix.

    ``must``: accounts the rep pinned to ``day``; they are required stops that day (due or not).
    """
    if rep.home_lat is None or rep.home_lon is None:
        raise Invalid("No home location.", {"rep": ["Set the rep's home location first."]})
    version = plan_store.plan_at(day)
    tier_minutes = {
        t["tier"]: int(t.get("visit_minutes", problems.DEFAULT_VISIT_MINUTES))
        for t in (version.tiers if version else [])
    }
    items = [
        i
        for i in cadence.due_for_rep(rep, day)
        if i.touch_type == "visit" and i.remaining > 0 and i.account_id not in exclude
    ]
    items.sort(key=lambda i: -i.urgency)
    items = items[: settings.max_candidates]
    last = max((_period_of(i, day)[0].last for i in items), default=day)
    dates = working_days(day, last, settings.horizon_days)
    appts = list(
        db.session.scalars(
            select(Appointment).where(
                Appointment.rep_id == rep.id,
                Appointment.date >= dates[0],
                Appointment.date <= dates[-1],
            )
        )
    )
    appts = [a for a in appts if not (a.date == day and a.account_id in exclude)]
    must = set(must) - set(exclude)
    ids = {i.account_id for i in items} | {a.account_id for a in appts} | must
    accounts = {
        a.id: a
        for a in db.session.scalars(select(Account).where(Account.id.in_(ids)))
        if a.deleted_at is None
    }
    items = [i for i in items if i.account_id in accounts]
    needs = _needs(items, accounts, day)
    order = list(accounts)
    origin = position or Location(rep.home_lat, rep.home_lon)
    home = Location(rep.home_lat, rep.home_lon)
    notes: list[str] = []
    locations = [origin, home, *[Location(accounts[a].lat, accounts[a].lon) for a in order]]
    travel = problems.travel(locations, notes, settings)
    value = {i.account_id: max(1, round(i.urgency * problems.VALUE_SCALE)) for i in items}
    days = []
    for k, d in enumerate(dates):
        shift = (rep.work_start_min * 60, rep.work_end_min * 60)
        if k == 0 and start_at is not None:
            shift = (max(shift[0], start_at), shift[1])
        if shift[1] <= shift[0]:
            if k == 0:
                raise Invalid("The working day is over.", {"at": ["No working time left today."]})
            continue
        fixed = {a.account_id: a for a in appts if a.date == d and a.account_id in accounts}
        stops, nodes, closed = [], [], []
        for pos, account_id in enumerate(order):
            account = accounts[account_id]
            loc = Location(account.lat, account.lon)
            if account_id in fixed:
                appt = fixed[account_id]
                begin = to_minutes(appt.start) * 60
                window = ((begin, begin),)
                stop = Stop(
                    str(account_id),
                    loc,
                    appt.minutes * 60,
                    value.get(account_id, 10),
                    window,
                    required=True,
                )
            elif account_id in value or (k == 0 and account_id in must):
                service = problems.service_seconds(account, tier_minutes)
                windows = problems.start_windows(account, d.weekday(), service, shift)
                if not windows:
                    closed.append(str(account_id))
                    continue
                pinned = k == 0 and account_id in must
                worth = value.get(account_id, problems.VALUE_SCALE)
                stop = Stop(str(account_id), loc, service, worth, windows, required=pinned)
            else:
                continue
            stops.append(stop)
            nodes.append(pos + 2)
        start = 0 if k == 0 else 1
        rows = [start, *nodes, 1]
        dist = travel.distances
        problem = Problem(
            shift_start=shift[0],
            shift_end=shift[1],
            start=origin if k == 0 else home,
            end=home,
            stops=tuple(stops),
            durations=tuple(tuple(travel.durations[a][b] for b in rows) for a in rows),
            distances=None
            if dist is None
            else tuple(tuple(dist[a][b] for b in rows) for a in rows),
            brk=problems.lunch_break(*shift, settings),
            max_stops=rep.max_stops,
            date=d.isoformat(),
        )
        by_id = {str(a): acc for a, acc in accounts.items()}
        days.append(problems.DayProblem(problem, by_id, closed, list(notes)))
    return Horizon(days, needs)


def plan_first_day(
    horizon: Horizon, time_limit: float, workers: int
) -> tuple[problems.DayProblem, Plan, HorizonPlan]:
    """Solve the horizon; the first day's problem and plan, closed accounts given their day."""
    result = solve_horizon([d.problem for d in horizon.days], horizon.needs, time_limit, workers)
    first = horizon.days[0]
    plan = result.days[0]
    for sid in first.closed:
        why = result.first_day_reasons.get(sid, CLOSED)
        plan.dropped.append(DroppedStop(sid, why if why == CLOSED else f"{CLOSED}, {why}"))
    return replace(first, closed=[]), plan, result
