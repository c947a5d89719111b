"""Phone-size screenshots of the main screens, each checked with axe-core (serious/critical = fail)."""

from __future__ import annotations

import json

import pytest

from tests.e2e import harness, pages

pytestmark = pytest.mark.browser

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def _axe(page) -> list[dict]:
    """Run axe-core (from pwa/node_modules, injected over CDP so the page CSP is untouched)."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(harness.AXE_JS.read_text(encoding="utf-8"))
    result = page.evaluate(
        "opts => axe.run(document, opts).then(r => r.violations.map(v => ({id: v.id, impact: v.impact, "
        "help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
        {"runOnly": {"type": "tag", "values": WCAG}},
    )
    return result


def _shoot(page, name: str) -> list[dict]:
    harness.ARTIFACTS.mkdir(exist_ok=True)
    page.wait_for_timeout(300)  # let the map tiles fail / fonts settle before the picture
    page.screenshot(path=str(harness.ARTIFACTS / f"{name}.png"))
    violations = _axe(page)
    (harness.ARTIFACTS / f"{name}.axe.json").write_text(json.dumps(violations, indent=2))
    return [v for v in violations if v["impact"] in ("serious", "critical")]


def test_rep_screens_at_360x740_have_no_serious_axe_violations(app, realistic_planned, new_context):
    seed, route = realistic_planned
    account_id = sorted(route["stops"], key=lambda s: s["seq"])[0]["account_id"]
    page = new_context().new_page()
    page.goto("/")
    page.wait_for_selector("#email")
    problems = {"login": _shoot(page, "login")}
    pages.login(page, seed.rep_email)
    pages.wait_synced(page)
    page.wait_for_selector(".leaflet-container")

    problems["today"] = _shoot(page, "today")
    page.goto(f"/accounts/{account_id}")
    page.wait_for_selector("a:has-text('Log visit')")
    problems["account"] = _shoot(page, "account")
    page.click("a:has-text('Log visit')")
    page.wait_for_selector("[data-testid=log-form]")
    problems["log-visit"] = _shoot(page, "log-visit")
    assert {k: v for k, v in problems.items() if v} == {}


def test_manager_compliance_at_360x740_has_no_serious_axe_violations(
    app, realistic_planned, new_context
):
    seed, _ = realistic_planned
    page = new_context().new_page()
    pages.login(page, seed.manager_email, landing="[data-testid=compliance-table]")
    page.wait_for_selector(".trend__svg, .trend-empty")
    assert "%" in page.inner_text("[data-testid=compliance-table]")
    assert page.inner_text(".legend").count("%") == 3
    problems = _shoot(page, "manager-compliance")
    assert problems == []
