"""Benchmark: a rep's day planned end to end through `POST /api/routes/<date>/plan`.

    python bench/plan_api.py [--candidates 40] [--runs 15] [--database-url URL]

A real HTTP server on 127.0.0.1 (werkzeug, threaded) serves the app; a rep with exactly
`--candidates` due accounts (lunch closures, a 30-min break, two appointments) plans the same
day `--runs` times over HTTP. Then VROOM and PyVRP solve the identical problem (built by the
same planning service) with the same time our solver had; every plan is checked by our
feasibility rules. Prints figures only.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import threading
import time
from datetime import date, timedelta
from pathlib import Path

# The repository first: bench/ (the script's own folder) holds modules named like packages.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import requests  # noqa: E402
from sqlalchemy import select  # noqa: E402
from werkzeug.serving import make_server  # noqa: E402

import sync  # noqa: E402, F401  (the real package, before bench/ can shadow it)
from backend import create_app  # noqa: E402
from backend.accounts.models import Account  # noqa: E402
from backend.core.extensions import db  # noqa: E402
from backend.routes.models import Appointment  # noqa: E402
from backend.routes.service import planning  # noqa: E402
from backend.users.models import User  # noqa: E402
from bench._seed import fresh_database, seed_reps  # noqa: E402
from routing.solver import warm_up  # noqa: E402


def _peers():
    """VROOM and PyVRP adapters from bench/ (loaded late: they put bench/ first on sys.path)."""
    from dayroutes import peer_value
    from optw import pyvrp_peer, vroom_peer

    return peer_value, pyvrp_peer, vroom_peer


def main() -> None:
    """Seed one rep, plan over HTTP N times, compare with the peers on the same problem."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--candidates", type=int, default=40)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--database-url", default="sqlite:////tmp/fieldrep_bench_plan.sqlite")
    args = parser.parse_args()

    url = fresh_database(args.database_url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "TESTING": False})
    day = date.today() + timedelta(days=(7 - date.today().weekday()) % 7 + 1)  # next Tuesday
    with app.app_context():
        db.create_all()
        # No touch history: every account is due, so the rep has exactly `candidates` of them.
        seed_reps(1, args.candidates, touches_per_account=0)
        rep = db.session.scalar(select(User))
        accounts = list(db.session.scalars(select(Account).order_by(Account.id)))
        for account, start in zip(accounts[:2], ("10:00", "15:00"), strict=True):
            account.opening_hours = {}
            db.session.add(
                Appointment(rep_id=rep.id, account_id=account.id, date=day, start=start, minutes=30)
            )
        db.session.commit()
        email = rep.email
    warm_up()

    import logging

    logging.getLogger("werkzeug").setLevel(logging.WARNING)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_port}"
    session = requests.Session()
    token = session.post(
        f"{base}/api/auth/login", json={"email": email, "password": "bench-password"}
    ).json()["csrf_token"]
    session.headers["X-CSRF-Token"] = token
    times, values, stops = [], [], []
    for _ in range(args.runs):
        t0 = time.perf_counter()
        response = session.post(f"{base}/api/routes/{day.isoformat()}/plan")
        times.append(time.perf_counter() - t0)
        body = response.json()
        assert response.status_code == 200, body
        values.append(body["value"])
        stops.append(len(body["stops"]))
    server.shutdown()

    peer_value, pyvrp_peer, vroom_peer = _peers()
    with app.app_context():
        rep = db.session.scalar(select(User))
        settings = planning.PlanningSettings.from_config(app.config)
        problem = planning.build_day_problem(rep, day, settings=settings).problem
        budget = planning.time_limit_for(problem, settings)
    t0 = time.perf_counter()
    vroom_seq = vroom_peer(problem)
    vroom_time = time.perf_counter() - t0
    pyvrp_seq = pyvrp_peer(problem, budget)
    vroom, pyvrp = peer_value(problem, vroom_seq), peer_value(problem, pyvrp_seq)
    median = statistics.median(times)
    print(
        f"candidates: {problem.n} ({sum(s.required for s in problem.stops)} appointments), break, lunch closures"
    )
    print(
        f"POST /api/routes/<date>/plan over HTTP, {args.runs} runs: median {median * 1000:.0f} ms, "
        f"p90 {sorted(times)[int(0.9 * len(times)) - 1] * 1000:.0f} ms, min {min(times) * 1000:.0f} ms "
        f"(solver budget {budget:.2f} s); target < 1000 ms median"
    )
    print(
        f"ours: value median {statistics.median(values):.0f} (min {min(values)}, max {max(values)}), "
        f"stops median {statistics.median(stops):.0f}"
    )
    print(f"VROOM (same problem, {vroom_time:.2f} s): {_verdict(problem, vroom, vroom_seq)}")
    print(f"PyVRP (same problem, {budget:.2f} s): {_verdict(problem, pyvrp, pyvrp_seq)}")


def _verdict(problem, value, seq) -> str:
    """The peer's value, or why its plan breaks our rules."""
    from routing.schedule import simulate

    if value is not None:
        return f"value {value}"
    missing = [s.id for i, s in enumerate(problem.stops) if s.required and i not in seq]
    if missing:
        return f"infeasible: misses appointment(s) {', '.join(missing)}"
    if simulate(problem, seq) is None:
        return "infeasible: its order cannot keep the windows once the lunch break is placed"
    return "infeasible under our feasibility check"


if __name__ == "__main__":
    main()
