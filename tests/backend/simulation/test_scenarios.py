"""What-ifs: a rep leaves (with and without the departure workflow), tier A doubles, one more
rep, a rebalancing proposal first."""

from __future__ import annotations

import pytest

from backend.simulation import scenarios, service
from backend.simulation.world import demo_world

MONTH = "2026-12"


@pytest.fixture(scope="module")
def team():
    return demo_world(MONTH, reps=3, accounts_per_rep=30)


def test_a_departure_handled_by_the_workflow_keeps_the_book_visited() -> None:
    # Books of the demo's size: the leaver cannot make the whole month's visits by the 15th.
    busy = demo_world(MONTH, reps=3, accounts_per_rep=100)
    managed = service.simulate(busy, "day", 1, ["leave"], processes=2)
    unmanaged = service.simulate(busy, "day", 1, ["leave-unmanaged"], processes=2)
    assert managed["accounts"] == unmanaged["accounts"] == 300
    # Nobody visits the leaver's accounts after the 15th: they fall overdue and stay there.
    assert unmanaged["overdue_account_days"] > managed["overdue_account_days"]
    assert unmanaged["compliance"]["all"] < managed["compliance"]["all"]


@pytest.mark.parametrize("policy", ["fieldrep", "day"])
def test_the_workflow_s_introductory_visits_are_made_by_their_due_date(team, policy) -> None:
    # Each tier-A account handed over owes the new owner an introductory visit within the
    # transition window (14 days); the planners put it first, so the book's size allows all.
    leaver = team.reps[0]
    tier_a = sum(1 for a in leaver.accounts if a.tier == "A")
    assert tier_a
    managed = service.simulate(team, policy, 1, ["leave"], processes=2)
    assert managed["intro_visits"]["owed"] == tier_a
    assert managed["intro_visits"]["in_time"] == tier_a
    # Without the workflow nobody takes the book over, and nothing is owed to anyone.
    unmanaged = service.simulate(team, policy, 1, ["leave-unmanaged"], processes=2)
    assert unmanaged["intro_visits"] == {"owed": 0, "in_time": 0}


def test_the_departure_hands_every_account_of_the_leaver_to_a_staying_rep(team) -> None:
    _, departure = scenarios.apply(team, ["leave"])
    leaver = team.reps[0]
    assert departure.rep_id == leaver.id and departure.day.day >= 15
    assert set(departure.owners) == {a.id for a in leaver.accounts}
    assert set(departure.owners.values()) <= {r.id for r in team.reps[1:]}


def test_tier_a_cadence_doubling_asks_twice_the_tier_a_touches(team) -> None:
    world, _ = scenarios.apply(team, ["tier-a-x2"])
    counts = {(r.tier, r.touch_type): r.count for r in team.rules}
    for r in world.rules:
        factor = 2 if r.tier == "A" else 1
        assert r.count == counts[(r.tier, r.touch_type)] * factor
    base = service.simulate(team, "fieldrep", 1, processes=2)
    doubled = service.simulate(team, "fieldrep", 1, ["tier-a-x2"], processes=2)
    assert doubled["visits"] > base["visits"]


def test_one_more_rep_gets_a_book_from_the_proposal(team) -> None:
    world, _ = scenarios.apply(team, ["extra-rep"])
    assert len(world.reps) == 4
    assert world.reps[-1].accounts  # the proposal gave the new rep accounts
    ids = [a.id for r in world.reps for a in r.accounts]
    assert sorted(ids) == sorted(a.id for r in team.reps for a in r.accounts)
    run = service.simulate(team, "baseline", 1, ["extra-rep"], processes=2)
    assert run["reps"] == 4 and run["accounts"] == 90


def test_a_rebalancing_proposal_first_moves_accounts_with_their_history(team) -> None:
    world, _ = scenarios.apply(team, ["proposal"])
    owner = {a.id: r.id for r in team.reps for a in r.accounts}
    for rep in world.reps:
        for a in rep.accounts:
            for kind in ("visit", "call", "email"):
                old = next(r for r in team.reps if r.id == owner[a.id])
                assert rep.history.get((a.id, kind)) == old.history.get((a.id, kind))
    assert sum(len(r.accounts) for r in world.reps) == 90


def test_leave_and_leave_unmanaged_exclude_each_other() -> None:
    with pytest.raises(ValueError, match="choose one"):
        scenarios.parse(["leave", "leave-unmanaged"])
