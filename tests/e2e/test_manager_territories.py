"""Manager at a laptop: territory workload (table and CSV), a rebalancing proposal with its moves
and before/after, compare, apply, and a rep's departure through the wizard; axe on each screen."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from backend.accounts.models import Account
from tests.e2e import desk, harness, pages

pytestmark = pytest.mark.browser


@pytest.fixture
def unbalanced(app, db):
    """Two reps in one territory; the first owns all 12 accounts, the second none."""
    from backend.core.extensions import db as sqla

    seed = harness.seed(app, tag="terr", accounts=12)
    with app.app_context():
        second = harness.second_rep(app, "terr", "rep2-terr@example.com")
        sqla.session.commit()
        return seed, second.id


def _owners(app, ids) -> dict[int, int]:
    from backend.core.extensions import db as sqla

    with app.app_context():
        rows = sqla.session.execute(select(Account.id, Account.owner_id).where(Account.id.in_(ids)))
        return dict(rows.all())


def test_workload_proposal_compare_and_apply(app, unbalanced, desk_context):
    seed, second = unbalanced
    page = desk_context.new_page()
    pages.login(page, seed.manager_email, landing="[data-testid=current-table], main p.muted")
    page.click("nav >> text=Workload")
    page.wait_for_selector("[data-testid=workload-table]")
    first_load = page.inner_text(f"tr[data-rep='{seed.rep_id}'] [data-testid=load]")
    second_load = page.inner_text(f"tr[data-rep='{second}'] [data-testid=load]")
    assert int(first_load.split()[0]) > int(second_load.split()[0])
    # The map: every account as a dot coloured by its rep's load, plus each rep's home.
    page.wait_for_selector("[data-testid=load-map][data-state='ready:12']")
    assert page.locator("[data-testid=load-map] path.leaflet-interactive").count() == 12 + 2
    assert desk.axe_violations(page, "desk-workload") == []

    rows = desk.download_csv(page, "[data-testid=workload-csv]")
    by_rep = {r["rep_id"]: r for r in rows if r.get("rep_id")}
    assert {str(seed.rep_id), str(second)} <= set(by_rep)
    assert by_rep[str(seed.rep_id)]["accounts"] == "12" and by_rep[str(second)]["accounts"] == "0"

    page.click("button:has-text('Propose a rebalance')")
    page.wait_for_selector("[data-testid=proposal-metrics]")
    moves = page.locator("[data-testid=moves-table] tbody tr")
    assert moves.count() > 0
    moved = [int(m.get_attribute("data-account")) for m in moves.all()]
    assert all("Rick Rep" in t for t in moves.locator("td:nth-child(2)").all_inner_texts())
    assert all("Rita Second" in t for t in moves.locator("td:nth-child(3)").all_inner_texts())
    page.wait_for_selector("[data-testid=moves-table] th a:has-text('Bäckerei')")
    assert desk.axe_violations(page, "desk-proposal") == []
    proposal_url = page.url
    # Nothing changed yet: a proposal is a what-if.
    assert set(_owners(app, moved).values()) == {seed.rep_id}

    # A second scenario, then both side by side.
    page.click("a:has-text('Workload')")
    page.click("button:has-text('Propose a rebalance')")
    page.wait_for_selector("[data-testid=proposal-metrics]")
    page.click("a:has-text('Workload')")
    page.wait_for_selector("[data-testid=proposals-table]")
    for box in page.locator("[data-testid=proposals-table] input[type=checkbox]").all():
        box.check()
    page.click("button:has-text('Compare selected')")
    page.wait_for_selector("[data-testid=compare-table]")
    assert page.locator("[data-testid=compare-table] thead th").count() == 3
    assert "accounts move in every one of them" in page.inner_text("[data-testid=shared-moves]")
    assert desk.axe_violations(page, "desk-compare") == []

    page.goto(proposal_url)
    page.click("button:has-text('Apply')")
    page.wait_for_selector("text=Applied: the accounts have their new owners.")
    assert "applied" in page.inner_text("[data-testid=proposal-status]")
    assert set(_owners(app, moved).values()) == {second}


def test_the_departure_wizard_previews_then_hands_every_account_over(app, unbalanced, desk_context):
    seed, second = unbalanced
    page = desk_context.new_page()
    pages.login(page, seed.manager_email, landing="[data-testid=current-table], main p.muted")
    page.goto("/manager/departure")
    page.wait_for_selector("[data-testid=departure-form]")
    page.select_option("#d-rep", label="Rick Rep")
    page.click("label.choice__opt:has-text('One named rep')")
    page.select_option("#d-to", label="Rita Second")
    page.click("button:has-text('Preview the handover')")
    page.wait_for_selector("[data-testid=departure-preview]")
    assert "12 accounts" in page.inner_text("[data-testid=departure-preview]")
    assert set(_owners(app, seed.account_ids).values()) == {seed.rep_id}  # a preview only
    assert desk.axe_violations(page, "desk-departure") == []

    page.click("button:has-text('Hand over 12 accounts')")
    page.wait_for_selector("[data-testid=departure-done]")
    assert "12 accounts handed over" in page.inner_text("[data-testid=departure-done]")
    assert set(_owners(app, seed.account_ids).values()) == {second}
