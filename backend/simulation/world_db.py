"""``--from-db``: the world read once from the database (reps, their books, touches, cadence plan).

The month is then simulated in memory; nothing is written back.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import timedelta

from sqlalchemy import select

from backend.accounts.models import Account
from backend.cadence import plan_store
from backend.cadence import service as cadence
from backend.cadence.engine.plan import DEFAULT_VISIT_MINUTES
from backend.core.extensions import db
from backend.simulation.world import SimAccount, SimRep, World, hours_from_doc, parse_month
from backend.touches.models import Touch
from backend.users.models import User

HISTORY_DAYS = 92  # a quarter back: enough for every period kind's status on the first day


def world_from_db(month: str) -> World:
    """Active reps with a home and their accounts, touches before the month, the plan in force.

    ValueError when no rep has both a home and accounts (nothing to simulate).
    """
    month = parse_month(month)
    first = World(month, ()).first
    version = plan_store.plan_at(first)
    rules = tuple(cadence.rules_of(version))
    minutes = dict(DEFAULT_VISIT_MINUTES)
    for t in version.tiers if version else []:
        if t.get("visit_minutes"):
            minutes[t["tier"]] = int(t["visit_minutes"])
    reps = db_reps()
    if not reps:
        raise ValueError("no active rep with a home location and accounts to simulate")
    ids = [r.id for r in reps]
    books: dict[int, list[Account]] = defaultdict(list)
    for a in db_accounts(ids):
        books[a.owner_id].append(a)
    touches: dict[int, dict[tuple[str, str], list]] = defaultdict(lambda: defaultdict(list))
    since = first - timedelta(days=HISTORY_DAYS)
    owner = {a.id: a.owner_id for book in books.values() for a in book}
    rows = select(Touch.account_id, Touch.type, Touch.local_date).where(
        Touch.account_id.in_(list(owner)), Touch.local_date >= since, Touch.local_date < first
    )
    for aid, kind, day in db.session.execute(rows):
        touches[owner[aid]][(str(aid), kind)].append(day)
    team = []
    for r in reps:
        accounts = tuple(
            SimAccount(
                str(a.id),
                a.name,
                a.tier,
                a.kare,
                float(a.revenue or 0.0),
                a.lat,
                a.lon,
                int(a.service_minutes or minutes.get(a.tier, 30)) * 60,
                hours_from_doc(a.opening_hours),
            )
            for a in sorted(books[r.id], key=lambda a: a.id)
        )
        if not accounts:
            continue
        history = {k: tuple(sorted(v)) for k, v in touches[r.id].items()}
        team.append(
            SimRep(
                r.id,
                r.name,
                (r.home_lat, r.home_lon),
                accounts,
                history,
                r.work_start_min * 60,
                r.work_end_min * 60,
                r.max_stops,
            )
        )
    if not team:
        raise ValueError("no active rep with a home location and accounts to simulate")
    return World(month, tuple(team), rules)


def db_reps() -> list[User]:
    """Active reps with a home location, by id."""
    q = select(User).where(
        User.role == "rep",
        User.is_active.is_(True),
        User.home_lat.is_not(None),
        User.home_lon.is_not(None),
    )
    return list(db.session.scalars(q.order_by(User.id)))


def db_accounts(rep_ids: list[int]) -> list[Account]:
    """Live accounts owned by those reps."""
    q = select(Account).where(Account.owner_id.in_(rep_ids), Account.deleted_at.is_(None))
    return list(db.session.scalars(q.order_by(Account.id)))
