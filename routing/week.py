"""The week: one route per working day over shared candidate stops (team orienteering).

Each day is a full `Problem` (its own shift, break, start/end, matrix) listing the stops that
may be visited that day, with that day's windows and value; a stop absent from a day's problem
is not allowed that day. `visits` says how many visits a stop needs in the week (default 1).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date

from routing.models import DroppedStop, Plan, Problem
from routing.solver import solve


@dataclass
class WeekPlan:
    """One Plan per day (same order as the input) and the stops left short of their visits."""

    days: list[Plan]
    unserved: list[DroppedStop]

    @property
    def value(self) -> int:
        """Total value over the week."""
        return sum(d.value for d in self.days)


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


def _day_numbers(days: list[Problem]) -> list[int]:
    """Calendar day numbers for spacing; falls back to the list position without dates."""
    try:
        return [date.fromisoformat(d.date).toordinal() for d in days]  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return list(range(len(days)))


def solve_week(
    days: list[Problem],
    visits: dict[str, int] | None = None,
    min_gap_days: int = 2,
    time_limit_s: float = 10.0,
    workers: int = 2,
) -> WeekPlan:
    """Assign and order visits over the days to maximise the week's value.

    Two visits of one stop are at least `min_gap_days` calendar days apart. Days are solved
    in turn, scarcest first (a day whose stops have few other allowed days), each from the stops
    still owed a visit; required stops (appointments) always stay on their day.
    """
    visits = visits or {}
    owed: dict[str, int] = {}
    for d in days:
        for s in d.stops:
            owed.setdefault(s.id, max(0, visits.get(s.id, 1)))
    allowed = {sid: sum(1 for d in days for s in d.stops if s.id == sid) for sid in owed}
    number = _day_numbers(days)
    # Days whose candidates can go nowhere else are planned first, so flexible stops yield.
    order = sorted(
        range(len(days)),
        key=lambda k: (sum(1 / allowed[s.id] for s in days[k].stops), -k),
        reverse=True,
    )
    taken: dict[str, list[int]] = {sid: [] for sid in owed}
    plans: dict[int, Plan] = {}
    per_day = time_limit_s / max(1, len(days))
    for k in order:
        day = days[k]
        keep = [
            i
            for i, s in enumerate(day.stops)
            if s.required
            or (
                owed[s.id] > 0
                and all(abs(number[k] - number[j]) >= min_gap_days for j in taken[s.id])
            )
        ]
        plan = solve(restrict(day, keep), per_day, workers)
        kept = set(keep)
        plan.dropped += [
            DroppedStop(s.id, "visits for the week planned on other days")
            for i, s in enumerate(day.stops)
            if i not in kept
        ]
        for ps in plan.stops:
            owed[ps.id] = max(0, owed[ps.id] - 1)
            taken[ps.id].append(k)
        plans[k] = plan
    unserved = [
        DroppedStop(sid, f"{n} visit(s) did not fit this week") for sid, n in owed.items() if n > 0
    ]
    return WeekPlan([plans[k] for k in range(len(days))], unserved)
