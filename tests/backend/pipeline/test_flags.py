"""Realignment flags fire when a figure is MORE than 10 points worse, never at exactly 10."""

import pytest

from backend.pipeline import metrics


def _row(key, win_rate=None, compliance=None):
    return {"territory_id": key, "name": f"T{key}", "win_rate": win_rate, "compliance": compliance}


@pytest.mark.parametrize(
    ("value", "flagged"), [(40.0, False), (39.99, True), (45.0, False), (10.0, True)]
)
def test_win_rate_below_the_team(value, flagged):
    found = metrics.flags([_row(1, value)], {"win_rate": 50.0}, {}, "territory_id")
    assert bool(found) is flagged
    if flagged:
        assert found[0]["kind"] == "win_rate_below_team" and found[0]["reference"] == 50.0


@pytest.mark.parametrize(("before", "now", "flagged"), [(70.0, 60.0, False), (70.0, 59.9, True)])
def test_win_rate_fell_quarter_over_quarter(before, now, flagged):
    found = metrics.flags([_row(1)], {}, {1: (before, now)}, "territory_id")
    assert [f["kind"] for f in found] == (["win_rate_fell"] if flagged else [])


@pytest.mark.parametrize(("value", "flagged"), [(80.0, False), (79.5, True)])
def test_compliance_below_the_team(value, flagged):
    found = metrics.flags([_row(1, compliance=value)], {"compliance": 90.0}, {}, "territory_id")
    assert [f["kind"] for f in found] == (["compliance_below_team"] if flagged else [])


def _closed(make_opportunity, account, won, lost, day="2026-05-10"):
    for _ in range(won):
        make_opportunity(account, "won", 100.0, "2026-05-01", day)
    for _ in range(lost):
        make_opportunity(account, "lost", 100.0, "2026-05-01", day)


@pytest.mark.parametrize(("south_lost", "flagged"), [(6, False), (7, True)])
def test_the_api_flags_just_above_ten_points(
    login, make_user, make_territory, make_account, make_opportunity, south_lost, flagged
):
    # North 6/10 = 60 %. South 4 won: with 6 lost, 40 % against a team 10/20 = 50 % (exactly
    # 10 points: no flag); with 7 lost, 36.4 % against 10/21 = 47.6 % (11.3 points: flag).
    boss = make_user("manager")
    north, south = make_territory(boss), make_territory(boss)
    a = make_account(owner=make_user("rep", territory=north), territory=north)
    b = make_account(owner=make_user("rep", territory=south), territory=south)
    _closed(make_opportunity, a, 6, 4)
    _closed(make_opportunity, b, 4, south_lost)
    report = login(boss).get("/api/reports/performance?period=2026-Q2").get_json()
    kinds = [(f["territory_id"], f["kind"]) for f in report["flags"]]
    assert kinds == ([(south.id, "win_rate_below_team")] if flagged else [])


@pytest.mark.parametrize(("q2_lost", "flagged"), [(4, False), (5, True)])
def test_the_api_flags_a_fall_of_more_than_ten_points(
    login, make_user, make_territory, make_account, make_opportunity, q2_lost, flagged
):
    # Q1: 7 of 10 won = 70 %. Q2: 6 won, 4 lost = 60 %, exactly 10 points lower (no flag);
    # 6 won, 5 lost = 54.5 %, 15.5 points lower (flag).
    boss = make_user("manager")
    north = make_territory(boss)
    a = make_account(owner=make_user("rep", territory=north), territory=north)
    _closed(make_opportunity, a, 7, 3, day="2026-02-10")
    _closed(make_opportunity, a, 6, q2_lost, day="2026-05-10")
    report = login(boss).get("/api/reports/performance?period=2026-Q2").get_json()
    assert [f["kind"] for f in report["flags"]] == (["win_rate_fell"] if flagged else [])
