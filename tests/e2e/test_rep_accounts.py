"""Issue 14, the rep: find any account offline, and the due list follows offline visits at once."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from tests.e2e import harness, pages
from tests.e2e.test_screens_a11y import _axe

pytestmark = pytest.mark.browser

SEARCH = "role=searchbox[name='Search accounts']"


def _touches(app):
    from backend.core.extensions import db
    from backend.touches.models import Touch

    with app.app_context():
        out = [(t.account_id, t.type, t.notes) for t in db.session.scalars(select(Touch))]
        db.session.remove()
        return out


def _serious(page) -> list[dict]:
    return [v for v in _axe(page) if v["impact"] in ("serious", "critical")]


def test_find_an_account_offline_by_search_and_log_a_call_on_it(app, seeded, new_context):
    ctx = new_context()
    page = ctx.new_page()
    pages.login(page, seeded.rep_email, landing="h1:has-text('Today')")
    pages.wait_controlled(page)
    pages.wait_synced(page)

    ctx.set_offline(True)
    page.reload()
    page.click("a.tab:has-text('Accounts')")
    page.wait_for_selector("[data-testid=account-results]")
    # Every account of the rep is reachable, not only the due ones.
    assert page.locator("[data-testid=account-results] li").count() == len(seeded.account_ids)
    assert _serious(page) == []

    # Accent-free search over name and address ("backerei 5" finds "Bäckerei 5").
    page.fill(SEARCH, "backerei 5")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=account-results] li').length === 1"
    )
    page.fill(SEARCH, "Marienplatz 4")
    page.wait_for_function(
        "() => document.querySelectorAll('[data-testid=account-results] li').length === 1"
    )
    page.click("[data-testid=account-results] a:has-text('Bäckerei 4')")
    page.wait_for_selector("h1:has-text('Bäckerei 4')")
    page.click("a:has-text('Log call')")
    page.wait_for_selector("[data-testid=log-form]")
    page.click("label.choice__opt:has-text('Positive')")
    page.fill("#touch-notes", "called from the search")
    page.click("button:has-text('Save call')")
    page.wait_for_selector("[data-testid=history] >> text=called from the search")
    # Back on the account, with a confirmation that says where the call is.
    assert "Call saved on this phone" in page.inner_text("[data-testid=flash]")
    assert pages.pending(page, 1) == 1
    # The pending count speaks of calls, not of mutations.
    assert "1 call not sent yet" in page.inner_text(pages.BADGE)
    assert _touches(app) == []

    ctx.set_offline(False)
    pages.wait_synced(page)
    assert _touches(app) == [(seeded.account_ids[3], "call", "called from the search")]


def _overdue_rule(today: date) -> tuple[str, int]:
    """A (period, visits) rule under which an account with no visit is overdue today and one
    visit today ends that: found with the engine itself, so the test holds on any date."""
    from backend.cadence.engine.due import cadence_status
    from backend.cadence.engine.plan import CadenceRule

    for period in ("week", "month", "quarter"):
        for count in range(1, 120):
            rule = CadenceRule("A", "visit", count, period)
            if (
                cadence_status(rule, [], today).status == "overdue"
                and cadence_status(rule, [today], today).status != "overdue"
            ):
                return period, count
    pytest.fail(f"no rule makes {today} overdue (first day of a week, month and quarter)")


def test_a_visit_logged_offline_clears_the_overdue_state_before_any_sync(app, seeded, new_context):
    from backend.cadence import service as cadence
    from backend.core.extensions import db
    from backend.users.models import User

    today = date.fromisoformat(harness.local_today())
    period, count = _overdue_rule(today)
    with app.app_context():
        manager = db.session.get(User, seeded.manager_id)
        cadence.save_plan(
            manager,
            {
                "effective_from": today,
                "tiers": [{"tier": "A", "visit_minutes": 30, "weight": 3.0}, {"tier": "B"}],
                "rules": [{"tier": "A", "touch_type": "visit", "count": count, "period": period}],
            },
            today,
        )
        db.session.commit()
        db.session.remove()
    account_id = seeded.account_ids[0]  # tier A

    ctx = new_context()
    page = ctx.new_page()
    pages.login(page, seeded.rep_email, landing="h1:has-text('Today')")
    pages.wait_controlled(page)
    pages.wait_synced(page)
    ctx.set_offline(True)

    page.goto("/due")
    page.wait_for_selector(f"[data-testid=due-list] a[href='/accounts/{account_id}']")
    assert "Overdue" in page.inner_text(f"[data-testid=due-list] a[href='/accounts/{account_id}']")
    page.goto(f"/accounts/{account_id}")
    page.wait_for_selector("section[aria-labelledby=due-h] .chip--overdue")

    pages.log_touch(page, account_id, "visit", "Positive", "offline visit clears it")
    # At once, with the phone offline and the server still without the visit.
    page.goto(f"/accounts/{account_id}")
    page.wait_for_selector("section[aria-labelledby=due-h]")
    assert page.locator("section[aria-labelledby=due-h] .chip--overdue").count() == 0
    page.goto("/due")
    page.wait_for_selector("h1:has-text('Due')")
    overdue = page.locator(
        f"[data-testid=due-list] a[href='/accounts/{account_id}'] .chip--overdue"
    )
    assert overdue.count() == 0
    assert _touches(app) == []
    assert pages.pending(page, 1) == 1  # the badge reads the outbox a moment after the screen
    assert "1 visit not sent yet" in page.inner_text(pages.BADGE)

    # After the sync the server agrees (its list no longer has the account overdue either).
    ctx.set_offline(False)
    pages.wait_synced(page)
    page.goto("/due")
    page.wait_for_selector("h1:has-text('Due')")
    assert overdue.count() == 0
    assert len(_touches(app)) == 1
