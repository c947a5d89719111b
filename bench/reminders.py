"""Reminders benchmark: one ``reminders run`` for N subscriptions, inline and with RQ workers.

N reps in Europe/Berlin, each with one device and one tier-B account with overdue touches, so
the run decides, claims and sends N digests. The local push service (bench/push.py's ``serve``)
runs in its own process and verifies and decrypts every message; each mode checks all arrived.

    python bench/reminders.py --count 10000 --modes inline,rq --rq-workers 2
    python bench/reminders.py --database-url postgresql://postgres@127.0.0.1:5432/fieldrep_push
"""

from __future__ import annotations

import argparse
import multiprocessing as mp
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from push import serve  # noqa: E402  (bench/push.py: the push service process)
from sqlalchemy import delete, func, insert, select, text  # noqa: E402

from backend import create_app  # noqa: E402
from backend.reminders.webpush import vapid  # noqa: E402

NOW = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # Monday 10:00 in Berlin


class FixedClock:
    """The run's instant, also used by the workers for TTLs (picklable for spawn)."""

    def __call__(self) -> datetime:
        return NOW


def make_app(db_url: str, pem: str, redis_url: str | None):
    """The app on the benchmark database with our VAPID key and local http push allowed."""
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": db_url,
            "VAPID_PRIVATE_KEY": pem,
            "PUSH_ALLOW_LOCAL_HTTP": True,
            "REMINDERS_CLOCK": FixedClock(),
            "REDIS_URL": redis_url,
            "RQ_QUEUE_NAME": "fieldrep-bench",
        }
    )


def seed(app, subs: list[dict]) -> None:
    """One rep, one tier-B account and one device per subscription, inserted in bulk."""
    from backend.accounts.models import Account
    from backend.core.extensions import db
    from backend.reminders.models import PushSubscription
    from backend.users.models import User

    with app.app_context():
        db.drop_all()
        db.create_all()
        users = [
            {
                "id": i + 1,
                "email": f"rep{i}@bench.example",
                "name": f"Rep {i}",
                "password_hash": "x" * 20,
                "role": "rep",
                "time_zone": "Europe/Berlin",
                "work_start_min": 480,
                "work_end_min": 1050,
                "is_active": True,
                "version": 1,
            }
            for i in range(len(subs))
        ]
        accounts = [
            {"name": f"Account {i}", "lat": 48.1, "lon": 11.5, "tier": "B", "owner_id": i + 1}
            for i in range(len(subs))
        ]
        devices = [
            {
                "user_id": i + 1,
                "endpoint": s["endpoint"],
                "p256dh": s["keys"]["p256dh"],
                "auth": s["keys"]["auth"],
                "user_agent": "bench",
            }
            for i, s in enumerate(subs)
        ]
        for model, rows in ((User, users), (Account, accounts), (PushSubscription, devices)):
            for start in range(0, len(rows), 2000):
                db.session.execute(insert(model), rows[start : start + 2000])
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("SELECT setval('users_id_seq', (SELECT max(id) FROM users))"))
            db.session.commit()


def reset_log(app) -> None:
    """Forget every reminder so the next mode sends them all again."""
    from backend.core.extensions import db
    from backend.reminders.models import ReminderLog, ReminderSend

    with app.app_context():
        db.session.execute(delete(ReminderSend))
        db.session.execute(delete(ReminderLog))
        db.session.commit()


def worker_process(db_url: str, pem: str, redis_url: str) -> None:
    """Child process: one RQ SimpleWorker in burst mode."""
    from backend.core.jobs import make_worker

    app = make_app(db_url, pem, redis_url)
    with app.app_context():
        make_worker(app).work(burst=True, logging_level="WARNING")


def run_mode(mode: str, args, db_url: str, pem: str) -> tuple[float, float, dict]:
    """One reminders run; returns (seconds to decide and claim/enqueue, total seconds, outcomes)."""
    from backend.core.extensions import db
    from backend.reminders.models import ReminderSend
    from backend.reminders.service.schedule import run_reminders

    redis_url = args.redis_url if mode == "rq" else None
    app = make_app(db_url, pem, redis_url)
    if redis_url:
        from redis import Redis

        Redis.from_url(redis_url).flushdb()
    start = time.perf_counter()
    with app.app_context():
        report = run_reminders(NOW, app=app)
    decided = time.perf_counter() - start
    if redis_url:
        ctx = mp.get_context("spawn")
        procs = [
            ctx.Process(target=worker_process, args=(db_url, pem, redis_url))
            for _ in range(args.rq_workers)
        ]
        for p in procs:
            p.start()
        for p in procs:
            p.join()
    total = time.perf_counter() - start
    with app.app_context():
        rows = db.session.execute(
            text("SELECT status, count(*) FROM reminder_sends GROUP BY status")
        ).all()
        claimed = db.session.scalar(select(func.count()).select_from(ReminderSend))
        assert claimed == args.count, "not every rep was claimed"
    del report
    return decided, total, dict(rows)


def main() -> None:
    """Start the push service process, seed, and print one row per mode."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--modes", default="inline,rq")
    parser.add_argument("--rq-workers", type=int, default=2)
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/13")
    parser.add_argument("--database-url", default=None, help="default: a temporary SQLite file")
    args = parser.parse_args()

    key = vapid.generate()
    pem = vapid.private_pem(key)
    parent, child = mp.Pipe()
    service = mp.get_context("spawn").Process(
        target=serve, args=(child, args.count, vapid.application_server_key(key)), daemon=True
    )
    service.start()
    subs = parent.recv()
    tmp = tempfile.TemporaryDirectory(prefix="fieldrep-bench-")
    db_url = args.database_url or f"sqlite:///{Path(tmp.name) / 'bench.sqlite'}"
    seed(make_app(db_url, pem, None), subs)
    engine = db_url.split(":", 1)[0]
    print(f"{args.count} reps x 1 device, {engine}, push service on its own process")
    header = ("mode", "decide+claim s", "total s", "sends/s", "delivered")
    print("{:<16}{:>16}{:>10}{:>10}{:>11}".format(*header))
    try:
        for mode in args.modes.split(","):
            reset_log(make_app(db_url, pem, None))
            parent.send("stats")
            before = parent.recv()[0]
            decided, total, outcomes = run_mode(mode, args, db_url, pem)
            parent.send("stats")
            delivered, failures = parent.recv()[:2]
            assert failures == 0, f"push service refused {failures} requests"
            assert delivered - before == args.count, f"{delivered - before} of {args.count} arrived"
            assert outcomes == {"delivered": args.count}, outcomes
            label = mode if mode == "inline" else f"rq x{args.rq_workers} workers"
            print(
                f"{label:<16}{decided:>16.2f}{total:>10.2f}{args.count / total:>10.0f}"
                f"{delivered - before:>11}"
            )
    finally:
        parent.send("stop")
        service.join(timeout=10)
        tmp.cleanup()


if __name__ == "__main__":
    main()
