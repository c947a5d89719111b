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
