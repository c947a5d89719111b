"""Delivering claimed reminders: the send job, its outcomes, and retries within the rep's day.

``deliver_sends`` is a job (run inline or by an RQ worker, which hand it the app), so like a view
it is a transaction boundary: it commits. Everything else here only reads or flushes.
"""

from __future__ import annotations

import logging
from collections import Counter, defaultdict
from datetime import UTC, datetime, timedelta

from flask import Flask
from sqlalchemy import and_, delete, func, or_, select, update

from backend.core import metrics
from backend.core.extensions import db
from backend.core.jobs import get_queue
from backend.reminders.models import PushSubscription, ReminderLog, ReminderSend
from backend.reminders.service import endpoints
from backend.reminders.service.subscriptions import vapid_key
from backend.reminders.webpush import delivery
from backend.reminders.webpush.delivery import Outcome, PushMessage, RetryPolicy

log = logging.getLogger(__name__)

RETRY_LATER_SECONDS = 300  # when a push service failed without saying how long to wait
CHUNK = 500  # ids per IN (...) list


def clock(app) -> datetime:
    """Now, in UTC, from ``app.config["REMINDERS_CLOCK"]`` when set (tests replay a chosen day)."""
    configured = app.config.get("REMINDERS_CLOCK")
    return configured() if configured is not None else datetime.now(UTC)


def payload(entry: ReminderLog) -> dict[str, str]:
    """What the service worker shows: {title, body, url, tag}; the tag lets a newer one replace it."""
    prefix = "follow-up" if entry.kind == "follow_up" else "overdue"
    tag = "digest" if entry.kind == "digest" else f"{prefix}-{entry.account_id}-{entry.touch_type}"
    return {"title": entry.title, "body": entry.body, "url": entry.url, "tag": tag}


def topic(entry: ReminderLog) -> str:
    """Topic per user and kind, so a newer digest replaces an undelivered one at the push service.

    Alerts add the account and touch type: an alert about one account must never replace an
    undelivered alert about another.
    """
    if entry.kind == "digest":
        return f"{entry.user_id}:digest"
    return f"{entry.user_id}:{entry.kind}:{entry.account_id}:{entry.touch_type}"


def deliver_sends(send_ids: list[int], *, app: Flask) -> Counter:
    """Job: send each claimed reminder to its device and record the outcome; returns the counts.

    ``app`` (from the queue) gives the clock, the VAPID key, the push settings and the queue
    for retries.
    """
    now = clock(app)
    claimed = _claim_sends(send_ids, now)
    rows = []
    for chunk in _chunks(claimed):
        rows += db.session.execute(
            select(ReminderSend, ReminderLog, PushSubscription)
            .join(ReminderLog, ReminderLog.id == ReminderSend.log_id)
            .outerjoin(PushSubscription, PushSubscription.id == ReminderSend.subscription_id)
            .where(ReminderSend.id.in_(chunk))
        ).all()
    messages, targets = [], []
    refused = _refused_endpoints(app, [sub for _, _, sub in rows if sub is not None])
    for send, entry, sub in rows:
        ttl = int((entry.expires_at - now).total_seconds())
        if sub is None:
            _set(send, "gone", None, "subscription removed before delivery")
        elif sub.endpoint in refused:
            log.warning("push endpoint refused for user %s: %s", sub.user_id, refused[sub.endpoint])
            _set(send, "failed", None, f"endpoint refused: {refused[sub.endpoint]}")
        elif ttl <= 0:
            _set(send, "failed", None, "the rep's day ended before delivery")
        else:
            ttl = min(ttl, delivery.MAX_TTL_SECONDS)
            messages.append(
                PushMessage(sub.as_webpush(), payload(entry), ttl, entry.urgency, topic(entry))
            )
            targets.append((send, entry, sub))
    results = delivery.send_many(
        messages,
        vapid_private_key=vapid_key(app),
        subject=app.config["VAPID_SUBJECT"],
        # A one-message RQ job gains nothing from a thread pool but the cost of starting one.
        workers=min(int(app.config.get("PUSH_SEND_WORKERS", 8)), len(messages)),
        retry=RetryPolicy(
            max_attempts=int(app.config.get("PUSH_MAX_ATTEMPTS", 4)),
            base_delay=float(app.config.get("PUSH_RETRY_BASE_DELAY", 1.0)),
        ),
    )
    later: dict[float, list[int]] = defaultdict(list)
    for (send, entry, sub), result in zip(targets, results, strict=True):
        delay = _record(send, entry, sub, result, now)
        if delay is not None:
            later[delay].append(send.id)
    counts = Counter(send.status for send, _, _ in rows)
    db.session.commit()
    for status, n in counts.items():
        metrics.PUSH_RESULTS.labels(status).inc(n)
    queue = get_queue(app)
    for delay, ids in later.items():
        # Inline there is no delayed job: retry_due() in the next run picks these up instead.
        queue.enqueue_in(delay, deliver_sends, ids)
    return counts


def _refused_endpoints(app: Flask, subs: list[PushSubscription]) -> dict[str, str]:
    """Endpoints the job must not POST to now (checked again: DNS may have changed since)."""
    allowed = endpoints.service_hosts(app.config)
    local = bool(app.config.get("PUSH_ALLOW_LOCAL_HTTP"))
    seen: dict[str, str | None] = {}
    for sub in subs:
        if sub.endpoint not in seen:
            seen[sub.endpoint] = endpoints.endpoint_problem(
                sub.endpoint, allowed_hosts=allowed, allow_local=local
            )
    return {endpoint: problem for endpoint, problem in seen.items() if problem}


def retry_due(now: datetime) -> list[int]:
    """Failed sends whose retry time has come while their reminder's day still lasts."""
    return list(
        db.session.scalars(
            select(ReminderSend.id)
            .join(ReminderLog, ReminderLog.id == ReminderSend.log_id)
            .where(
                ReminderSend.status == "failed",
                ReminderSend.retry_at <= now,
                ReminderLog.expires_at > now,
            )
            .order_by(ReminderSend.id)
        )
    )


def outcomes(log_ids: list[int]) -> Counter:
    """Send statuses of these reminders (queued ones are still with the workers)."""
    counts: Counter = Counter()
    for chunk in _chunks(log_ids):
        rows = db.session.execute(
            select(ReminderSend.status, func.count())
            .where(ReminderSend.log_id.in_(chunk))
            .group_by(ReminderSend.status)
        )
        counts.update({status: n for status, n in rows})
    return counts


def _claim_sends(send_ids: list[int], now: datetime) -> list[int]:
    """Mark sends as ``sending`` and COMMIT before any network I/O.

    The conditional UPDATE lets exactly one job own a send, so a job that RQ runs twice, or a
    delayed retry racing the next run's sweep, still sends at most once per device.
    """
    owned: list[int] = []
    for chunk in _chunks(send_ids):
        stmt = (
            update(ReminderSend)
            .where(
                ReminderSend.id.in_(chunk),
                or_(
                    ReminderSend.status == "queued",
                    and_(ReminderSend.status == "failed", ReminderSend.retry_at <= now),
                ),
            )
            .values(
                status="sending", attempts=ReminderSend.attempts + 1, retry_at=None, updated_at=now
            )
            .returning(ReminderSend.id)
        )
        owned += db.session.execute(
            stmt, execution_options={"synchronize_session": False}
        ).scalars()
    db.session.commit()
    return owned


def _record(
    send: ReminderSend,
    entry: ReminderLog,
    sub: PushSubscription,
    result: delivery.DeliveryResult,
    now: datetime,
) -> float | None:
    """Store one outcome; returns the delay of a retry to schedule, if any."""
    if result.status is Outcome.DELIVERED:
        _set(send, "delivered", result.http_status, "")
        # A statement, not an attribute: another send in this batch may have found it gone.
        db.session.execute(
            update(PushSubscription)
            .where(PushSubscription.id == sub.id)
            .values(last_success_at=now),
            execution_options={"synchronize_session": False},
        )
        return None
    if result.status is Outcome.GONE:
        _set(send, "gone", result.http_status, result.message)
        # The browser unsubscribed or the subscription expired: it will never work again.
        db.session.execute(delete(PushSubscription).where(PushSubscription.id == sub.id))
        return None
    if result.status is Outcome.CONFIG_ERROR:
        # Our request is wrong (key, claims, size): keep the subscription, fix the config.
        _set(send, "config_error", result.http_status, result.message)
        return None
    delay = result.retry_after if result.retry_after is not None else RETRY_LATER_SECONDS
    retry_at = now + timedelta(seconds=delay)
    if retry_at >= entry.expires_at:
        _set(send, "failed", result.http_status, f"{result.message}; gave up at the end of the day")
        return None
    _set(send, "failed", result.http_status, result.message)
    send.retry_at = retry_at
    return delay


def _set(send: ReminderSend, status: str, http_status: int | None, detail: str) -> None:
    send.status = status
    send.http_status = http_status
    send.detail = detail[:300]
    send.retry_at = None


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]
