"""Two writers on one route (a phone's sync push and a REST client): nothing is overwritten.

A stale write of a different stop is merged; a stale write of the same stop is a conflict (409
over REST, ``conflict`` with the server's route over sync); a stop that goes straight to done
records when the rep got there.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from backend.core.errors import Conflict
from backend.core.extensions import db as _db
from backend.routes.models import RoutePlan
from backend.routes.service import planning, route_stops
from routing.models import Location
from tests.backend.sync.conftest import mutation, push


@pytest.fixture
def day_route(make_user, make_account, make_territory):
    territory = make_territory(make_user("manager"))
    rep = make_user("rep", territory=territory)
    accounts = [make_account(owner=rep, territory=territory) for _ in range(3)]
    today = datetime.now(UTC).date()
    route = RoutePlan(
        rep_id=rep.id,
        date=today,
        stops=[
            # The planner's stop shape (backend/routes/service/planning.py).
            {
                "seq": i + 1,
                "account_id": a.id,
                "name": a.name,
                "status": "planned",
                "skip_reason": None,
                "arrived_at": None,
                "done_at": None,
            }
            for i, a in enumerate(accounts)
        ],
    )
    _db.session.add(route)
    _db.session.commit()
    return rep, route.id, [a.id for a in accounts], today.isoformat()


def _stop_update(route_id, account_id, status, **extra):
    args = {"route_id": route_id, "account_id": account_id, "status": status}
    return {"at": datetime.now(UTC).isoformat(), **args, **extra}


def _stops(client, day):
    route = client.get(f"/api/routes/{day}").get_json()
    return {s["account_id"]: s for s in route["stops"]}, route["version"]


def test_a_stale_phone_write_of_another_stop_merges_with_a_rest_write(db, login, day_route):
    rep, route_id, (first, second, _), day = day_route
    web, phone = login(rep), login(rep)
    _, seen = _stops(phone, day)  # the phone's copy: version 1, all planned
    patched = web.patch(
        f"/api/routes/{day}/stops/{first}",
        json={"status": "arrived", "base_version": seen, "base_status": "planned"},
    )
    assert patched.status_code == 200, patched.get_json()
    out = push(
        phone,
        [
            mutation(
                1,
                "stop.update",
                _stop_update(route_id, second, "done", base_version=seen, base_status="planned"),
            )
        ],
    )
    assert out["results"][0]["status"] == "applied", out
    stops, version = _stops(web, day)
    assert stops[first]["status"] == "arrived" and stops[second]["status"] == "done"
    assert version == seen + 2
    # Straight to done: the arrival is recorded too, not left empty.
    assert stops[second]["arrived_at"] and stops[second]["done_at"]


def test_the_same_stop_changed_on_both_sides_is_a_conflict_on_both_paths(db, login, day_route):
    rep, route_id, (first, second, _), day = day_route
    web, phone = login(rep), login(rep)
    _, seen = _stops(phone, day)
    assert web.patch(f"/api/routes/{day}/stops/{first}", json={"status": "done"}).status_code == 200
    out = push(
        phone,
        [
            mutation(
                1,
                "stop.update",
                _stop_update(
                    route_id,
                    first,
                    "skipped",
                    skip_reason="Closed",
                    base_version=seen,
                    base_status="planned",
                ),
            )
        ],
    )
    result = out["results"][0]
    assert result["status"] == "conflict" and result["fields"] == ["status"]
    server_stop = next(s for s in result["server"]["stops"] if s["account_id"] == first)
    assert server_stop["status"] == "done"  # the server's row, for the conflict screen
    stale = web.patch(
        f"/api/routes/{day}/stops/{first}",
        json={"status": "skipped", "skip_reason": "Closed", "base_version": seen},
    )
    body = stale.get_json()
    assert stale.status_code == 409 and body["code"] == 409 and body["stop"]["status"] == "done"
    stops, _ = _stops(web, day)
    assert stops[first]["status"] == "done" and not stops[first]["skip_reason"]


def test_one_phones_offline_check_in_and_check_out_are_not_a_conflict(db, login, day_route):
    """Both updates carry the version the phone last pulled; the second builds on the first."""
    rep, route_id, (first, *_), day = day_route
    phone = login(rep)
    _, seen = _stops(phone, day)
    out = push(
        phone,
        [
            mutation(
                1,
                "stop.update",
                _stop_update(route_id, first, "arrived", base_version=seen, base_status="planned"),
            ),
            mutation(
                2,
                "stop.update",
                _stop_update(route_id, first, "done", base_version=seen, base_status="arrived"),
            ),
        ],
    )
    assert [r["status"] for r in out["results"]] == ["applied", "applied"]
    stops, _ = _stops(phone, day)
    assert stops[first]["status"] == "done"


def test_a_writer_whose_copy_went_stale_mid_request_does_not_overwrite(db, login, day_route):
    """Writer A has read the route; writer B commits a stop; A's write keeps B's stop."""
    rep, route_id, (first, second, _), day = day_route
    _db.session.expire_all()
    route = _db.session.get(RoutePlan, route_id)  # writer A's copy, version 1
    assert route.stops[0]["status"] == "planned"
    web = login(rep)  # writer B, in its own session and transaction
    assert (
        web.patch(f"/api/routes/{day}/stops/{first}", json={"status": "arrived"}).status_code == 200
    )
    route_stops.update_stop(rep, route, second, "skipped", datetime.now(UTC), "Closed")
    _db.session.commit()
    stops, version = _stops(web, day)
    assert stops[first]["status"] == "arrived", "writer B's check-in was overwritten"
    assert stops[second]["status"] == "skipped" and version == 3


def test_a_stop_that_goes_straight_to_done_records_its_arrival(db, login, day_route):
    rep, _, (first, *_), day = day_route
    web = login(rep)
    at = "2026-11-24T10:30:00+00:00"
    done = web.patch(f"/api/routes/{day}/stops/{first}", json={"status": "done", "at": at})
    assert done.status_code == 200
    stop = next(s for s in done.get_json()["stops"] if s["account_id"] == first)
    assert stop["arrived_at"] is not None and stop["done_at"] is not None
    assert stop["arrived_at"] == stop["done_at"]


def test_a_reorder_whose_copy_went_stale_mid_request_is_a_conflict_not_an_overwrite(
    db, login, day_route
):
    rep, route_id, ids, day = day_route
    _db.session.expire_all()
    route = _db.session.get(RoutePlan, route_id)  # writer A's copy, version 1
    web = login(rep)
    assert (
        web.patch(f"/api/routes/{day}/stops/{ids[0]}", json={"status": "arrived"}).status_code
        == 200
    )
    with pytest.raises(Conflict):
        route_stops.reorder(rep, route, ids[::-1], base_version=1)
    _db.session.rollback()
    stops, version = _stops(web, day)
    assert stops[ids[0]]["status"] == "arrived" and version == 2
    assert [s["account_id"] for s in web.get(f"/api/routes/{day}").get_json()["stops"]] == ids


def test_a_replan_that_started_before_a_stop_update_never_overwrites_it(db, login, day_route):
    rep, route_id, (first, *_), day = day_route
    noon = datetime.combine(date.fromisoformat(day), time(12), ZoneInfo(rep.time_zone))
    route = _db.session.get(RoutePlan, route_id)  # the planner reads the route...
    assert route.version == 1
    patched = login(rep).patch(  # ...a phone's check-out commits meanwhile...
        f"/api/routes/{day}/stops/{first}",
        json={"status": "done", "base_version": 1, "base_status": "planned"},
    )
    assert patched.status_code == 200, patched.get_json()
    with pytest.raises(Conflict):  # ...so the plan built on version 1 is refused
        planning.reoptimize(rep, route, Location(48.14, 11.58), noon)
    _db.session.rollback()
    stops, version = _stops(login(rep), day)
    assert stops[first]["status"] == "done" and version == 2
    # Planning again from what is stored now keeps the visit made.
    route = _db.session.get(RoutePlan, route_id)
    replanned = planning.reoptimize(rep, route, Location(48.14, 11.58), noon)
    _db.session.commit()
    assert [s["status"] for s in replanned.stops if s["account_id"] == first] == ["done"]
    assert replanned.version == 3
