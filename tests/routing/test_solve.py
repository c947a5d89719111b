"""solve(): feasibility, invariants and optimality on instances small enough to brute-force."""

from __future__ import annotations

import itertools
from dataclasses import replace

import pytest

from routing.check import check
from routing.local import greedy
from routing.models import CLOSED, Plan, Stop
from routing.schedule import build_plan, simulate, travel_of, value_of
from routing.solver import solve


def brute_force(p) -> int:
    best = 0
    idx = range(p.n)
    for k in range(1, p.n + 1):
        for perm in itertools.permutations(idx, k):
            if p.max_stops is not None and k > p.max_stops:
                break
            seq = list(perm)
            if (
                all(p.stops[i].required <= (i in perm) for i in idx)
                and value_of(p, seq) > best
                and simulate(p, seq) is not None
            ):
                best = value_of(p, seq)
    return best


@pytest.mark.parametrize("seed", range(8))
def test_tiny_instances_reach_the_brute_force_optimum(make_problem, seed: int) -> None:
    p = make_problem(seed, n=6, brk=seed % 2 == 0)
    plan = solve(p, 0.3, workers=1)
    assert check(p, plan) == []
    assert plan.value == brute_force(p)


@pytest.mark.parametrize("seed", range(4))
def test_invariants_with_required_stops_and_break(make_problem, seed: int) -> None:
    p = make_problem(100 + seed, n=25, required=1)
    plan = solve(p, 0.4, workers=1)
    assert check(p, plan) == []
    assert p.stops[0].id in plan.route
    assert p.brk is not None and plan.break_start is not None
    assert p.brk.earliest <= plan.break_start and plan.break_end <= p.brk.latest
    for ps in plan.stops:
        stop = next(s for s in p.stops if s.id == ps.id)
        assert any(o <= ps.start <= c for o, c in stop.windows)
    g = greedy(p)
    assert plan.value >= value_of(p, g)
    if plan.value == value_of(p, g):
        assert plan.travel_seconds <= travel_of(p, g)


def test_portfolio_on_two_cores(make_problem) -> None:
    p = make_problem(7, n=30)
    plan = solve(p, 0.8, workers=2)
    assert check(p, plan) == []
    assert plan.value >= value_of(p, greedy(p))


def test_max_stops_and_closed_stop(make_problem) -> None:
    p = make_problem(3, n=8, brk=False)
    closed = Stop("shut", None, 600, 1000, ())
    n = p.n
    dur = [list(r[: n + 1]) + [r[1]] + [r[n + 1]] for r in p.durations[: n + 1]]
    dur.append(list(dur[1]))
    dur.append(list(p.durations[n + 1][: n + 1]) + [p.durations[n + 1][1], 0])
    p = replace(p, stops=p.stops + (closed,), durations=tuple(map(tuple, dur)), max_stops=2)
    plan = solve(p, 0.3, workers=1)
    assert check(p, plan) == []
    assert len(plan.stops) <= 2
    assert {"id": "shut", "reason": CLOSED} in [
        {"id": d.id, "reason": d.reason} for d in plan.dropped
    ]


def _plan(p, seq) -> Plan:
    return build_plan(p, seq)


def test_checker_catches_broken_plans(make_problem) -> None:
    p = make_problem(11, n=6)
    plan = solve(p, 0.2, workers=1)
    assert plan.stops, "instance should allow some stops"
    first = plan.stops[0]
    early = replace(first, start=first.start - 7200, departure=first.departure - 7200)
    bad = replace(plan, stops=[early] + plan.stops[1:])
    assert check(p, bad)
    dup = replace(plan, stops=plan.stops + [plan.stops[0]])
    assert any("twice" in e for e in check(p, dup))
    nobreak = replace(plan, break_start=None, break_end=None)
    assert any("break" in e for e in check(p, nobreak))
    overlap = replace(plan, break_start=first.start, break_end=first.start + p.brk.duration)
    assert check(p, overlap)


def test_an_engine_that_raises_is_logged_and_noted_on_the_plan(
    make_problem, monkeypatch, caplog
) -> None:
    from routing import engine

    def broken(*args, **kwargs):
        raise RuntimeError("solver library crashed")

    monkeypatch.setattr(engine, "solve_pyvrp", broken)
    monkeypatch.setattr(engine, "solve_vroom", broken)
    p = make_problem(21, n=25, brk=True, required=2)
    with caplog.at_level("ERROR", logger="routing.solver"):
        plan = solve(p, 0.5, workers=1)
    # The day is still planned (by the fallback and the local search), and says what failed.
    assert check(p, plan) == []
    assert any(n.startswith("pyvrp failed (RuntimeError)") for n in plan.notes)
    assert any(n.startswith("vroom failed (RuntimeError)") for n in plan.notes)
    logged = [r for r in caplog.records if r.name == "routing.solver"]
    assert {"pyvrp", "vroom"} <= {r.args[0] for r in logged}


def test_the_plan_json_carries_the_solver_notes(make_problem, monkeypatch) -> None:
    from routing import engine
    from routing.problem_io import plan_to_dict

    def broken(*args, **kwargs):
        raise RuntimeError("solver library crashed")

    monkeypatch.setattr(engine, "solve_vroom", broken)
    p = make_problem(21, n=25, brk=True, required=2)
    out = plan_to_dict(p, solve(p, 0.3, workers=1))
    assert any(n.startswith("vroom failed") for n in out["notes"])


def test_an_unreachable_appointment_is_reported_and_the_day_still_planned(make_problem) -> None:
    p = make_problem(21, n=25, brk=True, required=2)
    far = [i for i, s in enumerate(p.stops) if not s.required][0]
    # Four hours' drive from the start, booked for 10:00 (shift start + 2 h at most).
    durations = [list(r) for r in p.durations]
    durations[0][far + 1] = durations[far + 1][0] = 4 * 3600
    appt = replace(p.stops[far], required=True, windows=((10 * 3600, 10 * 3600),))
    stops = tuple(appt if i == far else s for i, s in enumerate(p.stops))
    p = replace(p, stops=stops, durations=tuple(tuple(r) for r in durations))
    plan = solve(p, 0.5, workers=1)
    kept = {s.id for s in p.stops if s.required} - {appt.id}
    assert kept <= set(plan.route) and appt.id not in plan.route and len(plan.route) > 2
    reason = {d.id: d.reason for d in plan.dropped}[appt.id]
    assert "earliest possible arrival" in reason and "10:00-10:00" in reason


def test_of_two_clashing_appointments_the_earlier_is_kept(make_problem) -> None:
    p = make_problem(3, n=12, brk=False)
    a, b = 0, 1
    # Both at 10:00 at different places: no one can be in two places at once.
    stops = tuple(
        replace(s, required=True, windows=((10 * 3600, 10 * 3600),))
        if i == a
        else replace(s, required=True, windows=((10 * 3600 + 60, 10 * 3600 + 60),))
        if i == b
        else s
        for i, s in enumerate(p.stops)
    )
    p = replace(p, stops=stops)
    plan = solve(p, 0.5, workers=1)
    assert p.stops[a].id in plan.route and p.stops[b].id not in plan.route
    reason = {d.id: d.reason for d in plan.dropped}[p.stops[b].id]
    assert f"conflicts with the earlier appointment {p.stops[a].id}" in reason
