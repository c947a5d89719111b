"""Signing out warns while changes are still waiting to be sent."""

from __future__ import annotations

import pytest

from tests.e2e import pages

pytestmark = pytest.mark.browser


def test_logout_warns_about_unsent_changes_and_not_after_sync(app, planned, new_context):
    seed, route = planned
    ctx = new_context()
    page = ctx.new_page()
    pages.login(page, seed.rep_email)
    pages.wait_controlled(page)  # offline navigation needs the service worker in control
    pages.wait_synced(page)

    ctx.set_offline(True)
    pages.log_touch(page, route["stops"][0]["account_id"], "call", "Neutral", "left a message")
    page.click("a.tab:has-text('Settings')")
    page.click("button:has-text('Sign out')")
    warning = page.wait_for_selector("[role=alert]")
    assert "1 change has not reached the server" in warning.inner_text()
    page.click("button:has-text('Stay signed in')")
    assert pages.pending(page, 1) == 1

    ctx.set_offline(False)
    pages.wait_synced(page)
    page.click("button:has-text('Sign out')")
    page.wait_for_selector("#email")
