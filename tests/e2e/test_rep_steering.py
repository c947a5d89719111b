"""Issue 14, the rep steers the day: reorder that survives reload and sync, re-plan preview/undo."""

from __future__ import annotations

import time

import pytest

from tests.e2e import pages
from tests.e2e.test_screens_a11y import _axe

pytestmark = pytest.mark.browser

LIST = "[data-testid=stop-list]"


def _server_order(app, route_id):
    from backend.core.extensions import db
    from backend.routes.models import RoutePlan

    with app.app_context():
        route = db.session.get(RoutePlan, route_id)
        out = [s["account_id"] for s in sorted(route.stops, key=lambda s: s["seq"])], route.version
        db.session.remove()
        return out


def _screen_order(page) -> list[int]:
    return [
        int(x)
        for x in page.eval_on_selector_all(
            f"{LIST} li[data-account]", "els => els.map(e => e.dataset.account)"
        )
    ]


def _wait_order(page, order: list[int]) -> None:
    page.wait_for_function(
        "want => JSON.stringify([...document.querySelectorAll('[data-testid=stop-list] li[data-account]')]"
        ".map(e => Number(e.dataset.account))) === JSON.stringify(want)",
        arg=order,
    )


def _wait_server(app, route_id, order, timeout=15):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and _server_order(app, route_id)[0] != order:
        time.sleep(0.25)
    return _server_order(app, route_id)[0]


def test_reorder_two_stops_and_the_order_survives_a_reload_and_a_sync(app, planned, new_context):
    seed, route = planned
    before = [s["account_id"] for s in sorted(route["stops"], key=lambda s: s["seq"])]
    assert len(before) >= 3
    ctx = new_context()
    page = ctx.new_page()
    pages.login(page, seed.rep_email)
    pages.wait_controlled(page)
    pages.wait_synced(page)
    assert _screen_order(page) == before

    ctx.set_offline(True)
    # Buttons (keyboard, screen readers): the first stop goes down.
    page.click(
        f"{LIST} li[data-account='{before[0]}'] button[aria-label^='Move'][aria-label$='down']"
    )
    swapped = [before[1], before[0], *before[2:]]
    _wait_order(page, swapped)
    # Drag (finger or mouse): the third stop's handle onto the second stop.
    handle = page.locator(f"{LIST} li[data-account='{swapped[2]}'] [data-testid=drag-handle]")
    target = page.locator(f"{LIST} li[data-account='{swapped[1]}']")
    target.evaluate("e => window.scrollBy(0, e.getBoundingClientRect().top - 60)")
    start, end = handle.bounding_box(), target.bounding_box()
    assert start["y"] + start["height"] < 740 - 64, "both stops must be on screen for the drag"
    page.mouse.move(start["x"] + start["width"] / 2, start["y"] + start["height"] / 2)
    page.mouse.down()
    for step in range(1, 6):
        y = start["y"] + (end["y"] + 10 - start["y"]) * step / 5
        page.mouse.move(end["x"] + end["width"] / 2, y)
    page.mouse.up()
    dragged = [swapped[0], swapped[2], swapped[1], *swapped[3:]]
    _wait_order(page, dragged)
    assert pages.pending(page, 2) == 2
    assert "2 route changes not sent yet" in page.inner_text(pages.BADGE)

    page.reload()  # offline: only the device knows the new order
    page.wait_for_selector(LIST)
    _wait_order(page, dragged)
    assert _server_order(app, route["id"])[0] == before

    ctx.set_offline(False)
    pages.wait_synced(page)
    assert _wait_server(app, route["id"], dragged) == dragged
    page.reload()  # after the sync the server's copy comes back with the same order
    pages.wait_synced(page)
    _wait_order(page, dragged)
    assert [v for v in _axe(page) if v["impact"] in ("serious", "critical")] == []


def test_the_replan_preview_changes_nothing_until_accepted_and_undo_restores(
    app, planned, new_context
):
    seed, route = planned
    optimal = [s["account_id"] for s in sorted(route["stops"], key=lambda s: s["seq"])]
    ctx = new_context()
    page = ctx.new_page()
    pages.morning(page)  # the re-plan below must have the whole day left, whatever the hour
    pages.login(page, seed.rep_email)
    pages.wait_controlled(page)
    pages.wait_synced(page)

    # The rep's own order: the planner's, reversed (a worse one, so the re-plan differs).
    mine = list(reversed(optimal))
    current = list(optimal)
    for target in range(len(mine)):
        while (idx := current.index(mine[target])) > target:
            page.click(
                f"{LIST} li[data-account='{mine[target]}'] button[aria-label^='Move'][aria-label$='up']"
            )
            current[idx - 1], current[idx] = current[idx], current[idx - 1]
            _wait_order(page, current)
    assert current == mine
    pages.wait_synced(page)
    assert _wait_server(app, route["id"], mine) == mine
    version = _server_order(app, route["id"])[1]

    page.click("button:has-text('Re-plan from here')")
    preview = page.wait_for_selector("[data-testid=replan-preview]")
    text = preview.inner_text()
    assert "Moves:" in text and "Driving" in text and "Value" in text
    assert [v for v in _axe(page) if v["impact"] in ("serious", "critical")] == []
    # Nothing changed: not on the screen, not on the server.
    assert _screen_order(page) == mine
    assert _server_order(app, route["id"]) == (mine, version)

    page.click("button:has-text('Accept re-plan')")
    page.wait_for_selector("[data-testid=today-message]:has-text('Route re-planned')")
    accepted = _screen_order(page)
    assert accepted != mine
    assert sorted(accepted) == sorted(mine)
    assert _server_order(app, route["id"])[0] == accepted

    page.click("button:has-text('Undo re-plan')")
    page.wait_for_selector("[data-testid=today-message]:has-text('undone')")
    _wait_order(page, mine)
    assert _server_order(app, route["id"])[0] == mine
