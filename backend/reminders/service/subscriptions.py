"""Push subscriptions (a user's devices) and the app's VAPID key."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from flask import Flask
from sqlalchemy import delete, select

from backend.core.errors import Invalid
from backend.core.extensions import db
from backend.reminders.models import PushSubscription
from backend.reminders.service import endpoints
from backend.reminders.webpush import delivery, vapid
from backend.users.models import User

KEY_FILE = "vapid_private_key.pem"
_key_lock = threading.Lock()


def vapid_key(app: Flask) -> vapid.VapidKey:
    """The app's VAPID key: from ``VAPID_PRIVATE_KEY`` or the instance folder, created once."""
    key = app.extensions.get("fieldrep_vapid")
    if key is None:
        with _key_lock:
            key = app.extensions.get("fieldrep_vapid")
            if key is None:
                path = Path(app.config.get("VAPID_KEY_FILE") or Path(app.instance_path) / KEY_FILE)
                key = vapid.resolve(app.config.get("VAPID_PRIVATE_KEY"), path)
                app.extensions["fieldrep_vapid"] = key
    return key


def public_key(app: Flask) -> str:
    """The applicationServerKey browsers subscribe with (base64url, uncompressed P-256 point)."""
    return vapid.application_server_key(vapid_key(app))


def subscribe(
    user: User,
    data: Mapping[str, Any],
    *,
    allow_local_http: bool = False,
    allowed_hosts: Sequence[str] = endpoints.KNOWN_PUSH_SERVICES,
    user_agent: str = "",
) -> tuple[PushSubscription, bool]:
    """Save a browser PushSubscription for ``user``; returns (subscription, created).

    The endpoint is the identity: subscribing it again (new keys after a browser re-subscribe,
    or another user logging in on the same device) updates the row instead of adding one.
    """
    host = urlsplit(str(data.get("endpoint", ""))).hostname
    try:
        clean = delivery.validate_subscription(
            data, allow_http=allow_local_http and host in endpoints.LOCAL_HOSTS
        )
    except ValueError as exc:
        field = "endpoint" if "endpoint" in str(exc) else "keys"
        raise Invalid("Not a usable push subscription.", {field: [str(exc)]}) from None
    problem = endpoints.endpoint_problem(
        clean["endpoint"], allowed_hosts=allowed_hosts, allow_local=allow_local_http
    )
    if problem:
        raise Invalid("Not a usable push subscription.", {"endpoint": [problem]})
    sub = db.session.scalar(
        select(PushSubscription).where(PushSubscription.endpoint == clean["endpoint"])
    )
    created = sub is None
    fields = {
        "user_id": user.id,
        "p256dh": clean["keys"]["p256dh"],
        "auth": clean["keys"]["auth"],
        "user_agent": user_agent[:300],
    }
    if sub is None:
        sub = PushSubscription(endpoint=clean["endpoint"], **fields)
        db.session.add(sub)
    else:
        for name, value in fields.items():
            setattr(sub, name, value)
    db.session.flush()
    return sub, created


def unsubscribe(user: User, endpoint: str) -> None:
    """Forget the caller's subscription with this endpoint (idempotent: unknown is fine)."""
    db.session.execute(
        delete(PushSubscription).where(
            PushSubscription.endpoint == endpoint, PushSubscription.user_id == user.id
        )
    )
    db.session.flush()


def devices(user: User) -> list[PushSubscription]:
    """The user's subscriptions, oldest first."""
    return list(
        db.session.scalars(
            select(PushSubscription)
            .where(PushSubscription.user_id == user.id)
            .order_by(PushSubscription.id)
        )
    )
