"""A new service worker waits until the rep accepts the update prompt, then takes over."""

from __future__ import annotations

import shutil

import pytest

from tests.e2e import pages

pytestmark = pytest.mark.browser


def test_new_version_is_offered_and_applied_on_tap(app, seeded, new_context, pwa_dist, tmp_path):
    served = tmp_path / "dist"
    shutil.copytree(pwa_dist, served)
    old = app.config["PWA_DIST"]
    app.config["PWA_DIST"] = str(served)
    try:
        page = new_context().new_page()
        page.goto("/")
        pages.wait_controlled(page)
        first = page.evaluate("navigator.serviceWorker.controller.scriptURL")

        # A new release: any byte change in sw.js makes the browser install it as "waiting".
        sw = served / "sw.js"
        sw.write_text(sw.read_text() + "\n// release 2\n")
        page.evaluate(
            "async () => { const r = await navigator.serviceWorker.ready; await r.update(); }"
        )
        page.wait_for_selector("text=A new version of FieldRep is ready.")
        # Still the old worker until the rep says so: nothing swaps under their thumb.
        assert page.evaluate("navigator.serviceWorker.controller.scriptURL") == first
        waiting_before = page.evaluate(
            "navigator.serviceWorker.getRegistration().then(r => !!r.waiting)"
        )
        assert waiting_before

        with page.expect_navigation():
            page.click("button:has-text('Reload to update')")
        pages.wait_controlled(page)
        page.wait_for_selector("#email")
        assert page.evaluate("navigator.serviceWorker.getRegistration().then(r => !r.waiting)")
        assert page.query_selector("text=A new version of FieldRep is ready.") is None
    finally:
        app.config["PWA_DIST"] = old
