"""`fieldrep route ...`: solve a problem file or an OPTW benchmark instance from the shell."""

from __future__ import annotations

import json
import os
from pathlib import Path

import click

from routing.models import ProblemError, RoutingError
from routing.problem_io import format_time, optw_precision, parse_optw, parse_problem, plan_to_dict
from routing.solver import solve
from routing.toptw import check_team, score, solve_toptw


@click.group("route")
def route() -> None:
    """Plan routes with the routing library."""


def _fail(message: str) -> None:
    raise click.ClickException(message)


def _since_process_start() -> float:
    """Seconds since this process started (Linux /proc); 0 where that cannot be read."""
    try:
        ticks = os.sysconf("SC_CLK_TCK")
        with open("/proc/self/stat") as fh:
            # Field 22 (starttime, clock ticks after boot) follows the ')' that ends field 2.
            start = int(fh.read().rsplit(")", 1)[1].split()[19]) / ticks
        with open("/proc/uptime") as fh:
            return max(0.0, float(fh.read().split()[0]) - start)
    except (OSError, ValueError, IndexError):
        return 0.0


def _budget(time_limit: float) -> float:
    """The search's share of --time-limit: the limit counts from the command's start, so the
    interpreter's start-up and imports come out of it (at least a tenth is left to search)."""
    return max(0.1 * time_limit, time_limit - _since_process_start() - _EXIT_S)


_EXIT_S = 0.15  # printing the answer and leaving the interpreter (measured ≈ 0.1 s)


@route.command("solve")
@click.argument("problem_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Seconds from the command's start to its answer.",
)
@click.option("--json", "as_json", is_flag=True, help="Print the plan as JSON.")
def solve_cmd(problem_file: Path, time_limit: float, as_json: bool) -> None:
    """Solve PROBLEM_FILE (the DESIGN problem JSON) and print the day's plan."""
    try:
        data = json.loads(problem_file.read_text(encoding="utf-8"))
    except OSError as exc:
        _fail(f"cannot read {problem_file}: {exc.strerror or exc}")
    except (ValueError, UnicodeDecodeError) as exc:
        _fail(f"{problem_file} is not valid JSON: {exc}")
    try:
        problem = parse_problem(data)
        # One process: a helper would take longer to start than the budget (see solver).
        plan = solve(problem, _budget(time_limit), workers=1)
    except ProblemError as exc:
        lines = [
            f"  {path or '(root)'}: {msg}"
            for path, msgs in sorted(exc.errors.items())
            for msg in msgs
        ]
        _fail("invalid problem:\n" + "\n".join(lines))
    except RoutingError as exc:
        _fail(str(exc))
    out = plan_to_dict(problem, plan)
    if as_json:
        click.echo(json.dumps(out, indent=2))
        return
    for s in out["stops"]:
        click.echo(
            f"{s['start'][:5]}  {s['id']}  (arrive {s['arrival'][:5]}, leave {s['departure'][:5]})"
        )
    if "break" in out:
        click.echo(f"break {out['break']['start'][:5]}-{out['break']['end'][:5]}")
    click.echo(
        f"back {format_time(plan.end_time)[:5]}; value {plan.value}, "
        f"travel {plan.travel_seconds // 60} min, {len(plan.dropped)} dropped"
    )
    for d in out["dropped"]:
        click.echo(f"  dropped {d['id']}: {d['reason']}")


_PRECISION = click.option(
    "--precision",
    type=click.IntRange(0, 6),
    default=None,
    help="Decimals travel times are truncated to (default: 2 if the coordinates carry three "
    "decimals, as in the Cordeau-based sets, else 1).",
)


def _read_optw(optw_file: Path, precision: int | None):
    """The instance and the precision it was read with; a bad file is a clean CLI error."""
    try:
        if precision is None:
            precision = optw_precision(optw_file)
        return parse_optw(optw_file, precision), precision
    except ProblemError as exc:
        _fail("; ".join(m for msgs in exc.errors.values() for m in msgs))


@route.command("solve-optw")
@click.argument("optw_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds from the command's start to its answer.",
)
@_PRECISION
@click.option("--json", "as_json", is_flag=True, help="Print {score, route, ...} as JSON.")
def solve_optw_cmd(
    optw_file: Path, time_limit: float, precision: int | None, as_json: bool
) -> None:
    """Solve an OPTW benchmark instance (KU Leuven format) and print its score and route."""
    problem, precision = _read_optw(optw_file, precision)
    try:
        plan = solve(problem, _budget(time_limit), workers=1)
    except RoutingError as exc:
        _fail(str(exc))
    route_ids = [int(s) for s in plan.route]
    if as_json:
        out = {
            "score": plan.value,
            "route": route_ids,
            "precision": precision,
            # Travel in the file's time unit, as computed under the truncation convention.
            "travel": plan.travel_seconds / 10**precision,
            "solver": plan.solver,
        }
        if precision == 1:
            out["travel_tenths"] = plan.travel_seconds
        click.echo(json.dumps(out))
    else:
        click.echo(f"score {plan.value}: {' '.join(map(str, route_ids))}")


@route.command("solve-toptw")
@click.argument("optw_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--routes",
    "m",
    type=click.IntRange(min=1, max=50),
    required=True,
    help="Number of routes (the team's size m).",
)
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds from the command's start to its answer.",
)
@_PRECISION
@click.option("--seed", type=int, default=0, show_default=True, help="Random seed.")
@click.option("--json", "as_json", is_flag=True, help="Print {score, routes} as JSON.")
def solve_toptw_cmd(
    optw_file: Path, m: int, time_limit: float, precision: int | None, seed: int, as_json: bool
) -> None:
    """Solve a team orienteering instance (an OPTW file with M routes) and print the routes."""
    problem, precision = _read_optw(optw_file, precision)
    routes = solve_toptw(problem, m, _budget(time_limit), seed)
    errors = check_team(problem, routes)
    if errors:  # never expected: the search only keeps feasible routes
        _fail("the routes failed the feasibility check: " + "; ".join(errors[:3]))
    ids = [[int(problem.stops[i].id) for i in r] for r in routes]
    if as_json:
        click.echo(json.dumps({"score": score(problem, routes), "routes": ids}))
        return
    click.echo(f"score {score(problem, routes)} with {m} routes")
    for k, r in enumerate(ids, 1):
        click.echo(f"  route {k}: {' '.join(map(str, r))}")


COMMANDS = (route,)
