"""Benchmark: a rep with 2,000 accounts leaves; one POST /api/users/<id>/departure.

    python bench/territories_departure.py                     # temporary SQLite file
    python bench/territories_departure.py --database-url postgresql://postgres@127.0.0.1:5432/bench_h3
    python bench/territories_departure.py --redis-url redis://127.0.0.1:6379/3

The database is EMPTIED and refilled: one territory with its manager, the leaving rep with
``accounts`` accounts (two touches each) and 10 colleagues with 200 accounts each. The manager
posts a departure with the "proposal" strategy through the Flask test client; the figure is the
server time of that request (every account moved, audited, logged for sync, handovers written,
committed). Route re-planning for the new owners goes to the job queue: with ``--redis-url``
it is queued (and then timed separately, run by one worker); without, it runs inline in the
request and is part of the figure. Prints figures only; there is no pass/fail.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from backend import create_app  # noqa: E402
from backend.accounts.models import Account, AuditEntry  # noqa: E402
from backend.cadence import plan_store  # noqa: E402
from backend.core.extensions import db  # noqa: E402
from backend.sync.models import SyncChange  # noqa: E402
from backend.touches.models import Touch  # noqa: E402
from backend.users.models import Territory, User, territory_members  # noqa: E402

PASSWORD = "bench-password"
CENTER = (48.137, 11.575)
COLLEAGUES, COLLEAGUE_ACCOUNTS = 10, 200
OPEN = {d: [["08:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}


def _seed(accounts: int, rng: random.Random) -> int:
    """Fill the database; returns the leaving rep's id."""
    db.drop_all()
    db.create_all()
    plan_store.ensure_default_plan()
    hashed = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")

    def person(email, role, lat=None, lon=None):
        return {"email": email, "name": email.split("@")[0], "role": role, "version": 1,
                "password_hash": hashed, "time_zone": "Europe/Berlin", "home_lat": lat,
                "home_lon": lon, "is_active": True}  # fmt: skip

    db.session.execute(insert(User), [person("manager@bench.example", "manager")])
    manager = db.session.scalar(select(User.id))
    db.session.execute(insert(Territory), [{"name": "Munich", "manager_id": manager, "version": 1}])
    territory = db.session.scalar(select(Territory.id))
    reps = [person("leaving@bench.example", "rep", *CENTER)] + [
        person(f"rep{i}@bench.example", "rep", CENTER[0] + rng.uniform(-0.2, 0.2),
               CENTER[1] + rng.uniform(-0.3, 0.3))
        for i in range(COLLEAGUES)
    ]  # fmt: skip
    db.session.execute(insert(User), reps)
    rep_ids = list(db.session.scalars(select(User.id).where(User.role == "rep").order_by(User.id)))
    db.session.execute(
        insert(territory_members), [{"territory_id": territory, "user_id": r} for r in rep_ids]
    )
    rows = []
    for rep_id in rep_ids:
        n = accounts if rep_id == rep_ids[0] else COLLEAGUE_ACCOUNTS
        for _ in range(n):
            rows.append({
                "name": f"Account {len(rows)}", "lat": CENTER[0] + rng.gauss(0, 0.08),
                "lon": CENTER[1] + rng.gauss(0, 0.12), "tier": rng.choices("ABC", [2, 3, 5])[0],
                "kare": "keep", "status": "customer", "opening_hours": OPEN, "notes": "",
                "contacts": [], "owner_id": rep_id, "territory_id": territory, "version": 1,
            })  # fmt: skip
    db.session.execute(insert(Account), rows)
    now = datetime.now(UTC)
    touches = []
    for account_id in db.session.scalars(select(Account.id).where(Account.owner_id == rep_ids[0])):
        for _ in range(2):
            at = now - timedelta(days=rng.randint(1, 40))
            touches.append({
                "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                "account_id": account_id, "rep_id": rep_ids[0], "type": "visit",
                "occurred_at": at, "local_date": at.date(), "notes": "", "next_step": "",
                "created_at": at,
            })  # fmt: skip
    db.session.execute(insert(Touch), touches)
    db.session.commit()
    return rep_ids[0]


def run(accounts: int = 2000, database_url: str | None = None, redis_url: str | None = None):
    """Seed, post the departure, print and return the figures."""
    tmp = None
    if database_url is None:
        tmp = tempfile.TemporaryDirectory(prefix="fieldrep-bench-")
        database_url = f"sqlite:///{tmp.name}/bench.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": database_url,
            "SECRET_KEY": "bench",
            "REDIS_URL": redis_url,
            "RATELIMIT_ENABLED": False,
        }  # fmt: skip
    )
    with app.app_context():
        leaving = _seed(accounts, random.Random(12))
        if redis_url:
            from redis import Redis

            Redis.from_url(redis_url).flushdb()
    client = app.test_client()
    login = client.post(
        "/api/auth/login", json={"email": "manager@bench.example", "password": PASSWORD}
    ).get_json()
    client.environ_base["HTTP_X_CSRF_TOKEN"] = login["csrf_token"]
    started = time.perf_counter()
    response = client.post(f"/api/users/{leaving}/departure", json={"strategy": "proposal"})
    server_s = time.perf_counter() - started
    answer = response.get_json()
    assert response.status_code == 200, answer
    figures = {
        "engine": database_url.split(":")[0],
        "accounts": accounts,
        "moves": answer["moves"],
        "new_owners": len(answer["by_owner"]),
        "replan": answer["replan"],
        "server_s": round(server_s, 2),
    }
    with app.app_context():
        figures["audit_entries"] = db.session.scalar(
            select(func.count()).select_from(AuditEntry).where(AuditEntry.source == "departure")
        )
        figures["leaves"] = db.session.scalar(
            select(func.count())
            .select_from(SyncChange)
            .where(SyncChange.op == "leave", SyncChange.rep_id == leaving)
        )
        if redis_url:
            from backend.core.jobs import make_worker

            started = time.perf_counter()
            make_worker(app, name=f"bench-{uuid.uuid4().hex[:6]}").work(burst=True)
            figures["replan_worker_s"] = round(time.perf_counter() - started, 2)
            figures["routes_replanned"] = len(answer["replanned"])
        db.engine.dispose()
    print(" ".join(f"{k}={v}" for k, v in figures.items()))
    if tmp is not None:
        tmp.cleanup()
    return figures


def main() -> None:
    """Command line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, default=2000)
    parser.add_argument(
        "--database-url", default=None, help="PostgreSQL URL (EMPTIED); default a temp SQLite"
    )
    parser.add_argument("--redis-url", default=None, help="queue the route re-planning on RQ")
    parser.add_argument(
        "--warm",
        action="store_true",
        help="load OR-Tools before timing, as a server worker that already made a proposal has "
        "(a fresh process pays the import, 1-5 s on a loaded machine, in its first proposal)",
    )
    args = parser.parse_args()
    if args.warm:
        import backend.territories.rebalance.cpsat  # noqa: F401
    run(args.accounts, args.database_url, args.redis_url)


if __name__ == "__main__":
    main()
