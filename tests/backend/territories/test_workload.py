"""The workload report: cadence minutes, estimated driving, capacity, parity; JSON and CSV."""

import csv
import io

import pytest

from tests.backend.territories.balance_support import build_team

PERIOD = "2026-12"  # 23 weekdays (Tue 1st to Thu 31st)


def _workload(client, **query):
    params = "&".join(f"{k}={v}" for k, v in {"period": PERIOD, **query}.items())
    return client.get(f"/api/territories/workload?{params}")


def test_service_minutes_follow_the_plan_and_capacity_the_working_days(
    make_user, make_territory, make_account, login
):
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    make_account(owner=rep, territory=territory, tier="A")
    make_account(owner=rep, territory=territory, tier="B")
    make_account(owner=rep, territory=territory, tier="C")
    body = _workload(login(manager), territory_id=territory.id).get_json()
    (row,) = body["reps"]
    # A: 2 visits x 45 + 2 calls x 10 + 4 emails x 5; B: 30 + 2 x 10 + 2 x 5; C: a quarterly
    # 20-minute visit pro-rated to December (31 of Q4's 92 days) + 1 call + 1 email.
    assert row["service_minutes"] == pytest.approx(130 + 60 + 20 * 31 / 92 + 15, abs=0.1)
    assert row["capacity_minutes"] == 23 * 570
    assert row["travel_minutes"] > 0
    total = row["service_minutes"] + row["travel_minutes"]
    assert row["load_pct"] == pytest.approx(100 * total / row["capacity_minutes"], abs=0.1)
    assert row["accounts"] == 3
    assert [d["minutes"] for d in row["drivers"]] == sorted(
        (d["minutes"] for d in row["drivers"]), reverse=True
    )
    assert row["drivers"][0]["name"] == "Account 1"  # the tier-A account costs most


def test_accounts_far_from_home_cost_more_driving(make_user, make_territory, make_account, login):
    manager = make_user("manager")
    territory = make_territory(manager)
    near = make_user("rep", territory=territory, home_lat=48.14, home_lon=11.58)
    far = make_user("rep", territory=territory, home_lat=48.40, home_lon=11.90)
    for rep in (near, far):
        for i in range(5):
            make_account(owner=rep, territory=territory, lat=48.14 + i * 0.002, lon=11.58)
    rows = {r["rep_id"]: r for r in _workload(login(manager)).get_json()["reps"]}
    assert rows[near.id]["service_minutes"] == rows[far.id]["service_minutes"]
    assert rows[far.id]["travel_minutes"] > 3 * rows[near.id]["travel_minutes"]


def test_team_parity_and_csv_export(make_user, make_territory, make_account, login):
    manager, territory, reps, _ = build_team(
        make_user, make_territory, make_account, counts=(20, 10, 10, 10)
    )
    client = login(manager)
    body = _workload(client, territory_id=territory.id).get_json()
    totals = [r["service_minutes"] + r["travel_minutes"] for r in body["reps"]]
    mean = sum(totals) / len(totals)
    assert body["team"]["parity"] == pytest.approx(max(abs(t - mean) for t in totals) / mean, 1e-3)
    assert body["team"]["max_min_ratio"] == pytest.approx(max(totals) / min(totals), 1e-3)
    response = _workload(client, territory_id=territory.id, format="csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert rows[0][:3] == ["rep_id", "name", "capacity_minutes"]
    assert {int(r[0]) for r in rows[1:5]} == {r.id for r in reps}
    assert ["parity", str(body["team"]["parity"])] in rows


def test_scope_and_bad_input(make_user, make_territory, make_account, login):
    manager, territory, reps, owned = build_team(
        make_user, make_territory, make_account, counts=(3, 3, 3, 3)
    )
    other = make_user("manager")
    assert _workload(login(other), territory_id=territory.id).status_code == 404
    # Another manager's team is not theirs: without a territory they see no rep of it.
    assert _workload(login(other)).get_json()["reps"] == []
    assert _workload(login(reps[0])).status_code == 403
    bad = _workload(login(manager), period="2026-13")
    assert bad.status_code == 422 and "period" in bad.get_json()["errors"]["query"]
    assert _workload(login(manager), format="xml").status_code == 422


def test_accounts_outside_the_scope_weigh_but_are_not_named(
    make_user, make_territory, make_account, login
):
    manager = make_user("manager")
    mine = make_territory(manager)
    theirs = make_territory(make_user("manager"))
    rep = make_user("rep", territory=mine)
    theirs.members.append(rep)
    make_account(owner=rep, territory=mine, tier="C", name="Mine")
    make_account(owner=rep, territory=theirs, tier="A", name="Secret")
    (row,) = _workload(login(manager), territory_id=mine.id).get_json()["reps"]
    assert row["accounts"] == 2
    assert [d["name"] for d in row["drivers"]] == ["Mine"]
