"""Browser fixtures: the built PWA served by the real app on 127.0.0.1, headless Chromium.

Reuses ``app`` and ``db`` from tests/conftest.py; data is seeded per test and truncated after.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.e2e import harness


@pytest.fixture(scope="session")
def pwa_dist() -> Path:
    """The PWA build (built once here if `make pwa` has not run)."""
    return harness.ensure_pwa_built()


@pytest.fixture(scope="session")
def live_server(app, pwa_dist):
    """The app in a real HTTP server thread; its URL is ``live_server.url``."""
    app.config["PWA_DIST"] = str(pwa_dist)
    with harness.LiveServer(app) as server:
        yield server


@pytest.fixture
def seeded(app, db):
    """A manager, their territory, a rep and six accounts (truncated after the test)."""
    return harness.seed(app)


@pytest.fixture
def planned(app, seeded, live_server):
    """``seeded`` plus today's route for the rep, planned through the API."""
    route = harness.plan_today(live_server.url, seeded)
    if not route.get("stops"):
        pytest.fail(f"the planner returned no stops for the seeded rep: {route}")
    return seeded, route


@pytest.fixture
def realistic_planned(app, db, live_server):
    """A rep with a real working day, lunch closures and history, and today's route planned."""
    seed_ = harness.seed(app, realistic=True)
    route = harness.plan_today(live_server.url, seed_)
    if not route.get("stops"):
        pytest.fail(f"the planner returned no stops for the seeded rep: {route}")
    return seed_, route


@pytest.fixture
def new_context(browser, live_server, db):
    """Factory for isolated browser profiles ("devices") at phone size; closed after the test.

    Depends on ``db`` so the browsers close before the tables are emptied (no request of theirs
    still holds a lock then)."""
    contexts = []

    def make(**kwargs):
        opts = {
            "viewport": {"width": 360, "height": 740},
            "device_scale_factor": 2,
            "is_mobile": True,
            "has_touch": True,
            "base_url": live_server.url,
            "service_workers": "allow",
            "locale": "en-GB",
            "timezone_id": harness.TIME_ZONE,
        }
        opts.update(kwargs)
        ctx = browser.new_context(**opts)
        ctx.set_default_timeout(15_000)
        contexts.append(ctx)
        return ctx

    yield make
    for ctx in contexts:
        ctx.close()


@pytest.fixture
def desk_context(browser, live_server):
    """A laptop-size browser profile (1280 x 800, mouse) for the manager and admin screens."""
    ctx = browser.new_context(
        viewport={"width": 1280, "height": 800},
        base_url=live_server.url,
        service_workers="allow",
        accept_downloads=True,
        locale="en-GB",
        timezone_id=harness.TIME_ZONE,
    )
    ctx.set_default_timeout(15_000)
    yield ctx
    ctx.close()
