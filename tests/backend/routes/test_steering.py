"""The rep steers the day through the API: exact stop lists, pins, and a re-plan preview."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select

from tests.backend.routes.test_views import DAY, _assert_feasible, _secs


@pytest.fixture(autouse=True)
def quick_solver(app):
    app.config.update(ROUTE_TIME_LIMIT_MAX=0.6, ROUTE_SOLVER_WORKERS=1)
    yield
    app.config.update(ROUTE_TIME_LIMIT_MAX=2.0, ROUTE_SOLVER_WORKERS=2)


@pytest.fixture
def day(login, make_user, make_account, make_territory):
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory, work_start_min=8 * 60, work_end_min=17 * 60)
    hours = {"tue": [["08:00", "12:00"], ["13:00", "17:00"]]}
    accounts = [
        make_account(
            owner=rep,
            territory=territory,
            tier="A" if i < 4 else "C",
            lat=48.137 + 0.01 * (i % 3),
            lon=11.575 + 0.012 * (i // 3),
            opening_hours=hours,
            name=f"Shop {i}",
        )
        for i in range(7)
    ]
    # Not due under any rule (tier Z has none), so never planned: the rep adds it by hand.
    accounts.append(
        make_account(owner=rep, territory=territory, tier="Z", name="Extra", opening_hours=hours)
    )
    # Open one early hour only: fits first thing, never after a few other visits.
    accounts.append(
        make_account(
            owner=rep,
            territory=territory,
            tier="Z",
            name="Early bird",
            opening_hours={"tue": [["08:00", "09:00"]]},
        )
    )
    client = login(rep)
    route = client.post(f"/api/routes/{DAY}/plan").get_json()
    assert len(route["stops"]) >= 3
    return client, rep, accounts, route


def _order(route):
    return [s["account_id"] for s in sorted(route["stops"], key=lambda s: s["seq"])]


def test_put_stops_adds_removes_reorders_and_times_the_day(day):
    client, rep, accounts, route = day
    by_id = {a.id: a for a in accounts}
    order = _order(route)
    extra = next(a.id for a in accounts if a.name == "Extra")
    wanted = [order[-1], extra, *order[:-2]]  # reorder, add one, remove one
    response = client.put(
        f"/api/routes/{DAY}/stops", json={"order": wanted, "base_version": route["version"]}
    )
    assert response.status_code == 200, response.get_json()
    new = response.get_json()
    assert _order(new) == wanted
    assert new["version"] == route["version"] + 1
    _assert_feasible(new, by_id)
    # The legs follow the new order: the first leg goes from the start to the first stop.
    assert new["legs"][0]["to"] == str(wanted[0])
    assert order[-2] not in _order(new)
    assert extra not in {d["account_id"] for d in new["dropped"]}


def test_put_stops_refuses_stale_foreign_and_impossible_lists(day, make_user, make_account):
    client, rep, accounts, route = day
    order = _order(route)
    stale = client.put(
        f"/api/routes/{DAY}/stops", json={"order": order, "base_version": route["version"] - 1}
    )
    assert stale.status_code == 409
    other = make_account(owner=make_user("rep"), name="Not yours")
    foreign = client.put(f"/api/routes/{DAY}/stops", json={"order": [*order, other.id]})
    assert foreign.status_code == 404
    twice = client.put(f"/api/routes/{DAY}/stops", json={"order": [order[0], order[0]]})
    assert twice.status_code == 422 and "order" in twice.get_json()["errors"]["json"]
    bad = client.put(f"/api/routes/{DAY}/stops", json={"order": "1,2"})
    assert bad.status_code == 422 and "order" in bad.get_json()["errors"]["json"]
    # The early-hours shop after the whole route would be visited after it closed: refused.
    early = next(a.id for a in accounts if a.name == "Early bird")
    late = client.put(f"/api/routes/{DAY}/stops", json={"order": [*order, early]})
    assert late.status_code == 422
    assert "opening hours" in late.get_json()["errors"]["json"]["order"][0]
    first = client.put(f"/api/routes/{DAY}/stops", json={"order": [early, *order]})
    assert first.status_code == 200, first.get_json()
    route = first.get_json()
    assert client.get(f"/api/routes/{DAY}").get_json()["version"] == route["version"]
    assert client.put("/api/routes/2026-11-25/stops", json={"order": []}).status_code == 404


def test_pinned_stops_survive_a_reoptimize(day):
    client, rep, accounts, route = day
    order = _order(route)
    extra = next(a.id for a in accounts if a.name == "Extra")
    pinned = client.put(
        f"/api/routes/{DAY}/stops", json={"order": [*order, extra], "pinned": [extra]}
    ).get_json()
    assert next(s for s in pinned["stops"] if s["account_id"] == extra)["pinned"] is True
    at = datetime.fromisoformat(f"{DAY}T08:00:00").replace(tzinfo=ZoneInfo(rep.time_zone))
    here = {"lat": rep.home_lat, "lon": rep.home_lon, "at": at.isoformat()}
    replanned = client.post(f"/api/routes/{DAY}/reoptimize", json=here).get_json()
    kept = next(s for s in replanned["stops"] if s["account_id"] == extra)
    assert kept["pinned"] is True and kept["required"] is True


def test_the_replan_preview_stores_nothing(app, day):
    from backend.core.extensions import db
    from backend.sync.models import SyncChange

    client, rep, accounts, route = day
    mine = list(reversed(_order(route)))
    client.put(f"/api/routes/{DAY}/stops", json={"order": mine})
    stored = client.get(f"/api/routes/{DAY}").get_json()
    with app.app_context():
        changes_before = db.session.scalar(select(func.count()).select_from(SyncChange))
    at = datetime.fromisoformat(f"{DAY}T08:00:00").replace(tzinfo=ZoneInfo(rep.time_zone))
    here = {"lat": rep.home_lat, "lon": rep.home_lon, "at": at.isoformat()}
    response = client.post(f"/api/routes/{DAY}/reoptimize/preview", json=here)
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert _order(body["current"]) == mine
    assert body["proposed"]["travel_seconds"] <= body["current"]["travel_seconds"]
    assert all(_secs(s["arrival"]) >= 8 * 3600 for s in body["proposed"]["stops"])
    after = client.get(f"/api/routes/{DAY}").get_json()
    assert after == stored  # same version, same order: nothing was written
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(SyncChange)) == changes_before
    bad = client.post(f"/api/routes/{DAY}/reoptimize/preview", json={"lat": 95, "lon": 11})
    assert bad.status_code == 422
