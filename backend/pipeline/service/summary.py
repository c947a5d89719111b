"""The weekly summary email: each manager gets last week's figures and flags over SMTP.

Off by default (``SUMMARY_EMAIL_ENABLED``). A summary is recorded per manager and week in the
same transaction that sends it, so a re-run (or a second worker) never mails a manager twice
for the same week; a failed send records nothing and is retried by the next run.
"""

from __future__ import annotations

import smtplib
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage
from typing import Any

from sqlalchemy import select

from backend.core.extensions import db
from backend.pipeline.models import SummaryEmail
from backend.pipeline.service.performance import last_week, performance_report
from backend.users.models import Territory, User


@dataclass(frozen=True)
class SmtpSettings:
    """Where and how to send."""

    host: str
    port: int
    sender: str
    user: str | None = None
    password: str | None = None
    starttls: bool = False
    timeout: float = 10.0


def settings_from_config(config: Any) -> SmtpSettings:
    """SMTP_HOST, SMTP_PORT, SMTP_USER, SMTP_PASSWORD, SMTP_STARTTLS, SUMMARY_EMAIL_FROM."""
    return SmtpSettings(
        host=config["SMTP_HOST"],
        port=int(config["SMTP_PORT"]),
        sender=config["SUMMARY_EMAIL_FROM"],
        user=config.get("SMTP_USER"),
        password=config.get("SMTP_PASSWORD"),
        starttls=bool(config.get("SMTP_STARTTLS")),
    )


def _fmt(value: Any, suffix: str = "") -> str:
    return "-" if value is None else f"{value:,.2f}{suffix}"


def compose(manager: User, report: dict[str, Any], sender: str) -> EmailMessage:
    """The summary mail for one manager: a line per territory, the team, then the flags."""
    msg = EmailMessage()
    msg["Subject"] = f"FieldRep weekly summary {report['period']}"
    msg["From"] = sender
    msg["To"] = manager.email
    lines = [
        f"Hello {manager.name},",
        "",
        f"Your territories, {report['first']} to {report['last']}:",
        "",
    ]
    for row in [*report["rows"], {"name": "Team", **report["team"]}]:
        lines.append(
            f"{row['name'] or '-'}: {row['won']} won / {row['lost']} lost "
            f"(win rate {_fmt(row['win_rate'], '%')}), won {_fmt(row['won_amount'])}, "
            f"open pipeline {_fmt(row['open_pipeline'])}, "
            f"attainment {_fmt(row['attainment'], '%')}, "
            f"compliance {_fmt(row['compliance'], '%')}"
        )
    lines.append("")
    if report["flags"]:
        lines.append("For a realignment review:")
        lines += [f"- {f['name'] or f['territory_id']}: {f['message']}" for f in report["flags"]]
    else:
        lines.append("No territory is flagged this week.")
    msg.set_content("\n".join(lines) + "\n")
    return msg


def send_summaries(settings: SmtpSettings, *, today: date, label: str | None = None) -> list[str]:
    """Mail every active manager with a territory their summary of ``label`` (last week by
    default); returns the addresses mailed. Flushes the records; the caller commits."""
    label = label or last_week(today)
    managers = db.session.scalars(
        select(User)
        .where(User.role == "manager", User.is_active.is_(True))
        .where(User.id.in_(select(Territory.manager_id)))
        .order_by(User.id)
    ).all()
    done = set(
        db.session.scalars(select(SummaryEmail.manager_id).where(SummaryEmail.period == label))
    )
    todo = [m for m in managers if m.id not in done]
    if not todo:
        return []
    sent: list[str] = []
    with smtplib.SMTP(settings.host, settings.port, timeout=settings.timeout) as smtp:
        if settings.starttls:
            smtp.starttls()
        if settings.user:
            smtp.login(settings.user, settings.password or "")
        for manager in todo:
            report = performance_report(manager, label, "territory", today=today)
            smtp.send_message(compose(manager, report, settings.sender))
            db.session.add(SummaryEmail(manager_id=manager.id, period=label))
            db.session.flush()
            sent.append(manager.email)
    return sent
