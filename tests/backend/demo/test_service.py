"""``fieldrep demo`` creates the organisation the issue describes, visible through the API."""

import json
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from backend import create_app
from backend.core.extensions import db
from backend.demo import service as demo


def test_demo_data_counts_and_shapes(scratch_db_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_db_url})
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "manager@demo.fieldrep.app" in result.output and demo.PASSWORD in result.output
    client = app.test_client()
    login = client.post("/api/auth/login", json={"email": demo.MANAGER, "password": demo.PASSWORD})
    assert login.status_code == 200

    reps = [u for u in client.get("/api/users?page_size=100").get_json() if u["role"] == "rep"]
    assert len(reps) >= 5
    for rep in reps:  # all in one metro area (Munich)
        assert abs(rep["home"]["lat"] - 48.14) < 0.2 and abs(rep["home"]["lon"] - 11.58) < 0.3

    accounts = []
    page = 1
    while True:
        response = client.get(f"/api/accounts?page={page}&page_size=500")
        accounts += response.get_json()
        meta = json.loads(response.headers["X-Pagination"])
        if page >= meta["total_pages"]:
            break
        page += 1
    assert len(accounts) >= 600
    tiers = Counter(a["tier"] for a in accounts)
    share = {t: tiers[t] / len(accounts) for t in "ABC"}
    assert 0.15 < share["A"] < 0.25 and 0.25 < share["B"] < 0.35 and 0.45 < share["C"] < 0.55
    lunch_closed = [a for a in accounts if any(len(w) >= 2 for w in a["opening_hours"].values())]
    assert len(lunch_closed) > len(accounts) * 0.3
    assert all(abs(a["lat"] - 48.14) < 0.5 for a in accounts)

    today = datetime.now(ZoneInfo(demo.TZ)).date().isoformat()
    route = client.get(f"/api/routes/{today}?rep={reps[0]['id']}")
    assert route.status_code == 200 and route.get_json()["stops"]  # the app opens on a real day

    # About 60 days of history, read through the API like any client would.
    def touches(**query) -> int:
        args = "&".join(f"{k}={v}" for k, v in query.items())
        response = client.get(f"/api/touches?page_size=1&{args}")
        assert response.status_code == 200, response.get_json()
        return json.loads(response.headers["X-Pagination"])["total"]

    day = date.fromisoformat(today)
    assert touches() > 3000
    assert touches(until=(day - timedelta(days=50)).isoformat()) > 0
    # 60 days back, moved off a weekend by up to two days: nothing older than 62 days.
    assert touches(until=(day - timedelta(days=63)).isoformat()) == 0
    assert touches(since=(day + timedelta(days=1)).isoformat()) == 0
    with app.app_context():
        db.engine.dispose()

    again = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert again.exit_code == 0 and "reusing" in again.output


def _rest_all(client, path: str) -> list[dict]:
    """Every page of a REST list."""
    items, page = [], 1
    while True:
        sep = "&" if "?" in path else "?"
        response = client.get(f"{path}{sep}page={page}&page_size=500")
        assert response.status_code == 200, response.get_json()
        items += response.get_json()
        if page >= json.loads(response.headers["X-Pagination"])["total_pages"]:
            return items
        page += 1


def test_a_demo_reps_full_pull_carries_what_rest_lists(scratch_db_url):
    from tests.backend.sync.conftest import pull_all

    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_db_url})
    assert app.test_cli_runner().invoke(args=["demo", "--no-serve"]).exit_code == 0
    client = app.test_client()
    email = f"{demo.REP_NAMES[0].split()[0].lower()}@demo.fieldrep.app"
    assert (
        client.post("/api/auth/login", json={"email": email, "password": demo.PASSWORD}).status_code
        == 200
    )

    changes, _ = pull_all(client)
    pulled: dict[str, dict] = {}
    for c in changes:
        if c["op"] == "put":
            pulled.setdefault(c["entity"], {})[c["id"]] = c["data"]

    accounts = _rest_all(client, "/api/accounts")
    touches = _rest_all(client, "/api/touches")
    assert len(touches) > 100  # the demo's history, not only what was logged since
    assert {a["id"]: a for a in accounts} == pulled["account"]
    assert {t["id"]: t for t in touches} == pulled["touch"]
    today = datetime.now(ZoneInfo(demo.TZ)).date().isoformat()
    route = client.get(f"/api/routes/{today}").get_json()
    assert set(pulled["route"]) == {route["id"]}
    diff = {k for k in route if route[k] != pulled["route"][route["id"]].get(k)}
    assert diff == set(), diff
