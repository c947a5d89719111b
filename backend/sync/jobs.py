"""Sync jobs: prune the change and mutation logs on a schedule (and from ``fieldrep sync prune``)."""

from __future__ import annotations

import logging
import threading
from datetime import UTC, datetime, timedelta

from flask import Flask

from backend.core.extensions import db
from backend.core.jobs import start_scheduler
from backend.sync.service.prune import prune

log = logging.getLogger(__name__)

DAY_SECONDS = 86_400


def prune_logs(*, horizon_days: int, now: datetime | None = None) -> dict[str, int]:
    """Prune what is older than ``horizon_days`` and commit (a job is its own boundary).

    A client whose cursor is older than the tombstones removed gets ``reset`` on its next pull.
    """
    now = now or datetime.now(UTC)
    report = prune(db.session, older_than=now - timedelta(days=horizon_days))
    db.session.commit()
    return report


def install_scheduler(app: Flask) -> None:
    """Prune every ``SYNC_PRUNE_INTERVAL_SECONDS`` (a day) in this process, from its first request.

    Several serving processes each pruning is harmless: pruning takes the change log's lock and
    deletes only what is past the horizon.
    """
    started: list[threading.Thread] = []
    lock = threading.Lock()

    def tick() -> None:
        report = prune_logs(horizon_days=int(app.config["SYNC_PRUNE_AFTER_DAYS"]))
        log.info("sync prune: %s", report)

    @app.before_request
    def _start_prune_scheduler_once() -> None:
        if started:
            return
        with lock:
            if not started:
                interval = float(app.config.get("SYNC_PRUNE_INTERVAL_SECONDS", DAY_SECONDS))
                started.append(start_scheduler(app, tick, interval))


def prune_job(items: list, *, app: Flask) -> dict[str, int]:
    """One scheduled prune of the sync logs (``fieldrep scheduler`` fires it daily)."""
    report = prune_logs(horizon_days=int(app.config["SYNC_PRUNE_AFTER_DAYS"]))
    log.info("sync prune: %s", report)
    return report
