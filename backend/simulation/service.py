"""The simulator's entry points: one run (policy, seed) and a comparison over policies and seeds.

Plain arguments in, JSON-able dicts out; the CLI, the job and the benchmark call these.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from statistics import mean

from backend.simulation import scenarios as what_if
from backend.simulation.metrics import summarise
from backend.simulation.noise import Noise
from backend.simulation.policies import POLICIES
from backend.simulation.run import Handover, RepResult, RepTask, run_tasks
from backend.simulation.world import World
from backend.territories.departure.schemas import DEFAULT_TRANSITION_DAYS

# Figures the comparison reports with mean and range (dotted: nested in the run's JSON).
FIGURES = (
    "compliance.all",
    "compliance.A",
    "compliance.B",
    "compliance.C",
    "overdue_account_days",
    "visits_per_rep_day",
    "drive_minutes_per_visit",
    "km",
    "overtime_minutes",
    "revenue_weighted_coverage",
)
# Lower is better for these (the difference's sign says who wins).
LOWER_IS_BETTER = {"overdue_account_days", "drive_minutes_per_visit", "km", "overtime_minutes"}
MAX_SEEDS = 10  # seeds one comparison over the API may take

Progress = Callable[[int, int], None]


def _check_policy(policy: str) -> None:
    if policy not in POLICIES:
        raise ValueError(f"unknown policy {policy!r}; expected one of {', '.join(POLICIES)}")


def _tasks(world: World, policy: str, seed: int, noise: Noise, time_limit: float) -> list:
    return [RepTask(r, world, policy, seed, noise, time_limit=time_limit) for r in world.reps]


def simulate(
    world: World,
    policy: str,
    seed: int,
    scenario: list[str] | tuple[str, ...] = (),
    *,
    noise: Noise | None = None,
    processes: int | None = None,
    time_limit: float = 0.0,
    progress: Progress | None = None,
) -> dict:
    """One month of ``world`` under ``policy`` with ``seed``: the run's JSON.

    ``time_limit`` 0 (the default) plans with the planners' deterministic searches run to a
    standstill (same seed, same JSON); above 0 each day is planned by the product's
    time-limited solvers (``routing.horizon.solve_horizon``, ``routing.solver.solve``), whose
    answers depend on the machine's speed.
    """
    _check_policy(policy)
    names = what_if.parse(list(scenario))
    noise = noise or Noise()
    world, departure = what_if.apply(world, names)
    tasks = _tasks(world, policy, seed, noise, time_limit)
    total = len(tasks)
    results: list[RepResult] = []
    if departure is not None:
        k = next(i for i, t in enumerate(tasks) if t.rep.id == departure.rep_id)
        leaver = RepTask(
            tasks[k].rep,
            world,
            policy,
            seed,
            noise,
            leaves_on=departure.day,
            handed_over=departure.owners is not None,
            time_limit=time_limit,
        )
        gone = run_tasks([leaver], processes=1)[0]
        results.append(gone)
        if progress:
            progress(1, total)
        tasks = tasks[:k] + tasks[k + 1 :]
        if departure.owners is not None:
            tasks = _with_handovers(tasks, leaver, gone, departure)
    step = (lambda done, _n: progress(done + len(results), total)) if progress else None
    results += run_tasks(tasks, processes=processes, progress=step)
    results.sort(key=lambda r: r.rep_id)
    return summarise(world, results, policy=policy, seed=seed, scenario=names)


def _with_handovers(tasks: list, leaver: RepTask, gone: RepResult, departure) -> list:
    """The staying reps' tasks, each with the accounts it takes over on the departure day."""
    touches: dict = {}
    for key, dates in leaver.rep.history.items():
        touches.setdefault(key, []).extend(dates)
    for aid, kind, day in gone.logged:
        touches.setdefault((aid, kind), []).append(day)
    book = {a.id: a for a in leaver.rep.accounts}
    out = []
    for t in tasks:
        mine = tuple(book[aid] for aid, rid in departure.owners.items() if rid == t.rep.id)
        if not mine:
            out.append(t)
            continue
        ids = {a.id for a in mine}
        carried = {k: tuple(sorted(v)) for k, v in touches.items() if k[0] in ids}
        intro_due = departure.day + timedelta(days=DEFAULT_TRANSITION_DAYS)
        joins = (*t.joins, Handover(departure.day, t.rep.id, mine, carried, intro_due))
        out.append(
            RepTask(
                t.rep,
                t.world,
                t.policy,
                t.seed,
                t.noise,
                joins=joins,
                desk_minutes=t.desk_minutes,
                time_limit=t.time_limit,
            )
        )
    return out


def figure(run: dict, name: str) -> float | None:
    """A dotted figure of a run's JSON (``compliance.A``)."""
    value = run
    for part in name.split("."):
        value = value.get(part) if isinstance(value, dict) else None
    return value


def _stats(values: list[float | None]) -> dict | None:
    vals = [v for v in values if v is not None]
    if not vals:
        return None
    return {"mean": round(mean(vals), 3), "min": min(vals), "max": max(vals)}


def compare(
    world: World,
    policies: list[str],
    seeds: list[int],
    scenario: list[str] | tuple[str, ...] = (),
    *,
    processes: int | None = None,
    time_limit: float = 0.0,
    progress: Progress | None = None,
) -> dict:
    """Every policy over every seed on the same world: the runs, each figure's mean and range
    per policy, and per other policy the paired difference (``policies[0]`` minus it, seed by
    seed) with its mean and range: the spread the seeds give."""
    for p in policies:
        _check_policy(p)
    if not seeds:
        raise ValueError("give at least one seed")
    reps = len(what_if.apply(world, what_if.parse(list(scenario)))[0].reps)
    total = reps * len(policies) * len(seeds)
    runs: list[dict] = []
    for policy in policies:
        for seed in seeds:
            base = len(runs) * reps

            def step(done: int, _n: int, base: int = base) -> None:
                if progress:
                    progress(base + done, total)

            runs.append(
                simulate(
                    world,
                    policy,
                    seed,
                    scenario,
                    processes=processes,
                    time_limit=time_limit,
                    progress=step,
                )
            )
    return summarise_runs(world, policies, seeds, scenario, runs)


def summarise_runs(
    world: World,
    policies: list[str],
    seeds: list[int],
    scenario: list[str] | tuple[str, ...],
    runs: list[dict],
) -> dict:
    """The comparison of ``runs`` (one per policy and seed, in that order)."""
    by = {p: [r for r in runs if r["policy"] == p] for p in policies}
    summary = {p: {f: _stats([figure(r, f) for r in by[p]]) for f in FIGURES} for p in policies}
    first = policies[0]
    differences = {}
    for other in policies[1:]:
        differences[other] = {}
        for f in FIGURES:
            pairs = [
                (figure(a, f), figure(b, f)) for a, b in zip(by[first], by[other], strict=True)
            ]
            diffs = [round(a - b, 3) for a, b in pairs if a is not None and b is not None]
            differences[other][f] = _stats(diffs)
    return {
        "month": world.month,
        "scenario": what_if.parse(list(scenario)),
        "seeds": list(seeds),
        "policies": list(policies),
        "runs": runs,
        "summary": summary,
        "differences": {"of": first, "vs": differences},
    }
