"""The ``fieldrep`` command line: thin adapters over the same services as the API."""

from __future__ import annotations

import click
from flask import Flask
from flask.cli import FlaskGroup


def _create_app() -> Flask:
    from backend import create_app

    return create_app()


@click.group(cls=FlaskGroup, create_app=_create_app, add_version_option=False)
def main() -> None:
    """FieldRep: cadence plans, visit routes, offline logging and reminders for field sales."""


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
    from backend.territories import cli_departure as departures

    for module in (demo, accounts, pipeline, cadence, routes, reminders, sync, territories,
                   departures):  # fmt: skip
        for command in module.COMMANDS:
            app.cli.add_command(command)
