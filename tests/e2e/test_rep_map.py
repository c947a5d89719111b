"""Issue 14, the rep's map of all accounts: clustered pins, a fallback when tiles cannot load."""

from __future__ import annotations

import pytest

from tests.e2e import harness, pages
from tests.e2e.test_screens_a11y import _axe

pytestmark = pytest.mark.browser


def test_the_map_without_tiles_says_so_and_still_shows_the_pins_and_home(app, new_context):
    seed_ = harness.seed(app, tag="map", accounts=12)
    ctx = new_context()
    page = ctx.new_page()
    tile_requests = []

    def block(route):
        tile_requests.append(route.request.url)
        route.abort()

    # Every tile server is unreachable (the tile URL is external; block whatever is not ours).
    # The context, not the page: the service worker fetches (and caches) the tiles.
    ctx.route("https://**/*", block)
    pages.login(page, seed_.rep_email, landing="h1:has-text('Today')")
    pages.wait_synced(page)
    page.click("a.tab:has-text('Accounts')")
    page.click("a:has-text('Map')")
    page.wait_for_selector("[data-testid=accounts-map] .leaflet-container")
    notice = page.wait_for_selector("[data-testid=map-fallback]")
    assert "cannot load" in notice.inner_text()
    assert tile_requests, "the map did try to load tiles"
    assert "map-wrap--plain" in page.get_attribute("[data-testid=accounts-map]", "class")
    # Pins are there without tiles: clusters and single pins together hold all twelve accounts,
    # and the start/home marker is shown.
    page.wait_for_selector(".acc-pin--home")
    counted = page.evaluate(
        """() => {
          const single = document.querySelectorAll('.acc-pin:not(.acc-pin--home)').length;
          const clustered = [...document.querySelectorAll('.marker-cluster span')]
            .reduce((n, e) => n + Number(e.textContent), 0);
          return single + clustered;
        }"""
    )
    assert counted == 12
    assert [v for v in _axe(page) if v["impact"] in ("serious", "critical")] == []


def _add_account(app, seed_, name: str) -> int:
    """An account of the rep that no cadence rule makes due (tier Z), so the planner skips it."""
    from backend.accounts.models import Account
    from backend.core.extensions import db
    from backend.users.models import User

    with app.app_context():
        rep = db.session.get(User, seed_.rep_id)
        account = Account(
            name=name, address="Odeonsplatz 1, München", lat=48.10, lon=11.50, tier="Z",
            opening_hours=harness.ALL_DAY, contacts=[], owner_id=rep.id,
            territory_id=rep.territories[0].id,
        )  # fmt: skip
        db.session.add(account)
        db.session.commit()
        out = account.id
        db.session.remove()
        return out


def test_add_to_today_from_the_map(app, seeded, live_server, new_context):
    extra = _add_account(app, seeded, "Feinkost Extra")
    route = harness.plan_today(live_server.url, seeded)
    assert extra not in {s["account_id"] for s in route["stops"]}
    seed_ = seeded
    ctx = new_context()
    page = ctx.new_page()
    ctx.route("https://**/*", lambda r: r.abort())
    pages.login(page, seed_.rep_email)
    pages.wait_synced(page)
    off = [extra]
    page.goto("/accounts?view=map")
    page.wait_for_selector(".acc-pin--home")
    # The account off the route sits apart from the others, so it has a pin of its own.
    page.click(".acc-pin[title^='Feinkost Extra,']")
    page.click(".leaflet-popup button:has-text('Add to today')")
    page.wait_for_selector("text=Added to today")
    page.goto("/today")
    page.wait_for_selector(f"[data-testid=stop-list] li[data-account='{off[0]}']")
