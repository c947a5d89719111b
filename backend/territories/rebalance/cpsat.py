"""The CP-SAT proposal: minimise the largest workload deviation, then the accounts moved.

Model (integer tenths of minutes throughout): ``x[a, r]`` puts movable account ``a`` with rep
``r``, one of its owner and the ``candidates`` reps living nearest to it (a far rep is never
offered an account, which keeps territories compact and the model small). Every rep's load is
its fixed accounts (locked or outside the caller's scope) plus its chosen ones. With ``S`` the
team's total and ``R`` its size, ``Z >= |R * load_r - S|`` for every rep, so ``Z / S`` is the
parity ``max |w - mean| / mean``.

Deviation below ``target_parity`` counts as balanced (a team already inside it gets no moves).
First solve: parity <= target, minimise moves (each move weighed like ``move_weight_minutes``
of driving, the driving being the tie-break that keeps territories compact). If the target
cannot be met (locked accounts, ``max_moves``), minimise ``Z`` first, then the moves at that Z.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
from ortools.sat.python import cp_model

from backend.territories.rebalance.greedy import greedy_moves
from backend.territories.rebalance.problem import Costs, summary

SCALE = 10  # tenths of a minute


@dataclass
class Solution:
    """Moves and how the solver got there.

    ``status``: balanced (nothing to do), optimal, feasible (CP-SAT's best within the time
    limit), heuristic (CP-SAT found nothing in time: the greedy closest-fit start is returned).
    """

    moves: list[dict] = field(default_factory=list)
    status: str = "balanced"
    seconds: float = 0.0
    reached_target: bool = True


def _parity(load: np.ndarray) -> float:
    mean = float(load.mean())
    return float(np.abs(load - mean).max() / mean) if mean > 0 else 0.0


def solve(
    c: Costs,
    *,
    target_parity: float = 0.05,
    max_moves: int | None = None,
    candidates: int = 4,
    time_limit_s: float = 8.0,
    workers: int = 2,
    move_weight_minutes: float = 60.0,
    seed: int = 0,
    free: frozenset[int] = frozenset(),
) -> Solution:
    """Solve the proposal for ``c``; a team already within ``target_parity`` moves nothing.

    Accounts in ``free`` (ids) move at no cost: the departure of a rep places their accounts
    first, and the optimiser may still send them elsewhere.
    """
    started = time.perf_counter()
    n, m = len(c.accounts), len(c.reps)
    owner = [c.rep_index.get(a.owner_id, -1) for a in c.accounts]
    w = np.rint((c.service[:, None] + c.travel) * SCALE).astype(np.int64) if n else np.zeros((0, m))
    current = np.zeros(m, dtype=np.int64)
    for a, r in enumerate(owner):
        if r >= 0:
            current[r] += w[a, r]
    if m < 2 or _parity(current.astype(float)) <= target_parity or max_moves == 0:
        return Solution(status="balanced", seconds=time.perf_counter() - started)

    # Each account may go to its owner or to one of the reps living nearest to it.
    near_of = {}
    for a, r0 in enumerate(owner):
        if r0 >= 0 and c.accounts[a].movable:
            order = [int(r) for r in np.argsort(c.distance_km[a], kind="stable") if r != r0]
            near_of[a] = order[:candidates]
    # Aim the hint a little inside the target, so rounding to tenths cannot make it infeasible.
    hint = _first_solution(c, near_of, target_parity * 0.97, max_moves)
    hint_parity = summary(c, {mv["account_id"]: mv["to_rep"] for mv in hint})["metrics"]["parity"]
    hinted = {mv["account_id"]: c.rep_index[mv["to_rep"]] for mv in hint}
    model = cp_model.CpModel()
    fixed = np.zeros(m, dtype=np.int64)
    hint_load = np.zeros(m, dtype=np.int64)
    terms: list[list] = [[] for _ in range(m)]
    stays, travel_terms, choices = [], [], []
    for a, r0 in enumerate(owner):
        if r0 < 0:
            continue
        if not c.accounts[a].movable:
            fixed[r0] += w[a, r0]
            continue
        near = near_of[a]
        goal = hinted.get(c.accounts[a].id, r0)
        if goal != r0 and goal not in near:
            near = [*near, goal]
        options = {}
        for r in [r0, *near]:
            var = model.new_bool_var(f"x{a}_{r}")
            options[r] = var
            terms[r].append((int(w[a, r]), var))
            travel_terms.append((int(round(c.travel[a, r] * SCALE)), var))
            model.add_hint(var, r == goal)
        hint_load[goal] += w[a, goal]
        model.add_exactly_one(options.values())
        if c.accounts[a].id not in free:  # moving a ``free`` account costs nothing
            stays.append(options[r0])
        choices.append((a, options))

    upper = int(w.max(initial=0)) * n + int(fixed.sum()) + 1
    load = [model.new_int_var(0, upper, f"load{r}") for r in range(m)]
    for r in range(m):
        model.add(load[r] == int(fixed[r]) + sum(coef * var for coef, var in terms[r]))
    total = model.new_int_var(0, upper * m, "total")
    model.add(total == sum(load))
    dev = model.new_int_var(0, upper * m, "dev")
    for r in range(m):
        model.add(dev >= m * load[r] - total)
        model.add(dev >= total - m * load[r])
    # A complete hint (the loads too) is one CP-SAT can take as its first solution.
    hint_load += fixed
    for r in range(m):
        model.add_hint(load[r], int(hint_load[r]))
    hint_total = int(hint_load.sum())
    model.add_hint(total, hint_total)
    model.add_hint(dev, int(np.abs(m * hint_load - hint_total).max()))
    moves = len(stays) - sum(stays)
    if max_moves is not None:
        model.add(moves <= max_moves)
    travel = sum(coef * var for coef, var in travel_terms)
    weight = int(round(move_weight_minutes * SCALE))

    solver = cp_model.CpSolver()
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed

    def run(limit: float) -> int:
        solver.parameters.max_time_in_seconds = max(limit, 0.1)
        return solver.solve(model)

    def left() -> float:
        return time_limit_s - (time.perf_counter() - started)

    base = model.clone()
    model.add(10_000 * dev <= int(round(target_parity * 10_000)) * total)
    model.minimize(weight * moves + travel)
    status = run(left() * 0.6)
    reached = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    if not reached and hint_parity is not None and hint_parity <= target_parity:
        # No time left to improve on the heuristic (a loaded machine): it reaches the target.
        return Solution(hint, "heuristic", time.perf_counter() - started, True)
    if not reached:
        # The target is out of reach: get as close as possible, then move as little as that needs.
        model = base
        model.minimize(dev)
        status = run(left() / 2)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Solution(hint, "heuristic", time.perf_counter() - started, False)
        best = int(solver.objective_value)
        closest = _moves(c, solver, choices, owner)
        model.clear_hints()
        for _, options in choices:
            for var in options.values():
                model.add_hint(var, bool(solver.value(var)))
        model.add(dev <= best)
        model.minimize(weight * moves + travel)
        status = run(left())
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return Solution(closest, "feasible", time.perf_counter() - started, False)
    return Solution(
        moves=_moves(c, solver, choices, owner),
        status="optimal" if status == cp_model.OPTIMAL else "feasible",
        seconds=time.perf_counter() - started,
        reached_target=reached,
    )


def _first_solution(c: Costs, near_of: dict, target: float, max_moves: int | None) -> list:
    """The hint: greedy closest fit among near reps, else anywhere, else the baseline.

    The first of them that reaches ``target``; when none does, the one ending most balanced.
    """
    tries = [
        greedy_moves(
            c,
            target_parity=target,
            max_moves=max_moves,
            closest_fit=True,
            allowed=lambda a, r: r in near_of.get(a, ()),
        ),
        greedy_moves(c, target_parity=target, max_moves=max_moves, closest_fit=True),
        greedy_moves(c, target_parity=target, max_moves=max_moves),
    ]
    scored = []
    for moves in tries:
        parity = summary(c, {m["account_id"]: m["to_rep"] for m in moves})["metrics"]["parity"]
        if parity is not None and parity <= target:
            return moves
        scored.append((parity if parity is not None else 0.0, len(moves), moves))
    return min(scored, key=lambda t: (t[0], t[1]))[2]


def _moves(c: Costs, solver: cp_model.CpSolver, choices: list, owner: list[int]) -> list[dict]:
    out = []
    for a, options in choices:
        for r, var in options.items():
            if solver.value(var) and r != owner[a]:
                out.append(
                    {
                        "account_id": c.accounts[a].id,
                        "from_rep": c.reps[owner[a]].id,
                        "to_rep": c.reps[r].id,
                    }
                )
    return out
