"""Fixtures for push tests: a VAPID key and a running local push service."""

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from backend.reminders.webpush import vapid

from .push_service import PushService


@pytest.fixture(scope="session")
def vapid_key() -> vapid.VapidKey:
    """One VAPID key pair for the session (generation is cheap, but there is no need to repeat it)."""
    return vapid.generate()


@pytest.fixture
def push_service(vapid_key: vapid.VapidKey) -> Iterator[PushService]:
    """A fresh push service whose subscriptions only accept our application server key."""
    with PushService(application_server_key=vapid.application_server_key(vapid_key)) as service:
        yield service


class Clock:
    """The reminders' clock (``REMINDERS_CLOCK``): tests replay chosen UTC instants."""

    def __init__(self) -> None:
        self.now = datetime(2026, 11, 6, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> Clock:
    """A settable clock; ``push_app`` installs it."""
    return Clock()


@pytest.fixture
def push_app(app, db, vapid_key, clock, monkeypatch):
    """The app pushing to the local push service: our key, local http, fast retries, inline jobs."""
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", vapid.private_pem(vapid_key))
    monkeypatch.setitem(app.extensions, "fieldrep_vapid", vapid_key)
    monkeypatch.setitem(app.config, "PUSH_ALLOW_LOCAL_HTTP", True)
    monkeypatch.setitem(app.config, "PUSH_RETRY_BASE_DELAY", 0.05)
    monkeypatch.setitem(app.config, "REMINDERS_CLOCK", clock)
    monkeypatch.setitem(app.config, "REDIS_URL", None)
    return app


@pytest.fixture
def add_device(push_app, push_service, db):
    """Factory: ``add_device(rep)`` -> the browser-side subscription, saved for ``rep``."""
    from backend.reminders.service import subscriptions as push_subscriptions

    def add(rep) -> dict:
        sub = push_service.subscribe()
        push_subscriptions.subscribe(rep, sub, allow_local_http=True)
        db.session.commit()
        return sub

    return add


@pytest.fixture
def run_at(push_app, clock):
    """``run_at(utc_datetime)`` -> RunReport: one reminders run as if it were that instant."""
    from backend.reminders.service.schedule import run_reminders

    def run(moment: datetime):
        clock.now = moment
        return run_reminders(moment, app=push_app)

    return run
