"""Helpers for the manager and admin browser tests: axe over a screen, CSV downloads, seeding."""

from __future__ import annotations

import csv
import io

from tests.e2e import harness

WCAG = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


def axe_violations(page, name: str) -> list[dict]:
    """Every axe-core violation on the page (any impact), with a screenshot kept for review."""
    harness.ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(harness.ARTIFACTS / f"{name}.png"), full_page=True)
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.evaluate(harness.AXE_JS.read_text(encoding="utf-8"))
    return page.evaluate(
        "opts => axe.run(document, opts).then(r => r.violations.map(v => ({id: v.id, "
        "impact: v.impact, help: v.help, nodes: v.nodes.map(n => n.target.join(' ')).slice(0, 5)})))",
        {"runOnly": {"type": "tag", "values": WCAG}},
    )


def download_csv(page, selector: str) -> list[dict]:
    """Click a download link and parse the file the browser saved."""
    with page.expect_download() as info:
        page.click(selector)
    path = info.value.path()
    with open(path, encoding="utf-8") as fh:
        return list(csv.DictReader(io.StringIO(fh.read())))


def make_admin(app, tag: str = "e2e") -> str:
    """An admin user (committed); returns the email."""
    from backend.users import service as users

    with app.app_context():
        from backend.core.extensions import db

        admin = users.create_user(
            email=f"admin-{tag}@example.com",
            name="Ada Admin",
            password=harness.PASSWORD,
            role="admin",
            time_zone=harness.TIME_ZONE,
            hash_method=users.configured_hash_method(app.config),
        )
        db.session.commit()
        return admin.email
