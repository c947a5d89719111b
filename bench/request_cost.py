"""What one request costs the server, endpoint by endpoint, with no load and no network.

    python bench/request_cost.py [--database-url URL] [--reps 500] [--accounts 30] [--runs 30]
                                 [--no-analyze]

Seeds the ``day`` scenario's data (bench/load.py) into its own database, logs one rep in through
Flask's test client and calls each endpoint of that scenario ``--runs`` times in a row. Prints, per
request: wall ms, CPU ms of this process (the app's Python: what a gunicorn worker spends) and SQL
statements sent. ``--no-analyze`` skips the ANALYZE after seeding (the planner then has no
statistics, as in the minute before autovacuum's first visit). Prints figures only.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

DEFAULT_DB = "postgresql://postgres@127.0.0.1:5432/fieldrep_bench_cost"


def push_body(device: str, mutation_id: int, account_id: int) -> dict:
    """A sync push of one logged visit, as the PWA's outbox sends it."""
    from sync import CURRENT_SCHEMA_VERSION

    touch = {
        "id": str(uuid.uuid4()), "account_id": account_id, "type": "visit",
        "occurred_at": (datetime.now(UTC) - timedelta(minutes=1)).isoformat(),
        "outcome": "positive", "notes": "cost", "next_step": None, "duration_minutes": 20,
        "checkin": None,
    }  # fmt: skip
    return {
        "client_id": device, "schema_version": CURRENT_SCHEMA_VERSION,
        "mutations": [{"id": str(uuid.uuid4()), "mutation_id": mutation_id,
                       "name": "touch.log", "args": touch}],
    }  # fmt: skip


def _client(url: str):
    from sqlalchemy import event

    from backend import create_app
    from backend.core.extensions import db
    from bench.load import BENCH_HASH

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": url,
            "PASSWORD_HASH_METHOD": BENCH_HASH,
            "LOGIN_RATE_LIMIT": "1000000 per minute",
        }
    )
    statements: list[str] = []
    with app.app_context():
        event.listen(
            db.engine, "before_cursor_execute", lambda *a: statements.append(a[2]), named=False
        )
    return app.test_client(), statements


def _endpoints(client) -> dict:
    """name -> callable making one request (asserting it succeeded)."""
    from bench.load import PASSWORD
    from sync import CURRENT_SCHEMA_VERSION

    login = {"email": "rep3@bench.local", "password": PASSWORD}
    csrf = client.post("/api/auth/login", json=login).get_json()["csrf_token"]
    accounts = [a["id"] for a in client.get("/api/accounts?page_size=50").get_json()]
    device, state = str(uuid.uuid4()), {"mid": 0, "cursor": ""}

    def ok(response, status: int = 200):
        assert response.status_code == status, (response.status_code, response.get_data()[:200])
        return response

    def push():
        state["mid"] += 1
        body = push_body(device, state["mid"], accounts[state["mid"] % len(accounts)])
        r = ok(client.post("/api/sync/push", json=body, headers={"X-CSRF-Token": csrf}))
        assert r.get_json()["results"][0]["status"] == "applied"

    def pull(incremental: bool):
        def call():
            query = {"limit": 200, "schema_version": CURRENT_SCHEMA_VERSION}
            if incremental and state["cursor"]:
                query["cursor"] = state["cursor"]
            state["cursor"] = ok(client.get("/api/sync/pull", query_string=query)).get_json()[
                "cursor"
            ]

        return call

    def get(path: str):
        return lambda: ok(client.get(path))

    return {
        "POST /api/auth/login": lambda: ok(client.post("/api/auth/login", json=login)),
        "GET / (app shell)": get("/"),
        "GET /api/me": get("/api/me"),
        "GET /api/cadence/due": get("/api/cadence/due"),
        "GET /api/accounts": get("/api/accounts?page_size=50"),
        "GET /api/sync/pull (from empty)": pull(False),
        "GET /api/sync/pull (next)": pull(True),
        "POST /api/sync/push (1 touch)": push,
        # What a phone's sync does (bench/load.py sync): the pull after a push ends with the
        # rep's due list, which the push changed.
        "push + pull (one sync)": lambda: (push(), pull(True)()),
    }


def main() -> None:
    """Parse, seed, measure, print."""
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawTextHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_DB)
    parser.add_argument("--reps", type=int, default=500)
    parser.add_argument("--accounts", type=int, default=30)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--no-analyze", action="store_true")
    args = parser.parse_args()
    from bench import load

    if args.no_analyze:
        load._analyze = lambda url: None  # the seed's ANALYZE step, left out on purpose
    load._seed(args.database_url, args.reps, args.accounts)
    client, statements = _client(args.database_url)
    print(f"{'request':<34} {'wall ms':>8} {'cpu ms':>7} {'SQL':>5}")
    for name, call in _endpoints(client).items():
        call()  # warm: compiled statements, prepared plans
        statements.clear()
        t0, c0 = time.perf_counter(), time.process_time()
        for _ in range(args.runs):
            call()
        wall = (time.perf_counter() - t0) / args.runs * 1000
        cpu = (time.process_time() - c0) / args.runs * 1000
        print(f"{name:<34} {wall:>8.1f} {cpu:>7.1f} {len(statements) / args.runs:>5.1f}")
    print(
        f"load average {os.getloadavg()[0]:.1f}, {'no ANALYZE' if args.no_analyze else 'ANALYZE'}"
    )


if __name__ == "__main__":
    main()
