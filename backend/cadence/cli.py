"""``fieldrep compliance`` and ``fieldrep cadence retier``: the same services as the API."""

from __future__ import annotations

import json

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from backend.cadence import compliance
from backend.cadence import service as cadence
from backend.cadence.engine.periods import parse_period
from backend.core.extensions import db
from backend.users.models import Territory, User


def _admin(email: str | None) -> User:
    stmt = (
        select(User).where(User.email == email)
        if email
        else select(User).where(User.role == "admin")
    )
    actor = db.session.scalars(stmt.order_by(User.id)).first()
    if actor is None:
        raise click.ClickException("No such user; create an admin first (fieldrep demo does).")
    return actor


@click.command("compliance")
@click.option("--period", required=True, help="2026-11, 2026-Q4 or 2026-W48.")
@click.option("--group-by", default="rep,tier,touch_type", show_default=True)
@click.option("--territory", "territory_name", default=None, help="Only this territory (name).")
@click.option("--as", "as_email", default=None, help="Report as this user (default: an admin).")
@click.option("--csv", "as_csv", is_flag=True, help="CSV instead of a table.")
@click.option("--json", "as_json", is_flag=True, help="The API's JSON.")
@with_appcontext
def compliance_command(
    period: str,
    group_by: str,
    territory_name: str | None,
    as_email: str | None,
    as_csv: bool,
    as_json: bool,
) -> None:
    """Cadence compliance for a period: required vs done per group."""
    try:
        parse_period(period)
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--period") from exc
    names = [n.strip() for n in group_by.split(",") if n.strip()]
    unknown = [n for n in names if n not in compliance.GROUP_COLUMNS]
    if unknown:
        raise click.BadParameter(f"unknown {', '.join(unknown)}", param_hint="--group-by")
    actor = _admin(as_email)
    territory_id = None
    if territory_name:
        territory_id = db.session.scalar(
            select(Territory.id).where(Territory.name == territory_name)
        )
        if territory_id is None:
            raise click.ClickException(f"No territory named {territory_name!r}.")
    report = compliance.compliance_report(
        actor, period, names, as_of=cadence.today_in(actor), territory_id=territory_id
    )
    if as_csv:
        click.echo(compliance.report_csv(report), nl=False)
    elif as_json:
        from backend.cadence.schemas import ComplianceReportSchema

        click.echo(json.dumps(ComplianceReportSchema().dump(report), indent=2))
    else:
        _table(report, names)


def _table(report: dict, names: list[str]) -> None:
    label = {"rep": "rep_name", "territory": "territory_name"}
    click.echo(f"Compliance {report['period']} ({report['first']} to {report['last']})")
    lines = [
        (" / ".join(str(row.get(label.get(n, n)) or row.get(n) or "-") for n in names), row)
        for row in report["rows"]
    ]
    for key, row in [*lines, ("total", report["total"])]:
        pct = "   n/a" if row["percent"] is None else f"{row['percent']:5.1f}%"
        click.echo(
            f"{key:<40} {row['credited']:>7}/{row['required']:<7} {pct}  "
            f"done {row['done']:<7} overdue accounts {row['overdue_accounts']}"
        )
    for point in report["trend"]:
        pct = "n/a" if point["percent"] is None else f"{point['percent']:.1f}%"
        click.echo(f"  {point['week']} (to {point['as_of']}): {pct}")


@click.group("cadence")
def cadence_group() -> None:
    """Cadence plan tools."""


@cadence_group.command("retier")
@click.option("--apply", "apply_", is_flag=True, help="Write the new tiers (default: dry run).")
@click.option(
    "--threshold",
    "thresholds",
    multiple=True,
    metavar="TIER=MIN_REVENUE",
    help="E.g. --threshold A=100000 --threshold B=25000 --threshold C=0.",
)
@with_appcontext
def retier_command(apply_: bool, thresholds: tuple[str, ...]) -> None:
    """Set account tiers from revenue thresholds."""
    parsed = []
    for item in thresholds:
        tier, _, minimum = item.partition("=")
        try:
            parsed.append((tier.strip(), float(minimum)))
        except ValueError as exc:
            raise click.BadParameter(
                f"{item!r} is not TIER=NUMBER", param_hint="--threshold"
            ) from exc
    report = cadence.retier(_admin(None), parsed or None, dry_run=not apply_)
    for change in report["changed"]:
        click.echo(
            f"{change['account_id']:>8} {change['name'][:40]:<40} "
            f"{change['old_tier']} -> {change['new_tier']} (revenue {change['revenue']:,.0f})"
        )
    if apply_:
        db.session.commit()
    else:
        db.session.rollback()
    verb = "changed" if apply_ else "would change"
    click.echo(f"{report['examined']} accounts examined; {verb} {len(report['changed'])}.")


COMMANDS: tuple = (compliance_command, cadence_group)
