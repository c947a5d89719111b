"""PWA budget benchmark: prints figures, never pass/fail.

1. Gzipped JS + CSS the first screen needs (index.html's script, modulepreloads and stylesheets),
   and the lazy chunks apart (Leaflet, manager screens).
2. Bytes actually fetched to render Today with its map, from a real headless Chromium.
3. Offline reload to today's route rendered (service worker + IndexedDB only), median over N runs.

Run: .venv/bin/python bench/pwa_budget.py [--runs 15]    (builds pwa/dist first if missing)
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import logging
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tests.e2e import harness  # noqa: E402


def gz(data: bytes) -> int:
    """Size after gzip -9, what a server with compression sends."""
    return len(gzip.compress(data, compresslevel=9))


def static_budget(dist: Path) -> tuple[int, list[tuple[str, int, int]], list[tuple[str, int, int]]]:
    """First-screen assets named by index.html vs every other JS/CSS chunk."""
    html = (dist / "index.html").read_text()
    first = re.findall(r'(?:src|href)="/(assets/[^"]+\.(?:js|css))"', html)
    rows, lazy = [], []
    for path in sorted((dist / "assets").iterdir()):
        if path.suffix not in (".js", ".css"):
            continue
        data = path.read_bytes()
        row = (f"assets/{path.name}", len(data), gz(data))
        (rows if row[0] in first else lazy).append(row)
    return sum(r[2] for r in rows), rows, lazy


def browser_figures(runs: int) -> dict:
    """Today with the map fetched over the network, then N offline reloads."""
    from playwright.sync_api import sync_playwright

    from backend import create_app
    from backend.core.extensions import db

    out: dict = {}
    with tempfile.TemporaryDirectory(prefix="fieldrep-bench-") as tmp:
        app = create_app(
            {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp}/bench.sqlite", "SECRET_KEY": "bench"}
        )
        app.config["PWA_DIST"] = str(harness.DIST)
        with app.app_context():
            db.create_all()
        seed = harness.seed(app, tag="bench")
        with harness.LiveServer(app) as server, sync_playwright() as pw:
            try:
                harness.plan_today(server.url, seed)
            except Exception as exc:  # the backend may not plan routes yet
                out["error"] = f"could not plan today's route: {exc}"
                return out
            browser = pw.chromium.launch(
                executable_path=harness.CHROMIUM, args=harness.CHROMIUM_ARGS
            )
            ctx = browser.new_context(viewport={"width": 360, "height": 740}, base_url=server.url)
            page = ctx.new_page()
            fetched: dict[str, int] = {}

            def on_response(resp):
                url = resp.url
                if "/assets/" in url and (url.endswith(".js") or url.endswith(".css")):
                    # A body evicted by a later navigation cannot be read; count what we can.
                    with contextlib.suppress(Exception):
                        fetched[url] = gz(resp.body())

            page.on("response", on_response)
            page.goto("/")
            page.fill("#email", seed.rep_email)
            page.fill("#password", harness.PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_selector("[data-testid=stop-list]")
            page.wait_for_selector(".leaflet-container")
            page.evaluate("async () => { await navigator.serviceWorker.ready; }")
            page.wait_for_function("() => !!navigator.serviceWorker.controller")
            page.wait_for_selector("[data-testid=sync-badge][data-pending='0']")
            out["today_with_map_gzip"] = sum(fetched.values())
            out["today_with_map_files"] = len(fetched)
            page.remove_listener("response", on_response)

            ctx.set_offline(True)
            times = []
            for _ in range(runs):
                t0 = time.perf_counter()
                page.reload(wait_until="commit")
                page.wait_for_selector("[data-testid=stop-list] li")
                times.append((time.perf_counter() - t0) * 1000)
            out["offline_reload_ms"] = times
            ctx.close()
            browser.close()
    return out


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--runs", type=int, default=15, help="offline reloads to time (default 15)")
    args = parser.parse_args()
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no request log in the figures
    dist = harness.ensure_pwa_built()

    total, first, lazy = static_budget(dist)
    print("First screen (index.html: entry script, modulepreloads, stylesheet), gzip -9:")
    for name, raw, z in first:
        print(f"  {name:48s} {raw / 1024:8.1f} KiB raw {z / 1024:7.1f} KiB gz")
    print(
        f"  {'TOTAL JS+CSS first screen':48s} {'':17s} {total / 1024:7.1f} KiB gz   (budget 150 KB)"
    )
    print("Lazy chunks (map screens, manager screens):")
    for name, raw, z in lazy:
        print(f"  {name:48s} {raw / 1024:8.1f} KiB raw {z / 1024:7.1f} KiB gz")

    figures = browser_figures(args.runs)
    if "error" in figures:
        print(f"Browser figures skipped: {figures['error']}")
        return
    print(
        f"Today incl. lazy Leaflet, fetched in Chromium: {figures['today_with_map_gzip'] / 1024:.1f} KiB gz "
        f"in {figures['today_with_map_files']} files"
    )
    t = sorted(figures["offline_reload_ms"])
    print(
        f"Offline reload -> today's route rendered, {len(t)} runs (headless Chromium, 360x740): "
        f"median {statistics.median(t):.0f} ms, min {t[0]:.0f} ms, max {t[-1]:.0f} ms"
    )


if __name__ == "__main__":
    main()
