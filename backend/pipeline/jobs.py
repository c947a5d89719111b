"""Pipeline jobs: the weekly summary email, run inline, by ``fieldrep worker`` (RQ) or cron."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import Flask, current_app

from backend.core.extensions import db
from backend.core.jobs import get_queue
from backend.pipeline.service import summary


def email_summary(label: str | None = None, *, app: Flask | None = None) -> list[str]:
    """Send the weekly summaries of ``label`` (default last week) when enabled; commits here."""
    config = (app or current_app).config
    if not config.get("SUMMARY_EMAIL_ENABLED"):
        return []
    try:
        sent = summary.send_summaries(
            summary.settings_from_config(config), today=datetime.now(UTC).date(), label=label
        )
        db.session.commit()
    except Exception:
        db.session.rollback()
        raise
    return sent


def email_summary_job(labels: list[str | None], *, app: Flask) -> None:
    """The queue's shape of ``email_summary``: ``func(items, app=app)``."""
    for label in labels:
        email_summary(label, app=app)


def enqueue_email_summary(app: Flask, label: str | None = None) -> None:
    """Hand the summary to the job queue (RQ when REDIS_URL is set, else it runs now)."""
    get_queue(app).enqueue_each(email_summary_job, [label])
