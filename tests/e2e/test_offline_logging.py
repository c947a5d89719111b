"""A rep logs visits and a call with no signal; nothing is lost and nothing is doubled."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from tests.e2e import pages

pytestmark = pytest.mark.browser


def _touches(app):
    from backend.core.extensions import db
    from backend.touches.models import Touch

    with app.app_context():
        rows = db.session.scalars(select(Touch)).all()
        out = [(t.account_id, t.type, t.notes) for t in rows]
        db.session.remove()
        return out


def test_offline_visits_survive_reload_and_new_page_then_sync_exactly_once(
    app, planned, new_context
):
    seed, route = planned
    stops = [s["account_id"] for s in sorted(route["stops"], key=lambda s: s["seq"])]
    ctx = new_context()
    page = ctx.new_page()

    pages.login(page, seed.rep_email)
    pages.wait_controlled(page)
    pages.wait_synced(page)

    ctx.set_offline(True)
    page.reload()  # only the service worker can answer this
    page.wait_for_selector("[data-testid=stop-list]")
    assert page.get_attribute(pages.BADGE, "data-online") == "0"

    logged = [
        (stops[0], "visit", "Positive", "offline visit one"),
        (stops[1 % len(stops)], "visit", "Neutral", "offline visit two"),
        (stops[2 % len(stops)], "visit", "No contact", "offline visit three"),
        (stops[0], "call", "Positive", "offline call"),
    ]
    for account_id, kind, outcome, notes in logged:
        pages.log_touch(page, account_id, kind, outcome, notes)
    assert pages.pending(page, 4) == 4

    # The tab is closed; the outbox lives in IndexedDB, not in the page.
    page.close()
    page = ctx.new_page()
    page.goto("/today")
    page.wait_for_selector("[data-testid=stop-list]")
    page.wait_for_selector(f"{pages.BADGE}[data-pending='4']")
    assert _touches(app) == []

    ctx.set_offline(False)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline and len(_touches(app)) < 4:
        time.sleep(0.25)
    pages.wait_synced(page)
    time.sleep(1)  # a late duplicate would show up here

    got = sorted(_touches(app))
    want = sorted((a, k, n) for a, k, _, n in logged)
    assert got == want
    assert pages.pending(page, 0) == 0
