"""Steering across days: book an appointment as a fixed stop, move a stop to another day, and
a week plan that says what it did to today."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.backend.routes.test_views import _secs

DAY = "2026-11-24"  # a Tuesday
WED = "2026-11-25"
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri")


@pytest.fixture(autouse=True)
def quick_solver(app):
    app.config.update(ROUTE_TIME_LIMIT_MAX=0.6, ROUTE_SOLVER_WORKERS=1)
    yield
    app.config.update(ROUTE_TIME_LIMIT_MAX=2.0, ROUTE_SOLVER_WORKERS=2)


@pytest.fixture
def rep_week(login, make_user, make_account, make_territory):
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory, work_start_min=8 * 60, work_end_min=17 * 60)
    hours = {d: [["08:00", "17:00"]] for d in WEEKDAYS}
    accounts = [
        make_account(
            owner=rep,
            territory=territory,
            tier="A" if i < 4 else "B",
            lat=48.137 + 0.01 * (i % 3),
            lon=11.575 + 0.012 * (i // 3),
            opening_hours=hours,
            name=f"Shop {i}",
        )
        for i in range(6)
    ]
    spare = make_account(
        owner=rep, territory=territory, tier="Z", name="Spare", opening_hours=hours
    )
    return login(rep), rep, accounts, spare


def _stop(route, account_id):
    return next((s for s in route["stops"] if s["account_id"] == account_id), None)


def test_booking_an_appointment_makes_it_a_fixed_stop_of_that_days_route(rep_week):
    client, _, _, spare = rep_week
    before = client.post(f"/api/routes/{DAY}/plan").get_json()
    assert _stop(before, spare.id) is None
    answer = client.post(
        "/api/appointments", json={"account_id": spare.id, "date": DAY, "start": "11:00"}
    )
    assert answer.status_code == 201, answer.get_json()
    route = answer.get_json()["route"]
    stop = _stop(route, spare.id)
    assert stop["start"] == "11:00:00" and stop["required"] is True and stop.get("pinned")
    assert _secs(stop["departure"]) - _secs(stop["start"]) == 30 * 60
    assert client.get(f"/api/routes/{DAY}").get_json()["version"] == route["version"]
    # Every other planned stop is still on the route, in a timeline that does not overlap.
    assert {s["account_id"] for s in before["stops"]} <= {s["account_id"] for s in route["stops"]}
    ordered = sorted(route["stops"], key=lambda s: s["seq"])
    for a, b in zip(ordered, ordered[1:], strict=False):
        assert _secs(a["departure"]) <= _secs(b["arrival"])


def test_an_appointment_that_cannot_fit_is_refused_and_nothing_is_booked(rep_week):
    client, _, _, spare = rep_week
    client.post(f"/api/routes/{DAY}/plan")
    answer = client.post(
        "/api/appointments", json={"account_id": spare.id, "date": DAY, "start": "23:00"}
    )
    assert answer.status_code == 422 and "date" in answer.get_json()["errors"]["json"]
    assert client.get(f"/api/appointments?date={DAY}").get_json() == []


def test_moving_a_stop_to_another_day_of_the_week(rep_week):
    client, _, _, _ = rep_week
    tuesday = client.post(f"/api/routes/{DAY}/plan").get_json()
    moved = sorted(tuesday["stops"], key=lambda s: s["seq"])[0]["account_id"]
    answer = client.post(
        f"/api/routes/{DAY}/stops/{moved}/move",
        json={"to": WED, "base_version": tuesday["version"]},
    )
    assert answer.status_code == 200, answer.get_json()
    assert _stop(client.get(f"/api/routes/{DAY}").get_json(), moved) is None
    wednesday = client.get(f"/api/routes/{WED}").get_json()
    assert _stop(wednesday, moved)["pinned"] is True
    # A stale base, another week, or the same day are refused; nothing changes.
    stale = client.post(
        f"/api/routes/{WED}/stops/{moved}/move", json={"to": DAY, "base_version": 0}
    )
    assert stale.status_code == 409
    far = client.post(f"/api/routes/{WED}/stops/{moved}/move", json={"to": "2026-12-02"})
    assert far.status_code == 422
    assert client.post(f"/api/routes/{DAY}/stops/{moved}/move", json={"to": WED}).status_code == 404
    assert client.post(f"/api/routes/{WED}/stops/{moved}/move", json={"to": "x"}).status_code == 422


def test_planning_the_week_reports_what_it_did_to_today(rep_week):
    client, rep, _, _ = rep_week
    today = datetime.now(ZoneInfo(rep.time_zone)).date()
    monday = today - timedelta(days=today.weekday())
    if today.weekday() >= 5:
        week = client.post(f"/api/routes/week/{monday.isoformat()}/plan").get_json()
        assert week["today"] is None  # the week's working days do not include today
        return
    route = client.post(f"/api/routes/{today.isoformat()}/plan").get_json()
    first = sorted(route["stops"], key=lambda s: s["seq"])[0]["account_id"]
    route = client.put(
        f"/api/routes/{today.isoformat()}/stops",
        json={"order": [first], "base_version": route["version"], "pinned": []},
    ).get_json()
    before = {s["account_id"]: s["name"] for s in route["stops"]}
    week = client.post(f"/api/routes/week/{monday.isoformat()}/plan").get_json()
    after = next(d for d in week["days"] if d["date"] == today.isoformat())
    now = {s["account_id"]: s["name"] for s in after["stops"] if s["status"] == "planned"}
    report = week["today"]
    assert report["date"] == today.isoformat()
    assert sorted(report["added"]) == sorted(n for i, n in now.items() if i not in before)
    assert sorted(report["removed"]) == sorted(n for i, n in before.items() if i not in now)
    assert report["changed"] == (set(now) != set(before) or report["reordered"])
