"""Check out & log writes the visit and the done stop together; what the server rejects is shown."""

from __future__ import annotations

import time

import pytest
import requests
from sqlalchemy import select

from tests.e2e import pages
from tests.e2e.harness import PASSWORD

pytestmark = pytest.mark.browser

CARD = "[data-testid=next-stop]"


def _server_state(app, route_id, account_id):
    from backend.core.extensions import db
    from backend.routes.models import RoutePlan
    from backend.touches.models import Touch

    with app.app_context():
        route = db.session.get(RoutePlan, route_id)
        stop = next(s for s in route.stops if s["account_id"] == account_id)
        visits = db.session.scalars(select(Touch).where(Touch.account_id == account_id)).all()
        out = stop["status"], stop.get("arrived_at"), [(t.type, t.notes) for t in visits]
        db.session.remove()
        return out


def test_backing_out_of_check_out_leaves_no_done_stop_and_saving_syncs_both(
    app, planned, new_context
):
    seed, route = planned
    first = sorted(route["stops"], key=lambda s: s["seq"])[0]["account_id"]
    ctx = new_context()
    page = ctx.new_page()
    pages.login(page, seed.rep_email)
    pages.wait_controlled(page)
    pages.wait_synced(page)

    ctx.set_offline(True)  # so the outbox can be read before it drains
    page.click(f"{CARD} button:has-text('Check in')")
    page.wait_for_selector(f"{CARD} button:has-text('Check out')")
    assert pages.pending(page, 1) == 1

    # Back out with the browser's back button, then with the form's Cancel: nothing is written.
    page.click(f"{CARD} button:has-text('Check out')")
    page.wait_for_selector("[data-testid=log-form]")
    page.go_back()
    page.wait_for_selector(f"{CARD} button:has-text('Check out')")
    assert pages.pending(page, 1) == 1
    page.click(f"{CARD} button:has-text('Check out')")
    page.wait_for_selector("[data-testid=log-form]")
    page.click("[data-testid=log-form] button:has-text('Cancel')")
    page.wait_for_selector(f"{CARD} button:has-text('Check out')")
    assert pages.pending(page, 1) == 1
    assert "Done" not in page.inner_text("[data-testid=stop-list] li:first-child")
    assert page.inner_text(f"{CARD} h2") == first_name(route, first)

    # Now the real check-out: fill the visit and save.
    page.click(f"{CARD} button:has-text('Check out')")
    page.wait_for_selector("[data-testid=log-form]")
    page.click("label.choice__opt:has-text('Positive')")
    page.fill("#touch-notes", "Ordered two pallets")
    page.click("button:has-text('Save visit')")
    page.wait_for_selector("[data-testid=stop-list] li:first-child >> text=Done")
    assert pages.pending(page, 3) == 3  # check-in, the visit, the stop done with it

    ctx.set_offline(False)
    pages.wait_synced(page)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _server_state(app, route["id"], first)[0] != "done":
        time.sleep(0.25)
    status, arrived_at, visits = _server_state(app, route["id"], first)
    assert status == "done" and arrived_at
    assert visits == [("visit", "Ordered two pallets")]


def first_name(route, account_id):
    return next(s["name"] for s in route["stops"] if s["account_id"] == account_id)


def test_a_change_the_server_rejects_is_shown_with_its_reason(
    app, planned, new_context, live_server
):
    from backend.users import service as users

    seed, route = planned
    account_id = route["stops"][0]["account_id"]
    with app.app_context():
        from backend.core.extensions import db
        from backend.users.models import User

        territory_ids = [t.id for t in db.session.get(User, seed.rep_id).territories]
        other = users.create_user(
            email="rep-other@example.com",
            name="Olga Other",
            password=PASSWORD,
            role="rep",
            territory_ids=territory_ids,
            hash_method=users.configured_hash_method(app.config),
        )
        other_id = other.id
        db.session.commit()
        db.session.remove()

    ctx = new_context()
    page = ctx.new_page()
    pages.login(page, seed.rep_email)
    pages.wait_controlled(page)
    pages.wait_synced(page)

    ctx.set_offline(True)
    page.goto(f"/accounts/{account_id}")
    page.click("button:has-text('Edit notes')")
    page.fill("#account-notes", "Wants the spring catalogue")
    page.click("button:has-text('Save notes')")
    page.wait_for_selector("[data-testid=account-notes] >> text=Wants the spring catalogue")

    # Meanwhile the manager gives the account to another rep.
    boss = requests.Session()
    login = boss.post(
        f"{live_server.url}/api/auth/login",
        json={"email": seed.manager_email, "password": PASSWORD},
    )
    moved = boss.patch(
        f"{live_server.url}/api/accounts/{account_id}",
        json={"owner_id": other_id},
        headers={"X-CSRF-Token": login.json()["csrf_token"]},
    )
    assert moved.status_code == 200, moved.text

    ctx.set_offline(False)
    page.wait_for_selector(f"{pages.BADGE}[data-rejected='1']")
    badge = page.inner_text(pages.BADGE)
    assert "1 account edit not accepted: No longer your account" in badge
    page.click(pages.BADGE)
    item = page.wait_for_selector("[data-testid=rejected]")
    text = item.inner_text()
    assert "No longer your account" in text and "Wants the spring catalogue" in text
    page.click("[data-testid=rejected] button:has-text('Dismiss')")
    page.wait_for_selector(f"{pages.BADGE}[data-rejected='0']")
