"""`fieldrep route ...`: solve a problem file or an OPTW benchmark instance from the shell."""

from __future__ import annotations

import json
from pathlib import Path

import click

from routing.models import ProblemError, RoutingError
from routing.problem_io import format_time, parse_optw, parse_problem, plan_to_dict
from routing.solver import solve


@click.group("route")
def route() -> None:
    """Plan routes with the routing library."""


def _fail(message: str) -> None:
    raise click.ClickException(message)


@route.command("solve")
@click.argument("problem_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=5.0,
    show_default=True,
    help="Seconds of search.",
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
        plan = solve(problem, time_limit)
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


@route.command("solve-optw")
@click.argument("optw_file", type=click.Path(dir_okay=False, path_type=Path))
@click.option(
    "--time-limit",
    type=click.FloatRange(min=0.1),
    default=2.0,
    show_default=True,
    help="Seconds of search.",
)
@click.option("--json", "as_json", is_flag=True, help="Print {score, route, ...} as JSON.")
def solve_optw_cmd(optw_file: Path, time_limit: float, as_json: bool) -> None:
    """Solve an OPTW benchmark instance (KU Leuven format) and print its score and route."""
    try:
        problem = parse_optw(optw_file)
        plan = solve(problem, time_limit)
    except ProblemError as exc:
        _fail("; ".join(m for msgs in exc.errors.values() for m in msgs))
    except RoutingError as exc:
        _fail(str(exc))
    route_ids = [int(s) for s in plan.route]
    if as_json:
        click.echo(
            json.dumps(
                {
                    "score": plan.value,
                    "route": route_ids,
                    "travel_tenths": plan.travel_seconds,
                    "solver": plan.solver,
                }
            )
        )
    else:
        click.echo(f"score {plan.value}: {' '.join(map(str, route_ids))}")


COMMANDS = (route,)
