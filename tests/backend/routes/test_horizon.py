"""The day route as the first day of the horizon: reasons, missed days, the day-only policy."""

from __future__ import annotations

import pytest

from tests.backend.routes.test_views import _assert_feasible

TUE, WED = "2026-11-24", "2026-11-25"
ALL_WEEK = {d: [["08:00", "17:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


@pytest.fixture(autouse=True)
def quick_solver(app):
    app.config.update(ROUTE_TIME_LIMIT_MAX=0.6, ROUTE_SOLVER_WORKERS=1)
    yield
    app.config.update(
        ROUTE_TIME_LIMIT_MAX=2.0, ROUTE_SOLVER_WORKERS=2, ROUTE_PLANNING_POLICY="horizon"
    )


@pytest.fixture
def busy_rep(make_user, make_account, make_territory):
    """A rep with more due visits than one day holds; Shop 0 opens on Thursdays only."""
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    accounts = []
    for i in range(30):
        accounts.append(
            make_account(
                owner=rep,
                territory=territory,
                tier="A" if i % 5 == 0 else "B",
                lat=48.137 + (i % 6 - 3) * 0.012,
                lon=11.575 + (i // 6 - 2) * 0.015,
                opening_hours={"thu": [["08:00", "17:00"]]} if i == 0 else ALL_WEEK,
                name=f"Shop {i}",
            )
        )
    return rep, accounts


def _route(client, day: str) -> dict:
    response = client.post(f"/api/routes/{day}/plan")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_the_day_is_the_first_day_of_the_horizon_and_says_where_the_rest_went(login, busy_rep):
    rep, accounts = busy_rep
    client = login(rep)
    route = _route(client, TUE)
    by_id = {a.id: a for a in accounts}
    _assert_feasible(route, by_id)
    planned = {s["account_id"] for s in route["stops"]}
    dropped = {d["account_id"]: d["reason"] for d in route["dropped"]}
    assert planned | set(dropped) == set(by_id) and not planned & set(dropped)
    # Open on Thursdays only (and overdue since Nov 10, so late on any day: no excuse given).
    assert dropped[accounts[0].id] == "closed that day, planned for Thursday"
    # More is due than a day holds: the rest is planned on named days, not just dropped.
    later = [r for r in dropped.values() if r.startswith("planned for ")]
    assert later and all(r != "lower value than the chosen ones" for r in dropped.values())


def test_a_missed_day_moves_its_visits_forward(login, busy_rep):
    rep, _ = busy_rep
    client = login(rep)
    tuesday = {s["account_id"] for s in _route(client, TUE)["stops"]}
    # Tuesday's route was not driven (no visit logged): Wednesday's plan takes those visits.
    wednesday = _route(client, WED)
    planned = {s["account_id"] for s in wednesday["stops"]}
    dropped = {d["account_id"]: d["reason"] for d in wednesday["dropped"]}
    assert tuesday & planned
    for account_id in tuesday - planned:
        assert dropped[account_id].startswith("planned for "), dropped[account_id]


def test_the_day_policy_plans_the_day_on_its_own(app, login, busy_rep):
    app.config.update(ROUTE_PLANNING_POLICY="day")
    rep, accounts = busy_rep
    client = login(rep)
    route = _route(client, TUE)
    _assert_feasible(route, {a.id: a for a in accounts})
    dropped = {d["account_id"]: d["reason"] for d in route["dropped"]}
    assert dropped[accounts[0].id] == "closed that day"
    assert not any(r.startswith("planned for ") for r in dropped.values())
