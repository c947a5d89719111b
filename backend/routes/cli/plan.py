"""``fieldrep plan --date D (--rep EMAIL | --all)``: plan reps' days, using every core."""

from __future__ import annotations

import multiprocessing
import os
from datetime import date

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.core.errors import DomainError
from backend.core.extensions import db
from backend.routes.service import planning
from backend.users.models import User


def _plan_one(rep_id: int, day: date, workers: int, time_limit: float | None) -> tuple[str, str]:
    """Plan one rep in the current app context; returns (email, summary or error)."""
    rep = db.session.get(User, rep_id)
    settings = planning.PlanningSettings.from_config(current_app.config)
    try:
        route = planning.plan_day(
            rep, day, workers=workers, time_limit=time_limit, settings=settings
        )
        db.session.commit()
    except DomainError as err:
        db.session.rollback()
        return rep.email, f"not planned: {err.message} {err.errors or ''}".strip()
    return (
        rep.email,
        f"{len(route.stops)} stops, value {route.value}, {route.travel_seconds // 60} min driving",
    )


_worker_app = None


def _init_worker(app) -> None:
    # A forked child must not reuse the parent's database connections.
    global _worker_app
    _worker_app = app
    with app.app_context():
        db.engine.dispose(close=False)


def _plan_in_worker(args: tuple[int, date, float | None]) -> tuple[str, str]:
    rep_id, day, time_limit = args
    with _worker_app.app_context():
        return _plan_one(rep_id, day, 1, time_limit)


@click.command("plan")
@click.option("--date", "day", required=True, type=click.DateTime(["%Y-%m-%d"]), help="YYYY-MM-DD")
@click.option("--rep", "rep_email", help="The rep's email.")
@click.option("--all", "all_reps", is_flag=True, help="Every active rep.")
@click.option("--time-limit", type=float, default=None, help="Solver seconds per rep.")
@click.option("--processes", type=int, default=None, help="Parallel planners (default: cores).")
@click.option(
    "--queue",
    "use_queue",
    is_flag=True,
    help="With --all: one RQ job per rep for `fieldrep worker` processes on any host.",
)
@with_appcontext
def plan_command(
    day,
    rep_email: str | None,
    all_reps: bool,
    time_limit: float | None,
    processes: int | None,
    use_queue: bool = False,
) -> None:
    """Plan the day route of one rep or of every rep."""
    day = day.date()
    if bool(rep_email) == all_reps:
        raise click.UsageError("Give exactly one of --rep EMAIL or --all.")
    if rep_email:
        rep = db.session.scalar(select(User).where(User.email == rep_email.lower()))
        if rep is None:
            raise click.ClickException(f"No user {rep_email}.")
        email, summary = _plan_one(rep.id, day, 2, time_limit)
        click.echo(f"{email}: {summary}")
        if summary.startswith("not planned"):
            raise click.exceptions.Exit(1)
        return
    rep_ids = list(
        db.session.scalars(
            select(User.id)
            .where(User.role == "rep", User.is_active.is_(True), User.home_lat.is_not(None))
            .order_by(User.id)
        )
    )
    if use_queue:
        _enqueue_team(rep_ids, day, time_limit)
        return
    processes = processes or os.cpu_count() or 1
    db.session.remove()
    failures = 0
    app = current_app._get_current_object()
    ctx = multiprocessing.get_context("fork")
    with (
        ctx.Pool(processes, initializer=_init_worker, initargs=(app,)) as pool,
        click.progressbar(
            length=len(rep_ids), label=f"Planning {len(rep_ids)} reps on {processes} processes"
        ) as bar,
    ):
        for _email, summary in pool.imap_unordered(
            _plan_in_worker, [(r, day, time_limit) for r in rep_ids]
        ):
            failures += summary.startswith("not planned")
            bar.update(1)
    click.echo(f"Planned {len(rep_ids) - failures} of {len(rep_ids)} reps for {day.isoformat()}.")


def _enqueue_team(rep_ids: list[int], day: date, time_limit: float | None) -> None:
    """One job per rep on RQ (needs REDIS_URL): workers share the team, a worker per core."""
    from backend.core.jobs import RQQueue, get_queue
    from backend.routes.jobs import plan_reps

    app = current_app._get_current_object()
    queue = get_queue(app)
    if not isinstance(queue, RQQueue):
        raise click.UsageError("--queue needs REDIS_URL (without it, plan --all uses every core).")
    # A rep's plan is seconds of work: one job per rep spreads them evenly over the workers.
    queue = RQQueue(app.config["REDIS_URL"], queue.queue.name, batch=1)
    queue.enqueue_each(plan_reps, [(r, day.isoformat(), time_limit) for r in rep_ids])
    click.echo(f"Queued {len(rep_ids)} reps for {day.isoformat()}: run `fieldrep worker`.")


COMMANDS = (plan_command,)
