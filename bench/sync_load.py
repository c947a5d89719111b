"""Offline-sync benchmark: a real gunicorn server on PostgreSQL, pushes and pulls over HTTP.

    python bench/sync_load.py [--mode closed|paced] [--interval 1.0] [--batch 20]
        [--duration 60] [--clients 50] [--workers 3] [--threads 1]

Two modes for phase (b). ``closed`` (the default): each client pushes and pulls again as soon as
it has its answer, so the server is saturated; it measures the most mutations/s, and its latency
is set by Little's law (clients / requests per second), not by the server alone. ``paced``:
each client syncs every ``--interval`` seconds by the clock (open loop, as phones do), offering
clients x batch / interval mutations/s (50 x 20 / 1.0 = 1,000 /s by default); it measures the
latency at that load.

The default server is 3 sync gunicorn workers (one request at a time each): on 2 cores it beat
4 workers x 4 threads and 2 x 8 (gthread), where threads of one worker share its GIL, and 2 or 4
sync workers (docs/benchmarks.md, "Offline sync").

Creates its own database (dropped afterwards), seeds reps and accounts, then measures
(a) one push of 1,000 touch.log mutations, (b) N concurrent clients pushing batches and pulling
for --duration seconds (mutations/s, p50/p95/p99 of push and pull), (c) counts touches in the
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

from tests.backend.sync.server import Server, login  # noqa: E402

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
    from backend.accounts.models import Account
    from backend.core.extensions import db
    from backend.users import service as users

    app = create_app({"SQLALCHEMY_DATABASE_URI": url, "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000"})
    out: dict[str, list[int]] = {}
    with app.app_context():
        db.create_all()
        territory = users.create_territory(name="Bench", manager_id=None)
        for r in range(reps):
            rep = users.create_user(
                role="rep", email=f"rep{r}@bench.local", name=f"Rep {r}", password=PASSWORD,
                time_zone="Europe/Berlin", territory_ids=[territory.id],
                hash_method=users.configured_hash_method(app.config),
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
    """One client. ``closed``: push a batch (its outbox), pull everything new, repeat at once.
    ``paced``: every ``interval`` seconds ``batch`` new touches join the outbox, then it pushes
    the outbox and pulls; the ticks follow the clock (open loop), so a slow answer makes the next
    sync start late and carry more, but never lowers the offered load.
    """

    def __init__(
        self,
        base: str,
        email: str,
        accounts: list[int],
        batch: int,
        deadline: float,
        *,
        interval: float | None = None,
        phase: float = 0.0,
    ):
        super().__init__(daemon=True)
        self.base, self.email, self.accounts = base, email, accounts
        self.batch, self.deadline = batch, deadline
        self.interval, self.phase = interval, phase
        self.client_id = f"bench-{uuid.uuid4().hex[:8]}"
        self.push_s: list[float] = []
        self.pull_s: list[float] = []
        self.late_s: list[float] = []  # paced: how late each sync started after its tick
        self.acked: list[str] = []  # touch ids the server acknowledged
        self.last_acked = 0  # the server's last_mutation_id for this client
        self.errors = 0

    def run(self) -> None:
        """Sync until the deadline; a failed push is retried with the same mutations."""
        session = login(self.base, self.email, PASSWORD)
        next_id, cursor = 1, ""
        outbox: list[dict] = []
        start = time.monotonic() + self.phase
        tick = 0
        while time.monotonic() < self.deadline:
            if self.interval is None:
                if not outbox:
                    outbox = touches(self.accounts, next_id, self.batch)
                    next_id += self.batch
            else:
                due = start + tick * self.interval
                if due >= self.deadline:
                    break
                wait = due - time.monotonic()
                if wait > 0:
                    time.sleep(wait)
                self.late_s.append(max(0.0, -wait))
                # Ticks missed while an answer was slow still log their touches (the rep kept
                # working), so the offered load stays batch / interval per phone.
                ticks = max(1, int((time.monotonic() - start) / self.interval) - tick + 1)
                tick += ticks
                outbox += touches(self.accounts, next_id, self.batch * ticks)
                next_id += self.batch * ticks
            cursor = self._sync(session, outbox, cursor)
            outbox = [m for m in outbox if m["mutation_id"] > self.last_acked]

    def _sync(self, session: requests.Session, outbox: list[dict], cursor: str) -> str:
        """One push of the outbox and one pull; the new cursor (the old one if the pull failed)."""
        body = {"client_id": self.client_id, "schema_version": 1, "mutations": outbox}
        t0 = time.perf_counter()
        try:
            r = session.post(f"{self.base}/api/sync/push", json=body, timeout=60)
        except requests.RequestException:
            self.errors += 1
            return cursor
        self.push_s.append(time.perf_counter() - t0)
        if r.status_code != 200:
            self.errors += 1
            return cursor
        self.last_acked = r.json()["last_mutation_id"]
        self.acked += [m["args"]["id"] for m in outbox if m["mutation_id"] <= self.last_acked]
        t0 = time.perf_counter()
        query = {"schema_version": 1, "limit": 500, **({"cursor": cursor} if cursor else {})}
        try:
            r = session.get(f"{self.base}/api/sync/pull", params=query, timeout=60)
        except requests.RequestException:
            self.errors += 1
            return cursor
        self.pull_s.append(time.perf_counter() - t0)
        if r.status_code != 200:
            self.errors += 1
            return cursor
        return r.json()["cursor"]


def main() -> None:
    """Run the benchmark and print its figures."""
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
    )
    p.add_argument("--duration", type=float, default=60.0)
    p.add_argument("--clients", type=int, default=50)
    p.add_argument("--batch", type=int, default=20, help="mutations per push (per tick) in (b)")
    p.add_argument(
        "--mode",
        choices=("closed", "paced"),
        default="closed",
        help="closed: each client syncs again as soon as answered (saturation); paced: every "
        "--interval seconds (offered load clients x batch / interval mutations/s)",
    )
    p.add_argument("--interval", type=float, default=1.0, help="paced: seconds between syncs")
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
            interval = args.interval if args.mode == "paced" else None
            # Paced phones start spread over one interval, as phones would, not in lockstep.
            phones = [
                Phone(
                    server.url,
                    e,
                    accounts[e],
                    args.batch,
                    deadline,
                    interval=interval,
                    phase=i * args.interval / args.clients,
                )  # fmt: skip
                for i, e in enumerate(emails[:-1])
            ]
            started, cpu_before = time.monotonic(), server_cpu_seconds(server.proc.pid)
            for phone in phones:
                phone.start()
            for phone in phones:
                phone.join(args.duration + 120)
            elapsed = time.monotonic() - started
            server_cpu = server_cpu_seconds(server.proc.pid) - cpu_before
        finally:
            server.stop()
        acked = [t for phone in phones for t in phone.acked]
        pushes = [s for phone in phones for s in phone.push_s]
        pulls = [s for phone in phones for s in phone.pull_s]
        late = [s for phone in phones for s in phone.late_s]
        mode = "closed loop" if interval is None else f"paced, every {interval:g} s"
        offered = (
            "" if interval is None else f" of {args.clients * args.batch / interval:.0f} offered"
        )
        print(
            f"(b) {mode}: {args.clients} clients x {args.duration:.0f} s, batches of "
            f"{args.batch}, gunicorn {args.workers} workers x {args.threads} threads: "
            f"{len(acked) / elapsed:.0f} mutations/s acknowledged{offered}; "
            f"push {_dist(pushes)}; pull {_dist(pulls)}; "
            f"errors {sum(phone.errors for phone in phones)}"
        )
        syncs = len(pulls) or 1
        print(f"    gunicorn CPU per sync (push + pull): {server_cpu * 1000 / syncs:.1f} ms")
        if late:
            # Open loop: a sync that starts after its tick is queueing the latencies above omit.
            print(f"    sync start after its tick: {_dist(late)}")
        engine = create_engine(url)
        with engine.connect() as conn:
            from backend.touches.models import Touch

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


def server_cpu_seconds(master_pid: int) -> float:
    """CPU seconds used so far by the gunicorn master and its workers (Linux /proc; 0 elsewhere).

    Throughput on a shared machine moves with the neighbours; CPU per request moves much less.
    """
    total = 0
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # the process ended meanwhile
        pid, ppid = int(stat.parent.name), int(fields[1])
        if master_pid in (pid, ppid):
            total += int(fields[11]) + int(fields[12])  # utime + stime, in clock ticks
    return total / os.sysconf("SC_CLK_TCK")


def _dist(seconds: list[float]) -> str:
    return (
        f"p50 {pct(seconds, 0.5):.0f} p95 {pct(seconds, 0.95):.0f} "
        f"p99 {pct(seconds, 0.99):.0f} ms ({len(seconds)})"
    )


def _load() -> str:
    # The machine is shared: figures mean little without the load they were measured under.
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


if __name__ == "__main__":
    main()
