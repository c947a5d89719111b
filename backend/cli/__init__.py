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
    from backend.cli import accounts_cli, cadence_cli, demo_cli, plan_cli, push_cli, route

    for module in (demo_cli, accounts_cli, cadence_cli, route, plan_cli, push_cli):
        for command in module.COMMANDS:
            app.cli.add_command(command)
