"""The month simulator: repeatable for a seed, spread over seeds, policies compared on one world."""

from __future__ import annotations

import pytest

from backend.simulation import report, service
from backend.simulation.noise import Noise
from backend.simulation.world import demo_world

MONTH = "2026-12"


@pytest.fixture(scope="module")
def small():
    """Two demo reps with 30 accounts each (the demo's vocabulary, a smaller book)."""
    return demo_world(MONTH, reps=2, accounts_per_rep=30)


def test_the_same_seed_gives_the_same_json(small) -> None:
    first = service.simulate(small, "fieldrep", 3, processes=1)
    again = service.simulate(small, "fieldrep", 3, processes=2)
    assert first == again


def test_different_seeds_spread_and_the_comparison_states_the_spread(small) -> None:
    result = service.compare(small, ["fieldrep", "baseline"], [1, 2, 3, 4, 5], processes=2)
    drive = [r["drive_minutes_per_visit"] for r in result["runs"] if r["policy"] == "fieldrep"]
    assert len(set(drive)) > 1  # the noise differs from seed to seed
    stats = result["summary"]["fieldrep"]["drive_minutes_per_visit"]
    assert stats["min"] == min(drive) and stats["max"] == max(drive)
    assert stats["min"] < stats["mean"] < stats["max"]
    diff = result["differences"]["vs"]["baseline"]["drive_minutes_per_visit"]
    assert diff["min"] <= diff["mean"] <= diff["max"]
    text = report.table(result)
    assert "seeds 1, 2, 3, 4, 5" in text and "fieldrep - baseline" in text
    assert f"[{report._num(stats['min'])}, {report._num(stats['max'])}]" in text


def test_a_world_without_surprises_makes_every_planned_visit(small) -> None:
    run = service.simulate(small, "day", 1, noise=Noise.off(), processes=1)
    assert run["sick_days"] == 0 and run["closed_on_arrival"] == 0
    assert run["stops_missed"] == 0 and run["appointments_missed"] == 0
    assert run["visits"] > 0 and run["overtime_minutes"] == 0


def test_every_policy_keeps_appointments_and_never_plans_beyond_the_day(small) -> None:
    for policy in ("fieldrep", "day", "baseline"):
        run = service.simulate(small, policy, 2, noise=Noise(appointment_p=0.6), processes=1)
        assert run["visits_per_rep_day"] > 0
        # Every appointment booked was made unless the rep was off sick or the day ran out.
        assert run["appointments_missed"] <= run["sick_days"] + run["stops_missed"]


def test_bad_policy_or_scenario_is_a_readable_error(small) -> None:
    with pytest.raises(ValueError, match="unknown policy"):
        service.simulate(small, "fastest", 1)
    with pytest.raises(ValueError, match="unknown scenario"):
        service.simulate(small, "day", 1, ["earthquake"])


def test_the_product_solvers_plan_the_days_with_a_time_limit() -> None:
    # --time-limit > 0: routing.horizon.solve_horizon and routing.solver.solve with that limit.
    one = demo_world(MONTH, reps=1, accounts_per_rep=25)
    for policy in ("fieldrep", "day"):
        run = service.simulate(one, policy, 1, processes=1, time_limit=0.1)
        assert run["visits"] > 0 and run["visit_compliance"]["A"] > 0
        assert run["drive_minutes_per_visit"] > 0
