"""Page helpers: what a user does in the app, in one place so the tests read like the steps."""

from __future__ import annotations

import contextlib
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from playwright.sync_api import TimeoutError as PlaywrightTimeout

from tests.e2e.harness import PASSWORD, TIME_ZONE, local_today

BADGE = "[data-testid=sync-badge]"


def login(
    page, email: str, password: str = PASSWORD, landing: str = "[data-testid=stop-list]"
) -> None:
    """Sign in from the start page and wait for the landing screen."""
    page.goto("/")
    page.fill("#email", email)
    page.fill("#password", password)
    page.click("button[type=submit]")
    page.wait_for_selector(landing)


def morning(page) -> None:
    """The browser's clock at 08:00 of the rep's today when the real clock is later.

    A re-plan "from here" plans the rest of the day from the phone's time: late in the evening
    little of the day is left and stops rightly drop, so a test that re-plans would pass or
    fail by the hour it runs. Never later than the real time: nothing the phone sends is from
    the future. Call before the first ``goto``.
    """
    zone = ZoneInfo(TIME_ZONE)
    at = datetime.combine(date.fromisoformat(local_today()), time(8), tzinfo=zone)
    if datetime.now(UTC) > at:
        page.clock.set_fixed_time(at)


def wait_controlled(page) -> None:
    """Wait until the service worker controls the page and has finished precaching."""
    # Function literals, not expression strings: the page's CSP forbids eval, which Playwright
    # would use for a bare expression.
    page.evaluate("async () => { await navigator.serviceWorker.ready; }")
    page.wait_for_function("() => !!navigator.serviceWorker.controller")


def wait_synced(page, timeout: float = 15_000) -> None:
    """Wait for an empty outbox and a completed sync (badge says so)."""
    page.wait_for_selector(f"{BADGE}[data-pending='0']", timeout=timeout)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=sync-badge]').textContent.includes('synced')",
        timeout=timeout,
    )


def pending(page, expected: int | None = None, timeout: float = 5_000) -> int:
    """The badge's pending count.

    The badge follows the outbox asynchronously (a live query), so a step's effect can land a
    moment after the screen changed. Given the count the step should reach, wait for the badge to
    show it first; if it never does, the count it shows is returned for the assertion to report.
    """
    if expected is not None:
        # On a timeout the caller's assertion reports the count shown.
        with contextlib.suppress(PlaywrightTimeout):
            page.wait_for_selector(f"{BADGE}[data-pending='{expected}']", timeout=timeout)
    return int(page.get_attribute(BADGE, "data-pending"))


def log_touch(page, account_id: int, kind: str, outcome: str, notes: str) -> None:
    """Open the account, tap "Log <kind>", pick the outcome, type notes, save."""
    page.goto(f"/accounts/{account_id}")
    page.click(f"a:has-text('Log {kind}')")
    page.wait_for_selector("[data-testid=log-form]")
    page.click(f"label.choice__opt:has-text('{outcome}')")
    page.fill("#touch-notes", notes)
    page.click(f"button:has-text('Save {kind}')")
    page.wait_for_selector(f"[data-testid=history] >> text={notes}")
