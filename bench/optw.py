"""OPTW benchmark: our solve() against PyVRP and VROOM on the 29 Righini-Salani instances.

Run: python bench/optw.py --data DIR [--time-limit 2] [--instances c101,r102] [--one-core-only].
Prints figures, never fails on time. The headline is the equal-CPU comparison: our solve() on one
core (workers=1: PyVRP then our ILS in one process) against PyVRP on one core, same limit; our
default two-process portfolio (workers=2) against the same one-core PyVRP follows it. DIR holds best_known.csv and solomon_100/*.txt: the Righini-Salani OPTW set
(KU Leuven's orienteering test instances, https://www.mech.kuleuven.be/en/cib/op), by default
../shared/bench/optw beside the checkout. The project's tests do not need it.
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

from routing import engine
from routing.models import Problem
from routing.problem_io import parse_optw
from routing.schedule import simulate
from routing.solver import solve, warm_up

DATA = Path(__file__).resolve().parents[2] / "shared" / "bench" / "optw"


def pyvrp_peer(p: Problem, time_limit_s: float, seed: int = 0) -> list[int]:
    """PyVRP as a user would set it up: optional clients with prizes, windows as client groups."""
    k = 1000  # prize per value point, so value dominates distance
    clients, owner, groups = [], [], []
    for i, s in enumerate(p.stops):
        if not s.windows:
            continue
        gid = len(groups) if len(s.windows) > 1 else None
        first = len(clients)
        for o, c in s.windows:
            clients.append(
                pyvrp.Client(
                    location=2 + len(clients),
                    delivery=[1],
                    service_duration=s.service,
                    tw_early=o,
                    tw_late=c,
                    prize=s.value * k,
                    required=s.required and gid is None,
                    group=gid,
                )
            )
            owner.append(i)
        if gid is not None:
            groups.append(pyvrp.ClientGroup(list(range(first, len(clients))), required=s.required))
    nodes = [0, p.end_node] + [i + 1 for i in owner]
    m = np.asarray(p.durations, dtype=np.int64)[np.ix_(nodes, nodes)]
    cap = p.max_stops if p.max_stops is not None else len(p.stops)
    data = pyvrp.ProblemData(
        [pyvrp.Location(0.0, 0.0) for _ in nodes],
        clients,
        [pyvrp.Depot(0, p.shift_start, p.shift_end), pyvrp.Depot(1, p.shift_start, p.shift_end)],
        [
            pyvrp.VehicleType(
                1,
                capacity=[cap],
                start_depot=0,
                end_depot=1,
                tw_early=p.shift_start,
                tw_late=p.shift_end,
            )
        ],
        [m],
        [m],
        groups,
    )
    best = pyvrp.solve(data, MaxRuntime(time_limit_s), seed=seed, display=False).best
    if not best.is_feasible():
        return []
    return [owner[a.idx] for r in best.routes() for a in r if a.is_client()]


def vroom_peer(p: Problem, with_break: bool = True) -> list[int]:
    """VROOM as a user would run it: the same modelling our portfolio member uses (priority =
    value scaled to 0..100, several windows, the break natively), exploration level 5."""
    problem = p if with_break else replace(p, brk=None)
    return engine.solve_vroom(problem, exploration=5) or []


def load_average() -> str:
    """The machine's 1/5/15-minute load averages (the figures are only as good as the machine)."""
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def score(p: Problem, seq: list[int]) -> int | None:
    """Value of a peer's sequence, or None if our scheduler finds it infeasible."""
    if simulate(p, seq) is None or len(set(seq)) != len(seq):
        return None
    return sum(p.stops[i].value for i in seq)


def gap(best: int, got: int | None) -> float:
    """Percentage below best-known (100 for no feasible answer)."""
    return 100.0 if got is None else 100.0 * (best - got) / best


def main() -> None:
    """Run the benchmark and print one line per instance and a summary."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--instances", default="")
    ap.add_argument("--data", type=Path, default=DATA)
    ap.add_argument("--one-core-only", action="store_true", help="skip the two-process run")
    args = ap.parse_args()
    if not (args.data / "best_known.csv").is_file():
        raise SystemExit(
            f"no OPTW data in {args.data}: pass --data DIR with best_known.csv and solomon_100/ "
            "(the Righini-Salani instances, https://www.mech.kuleuven.be/en/cib/op)"
        )
    with open(args.data / "best_known.csv") as fh:
        best = {r["instance"]: int(r["best_known_score"]) for r in csv.DictReader(fh)}
    names = args.instances.split(",") if args.instances else sorted(best)
    warm_up()
    print(f"load average at start: {load_average()}")
    rows = []
    two = not args.one_core_only
    print(
        f"{'inst':6} {'best':>4} | {'ours1':>5} {'gap%':>5} | {'ours2':>5} {'gap%':>5} | "
        f"{'pyvrp':>5} {'gap%':>5} | {'vroom':>5} {'gap%':>5} {'sec':>4}"
    )
    for nm in names:
        p = parse_optw(args.data / "solomon_100" / f"{nm}.txt")
        t = time.perf_counter()
        one = solve(p, args.time_limit, workers=1).value
        t_one = time.perf_counter() - t
        both = solve(p, args.time_limit, workers=2).value if two else None
        pv = score(p, pyvrp_peer(p, args.time_limit))
        t = time.perf_counter()
        vr = score(p, vroom_peer(p))
        t_vr = time.perf_counter() - t
        b = best[nm]
        rows.append((nm, b, one, both, pv, vr, t_one))
        print(
            f"{nm:6} {b:4} | {one:5} {gap(b, one):5.2f} | "
            f"{both if both is not None else '-':>5} {gap(b, both):5.2f} | "
            f"{pv if pv is not None else '-':>5} {gap(b, pv):5.2f} | "
            f"{vr if vr is not None else '-':>5} {gap(b, vr):5.2f} {t_vr:4.2f}",
            flush=True,
        )

    def summary(col: int) -> str:
        gaps = [gap(r[1], r[col]) for r in rows]
        at = sum(1 for r in rows if r[col] is not None and r[col] >= r[1])
        return f"mean gap {statistics.mean(gaps):.3f} %, at best-known {at}/{len(rows)}"

    print(f"EQUAL CPU (one core each, {args.time_limit} s):")
    print(f"  ours (workers=1)  {summary(2)}")
    print(f"  pyvrp (1 thread)  {summary(4)}")
    ahead = sum(1 for r in rows if r[2] >= (r[4] or 0))
    print(f"  ours >= pyvrp on {ahead}/{len(rows)} instances")
    if two:
        print("two processes (ours, workers=2) against one (pyvrp):")
        print(f"  ours (workers=2)  {summary(3)}")
    print(f"vroom (1 thread, exploration 5): {summary(5)}")
    deficits = [
        (100.0 * (max(r[4] or 0, r[5] or 0) - r[2]) / max(r[4] or 0, r[5] or 0, 1), r[0])
        for r in rows
    ]
    worst = max(deficits)
    print(f"load average at end: {load_average()}")
    print(
        f"worst one-core deficit vs best peer: {worst[0]:.2f} % ({worst[1]}); "
        f"median one-core solve time {statistics.median(r[6] for r in rows):.2f} s"
    )


if __name__ == "__main__":
    main()
