"""The must-show: a hand-computed data set gives exactly the hand-computed figures, in JSON and CSV.

Every expected number below is worked out in the comments from the ``hand`` fixture (2026:
365 days, 261 working days, Monday to Friday).
"""

import csv
import io

import pytest

WORKING_DAYS_2026 = 261


def _by(rows, key, value):
    return next(r for r in rows if r[key] == value)


def test_performance_by_territory_matches_the_hand_computation(login, hand):
    client = login(hand["m"])
    response = client.get("/api/reports/performance?period=2026&group_by=territory")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["working_days"] == WORKING_DAYS_2026
    north = _by(report["rows"], "territory_id", hand["t1"].id)
    assert north["name"] == "North"
    # 4 leads, 2 became customers: 50 %. 3 won, 1 lost: 75 %. 18,000 / 3 = 6,000 a deal.
    # Cycles 60, 30, 30 days: 40. Velocity 6 deals x 6,000 x 0.75 / 40 = 675 a day.
    # Open pipeline 8,000 + 4,000 against a 24,000 quota: 0.5; attainment 18,000 / 24,000.
    expected = {
        "leads": 4,
        "new_customers": 2,
        "conversion_rate": 50.0,
        "opportunities": 6,
        "won": 3,
        "lost": 1,
        "win_rate": 75.0,
        "average_deal_size": 6000.0,
        "sales_cycle_days": 40.0,
        "sales_velocity": 675.0,
        "open_pipeline": 12000.0,
        "quota": 24000.0,
        "pipeline_to_quota": 0.5,
        "attainment": 75.0,
        "activity_to_meeting": 1.0,  # 27 visits / (18 calls + 9 emails)
    }
    assert {k: north[k] for k in expected} == expected
    assert north["touches"] == {"visit": 27, "call": 18, "email": 9}
    assert north["touches_per_working_day"] == {
        "visit": round(27 / 261, 2),
        "call": round(18 / 261, 2),
        "email": round(9 / 261, 2),
    }
    south = _by(report["rows"], "territory_id", hand["t2"].id)
    # 1 won of 4 closed; 1,000 in 10 days; 4 x 1,000 x 0.25 / 10 = 100. No leads, no quota.
    assert (south["win_rate"], south["average_deal_size"], south["sales_velocity"]) == (
        25.0,
        1000.0,
        100.0,
    )
    assert south["conversion_rate"] is None and south["pipeline_to_quota"] is None
    team = report["team"]
    # 4 won, 4 lost; 19,000 / 4 = 4,750; (60+30+30+10) / 4 = 32.5 days;
    # 10 x 4,750 x 0.5 / 32.5 = 730.769...; 19,000 / 24,000 = 79.166...%.
    assert team["win_rate"] == 50.0
    assert team["average_deal_size"] == 4750.0
    assert team["sales_cycle_days"] == 32.5
    assert team["sales_velocity"] == 730.77
    assert team["attainment"] == 79.17
    # South's 25 % is 25 points below the team's 50 %: flagged; North (75 %) is not.
    assert [(f["territory_id"], f["kind"], f["gap"]) for f in report["flags"]] == [
        (hand["t2"].id, "win_rate_below_team", 25.0)
    ]


def test_the_csv_carries_the_same_figures(login, hand):
    client = login(hand["m"])
    response = client.get("/api/reports/performance?period=2026&group_by=territory&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    north = _by(rows, "territory_id", str(hand["t1"].id))
    assert north["conversion_rate"] == "50.0"
    assert north["win_rate"] == "75.0"
    assert north["average_deal_size"] == "6000.0"
    assert north["sales_velocity"] == "675.0"
    assert north["pipeline_to_quota"] == "0.5"
    assert north["visit_per_working_day"] == str(round(27 / 261, 2))
    south = _by(rows, "territory_id", str(hand["t2"].id))
    assert south["flags"] == "win_rate_below_team"
    assert south["conversion_rate"] == ""
    assert _by(rows, "territory_id", "team")["sales_velocity"] == "730.77"


def test_performance_by_rep_uses_the_rep_quota_and_ratings(login, hand):
    client = login(hand["m"])
    rating = {
        "rep_id": hand["r1"].id,
        "period": "2026",
        "passion": 5,
        "awareness": 4,
        "curiosity": 3,
        "energy": 4,
        "note": "Strong closer",
    }
    assert client.post("/api/pace", json=rating).status_code == 200
    report = client.get("/api/reports/performance?period=2026&group_by=rep").get_json()
    r1 = _by(report["rows"], "rep_id", hand["r1"].id)
    # Same deals as North; the rep's own quota is 20,000: 12,000 / 20,000, 18,000 / 20,000.
    assert (r1["win_rate"], r1["pipeline_to_quota"], r1["attainment"]) == (75.0, 0.6, 90.0)
    assert r1["pace"] == {
        "passion": 5,
        "awareness": 4,
        "curiosity": 3,
        "energy": 4,
        "note": "Strong closer",
    }


def test_profitability_ranks_the_largest_revenue_below_smaller_accounts(login, hand):
    client = login(hand["m"])
    response = client.get("/api/reports/profitability?period=2026")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    rows = {r["account_id"]: r for r in report["rows"]}
    a1, a2, a3 = (rows[hand[k].id] for k in ("a1", "a2", "a3"))
    # A1: 9,000 - (2,400 min at 60/h = 2,400) - (1,000 km at 0.30 = 300) - 5,850 = 450, 5 %.
    assert (a1["revenue"], a1["visit_cost"], a1["travel_cost"], a1["other_costs"]) == (
        9000.0,
        2400.0,
        300.0,
        5850.0,
    )
    assert (a1["net_profit"], a1["margin"]) == (450.0, 5.0)
    # A2: 6,000 - 300 - 30 - 870 = 4,800, 80 %. A3: 3,000 - 60 - 15 - 225 = 2,700, 90 %
    # (the 90 km to A3's skipped stop cost nothing).
    assert (a2["net_profit"], a2["margin"]) == (4800.0, 80.0)
    assert (a3["travel_km"], a3["net_profit"], a3["margin"]) == (50.0, 2700.0, 90.0)
    assert a1["revenue"] > a2["revenue"] > a3["revenue"]
    assert a2["rank"] < a3["rank"] < a1["rank"]
    assert [r["account_id"] for r in report["rows"][:4]] == [
        hand["a2"].id,
        hand["a3"].id,
        hand["b1"].id,
        hand["a1"].id,
    ]
    assert a2["suggested_kare"] == "expand"  # profitable, potential 20,000 > 6,000 bought
    costly = rows[hand["a4"].id]
    assert (costly["net_profit"], costly["suggested_kare"], costly["suggested_tier"]) == (
        -500.0,
        "recapture",
        "B",
    )
    assert rows[hand["leads"][0].id]["suggested_kare"] == "attain"
    looks = {entry["account_id"]: entry for entry in report["lookalikes"]}
    assert looks[hand["a2"].id]["prospects"][0]["account_id"] == hand["leads"][1].id
    assert looks[hand["a3"].id]["prospects"][0]["account_id"] == hand["leads"][0].id


def test_profitability_csv_matches(login, hand):
    client = login(hand["m"])
    response = client.get("/api/reports/profitability?period=2026&format=csv")
    assert response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    a1 = _by(rows, "account_id", str(hand["a1"].id))
    assert (a1["rank"], a1["net_profit"], a1["margin"]) == ("4", "450.0", "5.0")
    assert _by(rows, "account_id", str(hand["a2"].id))["margin"] == "80.0"


@pytest.mark.parametrize("who", ["r1", "r2"])
def test_reports_for_a_rep_cover_only_their_own(login, hand, who):
    report = login(hand[who]).get("/api/reports/performance?period=2026&group_by=rep").get_json()
    assert [r["rep_id"] for r in report["rows"]] == [hand[who].id]
    profit = login(hand[who]).get("/api/reports/profitability?period=2026").get_json()
    owned = {hand[k].id for k in ("a1", "a2", "a3", "a4")} | {a.id for a in hand["leads"]}
    expected = owned if who == "r1" else {hand["b1"].id}
    assert {r["account_id"] for r in profit["rows"]} == expected


def test_another_manager_sees_none_of_it(login, hand):
    report = login(hand["m2"]).get("/api/reports/performance?period=2026").get_json()
    assert report["rows"] == [] and report["flags"] == []
    assert login(hand["m2"]).get("/api/reports/profitability?period=2026").get_json()["rows"] == []


@pytest.mark.parametrize("query", ["period=2026-13", "period=soon", "group_by=tier", "format=xml"])
def test_bad_report_arguments_are_422(login, hand, query):
    response = login(hand["m"]).get(f"/api/reports/performance?{query}")
    assert response.status_code == 422
    assert response.get_json()["errors"]
