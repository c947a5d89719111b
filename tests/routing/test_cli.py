"""The `route` click group, invoked directly."""

from __future__ import annotations

import json
from pathlib import Path

from click.testing import CliRunner

from backend.routes.cli.solve import route
from routing.problem_io import parse_optw

from .test_problem_io import DATA, GOOD, _brute_force_best


def test_solve_json(tmp_path: Path) -> None:
    f = tmp_path / "p.json"
    f.write_text(json.dumps(GOOD))
    res = CliRunner().invoke(route, ["solve", str(f), "--time-limit", "0.3", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert "acc-18" in [s["id"] for s in out["stops"]] and "break" in out


def test_solve_text(tmp_path: Path) -> None:
    f = tmp_path / "p.json"
    f.write_text(json.dumps(GOOD))
    res = CliRunner().invoke(route, ["solve", str(f), "--time-limit", "0.3"])
    assert res.exit_code == 0 and "acc-18" in res.output


def test_bad_inputs_exit_non_zero_without_traceback(tmp_path: Path) -> None:
    broken = tmp_path / "b.json"
    broken.write_text("{nope")
    invalid = tmp_path / "i.json"
    invalid.write_text(json.dumps({"shift": {"start": "25:00", "end": "17:00"}, "stops": []}))
    for args in (
        ["solve", str(broken)],
        ["solve", str(invalid)],
        ["solve", str(tmp_path / "missing.json")],
        ["solve-optw", str(broken), "--json"],
    ):
        res = CliRunner().invoke(route, args)
        assert res.exit_code != 0
        assert (
            "Traceback" not in res.output
            and res.exception is None
            or isinstance(res.exception, SystemExit)
        )
        assert "Error" in res.output


def test_solve_optw_json() -> None:
    res = CliRunner().invoke(
        route, ["solve-optw", str(DATA / "tiny9.txt"), "--time-limit", "0.5", "--json"]
    )
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    best = _brute_force_best(parse_optw(DATA / "tiny9.txt"))
    assert out["score"] == best and all(isinstance(c, int) for c in out["route"])


def test_solve_reports_an_appointment_that_cannot_be_served(tmp_path: Path) -> None:
    data = json.loads(json.dumps(GOOD))
    data["stops"][1]["windows"] = [["07:00", "07:10"]]  # required, before the shift starts
    f = tmp_path / "p.json"
    f.write_text(json.dumps(data))
    res = CliRunner().invoke(route, ["solve", str(f), "--time-limit", "0.3", "--json"])
    assert res.exit_code == 0, res.output
    out = json.loads(res.output)
    assert "acc-17" in [s["id"] for s in out["stops"]]
    reason = {d["id"]: d["reason"] for d in out["dropped"]}["acc-18"]
    assert "earliest possible arrival 08:" in reason and "07:00-07:10" in reason
