"""`solve()`: a small portfolio of engines, each followed by our own ILS, checked, with a fallback.

Timeline of one call with `workers=2` (T = time limit):
- now: the greedy fallback and VROOM (~0.05 s, at most VROOM_SHARE of the budget); if one of them already serves every stop that
  can be served at all, only travel can improve: tighten it and return early;
- [0, ENGINE_SHARE * T]: PyVRP here and a second engine in the helper process (a milder-weight
  PyVRP, or OR-Tools with its native break when the day has one);
- then until T: in both processes the iterated local search of `routing.ils` from the best
  sequence each has seen, with different seeds (the engines stop one stop short at times; the
  ILS's shakes are what finds that stop);
- last: the best candidate (value, then travel) that passes `check()` becomes the plan.
"""

from __future__ import annotations

import atexit
import logging
import multiprocessing
import threading
import time
from concurrent.futures import Future, ProcessPoolExecutor

from routing import engine, ils
from routing.appointments import set_aside
from routing.check import check
from routing.local import greedy, repair
from routing.models import Plan, Problem, RoutingError
from routing.schedule import build_plan, simulate, travel_of, value_of

# A milder prize weight than the main member's near-lexicographic one: measured on OPTW it
# finds some best-value sets the main member misses (and vice versa), so they complement.
LOW_WEIGHT = 1000
# Share of the budget the engines get; the ILS has the rest (measured on the hard OPTW cases).
ENGINE_SHARE = 0.7
# Most of the budget VROOM's warm start may take (it needs ~0.05 s on a day's stops).
VROOM_SHARE = 0.2
# Kept free before the deadline for the hand-back and the final build and check.
_FINISH_S = 0.03
# How long past the deadline we wait for the helper before going on without it.
_GRACE_S = 0.05

_pool: ProcessPoolExecutor | None = None
log = logging.getLogger(__name__)


def _executor() -> ProcessPoolExecutor:
    """One long-lived helper process, forked from a server that already imported the engines."""
    global _pool
    if _pool is None:
        ctx = multiprocessing.get_context("forkserver")
        # The solver libraries load lazily (routing.engine): preload them in the server, so a
        # helper does not spend its first solve's budget importing them.
        ctx.set_forkserver_preload(
            [
                "routing.engine",
                "routing.ils",
                "pyvrp",
                "ortools.constraint_solver.pywrapcp",
                "vroom",
            ]
        )
        _pool = ProcessPoolExecutor(max_workers=1, mp_context=ctx)
        atexit.register(_pool.shutdown, cancel_futures=True)
    return _pool


_ready = threading.Event()
_starting = threading.Lock()


def warm_up() -> None:
    """Start the helper process now, so the first timed solve does not pay for it."""
    _executor().submit(len, ()).result()
    _ready.set()


def _warm_in_background() -> None:
    try:
        warm_up()
    except Exception:  # noqa: BLE001 - no helper only costs the second engine
        log.exception("routing helper process failed to start")
        _starting.release()  # the next solve may try again


def _helper() -> ProcessPoolExecutor | None:
    """The helper process if it is up. Starting it takes seconds (it imports the solver
    libraries), more than a solve's budget: a solve does not wait for it but starts it in the
    background and plans in this process alone; the solves after it get the helper.
    """
    if _ready.is_set():
        return _pool
    if _starting.acquire(blocking=False):
        threading.Thread(
            target=_warm_in_background, name="routing-helper-start", daemon=True
        ).start()
    return None


def _engine(
    kind: str,
    p: Problem,
    limit: float,
    seed: int,
    initial: list[int] | None = None,
    notes: list[str] | None = None,
) -> list[int] | None:
    """Run one engine; its errors become 'no answer' so the fallback takes over.

    A failure is logged with the member's name and, when `notes` is given, noted for the plan.
    """
    try:
        if kind == "vroom":
            return engine.solve_vroom(p, time_limit_s=limit)
        if kind == "ortools":
            return engine.solve_ortools(p, limit, initial)
        weight = LOW_WEIGHT if kind == "pyvrp-low" else None
        return engine.solve_pyvrp(p, limit, seed, initial, weight)
    except Exception as exc:  # noqa: BLE001 - any engine failure must fall back, never crash a plan
        log.exception("routing engine %s failed; the plan goes on without it", kind)
        if notes is not None:
            notes.append(f"{kind} failed ({type(exc).__name__}); planned without it")
        return None


def _member(
    kind: str, p: Problem, engine_until: float, until: float, seed: int, incumbent: list[int]
) -> tuple[list[int], list[str]]:
    """One engine until `engine_until`, then the ILS until `until` from the better of its
    (repaired) answer and `incumbent`. Deadlines are `time.monotonic()` values, a system-wide
    clock, so the helper process keeps to the caller's deadline even if it starts late.
    """
    start = incumbent
    notes: list[str] = []
    limit = engine_until - time.monotonic()
    if kind != "ils" and limit > 0.01:
        # The main PyVRP member starts from scratch (seeding it narrows its search); the
        # helper's engines start from the incumbent (OR-Tools' own first route is poor).
        found = _engine(kind, p, limit, seed, None if kind == "pyvrp" else incumbent, notes)
        fixed = repair(p, found) if found is not None else None
        if fixed is not None and _key(p, fixed) > _key(p, incumbent):
            start = fixed
    return ils.improve(p, start, until, seed), notes


def _upper_bound(p: Problem) -> int:
    """Value of every stop that fits into the day on its own: no plan can collect more."""
    return sum(s.value for i, s in enumerate(p.stops) if s.windows and simulate(p, [i]) is not None)


def solve(problem: Problem, time_limit_s: float = 2.0, workers: int = 2, seed: int = 0) -> Plan:
    """Best plan found within `time_limit_s`: most value, then least travel; always checked.

    `workers=2` runs a second engine in a helper process; use 1 when the caller already
    parallelises across reps. Appointments that cannot be kept are set aside and listed in
    `dropped` with the reason; the rest of the day is planned.
    """
    problem, aside = set_aside(problem)
    t0 = time.monotonic()
    deadline = t0 + time_limit_s
    until = deadline - _FINISH_S
    candidates: list[tuple[str, list[int]]] = [("greedy", greedy(problem))]
    notes: list[str] = []
    if problem.n and any(s.windows for s in problem.stops):
        # VROOM answers in ~0.05 s on a day's stops and often finds what the local searches
        # miss; on large problems it has no bound of its own, so it gets a share of the budget.
        left = deadline - time.monotonic()
        quick = _engine("vroom", problem, max(0.01, VROOM_SHARE * left), seed, notes=notes)
        fixed = repair(problem, quick) if quick is not None else None
        if fixed is not None:
            candidates.append(("vroom", fixed))
        incumbent = _best(problem, candidates)[1]
        if _key(problem, incumbent) >= (True, _upper_bound(problem), -(10**12)):
            # Every stop that can be served is: only travel can improve, and it stops soon.
            notes.append("every servable stop fits: travel tightened, solved early")
            candidates.append(("tightened", ils.shorten(problem, incumbent, until)))
        else:
            candidates += _portfolio(
                problem, incumbent, candidates[0][1], t0, until, workers, seed, notes
            )
    plan = _finish(problem, candidates, notes)
    if aside:
        reasons = {d.id: d for d in aside}
        plan.dropped = [reasons.get(d.id, d) for d in plan.dropped]
        plan.notes += [f"{d.id}: {d.reason}" for d in aside]
    return plan


def _portfolio(
    p: Problem,
    incumbent: list[int],
    greedy_seq: list[int],
    t0: float,
    until: float,
    workers: int,
    seed: int,
    notes: list[str],
) -> list[tuple[str, list[int]]]:
    """Engines then ILS, here and (with workers > 1) in the helper process."""
    engine_until = t0 + (until - t0) * ENGINE_SHARE
    second = "ortools" if p.brk is not None else "pyvrp-low"
    fut: Future | None = None
    helper = _helper() if workers > 1 else None
    if workers > 1 and helper is None:
        notes.append("helper process still starting: planned in one process")
    if helper is not None:
        try:
            fut = helper.submit(_member, second, p, engine_until, until, seed + 1, incumbent)
        except (OSError, RuntimeError):
            fut = None
    # With a helper, this process runs the ILS alone for the whole budget: measured on OPTW it
    # is strong on its own and finds different routes than the engines. It starts from the
    # greedy route, not VROOM's: measured, it reaches more best-known scores from there (rc103),
    # and the helper starts from the incumbent anyway. A greedy route that misses an
    # appointment is no start at all, though.
    mine = "ils" if fut is not None else "pyvrp"
    use_greedy = fut is not None and _key(p, greedy_seq)[0]
    start = greedy_seq if use_greedy else incumbent
    name = "ils" if mine == "ils" else f"{mine}+ils"
    seq, member_notes = _member(mine, p, engine_until, until, seed, start)
    notes += member_notes
    out = [(name, seq)]
    if fut is not None:
        try:
            wait = max(0.0, until - time.monotonic()) + _GRACE_S
            seq, member_notes = fut.result(timeout=wait)
            notes += member_notes
            out.append((f"{second}+ils", seq))
        except Exception as exc:  # noqa: BLE001 - a late or lost helper only costs its answer
            log.warning("routing helper %s gave no answer: %r", second, exc)
            notes.append(f"{second}+ils gave no answer ({type(exc).__name__})")
    return out


def _key(p: Problem, seq: list[int]) -> tuple[bool, int, int]:
    """Ranking of sequences: serves every required stop, then more value, then less travel."""
    inside = set(seq)
    serves = all(i in inside for i, s in enumerate(p.stops) if s.required)
    return serves, value_of(p, seq), -travel_of(p, seq)


def _best(p: Problem, candidates: list[tuple[str, list[int]]]) -> tuple[str, list[int]]:
    """The best candidate by `_key` (the first one wins ties)."""
    return max(candidates, key=lambda c: _key(p, c[1]))


def _finish(problem: Problem, candidates: list[tuple[str, list[int]]], notes: list[str]) -> Plan:
    """Repair and rank the candidates; the best one that passes `check()` becomes the plan."""
    ranked: list[tuple[str, list[int]]] = []
    for name, seq in candidates:
        fixed = repair(problem, seq)
        if fixed is None:
            notes.append(f"{name}: no feasible repair")
            continue
        notes.append(f"{name}: value {value_of(problem, fixed)}")
        ranked.append((name, fixed))
    while ranked:
        name, seq = _best(problem, ranked)
        plan = build_plan(problem, seq, name)
        errors = check(problem, plan)
        if not errors:
            plan.notes = notes
            return plan
        notes.append(f"{name}: rejected by the feasibility check: {errors[0]}")
        ranked = [c for c in ranked if c[0] != name]
    missing = [s.id for s in problem.stops if s.required]
    raise RoutingError(
        "no feasible plan found that serves every required stop"
        + (f" ({', '.join(missing)})" if missing else "")
    )
