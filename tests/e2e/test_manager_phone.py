"""The manager and admin screens still work on a phone (360 x 740): nothing wider than the
screen except the tables' own scroll regions, the tab bar at the bottom, and axe finds nothing."""

from __future__ import annotations

import pytest

from tests.e2e import desk, harness, pages

pytestmark = pytest.mark.browser

SCREENS = [
    ("/manager", "[data-testid=current-table]"),
    ("/manager/overdue", "[data-testid=overdue-total]"),
    ("/manager/territories", "[data-testid=workload-table]"),
    ("/manager/dashboard", "[data-testid=kpi-table]"),
    ("/manager/simulator", "[data-testid=sim-form]"),
    ("/admin/import", "[data-testid=import-form]"),
    ("/admin/plan", "[data-testid=plan-rules]"),
    ("/admin/people", "[data-testid=users-table]"),
]


def test_manager_and_admin_screens_fit_a_phone(app, db, new_context):
    seed = harness.seed(app, tag="phone", accounts=6)
    admin = desk.make_admin(app, tag="phone")
    page = new_context().new_page()
    pages.login(page, admin, landing="[data-testid=current-table]")
    nav = page.locator("nav.tabbar").bounding_box()
    assert nav["y"] > 600 and nav["width"] == 360  # the bottom bar, not a side column
    problems = {}
    for path, ready in SCREENS:
        page.goto(path)
        page.wait_for_selector(ready)
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide"
        found = desk.axe_violations(page, f"phone{path.replace('/', '-')}")
        if found:
            problems[path] = found
    assert problems == {}
    assert seed.manager_email  # the team exists, so the tables have a row to lay out
