"""Every timestamp leaves the API with a UTC offset, the instant the client sent, on any database."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.core.extensions import db as _db
from backend.touches.models import Touch
from sync import CURRENT_SCHEMA_VERSION

BERLIN = ZoneInfo("Europe/Berlin")


def _yesterday_half_past_nine() -> datetime:
    """09:30 in Berlin yesterday: recent enough to log, and an offset that is not UTC."""
    day = datetime.now(BERLIN).date() - timedelta(days=1)
    return datetime.combine(day, time(9, 30), tzinfo=BERLIN)


def _aware(text: str) -> datetime:
    moment = datetime.fromisoformat(text)
    assert moment.tzinfo is not None, f"{text!r} carries no UTC offset"
    return moment


def _pull(client) -> list[dict]:
    query = {"limit": 200, "schema_version": CURRENT_SCHEMA_VERSION}
    response = client.get("/api/sync/pull", query_string=query)
    assert response.status_code == 200, response.get_json()
    return response.get_json()["changes"]


def _pulled_touches(client) -> dict[str, dict]:
    changes = _pull(client)
    return {c["id"]: c["data"] for c in changes if c["entity"] == "touch" and c["op"] == "put"}


def _timestamps(value, path: str = "") -> list[tuple[str, str]]:
    """Every ``*_at`` string in a JSON document, with where it was."""
    found = []
    if isinstance(value, dict):
        for key, item in value.items():
            if key.endswith("_at") and isinstance(item, str):
                found.append((f"{path}.{key}", item))
            else:
                found += _timestamps(item, f"{path}.{key}")
    elif isinstance(value, list):
        for n, item in enumerate(value):
            found += _timestamps(item, f"{path}[{n}]")
    return found


def test_a_touch_logged_with_an_offset_reads_back_as_the_same_instant_via_rest_and_pull(
    db, login, make_user, make_account
):
    rep = make_user("rep", time_zone="Europe/Berlin")
    account = make_account(owner=rep)
    client = login(rep)
    logged = _yesterday_half_past_nine()
    touch_id = str(uuid.uuid4())
    body = {
        "id": touch_id,
        "account_id": account.id,
        "type": "visit",
        "occurred_at": logged.isoformat(),  # e.g. 2026-12-01T09:30:00+01:00
        "outcome": "positive",
    }
    created = client.post("/api/touches", json=body)
    assert created.status_code == 201, created.get_json()
    _db.session.expire_all()  # what follows reads rows back from the database

    listed = {t["id"]: t for t in client.get(f"/api/touches?account_id={account.id}").get_json()}
    pulled = _pulled_touches(client)
    for shown in (created.get_json(), listed[touch_id], pulled[touch_id]):
        assert _aware(shown["occurred_at"]) == logged
        assert _aware(shown["occurred_at"]).astimezone(BERLIN).time() == time(9, 30)
        assert _aware(shown["created_at"]) <= datetime.now(UTC)
        assert shown["local_date"] == logged.date().isoformat()
    assert pulled[touch_id] == listed[touch_id]


def test_the_model_hands_back_aware_utc_whatever_offset_went_in(db, make_user, make_account):
    rep = make_user("rep")
    account = make_account(owner=rep)
    logged = _yesterday_half_past_nine()
    _db.session.add(
        Touch(
            id=str(uuid.uuid4()),
            account_id=account.id,
            rep_id=rep.id,
            type="call",
            occurred_at=logged,  # not converted by the caller: the column type does it
            local_date=logged.date(),
        )
    )
    _db.session.commit()
    _db.session.expire_all()

    row = _db.session.scalar(select(Touch))
    assert row.occurred_at == logged and row.occurred_at.utcoffset() == timedelta(0)
    assert row.created_at.utcoffset() == timedelta(0)
    # Comparisons in SQL see the same instant, whatever offset the parameter carries.
    assert _db.session.scalar(select(Touch.id).where(Touch.occurred_at == logged)) == row.id
    naive_utc = logged.astimezone(UTC).replace(tzinfo=None)  # naive input means UTC
    assert _db.session.scalar(select(Touch.id).where(Touch.occurred_at == naive_utc)) == row.id


def test_every_timestamp_the_lists_and_a_pull_page_carry_has_an_offset(
    db, login, make_user, make_account
):
    rep = make_user("rep")
    account = make_account(owner=rep)
    client = login(rep)
    body = {
        "id": str(uuid.uuid4()),
        "account_id": account.id,
        "type": "call",
        "occurred_at": _yesterday_half_past_nine().isoformat(),
    }
    assert client.post("/api/touches", json=body).status_code == 201
    _db.session.expire_all()

    documents = {
        "accounts": client.get("/api/accounts").get_json(),
        "touches": client.get("/api/touches").get_json(),
        "plan": client.get("/api/cadence/plan").get_json(),
        "pull": _pull(client),
    }
    stamps = [
        (f"{name}{where}", text)
        for name, doc in documents.items()
        for where, text in _timestamps(doc)
    ]
    assert {where.split(".")[-1] for where, _ in stamps} >= {
        "updated_at",
        "occurred_at",
        "created_at",
    }
    for where, text in stamps:
        assert datetime.fromisoformat(text).tzinfo is not None, f"{where} = {text!r}"
