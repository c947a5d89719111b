"""Logging touches: idempotent by UUID, scoped, validated, dated in the rep's zone."""

import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from backend.touches.models import Touch


def _body(account, **fields):
    body = {
        "id": str(uuid.uuid4()),
        "account_id": account.id,
        "type": "visit",
        "occurred_at": datetime.now(UTC).isoformat(),
        "outcome": "positive",
        "notes": "Met the owner",
        "next_step": "Send the offer",
        "duration_minutes": 30,
        "checkin": {"lat": 48.14, "lon": 11.57, "accuracy_m": 12},
    }
    return body | fields


def _count(db):
    return db.session.query(Touch).count()


def test_log_a_visit_and_a_retry_returns_the_same_touch(db, login, make_user, make_account):
    rep = make_user("rep")
    account = make_account(owner=rep)
    client = login(rep)
    body = _body(account)
    first = client.post("/api/touches", json=body)
    assert first.status_code == 201, first.get_json()
    touch = first.get_json()
    assert touch["rep_id"] == rep.id and touch["checkin"]["accuracy_m"] == 12
    retry = client.post("/api/touches", json=body)
    assert retry.status_code == 200
    assert retry.get_json() == touch
    # Different content under the same id: still the stored touch; the first write wins.
    changed = client.post("/api/touches", json=body | {"notes": "edited"})
    assert changed.status_code == 200 and changed.get_json()["notes"] == "Met the owner"
    assert _count(db) == 1


def test_another_reps_uuid_is_a_conflict(login, make_user, make_account):
    ana, ben = make_user("rep"), make_user("rep")
    body = _body(make_account(owner=ana))
    assert login(ana).post("/api/touches", json=body).status_code == 201
    clash = login(ben).post("/api/touches", json=body | {"account_id": make_account(owner=ben).id})
    assert clash.status_code == 409
    assert "Met the owner" not in clash.get_data(as_text=True)


def test_rep_cannot_log_on_another_reps_account(db, login, make_user, make_account):
    me, other = make_user("rep"), make_user("rep")
    theirs = make_account(owner=other)
    response = login(me).post("/api/touches", json=_body(theirs))
    assert response.status_code == 404
    assert _count(db) == 0


def test_manager_logs_on_team_account_and_gets_the_credit(
    login, make_user, make_territory, make_account
):
    manager = make_user("manager", time_zone="America/Chicago")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    account = make_account(owner=rep, territory=territory)
    outside = make_account(owner=make_user("rep"), territory=make_territory())
    client = login(manager)
    # 03:00 UTC on Nov 2 is still Nov 1 in Chicago: the manager's zone dates the touch.
    logged = client.post(
        "/api/touches",
        json=_body(account, type="call", occurred_at="2026-11-02T03:00:00+00:00", checkin=None),
    )
    assert logged.status_code == 201, logged.get_json()
    assert logged.get_json()["rep_id"] == manager.id
    assert logged.get_json()["local_date"] == "2026-11-01"
    assert client.post("/api/touches", json=_body(outside)).status_code == 404


@pytest.mark.parametrize(
    ("fields", "field", "fragment"),
    [
        ({"type": "fax"}, "type", "one of"),
        ({"checkin": {"lat": 95, "lon": 11}}, "checkin", "between -90"),
        ({"colour": "red"}, "colour", "Unknown field"),
        ({"id": "not-a-uuid"}, "id", "UUID"),
        ({"occurred_at": "2026-11-20T10:00:00"}, "occurred_at", "UTC offset"),
        ({"outcome": "great"}, "outcome", "one of"),
        ({"duration_minutes": -5}, "duration_minutes", "greater than or equal"),
    ],
)
def test_bad_touch_input_is_422_with_field_messages(
    login, make_user, make_account, fields, field, fragment
):
    rep = make_user("rep")
    response = login(rep).post("/api/touches", json=_body(make_account(owner=rep), **fields))
    assert response.status_code == 422
    assert fragment in json.dumps(response.get_json()["errors"]["json"][field])


def test_future_and_too_old_touches_are_refused_but_managers_may_backfill(
    app, login, make_user, make_territory, make_account
):
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    account = make_account(owner=rep, territory=territory)
    rep_client = login(rep)
    now = datetime.now(UTC)
    future = now + timedelta(seconds=app.config["TOUCH_MAX_FUTURE_SKEW_SECONDS"] + 120)
    old = now - timedelta(days=app.config["TOUCH_MAX_AGE_DAYS"] + 1)
    ahead = rep_client.post("/api/touches", json=_body(account, occurred_at=future.isoformat()))
    assert ahead.status_code == 422
    assert "future" in ahead.get_json()["errors"]["json"]["occurred_at"][0]
    stale = rep_client.post("/api/touches", json=_body(account, occurred_at=old.isoformat()))
    assert stale.status_code == 422
    assert "backfill" in stale.get_json()["errors"]["json"]["occurred_at"][0]
    # A little clock skew on the phone is fine.
    skewed = now + timedelta(seconds=60)
    assert (
        rep_client.post("/api/touches", json=_body(account, occurred_at=skewed.isoformat()))
    ).status_code == 201
    backfill = login(manager).post("/api/touches", json=_body(account, occurred_at=old.isoformat()))
    assert backfill.status_code == 201


def test_list_is_scoped_and_filtered(login, make_user, make_territory, make_account):
    manager = make_user("manager")
    territory = make_territory(manager)
    ana = make_user("rep", territory=territory)
    ben = make_user("rep")
    mine = make_account(owner=ana, territory=territory)
    theirs = make_account(owner=ben)
    ana_client, ben_client = login(ana), login(ben)
    visit = _body(mine)
    call = _body(mine, type="call")
    for body in (visit, call):
        assert ana_client.post("/api/touches", json=body).status_code == 201
    assert ben_client.post("/api/touches", json=_body(theirs)).status_code == 201

    listed = ana_client.get("/api/touches").get_json()
    assert {t["id"] for t in listed} == {visit["id"], call["id"]}
    calls = ana_client.get("/api/touches?type=call").get_json()
    assert [t["id"] for t in calls] == [call["id"]]
    page = ana_client.get("/api/touches?page_size=1")
    assert json.loads(page.headers["X-Pagination"])["total"] == 2
    assert {t["id"] for t in login(manager).get("/api/touches").get_json()} == {
        visit["id"],
        call["id"],
    }
    today = datetime.now(UTC).date()
    empty = ana_client.get(f"/api/touches?until={today - timedelta(days=2)}").get_json()
    assert empty == []
    bad = ana_client.get(f"/api/touches?since={today}&until={today - timedelta(days=1)}")
    assert bad.status_code == 422
