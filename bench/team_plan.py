"""Benchmark: `fieldrep plan --all` for a big team (default 200 reps x 300 accounts).

    python bench/team_plan.py [--reps 200] [--accounts 300] [--database-url URL] [--time-limit S]

Seeds a fresh database, then runs the real CLI in a subprocess and reports wall time, CPU time
of the planners (to show both cores work) and how many reps got a route. Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, select  # noqa: E402

from backend import create_app  # noqa: E402
from backend.core.extensions import db  # noqa: E402
from backend.routes.models import RoutePlan  # noqa: E402
from bench._seed import fresh_database, seed_reps  # noqa: E402


def main() -> None:
    """Seed, plan everybody, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--accounts", type=int, default=300)
    parser.add_argument(
        "--database-url", default="postgresql://postgres@127.0.0.1:5432/fieldrep_bench_team"
    )
    parser.add_argument("--time-limit", type=float, default=None, help="solver seconds per rep")
    args = parser.parse_args()

    url = fresh_database(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        db.create_all()
        t0 = time.perf_counter()
        seed_reps(args.reps, args.accounts)
        print(
            f"seeded {args.reps} reps x {args.accounts} accounts in {time.perf_counter() - t0:.1f} s"
        )
        db.engine.dispose()

    tomorrow = (date.today() + timedelta(days=1)).isoformat()
    cmd = [sys.executable, "-m", "backend", "plan", "--date", tomorrow, "--all"]
    if args.time_limit:
        cmd += ["--time-limit", str(args.time_limit)]
    env = dict(os.environ, DATABASE_URL=url)
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t0 = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - t0
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    print(done.stdout.strip().splitlines()[-1] if done.stdout.strip() else done.stderr[-2000:])
    with app.app_context():
        routes = db.session.scalar(select(func.count()).select_from(RoutePlan))
        stops = db.session.scalar(select(func.sum(func.json_array_length(RoutePlan.stops))))
    print(
        f"team plan: {args.reps} reps, wall {wall:.1f} s, CPU {cpu:.1f} s "
        f"(= {cpu / wall:.2f} cores busy on average), {routes} routes stored, {stops} stops"
    )
    print(
        f"per rep: {wall / args.reps * 1000:.0f} ms wall; target: whole team under 300 s on 2 cores"
    )


if __name__ == "__main__":
    main()
