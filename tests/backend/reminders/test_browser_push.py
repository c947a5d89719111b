"""The PWA's service worker turns a reminder push into a notification, in headless Chromium.

The reminder is made by ``run_reminders`` and decrypted by the local push service; its text is
then delivered to the real service worker (pwa/dist/sw.js, served by the real app) through the
DevTools protocol, which stands in for the browser vendor's push service.
"""

import json
import time
from datetime import UTC, datetime

import pytest

from tests.e2e import harness

pytestmark = pytest.mark.browser

BERLIN_0730 = datetime(2026, 11, 6, 6, 30, tzinfo=UTC)
NOTIFICATIONS_JS = """
async () => {
  const reg = await navigator.serviceWorker.ready;
  const shown = await reg.getNotifications();
  return shown.map((n) => ({ title: n.title, body: n.body, tag: n.tag, url: n.data && n.data.url }));
}
"""


@pytest.fixture
def served_pwa(push_app, monkeypatch):
    """The real app serving the PWA build on 127.0.0.1 in a thread."""
    dist = harness.ensure_pwa_built()
    if "showNotification" not in (dist / "sw.js").read_text():
        pytest.fail("pwa/dist/sw.js has no push handler (showNotification); rebuild the PWA")
    monkeypatch.setitem(push_app.config, "PWA_DIST", str(dist))
    with harness.LiveServer(push_app) as server:
        yield server.url


def test_a_digest_push_shows_a_notification(
    browser, served_pwa, push_service, make_user, make_account, add_device, run_at
):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="A")
    phone = add_device(rep)
    run_at(BERLIN_0730)
    [received] = push_service.delivered(phone)  # decrypted, VAPID-checked

    context = browser.new_context()
    context.grant_permissions(["notifications"], origin=served_pwa)
    page = context.new_page()
    cdp = context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: registrations.extend(event["registrations"]),
    )
    page.goto(served_pwa + "/")
    scope = page.evaluate("navigator.serviceWorker.ready.then((r) => r.scope)")
    cdp.send("ServiceWorker.enable")  # replays the current registrations as events
    deadline = time.monotonic() + 10
    while not any(r["scopeURL"] == scope for r in registrations) and time.monotonic() < deadline:
        page.wait_for_timeout(50)
    [registration_id] = {r["registrationId"] for r in registrations if r["scopeURL"] == scope}

    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": served_pwa, "registrationId": registration_id, "data": received.text},
    )

    shown: list[dict] = []
    deadline = time.monotonic() + 10
    while not shown and time.monotonic() < deadline:
        page.wait_for_timeout(100)
        shown = page.evaluate(NOTIFICATIONS_JS)
    context.close()
    reminder = json.loads(received.text)
    assert shown == [
        {
            "title": "Your day: 3 touches to make",
            "body": reminder["body"],
            "tag": "digest",
            "url": "/due",
        }
    ]
    assert reminder["body"] == "1 email overdue, 1 visit and 1 call due today"
