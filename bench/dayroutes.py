"""Realistic generated days: our solve() against VROOM and PyVRP with the same time budget.

Run: python bench/dayroutes.py [--time-limit 2] [--seeds 3]. Prints figures, never fails.
Days: 25/40/80/120 candidates within ~15 km of a city centre, 08:00-17:30, a 30-min break
in 11:30-13:30, ~40 % of accounts closed 12:00-14:00, 0-2 appointments (required, 30-min window).
VROOM models all of it (several windows, break, required as top priority). PyVRP has no break:
it plans without one, as a user would have to. Every peer plan is re-timed and checked with our
scheduler/feasibility rules; infeasible ones are counted and score 0.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from optw import load_average, pyvrp_peer, vroom_peer  # noqa: E402

from routing.check import check  # noqa: E402
from routing.models import Break, Location, Problem, Stop  # noqa: E402
from routing.schedule import build_plan, simulate  # noqa: E402
from routing.solver import solve, warm_up  # noqa: E402
from routing.travel import geodesic_matrix  # noqa: E402

H = 3600


def make_day(n: int, seed: int) -> Problem:
    """A rep's day around Munich with n candidate accounts."""
    rng = random.Random(seed * 1000 + n)
    home = Location(48.137, 11.575)
    locs = [
        Location(home.lat + rng.gauss(0, 0.06), home.lon + rng.gauss(0, 0.09)) for _ in range(n)
    ]
    stops = []
    appts = rng.randint(0, 2)
    slots = rng.sample([10, 11, 14, 15], 2)
    for i in range(n):
        service = rng.choice([20, 30, 45, 60]) * 60
        o, c = rng.choice([8, 9]) * H, rng.choice([17, 18]) * H
        if rng.random() < 0.4:  # lunch closure
            windows = ((o, 12 * H - service), (14 * H, c - service))
        else:
            windows = ((o, c - service),)
        required = i < appts
        if required:
            t = slots[i] * H
            windows = ((t, t + 1800),)
        stops.append(Stop(f"a{i}", locs[i], service, rng.randint(10, 100), windows, required))
    tm = geodesic_matrix([home, *locs, home], speed_kmh=35, circuity=1.35)
    return Problem(
        8 * H,
        17 * H + 1800,
        home,
        home,
        tuple(stops),
        tm.durations,
        tm.distances,
        Break(11 * H + 1800, 13 * H + 1800, 1800),
    )


def peer_value(p: Problem, seq: list[int]) -> int | None:
    """Value of a peer's order under our rules (break included), None if infeasible."""
    if len(set(seq)) != len(seq) or simulate(p, seq) is None:
        return None
    if any(s.required and i not in seq for i, s in enumerate(p.stops)):
        return None
    plan = build_plan(p, seq, "peer")
    return None if check(p, plan) else plan.value


def main() -> None:
    """Run the days and print one line per day plus medians and ratios."""
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--time-limit", type=float, default=2.0)
    ap.add_argument("--seeds", type=int, default=3)
    ap.add_argument("--sizes", default="25,40,80,120")
    args = ap.parse_args()
    warm_up()
    print(f"load average at start: {load_average()}")
    rows = []
    print(f"{'day':10} | {'ours':>5} {'sec':>4} | {'vroom':>5} {'sec':>4} | {'pyvrp':>5}")
    for n in map(int, args.sizes.split(",")):
        for seed in range(args.seeds):
            p = make_day(n, seed)
            t = time.perf_counter()
            plan = solve(p, args.time_limit)
            t_ours = time.perf_counter() - t
            assert not check(p, plan)
            t = time.perf_counter()
            vr = peer_value(p, vroom_peer(p))
            t_vr = time.perf_counter() - t
            pv = peer_value(p, pyvrp_peer(p, args.time_limit))
            rows.append((n, plan.value, vr, pv, t_ours, t_vr))
            print(
                f"n={n:<3} s={seed:<2} | {plan.value:5} {t_ours:4.1f} | "
                f"{vr if vr is not None else 'infeas':>5} {t_vr:4.2f} | "
                f"{pv if pv is not None else 'infeas':>5}",
                flush=True,
            )
    print(f"load average at end: {load_average()}")
    for n in sorted({r[0] for r in rows}):
        sub = [r for r in rows if r[0] == n]
        ratio = [r[1] / r[c] for r in sub for c in (2,) if r[c]]
        ratio_p = [r[1] / r[3] for r in sub if r[3]]
        print(
            f"n={n}: median ours/vroom {statistics.median(ratio) if ratio else float('nan'):.3f}"
            f", ours/pyvrp {statistics.median(ratio_p) if ratio_p else float('nan'):.3f}; "
            f"infeasible vroom {sum(r[2] is None for r in sub)}/{len(sub)}, "
            f"pyvrp {sum(r[3] is None for r in sub)}/{len(sub)}; "
            f"median time ours {statistics.median(r[4] for r in sub):.2f}s, "
            f"vroom {statistics.median(r[5] for r in sub):.2f}s"
        )


if __name__ == "__main__":
    main()
