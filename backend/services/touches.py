"""Touches: log one (idempotent by the client's UUID) and list them within scope.

``log_touch`` is shared by ``POST /api/touches`` and the sync engine's ``touch.log`` mutation.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from flask import current_app
from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

from backend.cadence.periods import local_date
from backend.errors import Conflict, Invalid, NotFound
from backend.extensions import db
from backend.models import Account, Touch, User
from backend.services import changes
from backend.services.scope import account_scope


def log_touch(
    actor: User,
    data: dict,
    *,
    allow_backfill: bool | None = None,
    allow_reassigned: bool = False,
    now: datetime | None = None,
) -> tuple[Touch, bool]:
    """Record a touch by ``actor``; ``(touch, created)``, with ``created`` False for a retry.

    ``data`` holds the Touch fields as ``TouchInSchema`` loads them (``id`` a UUID or string,
    ``occurred_at`` aware, ``checkin`` a dict or None).

    * The touch is credited to ``actor`` (a manager who logs a call gets the credit), and its
      ``local_date`` is ``occurred_at`` in the actor's time zone.
    * Same ``id`` already logged by ``actor``: the stored touch is returned unchanged, even if
      the retry carries different content (touches are append-only facts; the first write wins).
      Same ``id`` by someone else: Conflict, revealing nothing about the other touch.
    * The account must be in the actor's scope now (NotFound otherwise). ``allow_reassigned``
      (sync) only needs it to exist and not be deleted: a touch made offline on an account that
      was reassigned meanwhile is kept and credited to the rep who made it.
    * ``occurred_at`` may be at most ``TOUCH_MAX_FUTURE_SKEW_SECONDS`` ahead of ``now`` and at
      most ``TOUCH_MAX_AGE_DAYS`` old; ``allow_backfill`` (default: managers and admins) lifts
      the age limit only.
    """
    touch_id = str(data["id"])
    existing = db.session.get(Touch, touch_id)
    if existing is not None:
        return _retry(actor, existing)
    account = _account_for(actor, data["account_id"], allow_reassigned)
    occurred_at: datetime = data["occurred_at"]
    _check_time(occurred_at, now or datetime.now(UTC), _backfill(actor, allow_backfill))
    checkin = data.get("checkin") or {}
    touch = Touch(
        id=touch_id,
        account_id=account.id,
        rep_id=actor.id,
        type=data["type"],
        occurred_at=occurred_at.astimezone(UTC),
        local_date=local_date(occurred_at, actor.time_zone),
        outcome=data.get("outcome"),
        notes=data.get("notes") or "",
        next_step=data.get("next_step") or "",
        duration_minutes=data.get("duration_minutes"),
        checkin_lat=checkin.get("lat"),
        checkin_lon=checkin.get("lon"),
        checkin_accuracy_m=checkin.get("accuracy_m"),
        created_by_id=actor.id,
    )
    try:
        # A savepoint, so a concurrent retry that wins the insert race leaves our
        # transaction usable and we can answer with its row.
        with db.session.begin_nested():
            db.session.add(touch)
            db.session.flush()
    except IntegrityError:
        existing = db.session.get(Touch, touch_id)
        if existing is None:
            raise
        return _retry(actor, existing)
    changes.record("touch", touch.id, account_id=account.id, rep_id=actor.id)
    return touch, True


def _retry(actor: User, existing: Touch) -> tuple[Touch, bool]:
    if existing.rep_id != actor.id:
        raise Conflict(
            "This touch id is already in use.", {"id": ["Already used; pick a new UUID."]}
        )
    return existing, False


def _account_for(actor: User, account_id: int, allow_reassigned: bool) -> Account:
    stmt = select(Account).where(Account.id == account_id, Account.deleted_at.is_(None))
    if not allow_reassigned:
        stmt = stmt.where(account_scope(actor))
    account = db.session.scalar(stmt)
    if account is None:
        raise NotFound(f"Account {account_id} not found.")
    return account


def _backfill(actor: User, allow_backfill: bool | None) -> bool:
    return actor.role in ("manager", "admin") if allow_backfill is None else allow_backfill


def _check_time(occurred_at: datetime, now: datetime, allow_backfill: bool) -> None:
    config = current_app.config
    skew = timedelta(seconds=config["TOUCH_MAX_FUTURE_SKEW_SECONDS"])
    if occurred_at > now + skew:
        raise Invalid(
            "The touch is in the future.",
            {
                "occurred_at": [
                    f"Must not be more than {int(skew.total_seconds())} s in the future."
                ]
            },
        )
    max_age = timedelta(days=config["TOUCH_MAX_AGE_DAYS"])
    if not allow_backfill and occurred_at < now - max_age:
        raise Invalid(
            "The touch is too old to log.",
            {"occurred_at": [f"Older than {max_age.days} days; ask a manager to backfill it."]},
        )


def query_touches(actor: User, filters: dict) -> Select:
    """SELECT of touches the actor may see: on accounts in scope, plus the actor's own."""
    stmt = (
        select(Touch)
        .join(Account, Account.id == Touch.account_id)
        .where(or_(account_scope(actor), Touch.rep_id == actor.id))
    )
    for key, column in (("account_id", Touch.account_id), ("rep_id", Touch.rep_id)):
        if filters.get(key) is not None:
            stmt = stmt.where(column == filters[key])
    if filters.get("type"):
        stmt = stmt.where(Touch.type == filters["type"])
    since: date | None = filters.get("since")
    until: date | None = filters.get("until")
    if since:
        stmt = stmt.where(Touch.local_date >= since)
    if until:
        stmt = stmt.where(Touch.local_date <= until)
    return stmt.order_by(Touch.occurred_at.desc(), Touch.id)
