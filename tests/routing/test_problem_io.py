"""Parsing the problem JSON and OPTW files, and writing plans."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from routing.check import check
from routing.models import Problem, ProblemError
from routing.problem_io import format_time, parse_optw, parse_problem, parse_time, plan_to_dict
from routing.solver import solve

# Small instances the project writes itself (tests/routing/data/README.md), so a fresh clone
# passes without the benchmark set beside it.
DATA = Path(__file__).resolve().parent / "data"

GOOD = {
    "date": "2026-11-24",
    "shift": {"start": "08:00", "end": "17:30"},
    "break": {"earliest": "11:30", "latest": "13:30", "minutes": 30},
    "start": {"lat": 48.137, "lon": 11.575},
    "end": {"lat": 48.137, "lon": 11.575},
    "travel": {"speed_kmh": 40, "circuity": 1.3},
    "stops": [
        {
            "id": "acc-17",
            "lat": 48.15,
            "lon": 11.60,
            "service_minutes": 30,
            "value": 120,
            "windows": [["09:00", "12:00"], ["13:00", "17:00"]],
        },
        {
            "id": "acc-18",
            "lat": 48.10,
            "lon": 11.50,
            "service_minutes": 45,
            "value": 80,
            "required": True,
            "windows": [["14:00", "14:30"]],
        },
        {
            "id": "acc-19",
            "lat": 48.20,
            "lon": 11.55,
            "service_minutes": 20,
            "value": 50,
            "windows": [],
        },
    ],
}


def errors_of(data: dict) -> dict[str, list[str]]:
    with pytest.raises(ProblemError) as exc:
        parse_problem(data)
    return exc.value.errors


def test_times_round_trip() -> None:
    assert parse_time("08:30") == 8 * 3600 + 1800
    assert format_time(parse_time("17:05:09")) == "17:05:09"


def test_design_example_solves_to_the_output_json() -> None:
    p = parse_problem(GOOD)
    out = plan_to_dict(p, solve(p, 0.3, workers=1))
    ids = [s["id"] for s in out["stops"]]
    assert "acc-18" in ids
    assert out["break"]["start"] >= "11:30:00" and out["break"]["end"] <= "13:30:00"
    assert {"id": "acc-19", "reason": "closed that day"} in out["dropped"]
    assert out["distance_m"] > 0 and out["travel_seconds"] > 0


@pytest.mark.parametrize(
    ("mutate", "path", "words"),
    [
        (lambda d: d.update(required=["nope"]), "required", "unknown stop id"),
        (lambda d: d["stops"][1].update(id="acc-17"), "stops[1].id", "duplicate"),
        (
            lambda d: d["stops"][0].update(windows=[["12:00", "09:00"]]),
            "stops[0].windows[0]",
            "ends before it starts",
        ),
        (lambda d: d["stops"][0].pop("lat"), "stops[0].lat", "coordinate"),
        (lambda d: d["shift"].update(start="8 o'clock"), "shift.start", "HH:MM"),
        (
            lambda d: d.update(travel={"matrix_seconds": [[0, 1], [1, 0]]}),
            "travel.matrix_seconds",
            "5 x 5",
        ),
        (lambda d: d["break"].update(minutes=300), "break", "does not fit"),
    ],
)
def test_bad_input_names_the_field(mutate, path: str, words: str) -> None:
    data = copy.deepcopy(GOOD)
    mutate(data)
    errs = errors_of(data)
    assert path in errs, errs
    assert any(words in m for m in errs[path]), errs


def test_matrix_problem_needs_no_coordinates() -> None:
    data = {
        "shift": {"start": "08:00", "end": "10:00"},
        "travel": {"matrix_seconds": [[0, 60, 0], [60, 0, 60], [0, 60, 0]]},
        "stops": [{"id": "a", "value": 5, "service_minutes": 10}],
    }
    p = parse_problem(data)
    assert solve(p, 0.2, workers=1).route == ["a"]


def test_optw_file_uses_the_tenths_convention() -> None:
    p = parse_optw(DATA / "tiny9.txt")
    assert p.n == 9 and p.shift_start == 0 and p.shift_end == 1500
    assert p.stops[0].service == 50 and p.stops[0].windows == ((0, 1200),)
    assert p.durations[0][2] == 111  # floor(sqrt(100 + 25) * 10)


def _brute_force_best(p: Problem) -> int:
    """Best score over every feasible sequence (depth-first, windows bound the start)."""
    best = 0

    def go(node: int, t: int, used: frozenset[int], score: int) -> None:
        nonlocal best
        if t + p.durations[node][p.end_node] <= p.shift_end:
            best = max(best, score)
        for i, s in enumerate(p.stops):
            if i in used:
                continue
            ((o, c),) = s.windows
            begin = max(o, t + p.durations[node][i + 1])
            if begin <= c:
                go(i + 1, begin + s.service, used | {i}, score + s.value)

    go(0, p.shift_start, frozenset(), 0)
    return best


def test_solve_reaches_the_brute_force_optimum_of_a_small_optw_instance() -> None:
    p = parse_optw(DATA / "tiny9.txt")
    best = _brute_force_best(p)
    assert 0 < best < sum(s.value for s in p.stops)  # a real choice: not everything fits
    plan = solve(p, 1.0, workers=1)
    assert check(p, plan) == [] and plan.value == best


def test_optw_bad_file(tmp_path: Path) -> None:
    bad = tmp_path / "x.txt"
    bad.write_text("hello\nworld\n1 2\n")
    with pytest.raises(ProblemError):
        parse_optw(bad)
