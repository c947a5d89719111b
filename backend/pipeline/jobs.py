"""Pipeline jobs: the weekly summary email, run by a worker or a scheduler."""

from __future__ import annotations

from datetime import UTC, datetime

from flask import current_app

from backend.core.extensions import db
from backend.pipeline.service import summary


def email_summary(label: str | None = None) -> list[str]:
    """Send the weekly summaries (when enabled); commits at this job's boundary."""
    config = current_app.config
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
