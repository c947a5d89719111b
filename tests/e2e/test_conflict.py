"""Two devices of one rep edit the same account field; the later one sees a conflict and decides."""

from __future__ import annotations

import time

import pytest

from tests.e2e import pages

pytestmark = pytest.mark.browser


def _notes(app, account_id):
    from backend.accounts.models import Account
    from backend.core.extensions import db

    with app.app_context():
        value = db.session.get(Account, account_id).notes
        db.session.remove()
        return value


def _edit_notes(page, account_id, text):
    page.goto(f"/accounts/{account_id}")
    page.click("button:has-text('Edit notes')")
    page.fill("#account-notes", text)
    page.click("button:has-text('Save notes')")
    page.wait_for_selector(f"[data-testid=account-notes] >> text={text}")


def test_conflicting_note_edits_show_mine_vs_server_and_keep_mine_wins(app, planned, new_context):
    seed, route = planned
    account_id = route["stops"][0]["account_id"]
    phone, tablet = new_context(), new_context()
    a, b = phone.new_page(), tablet.new_page()
    for page in (a, b):
        pages.login(page, seed.rep_email)
        pages.wait_controlled(page)
        pages.wait_synced(page)

    tablet.set_offline(True)  # the tablet keeps the old version
    _edit_notes(a, account_id, "Call back after the trade fair")
    pages.wait_synced(a)
    assert _notes(app, account_id) == "Call back after the trade fair"

    _edit_notes(b, account_id, "Owner prefers mornings")
    tablet.set_offline(False)
    b.wait_for_selector(f"{pages.BADGE}[data-conflicts='1']")

    b.click(pages.BADGE)
    card = b.wait_for_selector("[data-testid=conflict]")
    assert "Owner prefers mornings" in card.inner_text()
    assert "Call back after the trade fair" in card.inner_text()
    assert card.query_selector("[data-testid=mine]").inner_text() == "Owner prefers mornings"
    assert (
        card.query_selector("[data-testid=server]").inner_text() == "Call back after the trade fair"
    )

    b.click("button:has-text('Keep mine')")
    b.wait_for_selector(f"{pages.BADGE}[data-conflicts='0']")
    pages.wait_synced(b)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline and _notes(app, account_id) != "Owner prefers mornings":
        time.sleep(0.25)
    assert _notes(app, account_id) == "Owner prefers mornings"
    assert b.query_selector("[data-testid=conflict]") is None


def test_take_server_discards_my_edit(app, planned, new_context):
    seed, route = planned
    account_id = route["stops"][0]["account_id"]
    phone, tablet = new_context(), new_context()
    a, b = phone.new_page(), tablet.new_page()
    for page in (a, b):
        pages.login(page, seed.rep_email)
        pages.wait_controlled(page)  # offline navigation needs the service worker in control
        pages.wait_synced(page)

    tablet.set_offline(True)
    _edit_notes(a, account_id, "Server side note")
    pages.wait_synced(a)
    _edit_notes(b, account_id, "Tablet note")
    tablet.set_offline(False)
    b.wait_for_selector(f"{pages.BADGE}[data-conflicts='1']")
    b.goto("/sync")
    b.click('button:has-text("Take server\'s")')
    b.wait_for_selector(f"{pages.BADGE}[data-conflicts='0']")
    b.goto(f"/accounts/{account_id}")
    b.wait_for_selector("[data-testid=account-notes] >> text=Server side note")
    assert _notes(app, account_id) == "Server side note"
