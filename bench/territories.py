"""Territory balancing: CP-SAT proposal vs the greedy baseline, side by side in one run.

    .venv/bin/python bench/territories.py [--seed 7] [--quick]

Synthetic, seeded teams around Munich: reps' homes on a ring, each rep owning 100-300 accounts
scattered around home (tiers 15 % A, 35 % B, 50 % C, minutes from the default cadence plan),
so the team starts unbalanced. For 10, 20 and 50 reps it prints the parity each method reaches
and the accounts it moves (both aim at parity <= 5 %), then the CP-SAT time for 2,000 accounts
and 20 reps. Figures go to docs/benchmarks.md ("Territories"); no pass/fail on time.
"""

from __future__ import annotations

import argparse
import math
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from backend.territories.rebalance import Account, Rep, TravelModel, greedy, propose  # noqa: E402

CENTER = (48.137, 11.575)
# Service minutes and visits a month per tier under the default plan (visit 45/30/20 minutes,
# calls 10 and emails 5 minutes: A 2+2+4, B 1+2+2, C a visit a quarter + 1 call + 1 email).
TIERS = {
    "A": (2 * 45 + 2 * 10 + 4 * 5, 2.0),
    "B": (30 + 2 * 10 + 2 * 5, 1.0),
    "C": (20 / 3 + 15, 1 / 3),
}


def synthetic_team(n_reps: int, low: int, high: int, seed: int, lock_share: float = 0.05):
    """``(reps, accounts)``: homes on a ring of 25 km, accounts within ~12 km of their owner."""
    rng = random.Random(seed)
    reps, accounts = [], []
    next_id = 1
    for r in range(n_reps):
        angle = 2 * math.pi * r / n_reps
        lat = CENTER[0] + 0.22 * math.sin(angle)
        lon = CENTER[1] + 0.33 * math.cos(angle)
        reps.append(Rep(id=r + 1, lat=lat, lon=lon, name=f"rep {r + 1}"))
        for _ in range(rng.randint(low, high)):
            tier = rng.choices("ABC", weights=(15, 35, 50))[0]
            minutes, visits = TIERS[tier]
            accounts.append(
                Account(
                    id=next_id,
                    owner_id=r + 1,
                    lat=lat + rng.gauss(0, 0.06),
                    lon=lon + rng.gauss(0, 0.09),
                    service_minutes=minutes,
                    visits=visits,
                    movable=rng.random() >= lock_share,
                )
            )
            next_id += 1
    return reps, accounts


def routed_travel_minutes(rep: Rep, accounts: list[Account], model: TravelModel) -> float:
    """The month's driving when the visits are really routed: the yardstick of the estimate.

    Each account gets its visits (fractional ones, e.g. a quarterly C visit, on every third
    account), the visits are cut into days of ``visits_per_day`` by sweeping around the rep's
    home, and each day is solved by the routing module from home to home.
    """
    from routing import Location, Problem, Stop, geodesic_matrix, solve

    visits = []
    for a in accounts:
        count = int(a.visits) + (
            1 if (a.visits % 1) and a.id % round(1 / (a.visits % 1)) == 0 else 0
        )
        visits += [a] * count
    visits.sort(key=lambda a: math.atan2(a.lat - rep.lat, a.lon - rep.lon))
    per_day = int(model.visits_per_day)
    seconds = 0
    home = Location(rep.lat, rep.lon)
    for d in range(0, len(visits), per_day):
        day = visits[d : d + per_day]
        stops = tuple(
            Stop(f"{a.id}-{i}", Location(a.lat, a.lon), 1800, 1, ((8 * 3600, 18 * 3600),), True)
            for i, a in enumerate(day)
        )
        points = [home, *(s.location for s in stops), home]
        matrix = geodesic_matrix(points, model.speed_kmh, model.circuity)
        problem = Problem(
            8 * 3600, 20 * 3600, home, home, stops, matrix.durations, matrix.distances
        )
        seconds += solve(problem, time_limit_s=0.2, workers=1).travel_seconds
    return seconds / 60


def estimate_section(seed: int) -> None:
    """The linear travel estimate against routed days, for three reps of a synthetic team."""
    from backend.territories.rebalance import costs

    model = TravelModel()
    reps, accounts = synthetic_team(10, 100, 300, seed)
    c = costs(reps, accounts, model)
    print("\nTravel estimate vs routed days (one month, minutes):")
    for r, rep in enumerate(reps[:3]):
        own = [a for a in accounts if a.owner_id == rep.id]
        estimate = sum(c.travel[i, r] for i, a in enumerate(accounts) if a.owner_id == rep.id)
        routed = routed_travel_minutes(rep, own, model)
        print(
            f"  rep {rep.id}: {len(own)} accounts, estimate {estimate:.0f}, routed {routed:.0f} "
            f"(estimate / routed {estimate / routed:.2f})"
        )


def server_section(database_url: str | None, time_limit: float) -> None:
    """Server time of a proposal and its apply for 2,000 accounts x 20 reps, through the DB."""
    import tempfile

    from sqlalchemy import text

    from backend import create_app
    from backend.core.extensions import db
    from backend.territories import proposals, workload
    from backend.users.models import User
    from bench._seed import fresh_database, seed_reps

    tmp = tempfile.mkdtemp(prefix="bench-territories-")
    url = fresh_database(database_url or f"sqlite:///{tmp}/bench.sqlite")
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
    with app.app_context():
        db.create_all()
        rep_ids = seed_reps(20, 100, touches_per_account=0, seed=7)
        db.session.execute(
            text("UPDATE accounts SET owner_id = :a WHERE owner_id = :b AND id % 2 = 0"),
            {"a": rep_ids[0], "b": rep_ids[1]},
        )
        admin = User(email="admin@bench.local", name="Admin", password_hash="x", role="admin")
        db.session.add(admin)
        db.session.commit()
        settings = workload.Settings.from_config(app.config)
        settings = workload.Settings(**{**settings.__dict__, "time_limit_s": time_limit})
        started = time.perf_counter()
        report = workload.report(admin, None, "2026-12", settings)
        report_s = time.perf_counter() - started
        started = time.perf_counter()
        proposal = proposals.create_proposal(admin, {"period": "2026-12"}, settings)
        db.session.commit()
        propose_s = time.perf_counter() - started
        started = time.perf_counter()
        proposals.apply_proposal(admin, proposal.id)
        db.session.commit()
        apply_s = time.perf_counter() - started
        engine = url.split(":", 1)[0]
        print(
            f"\nServer time, 2,000 accounts x 20 reps on {engine}: workload report "
            f"{report_s:.2f} s; proposal {propose_s:.2f} s (parity {report['team']['parity']:.3f}"
            f" -> {proposal.after['parity']:.3f}, {len(proposal.moves)} moves); apply "
            f"{apply_s:.2f} s"
        )
        db.session.remove()
        db.engine.dispose()


def departure_section() -> None:
    """HOOK for H3's departure benchmark: bench/territories_departure.py with a ``run()``."""
    try:
        from bench import territories_departure  # type: ignore[attr-defined]
    except ImportError:
        print("\n(departure benchmark: bench/territories_departure.py not present)")
        return
    territories_departure.run()


def main() -> None:
    """Print the comparison table and the 2,000 x 20 timing."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--time-limit", type=float, default=8.0)
    parser.add_argument("--quick", action="store_true", help="10 and 20 reps only")
    parser.add_argument(
        "--database-url", default=None, help="for the server-time section (default: SQLite)"
    )
    args = parser.parse_args()
    model = TravelModel()
    print(
        f"{'reps':>5} {'accounts':>8} {'parity0':>8} | {'greedy parity':>13} {'moves':>6} "
        f"| {'cp-sat parity':>13} {'moves':>6} {'status':>8} {'s':>6}"
    )
    for n_reps in (10, 20) if args.quick else (10, 20, 50):
        reps, accounts = synthetic_team(n_reps, 100, 300, args.seed)
        g = greedy(reps, accounts, model, target_parity=0.05)
        p = propose(reps, accounts, model, target_parity=0.05, time_limit_s=args.time_limit)
        print(
            f"{n_reps:>5} {len(accounts):>8} {p['before']['parity']:>8.3f} "
            f"{p['travel_before']:>8.0f} | {g['after']['parity']:>13.3f} {len(g['moves']):>6} "
            f"{g['travel_after']:>7.0f} | {p['after']['parity']:>13.3f} {len(p['moves']):>6} "
            f"{p['travel_after']:>7.0f} {p['status']:>8} "
            f"{p['seconds']:>6.2f}"
        )
    reps, accounts = synthetic_team(20, 100, 100, args.seed)
    # 2,000 accounts x 20 reps, unbalanced: half of rep 2's accounts go to rep 1, its neighbour.
    accounts = [
        a if a.owner_id != 2 or a.id % 2 else Account(**{**a.__dict__, "owner_id": 1})
        for a in accounts
    ]
    started = time.perf_counter()
    p = propose(reps, accounts, model, target_parity=0.05, time_limit_s=args.time_limit)
    wall = time.perf_counter() - started
    print(
        f"\nCP-SAT 2,000 accounts x 20 reps: {wall:.2f} s wall (solver {p['seconds']:.2f} s), "
        f"parity {p['before']['parity']:.3f} -> {p['after']['parity']:.3f}, "
        f"{len(p['moves'])} moves, {p['status']}"
    )
    server_section(args.database_url, args.time_limit)
    if not args.quick:
        estimate_section(args.seed)
    departure_section()


if __name__ == "__main__":
    main()
