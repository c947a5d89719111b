"""The day on the road: check in, check out and log, skip with a reason (offline), then re-plan."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from tests.e2e import pages

pytestmark = pytest.mark.browser


def _stops(app, route_id):
    from backend.core.extensions import db
    from backend.routes.models import RoutePlan

    with app.app_context():
        route = db.session.get(RoutePlan, route_id)
        out = {s["account_id"]: (s.get("status"), s.get("skip_reason")) for s in route.stops}
        db.session.remove()
        return out


def _visits(app):
    from backend.core.extensions import db
    from backend.touches.models import Touch

    with app.app_context():
        rows = [(t.account_id, t.type, t.outcome) for t in db.session.scalars(select(Touch))]
        db.session.remove()
        return rows


def test_check_in_out_and_skip_offline_reach_the_server_then_replan(app, planned, new_context):
    seed, route = planned
    first, second = [s["account_id"] for s in sorted(route["stops"], key=lambda s: s["seq"])[:2]]
    ctx = new_context(
        geolocation={"latitude": 48.14, "longitude": 11.58}, permissions=["geolocation"]
    )
    page = ctx.new_page()
    pages.login(page, seed.rep_email)
    pages.wait_controlled(page)
    pages.wait_synced(page)

    ctx.set_offline(True)
    card = "[data-testid=next-stop]"
    page.click(f"{card} button:has-text('Check in')")
    page.click(f"{card} button:has-text('Check out')")
    page.wait_for_selector("[data-testid=log-form]")
    page.click("label.choice__opt:has-text('Positive')")
    page.click("button:has-text('Save visit')")
    # Saving the visit from "Check out & log" returns to Today with the stop done.
    page.wait_for_selector("[data-testid=stop-list] >> text=Done")
    page.click(f"{card} button:has-text('Skip')")
    page.click("label.choice__opt:has-text('Traffic')")
    page.click("button:has-text('Skip stop')")
    page.wait_for_selector("[data-testid=stop-list] >> text=Skipped")
    assert pages.pending(page, 4) == 4  # arrived, the visit with its done stop, skipped

    ctx.set_offline(False)
    pages.wait_synced(page)
    deadline = time.monotonic() + 10
    while (
        time.monotonic() < deadline
        and _stops(app, route["id"]).get(second, (None,))[0] != "skipped"
    ):
        time.sleep(0.25)
    stops = _stops(app, route["id"])
    assert stops[first][0] == "done"
    assert stops[second] == ("skipped", "Traffic")
    assert _visits(app) == [(first, "visit", "positive")]

    # Re-planning shows a preview first (issue 14); it applies when the rep accepts.
    page.click("button:has-text('Re-plan from here')")
    page.click("[data-testid=replan-preview] button:has-text('Accept re-plan')")
    page.wait_for_selector("text=Route re-planned.")
    assert page.is_visible("[data-testid=stop-list]")
