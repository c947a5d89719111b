"""Reminder jobs: the in-process schedule that runs reminders every few minutes."""

from __future__ import annotations

import logging
import threading

from flask import Flask

from backend.core.jobs import start_scheduler
from backend.reminders.service.delivery import clock
from backend.reminders.service.schedule import run_reminders

log = logging.getLogger(__name__)


def install_scheduler(app: Flask) -> None:
    """Run reminders every ``REMINDERS_INTERVAL_SECONDS`` in this process, from its first request.

    Starting on the first request (not in the factory) keeps CLI commands, workers and tests free
    of the thread; several serving processes each running it is harmless, since the reminder log
    makes every reminder at-most-once.
    """
    started: list[threading.Thread] = []
    lock = threading.Lock()

    def tick() -> None:
        report = run_reminders(clock(app), app=app)
        if report.claimed:
            log.info("reminders: %d sent or queued", len(report.claimed))

    @app.before_request
    def _start_scheduler_once() -> None:
        if started:
            return
        with lock:
            if not started:
                interval = float(app.config.get("REMINDERS_INTERVAL_SECONDS", 300))
                started.append(start_scheduler(app, tick, interval))


def reminders_job(items: list, *, app: Flask) -> int:
    """One scheduled reminder run (``fieldrep scheduler`` fires it every 15 minutes)."""
    report = run_reminders(clock(app), app=app)
    log.info("reminders: %d sent or queued", len(report.claimed))
    return len(report.claimed)
