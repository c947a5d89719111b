"""Touches: log one (idempotent by the client's UUID) and list them within scope.

``check_touch`` holds the rules for logging a touch; ``POST /api/touches`` applies them through
``log_touch``, and sync push applies them to a whole batch against rows it preloaded, then
inserts the accepted touches in bulk (``touch_values`` builds the rows for both). The time
limits come in as ``TouchRules``, which the boundary builds from the app's config.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import Select, or_, select
from sqlalchemy.exc import IntegrityError

import sync
from backend.accounts.models import Account
from backend.accounts.scope import account_scope
from backend.core import changes
from backend.core.clock import local_date
from backend.core.config import Config
from backend.core.errors import Conflict, Forbidden, Invalid, NotFound
from backend.core.extensions import db
from backend.touches.models import Touch
from backend.users.models import User


@dataclass(frozen=True)
class TouchRules:
    """How far ahead of now and how far back a touch may be logged."""

    max_future_skew_seconds: int = Config.TOUCH_MAX_FUTURE_SKEW_SECONDS
    max_age_days: int = Config.TOUCH_MAX_AGE_DAYS

    @classmethod
    def from_config(cls, config: Mapping) -> TouchRules:
        """The rules ``TOUCH_MAX_FUTURE_SKEW_SECONDS`` and ``TOUCH_MAX_AGE_DAYS`` set."""
        return cls(config["TOUCH_MAX_FUTURE_SKEW_SECONDS"], config["TOUCH_MAX_AGE_DAYS"])


def log_touch(
    actor: User,
    data: dict,
    *,
    allow_backfill: bool | None = None,
    now: datetime | None = None,
    rules: TouchRules = TouchRules(),
) -> tuple[Touch, bool]:
    """Record a touch by ``actor``; ``(touch, created)``, with ``created`` False for a retry.

    ``data`` holds the Touch fields as ``TouchInSchema`` loads them (``id`` a UUID or string,
    ``occurred_at`` aware, ``checkin`` a dict or None). The rules are ``check_touch``'s; the
    account must be live and in the actor's scope now (NotFound otherwise).
    """
    touch_id = str(data["id"])
    existing = db.session.get(Touch, touch_id)
    account = None if existing is not None else _account_for(actor, data)
    flags = check_touch(
        actor,
        data["occurred_at"],
        existing_rep_id=existing.rep_id if existing is not None else None,
        account=account,
        in_scope=True,  # _account_for applied the scope
        allow_backfill=allow_backfill,
        now=now,
        rules=rules,
    )
    if flags is None:
        return existing, False
    return insert_touch(actor, touch_values(actor, account.id, data))


def check_touch(
    actor: User,
    occurred_at: datetime,
    *,
    existing_rep_id: int | None,
    account: Account | None,
    in_scope: bool,
    owned_before: bool = False,
    allow_backfill: bool | None = None,
    now: datetime | None = None,
    check_time: bool = True,
    rules: TouchRules = TouchRules(),
) -> tuple[sync.TouchFlag, ...] | None:
    """The rules for logging a touch, for ``POST /api/touches`` and sync push alike.

    The review flags to store with it (often none): insert it. None: ``actor`` already logged
    this UUID (a retry; the first write wins, even if the retry carries other content, because
    touches are append-only facts).

    * The UUID is another rep's touch: Conflict, revealing nothing about that touch.
    * ``account`` None: NotFound; it exists but is neither ``in_scope`` nor ``owned_before`` by
      the actor: Forbidden. A deleted account or one the actor owned before is kept and flagged
      (sync passes those; REST passes only live accounts in scope now).
    * With ``check_time`` (REST, online): ``occurred_at`` may be at most
      ``rules.max_future_skew_seconds`` ahead of ``now`` and at most ``rules.max_age_days`` old;
      ``allow_backfill`` (default: managers and admins) lifts the age limit only. Sync never
      refuses a visit for its timestamp: it uses ``touch_time`` instead.
    """
    decision = sync.decide_touch_log(
        actor.id,
        existing_rep_id,
        account is not None,
        in_scope,
        False,  # the caller folds "owned when it happened" into in_scope
        account_deleted=account is not None and account.deleted_at is not None,
        owned_before=owned_before,
    )
    if decision.action is sync.TouchAction.ALREADY_EXISTS:
        return None
    if decision.reason is sync.Reason.ID_REUSED:
        raise Conflict(
            "This touch id is already in use.", {"id": ["Already used; pick a new UUID."]}
        )
    if decision.reason is sync.Reason.NOT_FOUND:
        raise NotFound("Account not found.")
    if decision.reason is not None:
        raise Forbidden("The account is not in your scope.")
    if check_time:
        _check_time(occurred_at, now or datetime.now(UTC), _backfill(actor, allow_backfill), rules)
    return decision.flags


def touch_time(
    occurred_at: datetime, received_at: datetime, rules: TouchRules = TouchRules()
) -> sync.TouchTime:
    """Sync's clock rule (``sync.decide_touch_time``) with this server's limits."""
    return sync.decide_touch_time(
        occurred_at,
        received_at,
        timedelta(seconds=rules.max_future_skew_seconds),
        timedelta(days=rules.max_age_days),
    )


def touch_values(actor: User, account_id: int, data: dict) -> dict[str, Any]:
    """The ``touches`` row for ``data`` (as ``log_touch`` takes it), credited to ``actor``.

    ``local_date`` is ``period_at`` (default ``occurred_at``) in the actor's time zone: the
    period key for cadence. ``received_at`` and ``flags`` are optional in ``data``.
    """
    occurred_at: datetime = data["occurred_at"]
    period_at: datetime = data.get("period_at") or occurred_at
    checkin = data.get("checkin") or {}
    flags = sorted({str(f) for f in data.get("flags") or ()})
    return {
        "id": str(data["id"]),
        "account_id": account_id,
        "rep_id": actor.id,
        "type": data["type"],
        "occurred_at": occurred_at.astimezone(UTC),
        "local_date": local_date(period_at, actor.time_zone),
        "outcome": data.get("outcome"),
        "notes": data.get("notes") or "",
        "next_step": data.get("next_step") or "",
        "next_step_on": data.get("next_step_on"),
        "duration_minutes": data.get("duration_minutes"),
        "checkin_lat": checkin.get("lat"),
        "checkin_lon": checkin.get("lon"),
        "checkin_accuracy_m": checkin.get("accuracy_m"),
        "created_by_id": actor.id,
        "received_at": data.get("received_at") or datetime.now(UTC),
        "flags": flags or None,
    }


def insert_touch(actor: User, values: dict[str, Any]) -> tuple[Touch, bool]:
    """Insert one checked touch; a concurrent insert of the same UUID is answered like a retry."""
    touch = Touch(**values)
    try:
        # A savepoint, so a concurrent retry that wins the insert race leaves our
        # transaction usable and we can answer with its row.
        with db.session.begin_nested():
            db.session.add(touch)
            db.session.flush()
    except IntegrityError:
        existing = db.session.get(Touch, touch.id)
        if existing is None:
            raise
        # Conflict unless the winner is the actor's own retry.
        check_touch(
            actor, touch.occurred_at, existing_rep_id=existing.rep_id, account=None, in_scope=False
        )
        return existing, False
    changes.record("touch", touch.id, account_id=touch.account_id, rep_id=actor.id)
    return touch, True


def _account_for(actor: User, data: dict) -> Account | None:
    stmt = select(Account).where(
        Account.id == data["account_id"], Account.deleted_at.is_(None), account_scope(actor)
    )
    return db.session.scalar(stmt)


def _backfill(actor: User, allow_backfill: bool | None) -> bool:
    return actor.role in ("manager", "admin") if allow_backfill is None else allow_backfill


def _check_time(
    occurred_at: datetime, now: datetime, allow_backfill: bool, rules: TouchRules
) -> None:
    skew = timedelta(seconds=rules.max_future_skew_seconds)
    if occurred_at > now + skew:
        raise Invalid(
            "The touch is in the future.",
            {
                "occurred_at": [
                    f"Must not be more than {int(skew.total_seconds())} s in the future."
                ]
            },
        )
    max_age = timedelta(days=rules.max_age_days)
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
    if filters.get("flagged") is not None:
        # Flagged touches are kept visits a manager or the new owner should look at.
        stmt = stmt.where(Touch.flags.is_not(None) if filters["flagged"] else Touch.flags.is_(None))
    since: date | None = filters.get("since")
    until: date | None = filters.get("until")
    if since:
        stmt = stmt.where(Touch.local_date >= since)
    if until:
        stmt = stmt.where(Touch.local_date <= until)
    return stmt.order_by(Touch.occurred_at.desc(), Touch.id)


def follow_up_values(touch: Touch) -> dict[str, Any]:
    """The follow-up's editable fields as the wire shows them (what a sync edit merges against)."""
    return {
        "follow_up_done": touch.follow_up_done,
        "next_step_on": touch.next_step_on.isoformat() if touch.next_step_on else None,
    }


def update_follow_up(actor: User, touch: Touch, writes: Mapping[str, Any], at: datetime) -> Touch:
    """Mark the actor's follow-up done or open (``follow_up_done``), or move it to another day
    (``next_step_on``, ``YYYY-MM-DD``); flush only. ``at`` is when it was marked done.

    Only the rep who logged the touch has the task (NotFound otherwise, revealing nothing), and
    only a touch with a next step is a follow-up (Invalid).
    """
    if touch.rep_id != actor.id:
        raise NotFound("Follow-up not found.")
    if not (touch.next_step or "").strip():
        raise Invalid(
            "Not a follow-up.", {"touch_id": ["The touch has no next step to follow up."]}
        )
    if "follow_up_done" in writes:
        touch.follow_up_done_at = at.astimezone(UTC) if writes["follow_up_done"] else None
    if "next_step_on" in writes:
        touch.next_step_on = date.fromisoformat(writes["next_step_on"])
    db.session.flush()
    changes.record("touch", touch.id, account_id=touch.account_id, rep_id=touch.rep_id)
    return touch


def follow_ups_on(rep_id: int, day: date) -> list[tuple[Touch, str]]:
    """The rep's open follow-up tasks due on ``day`` (a next step with that date, not marked
    done), with account names."""
    rows = db.session.execute(
        select(Touch, Account.name)
        .join(Account, Account.id == Touch.account_id)
        .where(
            Touch.rep_id == rep_id,
            Touch.next_step_on == day,
            Touch.follow_up_done_at.is_(None),
            Account.deleted_at.is_(None),
        )
        .order_by(Touch.occurred_at)
    )
    return [(touch, name) for touch, name in rows]
