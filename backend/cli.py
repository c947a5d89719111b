"""The ``fieldrep`` command line: thin adapters over the same services as the API."""

from __future__ import annotations

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext


def _create_app() -> Flask:
    from backend import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """FieldRep: cadence plans, visit routes, offline logging and reminders for field sales."""


def periodic_tasks(app: Flask) -> list:
    """What ``fieldrep scheduler`` fires: reminders every 15 minutes, sync pruning daily."""
    from backend.core.scheduler import Periodic
    from backend.reminders.jobs import reminders_job
    from backend.sync.jobs import prune_job

    return [
        Periodic(
            "reminders", int(app.config.get("SCHEDULE_REMINDERS_SECONDS", 900)), reminders_job
        ),
        Periodic("sync-prune", int(app.config["SYNC_PRUNE_INTERVAL_SECONDS"]), prune_job),
    ]


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Tick once (fire what is due) and exit.")
@click.option("--poll", type=float, default=30.0, show_default=True, help="Seconds between ticks.")
@with_appcontext
def scheduler_command(once: bool, poll: float) -> None:
    """Fire reminders and pruning on schedule: as RQ jobs with REDIS_URL, else in this process.

    Any number of schedulers may run against one Redis: each slot fires once.
    """
    from backend.core.scheduler import Scheduler

    app = current_app._get_current_object()
    scheduler = Scheduler(app, periodic_tasks(app))
    mode = "RQ jobs" if scheduler.redis is not None else "in-process (no REDIS_URL)"
    click.echo(f"scheduler: {', '.join(t.name for t in scheduler.tasks)} as {mode}")
    if once:
        fired = scheduler.tick()
        click.echo(f"fired: {', '.join(fired) or 'nothing (this slot already fired)'}")
        return
    scheduler.run(poll_seconds=poll)


def register_commands(app: Flask) -> None:
    """Attach every command of every domain to ``app.cli`` (so ``flask --app wsgi`` has them)."""
    from backend.accounts import cli as accounts
    from backend.cadence import cli as cadence
    from backend.demo import cli as demo
    from backend.pipeline import cli as pipeline
    from backend.reminders import cli as reminders
    from backend.routes import cli as routes
    from backend.sync import cli as sync
    from backend.territories import cli as territories

    for module in (demo, accounts, pipeline, cadence, routes, reminders, sync, territories):
        for command in module.COMMANDS:
            app.cli.add_command(command)
    app.cli.add_command(scheduler_command)
