"""``fieldrep import opportunities FILE.csv`` and ``fieldrep reports email-summary``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.accounts.cli import import_group
from backend.core.errors import Invalid
from backend.core.extensions import db
from backend.pipeline import importer, jobs
from backend.pipeline.periods import parse
from backend.users.models import User


@import_group.command("opportunities")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option("--as", "as_email", default=None, help="Import as this user (default: an admin).")
@with_appcontext
def import_opportunities(path: str, dry_run: bool, as_email: str | None) -> None:
    """Import opportunities (deals) from a CSV file (all rows or none)."""
    stmt = (
        select(User).where(User.email == as_email)
        if as_email
        else select(User).where(User.role == "admin")
    )
    actor = db.session.scalars(stmt).first()
    if actor is None or actor.role == "rep":
        raise click.ClickException("No such manager or admin; create an admin first.")
    with open(path, "rb") as fh:
        try:
            report = importer.import_file(fh.read(), actor=actor, dry_run=dry_run)
        except Invalid as err:
            raise click.ClickException(err.errors["files"]["file"][0]) from None
    if report["errors"]:
        db.session.rollback()
        for err in report["errors"][:50]:
            click.echo(f"row {err['row']}: {err['errors']}", err=True)
        raise click.ClickException(f"{len(report['errors'])} bad row(s); nothing was written.")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would create" if dry_run else "created"
    click.echo(f"{report['rows']} rows: {verb} {report['created']}, updated {report['updated']}.")


@click.group("reports")
def reports_group() -> None:
    """Pipeline reports."""


@reports_group.command("email-summary")
@click.option("--period", default=None, help="Week label such as 2026-W48 (default: last week).")
@click.option("--queue", "use_queue", is_flag=True, help="Hand it to the job queue (workers).")
@with_appcontext
def email_summary(period: str | None, use_queue: bool) -> None:
    """Mail each manager the weekly summary (needs SUMMARY_EMAIL_ENABLED and SMTP_HOST)."""
    if not current_app.config.get("SUMMARY_EMAIL_ENABLED"):
        raise click.ClickException("The summary email is off: set SUMMARY_EMAIL_ENABLED=1.")
    if period is not None:
        try:
            parse(period)
        except ValueError as err:
            raise click.BadParameter(str(err), param_hint="--period") from None
    if use_queue:
        jobs.enqueue_email_summary(current_app._get_current_object(), period)
        click.echo("Summary email queued.")
        return
    sent = jobs.email_summary(period)
    click.echo(f"Sent {len(sent)} summary email(s).")


# ``import opportunities`` joins the accounts' import group, registered by that domain.
COMMANDS = (reports_group,)
