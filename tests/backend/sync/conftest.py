"""Helpers for the sync server tests: wire-format mutations and a client that follows the protocol."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import func, select

from sync import CURRENT_SCHEMA_VERSION


def now_iso(minutes_ago: int = 5) -> str:
    """A recent time the server accepts for a touch."""
    return (datetime.now(UTC) - timedelta(minutes=minutes_ago)).isoformat()


def touch(account_id: int, *, touch_id: str | None = None, minutes_ago: int = 5) -> dict[str, Any]:
    """`touch.log` args for an account."""
    return {
        "id": touch_id or str(uuid.uuid4()),
        "account_id": account_id,
        "type": "visit",
        "occurred_at": now_iso(minutes_ago),
        "outcome": "positive",
        "notes": "",
        "next_step": None,
        "duration_minutes": 20,
        "checkin": None,
    }


def mutation(mid: int, name: str, args: dict[str, Any], uid: str | None = None) -> dict[str, Any]:
    """One wire mutation."""
    return {"id": uid or str(uuid.uuid4()), "mutation_id": mid, "name": name, "args": args}


def body(mutations: list[dict], client_id: str = "phone-1", version: int = CURRENT_SCHEMA_VERSION):
    """A push body."""
    return {"client_id": client_id, "schema_version": version, "mutations": mutations}


def push(client, mutations: list[dict], client_id: str = "phone-1", status: int = 200) -> dict:
    """POST a batch and return the answer, asserting the HTTP status."""
    response = client.post("/api/sync/push", json=body(mutations, client_id))
    assert response.status_code == status, response.get_json()
    return response.get_json()


def pull_all(client, cursor: str = "", limit: int = 200) -> tuple[list[dict], str]:
    """Pull every page after ``cursor``; (changes, new cursor)."""
    changes: list[dict] = []
    for _ in range(1000):
        query = {"limit": limit, "schema_version": CURRENT_SCHEMA_VERSION}
        if cursor:
            query["cursor"] = cursor
        response = client.get("/api/sync/pull", query_string=query)
        assert response.status_code == 200, response.get_json()
        page = response.get_json()
        changes += page["changes"]
        cursor = page["cursor"]
        if not page["has_more"]:
            return changes, cursor
    raise AssertionError("pull never ended")


def touch_count(db, ids=None) -> int:
    """Touches stored (of ``ids`` when given)."""
    from backend.touches.models import Touch

    stmt = select(func.count()).select_from(Touch)
    if ids is not None:
        stmt = stmt.where(Touch.id.in_(list(ids)))
    db.session.commit()  # a fresh snapshot; fixtures stay attached
    return db.session.scalar(stmt)


@pytest.fixture
def team(make_user, make_territory, make_account):
    """A manager with a territory, two reps in it, and three accounts of rep A."""
    manager = make_user(role="manager")
    territory = make_territory(manager=manager)
    rep_a = make_user(territory=territory)
    rep_b = make_user(territory=territory)
    accounts = [make_account(owner=rep_a, territory=territory) for _ in range(3)]
    return {
        "manager": manager,
        "territory": territory,
        "a": rep_a,
        "b": rep_b,
        "accounts": accounts,
    }
