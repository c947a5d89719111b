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
from flask import Flask
from flask.cli import FlaskGroup

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
    "route": ("backend.routes.cli.solve", "Plan routes with the routing library."),
    "serve": (
        "backend.demo.cli",
        "Serve the app with the development server (use gunicorn in production).",
    ),
    "sync": ("backend.sync.cli", "Offline sync maintenance."),
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
    "backend.cadence.cli",
    "backend.routes.cli",
    "backend.reminders.cli",
    "backend.sync.cli",
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


def register_commands(app: Flask) -> None:
    """Attach every command of every domain to ``app.cli`` (so ``flask --app wsgi`` has them)."""
    for module in _DOMAIN_MODULES:
        for command in importlib.import_module(module).COMMANDS:
            app.cli.add_command(command)
