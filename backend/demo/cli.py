"""``fieldrep demo`` and ``fieldrep serve``."""

from __future__ import annotations

import click
from flask import current_app
from flask.cli import with_appcontext
from flask_migrate import upgrade
from werkzeug.serving import run_simple

from backend.core.extensions import db
from backend.demo import service as demo
from backend.users import service as users


@click.command("demo")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--no-serve", is_flag=True, help="Create the data, do not start the server.")
@click.option("--reminders/--no-reminders", default=True, help="Run push reminders in-process.")
@click.option("--unbalanced", is_flag=True, help="Give the reps very different books.")
@with_appcontext
def demo_command(host: str, port: int, no_serve: bool, reminders: bool, unbalanced: bool) -> None:
    """Create (or reuse) a demo instance with realistic data, then serve it."""
    upgrade()
    if demo.demo_exists():
        click.echo("Demo data already present; reusing it.")
    else:
        with click.progressbar(length=1, label="Creating demo data") as bar:
            info = demo.seed(
                hash_method=users.configured_hash_method(current_app.config),
                unbalanced=unbalanced,
            )
            db.session.commit()
            bar.update(1)
        click.echo(
            f"Created {info['accounts']} accounts, {info['touches']} touches and "
            f"{info['opportunities']} opportunities."
        )
        _plan_today()
    click.echo(f"\nDemo logins (password: {demo.PASSWORD})")
    click.echo(f"  manager  {demo.MANAGER}")
    click.echo(f"  admin    {demo.ADMIN}")
    for email in demo.REP_NAMES:
        click.echo(f"  rep      {email.split()[0].lower()}@demo.fieldrep.app")
    if not no_serve:
        _serve(host, port, reminders)


@click.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True, type=int)
@click.option("--reminders/--no-reminders", default=True, help="Run push reminders in-process.")
@with_appcontext
def serve_command(host: str, port: int, reminders: bool) -> None:
    """Serve the app with the development server (use gunicorn in production)."""
    _serve(host, port, reminders)


def _plan_today() -> None:
    """Plan today's route for every demo rep, so the app opens on a real day."""
    from datetime import datetime
    from zoneinfo import ZoneInfo

    from sqlalchemy import select

    from backend.routes.service import planning
    from backend.users.models import User

    today = datetime.now(ZoneInfo(demo.TZ)).date()
    settings = planning.PlanningSettings.from_config(current_app.config)
    reps = list(db.session.scalars(select(User).where(User.role == "rep").order_by(User.id)))
    with click.progressbar(reps, label=f"Planning {today.isoformat()} for {len(reps)} reps") as bar:
        for rep in bar:
            planning.plan_day(rep, today, time_limit=0.5, workers=1, settings=settings)
    db.session.commit()


def _serve(host: str, port: int, reminders: bool) -> None:
    """Run the development server; alone, it also runs the reminder schedule in-process."""
    app = current_app._get_current_object()
    if reminders and not app.config.get("REDIS_URL"):
        from backend.reminders.jobs import install_scheduler

        install_scheduler(app)
        click.echo("Push reminders run in this process (every 5 minutes).")
    click.echo(f"\nFieldRep runs on http://{host}:{port}  (Ctrl+C stops it)")
    # Flask's app.run() refuses to start inside a `flask` CLI command; werkzeug's server does.
    run_simple(host, port, app, threaded=True, use_reloader=False, use_debugger=False)


COMMANDS = (demo_command, serve_command)
