"""Steering across days: book an appointment as a fixed stop, move a stop to another day, and
a week plan that says what it did to today."""

from datetime import date, datetime, timedelta
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


def _next_monday() -> date:
    """Next week's Monday: every day of that week is still open to planning."""
    return date.today() - timedelta(days=date.today().weekday()) + timedelta(days=7)


def _move_first_stop(client, day: str, to: str) -> dict:
    """Plan ``day``, move its first stop to ``to``; the stop as it was on ``day``."""
    planned = client.post(f"/api/routes/{day}/plan").get_json()
    stop = sorted(planned["stops"], key=lambda s: s["seq"])[0]
    answer = client.post(
        f"/api/routes/{day}/stops/{stop['account_id']}/move",
        json={"to": to, "base_version": planned["version"]},
    )
    assert answer.status_code == 200, answer.get_json()
    return stop


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
    # Next week: days that are not over (a move to a past day is refused, below).
    monday = _next_monday()
    day, wed = (monday + timedelta(days=1)).isoformat(), (monday + timedelta(days=2)).isoformat()
    moved = _move_first_stop(client, day, wed)["account_id"]
    assert _stop(client.get(f"/api/routes/{day}").get_json(), moved) is None
    wednesday = client.get(f"/api/routes/{wed}").get_json()
    assert _stop(wednesday, moved)["pinned"] is True
    # A stale base, another week, or the same day are refused; nothing changes.
    stale = client.post(
        f"/api/routes/{wed}/stops/{moved}/move", json={"to": day, "base_version": 0}
    )
    assert stale.status_code == 409
    far = client.post(
        f"/api/routes/{wed}/stops/{moved}/move",
        json={"to": (monday + timedelta(days=10)).isoformat()},  # 8 days after Wednesday
    )
    assert far.status_code == 422
    assert _stop(client.get(f"/api/routes/{wed}").get_json(), moved)["pinned"] is True
    assert client.post(f"/api/routes/{day}/stops/{moved}/move", json={"to": wed}).status_code == 404
    assert client.post(f"/api/routes/{wed}/stops/{moved}/move", json={"to": "x"}).status_code == 422


def test_a_stop_is_never_moved_to_a_day_that_is_over(rep_week):
    client, _, _, _ = rep_week
    route = client.post(f"/api/routes/{DAY}/plan").get_json()  # a Tuesday in the past
    moved = route["stops"][0]["account_id"]
    answer = client.post(f"/api/routes/{DAY}/stops/{moved}/move", json={"to": WED})
    assert answer.status_code == 422 and "to" in answer.get_json()["errors"]["json"]
    assert _stop(client.get(f"/api/routes/{DAY}").get_json(), moved) is not None
    assert client.get(f"/api/routes/{WED}").status_code == 404  # no route was made


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


def test_a_stop_moved_to_thursday_stays_there_pinned_when_the_week_is_replanned(rep_week):
    client, _, _, _ = rep_week
    monday = _next_monday()
    tue, thu = (monday + timedelta(days=1)).isoformat(), (monday + timedelta(days=3)).isoformat()
    stop = _move_first_stop(client, tue, thu)

    week = client.post(f"/api/routes/week/{monday.isoformat()}/plan")
    assert week.status_code == 200, week.get_json()
    days = {d["date"]: d for d in week.get_json()["days"]}
    kept = _stop(days[thu], stop["account_id"])
    assert kept is not None and kept["pinned"] is True
    assert f"Kept on this day (pinned): {stop['name']}" in days[thu]["notes"]
    # Nowhere else that week: the rep moved it to Thursday.
    assert [d for d, route in days.items() if _stop(route, stop["account_id"])] == [thu]
    # What is stored is what was answered, and a second week plan keeps it again.
    assert _stop(client.get(f"/api/routes/{thu}").get_json(), stop["account_id"])["pinned"]
    again = client.post(f"/api/routes/week/{monday.isoformat()}/plan").get_json()
    thursday = next(d for d in again["days"] if d["date"] == thu)
    assert _stop(thursday, stop["account_id"])["pinned"] is True


def test_a_stop_pinned_on_a_day_is_kept_there_by_the_week_plan(rep_week):
    client, _, _, spare = rep_week
    monday = _next_monday()
    wed = (monday + timedelta(days=2)).isoformat()
    route = client.post(f"/api/routes/{wed}/plan").get_json()
    order = [s["account_id"] for s in sorted(route["stops"], key=lambda s: s["seq"])]
    # The rep adds an account nothing is due at and pins it (the Today screen's "add" and pin).
    route = client.put(
        f"/api/routes/{wed}/stops",
        json={"order": [*order, spare.id], "base_version": route["version"], "pinned": [spare.id]},
    )
    assert route.status_code == 200, route.get_json()
    week = client.post(f"/api/routes/week/{monday.isoformat()}/plan").get_json()
    wednesday = next(d for d in week["days"] if d["date"] == wed)
    assert _stop(wednesday, spare.id)["pinned"] is True
    assert "Kept on this day (pinned): Spare" in wednesday["notes"]


def test_planning_the_day_again_keeps_a_stop_moved_to_it(rep_week):
    # The rep moves a Tuesday stop to Wednesday; Wednesday morning the day is planned (by the
    # rep or the team's morning run): the moved stop is still there, and still pinned.
    client, _, _, _ = rep_week
    monday = _next_monday()
    day, wed = (monday + timedelta(days=1)).isoformat(), (monday + timedelta(days=2)).isoformat()
    moved = _move_first_stop(client, day, wed)["account_id"]
    for _ in range(2):
        planned = client.post(f"/api/routes/{wed}/plan")
        assert planned.status_code in (200, 201), planned.get_json()
        stop = _stop(planned.get_json(), moved)
        assert stop is not None and stop["pinned"] is True
