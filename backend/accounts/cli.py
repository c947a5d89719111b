"""``fieldrep import accounts FILE.csv``."""

from __future__ import annotations

import sys

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.accounts import csv_text, geocoding, importer
from backend.core.errors import Invalid
from backend.core.extensions import db
from backend.users.models import User


@click.group("import")
def import_group() -> None:
    """Import data from CRM exports."""


@import_group.command("accounts")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Validate and report; write nothing.")
@click.option("--as", "as_email", default=None, help="Import as this user (default: an admin).")
@with_appcontext
def import_accounts(path: str, dry_run: bool, as_email: str | None) -> None:
    """Import accounts from a CSV file (all rows or none)."""
    stmt = (
        select(User).where(User.email == as_email)
        if as_email
        else select(User).where(User.role == "admin")
    )
    actor = db.session.scalars(stmt).first()
    if actor is None:
        raise click.ClickException("No such user; create an admin first (fieldrep demo does).")
    with open(path, "rb") as fh:
        try:
            text = csv_text.decode(fh.read())
        except Invalid as err:
            raise click.ClickException(err.errors["files"]["file"][0]) from None
    rows = max(text.count("\n") - 1, 0)
    with click.progressbar(length=rows, label="Checking rows", file=sys.stderr) as bar:
        report = importer.import_csv(
            text,
            actor=actor,
            dry_run=dry_run,
            progress=bar.update,
            geocoder=geocoding.from_config(current_app.config),
        )
    if report.errors:
        db.session.rollback()
        for err in report.errors[:50]:
            click.echo(f"row {err['row']}: {err['errors']}", err=True)
        more = len(report.errors) - 50
        if more > 0:
            click.echo(f"... and {more} more bad rows", err=True)
        raise click.ClickException(f"{len(report.errors)} bad row(s); nothing was written.")
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    verb = "would create" if dry_run else "created"
    click.echo(
        f"{report.rows} rows: {verb} {report.created}, updated {report.updated}, "
        f"unchanged {report.unchanged}, geocoded {report.geocoded}."
    )


COMMANDS = (import_group,)
