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
    """Attach every command group to ``app.cli`` (so ``flask --app wsgi`` sees them too)."""
    from backend.cli import accounts_cli, demo_cli

    for command in (*demo_cli.COMMANDS, *accounts_cli.COMMANDS, *_optional_commands()):
        app.cli.add_command(command)


def _optional_commands() -> list[click.Command]:
    """Command groups of the other domains, each in its own module."""
    import importlib

    commands: list[click.Command] = []
    for module, name in (("backend.cli.route", "route"),):
        try:  # TEMPORARY while the domains land; every module exists before release
            commands.append(getattr(importlib.import_module(module), name))
        except ModuleNotFoundError:
            pass
    return commands
