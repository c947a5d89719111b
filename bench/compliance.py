"""Benchmark: the monthly compliance report on 50,000 accounts, 200 reps and 1,000,000 touches.

    python bench/compliance.py --database-url postgresql://postgres@127.0.0.1:5432/fieldrep_bench
    python bench/compliance.py --sqlite            # a temporary SQLite file
    python bench/compliance.py --sqlite --database-url ...   # both, side by side

The database is EMPTIED and refilled (10 territories with a manager each, 200 reps, accounts of
tiers A/B/C with the default plan, touches spread over June to November 2026). Loading uses COPY
on PostgreSQL and executemany on SQLite, with the touch indexes built after the load. Then the
admin's and a manager's report for 2026-11 (grouped by rep, tier and touch type) is timed through
the service function and through ``GET /api/reports/compliance`` with the Flask test client.
Prints figures only; there is no pass/fail.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import insert, text  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from backend import create_app  # noqa: E402
from backend.accounts.models import Account  # noqa: E402
from backend.cadence import plan_store  # noqa: E402
from backend.cadence.compliance import compliance_report  # noqa: E402
from backend.core.extensions import db  # noqa: E402
from backend.touches.models import Touch  # noqa: E402
from backend.users.models import Territory, User, territory_members  # noqa: E402

PASSWORD = "bench-password"
TZ = "Europe/Berlin"
FIRST_DAY, LAST_DAY = date(2026, 6, 1), date(2026, 11, 30)
TOUCH_COLUMNS = (
    "id",
    "account_id",
    "rep_id",
    "type",
    "occurred_at",
    "local_date",
    "created_at",
    "notes",
    "next_step",
)


def build(app, accounts: int, reps: int, touches: int, seed: int = 7) -> dict:
    """Empty the database and fill it; returns the counts and the load time."""
    rng = random.Random(seed)
    started = time.perf_counter()
    with app.app_context():
        db.drop_all()
        db.create_all()
        password_hash = generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")
        territories = 10
        users = [
            {"email": "admin@bench.example", "name": "Admin", "role": "admin"},
            *(
                {"email": f"manager{t}@bench.example", "name": f"Manager {t}", "role": "manager"}
                for t in range(territories)
            ),
            *(
                {"email": f"rep{r}@bench.example", "name": f"Rep {r}", "role": "rep"}
                for r in range(reps)
            ),
        ]
        for u in users:
            u |= {"password_hash": password_hash, "time_zone": TZ, "version": 1}
        db.session.execute(insert(User), users)
        ids = dict(db.session.execute(text("SELECT email, id FROM users")).all())
        db.session.execute(
            insert(Territory),
            [
                {
                    "name": f"Territory {t}",
                    "manager_id": ids[f"manager{t}@bench.example"],
                    "version": 1,
                }
                for t in range(territories)
            ],
        )
        tids = dict(db.session.execute(text("SELECT name, id FROM territories")).all())
        rep_ids = [ids[f"rep{r}@bench.example"] for r in range(reps)]
        rep_territory = {rid: tids[f"Territory {i % territories}"] for i, rid in enumerate(rep_ids)}
        db.session.execute(
            insert(territory_members),
            [{"territory_id": t, "user_id": r} for r, t in rep_territory.items()],
        )
        rows = []
        for n in range(accounts):
            owner = rep_ids[n % reps]
            rows.append(
                {
                    "name": f"Account {n}",
                    "lat": 48 + rng.random(),
                    "lon": 11 + rng.random(),
                    "tier": rng.choices("ABC", weights=(15, 35, 50))[0],
                    "kare": rng.choice(("keep", "attain", "recapture", "expand")),
                    "status": "customer",
                    "revenue": 0.0,
                    "cost_to_serve": 0.0,
                    "opening_hours": {},
                    "notes": "",
                    "contacts": [],
                    "owner_id": owner,
                    "territory_id": rep_territory[owner],
                    "version": 1,
                }
            )
        for start in range(0, len(rows), 5000):
            db.session.execute(insert(Account), rows[start : start + 5000])
        plan_store.ensure_default_plan()
        db.session.commit()
        owners = db.session.execute(text("SELECT id, owner_id FROM accounts ORDER BY id")).all()
        _load_touches(app, owners, touches, rng)
    return {"load_seconds": time.perf_counter() - started}


def _load_touches(app, owners: list, count: int, rng: random.Random) -> None:
    days = [FIRST_DAY + timedelta(days=i) for i in range((LAST_DAY - FIRST_DAY).days + 1)]
    moments = {d: datetime.combine(d, clock(10), tzinfo=ZoneInfo(TZ)).astimezone(UTC) for d in days}
    now = datetime(2026, 11, 23, tzinfo=UTC)
    types = ("visit", "call", "call", "email", "email", "email")

    def rows():
        for _ in range(count):
            account_id, rep_id = owners[rng.randrange(len(owners))]
            day = days[rng.randrange(len(days))]
            yield (
                str(uuid.uuid4()),
                account_id,
                rep_id,
                rng.choice(types),
                moments[day],
                day,
                now,
                "",
                "",
            )

    indexes = list(Touch.__table__.indexes)
    with db.engine.begin() as conn:
        for index in indexes:
            index.drop(conn)
    if db.engine.dialect.name == "postgresql":
        raw = db.engine.raw_connection()
        try:
            with (
                raw.cursor() as cur,
                cur.copy(f"COPY touches ({', '.join(TOUCH_COLUMNS)}) FROM STDIN") as copy,
            ):
                for row in rows():
                    copy.write_row(row)
            raw.commit()
        finally:
            raw.close()
    else:
        placeholders = ", ".join("?" for _ in TOUCH_COLUMNS)
        raw = db.engine.raw_connection()
        try:
            cur = raw.cursor()
            batch = []
            for row in rows():
                batch.append(
                    (
                        *row[:4],
                        row[4].isoformat(" "),
                        row[5].isoformat(),
                        row[6].isoformat(" "),
                        *row[7:],
                    )
                )
                if len(batch) == 50_000:
                    cur.executemany(
                        f"INSERT INTO touches ({', '.join(TOUCH_COLUMNS)}) VALUES ({placeholders})",
                        batch,
                    )
                    batch.clear()
            if batch:
                cur.executemany(
                    f"INSERT INTO touches ({', '.join(TOUCH_COLUMNS)}) VALUES ({placeholders})",
                    batch,
                )
            raw.commit()
        finally:
            raw.close()
    with db.engine.begin() as conn:
        for index in indexes:
            index.create(conn)
    # What autovacuum does soon after a bulk load: statistics, and on PostgreSQL the visibility
    # map that lets the covering index answer without visiting the table (index-only scan).
    command = "VACUUM ANALYZE" if db.engine.dialect.name == "postgresql" else "ANALYZE"
    with db.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(command))


def _stats(samples: list[float]) -> str:
    ms = sorted(s * 1000 for s in samples)
    p95 = ms[min(len(ms) - 1, round(0.95 * (len(ms) - 1)))]
    return f"median {statistics.median(ms):7.1f} ms   p95 {p95:7.1f} ms   (n={len(ms)})"


def _backend_cpu(pid: int | None) -> float | None:
    """CPU seconds used so far by a local PostgreSQL backend (None when not readable)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, TypeError):
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(app, runs: int, period: str, as_of: date) -> None:
    """Time the report for the admin and a manager: service call and HTTP.

    On a shared, noisy machine wall time mostly measures the neighbours, so for the service
    call the CPU time of the report (PostgreSQL backend + this process) is printed as well:
    what the wall time would be on an idle core.
    """
    group_by = ["rep", "tier", "touch_type"]
    for who in ("admin@bench.example", "manager0@bench.example"):
        with app.app_context():
            actor = db.session.execute(db.select(User).where(User.email == who)).scalar_one()
            pg = db.engine.dialect.name == "postgresql"
            samples, cpu = [], []
            for _ in range(runs + 1):
                pid = db.session.scalar(text("SELECT pg_backend_pid()")) if pg else None
                b0, c0, t0 = _backend_cpu(pid), time.process_time(), time.perf_counter()
                report = compliance_report(actor, period, group_by, as_of=as_of)
                samples.append(time.perf_counter() - t0)
                b1 = _backend_cpu(pid)
                backend = b1 - b0 if b0 is not None and b1 is not None else 0.0
                cpu.append(backend + time.process_time() - c0)
                db.session.rollback()
            total = report["total"]
            print(
                f"  service {who:<24} {_stats(samples[1:])}   groups {len(report['rows'])}, "
                f"required {total['required']}, done {total['done']}, {total['percent']} %"
            )
            print(f"  cpu     {who:<24} {_stats(cpu[1:])}")
        client = app.test_client()
        login = client.post("/api/auth/login", json={"email": who, "password": PASSWORD})
        assert login.status_code == 200, login.get_json()
        url = f"/api/reports/compliance?period={period}&group_by=rep,tier,touch_type&as_of={as_of}"
        samples = []
        for _ in range(runs + 1):
            t0 = time.perf_counter()
            with app.app_context():
                response = client.get(url)
            samples.append(time.perf_counter() - t0)
            assert response.status_code == 200, response.get_json()
        print(f"  http    {who:<24} {_stats(samples[1:])}")


def main() -> None:
    """Parse options, build each database, measure, print."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default=os.environ.get("FIELDREP_BENCH_DATABASE_URL"))
    parser.add_argument(
        "--sqlite", action="store_true", help="Also run on a temporary SQLite file."
    )
    parser.add_argument("--accounts", type=int, default=50_000)
    parser.add_argument("--reps", type=int, default=200)
    parser.add_argument("--touches", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--period", default="2026-11")
    parser.add_argument("--as-of", type=date.fromisoformat, default=date(2026, 12, 1))
    parser.add_argument("--skip-load", action="store_true", help="Reuse the data already there.")
    args = parser.parse_args()
    targets = []
    if args.database_url:
        targets.append(("PostgreSQL", args.database_url))
    tmp = None
    if args.sqlite or not targets:
        tmp = tempfile.TemporaryDirectory(prefix="fieldrep-bench-")
        targets.append(("SQLite", f"sqlite:///{Path(tmp.name) / 'bench.sqlite'}"))
    print(
        f"compliance report {args.period} (as of {args.as_of}), group_by rep,tier,touch_type; "
        f"{args.accounts} accounts, {args.reps} reps, {args.touches} touches "
        f"({FIRST_DAY} to {LAST_DAY})"
    )
    for name, url in targets:
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "RATELIMIT_ENABLED": False})
        if not args.skip_load:
            loaded = build(app, args.accounts, args.reps, args.touches)
            print(f"{name}: loaded in {loaded['load_seconds']:.1f} s")
        else:
            print(f"{name}: reusing data")
        measure(app, args.runs, args.period, args.as_of)
        with app.app_context():
            db.engine.dispose()
    if tmp is not None:
        tmp.cleanup()


if __name__ == "__main__":
    main()
