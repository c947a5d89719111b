"""Chromium considers the app installable: manifest, icons and a controlling service worker."""

from __future__ import annotations

import pytest

from tests.e2e import harness, pages

pytestmark = pytest.mark.browser


def test_manifest_and_service_worker_pass_chromium_installability(
    playwright, live_server, tmp_path
):
    # A persistent profile: Chromium never offers installation in an incognito-like context.
    ctx = playwright.chromium.launch_persistent_context(
        str(tmp_path / "profile"),
        executable_path=harness.CHROMIUM,
        args=harness.CHROMIUM_ARGS,
        headless=True,
        base_url=live_server.url,
        viewport={"width": 1024, "height": 768},
    )
    try:
        page = ctx.new_page()
        page.goto("/")
        pages.wait_controlled(page)
        page.reload()
        page.wait_for_selector("#email")

        cdp = ctx.new_cdp_session(page)
        result = cdp.send("Page.getInstallabilityErrors")
        assert result["installabilityErrors"] == []

        manifest = page.evaluate("fetch('/manifest.webmanifest').then(r => r.json())")
    finally:
        ctx.close()
    assert manifest["display"] == "standalone"
    assert manifest["name"] and manifest["short_name"] and manifest["start_url"]
    sizes = {(i["sizes"], i.get("purpose", "any")) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= sizes


def test_service_worker_served_at_root_scope_uncached(live_server, pwa_dist):
    import requests

    r = requests.get(f"{live_server.url}/sw.js", timeout=10)
    assert r.status_code == 200
    assert "no-cache" in r.headers.get("Cache-Control", "")
    html = requests.get(f"{live_server.url}/today", timeout=10)
    assert html.status_code == 200 and '<div id="app">' in html.text
    csp = html.headers.get("Content-Security-Policy", "")
    assert (
        "script-src 'self'" in csp
        and "'unsafe-inline'" not in csp.split("script-src")[1].split(";")[0]
    )
