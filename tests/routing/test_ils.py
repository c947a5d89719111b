"""The iterated local search: every move keeps the route feasible and never makes it worse."""

from __future__ import annotations

import random
import time
from dataclasses import replace

import pytest

from routing.check import check
from routing.ils import Day, improve, shorten
from routing.local import greedy
from routing.schedule import build_plan, simulate, travel_of, value_of
from routing.solver import solve


def _feasible(p, seq: list[int]) -> bool:
    """Feasible by the independent checker (windows, break, shift, required, max stops)."""
    return simulate(p, seq) is not None and check(p, build_plan(p, seq)) == []


def _key(p, seq: list[int]) -> tuple[int, int]:
    return value_of(p, seq), -travel_of(p, seq)


def _soon(seconds: float = 0.15) -> float:
    return time.monotonic() + seconds


@pytest.mark.parametrize("seed", range(6))
def test_improve_is_feasible_and_never_worse(make_problem, seed: int) -> None:
    p = make_problem(200 + seed, n=20, brk=seed % 2 == 0, required=seed % 3)
    start = greedy(p)
    assert _feasible(p, start)
    out = improve(p, start, _soon(), seed)
    assert _feasible(p, out)
    assert len(set(out)) == len(out)
    assert _key(p, out) >= _key(p, start)
    assert all(i in out for i, s in enumerate(p.stops) if s.required)


@pytest.mark.parametrize("seed", range(4))
def test_each_move_keeps_the_route_feasible(make_problem, seed: int) -> None:
    p = make_problem(300 + seed, n=18, brk=True, required=1)
    day = Day(p)
    rng = random.Random(seed)
    route = [i + 1 for i in greedy(p)]
    nodes = lambda r: [b - 1 for b in r]  # noqa: E731 - tiny local adapter
    filled = day.fill(route, _soon(), rng)
    assert set(route) <= set(filled) and _feasible(p, nodes(filled))
    tight = day.tighten(filled, _soon())
    assert sorted(tight) == sorted(filled) and _feasible(p, nodes(tight))
    assert day.travel(tight) <= day.travel(filled)
    swapped = day.swap(tight, _soon())
    if swapped is not None:
        assert _feasible(p, nodes(swapped))
        assert value_of(p, nodes(swapped)) > value_of(p, nodes(tight))
    shaken = day.shake(tight, rng.randrange(len(tight)), 3)
    assert _feasible(p, nodes(shaken))
    assert all(b in shaken for b in tight if day.req[b])


def test_insertion_scan_agrees_with_the_scheduler(make_problem) -> None:
    """Every position the vectorised scan accepts is feasible without the break, and vice versa."""
    p = make_problem(5, n=14, brk=False)
    day = Day(p)
    route = [i + 1 for i in greedy(p)][:4]
    free = [x for x in day.cands if x not in route]
    delay = day.scan(route, free)
    for j, x in enumerate(free):
        for k in range(len(route) + 1):
            seq = [b - 1 for b in route[:k] + [x] + route[k:]]
            assert (delay[j, k] < 2**50) == (simulate(p, seq) is not None)


def test_max_stops_is_respected(make_problem) -> None:
    p = replace(make_problem(9, n=20, brk=False), max_stops=3)
    out = improve(p, greedy(p)[:2], _soon(), 0)
    assert len(out) <= 3 and _feasible(p, out)


def test_infeasible_start_comes_back_unchanged(make_problem) -> None:
    p = make_problem(4, n=10)
    everything = list(range(p.n))
    assert simulate(p, everything) is None
    assert improve(p, everything, _soon(), 0) == everything


def test_shorten_keeps_the_stops_and_cuts_travel(make_problem) -> None:
    p = make_problem(12, n=8, brk=False)
    seq = greedy(p)[::-1]
    if simulate(p, seq) is None:
        seq = greedy(p)
    out = shorten(p, seq, _soon())
    assert sorted(out) == sorted(seq) and _feasible(p, out)
    assert travel_of(p, out) <= travel_of(p, seq)


def test_small_day_where_everything_fits_returns_early(make_problem) -> None:
    p = make_problem(1, n=3, brk=False)
    p = replace(p, stops=tuple(replace(s, windows=((8 * 3600, 17 * 3600),)) for s in p.stops))
    plan = solve(p, 2.0, workers=1)
    # Behaviour, not a stopwatch: the solver says it stopped early instead of running the portfolio.
    assert any("solved early" in n for n in plan.notes)
    assert check(p, plan) == [] and len(plan.stops) == 3


def test_two_workers_keep_the_appointments(make_problem) -> None:
    p = make_problem(21, n=25, brk=True, required=2)
    plan = solve(p, 0.6, workers=2)
    assert check(p, plan) == []
    assert {"s0", "s1"} <= set(plan.route)
    assert plan.value >= value_of(p, greedy(p))
