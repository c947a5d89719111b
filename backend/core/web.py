"""Serve the PWA build (pwa/dist) and the offline Swagger UI assets."""

from __future__ import annotations

import base64
import hashlib
import re
from html import escape
from pathlib import Path

import swagger_ui_bundle
from flask import Blueprint, abort, current_app, request, send_from_directory
from flask_login import current_user

web = Blueprint("web", __name__)

# No inline scripts, no third-party hosts except the configured map tiles.
CSP = (
    "default-src 'self'; script-src 'self'; style-src 'self'; "
    "img-src 'self' data: blob: {tiles}; connect-src 'self' {tiles}; worker-src 'self'; "
    "manifest-src 'self'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'; "
    "object-src 'none'"
)
# Swagger UI: its own assets, plus the page's one inline start-up script pinned by its hash.
# Swagger UI sets style attributes at run time, hence the inline styles.
DOCS_CSP = (
    "default-src 'self'; script-src 'self' {hashes}; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'self'; "
    "form-action 'self'; object-src 'none'"
)
INLINE_SCRIPT = re.compile(r"<script>(.*?)</script>", re.S)
TILE_META = re.compile(r'(<meta name="fieldrep-tile-url" content=")[^"]*(")')


def dist_dir() -> Path:
    """Where the PWA build lives: ``PWA_DIST``, a checkout's pwa/dist, or the wheel's copy."""
    configured = current_app.config.get("PWA_DIST")
    if configured:
        return Path(configured)
    package = Path(__file__).resolve().parent.parent  # backend/
    checkout = package.parent / "pwa" / "dist"
    if (checkout / "index.html").exists():
        return checkout
    return package / "static" / "pwa"  # `make wheel` copies the build here


def _tile_origin() -> str:
    url = current_app.config["TILE_URL"]
    scheme, _, rest = url.partition("://")
    host = rest.split("/", 1)[0].replace("{s}.", "*.")
    return f"{scheme}://{host}" if rest else ""


@web.after_app_request
def _security_headers(response):
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        if not _is_docs():
            response.headers.setdefault("Content-Security-Policy", CSP.format(tiles=_tile_origin()))
        elif not response.direct_passthrough:
            response.headers.setdefault("Content-Security-Policy", _docs_csp(response))
    if (
        request.path.startswith("/api/")
        and not request.path.startswith("/api/docs/assets/")
        and current_user.is_authenticated
    ):
        # A rep's accounts and routes must not linger in shared or browser HTTP caches.
        response.headers["Cache-Control"] = "no-store"
    return response


def _docs_csp(response) -> str:
    page = response.get_data(as_text=True)
    hashes = " ".join(
        "'sha256-" + base64.b64encode(hashlib.sha256(code.encode()).digest()).decode() + "'"
        for code in INLINE_SCRIPT.findall(page)
    )
    return DOCS_CSP.format(hashes=hashes)


def _is_docs() -> bool:
    return request.path.startswith("/api/docs")


@web.route("/api/docs/assets/<path:filename>")
def swagger_assets(filename: str):
    """Swagger UI served from the installed package, so the docs work offline."""
    return send_from_directory(swagger_ui_bundle.swagger_ui_path, filename, max_age=86400)


@web.route("/sw.js")
def service_worker():
    """The service worker at the root scope, never cached by HTTP."""
    response = send_from_directory(dist_dir(), "sw.js", max_age=0)
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@web.route("/assets/<path:filename>")
def hashed_assets(filename: str):
    """Content-hashed build assets: cache for a year."""
    response = send_from_directory(dist_dir() / "assets", filename, max_age=31536000)
    response.headers["Cache-Control"] = "public, max-age=31536000, immutable"
    return response


@web.route("/", defaults={"path": ""})
@web.route("/<path:path>")
def app_shell(path: str):
    """Files at the build root (manifest, icons), else index.html for client-side routes."""
    if path.startswith("api/"):
        abort(404)
    root = dist_dir()
    if not (root / "index.html").exists():
        return (
            "<h1>FieldRep</h1><p>The app is not built yet: run <code>make run</code> "
            "(or <code>npm ci && npm run build</code> in <code>pwa/</code>).</p>",
            503,
        )
    if path and (root / path).is_file():
        response = send_from_directory(root, path, max_age=0)
        response.headers["Cache-Control"] = "no-cache"
        return response
    # The tile server is a deployment setting: put the configured one into the page.
    page = (root / "index.html").read_text(encoding="utf-8")
    tiles = escape(current_app.config["TILE_URL"], quote=True)
    page = TILE_META.sub(lambda m: f"{m[1]}{tiles}{m[2]}", page, count=1)
    return page, 200, {"Content-Type": "text/html; charset=utf-8", "Cache-Control": "no-cache"}
