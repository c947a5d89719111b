"""The transition window: handover records, the old rep's read access, the new owner's
introductory visits to tier-A accounts, and the deactivation at the end.

Intro visits: a tier-A account handed over gets ``intro_due`` a quarter into the window (at
least the next day, at most its last day). Until the new owner logs a visit there, their due
list carries an introductory visit for it, ranked above every cadence item of the day, so the
route planner (which plans the most urgent due visits) favours it; from ``intro_due`` on it is
overdue. A cadence visit already due for the account is replaced by the intro item, not doubled.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, datetime, timedelta
from functools import cache

from sqlalchemy import ColumnElement, Integer, Select, bindparam, false, insert, select, update

from backend.accounts.models import Account
from backend.cadence.engine.due import DueItem
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.territories.models import Departure, Handover
from backend.touches.models import Touch
from backend.users.models import User

INTRO_TIERS = ("A",)
INTRO_PERIOD = "handover"


def intro_day(today: date, transition_days: int) -> date:
    """When the introductory visit is due: a quarter into the window, within [1, window] days."""
    return today + timedelta(days=max(1, min(transition_days, max(1, transition_days // 4))))


def write_handovers(
    departure: Departure, owners: dict[int, int], tiers: dict[int, str], intro_due: date
) -> None:
    """One handover row per moved account (bulk insert: a departure may move thousands)."""
    rows = [
        {
            "departure_id": departure.id,
            "account_id": account_id,
            "from_rep_id": departure.rep_id,
            "to_rep_id": rep_id,
            "starts_at": departure.created_at,
            "until": departure.transition_until,
            "intro_due": intro_due if tiers.get(account_id) in INTRO_TIERS else None,
        }
        for account_id, rep_id in owners.items()
    ]
    if rows:
        db.session.execute(insert(Handover), rows)


def read_grant(user: User) -> ColumnElement[bool]:
    """Extra accounts ``user`` may read: a leaving rep keeps reading what they handed over
    until the window ends (registered with ``accounts.scope.grant_read``)."""
    if user.role != "rep":
        return false()
    handed = select(Handover.account_id).where(
        Handover.from_rep_id == user.id, Handover.until > utcnow()
    )
    return Account.id.in_(handed)


def intro_visits(rep: User, as_of: date, items: list[DueItem]) -> list[DueItem]:
    """``items`` plus the rep's open introductory visits (registered with ``cadence.service``)."""
    rows = db.session.execute(_open_intros(), {"rep_id": rep.id}).all()
    if not rows:
        return items
    top = max((i.urgency for i in items), default=0.0) + 1.0
    intros = {}
    for account_id, due, name, tier in rows:
        late = max(0, (as_of - due).days)
        intros[account_id] = DueItem(
            account_id=account_id,
            account_name=name,
            tier=tier,
            touch_type="visit",
            required=1,
            done=0,
            remaining=1,
            period=INTRO_PERIOD,
            due_date=due,
            overdue_days=late,
            status="overdue" if late else "due",
            urgency=top + late,
            reason=f"handed over to you: introductory visit due by {due.isoformat()}",
        )
    out = []
    for item in items:
        intro = intros.get(item.account_id)
        if intro is not None and item.touch_type == "visit":
            out.append(replace(intro, reason=f"{intro.reason}; {item.reason}"))
            del intros[item.account_id]
        else:
            out.append(item)
    return out + list(intros.values())


@cache
def _open_intros() -> Select:
    """The rep's (``rep_id``) handed-over accounts still owed an introductory visit. Built once:
    every due list, so every pull after a push, runs it."""
    rep_id = bindparam("rep_id", type_=Integer)
    visited = select(Touch.id).where(
        Touch.account_id == Handover.account_id,
        Touch.rep_id == rep_id,
        Touch.type == "visit",
        Touch.occurred_at >= Handover.starts_at,
    )
    return (
        select(Handover.account_id, Handover.intro_due, Account.name, Account.tier)
        .join(Account, Account.id == Handover.account_id)
        .where(
            Handover.to_rep_id == rep_id,
            Handover.intro_due.is_not(None),
            Account.owner_id == rep_id,
            Account.deleted_at.is_(None),
            ~visited.exists(),
        )
    )


def deactivate(departure: Departure, rep: User, now: datetime) -> None:
    """End the departure: the rep can no longer log in (every session ends)."""
    rep.is_active = False
    rep.end_sessions()
    rep.version += 1
    departure.finished_at = now
    # Reading ends with the window even when it is closed early.
    db.session.execute(
        update(Handover)
        .where(Handover.departure_id == departure.id, Handover.until > now)
        .values(until=now)
    )
    db.session.flush()


def finish_departures(now: datetime) -> list[int]:
    """Deactivate every rep whose transition window has ended; the ids of those reps."""
    done = list(
        db.session.scalars(
            select(Departure).where(
                Departure.finished_at.is_(None), Departure.transition_until <= now
            )
        )
    )
    for departure in done:
        deactivate(departure, db.session.get(User, departure.rep_id), now)
    return [d.rep_id for d in done]
