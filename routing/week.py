"""The week: one route per working day over shared candidate stops (team orienteering).

Each day is a full `Problem` (its own shift, break, start/end, matrix) listing the stops that
may be visited that day, with that day's windows and value; a stop absent from a day's problem
is not allowed that day. `visits` says how many visits a stop needs in the week (default 1).
Solved jointly by the horizon planner (`routing.horizon`): visits are assigned to days by one
search over all the days (insertion, moves, ejections between days), then each day is routed.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from routing.horizon import Need, restrict, solve_horizon
from routing.horizon.model import IN_TIME
from routing.models import DroppedStop, Plan, Problem

__all__ = ["WeekPlan", "restrict", "solve_week"]


@dataclass
class WeekPlan:
    """One Plan per day (same order as the input) and the stops left short of their visits."""

    days: list[Plan]
    unserved: list[DroppedStop]

    @property
    def value(self) -> int:
        """Total value over the week."""
        return sum(d.value for d in self.days)


def _dated(days: list[Problem]) -> list[Problem]:
    """Days as given when they carry dates; else consecutive made-up dates (spacing by position)."""
    try:
        [date.fromisoformat(d.date) for d in days]  # type: ignore[arg-type]
        return days
    except (TypeError, ValueError):
        first = date(2001, 1, 1)
        return [replace(d, date=(first + timedelta(k)).isoformat()) for k, d in enumerate(days)]


def solve_week(
    days: list[Problem],
    visits: dict[str, int] | None = None,
    min_gap_days: int = 2,
    time_limit_s: float = 10.0,
    workers: int = 2,
) -> WeekPlan:
    """Assign and order visits over the days to maximise the week's value, jointly.

    Two visits of one stop are at least `min_gap_days` calendar days apart; required stops
    (appointments) stay on their day. A stop's value is its best value over the days.
    """
    visits = visits or {}
    days = _dated(days)
    last = date.fromisoformat(days[-1].date) if days else date.today()  # type: ignore[arg-type]
    best: dict[str, int] = {}
    for d in days:
        for s in d.stops:
            best[s.id] = max(best.get(s.id, 0), s.value)
    needs = {
        sid: Need(
            sid,
            (last,) * max(0, visits.get(sid, 1)),
            last,
            weight=value / (IN_TIME * 10),
            gap_days=min_gap_days,
            period="week",
        )
        for sid, value in best.items()
    }
    plan = solve_horizon(days, needs, time_limit_s, workers, route_all=True)
    return WeekPlan(plan.days, plan.unserved)
