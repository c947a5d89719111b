"""Rebalancing: the CP-SAT proposal and the greedy baseline over plain data.

``propose(reps, accounts, ...)`` is the reusable entry point: the proposals service calls it for
a manager's team, the departure workflow and the simulator for any accounts and reps they hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from backend.territories.rebalance.cpsat import solve
from backend.territories.rebalance.greedy import greedy_moves
from backend.territories.rebalance.problem import (
    Account,
    Rep,
    TravelModel,
    costs,
    summary,
    team_metrics,
)

__all__ = [
    "Account",
    "Rep",
    "TravelModel",
    "costs",
    "greedy",
    "propose",
    "summary",
    "team_metrics",
]


def _result(c, moves: list[dict], **extra) -> dict:
    before = summary(c)
    after = summary(c, {m["account_id"]: m["to_rep"] for m in moves})
    return {
        "moves": moves,
        "before": before["metrics"],
        "after": after["metrics"],
        "travel_before": before["travel_minutes"],
        "travel_after": after["travel_minutes"],
        "per_rep_before": before["per_rep"],
        "per_rep_after": after["per_rep"],
        **extra,
    }


def propose(
    reps: Sequence[Rep],
    accounts: Sequence[Account],
    model: TravelModel | None = None,
    *,
    target_parity: float = 0.05,
    max_moves: int | None = None,
    candidates: int = 4,
    time_limit_s: float = 8.0,
    workers: int = 2,
) -> dict:
    """A CP-SAT proposal for ``accounts`` among ``reps``.

    Answers ``{"moves", "before", "after", "travel_before", "travel_after", "per_rep_before",
    "per_rep_after", "status", "seconds", "reached_target"}``; ``before``/``after`` are team
    metrics (parity, max_min_ratio, cv, mean_minutes), travel in minutes per period. Accounts
    whose owner is not among ``reps`` are ignored; unmovable ones weigh but stay.
    """
    c = costs(reps, accounts, model or TravelModel())
    solution = solve(
        c,
        target_parity=target_parity,
        max_moves=max_moves,
        candidates=candidates,
        time_limit_s=time_limit_s,
        workers=workers,
    )
    return _result(
        c,
        solution.moves,
        status=solution.status,
        seconds=round(solution.seconds, 3),
        reached_target=solution.reached_target,
    )


def greedy(
    reps: Sequence[Rep],
    accounts: Sequence[Account],
    model: TravelModel | None = None,
    *,
    target_parity: float = 0.05,
    max_moves: int | None = None,
) -> dict:
    """The greedy baseline's moves and figures, in the shape of :func:`propose`."""
    c = costs(reps, accounts, model or TravelModel())
    return _result(c, greedy_moves(c, target_parity=target_parity, max_moves=max_moves))
