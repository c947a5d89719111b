"""Route pool and set-packing recombination for the team search (`routing.toptw`).

Every route the team search keeps is feasible on its own, and routes are independent of each
other (a stop may only not be served twice), so any set of pairwise disjoint pool routes, at
most `m` of them, is a feasible team solution. The search remembers the routes of the solutions
it visits (per stop set the shortest order); `recombine` then picks the best disjoint `m` of
them with OR-Tools CP-SAT (one worker, a time limit): most value, then least travel. The
incumbent's routes are in the pool and given as the hint, so the answer is never worse.
This is the set-partitioning step of matheuristics for routing (a pool of local optima, one
exact selection over it); it finds combinations that a walk moving one or two stops at a time
would not reach.
"""

from __future__ import annotations

from collections.abc import Sequence

Routes = list[list[int]]

_LIMIT = 6000  # routes kept; beyond it the least valuable are dropped
_WEIGHT = 10**7  # one point of value outweighs any travel saving


class RoutePool:
    """Distinct feasible routes (matrix nodes) with their value and travel."""

    def __init__(self, limit: int = _LIMIT) -> None:
        self.limit = limit
        self.routes: dict[frozenset[int], tuple[tuple[int, ...], int, int]] = {}

    def __len__(self) -> int:
        return len(self.routes)

    def add(self, routes: Routes, val: Sequence[int], travel) -> None:
        """Remember each non-empty route; per stop set the one with the least travel."""
        for r in routes:
            if not r:
                continue
            key = frozenset(r)
            t = int(travel(r))
            old = self.routes.get(key)
            if old is None or t < old[2]:
                self.routes[key] = (tuple(r), sum(val[b] for b in r), t)
        if len(self.routes) > self.limit:
            keep = sorted(self.routes.items(), key=lambda kv: (-kv[1][1], kv[1][2]))
            self.routes = dict(keep[: self.limit * 3 // 4])

    def recombine(self, m: int, incumbent: Routes, time_limit_s: float) -> Routes | None:
        """Best at most `m` pairwise disjoint pool routes, or None if none was found in time."""
        if time_limit_s <= 0.05 or not self.routes:
            return None
        from ortools.sat.python import cp_model  # noqa: PLC0415 (heavy: only when used)

        entries = list(self.routes.values())
        model = cp_model.CpModel()
        use = [model.new_bool_var(f"r{k}") for k in range(len(entries))]
        serving: dict[int, list[int]] = {}
        for k, (route, _, _) in enumerate(entries):
            for b in route:
                serving.setdefault(b, []).append(k)
        for ks in serving.values():
            if len(ks) > 1:
                model.add_at_most_one(use[k] for k in ks)
        model.add(sum(use) <= m)
        model.maximize(sum(use[k] * (v * _WEIGHT - t) for k, (_, v, t) in enumerate(entries)))
        index = {frozenset(r): k for k, r in enumerate(e[0] for e in entries)}
        chosen = {index.get(frozenset(r)) for r in incumbent if r}
        for k, var in enumerate(use):
            model.add_hint(var, k in chosen)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        solver.parameters.max_time_in_seconds = time_limit_s
        status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        out = [list(entries[k][0]) for k, var in enumerate(use) if solver.value(var)]
        return out + [[] for _ in range(m - len(out))]
