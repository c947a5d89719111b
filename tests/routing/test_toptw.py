"""Team orienteering (several routes over one set of stops): feasible, disjoint, optimal on
small instances, and better than one route; the inter-route moves keep routes feasible."""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from backend.routes.cli.solve import route
from routing.models import Problem
from routing.problem_io import parse_optw
from routing.toptw import Team, check_team, score, solve_toptw

from .test_problem_io import DATA


def _feasible_sets(p: Problem) -> dict[int, int]:
    """Bit mask -> value of every stop set one route can serve (depth-first over orders)."""
    out: dict[int, int] = {}

    def go(node: int, t: int, used: int, value: int) -> None:
        if t + p.durations[node][p.end_node] <= p.shift_end:
            out[used] = value
        for i, s in enumerate(p.stops):
            if used >> i & 1:
                continue
            ((o, c),) = s.windows
            begin = max(o, t + p.durations[node][i + 1])
            if begin <= c:
                go(i + 1, begin + s.service, used | 1 << i, value + s.value)

    go(0, p.shift_start, 0, 0)
    return out


def _team_optimum(p: Problem, m: int) -> int:
    """Best total value of m disjoint feasible routes (subset dynamic programming)."""
    sets = _feasible_sets(p)
    full = (1 << p.n) - 1
    best = [0] * (full + 1)  # k = 0 routes collect nothing
    for _ in range(m):
        nxt = [0] * (full + 1)
        for mask in range(full + 1):
            sub, top = mask, 0
            while True:
                if sub in sets:
                    top = max(top, sets[sub] + best[mask & ~sub])
                if sub == 0:
                    break
                sub = (sub - 1) & mask
            nxt[mask] = top
        best = nxt
    return best[full]


def _write_optw(path: Path, depot_close: float, stops: list[tuple], decimals: int = 2) -> Path:
    """An OPTW file: stops are (x, y, service, score, open, close)."""
    f = f"{{:.{decimals}f}}"
    lines = [
        f"4 {len(stops)} 100 1",
        "0 200",
        f"  0 {f.format(0)} {f.format(0)} 0 0 0 0 0 {depot_close}",
    ]
    for i, (x, y, d, s, o, c) in enumerate(stops, 1):
        lines.append(f"  {i} {f.format(x)} {f.format(y)} {d} {s} 1 1 1 {o} {c}")
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.mark.parametrize("m", [2, 3])
def test_reaches_the_team_optimum_of_a_small_instance(m: int) -> None:
    p = parse_optw(DATA / "tiny9.txt")
    best = _team_optimum(p, m)
    one = _team_optimum(p, 1)
    assert one < best <= sum(s.value for s in p.stops)  # a second route really adds
    routes = solve_toptw(p, m, 1.0)
    assert check_team(p, routes) == []
    assert len(routes) == m and score(p, routes) == best


def test_two_far_clusters_need_two_routes(tmp_path: Path) -> None:
    # Each cluster fills a whole route: one route serves one cluster, two serve both.
    west = [(-40 + k, 0, 5, 10, 0, 300) for k in range(4)]
    east = [(40 + k, 0, 5, 10, 0, 300) for k in range(4)]
    p = parse_optw(_write_optw(tmp_path / "two.txt", 110, west + east))
    assert score(p, solve_toptw(p, 1, 0.5)) == 40
    routes = solve_toptw(p, 2, 0.5)
    assert check_team(p, routes) == [] and score(p, routes) == 80
    assert sorted(len(r) for r in routes) == [4, 4]


def _random_instance(seed: int, n: int = 30) -> Problem:
    rng = random.Random(seed)
    stops = []
    for _ in range(n):
        o = rng.randint(0, 150)
        stops.append(
            (rng.uniform(-30, 30), rng.uniform(-30, 30), 10, rng.randint(1, 30), o, o + 60)
        )
    return stops


@pytest.mark.parametrize("seed", range(3))
def test_each_inter_route_move_keeps_routes_feasible_and_cuts_travel(
    tmp_path: Path, seed: int
) -> None:
    p = parse_optw(_write_optw(tmp_path / "r.txt", 240, _random_instance(seed)))
    team = Team(p, 3)
    far = time.monotonic() + 5
    routes = team.fill([[], [], []], far)
    assert check_team(p, [[b - 1 for b in r] for r in routes]) == []
    for move in (team.relocate, team.exchange, team.cross):
        new = move(routes, far)
        if new is None:
            continue
        assert check_team(p, [[b - 1 for b in r] for r in new]) == []
        assert sorted(b for r in new for b in r) == sorted(b for r in routes for b in r)
        assert team.travel(new) < team.travel(routes)
        routes = new
    shaken = team.shake(routes, 1, 2)
    assert check_team(p, [[b - 1 for b in r] for r in shaken]) == []


def test_more_routes_never_score_less_and_a_given_start_is_kept(tmp_path: Path) -> None:
    p = parse_optw(_write_optw(tmp_path / "r.txt", 240, _random_instance(7, 40)))
    two = solve_toptw(p, 2, 0.5)
    three = solve_toptw(p, 3, 0.5, initial=two)
    assert check_team(p, three) == []
    assert score(p, three) >= score(p, two) > 0


def test_check_team_finds_a_stop_served_twice() -> None:
    p = parse_optw(DATA / "tiny9.txt")
    assert any("twice" in e for e in check_team(p, [[0], [0]]))


def test_cli_solve_toptw_json(tmp_path: Path) -> None:
    res = CliRunner().invoke(
        route,
        ["solve-toptw", str(DATA / "tiny9.txt"), "--routes", "2", "--time-limit", "0.5", "--json"],
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    p = parse_optw(DATA / "tiny9.txt")
    index = {s.id: i for i, s in enumerate(p.stops)}
    routes = [[index[str(c)] for c in r] for r in out["routes"]]
    assert len(routes) == 2 and check_team(p, routes) == []
    assert out["score"] == score(p, routes) == _team_optimum(p, 2)


def test_cli_solve_toptw_rejects_bad_input(tmp_path: Path) -> None:
    bad = tmp_path / "x.txt"
    bad.write_text("nope\n")
    for args in (
        ["solve-toptw", str(bad), "--routes", "2"],
        ["solve-toptw", str(DATA / "tiny9.txt"), "--routes", "0"],
        ["solve-toptw", str(DATA / "tiny9.txt")],
    ):
        res = CliRunner().invoke(route, args)
        assert res.exit_code != 0 and "Error" in res.output
        assert res.exception is None or isinstance(res.exception, SystemExit)
