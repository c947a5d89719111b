"""Manager at a laptop: the team map with the rep's route of the day, their last check-in and
the rep filter; axe over the screen."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
import requests

from tests.e2e import desk, harness, pages

pytestmark = pytest.mark.browser


def _check_in(base_url: str, seed, account_id: int) -> None:
    """The rep logs a visit with a check-in position, through the API as the app would."""
    s = requests.Session()
    r = s.post(
        f"{base_url}/api/auth/login", json={"email": seed.rep_email, "password": harness.PASSWORD}
    )
    r.raise_for_status()
    at = (datetime.now(UTC) - timedelta(minutes=10)).isoformat()
    body = {
        "id": str(uuid.uuid4()),
        "account_id": account_id,
        "type": "visit",
        "occurred_at": at,
        "outcome": "positive",
        "checkin": {"lat": 48.141, "lon": 11.578, "accuracy_m": 12},
    }
    r = s.post(
        f"{base_url}/api/touches", json=body, headers={"X-CSRF-Token": r.json()["csrf_token"]}
    )
    r.raise_for_status()


def test_team_map_shows_each_route_the_last_check_in_and_filters_by_rep(
    app, planned, live_server, desk_context
):
    seed, route = planned
    first = sorted(route["stops"], key=lambda s: s["seq"])[0]
    _check_in(live_server.url, seed, first["account_id"])
    page = desk_context.new_page()
    pages.login(page, seed.manager_email, landing="[data-testid=current-table], main p.muted")
    page.click("nav >> text=Team map")
    page.wait_for_selector("[data-testid=team-map][data-state=ready]")

    item = page.locator(f"[data-testid=team-list] li[data-rep='{seed.rep_id}']")
    assert f"{len(route['stops'])} stops" in item.inner_text()
    checkin = item.locator("[data-testid=last-checkin]").inner_text()
    assert checkin.startswith("Last check-in:") and first["name"] in checkin
    # The route line and the check-in marker are on the map; stops are pins or clusters.
    assert page.locator("[data-testid=team-map] path.leaflet-interactive").count() >= 1
    assert page.locator("[data-testid=team-map] .map-pin--checkin").count() == 1
    assert page.locator("[data-testid=team-map] .leaflet-marker-icon").count() >= 2
    assert desk.axe_violations(page, "desk-team-map") == []

    page.select_option("#tm-rep", str(seed.rep_id))
    assert page.locator("[data-testid=team-list] li").count() == 1
