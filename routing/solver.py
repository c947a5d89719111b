"""`solve()`: a small portfolio of engines, repaired, polished and checked, with a greedy fallback."""

from __future__ import annotations

import atexit
import multiprocessing
import time
from concurrent.futures import Future, ProcessPoolExecutor

from routing import engine
from routing.check import check
from routing.local import better, greedy, polish, repair
from routing.models import Plan, Problem, RoutingError
from routing.schedule import build_plan

# A milder prize weight than the main member's near-lexicographic one: measured on OPTW it
# finds some best-value sets the main member misses (and vice versa), so they complement.
LOW_WEIGHT = 1000
_POLISH_SHARE = 0.05

_pool: ProcessPoolExecutor | None = None


def _executor() -> ProcessPoolExecutor:
    """One long-lived helper process, forked from a server that already imported the engines."""
    global _pool
    if _pool is None:
        ctx = multiprocessing.get_context("forkserver")
        ctx.set_forkserver_preload(["routing.engine"])
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
        atexit.register(_pool.shutdown, cancel_futures=True)
    return _pool


def warm_up() -> None:
    """Start the helper process now, so the first timed solve does not pay for it."""
    _executor().submit(len, ()).result()


def _member(
    kind: str, p: Problem, limit: float, seed: int, initial: list[int] | None
) -> list[int] | None:
    """Run one portfolio member; engine errors become 'no answer' so the fallback takes over."""
    try:
        if kind == "vroom":
            return engine.solve_vroom(p)
        if kind == "ortools":
            return engine.solve_ortools(p, limit, initial)
        weight = LOW_WEIGHT if kind == "pyvrp-low" else None
        return engine.solve_pyvrp(p, limit, seed, initial, weight)
    except Exception:  # noqa: BLE001 - any engine failure must fall back, never crash a plan
        return None


def solve(problem: Problem, time_limit_s: float = 2.0, workers: int = 2, seed: int = 0) -> Plan:
    """Best plan found within `time_limit_s`: most value, then least travel; always checked.

    `workers=2` runs a second engine in a helper process; use 1 when the caller already
    parallelises across reps. Raises RoutingError if no plan serves all required stops.
    """
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    fallback = greedy(problem)
    candidates: list[tuple[str, list[int]]] = [("greedy", fallback)]
    if problem.n and any(s.windows for s in problem.stops):
        # VROOM answers in ~0.1 s and often finds what the local searches miss: seed them.
        quick = _member("vroom", problem, 0.0, seed, None)
        if quick is not None:
            fixed = repair(problem, quick)
            if fixed is not None:
                candidates.append(("vroom", fixed))
                if better(problem, fixed, fallback):
                    fallback = fixed
        budget = max(0.05, (deadline - time.monotonic()) * (1 - _POLISH_SHARE) - 0.02)
        second = "ortools" if problem.brk is not None else "pyvrp-low"
        fut: Future | None = None
        if workers > 1:
            try:
                fut = _executor().submit(_member, second, problem, budget, seed + 1, fallback)
            except (OSError, RuntimeError):
                fut = None
        # The main member starts from scratch: seeding it with VROOM's answer narrows its search
        # (VROOM's answer stays a candidate anyway).
        main = _member("pyvrp", problem, budget, seed, None)
        if main is not None:
            candidates.append(("pyvrp", main))
        if fut is not None:
            try:
                other = fut.result(timeout=max(1.0, budget + 5.0))
            except Exception:  # noqa: BLE001 - a lost helper only costs its answer
                other = None
            if other is not None:
                candidates.append((second, other))
    best: tuple[str, list[int]] | None = None
    notes: list[str] = []
    for name, seq in candidates:
        fixed = repair(problem, seq)
        if fixed is None:
            notes.append(f"{name}: no feasible repair")
            continue
        if name != "greedy":
            fixed = polish(problem, fixed, max(deadline, time.monotonic() + 0.05))
        plan = build_plan(problem, fixed, name)
        notes.append(f"{name}: value {plan.value}, travel {plan.travel_seconds}")
        errors = check(problem, plan)
        if errors:
            notes.append(f"{name}: rejected by the feasibility check: {errors[0]}")
            continue
        if best is None or better(problem, fixed, best[1]):
            best = (name, fixed)
    if best is None:
        missing = [s.id for s in problem.stops if s.required]
        raise RoutingError(
            "no feasible plan found that serves every required stop"
            + (f" ({', '.join(missing)})" if missing else "")
        )
    plan = build_plan(problem, best[1], best[0])
    plan.notes = notes
    return plan
