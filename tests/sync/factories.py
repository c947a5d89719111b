"""Builders for wire-format sync messages used across the sync tests."""

from __future__ import annotations

import uuid
from typing import Any

from sync import CURRENT_SCHEMA_VERSION


def touch_args(**overrides: Any) -> dict[str, Any]:
    """Valid `touch.log` args."""
    args: dict[str, Any] = {
        "id": str(uuid.uuid4()),
        "account_id": 17,
        "type": "visit",
        "occurred_at": "2026-11-24T08:30:00+01:00",
        "outcome": "positive",
        "notes": "Met the owner",
        "next_step": None,
        "duration_minutes": 25,
        "checkin": {"lat": 48.1, "lon": 11.5, "accuracy_m": 12},
    }
    args.update(overrides)
    return args


def mutation(
    mid: int, name: str = "touch.log", args: dict[str, Any] | None = None, uid: str | None = None
) -> dict[str, Any]:
    """One wire mutation."""
    return {
        "id": uid or str(uuid.uuid4()),
        "mutation_id": mid,
        "name": name,
        "args": touch_args() if args is None else args,
    }


def push_body(
    mutations: list[dict[str, Any]],
    client_id: str = "phone-1",
    version: int = CURRENT_SCHEMA_VERSION,
) -> dict[str, Any]:
    """A push request body."""
    return {"client_id": client_id, "schema_version": version, "mutations": mutations}
