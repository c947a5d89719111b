"""Liveness with a database round trip; the OpenAPI document and its docs page work offline."""

import re


def test_healthz_round_trips_the_database(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok", "database": "ok"}


def test_openapi_lists_the_public_api(client):
    spec = client.get("/api/openapi.json").get_json()
    for path in (
        "/api/auth/login",
        "/api/me",
        "/api/accounts",
        "/api/accounts/import",
        "/api/cadence/plan",
        "/api/cadence/due",
        "/api/touches",
        "/api/routes/{day}/plan",
        "/api/routes/week/{monday}",
        "/api/reports/compliance",
        "/api/sync/push",
        "/api/sync/pull",
        "/api/push/vapid-public-key",
    ):
        assert path in spec["paths"], path


def test_docs_page_loads_nothing_from_the_internet(client):
    page = client.get("/api/docs").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert assets and all(a.startswith("/") for a in assets)
    for asset in assets:
        assert client.get(asset).status_code == 200, asset


def test_docs_page_has_a_csp_that_allows_only_its_own_scripts(client):
    import base64
    import hashlib

    response = client.get("/api/docs")
    csp = response.headers["Content-Security-Policy"]
    script_src = next(p for p in csp.split(";") if p.strip().startswith("script-src"))
    assert "'self'" in script_src and "unsafe-inline" not in script_src
    assert "frame-ancestors 'none'" in csp
    # The page's start-up script is allowed by its hash, so the docs still render.
    page = response.get_data(as_text=True)
    for code in re.findall(r"<script>(.*?)</script>", page, re.S):
        digest = base64.b64encode(hashlib.sha256(code.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in script_src


def test_authenticated_api_answers_are_not_stored_by_caches(login, make_user):
    client = login(make_user("rep"))
    for path in ("/api/me", "/api/accounts"):
        assert client.get(path).headers["Cache-Control"] == "no-store", path
