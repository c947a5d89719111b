"""Time limit against wall time for each solving entry point (the limit must hold within 10 %).

Run: python bench/time_limits.py [--data DIR] [--limits 1,2] [--sizes 40,120,300]
Prints one line per entry point and limit: limit, wall, overshoot in % of the limit. Never fails
on time (the machine is shared and noisy). Entry points:
- `solve()` in-process, workers 1 and 2, on generated days (dayroutes.make_day: break, lunch
  closures, appointments) of each size; the first call pays the helper's start and imports;
- `solve_toptw()` in-process on the same days with 3 routes;
- with --planning, `planning.plan_day()` (what `POST /api/routes/<date>/plan` and `fieldrep
  plan` run) for a seeded rep (SQLite in /tmp) with 40 and 200 due accounts, each limit;
- the CLI commands `route solve` (a generated problem JSON), `route solve-optw` and
  `route solve-toptw` (an OPTW file from DIR, if given), as subprocesses. Their wall includes
  the interpreter's start and imports, which the solver's limit does not cover: the line shows
  the start-up (`fieldrep --help` wall) separately.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from dayroutes import make_day  # noqa: E402
from optw import load_average  # noqa: E402

from routing.solver import solve  # noqa: E402
from routing.toptw import solve_toptw  # noqa: E402

FIELDREP = str(Path(sys.executable).with_name("fieldrep"))


def line(name: str, limit: float, wall: float, extra: str = "") -> None:
    over = 100.0 * (wall - limit) / limit
    print(f"{name:42} limit {limit:5.2f} s  wall {wall:6.2f} s  over {over:+6.1f} %  {extra}")


def problem_json(n: int, seed: int) -> dict:
    """A day problem in the DESIGN JSON with n stops around Munich (for `route solve`)."""
    rng = random.Random(seed)
    stops = []
    for i in range(n):
        o = rng.randint(8, 13)
        stops.append(
            {
                "id": f"a{i}",
                "lat": 48.137 + rng.gauss(0, 0.06),
                "lon": 11.575 + rng.gauss(0, 0.09),
                "service_minutes": rng.choice([20, 30, 45]),
                "value": rng.randint(1, 100),
                "windows": [[f"{o:02d}:00", f"{o + rng.randint(2, 5):02d}:00"]],
            }
        )
    return {
        "date": "2026-12-03",
        "shift": {"start": "08:00", "end": "17:30"},
        "break": {"earliest": "11:30", "latest": "13:30", "minutes": 30},
        "start": {"lat": 48.137, "lon": 11.575},
        "end": {"lat": 48.137, "lon": 11.575},
        "stops": stops,
    }


_cpu: list[float] = [0.0]


def timed_cli(args: list[str]) -> float:
    """Wall seconds of one CLI run; its CPU seconds (user + sys) go to _cpu[0]."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    t = time.perf_counter()
    subprocess.run([FIELDREP, *args], check=True, capture_output=True)
    wall = time.perf_counter() - t
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    _cpu[0] = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
    return wall


def planning_lines(limits: list[float]) -> None:
    """plan_day() wall against its time limit for a rep with 40 and 200 due accounts."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sqlalchemy import select

    import sync  # noqa: F401  (the real package, before bench/ can shadow it)
    from backend import create_app
    from backend.core.extensions import db
    from backend.routes.service import planning
    from backend.users.models import User
    from bench._seed import fresh_database, seed_reps

    for n in (40, 200):
        url = fresh_database(f"sqlite:////tmp/fieldrep_bench_limits_{n}.sqlite")
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
        day = date.today() + timedelta(days=(7 - date.today().weekday()) % 7 + 1)
        with app.app_context():
            db.create_all()
            seed_reps(1, n, touches_per_account=0)
            db.session.commit()
            settings = planning.PlanningSettings.from_config(app.config)
            for limit in limits:
                for workers in (1, 2):
                    rep = db.session.scalar(select(User))
                    t = time.perf_counter()
                    route = planning.plan_day(
                        rep, day, workers=workers, time_limit=limit, settings=settings
                    )
                    wall = time.perf_counter() - t
                    db.session.commit()
                    line(f"plan_day() n={n} workers={workers}", limit, wall,
                         f"{len(route.stops)} stops")  # fmt: skip


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--data", type=Path, default=None, help="OPTW data dir (solomon_100/)")
    ap.add_argument("--limits", default="1,2")
    ap.add_argument("--sizes", default="40,120,300")
    ap.add_argument("--planning", action="store_true", help="also time planning.plan_day()")
    args = ap.parse_args()
    limits = [float(x) for x in args.limits.split(",")]
    sizes = [int(x) for x in args.sizes.split(",")]
    print(f"load average at start: {load_average()}")
    for n in sizes:
        p = make_day(n, 1)
        for limit in limits:
            for workers in (1, 2):
                t = time.perf_counter()
                plan = solve(p, limit, workers=workers)
                line(f"solve() n={n} workers={workers}", limit, time.perf_counter() - t,
                     f"value {plan.value}")  # fmt: skip
            t = time.perf_counter()
            solve_toptw(p, 3, limit)
            line(f"solve_toptw() n={n} m=3", limit, time.perf_counter() - t)
    if args.planning:
        planning_lines(limits)
    startup = min(timed_cli(["--help"]) for _ in range(3))
    print(f"`fieldrep --help` wall (best of 3): {startup:.2f} s, CPU {_cpu[0]:.2f} s")
    with tempfile.TemporaryDirectory() as tmp:
        for n in sizes:
            f = Path(tmp) / f"day{n}.json"
            f.write_text(json.dumps(problem_json(n, n)))
            for limit in limits:
                wall = timed_cli(["route", "solve", str(f), "--time-limit", str(limit), "--json"])
                line(
                    f"fieldrep route solve n={n}",
                    limit,
                    wall,
                    f"CPU {_cpu[0]:.2f} s, with start-up",
                )
    if args.data is not None:
        optw = args.data / "solomon_100" / "r102.txt"
        for limit in limits:
            wall = timed_cli(["route", "solve-optw", str(optw), "--time-limit", str(limit)])
            line(
                "fieldrep route solve-optw r102", limit, wall, f"CPU {_cpu[0]:.2f} s, with start-up"
            )
            wall = timed_cli(
                ["route", "solve-toptw", str(optw), "--routes", "3", "--time-limit", str(limit)]
            )
            line(
                "fieldrep route solve-toptw r102 m=3",
                limit,
                wall,
                f"CPU {_cpu[0]:.2f} s, with start-up",
            )
    print(f"load average at end: {load_average()}")


if __name__ == "__main__":
    main()
