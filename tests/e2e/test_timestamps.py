"""A visit logged for 09:30 in Berlin reads 09:30 on a Berlin phone after sync (and 03:30 in
New York): REST in, sync pull out, the account history in Chromium, one instant throughout."""

from __future__ import annotations

import uuid
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import requests

from tests.e2e import pages
from tests.e2e.harness import PASSWORD, TIME_ZONE

pytestmark = pytest.mark.browser

# What the PWA stored from the pull, read straight from IndexedDB (a function literal: the CSP
# forbids eval).
STORED_TOUCH = """(id) => new Promise((resolve, reject) => {
  const open = indexedDB.open('fieldrep');
  open.onerror = () => reject(open.error);
  open.onsuccess = () => {
    const req = open.result.transaction('touches').objectStore('touches').get(id);
    req.onsuccess = () => { open.result.close(); resolve(req.result || null); };
    req.onerror = () => reject(req.error);
  };
})"""


def _log_visit(base_url: str, email: str, account_id: int, at: datetime) -> str:
    """POST /api/touches as the rep, the way another client would; the touch id."""
    s = requests.Session()
    r = s.post(f"{base_url}/api/auth/login", json={"email": email, "password": PASSWORD})
    r.raise_for_status()
    touch_id = str(uuid.uuid4())
    r = s.post(
        f"{base_url}/api/touches",
        headers={"X-CSRF-Token": r.json()["csrf_token"]},
        json={
            "id": touch_id,
            "account_id": account_id,
            "type": "visit",
            "occurred_at": at.isoformat(),  # e.g. 2026-12-01T09:30:00+01:00
            "outcome": "positive",
            "notes": "visit at half past nine",
        },
    )
    assert r.status_code == 201, r.text
    return touch_id


def test_a_visit_from_rest_shows_the_reps_wall_clock_time_after_sync(
    planned, live_server, new_context
):
    seed, _route = planned
    account_id = seed.account_ids[0]
    berlin = ZoneInfo(TIME_ZONE)
    day = datetime.now(berlin).date() - timedelta(days=1)
    logged = datetime.combine(day, time(9, 30), tzinfo=berlin)
    touch_id = _log_visit(live_server.url, seed.rep_email, account_id, logged)

    for zone in (TIME_ZONE, "America/New_York"):
        page = new_context(timezone_id=zone).new_page()
        pages.login(page, seed.rep_email)
        pages.wait_synced(page)

        stored = page.evaluate(STORED_TOUCH, touch_id)
        assert stored is not None, "the pull did not bring the touch"
        synced = datetime.fromisoformat(stored["occurred_at"])
        assert synced.tzinfo is not None, f"pulled {stored['occurred_at']!r} without an offset"
        assert synced == logged

        page.goto(f"/accounts/{account_id}")
        shown = page.locator("[data-testid=history] time").first
        shown.wait_for()
        local = logged.astimezone(ZoneInfo(zone))
        # en-GB (the context's locale): "01/12/2026, 09:30:00" in Berlin, 03:30 in New York.
        assert f"{local:%d/%m/%Y}, {local:%H:%M}" in shown.inner_text(), zone
        assert shown.get_attribute("datetime") == stored["occurred_at"]
