"""`solve_horizon()`: assign visits to days jointly, then route the days with the day solver."""

from __future__ import annotations

import math
import time
from dataclasses import replace
from datetime import date

from routing import ils
from routing.appointments import set_aside
from routing.check import check
from routing.horizon.assign import Board
from routing.horizon.model import (
    CLOSED_LEFT,
    NO_DAY_BEFORE_DUE,
    NO_ROOM,
    OUT_OF_REACH,
    TOO_SOON,
    HorizonPlan,
    Need,
    planned_for,
)
from routing.models import CLOSED, DroppedStop, Plan, Problem, ProblemError, RoutingError
from routing.schedule import build_plan, drop_reason, simulate, travel_of, value_of
from routing.solver import solve

# Share of the time limit the assignment across days gets; routing the days has the rest.
ASSIGN_SHARE = 0.35
# A visit with at most this many open days left before its due date is inserted first.
PRESSING_DAYS = 2
# A visit planned for a later day enters the first day's solve at this fraction of its value.
PULL_DISCOUNT = 10
PULL_MAX = 12
# Of the routing time, the share of the first day when only it is solved in full.
FIRST_DAY_SHARE = 0.9
# Share of the time limit kept for what follows the routing: later days, reasons, checks.
FINISH_SHARE = 0.15


def restrict(p: Problem, keep: list[int]) -> Problem:
    """The same day with only the stops at indices `keep` (matrix sliced to match)."""
    nodes = [0] + [i + 1 for i in keep] + [p.end_node]
    dist = p.distances
    return replace(
        p,
        stops=tuple(p.stops[i] for i in keep),
        durations=tuple(tuple(p.durations[a][b] for b in nodes) for a in nodes),
        distances=None if dist is None else tuple(tuple(dist[a][b] for b in nodes) for a in nodes),
    )


def _dates(days: list[Problem]) -> list[date]:
    try:
        dates = [date.fromisoformat(p.date) for p in days]  # type: ignore[arg-type]
    except (TypeError, ValueError) as err:
        raise ProblemError(
            {"date": ["every day of a horizon needs its date (YYYY-MM-DD)"]}
        ) from err
    if any(b <= a for a, b in zip(dates, dates[1:], strict=False)):
        raise ProblemError({"date": ["the days of a horizon must be in order, each once"]})
    return dates


def _order(board: Board) -> list[str]:
    """Insertion order: pressing visits, then the others in time, then the late ones.

    Pressing: at most ``PRESSING_DAYS`` open days left before the first due date (fewest
    first, then weight). A late visit is worth less than any visit still in time (though more
    the sooner it is made), so it comes last and takes the earliest room the others leave.
    Within the other two classes visits go in a sweep around home (by bearing), so consecutive
    insertions are neighbours and each day fills with one area rather than with whatever came first in a list (the sweep of periodic routing).
    """
    first_day = board.days[0]
    home = first_day.start
    where = {s.id: s.location for p in board.days for s in p.stops if s.location is not None}

    def bearing(sid: str) -> float:
        loc = where.get(sid)
        if home is None or loc is None:
            return 0.0
        return math.atan2(loc.lat - home.lat, loc.lon - home.lon)

    def key(sid: str) -> tuple[int, float, float]:
        need = board.needs[sid]
        first = need.due[0]
        if first < board.dates[0]:
            return 1, bearing(sid), -need.weight
        room = sum(1 for t, d in enumerate(board.dates) if d <= first and sid in board.index[t])
        if room <= PRESSING_DAYS:
            return 0, room, -need.weight
        return 2, bearing(sid), -need.weight

    return sorted((sid for sid, n in board.needs.items() if n.due), key=key)


def _appointments(board: Board) -> None:
    """Appointments go in first, each on its own day, where they fit."""
    for t, p in enumerate(board.days):
        for s in p.stops:
            if s.required and s.windows:
                x = board.index[t][s.id]
                if x in board.seqs[t]:
                    continue
                ins = board.insertion(t, s.id)
                if ins is not None:
                    board.put(t, s.id, ins[1])


def _shorten(board: Board, deadline: float) -> None:
    """Tighten every day's driving (same stops): shorter days leave room for more visits."""
    for t, p in enumerate(board.days):
        if board.seqs[t] and time.monotonic() < deadline:
            board.seqs[t] = ils.shorten(p, board.seqs[t], deadline)


def assign(board: Board, deadline: float) -> None:
    """Greedy insertion in pressing order, then relocate / insert / eject rounds to a standstill."""
    order = _order(board)
    _appointments(board)
    board.fill(order, deadline)
    _shorten(board, deadline)
    while time.monotonic() < deadline:
        changed = board.relocate(deadline)
        changed |= board.fill(order, deadline)
        changed |= board.eject(order, deadline)
        if not changed:
            break
    _shorten(board, deadline)
    board.fill(order, deadline)


def why_unserved(board: Board, sid: str) -> str:
    """Why the next visit of ``sid`` found no day of the horizon."""
    need = board.needs[sid]
    open_days = [t for t in range(len(board.days)) if sid in board.index[t]]
    if not open_days:
        return CLOSED_LEFT
    spaced = [t for t in open_days if board.allowed(sid, t)]
    if not spaced:
        return TOO_SOON
    spaced = [t for t in spaced if simulate(board.days[t], [board.index[t][sid]]) is not None]
    if not spaced:
        return OUT_OF_REACH
    due = need.due[min(len(board.on[sid]), len(need.due) - 1)]
    if due >= board.dates[0] and not any(board.dates[t] <= due for t in spaced):
        return NO_DAY_BEFORE_DUE.format(period=need.period)
    return NO_ROOM.format(period=need.period)


def _reason(board: Board, t: int, sid: str, default: str) -> str:
    """Why a candidate of day ``t`` is not on it: its day in the horizon, or why none."""
    need = board.needs.get(sid)
    if need is None:
        return default
    others = [u for u in board.on[sid] if u != t]
    if others:
        later = [u for u in others if u > t] or others
        u = later[0]
        k = sorted(board.on[sid]).index(u)
        late = None
        # A visit already overdue on the first day is late on any day: no excuse to give.
        if k < len(need.due) and board.dates[u] > need.due[k] >= board.dates[0]:
            open_before = any(
                sid in board.index[v] and board.dates[v] <= need.due[k]
                for v in range(len(board.days))
            )
            late = "no room before" if open_before else "closed until then"
        return planned_for(board.dates[u], board.dates[0], late)
    if not need.due:
        return default
    return why_unserved(board, sid)


def _key(p: Problem, seq: list[int]) -> tuple[int, int]:
    return value_of(p, seq), -travel_of(p, seq)


def _owes(board: Board, sid: str) -> bool:
    need = board.needs.get(sid)
    return need is not None and bool(need.due)


def _plan_of(board: Board, t: int, seq: list[int], solver: str) -> Plan:
    """The Plan of ``seq`` on day ``t``'s own Problem. Built on the day cut down to its route:
    the reasons of the others come from the horizon (``_reason``), and working out the day
    solver's own reason for each of a hundred candidates would cost more than the plan."""
    p = board.days[t]
    keep = sorted(seq)
    at = {x: k for k, x in enumerate(keep)}
    plan = build_plan(restrict(p, keep), [at[x] for x in seq], solver)
    inside = set(seq)
    plan.dropped = [
        DroppedStop(s.id, "" if _owes(board, s.id) else drop_reason(p, seq, i))
        for i, s in enumerate(p.stops)
        if i not in inside
    ]
    return plan


def _route_day(board: Board, t: int, limit: float, workers: int, extras: bool) -> Plan:
    """Route day ``t`` with the day solver over its assigned visits (plus, with ``extras``, the
    visits planned nowhere), valued by the horizon; the plan is on the day's own Problem."""
    p = board.days[t]
    keep = list(board.seqs[t])
    worth: dict[int, int] = {}
    for x in keep:
        sid = p.stops[x].id
        ts = board.on.get(sid)
        worth[x] = (
            p.stops[x].value
            if ts is None
            else board.account_value(sid, ts) - board.account_value(sid, [u for u in ts if u != t])
        )
    pulled: dict[int, int] = {}  # stop index -> the later day it is taken from
    if extras:
        for sid in board.needs:
            if sid not in board.index[t] or board.index[t][sid] in worth:
                continue
            x = board.index[t][sid]
            if not board.on[sid]:
                if board.allowed(sid, t) and board.gain_on(sid, t) > 0:
                    keep.append(x)
                    worth[x] = board.gain_on(sid, t)
                continue
            # A visit planned for a later day is worth less today (it can still be made then):
            # taken only where it fits in beside the day's own visits, freeing its later day.
            # Never from a day where it is an appointment: that visit is booked, not planned.
            later = [u for u in board.on[sid] if u > t and not board.is_fixed(u, sid)]
            if later and board.allowed(sid, t, without=later[0]):
                rest = [u for u in board.on[sid] if u != later[0]]
                gain = board.account_value(sid, [*rest, t]) - board.account_value(sid, rest)
                if gain > 0:
                    pulled[x] = later[0]
                    worth[x] = max(1, gain // PULL_DISCOUNT)
        # Only the nearest of them: they can only fit in beside the day's route, and a big
        # problem costs the day solver time that its own visits need.
        route_nodes = [0, *(i + 1 for i in board.seqs[t])]
        near = sorted(pulled, key=lambda x: min(p.durations[n][x + 1] for n in route_nodes))
        for x in near[PULL_MAX:]:
            del pulled[x], worth[x]
        keep += list(pulled)
    for s in p.stops:  # an appointment that did not fit the greedy order still goes to the solver
        if s.required and s.windows and board.index[t][s.id] not in worth:
            keep.append(board.index[t][s.id])
            worth[board.index[t][s.id]] = s.value
    keep.sort()
    sub = restrict(p, keep)
    sub = replace(
        sub,
        stops=tuple(
            replace(s, value=max(1, worth[x])) for s, x in zip(sub.stops, keep, strict=True)
        ),
    )
    planned = board.seqs[t]
    fast = not extras and simulate(p, planned) is not None
    if fast:
        seq = planned
        solver = "horizon"
    else:
        sub_plan = solve(sub, max(0.05, limit), workers)
        pos = {x: k for k, x in enumerate(keep)}
        ids = [s.id for s in sub.stops]
        seq = [keep[ids.index(ps.id)] for ps in sub_plan.stops]
        mine = [pos[x] for x in planned]
        # The solver starts afresh; the assignment's own route stays when it is worth more.
        if simulate(sub, mine) is not None and _key(sub, mine) > _key(sub, [pos[x] for x in seq]):
            seq, solver = planned, "horizon"
        else:
            solver = f"horizon+{sub_plan.solver}"
    for x in set(board.seqs[t]) - set(seq):
        board.take(t, p.stops[x].id, [i for i in board.seqs[t] if i != x])
    for x in seq:
        if x in pulled:
            sid = p.stops[x].id
            u = pulled[x]
            board.take(u, sid, [i for i in board.seqs[u] if i != board.index[u][sid]])
        if x not in board.seqs[t]:
            board.put(t, p.stops[x].id, board.seqs[t] + [x])
    board.seqs[t] = list(seq)
    plan = _plan_of(board, t, seq, solver)
    if not fast:
        plan.notes = sub_plan.notes
    return plan


def solve_horizon(
    days: list[Problem],
    needs: dict[str, Need],
    time_limit_s: float = 2.0,
    workers: int = 2,
    route_all: bool = False,
) -> HorizonPlan:
    """Assign the visits ``needs`` owe to the ``days`` and route every day within the limit.

    Each day is a full Problem (its shift, break, matrix, appointments as required stops)
    listing the stops allowed that day; stop values there are ignored for accounts in
    ``needs`` (the horizon values them). The first day is routed by the day solver with the
    visits planned nowhere as extra candidates; with ``route_all`` every day is (the week
    plan), in order, so an extra goes to one day only. Every plan passes ``check()``.
    """
    dates = _dates(days)
    # Appointments that cannot be kept leave their day with the reason (as in `solve`).
    kept = [set_aside(p) for p in days]
    days = [p for p, _ in kept]
    aside = [{d.id: d.reason for d in out} for _, out in kept]
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    board = Board(days, dates, needs)
    assign(board, t0 + ASSIGN_SHARE * time_limit_s)
    plans: list[Plan] = []
    notes: list[str] = []
    for t in range(len(days)):
        # Kept back for the later days, the reasons and the checks.
        left = max(0.0, deadline - FINISH_SHARE * time_limit_s - time.monotonic())
        # The week routes every day in turn; the horizon only its first day in full.
        share = 1 / (len(days) - t) if route_all else FIRST_DAY_SHARE if t == 0 else 0.0
        limit = left * share
        before = {sid for sid in needs if t in board.on[sid]}
        plans.append(_route_day(board, t, limit, workers, extras=route_all or t == 0))
        # A visit the solver traded for another on this day gets a later day if one has room.
        lost = [sid for sid in before if t not in board.on[sid]]
        if lost:
            board.fill(lost, max(deadline, time.monotonic() + 0.05), first=t + 1)
    for t, (p, plan) in enumerate(zip(days, plans, strict=True)):
        plan.dropped = [
            DroppedStop(d.id, aside[t].get(d.id) or _reason(board, t, d.id, d.reason))
            for d in plan.dropped
        ]
        errors = check(p, plan)
        if errors:  # never hand out a plan that breaks a rule; cannot happen by construction
            raise RoutingError(f"horizon day {p.date} infeasible: {errors[0]}")
    unserved = []
    for sid, need in needs.items():
        owed = len(need.due) - len(board.on[sid])
        if owed > 0:
            reason = why_unserved(board, sid)
            unserved.append(DroppedStop(sid, reason if owed == 1 else f"{owed} visits: {reason}"))
    assigned = {sid: [dates[t] for t in ts] for sid, ts in board.on.items() if ts}
    first = {sid: _reason(board, 0, sid, CLOSED) for sid in needs if 0 not in board.on[sid]}
    return HorizonPlan(plans, dates, assigned, unserved, notes, first)
