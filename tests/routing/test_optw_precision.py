"""OPTW files with three-decimal coordinates (the Cordeau-based sets) use travel truncated to two
decimals: detected from the file, overridable by --precision, and routes feasible under it."""

from __future__ import annotations

import json
import math
from pathlib import Path

from click.testing import CliRunner

from backend.routes.cli.solve import route
from routing.problem_io import optw_precision, parse_optw

from .test_problem_io import DATA


def _cordeau_like(tmp_path: Path) -> Path:
    """Depot at the origin; one stop 1.234 away, worth 10, and the depot closes at 2.45.

    Truncated to one decimal the round trip is 1.2 + 1.2 = 2.4 and fits; truncated to two
    decimals, the file's convention, it is 1.23 + 1.23 = 2.46 and does not.
    """
    f = tmp_path / "pr01.txt"
    f.write_text(
        "4 1 100 1\n0 200\n"
        "  0 0.000 0.000 0.000 0 0 0 0 2.45\n"
        "  1 1.234 0.000 0.000 10 1 1 1 0 2.45\n"
    )
    return f


def test_precision_is_detected_from_the_coordinates(tmp_path: Path) -> None:
    assert optw_precision(_cordeau_like(tmp_path)) == 2
    assert optw_precision(DATA / "tiny9.txt") == 1  # two-decimal coordinates: Solomon sets


def test_three_decimal_files_read_in_hundredths(tmp_path: Path) -> None:
    p = parse_optw(_cordeau_like(tmp_path))
    assert p.shift_end == 245 and p.durations[0][1] == 123  # floor(1.234 * 100)
    tenths = parse_optw(_cordeau_like(tmp_path), precision=1)
    assert tenths.shift_end == 24 and tenths.durations[0][1] == 12
    # The Solomon-based files keep their tenths.
    assert parse_optw(DATA / "tiny9.txt").durations[0][2] == math.floor(math.hypot(10, 5) * 10)


def _cli(*args: str) -> dict:
    res = CliRunner().invoke(route, ["solve-optw", *args, "--time-limit", "0.3", "--json"])
    assert res.exit_code == 0, res.output
    return json.loads(res.output)


def test_solve_optw_serves_only_what_fits_under_the_files_convention(tmp_path: Path) -> None:
    f = str(_cordeau_like(tmp_path))
    detected = _cli(f)
    assert detected["precision"] == 2 and detected["score"] == 0 and detected["route"] == []
    # Forcing tenths reproduces the old, too lenient reading: the stop seems to fit.
    forced = _cli(f, "--precision", "1")
    assert forced["precision"] == 1 and forced["score"] == 10 and forced["route"] == [1]
    assert forced["travel_tenths"] == 24


def test_a_returned_route_is_feasible_in_exact_hundredths(tmp_path: Path) -> None:
    # Several stops whose windows only just allow a tour in hundredths: recompute the
    # route's times from the file's coordinates and check them independently here.
    rows = [(0.0, 0.0, 0.0, 0, 0.0, 30.0)]
    pts = [(1.234, 0.456), (2.345, 1.111), (3.333, 2.222), (1.111, 3.456), (0.5, 2.005)]
    for k, (x, y) in enumerate(pts, 1):
        rows.append((x, y, 1.5, 10 * k, 0.0, 2.0 + 3.1 * k))
    f = tmp_path / "pr02.txt"
    f.write_text(
        "4 5 100 1\n0 200\n"
        + "".join(
            f"  {i} {x:.3f} {y:.3f} {d:.3f} {s} 1 1 1 {o} {c}\n"
            for i, (x, y, d, s, o, c) in enumerate(rows)
        )
    )
    out = _cli(str(f))
    assert out["precision"] == 2 and out["score"] > 0
    t, here = 0.0, rows[0]
    for vid in out["route"]:
        nxt = rows[vid]
        t = max(nxt[4], t + math.floor(math.hypot(here[0] - nxt[0], here[1] - nxt[1]) * 100) / 100)
        assert t <= nxt[5] + 1e-9
        t += nxt[2]
        here = nxt
    back = math.floor(math.hypot(here[0], here[1]) * 100) / 100
    assert t + back <= rows[0][5] + 1e-9
