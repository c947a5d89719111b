"""Realistic demo data around Munich: a manager, reps, 720 accounts, 60 days of touches."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, insert, select

from backend.accounts.models import Account
from backend.cadence import plan_store
from backend.core import changes
from backend.core.extensions import db
from backend.demo.pipeline import seed_pipeline
from backend.touches.models import Touch
from backend.users import service as users
from backend.users.models import User

CENTER = (48.1372, 11.5756)  # Marienplatz, Munich
TZ = "Europe/Berlin"
PASSWORD = "fieldrep-demo"
ADMIN = "admin@demo.fieldrep.app"
MANAGER = "manager@demo.fieldrep.app"
REP_NAMES = ["Anna Huber", "Ben Maier", "Clara Schmid", "David Wagner", "Eva Becker", "Felix Koch"]
# Home bases spread around the metro area (north, east, south, west, centre, north-west).
REP_HOMES = [
    (48.2100, 11.5800),
    (48.1350, 11.7000),
    (48.0700, 11.5600),
    (48.1400, 11.4400),
    (48.1500, 11.5600),
    (48.1900, 11.4900),
]
STREETS = [
    "Leopoldstr.",
    "Sendlinger Str.",
    "Landsberger Str.",
    "Rosenheimer Str.",
    "Dachauer Str.",
    "Lindwurmstr.",
    "Ungererstr.",
    "Nymphenburger Str.",
    "Tegernseer Landstr.",
    "Wasserburger Landstr.",
]
KINDS = [
    "Apotheke",
    "Baumarkt",
    "Bäckerei",
    "Autohaus",
    "Praxis",
    "Elektro",
    "Getränke",
    "Optik",
    "Reformhaus",
    "Werkstatt",
    "Blumen",
    "Feinkost",
]
# The industry each kind of shop is filed under in the CRM.
INDUSTRIES = {
    "Apotheke": "Health",
    "Praxis": "Health",
    "Optik": "Health",
    "Reformhaus": "Food retail",
    "Bäckerei": "Food retail",
    "Getränke": "Food retail",
    "Feinkost": "Food retail",
    "Baumarkt": "DIY and hardware",
    "Elektro": "DIY and hardware",
    "Werkstatt": "Automotive",
    "Autohaus": "Automotive",
    "Blumen": "Garden",
}
SIZE_BY_TIER = {"A": ("50-249", "250+"), "B": ("10-49", "50-249"), "C": ("1-9", "10-49")}
HOURS_PATTERNS = [
    # shop with lunch closure
    {d: [["08:30", "12:30"], ["14:00", "18:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    | {"sat": [["09:00", "13:00"]], "sun": []},
    # all-day retail
    {d: [["09:00", "19:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    | {"sat": [["09:00", "16:00"]], "sun": []},
    # practice: mornings, two afternoons, Wednesday afternoon closed
    {
        "mon": [["08:00", "12:00"], ["15:00", "18:00"]],
        "tue": [["08:00", "12:00"], ["15:00", "18:00"]],
        "wed": [["08:00", "12:00"]],
        "thu": [["08:00", "12:00"], ["15:00", "18:00"]],
        "fri": [["08:00", "12:00"]],
        "sat": [],
        "sun": [],
    },
    # trade customer, early
    {d: [["07:00", "12:00"], ["12:45", "16:00"]] for d in ("mon", "tue", "wed", "thu", "fri")}
    | {"sat": [], "sun": []},
]
TIER_SHARE = [("A", 0.2), ("B", 0.3), ("C", 0.5)]
VISITS_PER_60_DAYS = {"A": 4, "B": 2, "C": 1}
CALLS_PER_60_DAYS = {"A": 4, "B": 4, "C": 2}
EMAILS_PER_60_DAYS = {"A": 8, "B": 4, "C": 2}


def demo_exists() -> bool:
    """True when the demo users are already there."""
    return (
        db.session.scalar(select(func.count()).select_from(User).where(User.email == MANAGER)) > 0
    )


def seed(
    *,
    accounts_per_rep: int = 120,
    history_days: int = 60,
    today: date | None = None,
    seed_value: int = 7,
    hash_method: str = users.DEFAULT_HASH_METHOD,
    unbalanced: bool = False,
) -> dict:
    """Create the demo organisation; returns the logins. Deterministic for a given seed.

    ``hash_method`` hashes the demo password (the CLI passes the configured one).
    ``unbalanced`` gives the reps very different books (twice, once, half the accounts in
    turn), a team for the rebalancing proposal to work on.
    """
    rng = random.Random(seed_value)
    today = today or datetime.now(ZoneInfo(TZ)).date()
    plan_store.ensure_default_plan()
    users.create_user(
        email=ADMIN,
        name="Ada Admin",
        password=PASSWORD,
        role="admin",
        time_zone=TZ,
        hash_method=hash_method,
    )
    manager = users.create_user(
        email=MANAGER,
        name="Max Manager",
        password=PASSWORD,
        role="manager",
        time_zone=TZ,
        hash_method=hash_method,
    )
    north = users.create_territory(name="München Nord", manager_id=manager.id)
    south = users.create_territory(name="München Süd", manager_id=manager.id)
    reps: list[User] = []
    for i, (name, home) in enumerate(zip(REP_NAMES, REP_HOMES, strict=True)):
        territory = north if home[0] >= CENTER[0] else south
        first = name.split()[0].lower()
        rep = users.create_user(
            email=f"{first}@demo.fieldrep.app",
            name=name,
            password=PASSWORD,
            role="rep",
            time_zone=TZ,
            home_lat=home[0],
            home_lon=home[1],
            territory_ids=[territory.id],
            max_stops=12 if i % 2 else None,
            hash_method=hash_method,
        )
        reps.append(rep)

    accounts: list[Account] = []
    for i, rep in enumerate(reps):
        territory = rep.territories[0]
        count = int(accounts_per_rep * (2.0, 1.0, 0.5)[i % 3]) if unbalanced else accounts_per_rep
        for _ in range(count):
            accounts.append(_make_account(rng, rep, territory.id, len(accounts) + 1))
    db.session.add_all(accounts)
    db.session.flush()
    touches = _history(rng, accounts, today, history_days)
    for start in range(0, len(touches), 2000):
        db.session.execute(insert(Touch), touches[start : start + 2000])
    # A bulk insert passes the ORM by: tell the change log, or no phone would ever pull them.
    for t in touches:
        changes.record("touch", t["id"], account_id=t["account_id"], rep_id=t["rep_id"])
    db.session.flush()
    deals = seed_pipeline(accounts, reps, manager, today, seed_value)
    return {
        "password": PASSWORD,
        "admin": ADMIN,
        "manager": MANAGER,
        "reps": [r.email for r in reps],
        "accounts": len(accounts),
        "touches": len(touches),
        "opportunities": deals["opportunities"],
    }


def _make_account(rng: random.Random, rep: User, territory_id: int, n: int) -> Account:
    roll, tier = rng.random(), "C"
    acc = 0.0
    for name, share in TIER_SHARE:
        acc += share
        if roll < acc:
            tier = name
            break
    # Accounts cluster around the rep's home base, within ~15 km.
    lat = rep.home_lat + rng.gauss(0, 0.05)
    lon = rep.home_lon + rng.gauss(0, 0.075)
    revenue = {
        "A": rng.uniform(80_000, 300_000),
        "B": rng.uniform(20_000, 80_000),
        "C": rng.uniform(2_000, 20_000),
    }[tier]
    kind = rng.choice(KINDS)
    segment = random.Random(n)
    return Account(
        external_id=f"CRM-{n:05d}",
        name=f"{kind} {rng.choice(['am', 'an der', 'im'])} {rng.choice(STREETS).split('.')[0]} {n}",
        address=f"{rng.choice(STREETS)} {rng.randint(1, 180)}, München",
        lat=round(lat, 6),
        lon=round(lon, 6),
        tier=tier,
        kare=rng.choices(["keep", "attain", "recapture", "expand"], [0.55, 0.15, 0.1, 0.2])[0],
        status=rng.choices(["customer", "opportunity", "lead"], [0.8, 0.12, 0.08])[0],
        revenue=round(revenue, 2),
        cost_to_serve=round(revenue * rng.uniform(0.03, 0.12), 2),
        # Segment attributes from their own generator, so the rest of the demo stays as it was.
        industry=INDUSTRIES[kind],
        size_band=segment.choice(SIZE_BY_TIER[tier]),
        postal_code=f"80{segment.randint(331, 999)}",
        potential=round(revenue * segment.uniform(1.1, 2.5), -2),
        opening_hours=rng.choice(HOURS_PATTERNS),
        notes="",
        contacts=[
            {
                "name": f"Frau {rng.choice(['Meier', 'Schulz', 'Fischer', 'Weber'])}",
                "phone": f"+49 89 {rng.randint(1000000, 9999999)}",
                "email": "",
                "role": "Inhaberin",
            }
        ],
        owner_id=rep.id,
        territory_id=territory_id,
    )


def _history(rng: random.Random, accounts: list[Account], today: date, days: int) -> list[dict]:
    """Touches over the last ``days`` days: most of the plan kept, some accounts neglected."""
    tz = ZoneInfo(TZ)
    rows = []
    for account in accounts:
        neglect = rng.random() < 0.15  # some accounts fall behind: something to see as overdue
        for kind, per_60 in (
            ("visit", VISITS_PER_60_DAYS),
            ("call", CALLS_PER_60_DAYS),
            ("email", EMAILS_PER_60_DAYS),
        ):
            expected = per_60[account.tier] * days / 60
            count = int(expected * (rng.uniform(0.0, 0.4) if neglect else rng.uniform(0.6, 1.1)))
            for _ in range(count):
                day = today - timedelta(days=rng.randint(1, days))
                while day.weekday() >= 5:
                    day -= timedelta(days=1)
                local = datetime.combine(
                    day, time(rng.randint(8, 16), rng.choice([0, 15, 30, 45])), tzinfo=tz
                )
                rows.append(
                    {
                        "id": str(uuid.UUID(int=rng.getrandbits(128), version=4)),
                        "account_id": account.id,
                        "rep_id": account.owner_id,
                        "type": kind,
                        "occurred_at": local.astimezone(UTC),
                        "local_date": day,
                        "outcome": rng.choice(["positive", "neutral", "neutral", "negative"]),
                        "notes": "",
                        "next_step": "",
                        "duration_minutes": rng.choice([20, 30, 45]) if kind == "visit" else None,
                        "created_by_id": account.owner_id,
                        "created_at": local.astimezone(UTC),
                        "received_at": local.astimezone(UTC),
                    }
                )
    return rows
