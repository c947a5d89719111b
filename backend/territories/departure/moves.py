"""Applying ownership moves in the caller's transaction: accounts, audit, sync change log,
pending appointments and reminders. Shared by departures and carving a new rep's territory.

Touches stay where they are: they belong to the account, so the history, the touch counts and
the cadence status move with it by construction (the new owner's due list counts them).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date, datetime

from sqlalchemy import delete, select, update

from backend.accounts import audit
from backend.accounts.models import Account
from backend.core import changes
from backend.core.extensions import db
from backend.reminders.models import PushSubscription, ReminderLog, ReminderSend
from backend.routes.models import Appointment
from backend.users.models import User

CHUNK = 500  # ids per IN (...) list: well inside SQLite's and PostgreSQL's parameter limits
PENDING_SENDS = ("queued", "failed", "sending")


def _chunks(ids: list[int]) -> list[list[int]]:
    return [ids[i : i + CHUNK] for i in range(0, len(ids), CHUNK)]


def move_accounts(
    accounts: list[Account],
    owners: dict[int, int],
    *,
    actor: User | None,
    source: str,
    reason: str,
    ref: str,
) -> int:
    """Give each account its new owner: version bump, one audit entry each, and a change-log
    entry naming the previous owner (the sync log turns it into ``leave`` for their devices)."""
    moved = 0
    previous: dict[int, tuple[int | None, int | None]] = {}
    befores = {}
    for account in accounts:
        new = owners[account.id]
        if new == account.owner_id:
            continue
        previous[account.id] = (account.owner_id, account.territory_id)
        befores[account.id] = audit.snapshot(account)
        account.owner_id = new
        account.version += 1
        moved += 1
    db.session.flush()
    for account in accounts:
        if account.id not in previous:
            continue
        audit.record(account, actor=actor, source=source, before=befores[account.id],
                     reason=reason, ref=ref)  # fmt: skip
        old_owner, old_territory = previous[account.id]
        changes.record(
            "account",
            account.id,
            previous_owner_id=old_owner,
            previous_territory_id=old_territory,
        )
    return moved


def by_new_owner(owners: dict[int, int]) -> dict[int, list[int]]:
    """``{rep_id: [account ids]}`` from ``{account_id: rep_id}``."""
    out: dict[int, list[int]] = defaultdict(list)
    for account_id, rep_id in owners.items():
        out[rep_id].append(account_id)
    return dict(out)


def move_appointments(old_rep_id: int, owners: dict[int, int], from_day: date) -> dict[int, set]:
    """The old owner's appointments from ``from_day`` on go to each account's new owner.

    Returns ``{new_rep_id: {dates}}``: the days whose routes must be re-planned.
    """
    days: dict[int, set] = defaultdict(set)
    for rep_id, account_ids in by_new_owner(owners).items():
        for chunk in _chunks(account_ids):
            where = (
                Appointment.rep_id == old_rep_id,
                Appointment.account_id.in_(chunk),
                Appointment.date >= from_day,
            )
            days[rep_id].update(db.session.scalars(select(Appointment.date).where(*where)))
            db.session.execute(
                update(Appointment).where(*where).values(rep_id=rep_id),
                execution_options={"synchronize_session": False},
            )
    return {k: v for k, v in days.items() if v}


def move_reminders(old_rep_id: int, owners: dict[int, int], now: datetime) -> int:
    """Pending reminders about the moved accounts (not expired, not yet delivered) go to the
    new owner, with their undelivered sends re-addressed to the new owner's devices (as
    ``failed`` due now, so the next ``reminders run`` delivers them).

    A reminder the new owner already has for the same account, kind and day is dropped instead
    (the reminder log's key allows one).
    """
    delivered = select(ReminderSend.log_id).where(ReminderSend.status == "delivered")
    moved = 0
    for rep_id, account_ids in by_new_owner(owners).items():
        devices = list(
            db.session.scalars(
                select(PushSubscription.id).where(PushSubscription.user_id == rep_id)
            )
        )
        for chunk in _chunks(account_ids):
            logs = list(
                db.session.scalars(
                    select(ReminderLog).where(
                        ReminderLog.user_id == old_rep_id,
                        ReminderLog.account_id.in_(chunk),
                        ReminderLog.expires_at > now,
                        ReminderLog.id.not_in(delivered),
                    )
                )
            )
            for log in logs:
                db.session.execute(
                    delete(ReminderSend).where(
                        ReminderSend.log_id == log.id, ReminderSend.status.in_(PENDING_SENDS)
                    )
                )
                clash = db.session.scalar(
                    select(ReminderLog.id).where(
                        ReminderLog.user_id == rep_id,
                        ReminderLog.kind == log.kind,
                        ReminderLog.account_id == log.account_id,
                        ReminderLog.touch_type == log.touch_type,
                        ReminderLog.local_day == log.local_day,
                    )
                )
                if clash is not None:
                    db.session.delete(log)
                    continue
                log.user_id = rep_id
                db.session.add_all(
                    ReminderSend(log_id=log.id, subscription_id=d, status="failed", retry_at=now)
                    for d in devices
                )
                moved += 1
    db.session.flush()
    return moved
