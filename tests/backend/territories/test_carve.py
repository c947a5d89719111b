"""A new rep's accounts carved from neighbours (POST /api/users/<id>/carve), and the RQ path
of the new owners' route re-planning."""

from __future__ import annotations

import os
from collections import Counter
from datetime import date

import pytest
from sqlalchemy import select

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/3")


def _owners(db, ids):
    from backend.accounts.models import Account

    db.session.expire_all()
    stmt = select(Account.id, Account.owner_id).where(Account.id.in_(ids))
    return dict(db.session.execute(stmt).all())


def test_carve_takes_from_the_most_loaded_nearest_the_new_reps_home(
    db, login, staff, book, make_user
):
    from backend.accounts.models import AuditEntry
    from backend.territories.departure.owners import distance_km

    b, c = staff["b"], staff["c"]
    heavy = book(b, staff["territory"], 40)
    light = book(c, staff["territory"], 20, locked=False)
    heavy[0].locked = True
    db.session.commit()
    new = make_user("rep", territory=staff["territory"], home_lat=48.10, home_lon=11.45)
    # 60 accounts over b, c and the new rep (the old rep of the fixture holds none: 4 members).
    answer = (
        login(staff["manager"])
        .post(f"/api/users/{new.id}/carve", json={"territory_id": staff["territory"].id})
        .get_json()
    )
    assert answer["moves"] == 15  # round(60 / 4) - 0
    owners = _owners(db, [a.id for a in heavy + light])
    taken = {i for i, o in owners.items() if o == new.id}
    assert taken == set(answer["account_ids"]) and heavy[0].id not in taken
    # From the most loaded first: b (40) gives until level with c (20), then both give.
    assert answer["from_owner"] == {str(b.id): 15}
    # Nearest the new rep's home among b's unlocked accounts.
    remaining = [a for a in heavy[1:] if a.id not in taken]
    far = min(distance_km(a.lat, a.lon, 48.10, 11.45) for a in remaining)
    near = max(distance_km(a.lat, a.lon, 48.10, 11.45) for a in heavy if a.id in taken)
    assert near <= far
    audited = db.session.scalars(
        select(AuditEntry.account_id).where(AuditEntry.ref == f"carve:{new.id}")
    ).all()
    assert sorted(audited) == sorted(taken)


def test_carve_evens_out_two_neighbours_and_checks_its_inputs(
    db, login, staff, book, make_user, make_territory
):
    b, c = staff["b"], staff["c"]
    book(b, staff["territory"], 12)
    book(c, staff["territory"], 10)
    new = make_user("rep", territory=staff["territory"])
    boss = login(staff["manager"])
    url = f"/api/users/{new.id}/carve"
    answer = boss.post(url, json={"territory_id": staff["territory"].id, "accounts": 6}).get_json()
    assert answer["moves"] == 6
    assert Counter(answer["from_owner"]) == {str(b.id): 4, str(c.id): 2}
    outsider = make_user("rep")
    other = make_territory(make_user("manager"))
    assert boss.post(url, json={"territory_id": other.id}).status_code == 422
    assert boss.post(url, json={"territory_id": 999_999}).status_code == 422
    assert boss.post(url, json={}).status_code == 422
    response = boss.post(f"/api/users/{outsider.id}/carve", json={"territory_id": other.id})
    assert response.status_code == 404
    assert login(b).post(url, json={"territory_id": staff["territory"].id}).status_code == 404


def test_a_dry_run_previews_the_carve_and_moves_nothing(db, login, staff, book, make_user):
    from backend.accounts.models import AuditEntry

    b, c = staff["b"], staff["c"]
    accounts = book(b, staff["territory"], 12) + book(c, staff["territory"], 10)
    new = make_user("rep", territory=staff["territory"])
    boss = login(staff["manager"])
    url = f"/api/users/{new.id}/carve"
    body = {"territory_id": staff["territory"].id, "accounts": 6}
    before = _owners(db, [a.id for a in accounts])
    preview = boss.post(url, json=body | {"dry_run": True})
    assert preview.status_code == 200
    preview = preview.get_json()
    assert preview["dry_run"] is True and preview["replan"] == "none"
    assert preview["moves"] == 6 and len(preview["account_ids"]) == 6
    assert _owners(db, [a.id for a in accounts]) == before
    audited = select(AuditEntry.id).where(AuditEntry.ref == f"carve:{new.id}")
    assert db.session.scalars(audited).all() == []
    # Confirming moves exactly what the preview showed.
    done = boss.post(url, json=body).get_json()
    assert done["dry_run"] is False
    assert done["account_ids"] == preview["account_ids"]
    assert done["from_owner"] == preview["from_owner"]
    owners = _owners(db, [a.id for a in accounts])
    assert {i for i, o in owners.items() if o == new.id} == set(preview["account_ids"])
    assert boss.post(url, json=body | {"dry_run": "maybe"}).status_code == 422


@pytest.fixture
def rq_app(app, monkeypatch):
    from redis import Redis
    from redis.exceptions import ConnectionError

    redis = Redis.from_url(REDIS_URL)
    try:
        redis.flushdb()
    except ConnectionError:
        pytest.fail(f"no Redis at {REDIS_URL}")
    monkeypatch.setitem(app.config, "REDIS_URL", REDIS_URL)
    app.extensions.pop("fieldrep_rq", None)
    yield app
    app.extensions.pop("fieldrep_rq", None)
    redis.flushdb()


def test_route_replanning_goes_through_the_rq_queue(db, rq_app, login, staff, book):
    from backend.core.jobs import make_worker
    from backend.routes.models import RoutePlan

    old, b = staff["old"], staff["b"]
    accounts = book(old, staff["territory"], 10, tier_a_every=2)
    answer = (
        login(staff["manager"])
        .post(f"/api/users/{old.id}/departure", json={"strategy": "named", "to": {"rep_id": b.id}})
        .get_json()
    )
    assert answer["replan"] == "queued"
    day = date.fromisoformat(answer["replanned"][0]["date"])
    stmt = select(RoutePlan).where(RoutePlan.rep_id == b.id, RoutePlan.date == day)
    assert db.session.scalar(stmt) is None  # not planned in the request
    make_worker(rq_app, name="departure-test-worker").work(burst=True)
    db.session.expire_all()
    route = db.session.scalar(stmt)
    assert route is not None
    assert {s["account_id"] for s in route.stops} & {a.id for a in accounts if a.tier == "A"}
