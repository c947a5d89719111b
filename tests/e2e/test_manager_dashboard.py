"""Manager dashboard at a laptop: KPIs from deals made through the API (checked by hand), the
funnel, quota attainment, the profitability ranking, CSV exports; axe over the screen."""

from __future__ import annotations

import pytest
import requests

from tests.e2e import desk, harness, pages

pytestmark = pytest.mark.browser


def _session(base_url: str, email: str) -> tuple[requests.Session, dict]:
    s = requests.Session()
    r = s.post(f"{base_url}/api/auth/login", json={"email": email, "password": harness.PASSWORD})
    r.raise_for_status()
    return s, {"X-CSRF-Token": r.json()["csrf_token"]}


@pytest.fixture
def deals(app, db, live_server):
    """Three deals this quarter on the rep's accounts: won 3,000, won 1,000, lost 500."""
    seed = harness.seed(app, tag="dash", accounts=4)
    s, h = _session(live_server.url, seed.manager_email)
    for account_id, amount, stage in (
        (seed.account_ids[0], 3000, "won"),
        (seed.account_ids[1], 1000, "won"),
        (seed.account_ids[2], 500, "lost"),
    ):
        r = s.post(
            f"{live_server.url}/api/opportunities",
            headers=h,
            json={"account_id": account_id, "name": f"Deal {amount}", "amount": amount},
        )
        r.raise_for_status()
        deal = r.json()
        r = s.patch(
            f"{live_server.url}/api/opportunities/{deal['id']}",
            headers=h,
            json={
                "stage": stage,
                "base_version": deal["version"],
                **({"lost_reason": "price"} if stage == "lost" else {}),
            },
        )
        r.raise_for_status()
    return seed


def test_dashboard_shows_the_hand_computed_figures_and_exports_them(app, deals, desk_context):
    page = desk_context.new_page()
    pages.login(page, deals.manager_email, landing="[data-testid=current-table], main p.muted")
    page.click("nav >> text=Dashboard")
    page.wait_for_selector("[data-testid=kpi-table]")
    team = page.locator("[data-testid=kpi-table] tr[data-name=Team]")
    # Win rate = won / closed = 2 / 3; average deal = (3,000 + 1,000) / 2.
    assert team.locator("[data-kpi=win_rate]").inner_text() == "66.7 %"
    assert team.locator("[data-kpi=average_deal_size]").inner_text() == "2,000"
    won = page.locator("[data-testid=funnel] .funnel__step:has-text('Won deals') .funnel__value")
    assert won.inner_text() == "2"
    page.wait_for_selector("[data-testid=profit-table]")
    first = page.locator("[data-testid=profit-table] tbody tr").first
    assert first.get_attribute("data-account") == str(deals.account_ids[0])  # the 3,000 win
    assert desk.axe_violations(page, "desk-dashboard") == []

    rows = desk.download_csv(page, "[data-testid=kpi-csv]")
    assert rows and any(r.get("won") == "2" for r in rows)
    ranked = desk.download_csv(page, "[data-testid=profit-csv]")
    assert ranked[0]["account_id"] == str(deals.account_ids[0])
    assert float(ranked[0]["revenue"]) == 3000
