"""Every engine gets a bound from the caller's budget (no timed assertions: the figures are in
bench/time_limits.py); a solve never waits for the helper process to start."""

from __future__ import annotations

import json
import subprocess
import sys

import pyvrp
import vroom

from routing import engine, solver
from routing.solver import solve

from .conftest import random_problem


def test_vroom_warm_start_gets_a_share_of_the_budget(monkeypatch) -> None:
    seen = []
    real = vroom.Input.solve

    def spy(self, *args, **kwargs):
        seen.append(kwargs.get("timeout"))
        return real(self, *args, **kwargs)

    monkeypatch.setattr(vroom.Input, "solve", spy)
    p = random_problem(11, n=15)
    plan = solve(p, 0.5, workers=1)
    assert plan.stops and seen, "VROOM was not consulted"
    assert all(t is not None for t in seen)
    assert all(t.total_seconds() <= solver.VROOM_SHARE * 0.5 + 1e-6 for t in seen)


def test_vroom_timeout_counts_from_the_call() -> None:
    p = random_problem(12, n=10)
    # A budget already spent still yields an answer (VROOM's first solution), never a hang.
    routes = engine.solve_vroom_routes(p, 5, 0.0, 2)
    assert routes is not None and len(routes) == 2


def test_pyvrp_runs_within_the_members_limit(monkeypatch) -> None:
    limits = []
    real = pyvrp.solve

    def spy(data, stop, *args, **kwargs):
        limits.append(stop._max_runtime)
        return real(data, stop, *args, **kwargs)

    monkeypatch.setattr(pyvrp, "solve", spy)
    p = random_problem(13, n=15)
    solve(p, 0.6, workers=1)
    assert limits and all(0 < t <= 0.6 * solver.ENGINE_SHARE for t in limits)


def test_a_cold_helper_is_not_waited_for() -> None:
    # In a fresh interpreter the helper process is not up: the first solve plans in this
    # process and says so; it starts the helper in the background for the next solves.
    code = (
        "import json\n"
        "from routing.solver import solve\n"
        "from tests.routing.conftest import random_problem\n"
        "plan = solve(random_problem(5, n=12), 0.3, workers=2)\n"
        "print(json.dumps({'notes': plan.notes, 'solver': plan.solver}))\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    result = json.loads(out.stdout.strip().splitlines()[-1])
    assert "helper process still starting: planned in one process" in result["notes"]
    assert not any(n.startswith("pyvrp-low+ils") for n in result["notes"])


def test_the_cli_counts_its_start_up_into_the_time_limit() -> None:
    from backend.routes.cli.solve import _budget, _since_process_start

    # This process has been running for a while: the search gets what is left of a limit,
    # never less than a tenth of it.
    assert _since_process_start() > 0
    assert 0.2 <= _budget(2.0) < 2.0
    assert _budget(10_000.0) < 10_000.0
