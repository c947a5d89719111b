"""``fieldrep users depart EMAIL --to ...`` and ``fieldrep users finish-departures``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.core.errors import DomainError
from backend.core.extensions import db
from backend.core.jobs import get_queue
from backend.core.models import utcnow
from backend.territories import jobs
from backend.territories.departure import handover, service
from backend.territories.workload import Settings
from backend.users.models import User


@click.group("users")
def users_group() -> None:
    """Users: a rep's departure."""


def _user(email: str) -> User:
    found = db.session.scalar(select(User).where(User.email == email.lower()))
    if found is None:
        raise click.ClickException(f"No user {email}.")
    return found


@users_group.command("depart")
@click.argument("email")
@click.option("--to", "to", multiple=True, help="New owner's email (repeat for a pool).")
@click.option(
    "--strategy",
    type=click.Choice(service.STRATEGY_NAMES),
    default=None,
    help="named (one --to: everything to them), rule (by territory), proposal (default).",
)
@click.option("--transition-days", type=click.IntRange(0, 90), default=14, show_default=True)
@click.option("--dry-run", is_flag=True, help="Report the moves; change nothing.")
@click.option("--as", "as_email", default=None, help="Act as this user (default: an admin).")
@with_appcontext
def depart(
    email: str,
    to: tuple[str, ...],
    strategy: str | None,
    transition_days: int,
    dry_run: bool,
    as_email: str | None,
) -> None:
    """Hand every account of the rep EMAIL to new owners (one transaction)."""
    actor = (
        _user(as_email)
        if as_email
        else db.session.scalars(select(User).where(User.role == "admin")).first()
    )
    targets = [_user(t).id for t in to]
    strategy = strategy or ("named" if len(targets) == 1 else "proposal")
    if strategy == "named":
        if len(targets) != 1:
            raise click.ClickException("named needs exactly one --to.")
        spec: dict = {"rep_id": targets[0]}
    else:
        spec = {"rep_ids": targets} if targets else {}
    try:
        outcome = service.depart(actor, _user(email).id, strategy=strategy, to=spec,
                                 transition_days=transition_days, now=utcnow(),
                                 dry_run=dry_run,
                                 settings=Settings.from_config(current_app.config))  # fmt: skip
    except DomainError as err:
        db.session.rollback()
        details = "; ".join(m for msgs in (err.errors or {}).values() for m in msgs)
        raise click.ClickException(f"{err.message} {details}".strip()) from err
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
        get_queue(current_app._get_current_object()).enqueue_each(
            jobs.replan_routes, outcome.replanned
        )
    names = dict(db.session.execute(select(User.id, User.email)).all())
    verb = "would move" if dry_run else "moved"
    click.echo(f"{verb} {outcome.moves} accounts; transition until {outcome.transition_until}")
    for rep_id, n in outcome.by_owner.items():
        click.echo(f"  {names.get(rep_id, rep_id)}: {n}")


@users_group.command("finish-departures")
@with_appcontext
def finish_departures() -> None:
    """Deactivate the reps whose transition window has ended."""
    done = handover.finish_departures(utcnow())
    db.session.commit()
    click.echo(f"deactivated {len(done)} reps")


COMMANDS = (users_group,)
