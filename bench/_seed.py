"""Fast synthetic data for benchmarks: reps and accounts around Munich, bulk-inserted."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app
from sqlalchemy import insert, text

from backend.accounts.models import Account
from backend.cadence import plan_store
from backend.core.extensions import db
from backend.demo.service import HOURS_PATTERNS
from backend.touches.models import Touch
from backend.users.models import User
from backend.users.service import configured_hash_method, hash_password

CENTER = (48.137, 11.575)


def fresh_database(url: str) -> str:
    """Create (or recreate) a PostgreSQL database named in ``url``; SQLite files are removed."""
    if url.startswith("sqlite:///"):
        import os

        path = url.removeprefix("sqlite:///")
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(path + suffix):
                os.remove(path + suffix)
        return url
    from sqlalchemy import create_engine
    from sqlalchemy.engine import make_url

    parsed = make_url(url.replace("postgresql://", "postgresql+psycopg://", 1))
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{parsed.database}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    return url


def seed_reps(
    n_reps: int, accounts_per_rep: int, *, touches_per_account: int = 2, seed: int = 1
) -> list[int]:
    """Insert reps and their accounts (and a little touch history); returns rep ids."""
    rng = random.Random(seed)
    plan_store.ensure_default_plan()
    password = hash_password("bench-password", configured_hash_method(current_app.config))
    reps = []
    for i in range(n_reps):
        lat, lon = CENTER[0] + rng.uniform(-0.25, 0.25), CENTER[1] + rng.uniform(-0.35, 0.35)
        reps.append(
            {
                "email": f"rep{i}@bench.local",
                "name": f"Rep {i}",
                "password_hash": password,
                "role": "rep",
                "time_zone": "Europe/Berlin",
                "home_lat": lat,
                "home_lon": lon,
                "work_start_min": 480,
                "work_end_min": 1050,
                "is_active": True,
                "version": 1,
            }
        )
    db.session.execute(insert(User), reps)
    rep_rows = db.session.execute(
        text("SELECT id, home_lat, home_lon FROM users WHERE role = 'rep' ORDER BY id")
    ).all()
    accounts = []
    for rep_id, lat, lon in rep_rows:
        for _ in range(accounts_per_rep):
            tier = rng.choices("ABC", [0.2, 0.3, 0.5])[0]
            accounts.append(
                {
                    "name": f"Account {len(accounts)}",
                    "lat": lat + rng.gauss(0, 0.04),
                    "lon": lon + rng.gauss(0, 0.06),
                    "tier": tier,
                    "kare": "keep",
                    "status": "customer",
                    "revenue": 10000.0,
                    "cost_to_serve": 500.0,
                    "opening_hours": rng.choice(HOURS_PATTERNS),
                    "notes": "",
                    "contacts": [],
                    "owner_id": rep_id,
                    "version": 1,
                }
            )
    for start in range(0, len(accounts), 5000):
        db.session.execute(insert(Account), accounts[start : start + 5000])
    account_rows = db.session.execute(text("SELECT id, owner_id FROM accounts ORDER BY id")).all()
    tz = ZoneInfo("Europe/Berlin")
    today = datetime.now(tz).date()
    touches = []
    for account_id, owner_id in account_rows:
        for _ in range(touches_per_account):
            day = today - timedelta(days=rng.randint(1, 45))
            local = datetime.combine(day, time(10), tzinfo=tz)
            touches.append(
                {
                    "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                    "account_id": account_id,
                    "rep_id": owner_id,
                    "type": rng.choice(["visit", "call", "email"]),
                    "occurred_at": local.astimezone(UTC),
                    "local_date": day,
                    "notes": "",
                    "next_step": "",
                    "created_at": local.astimezone(UTC),
                }
            )
    for start in range(0, len(touches), 5000):
        db.session.execute(insert(Touch), touches[start : start + 5000])
    db.session.commit()
    return [r[0] for r in rep_rows]
