"""``fieldrep vapid init``, ``fieldrep reminders run`` and ``fieldrep worker``."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext

from backend.core.jobs import RQQueue, get_queue, make_worker
from backend.reminders.service import subscriptions as push_subscriptions
from backend.reminders.service.delivery import clock
from backend.reminders.service.schedule import run_reminders
from backend.reminders.webpush import vapid


@click.group("vapid")
def vapid_group() -> None:
    """VAPID keys for web push."""


@vapid_group.command("init")
@with_appcontext
def vapid_init() -> None:
    """Create the VAPID key once (never replaces one) and print the public key."""
    app = current_app
    path = Path(
        app.config.get("VAPID_KEY_FILE") or Path(app.instance_path) / push_subscriptions.KEY_FILE
    )
    if app.config.get("VAPID_PRIVATE_KEY"):
        click.echo("Using the key from FIELDREP_VAPID_PRIVATE_KEY; no file written.")
    elif path.exists():
        click.echo(f"A key already exists at {path}; kept (keys are never rotated silently).")
    else:
        vapid.load_or_create(path)
        click.echo(f"Created {path} (mode 0600). Back it up: losing it orphans every subscription.")
    click.echo(f"Public key: {push_subscriptions.public_key(app)}")


@click.group("reminders")
def reminders_group() -> None:
    """Push reminders: digests and tier-A overdue alerts."""


@reminders_group.command("run")
@click.option(
    "--at",
    "at",
    type=click.DateTime(formats=["%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S"]),
    help="Decide as if it were this UTC time (default: now).",
)
@with_appcontext
def reminders_run(at: datetime | None) -> None:
    """Send the reminders due now (cron-friendly: a second run the same day sends nothing new)."""
    now = at.replace(tzinfo=UTC) if at else clock(current_app)
    queue = get_queue(current_app)
    report = run_reminders(now, app=current_app, queue=queue)
    for r in report.claimed:
        click.echo(f"{r.kind:<14} user {r.user_id:<6} {r.local_day}  {r.title} — {r.body}")
    mode = "queued on RQ" if isinstance(queue, RQQueue) else "sent inline"
    counts = ", ".join(f"{n} {s}" for s, n in sorted(report.outcomes.items())) or "no sends"
    click.echo(
        f"{len(report.claimed)} reminders ({mode}): {counts}; "
        f"{report.skipped_duplicates} already sent by another run; {report.retried} retries"
    )


@click.command("worker")
@click.option("--burst", is_flag=True, help="Stop when the queue is empty.")
@click.option("--fork", is_flag=True, help="Fork a work horse per job (rq.Worker).")
@click.option("--name", default=None, help="Worker name (default: rq picks one).")
@with_appcontext
def worker_command(burst: bool, fork: bool, name: str | None) -> None:
    """Run an RQ worker for push sends and other jobs (needs REDIS_URL)."""
    if not current_app.config.get("REDIS_URL"):
        raise click.UsageError("REDIS_URL is not set: jobs run inline, no worker needed.")
    worker = make_worker(current_app._get_current_object(), fork=fork, name=name)
    # The scheduler moves delayed retries (enqueue_in) onto the queue when they are due.
    worker.work(burst=burst, with_scheduler=True)


COMMANDS = (vapid_group, reminders_group, worker_command)
