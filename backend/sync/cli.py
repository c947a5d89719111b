"""``fieldrep sync prune``: compact the change log and drop old tombstones and mutation records."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext

from backend.sync.jobs import prune_logs


@click.group("sync")
def sync_group() -> None:
    """Offline sync maintenance."""


@sync_group.command("prune")
@click.option(
    "--days",
    type=click.IntRange(min=1),
    default=None,
    help="Horizon in days (default SYNC_PRUNE_AFTER_DAYS). Clients older than it get a reset.",
)
@with_appcontext
def prune(days: int | None) -> None:
    """Prune the change and mutation logs past the horizon (the server also does it daily)."""
    horizon = days if days is not None else int(current_app.config["SYNC_PRUNE_AFTER_DAYS"])
    report = prune_logs(horizon_days=horizon)
    click.echo(
        f"Pruned {report['superseded']} superseded changes, {report['tombstones']} tombstones "
        f"and leaves older than {horizon} days, {report['mutations']} mutation records."
    )


COMMANDS = (sync_group,)
