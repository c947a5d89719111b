"""``fieldrep simulate``: replay a month of field work under planning policies and compare them."""

from __future__ import annotations

import json
import sys
import time

import click
from flask import current_app
from flask.cli import with_appcontext

from backend.core.errors import Invalid
from backend.simulation.policies import POLICIES
from backend.simulation.scenarios import SCENARIOS
from backend.simulation.world import parse_month

CLI_USER = 0  # the job's owner when the command line starts it


def _month(_ctx, _param, value: str) -> str:
    try:
        return parse_month(value)
    except ValueError as err:
        raise click.BadParameter(str(err)) from err


def _seeds(seed: tuple[int, ...], seeds: int | None) -> list[int]:
    if seed and seeds:
        raise click.UsageError("give --seed (one or more) or --seeds N, not both")
    if seeds is not None:
        return list(range(1, seeds + 1))
    return list(dict.fromkeys(seed)) or [1]


def _policies(values: tuple[str, ...]) -> list[str]:
    out: list[str] = []
    for v in values or ("all",):
        for p in POLICIES if v == "all" else (v,):
            if p not in out:
                out.append(p)
    return out


@click.command("simulate")
@click.option("--month", required=True, callback=_month, help="The month, YYYY-MM.")
@click.option("--team", type=click.Choice(["demo"]), default="demo", show_default=True)
@click.option("--from-db", is_flag=True, help="Simulate the database's reps and accounts.")
@click.option("--reps", type=click.IntRange(1, 500), default=6, show_default=True)
@click.option(
    "--accounts",
    type=click.IntRange(1, 2000),
    default=120,
    show_default=True,
    help="Accounts per rep of the demo team.",
)
@click.option(
    "--policy",
    "policy",
    multiple=True,
    type=click.Choice([*POLICIES, "all"]),
    help="Repeatable; default all three.",
)
@click.option("--seed", multiple=True, type=click.IntRange(0, None), help="Repeatable.")
@click.option("--seeds", type=click.IntRange(1, 100), help="Seeds 1..N.")
@click.option("--scenario", multiple=True, type=click.Choice(list(SCENARIOS)), help="Repeatable.")
@click.option(
    "--time-limit",
    type=click.FloatRange(0, 30),
    default=0.0,
    show_default=True,
    help="Seconds per day plan with the product's solvers; 0: searches to a "
    "standstill (repeatable results).",
)
@click.option("--processes", type=click.IntRange(1, 64), help="Reps simulated in parallel.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON.")
@click.option("--chart", type=click.Path(dir_okay=False, writable=True), help="Write a PNG.")
@click.option("--inline", is_flag=True, help="Run here even when a job queue is configured.")
@with_appcontext
def simulate_command(
    month, team, from_db, reps, accounts, policy, seed, seeds, scenario, time_limit,
    processes, as_json, chart, inline,
) -> None:  # fmt: skip
    """Replay a month of field work for a team and compare planning policies.

    One policy and one seed with --json prints that run's figures; otherwise a table (or with
    --json the comparison) of every policy's mean and range over the seeds. Runs as a job on
    the queue when REDIS_URL is set (progress shown), else here.
    """
    from backend.core import tracked
    from backend.core.jobs import RQQueue, get_queue
    from backend.simulation import report
    from backend.simulation.jobs import KIND, simulate_job

    if scenario and ("leave" in scenario and "leave-unmanaged" in scenario):
        raise click.UsageError("choose one of --scenario leave and --scenario leave-unmanaged")
    kwargs = {
        "month": month,
        "policies": _policies(policy),
        "seeds": _seeds(seed, seeds),
        "scenario": list(scenario),
        "reps": reps,
        "accounts_per_rep": accounts,
        "from_db": from_db,
        "time_limit": time_limit,
        "processes": processes,
    }
    app = current_app._get_current_object()
    queued = not inline and isinstance(get_queue(app), RQQueue)
    try:
        if queued:
            record = tracked.submit(app, simulate_job, kwargs, user_id=CLI_USER, kind=KIND)
            result = _follow(app, record.id, as_json)
        else:
            with click.progressbar(length=1, label="simulating", file=sys.stderr) as bar:

                def step(done: int, total: int) -> None:
                    bar.length = total
                    bar.update(done - bar.pos)

                result = simulate_job(app=app, progress=step, **kwargs)
    except (ValueError, Invalid) as err:
        raise click.UsageError(getattr(err, "message", None) or str(err)) from err
    single = len(result["runs"]) == 1
    if as_json:
        click.echo(json.dumps(result["runs"][0] if single else result, indent=2))
    else:
        click.echo(report.table(result))
    if chart:
        report.chart(result, chart)
        click.echo(f"chart: {chart}", err=True)


def _follow(app, job_id: str, quiet: bool) -> dict:
    """Poll the queued job, showing its progress on stderr, until it is done."""
    from backend.core import tracked

    click.echo(f"queued as job {job_id}; a worker runs it (fieldrep worker)", err=True)
    shown = -1
    while True:
        record = tracked.find(app, job_id, user_id=CLI_USER)
        if record is None:
            raise click.ClickException(f"job {job_id} is gone")
        if record.state == "done":
            click.echo(f"done: {record.done}/{record.total} rep-months", err=True)
            return record.result
        if record.state == "failed":
            raise click.ClickException(record.error or "the simulation failed")
        if record.total and record.done != shown:
            shown = record.done
            click.echo(f"{record.state}: {record.done}/{record.total} rep-months", err=True)
        time.sleep(0.5)


COMMANDS = (simulate_command,)
