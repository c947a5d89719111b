"""FieldRep routing: pure day/week route planning (orienteering with time windows).

Typical use: `plan = solve(parse_problem(data), time_limit_s=5)`; see docs/benchmarks.md.
"""

from routing.check import check
from routing.models import (
    Break,
    DroppedStop,
    Leg,
    Location,
    Plan,
    PlannedStop,
    Problem,
    ProblemError,
    RoutingError,
    Stop,
)
from routing.problem_io import parse_optw, parse_problem, plan_to_dict
from routing.solver import solve
from routing.travel import OsrmTable, TravelMatrix, explicit_matrix, geodesic_matrix
from routing.week import WeekPlan, solve_week

__all__ = [
    "Break",
    "DroppedStop",
    "Leg",
    "Location",
    "OsrmTable",
    "Plan",
    "PlannedStop",
    "Problem",
    "ProblemError",
    "RoutingError",
    "Stop",
    "TravelMatrix",
    "WeekPlan",
    "check",
    "explicit_matrix",
    "geodesic_matrix",
    "parse_optw",
    "parse_problem",
    "plan_to_dict",
    "solve",
    "solve_week",
]
