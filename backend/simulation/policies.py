"""The planning policies the simulator compares, each turning a morning's state into a day.

* ``fieldrep``: the horizon planner (``routing.horizon``): the visits every account still owes
  this period assigned jointly to the working days left (at most ``HORIZON_DAYS``, at least the
  week), the first day being today's route; re-planned every morning from what really happened.
* ``day``: day-by-day planning as it was before the horizon planner: today's due visits valued
  by cadence urgency (the backend's ``VALUE_SCALE`` x urgency), the most valuable day routed.
* ``baseline``: the spreadsheet habit: the most overdue accounts, driven in nearest-neighbour
  order from home, added while the day still has room.

Calls and emails (``run._desk``): under ``fieldrep`` the product's desk plan
(``cadence.engine.desk``, ``GET /api/cadence/desk``) picks them over the rest of the period;
under ``day`` and ``baseline`` the rep works through what is due or overdue, most urgent first.

Determinism. The product's solvers run against the clock (a portfolio of engines and an
iterated local search until the time limit), so their answer depends on how busy the machine
is: a simulation built on them would not give the same JSON twice for one seed. By default
(``time_limit`` 0) the simulator therefore runs the same planners' deterministic parts, each to
a standstill rather than to a deadline: for ``fieldrep`` the horizon's own assignment
(``routing.horizon.solve.assign``: greedy insertion in pressing order, then relocate / insert /
eject rounds) with the first day tightened by ``routing.ils.shorten``; for ``day`` the day
solver's local search (``routing.ils.Day.local_search``: fill, 2-opt / relocate, swap) from the
greedy start. With ``time_limit`` > 0 each day is planned by the product's time-limited entry
points instead (``routing.horizon.solve_horizon``, ``routing.solver.solve``, one worker each):
closer to production, not repeatable to the digit.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from backend.cadence.engine.due import due_dates
from backend.cadence.engine.periods import PERIOD_WORDS
from backend.cadence.engine.urgency import urgency_score
from backend.routes.service.horizon import REVENUE_LIFT
from backend.routes.service.horizon import working_days as horizon_days
from backend.routes.service.problems import VALUE_SCALE, lunch_break
from backend.routes.service.settings import DEFAULT_SETTINGS
from backend.simulation.state import RepState
from backend.simulation.world import SimAccount
from routing import ils
from routing.horizon import Need, solve_horizon
from routing.horizon.assign import Board
from routing.horizon.solve import assign
from routing.local import greedy
from routing.models import Location, Plan, Problem, RoutingError, Stop
from routing.schedule import simulate
from routing.solver import solve
from routing.travel import TravelMatrix, geodesic_matrix

POLICIES = ("fieldrep", "day", "baseline")
HORIZON_DAYS = DEFAULT_SETTINGS.horizon_days
MAX_CANDIDATES = DEFAULT_SETTINGS.max_candidates
INF = math.inf
# The baseline gives up on a day after this many overdue accounts in a row that do not fit.
BASELINE_MISSES = 5


@dataclass
class Geometry:
    """One rep's travel matrix over home (node 0) and every account they may ever own."""

    index: dict[str, int]
    matrix: TravelMatrix

    @classmethod
    def of(cls, home: tuple[float, float], accounts: list[SimAccount]) -> Geometry:
        """Geodesic times (the product's default travel model) between home and accounts."""
        locs = [Location(*home), *(Location(a.lat, a.lon) for a in accounts)]
        return cls({a.id: k + 1 for k, a in enumerate(accounts)}, geodesic_matrix(locs))


@dataclass(frozen=True)
class DayPlan:
    """A planned day: the problem it was planned on and the stop sequence (indices)."""

    problem: Problem
    seq: list[int]
    # The product's horizon raised (see ``plan_fieldrep``): the day was planned without it.
    fallback: bool = False


def working_days(day: date, last: date) -> list[date]:
    """The horizon's days, as the product's horizon service picks them."""
    return horizon_days(day, last, HORIZON_DAYS)


def windows(account: SimAccount, day: date, service: int, shift: tuple[int, int]):
    """Opening hours of that weekday as start windows inside the shift (as the backend)."""
    hours = ((0, 86400),) if account.hours is None else account.hours[day.weekday()]
    out = []
    for lo, hi in hours:
        a, b = max(lo, shift[0]), min(hi - service, shift[1] - service)
        if b >= a:
            out.append((a, b))
    return tuple(out)


def problem_for(
    state: RepState,
    geo: Geometry,
    day: date,
    values: dict[str, int],
    shift: tuple[int, int],
) -> Problem:
    """The day's Problem over the accounts in ``values`` (open that day) plus appointments."""
    booked = {a.account_id: a for a in state.appointments.get(day, ())}
    stops, nodes = [], []
    for aid, appt in booked.items():
        acc = state.accounts[aid]
        stops.append(
            Stop(
                aid,
                Location(acc.lat, acc.lon),
                appt.minutes * 60,
                values.get(aid, VALUE_SCALE),
                ((appt.start, appt.start),),
                True,
            )
        )
        nodes.append(geo.index[aid])
    for aid, value in values.items():
        if aid in booked:
            continue
        acc = state.accounts[aid]
        w = windows(acc, day, acc.service_s, shift)
        stops.append(Stop(aid, Location(acc.lat, acc.lon), acc.service_s, value, w))
        nodes.append(geo.index[aid])
    ext = [0, *nodes, 0]
    dur, dist = geo.matrix.durations, geo.matrix.distances
    return Problem(
        shift_start=shift[0],
        shift_end=shift[1],
        start=Location(*state.rep.home),
        end=Location(*state.rep.home),
        stops=tuple(stops),
        durations=tuple(tuple(dur[a][b] for b in ext) for a in ext),
        distances=None if dist is None else tuple(tuple(dist[a][b] for b in ext) for a in ext),
        brk=lunch_break(shift[0], shift[1], DEFAULT_SETTINGS),
        max_stops=state.rep.max_stops,
        date=day.isoformat(),
    )


def _urgent(state: RepState, day: date, kind: str = "visit") -> list[tuple]:
    owed = state.owed(kind, day)
    scored = [(urgency_score(a.tier, kind, st.lateness_days, a.kare), a, st) for a, st in owed]
    if kind == "visit" and state.intro:
        # As the product's due list ranks a handover's introductory visit: above everything.
        top = max((u for u, a, _ in scored if a.id not in state.intro), default=0.0) + 1.0
        scored = [
            (top + st.overdue_days, a, st) if a.id in state.intro else (u, a, st)
            for u, a, st in scored
        ]
    scored.sort(key=lambda x: (-x[0], x[2].due_date, x[1].id))
    return scored


def plan_day(
    state: RepState, geo: Geometry, day: date, shift: tuple[int, int], time_limit: float = 0.0
) -> DayPlan:
    """``day``: today's due visits valued by urgency, routed by the day solver."""
    scored = _urgent(state, day)[:MAX_CANDIDATES]
    values = {a.id: max(1, round(u * VALUE_SCALE)) for u, a, _ in scored}
    p = problem_for(state, geo, day, values, shift)
    if time_limit > 0:
        return DayPlan(p, _seq(p, solve(p, time_limit, workers=1)))
    return DayPlan(p, _search(p, greedy(p)))


def _search(p: Problem, seq: list[int]) -> list[int]:
    """The day solver's local search to a standstill (no clock: same input, same route)."""
    day = ils.Day(p)
    start = [i + 1 for i in seq]
    if not day.feasible(start):
        return seq
    return [b - 1 for b in day.local_search(start, INF)]


def needs_of(state: RepState, day: date, scored: list[tuple]) -> dict[str, Need]:
    """What each account still owes in its period (as the horizon service builds it)."""
    top = max((a.revenue for _, a, _ in scored), default=0.0) or 1.0
    needs = {}
    for _, a, st in scored:
        dues = []
        for k in range(st.remaining):
            pair = due_dates(st.period, st.required, st.done + k)
            if pair is not None:
                dues.append(pair[1])
        if dues and st.due_date is not None:  # a handover's introductory visit may be sooner
            dues[0] = min(dues[0], st.due_date)
        last = st.last_touch if st.last_touch and st.period.contains(st.last_touch) else None
        needs[a.id] = Need(
            a.id,
            tuple(dues),
            st.period.last,
            weight=urgency_score(a.tier, "visit", 0, a.kare)
            / 10.0
            * (1.0 + REVENUE_LIFT * max(0.0, a.revenue) / top),
            gap_days=max(1, st.period.days // (3 * max(1, st.required))),
            last_visit=last,
            period=PERIOD_WORDS[st.period.kind],
        )
    return needs


def _seq(p: Problem, plan: Plan) -> list[int]:
    """A solver's Plan as stop indices of ``p``."""
    at = {s.id: i for i, s in enumerate(p.stops)}
    return [at[sid] for sid in plan.route]


def plan_fieldrep(
    state: RepState,
    geo: Geometry,
    day: date,
    shift: tuple[int, int],
    month_end: date,
    time_limit: float = 0.0,
) -> DayPlan:
    """``fieldrep``: the horizon's assignment over the days left; today is its first day."""
    scored = _urgent(state, day)[:MAX_CANDIDATES]
    needs = needs_of(state, day, scored)
    values = {a.id: max(1, round(u * VALUE_SCALE)) for u, a, _ in scored}
    dates = working_days(day, month_end)
    days = [problem_for(state, geo, d, values, shift) for d in dates]
    fallback = False
    if time_limit > 0:
        try:
            result = solve_horizon(days, needs, time_limit, workers=1)
            return DayPlan(days[0], _seq(days[0], result.days[0]))
        except RoutingError:
            # solve_horizon checks every day; seen in the simulator: "horizon day 2026-12-30
            # infeasible: required stop '599' is missing" (an appointment on a later day the
            # assignment did not place; cause not yet found). The rep still gets today's plan,
            # from the same assignment run to a standstill, and the run counts the day.
            fallback = True
    board = Board(days, dates, needs)
    assign(board, INF)
    first = days[0]
    seq = ils.shorten(first, board.seqs[0], INF)
    return DayPlan(first, seq, fallback)


def _nearest_order(p: Problem, chosen: list[int]) -> list[int]:
    """Nearest neighbour from home over the chosen stops (appointments placed where they fit)."""
    free = [i for i in chosen if not p.stops[i].required]
    fixed = [i for i in chosen if p.stops[i].required]
    order, at = [], 0
    while free:
        nxt = min(free, key=lambda i: (p.durations[at][i + 1], i))
        order.append(nxt)
        free.remove(nxt)
        at = nxt + 1
    for f in sorted(fixed, key=lambda i: p.stops[i].windows[0][0]):
        for k in range(len(order) + 1):
            trial = order[:k] + [f] + order[k:]
            if simulate(p, trial) is not None:
                order = trial
                break
    return order


def plan_baseline(state: RepState, geo: Geometry, day: date, shift: tuple[int, int]) -> DayPlan:
    """``baseline``: most overdue first, nearest-neighbour order, until the day is full."""
    owed = state.owed("visit", day)
    owed.sort(key=lambda x: (-x[1].lateness_days, x[0].id))
    owed = owed[:MAX_CANDIDATES]
    values = {a.id: VALUE_SCALE for a, _ in owed}
    p = problem_for(state, geo, day, values, shift)
    fixed = [i for i, s in enumerate(p.stops) if s.required]
    chosen = list(fixed)
    seq = _nearest_order(p, chosen) if simulate(p, _nearest_order(p, chosen)) else []
    misses = 0
    cap = p.max_stops or len(p.stops)
    for i, s in enumerate(p.stops):
        if s.required or not s.windows or len(seq) >= cap:
            continue
        trial = _nearest_order(p, [*chosen, i])
        if simulate(p, trial) is not None and len(trial) == len(chosen) + 1:
            chosen.append(i)
            seq, misses = trial, 0
        else:
            misses += 1
            if misses >= BASELINE_MISSES:
                break
    return DayPlan(p, seq)


def plan(
    policy: str,
    state: RepState,
    geo: Geometry,
    day: date,
    shift: tuple[int, int],
    month_end: date,
    time_limit: float = 0.0,
) -> DayPlan:
    """Today's plan by ``policy`` (``time_limit`` > 0: the product's time-limited solvers)."""
    if policy == "fieldrep":
        return plan_fieldrep(state, geo, day, shift, month_end, time_limit)
    if policy == "day":
        return plan_day(state, geo, day, shift, time_limit)
    if policy == "baseline":
        return plan_baseline(state, geo, day, shift)
    raise ValueError(f"unknown policy {policy!r}; expected one of {POLICIES}")
