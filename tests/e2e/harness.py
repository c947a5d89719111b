"""Shared by the browser tests and bench/pwa_budget.py: build check, seed data, live server.

Plain functions (no pytest) so the benchmark can reuse them outside the test run.
"""

from __future__ import annotations

import shutil
import subprocess
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from werkzeug.serving import make_server

REPO = Path(__file__).resolve().parents[2]
PWA = REPO / "pwa"
DIST = PWA / "dist"
AXE_JS = PWA / "node_modules" / "axe-core" / "axe.min.js"
ARTIFACTS = REPO / "test-artifacts"
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
PASSWORD = "correct horse battery"
TIME_ZONE = "Europe/Berlin"
WEEK = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# Open around the clock so the planner has a feasible day whatever time the suite runs.
ALL_DAY = {d: [["00:00", "23:59"]] for d in WEEK}
# What a real shop looks like (every day, so screenshots work on weekends too).
LUNCH_CLOSED = {d: [["08:00", "12:30"], ["14:00", "18:00"]] for d in WEEK}
# (account number, touch type, days ago) of this month's history for realistic screens.
HISTORY = [
    (1, "visit", 9),
    (1, "visit", 2),
    (1, "call", 5),
    (2, "visit", 6),
    (2, "call", 3),
    (2, "email", 8),
    (2, "email", 1),
    (3, "email", 4),
    (4, "visit", 7),
    (5, "call", 2),
]


def ensure_pwa_built() -> Path:
    """Build pwa/dist once if it is missing (CI's `make test` builds it before pytest)."""
    if not (DIST / "index.html").exists() or not (DIST / "sw.js").exists():
        npm = shutil.which("npm")
        if npm is None:
            raise RuntimeError("pwa/dist is missing and npm is not installed")
        if not (PWA / "node_modules").exists():
            subprocess.run([npm, "ci", "--no-audit", "--no-fund"], cwd=PWA, check=True)
        subprocess.run([npm, "run", "build"], cwd=PWA, check=True)
    return DIST


def local_today(tz: str = TIME_ZONE) -> str:
    """Today's date in the rep's time zone (the date the server plans routes for)."""
    return datetime.now(ZoneInfo(tz)).date().isoformat()


@dataclass
class Seed:
    """Ids and credentials of the seeded people and accounts."""

    rep_email: str
    manager_email: str
    rep_id: int
    manager_id: int
    account_ids: list[int] = field(default_factory=list)


def seed(app, tag: str = "e2e", accounts: int = 6, realistic: bool = False) -> Seed:
    """A manager, a territory, a rep with accounts around Munich; committed.

    ``realistic``: an 08:00-17:30 working day, lunch closures and this month's touch history
    (for screenshots); otherwise open around the clock so any test time has a feasible day.
    """
    from backend.accounts.models import Account
    from backend.core.extensions import db
    from backend.users import service as users

    method = users.configured_hash_method(app.config)
    with app.app_context():
        manager = users.create_user(
            email=f"manager-{tag}@example.com",
            name="Mona Manager",
            password=PASSWORD,
            role="manager",
            time_zone=TIME_ZONE,
            hash_method=method,
        )
        territory = users.create_territory(name=f"Munich {tag}", manager_id=manager.id)
        rep = users.create_user(
            email=f"rep-{tag}@example.com",
            name="Rick Rep",
            password=PASSWORD,
            role="rep",
            time_zone=TIME_ZONE,
            home_lat=48.137,
            home_lon=11.575,
            work_start_min=8 * 60 if realistic else 0,
            work_end_min=17 * 60 + 30 if realistic else 23 * 60 + 59,
            territory_ids=[territory.id],
            hash_method=method,
        )
        ids = []
        for n in range(1, accounts + 1):
            account = Account(
                name=f"Bäckerei {n}",
                address=f"Marienplatz {n}, München",
                lat=48.137 + 0.004 * n,
                lon=11.575 + 0.003 * n,
                tier="A" if n <= 3 else "B",
                opening_hours=LUNCH_CLOSED if realistic else ALL_DAY,
                contacts=[],
                owner_id=rep.id,
                territory_id=territory.id,
            )
            db.session.add(account)
            db.session.flush()
            ids.append(account.id)
        if realistic:
            _history(db, rep.id, ids)
        db.session.commit()
        return Seed(rep.email, manager.email, rep.id, manager.id, ids)


def _history(db, rep_id: int, ids: list[int]) -> None:
    """This month's touches (never before the 1st, never in the future)."""
    import uuid
    from datetime import UTC, time, timedelta

    from backend.touches.models import Touch

    tz = ZoneInfo(TIME_ZONE)
    today = datetime.now(tz).date()
    for number, kind, days_ago in HISTORY:
        day = max(today.replace(day=1), today - timedelta(days=days_ago))
        at = min(
            datetime.combine(day, time(10), tzinfo=tz), datetime.now(tz) - timedelta(minutes=5)
        )
        db.session.add(
            Touch(
                id=str(uuid.uuid4()),
                account_id=ids[number - 1],
                rep_id=rep_id,
                type=kind,
                occurred_at=at.astimezone(UTC),
                local_date=at.date(),
                outcome="positive",
                notes="",
                next_step="",
                created_by_id=rep_id,
            )
        )


def second_rep(app, tag: str, email: str, name: str = "Rita Second"):
    """One more rep in the territory ``seed(app, tag)`` made, living north-east of the first;
    call inside an app context. The new User (not committed)."""
    from sqlalchemy import select

    from backend.core.extensions import db
    from backend.users import service as users
    from backend.users.models import Territory

    territory = db.session.scalar(select(Territory).where(Territory.name == f"Munich {tag}"))
    return users.create_user(
        email=email,
        name=name,
        password=PASSWORD,
        role="rep",
        time_zone=TIME_ZONE,
        home_lat=48.16,
        home_lon=11.59,
        territory_ids=[territory.id],
        hash_method=users.configured_hash_method(app.config),
    )


def plan_today(base_url: str, seed_: Seed) -> dict:
    """Plan today's route for the rep through the public API (as the rep would)."""
    import requests

    s = requests.Session()
    r = s.post(f"{base_url}/api/auth/login", json={"email": seed_.rep_email, "password": PASSWORD})
    r.raise_for_status()
    token = r.json()["csrf_token"]
    r = s.post(
        f"{base_url}/api/routes/{local_today()}/plan", headers={"X-CSRF-Token": token}, json={}
    )
    r.raise_for_status()
    return r.json()


class LiveServer:
    """The real app in a real HTTP server on 127.0.0.1, in a background thread."""

    def __init__(self, app):
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(
            target=self.server.serve_forever, name="e2e-server", daemon=True
        )

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)
