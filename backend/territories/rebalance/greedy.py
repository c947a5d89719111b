"""The greedy transfer baseline: most loaded rep -> least loaded rep, nearest account first.

What a manager does by hand, and the yardstick the CP-SAT proposal must beat on accounts moved
(tests and ``bench/territories.py`` run both on the same team).
"""

from __future__ import annotations

import numpy as np

from backend.territories.rebalance.problem import Costs


def _parity(load: np.ndarray) -> float:
    mean = float(load.mean())
    return float(np.abs(load - mean).max() / mean) if mean > 0 else 0.0


def greedy_moves(
    c: Costs,
    *,
    target_parity: float = 0.05,
    max_moves: int | None = None,
    closest_fit: bool = False,
    allowed=None,
) -> list:
    """Moves ``[{"account_id", "from_rep", "to_rep"}]`` of the greedy baseline.

    Repeatedly takes the most and the least loaded reps and moves the donor's movable account
    nearest to the receiver's home whose move narrows the gap between the two; each account
    moves at most once. Stops at ``target_parity``, at ``max_moves`` or when no move helps.

    ``closest_fit`` (not the baseline: the optimiser's starting point) moves instead the
    account that closes the gap best, among those for which ``allowed(a, r)`` holds.
    """
    m = len(c.reps)
    if m < 2:
        return []
    owner = np.array([c.rep_index.get(a.owner_id, -1) for a in c.accounts])
    load = np.zeros(m)
    for a, r in enumerate(owner):
        if r >= 0:
            load[r] += c.minutes(a, r)
    moved: set[int] = set()
    moves: list[dict] = []
    while _parity(load) > target_parity and (max_moves is None or len(moves) < max_moves):
        donor, receiver = int(load.argmax()), int(load.argmin())
        gap = load[donor] - load[receiver]
        mine = [
            a for a in np.flatnonzero(owner == donor) if c.accounts[a].movable and a not in moved
        ]
        if closest_fit:
            mine = [a for a in mine if allowed is None or allowed(a, receiver)]
            # Close the gap, but not with an account the receiver lives far from: the key
            # adds the driving the move adds (both are minutes).
            mine.sort(
                key=lambda a: (
                    abs(load[donor] - c.minutes(a, donor) - load[receiver] - c.minutes(a, receiver))
                    + max(c.travel[a, receiver] - c.travel[a, donor], 0.0)
                )
            )
        else:
            mine.sort(key=lambda a: c.distance_km[a, receiver])
        for a in mine:
            new_donor = load[donor] - c.minutes(a, donor)
            new_receiver = load[receiver] + c.minutes(a, receiver)
            if abs(new_donor - new_receiver) < gap:
                load[donor], load[receiver] = new_donor, new_receiver
                owner[a] = receiver
                moved.add(a)
                moves.append(
                    {
                        "account_id": c.accounts[a].id,
                        "from_rep": c.reps[donor].id,
                        "to_rep": c.reps[receiver].id,
                    }
                )
                break
        else:
            break
    return moves
