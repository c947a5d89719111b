"""Pipeline fixtures: a small data set whose every figure is computed by hand (see test_reports)."""

import uuid
from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import update

# The sync tests' team (a manager, two reps, three accounts), for the deal sync tests.
from tests.backend.sync.conftest import team  # noqa: F401


def at(day: str) -> datetime:
    """Noon UTC of an ISO date."""
    return datetime.fromisoformat(day).replace(hour=12, tzinfo=UTC)


@pytest.fixture
def make_opportunity(db):
    """Factory: ``make_opportunity(account, stage, amount, created, closed=None)`` (no service:
    the dates are history)."""
    from backend.pipeline.models import Opportunity

    def make(account, stage, amount, created, closed=None, owner=None, **fields):
        opp = Opportunity(
            account_id=account.id,
            owner_id=owner.id if owner else account.owner_id,
            name=fields.pop("name", f"Deal {uuid.uuid4().hex[:4]}"),
            stage=stage,
            amount=amount,
            created_at=at(created),
            closed_at=at(closed) if closed else None,
            **fields,
        )
        db.session.add(opp)
        db.session.commit()
        return opp

    return make


@pytest.fixture
def make_touches(db):
    """Factory: ``make_touches(account, rep, kind, n, minutes=None, day="2026-05-05")``."""
    from backend.touches.models import Touch

    def make(account, rep, kind, n, minutes=None, day="2026-05-05"):
        for i in range(n):
            when = at(day) + timedelta(days=i)
            db.session.add(
                Touch(
                    id=str(uuid.uuid4()),
                    account_id=account.id,
                    rep_id=rep.id,
                    type=kind,
                    occurred_at=when,
                    local_date=when.date(),
                    duration_minutes=minutes,
                )
            )
        db.session.commit()

    return make


@pytest.fixture
def hand(db, make_user, make_territory, make_account, make_opportunity, make_touches):
    """The hand-computed world of 2026 (every figure in test_reports derives from this).

    Territory T1 (rep R1): customers A1 (largest revenue, lowest profit), A2, A3, A4 (costs
    only), leads L1-L4 (L3, L4 became customers in May). Territory T2 (rep R2): customer B1.
    Both managed by M; another manager M2 with T3 and rep R3 sees none of it.
    """
    from backend.core.extensions import db as _db
    from backend.pipeline.models import AccountStatusChange, Quota
    from backend.routes.models import RoutePlan

    m = make_user("manager", name="Manager M")
    t1, t2 = make_territory(m, name="North"), make_territory(m, name="South")
    r1 = make_user("rep", territory=t1, name="Rep One")
    r2 = make_user("rep", territory=t2, name="Rep Two")
    m2 = make_user("manager")
    t3 = make_territory(m2, name="Elsewhere")
    r3 = make_user("rep", territory=t3)
    old = at("2025-06-01")

    def customer(owner, territory, name, cost, **kw):
        return make_account(
            owner=owner,
            territory=territory,
            name=name,
            status="customer",
            cost_to_serve=cost,
            created_at=old,
            **kw,
        )

    a1 = customer(
        r1, t1, "Dorne 1", 5850.0, industry="retail", size_band="250+", lat=48.0, lon=11.0
    )
    a2 = customer(
        r1,
        t1,
        "Dorne 2",
        870.0,
        industry="retail",
        size_band="10-49",
        potential=20000.0,
        lat=48.5,
        lon=11.5,
    )
    a3 = customer(r1, t1, "Dorne 3", 225.0, industry="food", size_band="1-9", lat=47.0, lon=10.0)
    a4 = customer(r1, t1, "Costly", 500.0, tier="A", lat=47.5, lon=10.5)
    b1 = customer(r2, t2, "Southern", 0.0, lat=46.0, lon=9.0)
    leads = [
        make_account(
            owner=r1,
            territory=t1,
            name=f"Lead {i}",
            status="lead",
            created_at=at("2026-02-01"),
            **kw,
        )
        for i, kw in enumerate(
            [
                {"industry": "food", "size_band": "1-9", "lat": 47.01, "lon": 10.01},
                {"industry": "retail", "size_band": "10-49", "lat": 48.51, "lon": 11.51},
                {},
                {},
            ],
            start=1,
        )
    ]
    # L3 and L4 became customers in May (written as history, as a CRM export would).
    for lead in leads[2:]:
        _db.session.add(
            AccountStatusChange(
                account_id=lead.id, from_status="lead", to_status="customer", at=at("2026-05-01")
            )
        )
        _db.session.execute(
            update(type(lead)).where(type(lead).id == lead.id).values(status="customer")
        )
    _db.session.commit()
    o = make_opportunity
    o(a1, "won", 9000.0, "2026-01-10", "2026-03-11")  # 60 days
    o(a2, "won", 6000.0, "2026-02-01", "2026-03-03")  # 30 days
    o(a3, "won", 3000.0, "2026-04-01", "2026-05-01")  # 30 days
    o(leads[0], "lost", 3000.0, "2026-03-01", "2026-04-01", lost_reason="price")
    o(leads[1], "proposal", 8000.0, "2026-06-01")
    o(leads[2], "lead", 4000.0, "2026-07-01")
    o(b1, "won", 1000.0, "2026-01-01", "2026-01-11")  # 10 days
    for _ in range(3):
        o(b1, "lost", 500.0, "2026-02-01", "2026-03-01")
    o(a1, "won", 99999.0, "2025-03-01", "2025-12-01")  # last year: in no 2026 figure
    _db.session.add(Quota(period="2026", territory_id=t1.id, revenue=24000.0, activity={}))
    _db.session.add(Quota(period="2026", rep_id=r1.id, revenue=20000.0, activity={}))
    _db.session.commit()
    make_touches(a1, r1, "visit", 20, minutes=120)
    make_touches(a2, r1, "visit", 5, minutes=60)
    make_touches(a3, r1, "visit", 2, minutes=30)
    make_touches(a2, r1, "call", 18)
    make_touches(a3, r1, "email", 9)
    make_touches(a1, r1, "visit", 3, minutes=600, day="2025-11-01")  # last year
    legs = [
        {"from": "start", "to": str(a1.id), "travel_seconds": 1, "distance_m": 1_000_000},
        {"from": str(a1.id), "to": str(a2.id), "travel_seconds": 1, "distance_m": 100_000},
        {"from": str(a2.id), "to": str(a3.id), "travel_seconds": 1, "distance_m": 50_000},
        {"from": str(a3.id), "to": "end", "travel_seconds": 1, "distance_m": 7_000},
    ]
    _db.session.add(RoutePlan(rep_id=r1.id, date=date(2026, 5, 5), stops=[], legs=legs))
    # A stop the rep skipped: nobody drove there, so it costs nothing.
    _db.session.add(
        RoutePlan(
            rep_id=r1.id,
            date=date(2026, 5, 6),
            stops=[{"account_id": a3.id, "status": "skipped"}],
            legs=[{"from": "start", "to": str(a3.id), "travel_seconds": 1, "distance_m": 90_000}],
        )
    )
    _db.session.commit()
    return {
        "m": m,
        "m2": m2,
        "t1": t1,
        "t2": t2,
        "t3": t3,
        "r1": r1,
        "r2": r2,
        "r3": r3,
        "a1": a1,
        "a2": a2,
        "a3": a3,
        "a4": a4,
        "b1": b1,
        "leads": leads,
    }
