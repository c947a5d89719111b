"""Offline-sync benchmark: a real gunicorn server on PostgreSQL, pushes and pulls over HTTP.

    python bench/sync_load.py [--duration 60] [--clients 50] [--workers 3] [--threads 1]

The default server is 3 sync gunicorn workers (one request at a time each): on 2 cores it beat
4 workers x 4 threads and 2 x 8 (gthread), where threads of one worker share its GIL, and 2 or 4
sync workers (docs/benchmarks.md, "Offline sync").

Creates its own database (dropped afterwards), seeds reps and accounts, then measures
(a) one push of 1,000 touch.log mutations, (b) N concurrent clients pushing batches and pulling
for --duration seconds (mutations/s, p50/p95 of push and pull), (c) counts touches in the
database afterwards: every mutation a client saw acknowledged is there once, nothing twice.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import threading
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import requests
from sqlalchemy import create_engine, func, select, text

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.sync_server.server import Server, login  # noqa: E402

PASSWORD = "bench password"


def _admin_url(base: str) -> str:
    return base.rsplit("/", 1)[0] + "/postgres"


def create_database(base: str, name: str) -> str:
    """A fresh database next to ``base``; returns its URL."""
    admin = create_engine(_admin_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.rsplit("/", 1)[0] + f"/{name}"


def drop_database(base: str, name: str) -> None:
    """Remove the benchmark's database."""
    admin = create_engine(_admin_url(base), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, reps: int, accounts_per_rep: int) -> dict[str, list[int]]:
    """Tables, a territory, reps with accounts; {rep email: [account ids]}."""
    from backend import create_app
    from backend.extensions import db
    from backend.models import Account
    from backend.services import users

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    out: dict[str, list[int]] = {}
    with app.app_context():
        db.create_all()
        territory = users.create_territory(name="Bench", manager_id=None)
        for r in range(reps):
            rep = users.create_user(
                role="rep", email=f"rep{r}@bench.local", name=f"Rep {r}", password=PASSWORD,
                time_zone="Europe/Berlin", territory_ids=[territory.id],
            )  # fmt: skip
            accounts = [
                Account(
                    name=f"Account {r}-{i}",
                    lat=48.1 + i * 1e-3,
                    lon=11.5,
                    tier="B",
                    opening_hours={},
                    contacts=[],
                    owner_id=rep.id,
                    territory_id=territory.id,
                )  # fmt: skip
                for i in range(accounts_per_rep)
            ]
            db.session.add_all(accounts)
            db.session.flush()
            out[rep.email] = [a.id for a in accounts]
        db.session.commit()
        db.engine.dispose()
    return out


def touches(account_ids: list[int], start: int, n: int) -> list[dict]:
    """``n`` touch.log mutations numbered from ``start``."""
    at = (datetime.now(UTC) - timedelta(minutes=5)).isoformat()
    return [
        {
            "id": str(uuid.uuid4()),
            "mutation_id": start + i,
            "name": "touch.log",
            "args": {
                "id": str(uuid.uuid4()),
                "account_id": account_ids[(start + i) % len(account_ids)],
                "type": "visit",
                "occurred_at": at,
                "outcome": "positive",
                "notes": "",
                "duration_minutes": 20,
            },
        }
        for i in range(n)
    ]


def pct(values: list[float], q: float) -> float:
    """The q-quantile in milliseconds."""
    if not values:
        return float("nan")
    return statistics.quantiles(values, n=100, method="inclusive")[int(q * 100) - 1] * 1000


class Phone(threading.Thread):
    """One client: push a batch (its outbox), pull everything new, repeat until the deadline."""

    def __init__(self, base: str, email: str, accounts: list[int], batch: int, deadline: float):
        super().__init__(daemon=True)
        self.base, self.email, self.accounts = base, email, accounts
        self.batch, self.deadline = batch, deadline
        self.client_id = f"bench-{uuid.uuid4().hex[:8]}"
        self.push_s: list[float] = []
        self.pull_s: list[float] = []
        self.acked: list[str] = []  # touch ids the server acknowledged
        self.errors = 0

    def run(self) -> None:
        """Push and pull until the deadline; a failed push is retried as the same batch."""
        session = login(self.base, self.email, PASSWORD)
        next_id, cursor = 1, ""
        outbox: list[dict] = []
        while time.monotonic() < self.deadline:
            if not outbox:
                outbox = touches(self.accounts, next_id, self.batch)
                next_id += self.batch
            body = {"client_id": self.client_id, "schema_version": 1, "mutations": outbox}
            t0 = time.perf_counter()
            try:
                r = session.post(f"{self.base}/api/sync/push", json=body, timeout=60)
            except requests.RequestException:
                self.errors += 1
                continue
            self.push_s.append(time.perf_counter() - t0)
            if r.status_code != 200:
                self.errors += 1
                continue
            last = r.json()["last_mutation_id"]
            self.acked += [m["args"]["id"] for m in outbox if m["mutation_id"] <= last]
            outbox = [m for m in outbox if m["mutation_id"] > last]
            t0 = time.perf_counter()
            query = {"schema_version": 1, "limit": 500, **({"cursor": cursor} if cursor else {})}
            r = session.get(f"{self.base}/api/sync/pull", params=query, timeout=60)
            self.pull_s.append(time.perf_counter() - t0)
            if r.status_code == 200:
                cursor = r.json()["cursor"]
            else:
                self.errors += 1


def main() -> None:
    """Run the benchmark and print its figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    p.add_argument("--duration", type=float, default=60.0)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--batch", type=int, default=20, help="mutations per push in phase (b)")
    p.add_argument("--workers", type=int, default=3)
    p.add_argument("--threads", type=int, default=1, help="more than 1: the gthread worker")
    p.add_argument("--accounts-per-rep", type=int, default=100)
    p.add_argument("--keep", action="store_true", help="keep the database afterwards")
    args = p.parse_args()

    print(f"load average at start: {_load()}")
    name = f"fieldrep_sync_bench_{os.getpid()}"
    url = create_database(args.database_url, name)
    try:
        accounts = seed(url, args.clients + 1, args.accounts_per_rep)
        server = Server(url, workers=args.workers, threads=args.threads).start()
        try:
            emails = sorted(accounts)
            big_email = emails[-1]
            session = login(server.url, big_email, PASSWORD)
            body = {
                "client_id": "bench-big",
                "schema_version": 1,
                "mutations": touches(accounts[big_email], 1, 1000),
            }
            t0 = time.perf_counter()
            r = session.post(f"{server.url}/api/sync/push", json=body, timeout=300)
            big = time.perf_counter() - t0
            assert r.status_code == 200 and r.json()["last_mutation_id"] == 1000, r.text[:500]
            print(f"(a) one push of 1,000 touch.log mutations: {big * 1000:.0f} ms")

            deadline = time.monotonic() + args.duration
            phones = [Phone(server.url, e, accounts[e], args.batch, deadline) for e in emails[:-1]]
            started = time.monotonic()
            for phone in phones:
                phone.start()
            for phone in phones:
                phone.join(args.duration + 120)
            elapsed = time.monotonic() - started
        finally:
            server.stop()
        acked = [t for phone in phones for t in phone.acked]
        pushes = [s for phone in phones for s in phone.push_s]
        pulls = [s for phone in phones for s in phone.pull_s]
        print(
            f"(b) {args.clients} clients x {args.duration:.0f} s, batches of {args.batch}, "
            f"gunicorn {args.workers} workers x {args.threads} threads: "
            f"{len(acked) / elapsed:.0f} mutations/s acknowledged; "
            f"push p50 {pct(pushes, 0.5):.0f} ms p95 {pct(pushes, 0.95):.0f} ms ({len(pushes)}); "
            f"pull p50 {pct(pulls, 0.5):.0f} ms p95 {pct(pulls, 0.95):.0f} ms ({len(pulls)}); "
            f"errors {sum(phone.errors for phone in phones)}"
        )
        engine = create_engine(url)
        with engine.connect() as conn:
            from backend.models import Touch

            stored = conn.scalar(select(func.count()).select_from(Touch.__table__))
            distinct_ids = set(acked) | {m["args"]["id"] for m in body["mutations"]}
            found = 0
            ids = list(distinct_ids)
            for i in range(0, len(ids), 5000):
                chunk = ids[i : i + 5000]
                found += conn.scalar(select(func.count()).where(Touch.__table__.c.id.in_(chunk)))
        engine.dispose()
        lost = len(distinct_ids) - found
        print(
            f"(c) touches in the database: {stored}; acknowledged: {len(distinct_ids)}; "
            f"lost: {lost}; duplicated: {len(acked) + 1000 - len(distinct_ids)} acks for the "
            f"same touch, {stored - found} rows never acknowledged"
        )
        print(f"load average at the end: {_load()}")
    finally:
        if not args.keep:
            drop_database(args.database_url, name)


def _load() -> str:
    # The machine is shared: figures mean little without the load they were measured under.
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
