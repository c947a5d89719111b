"""Rebalancing: the CP-SAT proposal and the greedy baseline over plain data.

``propose(reps, accounts, ...)`` is the reusable entry point: the proposals service calls it for
a manager's team, the departure workflow and the simulator for any accounts and reps they hold.
"""

from __future__ import annotations

from collections.abc import Sequence

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
    leaving: Sequence[int] = (),
) -> dict:
    """A CP-SAT proposal for ``accounts`` among ``reps``.

    Answers ``{"moves", "before", "after", "travel_before", "travel_after", "per_rep_before",
    "per_rep_after", "status", "seconds", "reached_target"}``; ``before``/``after`` are team
    metrics (parity, max_min_ratio, cv, mean_minutes), travel in minutes per period. Accounts
    whose owner is not among ``reps`` are ignored; unmovable ones weigh but stay.

    ``leaving``: ids of reps (among ``reps``) who leave. Every account of theirs, locked or
    not, gets a new owner among the others (first the least loaded of the ``candidates`` reps
    nearest to it, then wherever the optimiser balances best, at no extra cost); "after" and
    ``max_moves`` count the remaining reps only. A new rep is simply a rep with no accounts.
    """
    from backend.territories.rebalance import cpsat  # OR-Tools loads when a proposal is asked for

    model = model or TravelModel()
    full = costs(reps, accounts, model)
    gone = set(leaving)
    if not gone:
        solution = cpsat.solve(
            full,
            target_parity=target_parity,
            max_moves=max_moves,
            candidates=candidates,
            time_limit_s=time_limit_s,
            workers=workers,
        )
        moves = solution.moves
        after_costs = full
    else:
        staying = [r for r in reps if r.id not in gone]
        if not staying:
            raise ValueError("every rep is leaving: nobody to take the accounts")
        placed = _place(full, gone, candidates)
        moved = [
            Account(**{**a.__dict__, "owner_id": placed[a.id], "movable": True})
            if a.id in placed
            else a
            for a in accounts
        ]
        after_costs = costs(staying, moved, model)
        solution = cpsat.solve(
            after_costs,
            target_parity=target_parity,
            max_moves=max_moves,
            candidates=candidates,
            time_limit_s=time_limit_s,
            workers=workers,
            free=frozenset(placed),
        )
        final = {**placed, **{m["account_id"]: m["to_rep"] for m in solution.moves}}
        origin = {a.id: a.owner_id for a in accounts}
        moves = [
            {"account_id": aid, "from_rep": origin[aid], "to_rep": rep_id}
            for aid, rep_id in sorted(final.items())
            if rep_id != origin[aid]
        ]
    before = summary(full)
    after = summary(after_costs, {m["account_id"]: m["to_rep"] for m in moves})
    return {
        "moves": moves,
        "before": before["metrics"],
        "after": after["metrics"],
        "travel_before": before["travel_minutes"],
        "travel_after": after["travel_minutes"],
        "per_rep_before": before["per_rep"],
        "per_rep_after": {
            **{
                r: {
                    **row,
                    "service": 0.0,
                    "travel": 0.0,
                    "total": 0.0,
                    "accounts": 0,
                    "potential": 0.0,
                }
                for r, row in before["per_rep"].items()
                if r in gone
            },
            **after["per_rep"],
        },
        "status": solution.status,
        "seconds": round(solution.seconds, 3),
        "reached_target": solution.reached_target,
    }


def _place(c, gone: set[int], candidates: int) -> dict[int, int]:
    """First owners for the accounts of leaving reps: biggest first, each to the least loaded
    of the staying reps living nearest to it."""
    stay = [r for r, rep in enumerate(c.reps) if rep.id not in gone]
    load = {r: 0.0 for r in stay}
    orphans = []
    for a, acc in enumerate(c.accounts):
        r = c.rep_index.get(acc.owner_id)
        if r is None:
            continue
        if acc.owner_id in gone:
            orphans.append(a)
        else:
            load[r] += c.minutes(a, r)
    placed = {}
    for a in sorted(orphans, key=lambda a: -float(c.service[a])):
        near = sorted(stay, key=lambda r: c.distance_km[a, r])[:candidates]
        best = min(near, key=lambda r: load[r] + c.minutes(a, r))
        load[best] += c.minutes(a, best)
        placed[c.accounts[a].id] = c.reps[best].id
    return placed


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
