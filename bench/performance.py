"""Benchmark: the performance report on 50,000 accounts, 200,000 opportunities, 1,000,000 touches.

    python bench/performance.py --database-url postgresql://postgres@127.0.0.1:5432/fieldrep_bench

The database is EMPTIED and refilled: the users, accounts and touches of bench/compliance.py
(10 territories with a manager each, 200 reps, touches June to November 2026), plus seeded
opportunities (four an account, created over the twelve months to November 2026; about half
closed, won or lost) and account status history (every account a lead once, 40 % customers
later), loaded with COPY. Then ``GET /api/reports/performance`` for 2026-Q3 is timed for a
manager (one territory) and for the admin (the whole company), grouped by territory and by rep,
through the service function (wall and CPU time: this process plus its PostgreSQL backends, the
report's second connection included) and
over HTTP with the Flask test client. Prints figures only; there is no pass/fail.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from compliance import _backend_cpu, _stats, build  # noqa: E402
from sqlalchemy import text  # noqa: E402

from backend import create_app  # noqa: E402
from backend.core.extensions import db  # noqa: E402
from backend.pipeline.service.performance import performance_report  # noqa: E402
from backend.users.models import User  # noqa: E402

PASSWORD = "bench-password"
START = datetime(2025, 12, 1, 9, tzinfo=UTC)
DAYS = 365
OPP_COLUMNS = (
    "account_id",
    "owner_id",
    "name",
    "stage",
    "amount",
    "currency",
    "created_at",
    "updated_at",
    "closed_at",
    "version",
)
OPEN = ("lead", "qualified", "proposal", "negotiation")


def load_pipeline(app, per_account: int, seed: int = 11) -> dict:
    """COPY opportunities and account status history for every account."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with app.app_context():
        owners = db.session.execute(text("SELECT id, owner_id FROM accounts ORDER BY id")).all()
        raw = db.engine.raw_connection()
        try:
            with raw.cursor() as cur:
                with cur.copy(f"COPY opportunities ({', '.join(OPP_COLUMNS)}) FROM STDIN") as copy:
                    for account_id, owner_id in owners:
                        for n in range(per_account):
                            created = START + timedelta(days=rng.randrange(DAYS - 30))
                            closed = created + timedelta(days=rng.randint(7, 150))
                            if closed > START + timedelta(days=DAYS) or rng.random() < 0.3:
                                stage, closed = rng.choice(OPEN), None
                            else:
                                stage = "won" if rng.random() < 0.45 else "lost"
                            copy.write_row(
                                (
                                    account_id,
                                    owner_id,
                                    f"Deal {account_id}-{n}",
                                    stage,
                                    round(rng.uniform(500, 50_000), -1),
                                    "EUR",
                                    created,
                                    created,
                                    closed,
                                    1,
                                )
                            )
                columns = "account_id, from_status, to_status, at"
                with cur.copy(f"COPY account_status_history ({columns}) FROM STDIN") as copy:
                    for account_id, _ in owners:
                        lead_at = START + timedelta(days=rng.randrange(DAYS))
                        copy.write_row((account_id, None, "lead", lead_at))
                        if rng.random() < 0.4:
                            won_at = lead_at + timedelta(days=rng.randint(10, 120))
                            copy.write_row((account_id, "lead", "customer", won_at))
            raw.commit()
        finally:
            raw.close()
        with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE opportunities"))
            conn.execute(text("VACUUM ANALYZE account_status_history"))
        count = db.session.scalar(text("SELECT count(*) FROM opportunities"))
    return {"load_seconds": time.perf_counter() - started, "opportunities": count}


APP_NAME = "fieldrep-bench-performance"


def _pids() -> list[int]:
    """PostgreSQL backend pids of this benchmark's connections (the pool's, by application name)."""
    return list(
        db.session.scalars(
            text("SELECT pid FROM pg_stat_activity WHERE application_name = :n"), {"n": APP_NAME}
        )
    )


def measure(app, runs: int, period: str, today: date) -> None:
    """Median wall and CPU time of the report for a manager and the admin, both groupings."""
    for who in ("manager0@bench.example", "admin@bench.example"):
        for group_by in ("territory", "rep"):
            with app.app_context():
                actor = db.session.execute(db.select(User).where(User.email == who)).scalar_one()
                samples, cpu = [], []
                for _ in range(runs + 1):
                    # Every backend of this process: the report's second connection counts too.
                    pids = _pids()
                    b0 = {p: _backend_cpu(p) or 0.0 for p in pids}
                    c0, t0 = time.process_time(), time.perf_counter()
                    report = performance_report(actor, period, group_by, today=today)
                    samples.append(time.perf_counter() - t0)
                    backend = sum((_backend_cpu(p) or 0.0) - b0.get(p, 0.0) for p in _pids())
                    cpu.append(backend + time.process_time() - c0)
                    db.session.rollback()
                team = report["team"]
                label = f"{who} by {group_by}"
                print(
                    f"  service {label:<36} {_stats(samples[1:])}   rows {len(report['rows'])}, "
                    f"opps {team['opportunities']}, win rate {team['win_rate']} %, "
                    f"flags {len(report['flags'])}"
                )
                print(f"  cpu     {label:<36} {_stats(cpu[1:])}")
            client = app.test_client()
            login = client.post("/api/auth/login", json={"email": who, "password": PASSWORD})
            assert login.status_code == 200, login.get_json()
            url = f"/api/reports/performance?period={period}&group_by={group_by}"
            samples = []
            for _ in range(runs + 1):
                t0 = time.perf_counter()
                with app.app_context():
                    response = client.get(url)
                samples.append(time.perf_counter() - t0)
                assert response.status_code == 200, response.get_json()
            print(f"  http    {label:<36} {_stats(samples[1:])}")


def main() -> None:
    """Parse options, build the database, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("FIELDREP_BENCH_DATABASE_URL"))
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--per-account", type=int, default=4, help="Opportunities per account.")
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--period", default="2026-Q3")
    parser.add_argument("--today", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--skip-load", action="store_true", help="Reuse the data already there.")
    parser.add_argument(
        "--serial",
        action="store_true",
        help="No parallel query workers (max_parallel_workers_per_gather=0), so the CPU "
        "figure counts all the database's work: a parallel worker's CPU is not the backend's.",
    )
    args = parser.parse_args()
    if not args.database_url or not args.database_url.startswith("postgresql"):
        parser.error("give --database-url postgresql://... (COPY needs PostgreSQL)")
    config = {"SQLALCHEMY_DATABASE_URI": args.database_url, "RATELIMIT_ENABLED": False}
    connect: dict = {"application_name": APP_NAME}
    if args.serial:
        connect["options"] = "-c max_parallel_workers_per_gather=0"
    config["SQLALCHEMY_ENGINE_OPTIONS"] = {"connect_args": connect}
    app = create_app(config)
    print(
        f"performance report {args.period}; {args.accounts} accounts, {args.reps} reps, "
        f"{args.accounts * args.per_account} opportunities, {args.touches} touches"
        + ("; serial plans" if args.serial else "")
    )
    if not args.skip_load:
        loaded = build(app, args.accounts, args.reps, args.touches)
        pipeline = load_pipeline(app, args.per_account)
        print(
            f"PostgreSQL: loaded in {loaded['load_seconds'] + pipeline['load_seconds']:.1f} s "
            f"({pipeline['opportunities']} opportunities)"
        )
    measure(app, args.runs, args.period, args.today)
    with app.app_context():
        db.engine.dispose()


if __name__ == "__main__":
    main()
