"""Benchmark: applying territory rules (polygon, segment and hybrid) to many accounts.

    python bench/territory_rules.py                       # temporary SQLite, 2,000 and 10,000
    python bench/territory_rules.py --accounts 2000 10000 50000
    python bench/territory_rules.py --database-url postgresql://postgres@127.0.0.1:5432/bench_x

The database is EMPTIED and refilled for each size: 20 territories, each a cell of a 5 x 4 grid
of polygons over the Munich area with 5 member reps, plus one segment territory ("pharma, 250+")
and one hybrid territory (retail inside the city centre), which overlap the grid on purpose so
some accounts are conflicts; accounts spread over a box a little larger than the grid, so some
are gaps. Timed: the dry run (``assign.plan``) and the real run (``assign.run`` plus commit:
audit rows, versions). Prints figures only; there is no pass/fail.
"""

from __future__ import annotations

import argparse
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, select  # noqa: E402
from werkzeug.security import generate_password_hash  # noqa: E402

from backend import create_app  # noqa: E402
from backend.accounts.models import Account, AuditEntry  # noqa: E402
from backend.core.extensions import db  # noqa: E402
from backend.territories import assign  # noqa: E402
from backend.territories.models import TerritoryRule  # noqa: E402
from backend.users.models import Territory, User, territory_members  # noqa: E402

WEST, SOUTH, EAST, NORTH = 11.35, 48.00, 11.85, 48.30
COLS, ROWS = 5, 4


def _square(west, south, east, north):
    ring = [[west, south], [east, south], [east, north], [west, north], [west, south]]
    return {"type": "Polygon", "coordinates": [ring]}


def build(n_accounts: int, seed: int = 3) -> None:
    """Empty the database and fill it with territories, rules, reps and accounts."""
    rng = random.Random(seed)
    db.drop_all()
    db.create_all()
    password = generate_password_hash("bench-password", method="pbkdf2:sha256:1000")
    admin = User(email="admin@bench.local", name="Admin", role="admin", password_hash=password)
    db.session.add(admin)
    territories = [Territory(name=f"Cell {i}") for i in range(COLS * ROWS)]
    territories += [Territory(name="Key pharma"), Territory(name="City retail")]
    db.session.add_all(territories)
    db.session.flush()
    width, height = (EAST - WEST) / COLS, (NORTH - SOUTH) / ROWS
    for i, territory in enumerate(territories[: COLS * ROWS]):
        col, row = i % COLS, i // COLS
        west, south = WEST + col * width, SOUTH + row * height
        area = _square(west, south, west + width, south + height)
        db.session.add(TerritoryRule(territory_id=territory.id, geometry=area, name="cell"))
    db.session.add(
        TerritoryRule(
            territory_id=territories[-2].id, industries=["pharma"], size_bands=["250+"], name="key"
        )
    )
    db.session.add(
        TerritoryRule(
            territory_id=territories[-1].id,
            geometry=_square(11.50, 48.10, 11.65, 48.18),
            industries=["retail"],
            name="city retail",
        )
    )
    reps = [
        {"email": f"rep{i}@bench.local", "name": f"Rep {i}", "role": "rep"}
        for i in range(5 * len(territories))
    ]
    for rep in reps:
        rep |= {"password_hash": password, "time_zone": "Europe/Berlin", "version": 1}
    db.session.execute(insert(User), reps)
    rep_ids = list(db.session.scalars(select(User.id).where(User.role == "rep").order_by(User.id)))
    db.session.execute(
        insert(territory_members),
        [
            {"territory_id": territories[i // 5].id, "user_id": rep_id}
            for i, rep_id in enumerate(rep_ids)
        ],
    )
    industries = ["retail", "pharma", "food", "it", "health"]
    rows = []
    for n in range(n_accounts):
        rows.append(
            {
                "name": f"Account {n}",
                "lat": rng.uniform(SOUTH - 0.03, NORTH + 0.03),
                "lon": rng.uniform(WEST - 0.05, EAST + 0.05),
                "tier": rng.choice("ABC"),
                "industry": rng.choice(industries),
                "size_band": rng.choice(["1-9", "10-49", "50-249", "250+"]),
                "postal_code": f"8{rng.randint(0, 9999):04d}",
                "opening_hours": {},
                "contacts": [],
                "notes": "",
                "version": 1,
            }
        )
    for start in range(0, len(rows), 5000):
        db.session.execute(insert(Account), rows[start : start + 5000])
    db.session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--accounts", type=int, nargs="+", default=[2000, 10000])
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite:///{tmp}/rules.sqlite"
        app = create_app({"SQLALCHEMY_DATABASE_URI": url, "SECRET_KEY": "bench"})
        print(f"database: {url.split(':', 1)[0]}")
        print("| accounts | rules | dry run | real run + commit | assigned | conflicts | gaps |")
        print("|---|---|---|---|---|---|---|")
        for n in args.accounts:
            with app.app_context():
                build(n)
                admin = db.session.scalar(select(User).where(User.role == "admin"))
                n_rules = db.session.scalar(select(func.count()).select_from(TerritoryRule))
                started = time.perf_counter()
                preview = assign.plan(admin)
                dry = time.perf_counter() - started
                db.session.rollback()
                started = time.perf_counter()
                outcome = assign.run(admin, dry_run=False)
                db.session.commit()
                real = time.perf_counter() - started
                audits = db.session.scalar(select(func.count()).select_from(AuditEntry))
                assert outcome.assigned == preview.assigned and audits >= outcome.assigned
                print(
                    f"| {n:,} | {n_rules} | {dry:.2f} s | {real:.2f} s | {outcome.assigned:,} "
                    f"| {len(outcome.conflicts):,} | {len(outcome.gaps):,} |"
                )
                db.session.remove()
        with app.app_context():
            db.drop_all()


if __name__ == "__main__":
    main()
