"""``fieldrep territories ...``: the territory manager's commands."""

from __future__ import annotations

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.core.errors import DomainError
from backend.core.extensions import db
from backend.territories import assign, cli_balance
from backend.users.models import User


@click.group("territories")
def territories_group() -> None:
    """Territory rules, workload balance and rep departures."""


territories_group.add_command(cli_balance.rebalance_command)


def _actor(email: str | None) -> User:
    stmt = select(User).where(User.is_active.is_(True))
    stmt = stmt.where(User.email == email.lower()) if email else stmt.where(User.role == "admin")
    actor = db.session.scalars(stmt.order_by(User.id)).first()
    if actor is None:
        raise click.ClickException("No such active user; create an admin first.")
    return actor


@territories_group.command("assign")
@click.option("--dry-run", is_flag=True, help="Report what the rules would change; write nothing.")
@click.option("--as", "as_email", default=None, help="Run as this user (default: an admin).")
@with_appcontext
def assign_command(dry_run: bool, as_email: str | None) -> None:
    """Apply the territory rules to every account in scope (conflicts and gaps are listed)."""
    try:
        outcome = assign.run(_actor(as_email), dry_run=dry_run)
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(err.message) from None
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would assign" if dry_run else "assigned"
    click.echo(
        f"{verb} {outcome.assigned}, unchanged {outcome.unchanged}, "
        f"conflicts {len(outcome.conflicts)}, gaps {len(outcome.gaps)}, "
        f"locked kept {len(outcome.locked)}."
    )
    for conflict in outcome.conflicts:
        ids = ", ".join(str(t) for t in conflict["territories"])
        click.echo(f"conflict: account {conflict['account_id']} matches territories {ids}")
    if outcome.gaps:
        click.echo("gaps (no rule matches): " + ", ".join(str(a) for a in outcome.gaps))
    if outcome.locked:
        click.echo("locked, kept in place: " + ", ".join(str(a) for a in outcome.locked))


COMMANDS = (territories_group,)
