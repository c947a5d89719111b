"""Load benchmark: locust (headless, as a library) against gunicorn + PostgreSQL + Redis on loopback.

    python bench/load.py day  [--users 500] [--duration 300] [--workers 3]
    python bench/load.py sync [--users 3000] [--duration 300] [--interval 60]
    python bench/load.py team [--reps 200] [--worker-counts 1,2]

``day``: simulated reps open the app (shell, /api/me, accounts, due list), pull, log touches
(``touch.log`` pushed through sync), and now and then plan their day; one action every
``--wait-min``..``--wait-max`` s (20-40 s: the PWA syncs once a minute, docs/benchmarks.md "Load"
gives the arithmetic; the first runs used 5-15 s). Prints the CPU each part used, per-endpoint count,
failures, p50/p95/p99, and checks that the database afterwards holds exactly the seeded touches
plus those the server acknowledged as ``applied``.
``sync``: reps each sync once every ``--interval`` seconds (push one touch, pull), open loop.
``team``: 200 reps planned through RQ (``plan --all --queue``) by 1, then 2 ``fieldrep worker``
processes; wall time from enqueue to an empty queue.

Each run creates its own database (dropped afterwards) and uses Redis database 15 (flushed).
The bench server cheapens password hashing and lifts the login rate limit: thousands of logins
from one loopback address are the harness, not the load being measured. Prints figures only.
"""

from __future__ import annotations

import argparse
import itertools
import os
import subprocess
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from bench._cpu import CpuSplit  # noqa: E402

if __name__ == "__main__" and sys.argv[1:2] != ["team"]:
    import locust  # noqa: F401 - gevent patches sockets before anything opens one

BENCH_HASH = "pbkdf2:sha256:1000"
PASSWORD = "bench-password"
DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/fieldrep_bench_load"
DEFAULT_REDIS = "redis://127.0.0.1:6379/15"


def _seed(url: str, reps: int, accounts: int) -> None:
    from backend import create_app
    from backend.core.extensions import db
    from bench._seed import fresh_database, seed_reps

    fresh_database(url)
    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": BENCH_HASH})
    with app.app_context():
        from flask_migrate import upgrade

        upgrade()
        seed_reps(reps, accounts, touches_per_account=1)
        db.session.commit()
        db.engine.dispose()
    _analyze(url)


def _analyze(url: str) -> None:
    """Give the planner statistics, as autovacuum would a minute after a bulk load.

    Without them PostgreSQL guessed one row per table and read the due list's touches through
    ``ix_touches_date_account_type`` (date first): 29 ms per due list instead of 0.4 ms.
    """
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text("ANALYZE"))
    engine.dispose()


def _touch_count(url: str) -> int:
    from sqlalchemy import create_engine, text

    engine = create_engine(url.replace("postgresql://", "postgresql+psycopg://", 1))
    with engine.connect() as conn:
        n = conn.execute(text("SELECT count(*) FROM touches")).scalar_one()
    engine.dispose()
    return n


def _server(url: str, redis_url: str, workers: int, threads: int, solver_workers: int):
    from tests.backend.sync.server import Server

    return Server(
        url,
        workers=workers,
        threads=threads,
        env={
            "REDIS_URL": redis_url,
            "FIELDREP_SYNC_PRUNE_IN_PROCESS": "false",
            # A plan in a web request solves on one core, leaving the other to the requests.
            "FIELDREP_ROUTE_SOLVER_WORKERS": str(solver_workers),
            # Clients here talk to gunicorn directly and idle 5-60 s between requests: keep their
            # connections open as nginx's upstream keepalive would (gunicorn's default is 2 s,
            # after which a reused connection is reset under the client).
            "GUNICORN_CMD_ARGS": "--keep-alive 75 --worker-connections 2000",
        },
        PASSWORD_HASH_METHOD=BENCH_HASH,
        LOGIN_RATE_LIMIT="1000000 per minute",
    ).start()


def _flush(redis_url: str) -> None:
    from redis import Redis

    Redis.from_url(redis_url).flushdb()


def _users(scenario: str, n_reps: int, args, counters: dict, pending: dict):
    """The locust user class for ``scenario`` (built here: locust patches sockets on import)."""
    from locust import HttpUser, between, constant_pacing, task

    from sync import CURRENT_SCHEMA_VERSION

    numbers = itertools.count()
    today = datetime.now(UTC).date().isoformat()

    class Rep(HttpUser):
        abstract = True

        def on_start(self):
            self.n = next(numbers) % n_reps
            r = self.client.post(
                "/api/auth/login",
                json={"email": f"rep{self.n}@bench.local", "password": PASSWORD},
                name="POST /api/auth/login",
            )
            self.client.headers["X-CSRF-Token"] = r.json()["csrf_token"]
            self.device = str(uuid.uuid4())
            self.mid = 0
            self.outbox, self.sent = None, False
            self.cursor = ""
            accounts = self.client.get(
                "/api/accounts?page_size=50", name="GET /api/accounts"
            ).json()
            self.accounts = [a["id"] for a in accounts]

        def pull(self):
            query = {"limit": 200, "schema_version": CURRENT_SCHEMA_VERSION}
            if self.cursor:
                query["cursor"] = self.cursor
            r = self.client.get("/api/sync/pull", params=query, name="GET /api/sync/pull")
            if r.ok:
                self.cursor = r.json()["cursor"]

        def log_touch(self):
            """Push one touch.log; like the PWA's outbox, resend it until the server answers."""
            if self.outbox is None:
                self.mid += 1
                args = {
                    "id": str(uuid.uuid4()),
                    "account_id": self.accounts[self.mid % len(self.accounts)],
                    "type": "visit",
                    "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
                    "outcome": "positive",
                    "notes": "load test",
                    "next_step": None,
                    "duration_minutes": 20,
                    "checkin": None,
                }
                self.outbox = {
                    "client_id": self.device,
                    "schema_version": CURRENT_SCHEMA_VERSION,
                    "mutations": [
                        {"id": str(uuid.uuid4()), "mutation_id": self.mid, "name": "touch.log",
                         "args": args}
                    ],
                }  # fmt: skip
            resend = self.sent
            self.sent = True
            pending[self.device] = (self.client, self.outbox)
            with self.client.post(
                "/api/sync/push", json=self.outbox, name="POST /api/sync/push",
                catch_response=True,
            ) as r:  # fmt: skip
                if not r.ok:
                    r.failure(f"HTTP {r.status_code}")
                    return
                status = r.json()["results"][0]["status"]
                # A resend answered "duplicate" was applied by the attempt whose answer was lost.
                if status == "applied" or (resend and status == "duplicate"):
                    counters["applied"] += 1
                    self.outbox, self.sent = None, False
                    pending.pop(self.device, None)
                else:
                    r.failure(f"mutation {status}")

    interval, plan_share = args.interval, args.plan_share

    class DayRep(Rep):
        wait_time = between(args.wait_min, args.wait_max)

        def on_start(self):
            super().on_start()
            self.open_app()
            self.pull()
            if (self.n % 100) < plan_share * 100:
                self.plan()

        @task(2)
        def open_app(self):
            self.client.get("/", name="GET / (app shell)")
            self.client.get("/api/me", name="GET /api/me")
            self.client.get("/api/cadence/due", name="GET /api/cadence/due")

        @task(4)
        def pull_task(self):
            self.pull()

        @task(4)
        def touch_task(self):
            self.log_touch()

        def plan(self):
            self.client.post(f"/api/routes/{today}/plan", json={}, name="POST /api/routes/<d>/plan")

    class SyncRep(Rep):
        wait_time = constant_pacing(interval)

        @task
        def sync_once(self):
            self.log_touch()
            self.pull()

    return DayRep if scenario == "day" else SyncRep


def _run_locust(user_class, host: str, users: int, spawn_rate: float, duration: float):
    import gevent
    from locust.env import Environment

    env = Environment(user_classes=[user_class], host=host)
    runner = env.create_local_runner()
    runner.start(users, spawn_rate=spawn_rate)
    gevent.spawn_later(duration, runner.quit)
    runner.greenlet.join()
    return env.stats


def _report(stats, wall: float) -> None:
    print(f"{'endpoint':<32} {'requests':>8} {'fail':>5} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7}")
    for entry in sorted(stats.entries.values(), key=lambda e: e.name):
        print(
            f"{entry.name:<32} {entry.num_requests:>8} {entry.num_failures:>5} "
            f"{entry.get_response_time_percentile(0.5):>7.0f} "
            f"{entry.get_response_time_percentile(0.95):>7.0f} "
            f"{entry.get_response_time_percentile(0.99):>7.0f}"
        )
    total = stats.total
    print(
        f"total: {total.num_requests} requests in {wall:.0f} s ({total.num_requests / wall:.1f}/s), "
        f"{total.num_failures} failures ({100 * total.num_failures / max(1, total.num_requests):.2f} %), "
        f"p95 {total.get_response_time_percentile(0.95):.0f} ms"
    )
    for error in stats.errors.values():
        print(f"error x{error.occurrences}: {error.method} {error.name}: {error.error}")


def load(args) -> None:
    """The ``day`` and ``sync`` scenarios."""
    import requests

    reps = args.users
    _seed(args.database_url, reps, args.accounts)
    _flush(args.redis_url)
    before = _touch_count(args.database_url)
    server = _server(
        args.database_url, args.redis_url, args.workers, args.threads, args.solver_workers
    )
    counters = {"applied": 0}
    try:
        pending: dict = {}
        user_class = _users(args.scenario, reps, args, counters, pending)
        cpu = CpuSplit(server.proc.pid)
        t0 = time.perf_counter()
        stats = _run_locust(user_class, server.url, args.users, args.spawn_rate, args.duration)
        wall = time.perf_counter() - t0
        split = cpu.done(wall)
        # The run's end cuts pushes in flight: as the PWA's outbox would, send each unanswered
        # one again until answered (a duplicate means the cut attempt was applied).
        flushed = 0
        time.sleep(5)  # let requests still queued in the server finish first
        for session, body in list(pending.values()):
            try:
                r = requests.post(
                    server.url + "/api/sync/push", json=body, timeout=300,
                    cookies=session.cookies, headers=dict(session.headers),
                )  # fmt: skip
            except requests.RequestException as err:
                print(f"outbox flush: {err}")
                continue
            if r.ok and r.json()["results"][0]["status"] in ("applied", "duplicate"):
                counters["applied"] += 1
                flushed += 1
        print(f"outbox flush after the run: {flushed} of {len(pending)} unanswered pushes resent")
    finally:
        server.stop()
    wait = f", wait {args.wait_min:g}-{args.wait_max:g} s" if args.scenario == "day" else ""
    print(
        f"scenario {args.scenario}: {args.users} reps, {args.duration:.0f} s, spawn "
        f"{args.spawn_rate}/s{wait}, {args.workers} gunicorn workers x {args.threads} threads, "
        f"load average {os.getloadavg()[0]:.1f}"
    )
    print(f"CPU during the run (cores busy on average): {split}")
    _report(stats, wall)
    after = _touch_count(args.database_url)
    verdict = "exactly" if after - before == counters["applied"] else "MISMATCH:"
    print(
        f"touches: {after - before} new rows in the database, {counters['applied']} acknowledged "
        f"applied ({verdict} the touches logged)"
    )


def team(args) -> None:
    """Team planning through RQ with 1 and then 2 worker processes."""
    _seed(args.database_url, args.reps, args.accounts)
    env = dict(
        os.environ, DATABASE_URL=args.database_url, REDIS_URL=args.redis_url,
        FIELDREP_SYNC_PRUNE_IN_PROCESS="false",
    )  # fmt: skip
    day = (date.today() + timedelta(days=1)).isoformat()
    fieldrep = [sys.executable, "-m", "backend"]
    for count in [int(c) for c in args.worker_counts.split(",")]:
        _flush(args.redis_url)
        subprocess.run(
            [*fieldrep, "plan", "--date", day, "--all", "--queue"]
            + (["--time-limit", str(args.time_limit)] if args.time_limit else []),
            env=env, check=True, capture_output=True, cwd=ROOT,
        )  # fmt: skip
        t0 = time.perf_counter()
        workers = [
            subprocess.Popen(
                [*fieldrep, "worker", "--burst", "--name", f"bench-{count}-{n}"],
                env=env,
                cwd=ROOT,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )  # fmt: skip
            for n in range(count)
        ]
        for w in workers:
            w.wait()
        wall = time.perf_counter() - t0
        print(
            f"team plan via RQ: {args.reps} reps, {count} worker(s): {wall:.1f} s wall "
            f"({wall / args.reps * 1000:.0f} ms per rep), load average {os.getloadavg()[0]:.1f}"
        )


def main() -> None:
    """Parse, run, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("scenario", choices=("day", "sync", "team"))
    parser.add_argument("--users", type=int, default=None)
    parser.add_argument("--duration", type=float, default=300)
    parser.add_argument("--spawn-rate", type=float, default=None)
    parser.add_argument("--interval", type=float, default=60.0, help="sync: seconds between syncs")
    parser.add_argument("--plan-share", type=float, default=0.2, help="day: reps who plan")
    parser.add_argument("--wait-min", type=float, default=20.0, help="day: s between actions")
    parser.add_argument("--wait-max", type=float, default=40.0, help="day: s between actions")
    parser.add_argument(
        "--solver-workers", type=int, default=1, help="CP-SAT threads per plan in a request"
    )
    parser.add_argument("--accounts", type=int, default=None, help="accounts per rep")
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers")
    parser.add_argument(
        "--threads", type=int, default=4, help="threads per worker (a plan must not block sync)"
    )
    parser.add_argument("--reps", type=int, default=200, help="team: reps to plan")
    parser.add_argument("--worker-counts", default="1,2", help="team: RQ workers per run")
    parser.add_argument("--time-limit", type=float, default=None, help="team: solver s per rep")
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--redis-url", default=DEFAULT_REDIS)
    args = parser.parse_args()
    if args.scenario == "team":
        args.accounts = args.accounts or 300
        team(args)
        return
    args.users = args.users or (500 if args.scenario == "day" else 3000)
    args.accounts = args.accounts or (30 if args.scenario == "day" else 10)
    args.spawn_rate = args.spawn_rate or max(10.0, args.users / 60)
    load(args)


if __name__ == "__main__":
    main()
