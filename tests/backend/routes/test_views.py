"""Day and week routes through the API: feasible, complete, scoped, and clear about bad input."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.core.hours import to_minutes

DAY = "2026-11-24"  # a Tuesday
TUE = "tue"


def _secs(hhmmss: str) -> int:
    h, m, s = (int(x) for x in hhmmss.split(":"))
    return h * 3600 + m * 60 + s


@pytest.fixture(autouse=True)
def quick_solver(app):
    app.config.update(ROUTE_TIME_LIMIT_MAX=0.6, ROUTE_SOLVER_WORKERS=1)
    yield
    app.config.update(ROUTE_TIME_LIMIT_MAX=2.0, ROUTE_SOLVER_WORKERS=2)


@pytest.fixture
def rep_with_accounts(make_user, make_account, make_territory):
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    accounts = []
    for i in range(18):
        hours = (
            {TUE: [["08:00", "12:00"], ["14:00", "17:00"]]}  # lunch closure
            if i % 3
            else {TUE: [["09:30", "11:00"]]}
        )
        if i == 5:
            hours = {"mon": [["08:00", "17:00"]]}  # closed on Tuesdays
        accounts.append(
            make_account(
                owner=rep,
                territory=territory,
                tier="A" if i % 4 == 0 else "B",
                lat=48.137 + (i % 6 - 3) * 0.01,
                lon=11.575 + (i // 6 - 1) * 0.015,
                opening_hours=hours,
                name=f"Shop {i}",
            )
        )
    return manager, rep, accounts


def _assert_feasible(route: dict, accounts: dict, weekday: str = TUE) -> None:
    """Independent check of what a rep would notice: open on arrival, closed after, break kept."""
    stops = route["stops"]
    assert len({s["account_id"] for s in stops}) == len(stops)
    last_departure = 0
    for stop in stops:
        start, end = _secs(stop["start"]), _secs(stop["departure"])
        assert start >= _secs(stop["arrival"]) >= last_departure
        windows = accounts[stop["account_id"]].opening_hours.get(weekday, [])
        assert any(to_minutes(a) * 60 <= start and end <= to_minutes(b) * 60 for a, b in windows), (
            stop,
            windows,
        )
        last_departure = end
    if route["break"]:
        b0, b1 = _secs(route["break"]["start"]), _secs(route["break"]["end"])
        assert b1 - b0 == 30 * 60 and b0 >= 11 * 3600 + 1800 and b1 <= 13 * 3600 + 1800
        assert all(_secs(s["departure"]) <= b0 or _secs(s["start"]) >= b1 for s in stops)


def test_plan_day_is_feasible_and_explains_drops(login, rep_with_accounts):
    _, rep, accounts = rep_with_accounts
    client = login(rep)
    response = client.post(f"/api/routes/{DAY}/plan")
    assert response.status_code == 200, response.get_json()
    route = response.get_json()
    by_id = {a.id: a for a in accounts}
    assert route["version"] == 1 and route["stops"] and route["break"]
    _assert_feasible(route, by_id)
    planned = {s["account_id"] for s in route["stops"]}
    dropped = {d["account_id"]: d["reason"] for d in route["dropped"]}
    # Closed on Tuesdays: the horizon says so and when it is planned instead.
    assert dropped[accounts[5].id].startswith("closed that day")
    assert planned | set(dropped) == set(by_id)  # every due account is accounted for
    assert client.get(f"/api/routes/{DAY}").get_json()["version"] == 1
    again = client.post(f"/api/routes/{DAY}/plan").get_json()
    assert again["version"] == 2


def test_appointments_are_kept_and_an_impossible_one_is_reported(login, rep_with_accounts):
    _, rep, accounts = rep_with_accounts
    client = login(rep)
    target = accounts[1]
    booked = client.post(
        "/api/appointments",
        json={"account_id": target.id, "date": DAY, "start": "15:00", "minutes": 45},
    )
    assert booked.status_code == 201
    # Booked before the day is planned: stored as asked; the plan then says why it cannot be kept.
    # (Booked on a day already planned, it must fit that route or it is refused: test_steering_days.)
    impossible = client.post(
        "/api/appointments",
        json={"account_id": accounts[2].id, "date": DAY, "start": "03:00", "minutes": 30},
    )
    assert impossible.status_code == 201
    response = client.post(f"/api/routes/{DAY}/plan")
    # The day is planned anyway: the kept appointment stays, the impossible one says why.
    assert response.status_code == 200, response.get_json()
    route = response.get_json()
    stop = next(s for s in route["stops"] if s["account_id"] == target.id)
    assert stop["start"] == "15:00:00" and len(route["stops"]) > 1
    reason = {d["account_id"]: d["reason"] for d in route["dropped"]}[accounts[2].id]
    assert "earliest possible arrival" in reason and "03:00-03:00" in reason


def test_stop_updates_and_reoptimize_keep_done_visits(login, rep_with_accounts):
    _, rep, accounts = rep_with_accounts
    client = login(rep)
    route = client.post(f"/api/routes/{DAY}/plan").get_json()
    first, second = route["stops"][0], route["stops"][1]
    tz = ZoneInfo(rep.time_zone)
    at = datetime.fromisoformat(f"{DAY}T{first['departure']}").replace(tzinfo=tz)
    done = client.patch(
        f"/api/routes/{DAY}/stops/{first['account_id']}",
        json={"status": "done", "at": at.isoformat()},
    )
    assert done.status_code == 200 and done.get_json()["status"] == "in_progress"
    no_reason = client.patch(
        f"/api/routes/{DAY}/stops/{second['account_id']}", json={"status": "skipped"}
    )
    assert no_reason.status_code == 422 and "skip_reason" in no_reason.get_json()["errors"]["json"]
    skipped = client.patch(
        f"/api/routes/{DAY}/stops/{second['account_id']}",
        json={"status": "skipped", "skip_reason": "Closed for inventory"},
    )
    assert skipped.status_code == 200
    here = {"lat": first["lat"], "lon": first["lon"], "at": at.isoformat()}
    replanned = client.post(f"/api/routes/{DAY}/reoptimize", json=here)
    assert replanned.status_code == 200, replanned.get_json()
    new = replanned.get_json()
    assert (
        new["stops"][0]["account_id"] == first["account_id"] and new["stops"][0]["status"] == "done"
    )
    rest = [s for s in new["stops"] if s["status"] == "planned"]
    assert all(_secs(s["arrival"]) >= _secs(first["departure"]) for s in rest)
    assert second["account_id"] not in {s["account_id"] for s in rest}
    _assert_feasible({"stops": rest, "break": new["break"]}, {a.id: a for a in accounts})


def test_week_spreads_visits_with_spacing(login, rep_with_accounts):
    _, rep, _ = rep_with_accounts
    client = login(rep)
    monday = date.today() - timedelta(days=date.today().weekday()) + timedelta(days=7)
    assert client.get(f"/api/routes/week/{monday.isoformat()}").get_json()["days"] == []
    response = client.post(f"/api/routes/week/{monday.isoformat()}/plan")
    assert response.status_code == 200, response.get_json()
    week = response.get_json()
    stored = client.get(f"/api/routes/week/{monday.isoformat()}").get_json()
    assert [d["version"] for d in stored["days"]] == [d["version"] for d in week["days"]]
    assert [d["date"] for d in week["days"]] == [
        (monday + timedelta(days=i)).isoformat() for i in range(5)
    ]
    seen: dict[int, list[date]] = {}
    for day in week["days"]:
        for stop in day["stops"]:
            seen.setdefault(stop["account_id"], []).append(date.fromisoformat(day["date"]))
    assert seen
    for days in seen.values():
        assert len(days) <= 2 and all(
            (b - a).days >= 2 for a, b in zip(days, days[1:], strict=False)
        )
    assert client.post("/api/routes/week/2026-11-24/plan").status_code == 422  # not a Monday


def test_scope_and_bad_input(login, make_user, rep_with_accounts):
    manager, rep, _ = rep_with_accounts
    outsider = make_user("rep")
    assert login(manager).post(f"/api/routes/{DAY}/plan?rep={rep.email}").status_code == 200
    assert login(manager).get(f"/api/routes/{DAY}?rep={outsider.id}").status_code == 404
    assert login(outsider).get(f"/api/routes/{DAY}?rep={rep.id}").status_code == 404
    client = login(rep)
    assert client.post("/api/routes/2026-13-45/plan").status_code == 422
    assert client.get("/api/routes/2026-11-30").status_code == 404  # not planned yet
    homeless = make_user("rep", home_lat=None, home_lon=None)
    response = login(homeless).post(f"/api/routes/{DAY}/plan")
    assert response.status_code == 422 and "rep" in response.get_json()["errors"]["json"]
    bad = client.post(f"/api/routes/{DAY}/reoptimize", json={"lat": 95, "lon": 11})
    assert bad.status_code == 422


def test_cli_plans_every_rep(runner, rep_with_accounts, make_user, make_account):
    _, rep, _ = rep_with_accounts
    email = rep.email
    other = make_user("rep", home_lat=48.2, home_lon=11.6)
    make_account(owner=other, tier="A", lat=48.21, lon=11.61, opening_hours={})
    result = runner.invoke(args=["plan", "--date", DAY, "--all", "--time-limit", "0.3"])
    assert result.exit_code == 0, result.output
    assert "Planned 2 of 2 reps" in result.output
    one = runner.invoke(args=["plan", "--date", DAY, "--rep", email, "--time-limit", "0.3"])
    assert one.exit_code == 0 and "stops" in one.output
    assert runner.invoke(args=["plan", "--date", DAY]).exit_code != 0


def _answering(status: int):
    """An OSRM stand-in on the loopback that answers every table request with `status`."""
    from tests.support.http_stub import StubServer

    return StubServer(lambda path, query: (status, {"code": "InternalError"}))


@pytest.mark.parametrize("status", [500, 503])
def test_plan_falls_back_to_straight_line_times_when_osrm_fails(
    app, login, rep_with_accounts, status
):
    _, rep, accounts = rep_with_accounts
    with _answering(status) as osrm:
        app.config["OSRM_URL"] = osrm.url
        try:
            response = login(rep).post(f"/api/routes/{DAY}/plan")
        finally:
            app.config["OSRM_URL"] = None
    assert osrm.requests  # OSRM was asked first
    assert response.status_code == 200, response.get_json()
    route = response.get_json()
    assert route["stops"] and "road times unavailable: straight-line estimate" in route["notes"]
    _assert_feasible(route, {a.id: a for a in accounts})


def test_plan_with_working_travel_has_no_fallback_note(login, rep_with_accounts):
    _, rep, _ = rep_with_accounts
    route = login(rep).post(f"/api/routes/{DAY}/plan").get_json()
    assert route["notes"] == []


def test_replan_and_week_plan_fall_back_too_when_osrm_is_down(app, login, rep_with_accounts):
    _, rep, _ = rep_with_accounts
    client = login(rep)
    route = client.post(f"/api/routes/{DAY}/plan").get_json()
    first = route["stops"][0]
    at = datetime.fromisoformat(f"{DAY}T{first['departure']}").replace(
        tzinfo=ZoneInfo(rep.time_zone)
    )
    monday = date.today() - timedelta(days=date.today().weekday()) + timedelta(days=7)
    with _answering(503) as osrm:
        app.config["OSRM_URL"] = osrm.url
        try:
            replanned = client.post(
                f"/api/routes/{DAY}/reoptimize",
                json={"lat": first["lat"], "lon": first["lon"], "at": at.isoformat()},
            )
            week = client.post(f"/api/routes/week/{monday.isoformat()}/plan")
        finally:
            app.config["OSRM_URL"] = None
    assert osrm.requests
    assert replanned.status_code == 200, replanned.get_json()
    assert "road times unavailable: straight-line estimate" in replanned.get_json()["notes"]
    assert week.status_code == 200, week.get_json()
    days = [d for d in week.get_json()["days"] if d["stops"]]
    assert days and all(
        "road times unavailable: straight-line estimate" in d["notes"] for d in days
    )
