"""Benchmark: the month simulator, policies compared on the demo team, and its speed.

    python bench/simulate.py [--month 2026-12] [--reps 6] [--accounts 120] [--seeds 5]
                             [--policy fieldrep --policy day --policy baseline]
                             [--scenario tier-a-x2] [--time-limit 0] [--processes 2]
                             [--json-out FILE] [--chart FILE.png]

Runs ``backend.simulation.service.compare`` (every policy over seeds 1..N on the same world),
prints each run's wall and CPU seconds (this process and its worker processes) and the
comparison table (mean [min, max] over the seeds; differences paired seed by seed). Prints
figures only; no assertion.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.simulation import report, service  # noqa: E402
from backend.simulation.world import demo_world  # noqa: E402


def _cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    kids = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def _progress(label: str):
    last = [0.0]

    def progress(done: int, total: int) -> None:
        now = time.perf_counter()
        if now - last[0] > 30 or done == total:
            last[0] = now
            print(f"  {label}: {done}/{total} reps, {time.strftime('%H:%M:%S')}", flush=True)

    return progress


def main() -> None:
    """Parse the arguments, run the comparison, print the figures."""
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--month", default="2026-12")
    ap.add_argument("--reps", type=int, default=6)
    ap.add_argument("--accounts", type=int, default=120)
    ap.add_argument("--seeds", type=int, default=5)
    ap.add_argument("--policy", action="append")
    ap.add_argument("--scenario", action="append", default=[])
    ap.add_argument("--time-limit", type=float, default=0.0)
    ap.add_argument("--processes", type=int, default=2)
    ap.add_argument("--json-out")
    ap.add_argument("--chart")
    args = ap.parse_args()
    policies = args.policy or ["fieldrep", "day", "baseline"]
    seeds = list(range(1, args.seeds + 1))
    world = demo_world(args.month, reps=args.reps, accounts_per_rep=args.accounts)
    print(
        f"world: {args.reps} reps x {args.accounts} accounts, month {args.month}, "
        f"scenario {args.scenario or 'none'}, time limit {args.time_limit or 'standstill'}, "
        f"{args.processes} processes, cores {os.cpu_count()}, load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    runs = []
    total_wall = total_cpu = 0.0
    for policy in policies:
        for seed in seeds:
            t0, c0 = time.perf_counter(), _cpu()
            progress = _progress(f"{policy} seed {seed}")

            run = service.simulate(
                world,
                policy,
                seed,
                args.scenario,
                processes=args.processes,
                time_limit=args.time_limit,
                progress=progress,
            )
            wall, cpu = time.perf_counter() - t0, _cpu() - c0
            total_wall += wall
            total_cpu += cpu
            runs.append(run)
            print(
                f"{policy} seed {seed}: wall {wall:.1f} s, cpu {cpu:.1f} s, "
                f"A {run['compliance']['A']}, drive/visit {run['drive_minutes_per_visit']}, "
                f"overdue days {run['overdue_account_days']}, load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    result = service.summarise_runs(world, policies, seeds, args.scenario, runs)
    print()
    print(report.table(result))
    print(f"\ntotal wall {total_wall:.1f} s, cpu {total_cpu:.1f} s over {len(runs)} runs")
    if args.json_out:
        Path(args.json_out).write_text(json.dumps(result, indent=2))
    if args.chart:
        report.chart(result, args.chart)


if __name__ == "__main__":
    main()
