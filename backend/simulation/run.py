"""A month, day by day, for every rep: plan by the policy, execute with noise, log, carry on.

Reps are independent once the world is fixed (a hand-over is part of the world: who takes which
account from which day), so they run in parallel processes; each rep's month depends only on
the world, the policy and the seed, never on the process it ran in.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from datetime import date

from backend.cadence.engine.desk import Owed, plan_for
from backend.cadence.engine.urgency import urgency_score
from backend.simulation.execute import execute
from backend.simulation.noise import Noise, rng_for
from backend.simulation.policies import Geometry, plan
from backend.simulation.state import Appointment, RepState
from backend.simulation.world import SimAccount, SimRep, World
from backend.territories.departure.handover import INTRO_TIERS

CALL_MINUTES = 10  # as FIELDREP_WORKLOAD_CALL_MINUTES
EMAIL_MINUTES = 5  # as FIELDREP_WORKLOAD_EMAIL_MINUTES
DESK_MINUTES = 90  # calls and emails, budgeted at the end of each working day


@dataclass(frozen=True)
class Handover:
    """From ``day`` on, ``to_rep`` owns ``accounts`` (a departure, a new rep's book)."""

    day: date
    to_rep: int
    accounts: tuple[SimAccount, ...]
    # Their touches so far (history and the leaving rep's month), filled in once that rep ran.
    touches: dict[tuple[str, str], tuple[date, ...]] = field(default_factory=dict)
    # The departure workflow's introductory visit (tiers ``INTRO_TIERS``) is due by this day.
    intro_due: date | None = None


@dataclass(frozen=True)
class RepTask:
    """One rep's month to simulate."""

    rep: SimRep
    world: World
    policy: str
    seed: int
    noise: Noise
    leaves_on: date | None = None  # the rep works up to the day before
    handed_over: bool = True  # a leaver's accounts go to others (else they wait, unvisited)
    joins: tuple[Handover, ...] = ()
    desk_minutes: int = DESK_MINUTES
    time_limit: float = 0.0  # per day plan; 0: the planners' searches run to a standstill


@dataclass
class RepResult:
    """What one rep's month produced (sums; metrics are made from these)."""

    rep_id: int
    logged: list[tuple[str, str, date]]  # touches made this month: account, type, day
    accounts: dict[str, SimAccount]  # every account the rep owned at some point
    working_days: int = 0
    sick_days: int = 0
    visits: int = 0
    drive_s: float = 0.0
    distance_m: float = 0.0
    overtime_s: float = 0.0
    overdue_account_days: int = 0
    closed: int = 0
    missed: int = 0
    appointments_missed: int = 0
    planner_fallbacks: int = 0  # days the product's horizon raised (time-limited mode only)
    intro_owed: int = 0  # introductory visits owed for accounts handed over
    intro_in_time: int = 0  # ... made by their due date
    # Visits per day, for tests and the chart.
    per_day: dict[str, int] = field(default_factory=dict)


def _book_appointments(task: RepTask, state: RepState, day: date) -> None:
    """A customer books a visit a few days ahead, at a time their hours allow."""
    rng = rng_for(task.seed, task.rep.id, day, "appointment")
    if rng.random() >= task.noise.appointment_p or not state.accounts:
        return
    ids = sorted(state.accounts)
    weights = [{"A": 3, "B": 2}.get(state.accounts[i].tier, 1) for i in ids]
    aid = rng.choices(ids, weights)[0]
    lo, hi = task.noise.appointment_ahead
    when = day.fromordinal(day.toordinal() + rng.randint(lo, hi))
    if when.weekday() >= 5 or when > task.world.last:
        return
    acc = state.accounts[aid]
    hours = ((9 * 3600, 16 * 3600),) if acc.hours is None else acc.hours[when.weekday()]
    slots = [
        s
        for lo_, hi_ in hours
        for s in range(lo_, hi_ - acc.service_s + 1, 1800)
        if task.rep.work_start + 1800 <= s <= task.rep.work_end - 3 * 3600
    ]
    if slots and not any(a.account_id == aid for a in state.appointments.get(when, ())):
        state.appointments[when].append(
            Appointment(aid, when, rng.choice(slots), acc.service_s // 60)
        )


def _desk(task: RepTask, state: RepState, day: date) -> list[tuple[str, str, date]]:
    """Today's calls and emails: by the desk plan under ``fieldrep``, else by urgency."""
    if task.policy == "fieldrep":
        return _desk_plan(task, state, day)
    return _desk_by_urgency(task, state, day)


def _desk_plan(task: RepTask, state: RepState, day: date) -> list[tuple[str, str, date]]:
    """The product's desk plan (``cadence.engine.desk``) over the rest of the periods."""
    owed = [
        Owed.of(a.id, st, urgency_score(a.tier, kind, 0, a.kare), minutes)
        for kind, minutes in (("call", CALL_MINUTES), ("email", EMAIL_MINUTES))
        for a, st in state.owed(kind, day)
    ]
    plan = plan_for(owed, day, task.desk_minutes)
    done = []
    for t in plan.today:
        state.log(t.account_id, t.touch_type, day)
        done.append((t.account_id, t.touch_type, day))
    return done


def _desk_by_urgency(task: RepTask, state: RepState, day: date) -> list[tuple[str, str, date]]:
    """Calls and emails owed (due or overdue), most urgent first, while desk time lasts."""
    budget = task.desk_minutes
    todo = []
    for kind, minutes in (("call", CALL_MINUTES), ("email", EMAIL_MINUTES)):
        for a, st in state.owed(kind, day):
            if st.status == "upcoming":
                continue
            todo.append(
                (-urgency_score(a.tier, kind, st.lateness_days, a.kare), a.id, kind, minutes)
            )
    done = []
    for _, aid, kind, minutes in sorted(todo):
        if minutes > budget:
            continue
        budget -= minutes
        state.log(aid, kind, day)
        done.append((aid, kind, day))
    return done


def simulate_rep(task: RepTask) -> RepResult:
    """One rep's month under ``task.policy`` with ``task.seed``."""
    world = task.world
    every = {a.id: a for a in task.rep.accounts}
    for h in task.joins:
        every.update({a.id: a for a in h.accounts})
    geo = Geometry.of(task.rep.home, list(every.values()))
    state = RepState.start(task.rep, world.rules)
    for h in task.joins:
        for (aid, kind), dates in h.touches.items():
            state.touches[(aid, kind)].extend(dates)
    res = RepResult(task.rep.id, [], dict(every))
    desk = task.desk_minutes * 60
    shift = (task.rep.work_start, task.rep.work_end - desk)
    for day in world.days():
        for h in task.joins:
            if h.day == day:
                state.accounts.update({a.id: a for a in h.accounts})
                if h.intro_due is not None:
                    intros = {a.id: h.intro_due for a in h.accounts if a.tier in INTRO_TIERS}
                    state.intro.update(intros)
                    res.intro_owed += len(intros)
        if task.leaves_on is not None and day >= task.leaves_on:
            res.appointments_missed += len(state.appointments.pop(day, ()))
            if task.handed_over:
                state.accounts.clear()
            else:  # nobody visits them, and they fall overdue
                res.overdue_account_days += _overdue(state, day)
            continue
        res.overdue_account_days += _overdue(state, day)
        if day.weekday() >= 5:
            continue
        _book_appointments(task, state, day)
        if rng_for(task.seed, task.rep.id, day, "sick").random() < task.noise.sick_p:
            res.sick_days += 1
            res.appointments_missed += len(state.appointments.get(day, ()))
            continue
        res.working_days += 1
        day_plan = plan(task.policy, state, geo, day, shift, world.last, task.time_limit)
        res.planner_fallbacks += day_plan.fallback
        rng = rng_for(task.seed, task.rep.id, day, "execute")
        out = execute(day_plan.problem, day_plan.seq, task.noise, rng)
        for aid in out.visited:
            if aid in state.intro and day <= state.intro[aid]:
                res.intro_in_time += 1
            state.log(aid, "visit", day)
            res.logged.append((aid, "visit", day))
        required = {s.id for s in day_plan.problem.stops if s.required}
        res.appointments_missed += len(required - set(out.visited))
        res.visits += len(out.visited)
        res.drive_s += out.drive_s
        res.distance_m += out.distance_m
        res.overtime_s += out.overtime_s
        res.closed += len(out.closed)
        res.missed += len(out.missed)
        res.per_day[day.isoformat()] = len(out.visited)
        res.logged += _desk(task, state, day)
    return res


def _overdue(state: RepState, day: date) -> int:
    return sum(1 for _, st in state.owed("visit", day) if st.status == "overdue")


def run_tasks(
    tasks: list[RepTask],
    processes: int | None = None,
    progress: Callable[[int, int], None] | None = None,
) -> list[RepResult]:
    """Every rep's month, in parallel processes (``processes=1``: in this process)."""
    processes = processes or min(len(tasks), os.cpu_count() or 1)
    results: list[RepResult] = []
    if processes <= 1 or len(tasks) <= 1:
        for k, t in enumerate(tasks):
            results.append(simulate_rep(t))
            if progress:
                progress(k + 1, len(tasks))
        return results
    with ProcessPoolExecutor(max_workers=processes) as pool:
        for k, r in enumerate(pool.map(simulate_rep, tasks)):
            results.append(r)
            if progress:
                progress(k + 1, len(tasks))
    return results
