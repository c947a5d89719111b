"""Browser fixtures: the built PWA served by the real app on 127.0.0.1, headless Chromium.

Reuses ``app`` and ``db`` from tests/conftest.py; data is seeded per test and truncated after.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest

from tests.e2e import harness


def require_endpoints(app, *rules: str) -> None:
    """Skip (with the reason in the report) while the backend has not registered a route yet."""

    def shape(rule: str) -> str:  # "/api/routes/<string:day>/plan" -> "/api/routes/<>/plan"
        return re.sub(r"<[^>]+>", "<>", rule)

    known = {shape(r.rule) for r in app.url_map.iter_rules()}
    missing = [r for r in rules if shape(r) not in known]
    if missing:
        pytest.skip(f"backend endpoint not implemented yet: {', '.join(missing)}")


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


@pytest.fixture(scope="session")
def playwright():
    """The Playwright driver (Python sync API)."""
    if not os.path.exists(harness.CHROMIUM):
        pytest.skip("chromium is not installed (make browser-deps)")
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as pw:
        yield pw


@pytest.fixture(scope="session")
def browser(playwright):
    """One headless Debian Chromium for the session (never a downloaded browser build)."""
    b = playwright.chromium.launch(executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS)
    yield b
    b.close()


@pytest.fixture
def seeded(app, db):
    """A manager, their territory, a rep and six accounts (truncated after the test)."""
    return harness.seed(app)


@pytest.fixture
def planned(app, seeded, live_server):
    """``seeded`` plus today's route for the rep, planned through the API."""
    require_endpoints(app, "/api/routes/<date>/plan", "/api/routes/<date>")
    route = harness.plan_today(live_server.url, seeded)
    if not route.get("stops"):
        pytest.fail(f"the planner returned no stops for the seeded rep: {route}")
    return seeded, route


@pytest.fixture
def realistic_planned(app, db, live_server):
    """A rep with a real working day, lunch closures and history, and today's route planned."""
    require_endpoints(app, "/api/routes/<date>/plan", "/api/routes/<date>")
    seed_ = harness.seed(app, realistic=True)
    route = harness.plan_today(live_server.url, seed_)
    if not route.get("stops"):
        pytest.fail(f"the planner returned no stops for the seeded rep: {route}")
    return seed_, route


@pytest.fixture
def new_context(browser, live_server):
    """Factory for isolated browser profiles ("devices") at phone size; closed after the test."""
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
