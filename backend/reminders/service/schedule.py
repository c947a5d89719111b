"""Reminder rules: who gets a morning digest or a tier-A overdue alert now, at most once.

``run_reminders(now_utc)`` is the one entry point (the CLI, the in-process scheduler and the
benchmark call it). It decides per rep in the rep's own time zone, claims each reminder in the
reminder log, and hands the sends to the job queue (``services.reminder_delivery``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import Flask
from sqlalchemy import insert, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from backend.cadence.engine.due import DueItem
from backend.cadence.service import due_for_rep
from backend.core.extensions import db
from backend.core.jobs import JobQueue, get_queue
from backend.reminders.models import PushSubscription, ReminderLog, ReminderPreference, ReminderSend
from backend.reminders.service import delivery as reminder_delivery
from backend.reminders.service.prefs import default_preferences, in_quiet_hours, preferences_for
from backend.touches.service import follow_ups_on
from backend.users.models import User

ALERT_TIERS = ("A",)
ENQUEUE_CHUNK = 200  # sends handed to the queue at a time: early reminders need not wait
CLAIM_BATCH = 100  # reminders claimed per commit (a commit is an fsync on SQLite)
_NOUNS = {"visit": ("visit", "visits"), "call": ("call", "calls"), "email": ("email", "emails")}


@dataclass(frozen=True)
class Reminder:
    """One reminder for one rep and local day, before it is claimed."""

    user_id: int
    kind: str  # "digest" | "overdue_alert" | "follow_up"
    local_day: date
    title: str
    body: str
    url: str
    urgency: str
    expires_at: datetime
    account_id: int = 0
    touch_type: str = ""


@dataclass
class RunReport:
    """What one run decided and what became of the sends (delivered, queued, gone, ...)."""

    claimed: list[Reminder] = field(default_factory=list)
    skipped_duplicates: int = 0
    retried: int = 0
    outcomes: Counter = field(default_factory=Counter)


def run_reminders(now_utc: datetime, *, app: Flask, queue: JobQueue | None = None) -> RunReport:
    """Decide, claim and dispatch every reminder due at ``now_utc``; safe to run any number of times."""
    queue = queue or get_queue(app)
    report = RunReport()
    pending: list[int] = []
    log_ids: list[int] = []
    # Sends whose delayed retry is due go first: they have waited longest.
    retry_ids = reminder_delivery.retry_due(now_utc)
    report.retried = len(retry_ids)
    _dispatch(queue, retry_ids)
    batch: list[tuple[Reminder, list[int]]] = []

    def flush_batch() -> None:
        claimed = claim(batch)
        report.skipped_duplicates += len(batch) - len(claimed)
        for reminder, log_id, send_ids in claimed:
            report.claimed.append(reminder)
            log_ids.append(log_id)
            pending.extend(send_ids)
        batch.clear()

    for rep, prefs, device_ids in _reps_with_devices():
        batch.extend((r, device_ids) for r in reminders_for(rep, now_utc, prefs))
        if len(batch) >= CLAIM_BATCH:
            flush_batch()
        if len(pending) >= ENQUEUE_CHUNK:
            _dispatch(queue, pending)
            pending = []
    flush_batch()
    _dispatch(queue, pending)
    db.session.expire_all()  # inline jobs committed outcomes in their own sessions/transactions
    report.outcomes = reminder_delivery.outcomes(log_ids)
    return report


def reminders_for(
    rep: User, now_utc: datetime, prefs: ReminderPreference | None = None
) -> list[Reminder]:
    """The reminders ``rep`` should get at ``now_utc`` by the rules and their preferences."""
    prefs = prefs or preferences_for(rep)
    local = now_utc.astimezone(ZoneInfo(rep.time_zone))
    day, minute = local.date(), local.hour * 60 + local.minute
    if prefs.is_weekends_off and day.weekday() >= 5:
        return []
    if in_quiet_hours(prefs, minute):
        return []
    wants_digest = not prefs.is_digest_muted and local.hour >= prefs.digest_hour
    wants_alerts = not prefs.is_overdue_alert_muted and (
        rep.work_start_min <= minute < rep.work_end_min
    )
    if not (wants_digest or wants_alerts):
        return []
    items = due_for_rep(rep, day)
    expires_at = end_of_day(day, rep.time_zone)
    out: list[Reminder] = []
    if wants_digest:
        digest = digest_for(rep, items, day, expires_at)
        if digest is not None:
            out.append(digest)
        out.extend(follow_ups_for(rep, day, expires_at))
    if wants_alerts:
        out.extend(alerts_for(rep, items, day, expires_at))
    return out


def digest_for(
    rep: User, items: Iterable[DueItem], day: date, expires_at: datetime
) -> Reminder | None:
    """The morning digest ("3 visits overdue, 2 calls due today"); None when nothing is due."""
    overdue = Counter(i.touch_type for i in items if i.status == "overdue")
    due = Counter(i.touch_type for i in items if i.status == "due")
    parts = []
    if overdue:
        parts.append(_join(_count(n, t) for t, n in _ordered(overdue)) + " overdue")
    if due:
        parts.append(_join(_count(n, t) for t, n in _ordered(due)) + " due today")
    if not parts:
        return None  # every push shows a notification; "nothing to do" is not worth one
    total = sum(overdue.values()) + sum(due.values())
    return Reminder(
        user_id=rep.id,
        kind="digest",
        local_day=day,
        title=f"Your day: {total} touch{'es' if total != 1 else ''} to make",
        body=", ".join(parts),
        url="/due",
        urgency="normal",
        expires_at=expires_at,
    )


def follow_ups_for(rep: User, day: date, expires_at: datetime) -> list[Reminder]:
    """One reminder per follow-up task due today (a logged next step that carried this date)."""
    return [
        Reminder(
            user_id=rep.id,
            kind="follow_up",
            local_day=day,
            title=f"Follow up: {name}",
            body=touch.next_step or "Follow-up planned for today",
            url=f"/accounts/{touch.account_id}",
            urgency="normal",
            expires_at=expires_at,
            account_id=int(touch.account_id),
            touch_type=touch.type,
        )
        for touch, name in follow_ups_on(rep.id, day)
    ]


def alerts_for(
    rep: User, items: Iterable[DueItem], day: date, expires_at: datetime
) -> list[Reminder]:
    """One alert per tier-A account and touch type on the day it is first seen overdue."""
    overdue = [i for i in items if i.status == "overdue" and i.tier in ALERT_TIERS]
    if not overdue:
        return []
    # An episode starts on the first overdue day; an alert already sent in it is enough.
    since = day - timedelta(days=max(i.overdue_days for i in overdue))
    alerted = {
        (a, t, d)
        for a, t, d in db.session.execute(
            select(ReminderLog.account_id, ReminderLog.touch_type, ReminderLog.local_day).where(
                ReminderLog.user_id == rep.id,
                ReminderLog.kind == "overdue_alert",
                ReminderLog.local_day >= since,
            )
        )
    }
    out = []
    for item in overdue:
        first_day = day - timedelta(days=max(item.overdue_days - 1, 0))
        if any(
            a == item.account_id and t == item.touch_type and d >= first_day for a, t, d in alerted
        ):
            continue
        out.append(
            Reminder(
                user_id=rep.id,
                kind="overdue_alert",
                local_day=day,
                title=f"Overdue: {item.account_name}",
                body=item.reason,
                url=f"/accounts/{item.account_id}",
                urgency="high",
                expires_at=expires_at,
                account_id=int(item.account_id),
                touch_type=item.touch_type,
            )
        )
    return out


def claim(
    batch: list[tuple[Reminder, list[int]]],
) -> list[tuple[Reminder, int, list[int]]]:
    """Insert log rows and their sends and COMMIT them; returns the ones this call owns.

    The one place a service commits, on a connection of its own: the rows must be durable and
    visible to every other run and worker *before* anything is sent, because the unique key on
    the log is what makes a reminder at-most-once. ``ON CONFLICT DO NOTHING`` skips keys another
    run already holds (it waits for that run's transaction first), so one commit covers a batch.
    Rows go in key order, so two concurrent batches always lock keys in the same order.
    """
    if not batch:
        return []
    by_key = {_key(r): (r, devices) for r, devices in batch}
    rows = [_log_values(r) for r, _ in sorted(batch, key=lambda b: _key(b[0]))]
    dialect = db.engine.dialect.name
    dialect_insert = pg_insert if dialect == "postgresql" else sqlite_insert
    stmt = (
        dialect_insert(ReminderLog)
        .values(rows)
        .on_conflict_do_nothing(index_elements=list(KEY_COLUMNS))
        .returning(ReminderLog.id, *(getattr(ReminderLog, c) for c in KEY_COLUMNS))
    )
    with db.engine.begin() as conn:
        owned = [(row[0], by_key[_normalise(tuple(row[1:]))]) for row in conn.execute(stmt)]
        sends = [
            {"log_id": log_id, "subscription_id": s, "status": "queued", "attempts": 0}
            for log_id, (_, devices) in owned
            for s in devices
        ]
        send_rows = (
            conn.execute(
                insert(ReminderSend).returning(
                    ReminderSend.log_id, ReminderSend.id, sort_by_parameter_order=True
                ),
                sends,
            ).all()
            if sends
            else []
        )
    send_ids: dict[int, list[int]] = {}
    for log_id, send_id in send_rows:
        send_ids.setdefault(log_id, []).append(send_id)
    return [(reminder, log_id, send_ids.get(log_id, [])) for log_id, (reminder, _) in owned]


KEY_COLUMNS = ("user_id", "kind", "account_id", "touch_type", "local_day")


def _key(r: Reminder) -> tuple:
    return (r.user_id, r.kind, r.account_id, r.touch_type, r.local_day)


def _normalise(key: tuple) -> tuple:
    # SQLite's RETURNING may hand the date back as text.
    day = key[4] if isinstance(key[4], date) else date.fromisoformat(str(key[4]))
    return (*key[:4], day)


def _log_values(r: Reminder) -> dict:
    return {
        "user_id": r.user_id,
        "kind": r.kind,
        "account_id": r.account_id,
        "touch_type": r.touch_type,
        "local_day": r.local_day,
        "title": r.title,
        "body": r.body,
        "url": r.url,
        "urgency": r.urgency,
        "expires_at": r.expires_at,
        "created_at": datetime.now(UTC),
    }


def end_of_day(day: date, time_zone: str) -> datetime:
    """The UTC instant the rep's local ``day`` ends (a reminder is stale after it)."""
    midnight = datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(time_zone))
    return midnight.astimezone(UTC)


def _reps_with_devices() -> list[tuple[User, ReminderPreference, list[int]]]:
    """Active reps with at least one subscription: (rep, preferences, subscription ids)."""
    rows = db.session.execute(
        select(User, PushSubscription.id)
        .join(PushSubscription, PushSubscription.user_id == User.id)
        .where(User.is_active.is_(True), User.role == "rep")
        .order_by(User.id, PushSubscription.id)
    ).all()
    grouped: dict[int, tuple[User, list[int]]] = {}
    for user, sub_id in rows:
        grouped.setdefault(user.id, (user, []))[1].append(sub_id)
    # One query for every stored preference row (at most one per user) instead of one per rep.
    stored = {p.user_id: p for p in db.session.scalars(select(ReminderPreference))}
    return [
        (user, stored.get(uid) or default_preferences(uid), subs)
        for uid, (user, subs) in grouped.items()
    ]


def _dispatch(queue: JobQueue, send_ids: list[int]) -> None:
    if send_ids:
        queue.enqueue_each(reminder_delivery.deliver_sends, send_ids)


def _ordered(counts: Counter) -> list[tuple[str, int]]:
    order = list(_NOUNS)
    return sorted(counts.items(), key=lambda kv: order.index(kv[0]) if kv[0] in order else 99)


def _count(n: int, touch_type: str) -> str:
    one, many = _NOUNS.get(touch_type, (touch_type, touch_type + "s"))
    return f"{n} {one if n == 1 else many}"


def _join(words: Iterable[str]) -> str:
    items = list(words)
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1]
