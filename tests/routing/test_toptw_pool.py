"""Route pool and set-packing recombination of the team search: the recombined routes are
disjoint, feasible under the independent check, and as good as the best disjoint choice."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from routing.ils import Day
from routing.models import Problem
from routing.problem_io import parse_optw
from routing.toptw import check_team, score, solve_toptw
from routing.toptw_pool import RoutePool

from .test_problem_io import DATA
from .test_toptw import _team_optimum, _write_optw


def _one_order_per_set(p: Problem) -> dict[int, list[int]]:
    """Bit mask -> one feasible order (matrix nodes) of every stop set a single route serves."""
    out: dict[int, list[int]] = {}

    def go(node: int, t: int, used: int, seq: list[int]) -> None:
        if used and used not in out and t + p.durations[node][p.end_node] <= p.shift_end:
            out[used] = list(seq)
        for i, s in enumerate(p.stops):
            if used >> i & 1:
                continue
            ((o, c),) = s.windows
            begin = max(o, t + p.durations[node][i + 1])
            if begin <= c:
                go(i + 1, begin + s.service, used | 1 << i, [*seq, i + 1])

    go(0, p.shift_start, 0, [])
    return out


@pytest.mark.parametrize("m", [1, 2, 3])
def test_recombination_of_every_feasible_route_is_the_team_optimum(m: int) -> None:
    p = parse_optw(DATA / "tiny9.txt")
    day = Day(p)
    pool = RoutePool()
    pool.add(list(_one_order_per_set(p).values()), day.val, day.travel)
    best = pool.recombine(m, [[] for _ in range(m)], 5.0)
    assert best is not None and len(best) == m
    routes = [[b - 1 for b in r] for r in best]
    assert check_team(p, routes) == []
    assert score(p, routes) == _team_optimum(p, m)


def test_the_pool_keeps_the_shorter_order_of_a_stop_set() -> None:
    p = parse_optw(DATA / "tiny9.txt")
    day = Day(p)
    orders = [r for r in _one_order_per_set(p).values() if len(r) >= 2]
    route = orders[0]
    pool = RoutePool()
    pool.add([route, list(reversed(route))], day.val, day.travel)
    assert len(pool) == 1
    (kept, value, travel) = next(iter(pool.routes.values()))
    assert value == sum(day.val[b] for b in route)
    assert travel == min(day.travel(route), day.travel(list(reversed(route))))


def _windows_instance(tmp_path: Path, seed: int, n: int = 60) -> Problem:
    rng = random.Random(seed)
    stops = []
    for _ in range(n):
        o = rng.randint(0, 200)
        stops.append(
            (rng.uniform(-35, 35), rng.uniform(-35, 35), 10, rng.randint(1, 30), o, o + 50)
        )
    return parse_optw(_write_optw(tmp_path / f"w{seed}.txt", 300, stops))


@pytest.mark.parametrize(("seed", "m"), [(1, 2), (2, 3), (3, 4)])
def test_every_route_the_team_search_returns_passes_the_independent_check(
    tmp_path: Path, seed: int, m: int
) -> None:
    # 1.5 s: long enough for both recombinations of the route pool to run.
    p = _windows_instance(tmp_path, seed)
    routes = solve_toptw(p, m, 1.5, seed=seed)
    assert len(routes) == m
    assert check_team(p, routes) == []
    served = [i for r in routes for i in r]
    assert len(served) == len(set(served)) and score(p, routes) > 0
