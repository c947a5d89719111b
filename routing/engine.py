"""The only module that talks to solver libraries: PyVRP and OR-Tools models of a Problem.

Both return a sequence of stop indices (0-based into Problem.stops) or None; the caller
re-simulates and checks it, so nothing here has to be trusted.

The libraries are imported inside the functions that use them: together they take seconds to
load, and `fieldrep --help` (which builds the app, so imports this module) must not pay for it.
"""

from __future__ import annotations

import warnings
from datetime import timedelta
from time import monotonic

import numpy as np

from routing.models import Problem


def value_weight(p: Problem) -> int:
    """Prize per value point: large enough that value beats travel, small enough for penalties.

    PyVRP's time-warp penalty is capped, so prizes far above ~1e7 make infeasible routes pay.
    """
    top = max((s.value for s in p.stops), default=1) or 1
    return max(1, min(100_000, 5_000_000 // top))


def solve_pyvrp(
    p: Problem,
    time_limit_s: float,
    seed: int = 0,
    initial: list[int] | None = None,
    weight: int | None = None,
) -> list[int] | None:
    """Prize-collecting PyVRP (iterated local search); the break is left to the caller's repair.

    A stop with several windows becomes one client per window in a mutually exclusive group.
    `time_limit_s` counts from the call: the first call's import of PyVRP comes out of it.
    """
    entered = monotonic()
    from pyvrp import (
        Client,
        ClientGroup,
        Depot,
        Location,
        PenaltyParams,
        ProblemData,
        Solution,
        SolveParams,
        VehicleType,
    )
    from pyvrp import solve as pyvrp_solve
    from pyvrp.exceptions import PenaltyBoundWarning
    from pyvrp.stop import MaxRuntime

    k = weight or value_weight(p)
    copies: list[int] = []  # client index -> stop index
    clients: list = []
    groups: list = []
    first_copy: dict[int, int] = {}
    for i, s in enumerate(p.stops):
        if not s.windows:
            continue
        grouped = len(s.windows) > 1
        gid = len(groups) if grouped else None
        members = []
        for o, c in s.windows:
            first_copy.setdefault(i, len(clients))
            members.append(len(clients))
            clients.append(
                Client(
                    location=2 + len(clients),
                    delivery=[1],
                    service_duration=s.service,
                    tw_early=o,
                    tw_late=c,
                    prize=0 if s.required and not grouped else s.value * k,
                    required=s.required and not grouped,
                    group=gid,
                )
            )
            copies.append(i)
        if grouped:
            groups.append(ClientGroup(members, required=s.required))
    nodes = [0, p.end_node] + [i + 1 for i in copies]
    full = np.asarray(p.durations, dtype=np.int64)
    mat = full[np.ix_(nodes, nodes)]
    cap = p.max_stops if p.max_stops is not None else len(p.stops) + 1
    data = ProblemData(
        locations=[Location(0.0, 0.0) for _ in nodes],
        clients=clients,
        depots=[Depot(0, p.shift_start, p.shift_end), Depot(1, p.shift_start, p.shift_end)],
        vehicle_types=[
            VehicleType(
                1,
                capacity=[cap],
                start_depot=0,
                end_depot=1,
                tw_early=p.shift_start,
                tw_late=p.shift_end,
            )
        ],
        distance_matrices=[mat],
        duration_matrices=[mat],
        groups=groups,
    )
    init = None
    if initial:
        init = Solution(data, [[first_copy[i] for i in initial if i in first_copy]])
    params = SolveParams(penalty=PenaltyParams(max_penalty=1e5))
    with warnings.catch_warnings():
        # Prizes dwarf the default penalty cap on purpose; the result is checked anyway.
        warnings.simplefilter("ignore", PenaltyBoundWarning)
        res = pyvrp_solve(
            data,
            MaxRuntime(max(0.01, time_limit_s - (monotonic() - entered))),
            seed=seed,
            display=False,
            params=params,
            initial_solution=init,
        )
    best = res.best
    if not best.is_feasible():
        return None
    return [copies[a.idx] for route in best.routes() for a in route if a.is_client()]


def solve_ortools(
    p: Problem, time_limit_s: float, initial: list[int] | None = None
) -> list[int] | None:
    """OR-Tools routing with disjunctions, windows as cumul domains and a native break interval.

    `time_limit_s` counts from the call (the import and the model building come out of it).
    """
    entered = monotonic()
    from ortools.constraint_solver import pywrapcp, routing_enums_pb2

    n = p.n
    manager = pywrapcp.RoutingIndexManager(n + 2, 1, [0], [n + 1])
    routing = pywrapcp.RoutingModel(manager)
    service = [0] + [s.service for s in p.stops] + [0]
    dur = p.durations

    def transit(a: int, b: int) -> int:
        na, nb = manager.IndexToNode(a), manager.IndexToNode(b)
        return dur[na][nb] + service[na]

    def travel(a: int, b: int) -> int:
        return dur[manager.IndexToNode(a)][manager.IndexToNode(b)]

    t_cb = routing.RegisterTransitCallback(transit)
    c_cb = routing.RegisterTransitCallback(travel)
    routing.SetArcCostEvaluatorOfAllVehicles(c_cb)
    routing.AddDimension(t_cb, p.shift_end, p.shift_end, False, "time")
    time = routing.GetDimensionOrDie("time")
    time.CumulVar(routing.Start(0)).SetRange(p.shift_start, p.shift_end)
    time.CumulVar(routing.End(0)).SetRange(p.shift_start, p.shift_end)
    k = value_weight(p)
    for i, s in enumerate(p.stops):
        idx = manager.NodeToIndex(i + 1)
        if not s.windows:
            routing.ActiveVar(idx).SetValue(0)
            continue
        cumul = time.CumulVar(idx)
        cumul.SetRange(s.windows[0][0], s.windows[-1][1])
        for (_, c), (o, _) in zip(s.windows, s.windows[1:], strict=False):
            if o - c > 1:
                cumul.RemoveInterval(c + 1, o - 1)
        if not s.required:
            routing.AddDisjunction([idx], s.value * k)
    if p.max_stops is not None:
        ones = routing.RegisterUnaryTransitCallback(
            lambda a: 0 if manager.IndexToNode(a) in (0, n + 1) else 1
        )
        routing.AddDimension(ones, 0, p.max_stops, True, "stops")
    if p.brk is not None:
        solver = routing.solver()
        interval = solver.FixedDurationIntervalVar(
            p.brk.earliest, p.brk.latest - p.brk.duration, p.brk.duration, False, "break"
        )
        visit = [service[manager.IndexToNode(i)] for i in range(routing.Size())]
        time.SetBreakIntervalsOfVehicle([interval], 0, visit)
    params = pywrapcp.DefaultRoutingSearchParameters()
    params.first_solution_strategy = routing_enums_pb2.FirstSolutionStrategy.PATH_CHEAPEST_ARC
    params.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    left = time_limit_s - (monotonic() - entered)
    params.time_limit.FromMilliseconds(max(1, int(left * 1000)))
    sol = None
    if initial:
        routing.CloseModelWithParameters(params)
        init = routing.ReadAssignmentFromRoutes([[i + 1 for i in initial]], True)
        if init is not None:
            sol = routing.SolveFromAssignmentWithParameters(init, params)
    if sol is None:
        sol = routing.SolveWithParameters(params)
    if sol is None:
        return None
    seq = []
    idx = sol.Value(routing.NextVar(routing.Start(0)))
    while not routing.IsEnd(idx):
        seq.append(manager.IndexToNode(idx) - 1)
        idx = sol.Value(routing.NextVar(idx))
    return seq


def solve_vroom(
    p: Problem, exploration: int = 5, time_limit_s: float | None = None, vehicles: int = 1
) -> list[int] | None:
    """VROOM (fast heuristics; priority = value scaled to 0..100, several windows, the break).

    VROOM is fast on a day's stops but has no bound of its own on large ones: `time_limit_s`
    (from the call) becomes its timeout. With `vehicles` > 1 the routes come back one after
    the other; `solve_vroom_routes` keeps them apart.
    """
    routes = solve_vroom_routes(p, exploration, time_limit_s, vehicles)
    return None if routes is None else [i for r in routes for i in r]


def solve_vroom_routes(
    p: Problem, exploration: int = 5, time_limit_s: float | None = None, vehicles: int = 1
) -> list[list[int]] | None:
    """`solve_vroom` with one identical vehicle per route; a list of routes (stop indices)."""
    entered = monotonic()
    import vroom

    inp = vroom.Input()
    inp.set_durations_matrix("car", np.asarray(p.durations, dtype=np.uint32))
    top = max((s.value for s in p.stops), default=0)
    b = p.brk
    for v in range(1, vehicles + 1):
        breaks = []
        if b is not None:
            window = vroom.TimeWindow(b.earliest, b.latest - b.duration)
            breaks = [vroom.Break(1, time_windows=[window], service=b.duration)]
        inp.add_vehicle(
            vroom.Vehicle(
                v,
                start=0,
                end=p.end_node,
                time_window=vroom.TimeWindow(p.shift_start, p.shift_end),
                breaks=breaks,
                max_tasks=p.max_stops if p.max_stops is not None else 2**32,
            )
        )
    jobs = 0
    for i, s in enumerate(p.stops):
        if not s.windows:
            continue
        # VROOM priorities are 0..100; required stops get the top priority.
        prio = s.value if top <= 100 else round(100 * s.value / top)
        inp.add_job(
            vroom.Job(
                i + 1,
                i + 1,
                default_service=s.service,
                priority=100 if s.required else prio,
                time_windows=[vroom.TimeWindow(o, c) for o, c in s.windows],
            )
        )
        jobs += 1
    if not jobs:
        return [[] for _ in range(vehicles)]
    timeout = None
    if time_limit_s is not None:
        left = max(0.001, time_limit_s - (monotonic() - entered))
        timeout = timedelta(seconds=left)
    table = inp.solve(exploration_level=exploration, nb_threads=1, timeout=timeout).routes
    out: dict[int, list[int]] = {v: [] for v in range(1, vehicles + 1)}
    for v, t, j in zip(table["vehicle_id"], table["type"], table["id"], strict=False):
        if t == "job":
            out[int(v)].append(int(j) - 1)
    return [out[v] for v in sorted(out)]
