"""Fixtures for push tests: a VAPID key and a running local push service."""

from collections.abc import Iterator

import pytest

from backend.push import vapid

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
