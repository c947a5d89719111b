"""``fieldrep territories rebalance``: compute (and optionally apply) a proposal."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.cadence.service import today_in
from backend.core.errors import DomainError
from backend.core.extensions import db
from backend.territories import proposals, workload
from backend.users.models import Territory, User


def _actor(email: str | None) -> User:
    stmt = select(User).where(User.email == email.lower()) if email else None
    if stmt is None:
        stmt = select(User).where(User.role == "admin", User.is_active.is_(True))
    actor = db.session.scalars(stmt.order_by(User.id)).first()
    if actor is None or actor.role not in ("manager", "admin"):
        raise click.ClickException("Run as a manager or an admin (--as EMAIL).")
    return actor


def _territory_id(value: str | None) -> int | None:
    if value is None:
        return None
    column = Territory.id if value.isdigit() else Territory.name
    found = db.session.scalar(select(Territory.id).where(column == value))
    if found is None:
        raise click.ClickException(f"No territory {value!r}.")
    return found


@click.command("rebalance")
@click.option("--territory", default=None, help="Territory id or name (default: all in scope).")
@click.option("--period", default=None, help="2026-12, 2026-Q4 or 2026-W48 (default: this month).")
@click.option("--max-moves", type=click.IntRange(min=0), default=None)
@click.option("--target-parity", type=click.FloatRange(0, 1), default=None)
@click.option("--apply", "apply_", is_flag=True, help="Apply the proposal at once.")
@click.option("--as", "as_email", default=None, help="Act as this manager (default: an admin).")
@with_appcontext
def rebalance_command(territory, period, max_moves, target_parity, apply_, as_email) -> None:
    """Propose moves that balance the team's workload (kept as a proposal; --apply applies it)."""
    actor = _actor(as_email)
    today = today_in(actor)
    data = {
        "territory_id": _territory_id(territory),
        "period": period or f"{today.year}-{today.month:02d}",
        "max_moves": max_moves,
        "target_parity": target_parity,
    }
    settings = workload.Settings.from_config(current_app.config)
    try:
        proposal = proposals.create_proposal(actor, data, settings)
        if apply_:
            proposals.apply_proposal(actor, proposal.id)
    except DomainError as err:
        db.session.rollback()
        raise click.ClickException(f"{err.message} {err.errors or ''}".strip()) from None
    db.session.commit()
    click.echo(
        f"proposal {proposal.id} ({proposal.period}): {len(proposal.moves)} moves, parity "
        f"{proposal.before['parity']} -> {proposal.after['parity']}, travel "
        f"{proposal.travel_before:.0f} -> {proposal.travel_after:.0f} min"
        + (" - applied" if apply_ else "")
    )
    for move in proposal.moves[:50]:
        click.echo(f"  account {move['account_id']}: rep {move['from_rep']} -> {move['to_rep']}")
    if len(proposal.moves) > 50:
        click.echo(f"  ... and {len(proposal.moves) - 50} more")
