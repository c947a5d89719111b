"""TOPTW benchmark: our solve_toptw() against PyVRP and VROOM with m = 2, 3, 4 routes.

Run: python bench/toptw.py DATA_DIR [--time-limit 10] [--instances c101,r102] [--routes 2,3,4]
DATA_DIR holds solomon_100/*.txt (the 29 Righini-Salani OPTW files, KU Leuven format; e.g.
../shared/bench/optw). Each solver runs alone on one core, one after the other, with the same
limit (equal CPU): ours is single-process (its recombination step runs CP-SAT with one
worker), PyVRP single-threaded, VROOM with one thread and the
limit as its timeout. Every answer is checked route by route with routing.check; an infeasible
one scores nothing. Gaps are to the literature's best-known value where
bench/data/toptw_best_known.json has one, else to the best score of this run ('best of run').
Prints figures, never fails on time or quality.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

import numpy as np
import pyvrp
from pyvrp.stop import MaxRuntime

sys.path.insert(0, str(Path(__file__).resolve().parent))

from optw import load_average  # noqa: E402

from routing import engine  # noqa: E402
from routing.models import Problem  # noqa: E402
from routing.problem_io import parse_optw  # noqa: E402
from routing.toptw import check_team, score, solve_toptw  # noqa: E402

BEST_KNOWN = Path(__file__).resolve().parent / "data" / "toptw_best_known.json"


def pyvrp_peer(p: Problem, m: int, time_limit_s: float, seed: int = 0) -> list[list[int]]:
    """PyVRP as a user would set it up: m identical vehicles, optional clients with prizes."""
    k = 1000  # prize per score point, so score dominates distance
    clients = [
        pyvrp.Client(
            location=2 + i,
            delivery=[1],
            service_duration=s.service,
            tw_early=s.windows[0][0],
            tw_late=s.windows[0][1],
            prize=s.value * k,
            required=False,
        )
        for i, s in enumerate(p.stops)
    ]
    nodes = [0, p.end_node] + [i + 1 for i in range(p.n)]
    mat = np.asarray(p.durations, dtype=np.int64)[np.ix_(nodes, nodes)]
    data = pyvrp.ProblemData(
        [pyvrp.Location(0.0, 0.0) for _ in nodes],
        clients,
        [pyvrp.Depot(0, p.shift_start, p.shift_end), pyvrp.Depot(1, p.shift_start, p.shift_end)],
        [
            pyvrp.VehicleType(
                m,
                capacity=[p.n],
                start_depot=0,
                end_depot=1,
                tw_early=p.shift_start,
                tw_late=p.shift_end,
            )
        ],
        [mat],
        [mat],
    )
    best = pyvrp.solve(data, MaxRuntime(time_limit_s), seed=seed, display=False).best
    if not best.is_feasible():
        return []
    # PyVRP's client locations are 2.. ; client idx i is stop i.
    return [[a.idx for a in r if a.is_client()] for r in best.routes()]


def vroom_peer(p: Problem, m: int, time_limit_s: float) -> list[list[int]]:
    """VROOM with m identical vehicles, priority = score, exploration 5, one thread."""
    return engine.solve_vroom_routes(p, 5, time_limit_s, m) or []


def checked(p: Problem, routes: list[list[int]], m: int) -> int | None:
    """Score of routes that pass the independent check with at most m routes, else None."""
    if len(routes) > m or check_team(p, routes):
        return None
    return score(p, routes)


def gap(ref: int, got: int | None) -> float:
    return 100.0 if got is None else 100.0 * (ref - got) / ref


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("data", type=Path)
    ap.add_argument("--time-limit", type=float, default=10.0)
    ap.add_argument("--instances", default="")
    ap.add_argument("--routes", default="2,3,4")
    args = ap.parse_args()
    folder = args.data / "solomon_100"
    if not folder.is_dir():
        raise SystemExit(f"no solomon_100/ in {args.data}: pass the OPTW data directory")
    names = (
        args.instances.split(",")
        if args.instances
        else sorted(f.stem for f in folder.glob("*.txt"))
    )
    known = json.loads(BEST_KNOWN.read_text())["values"]
    print(f"load average at start: {load_average()}; {args.time_limit} s per solver and instance")
    print(
        f"{'inst':6} m {'ref':>5} | {'ours':>5} {'gap%':>5} | {'pyvrp':>5} {'gap%':>5} | {'vroom':>5} {'gap%':>5} {'sec':>5}"
    )
    rows = []
    for m in (int(x) for x in args.routes.split(",")):
        for nm in names:
            p = parse_optw(folder / f"{nm}.txt")
            ours = checked(p, solve_toptw(p, m, args.time_limit), m)
            pv = checked(p, pyvrp_peer(p, m, args.time_limit), m)
            t = time.perf_counter()
            vr = checked(p, vroom_peer(p, m, args.time_limit), m)
            t_vr = time.perf_counter() - t
            lit = known.get(str(m), {}).get(nm)
            ref = lit if lit is not None else max(x or 0 for x in (ours, pv, vr))
            rows.append((nm, m, ref, lit is not None, ours, pv, vr))
            print(
                f"{nm:6} {m} {ref:5}{'' if lit is not None else '*'} | {ours or '-':>5} {gap(ref, ours):5.2f} | "
                f"{pv or '-':>5} {gap(ref, pv):5.2f} | {vr or '-':>5} {gap(ref, vr):5.2f} {t_vr:5.2f}",
                flush=True,
            )
    print("* = best of run (no literature value transcribed, see bench/data/toptw_best_known.json)")
    classes = sorted({(r[1], r[0].rstrip("0123456789")) for r in rows})
    print(
        f"{'m':>2} {'class':5} {'n':>3} | {'ours gap':>8} {'at ref':>6} | {'pyvrp gap':>9} {'at ref':>6} | {'vroom gap':>9} {'at ref':>6} | ours >= both"
    )
    for m, cls in [*classes, *[(m, "all") for m in sorted({r[1] for r in rows})]]:
        sel = [r for r in rows if r[1] == m and (cls == "all" or r[0].rstrip("0123456789") == cls)]
        cells = []
        for col in (4, 5, 6):
            gaps = [gap(r[2], r[col]) for r in sel]
            at = sum(1 for r in sel if r[col] is not None and r[col] >= r[2])
            cells.append(f"{statistics.mean(gaps):8.2f}% {at:3}/{len(sel):<3}")
        ahead = sum(1 for r in sel if (r[4] or 0) >= max(r[5] or 0, r[6] or 0))
        print(
            f"{m:2} {cls:5} {len(sel):3} | {cells[0]} | {cells[1]} | {cells[2]} | {ahead}/{len(sel)}"
        )
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
