"""The rep's calls and emails today on the Due screen: the desk plan within its minutes, the
tier-A email first, the later ones with their days; one logged offline leaves the list at once,
syncs exactly once and stays gone; the last list shows offline, a failed fetch in plain words."""

from __future__ import annotations

import re
import time
import uuid
from datetime import UTC, datetime, timedelta
from datetime import time as clock
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.e2e import harness, pages
from tests.e2e.desk import axe_violations

pytestmark = pytest.mark.browser

DESK = "[data-testid=desk]"
TODAY = "[data-testid=desk-today]"
TIER_A = 2  # the first accounts are tier A, the others tier C


def _seed(app) -> harness.Seed:
    """Two tier-A and eight tier-C accounts (200 desk minutes owed this month against 90 a day),
    contacts with a phone and an email, and a call to each tier-A account before today."""
    from backend.accounts.models import Account
    from backend.core.extensions import db
    from backend.touches.models import Touch

    seed_ = harness.seed(app, tag="desk", accounts=10)
    tz = ZoneInfo(harness.TIME_ZONE)
    today = datetime.now(tz).date()
    with app.app_context():
        for n, account_id in enumerate(seed_.account_ids, start=1):
            account = db.session.get(Account, account_id)
            account.tier = "A" if n <= TIER_A else "C"
            account.name = f"Kaufhaus {n}" if n <= TIER_A else f"Kiosk {n}"
            account.contacts = [
                {"name": f"Frau Huber {n}", "phone": f"+49 89 1000{n}", "email": f"huber{n}@x.de"}
            ]
        # This month (never before the 1st, never in the future): the tier-A calls wait.
        day = max(today.replace(day=1), today - timedelta(days=1))
        at = min(
            datetime.combine(day, clock(10), tzinfo=tz), datetime.now(tz) - timedelta(minutes=5)
        )
        for account_id in seed_.account_ids[:TIER_A]:
            db.session.add(
                Touch(
                    id=str(uuid.uuid4()),
                    account_id=account_id,
                    rep_id=seed_.rep_id,
                    type="call",
                    occurred_at=at.astimezone(UTC),
                    local_date=at.date(),
                    outcome="positive",
                    notes="",
                    next_step="",
                    created_by_id=seed_.rep_id,
                )
            )
        db.session.commit()
        db.session.remove()
    return seed_


def _api(base_url: str, seed_: harness.Seed) -> requests.Session:
    s = requests.Session()
    r = s.post(
        f"{base_url}/api/auth/login", json={"email": seed_.rep_email, "password": harness.PASSWORD}
    )
    r.raise_for_status()
    return s


def _shown(page) -> list[tuple[int, str, int]]:
    """Today's list as the screen shows it: (account, type, minutes) in order."""
    out = []
    for li in page.locator(f"{TODAY} > li").all():
        minutes = int(re.search(r"(\d+) min", li.inner_text()).group(1))
        out.append((int(li.get_attribute("data-account")), li.get_attribute("data-type"), minutes))
    return out


def _serious(page, name: str) -> list[dict]:
    return axe_violations(page, name)


def test_calls_and_emails_today_within_the_minutes_logged_offline_once(
    app, live_server, new_context
):
    seed_ = _seed(app)
    tier_a = set(seed_.account_ids[:TIER_A])
    api = _api(live_server.url, seed_)
    plan = api.get(f"{live_server.url}/api/cadence/desk?date={harness.local_today()}").json()
    assert plan["minutes"] == 90  # the server default
    owed = plan["today"] + plan["later"] + plan["unplanned"]
    assert sum(t["minutes"] for t in owed) > 90  # more than the desk time: the plan must choose

    ctx = new_context()
    page = ctx.new_page()
    pages.login(page, seed_.rep_email, landing="h1:has-text('Today')")
    pages.wait_controlled(page)
    pages.wait_synced(page)
    page.click("a.tab:has-text('Due')")
    page.wait_for_selector(TODAY)

    # Today's list in the plan's order, within the minutes, the tier-A email first.
    shown = _shown(page)
    assert shown == [(t["account_id"], t["touch_type"], t["minutes"]) for t in plan["today"]]
    used = sum(m for _, _, m in shown)
    assert 0 < used <= 90
    assert page.inner_text("[data-testid=desk-total]") == f"{used} of 90 minutes"
    first, first_type, _ = shown[0]
    assert first in tier_a and first_type == "email"
    first_item = page.locator(f"{TODAY} > li").first
    assert (
        "Tier A" in first_item.inner_text()
        and plan["today"][0]["reason"] in first_item.inner_text()
    )
    assert first_item.locator("a[href^='mailto:huber']").count() == 1
    # The tier-A accounts were called before today: their calls are not on today's list.
    assert not {(a, "call") for a in tier_a} & {(a, k) for a, k, _ in shown}

    # The rest, folded away, each with the day it is planned for (or why it fits nowhere).
    if plan["later"]:
        later = page.locator("[data-testid=desk-later]")
        assert later.get_attribute("open") is None
        assert not later.locator("li").first.is_visible()
        later.locator("summary").click()
        text = later.inner_text()
        assert f"Later ({len(plan['later'])})" in text
        for t in plan["later"]:
            assert t["reason"].startswith("planned for ") and t["reason"] in text
    else:  # the period's last working day: what does not fit today fits nowhere
        assert plan["unplanned"] and page.locator("[data-testid=desk-unplanned]").count() == 1

    assert _serious(page, "desk-360") == []
    page.set_viewport_size({"width": 1280, "height": 800})
    assert _serious(page, "desk-1280") == []
    page.set_viewport_size({"width": 360, "height": 740})

    # A call's tel: link offers to log that call (headless Chromium has no dialer: stand in).
    page.evaluate(
        "() => document.addEventListener('click', e => {"
        " if (e.target.closest('a[href^=\"tel:\"]')) e.preventDefault(); }, true)"
    )
    call = page.locator(f"{TODAY} > li[data-type=call]").first
    call.locator("a[href^='tel:']").click()
    assert "Called Frau Huber" in page.inner_text("[data-testid=log-call-offer]")
    page.click("[data-testid=log-call-offer] button:has-text('Not now')")

    # Offline: the last list is still there, saying when it was fetched.
    ctx.set_offline(True)
    page.reload()
    page.wait_for_selector(TODAY)
    assert _shown(page) == shown
    assert "Offline: the list as fetched at" in page.inner_text("[data-testid=desk-fetched]")

    # Log the tier-A email through the outbox: it leaves the list at once.
    first_item = page.locator(f"{TODAY} > li[data-account='{first}'][data-type=email]")
    first_item.locator("a:has-text('Log it')").click()
    page.wait_for_selector("h1:has-text('Log email')")
    page.click("label.choice__opt:has-text('Positive')")
    page.fill("#touch-notes", "desk email sent offline")
    page.click("button:has-text('Save email')")
    page.wait_for_selector("h1:has-text('Due')")
    assert "syncs when you are back online" in page.inner_text("[data-testid=flash]")
    page.wait_for_selector(TODAY)
    assert _shown(page) == shown[1:]
    assert (
        page.inner_text("[data-testid=desk-total]")
        == f"{used - shown[0][2]} of 90 minutes · 1 logged"
    )
    assert pages.pending(page, 1) == 1

    # Online again: the sync stores exactly one touch, and the list still has it gone.
    ctx.set_offline(False)
    pages.wait_synced(page)
    url = f"{live_server.url}/api/touches?account_id={first}&type=email"
    deadline = time.monotonic() + 10
    stored = []
    while time.monotonic() < deadline and not stored:
        stored = api.get(url).json()
        time.sleep(0.25)
    time.sleep(1)  # a late duplicate would show up here
    stored = api.get(url).json()
    assert [t["notes"] for t in stored] == ["desk email sent offline"]
    page.wait_for_function(
        "() => document.querySelector('[data-testid=desk-fetched]').textContent.startsWith('Fetched at')"
    )
    fresh = api.get(f"{live_server.url}/api/cadence/desk?date={harness.local_today()}").json()
    assert (first, "email") not in {(t["account_id"], t["touch_type"]) for t in fresh["today"]}
    page.reload()
    page.wait_for_selector(TODAY)
    assert (first, "email") not in {(a, k) for a, k, _ in _shown(page)}

    # A failed fetch says so in plain words; the last list stays.
    raw = "Traceback (most recent call last): sqlalchemy.exc.OperationalError"
    # On the context: the service worker's fetches are routed there, not on the page.
    ctx.route(
        "**/api/cadence/desk*",
        lambda r: r.fulfill(
            status=500, content_type="application/json", body=f'{{"message": "{raw}"}}'
        ),
    )
    page.reload()
    error = page.wait_for_selector("[data-testid=desk-error]").inner_text()
    assert "Could not fetch today's calls and emails" in error and "Try again" in error
    assert "Traceback" not in error and "500" not in error
    assert page.locator(f"{TODAY} > li").count() > 0
