"""The ``fieldrep`` command line: thin adapters over the same services as the API.

``fieldrep --help`` lists the commands from the table below without building the app or
importing a domain: building the app imports every domain, SQLAlchemy, Alembic and the routing
library (seconds of start-up). A command's module is imported when the command is asked for, and
a command of Flask or an extension (``db``, ``run``, ...) is found by loading the app, as
FlaskGroup always did. ``tests/backend/test_cli_startup.py`` keeps the table equal to what the
app really registers.
"""

from __future__ import annotations

import importlib

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

# Our commands: name -> (module whose COMMANDS holds it, the short help `--help` lists).
DOMAIN_COMMANDS: dict[str, tuple[str, str]] = {
    "cadence": ("backend.cadence.cli", "Cadence plan tools."),
    "compliance": (
        "backend.cadence.cli",
        "Cadence compliance for a period: required vs done per group.",
    ),
    "demo": (
        "backend.demo.cli",
        "Create (or reuse) a demo instance with realistic data, then serve it.",
    ),
    "import": ("backend.accounts.cli", "Import data from CRM exports."),
    "plan": ("backend.routes.cli.plan", "Plan the day route of one rep or of every rep."),
    "reminders": ("backend.reminders.cli", "Push reminders: digests and tier-A overdue alerts."),
    "reports": ("backend.pipeline.cli", "Pipeline reports."),
    "route": ("backend.routes.cli.solve", "Plan routes with the routing library."),
    "serve": (
        "backend.demo.cli",
        "Serve the app with the development server (use gunicorn in production).",
    ),
    "scheduler": (
        "backend.cli",
        "Fire reminders and pruning on schedule: as RQ jobs with REDIS_URL, else in this process.",
    ),
    "simulate": (
        "backend.simulation.cli",
        "Replay a month of field work for a team and compare planning policies.",
    ),
    "sync": ("backend.sync.cli", "Offline sync maintenance."),
    "territories": (
        "backend.territories.cli",
        "Territory rules, workload balance and rep departures.",
    ),
    "users": ("backend.territories.cli_departure", "Users: a rep's departure."),
    "vapid": ("backend.reminders.cli", "VAPID keys for web push."),
    "worker": (
        "backend.reminders.cli",
        "Run an RQ worker for push sends and other jobs (needs REDIS_URL).",
    ),
}
# Commands of Flask and its extensions: listed here, found by loading the app.
APP_COMMANDS: dict[str, str] = {
    "db": "Perform database migrations.",
    "limiter": "Flask-Limiter maintenance & utility commands",
    "openapi": "OpenAPI commands.",
    "routes": "Show the routes for the app.",
    "run": "Run a development server.",
    "shell": "Run a shell in the app context.",
}
_DOMAIN_MODULES = (
    "backend.demo.cli",
    "backend.accounts.cli",
    "backend.pipeline.cli",
    "backend.cadence.cli",
    "backend.routes.cli",
    "backend.reminders.cli",
    "backend.sync.cli",
    "backend.simulation.cli",
    "backend.territories.cli",
    "backend.territories.cli_departure",
)


def _create_app() -> Flask:
    from backend import create_app

    return create_app()


def _domain_command(name: str) -> click.Command | None:
    module, _ = DOMAIN_COMMANDS[name]
    for command in importlib.import_module(module).COMMANDS:
        if command.name == name:
            return command
    return None


class LazyFlaskGroup(FlaskGroup):
    """A FlaskGroup that lists its commands from tables and imports one only when it runs."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*DOMAIN_COMMANDS, *APP_COMMANDS})

    def get_command(self, ctx: click.Context, name: str) -> click.Command | None:
        if name in DOMAIN_COMMANDS:
            return _domain_command(name)
        return super().get_command(ctx, name)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        helps = {**APP_COMMANDS, **{n: h for n, (_, h) in DOMAIN_COMMANDS.items()}}
        rows = [(name, helps[name]) for name in self.list_commands(ctx)]
        with formatter.section("Commands"):
            formatter.write_dl(rows)


@click.group(cls=LazyFlaskGroup, create_app=_create_app, add_version_option=False)
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
    for module in _DOMAIN_MODULES:
        for command in importlib.import_module(module).COMMANDS:
            app.cli.add_command(command)
    app.cli.add_command(scheduler_command)


COMMANDS = (scheduler_command,)
