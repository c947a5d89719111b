"""Today's calls and emails: what the rep's desk time buys over the rest of the period.

Desk time is short. The default plan asks a rep with 120 accounts for about 2,600 minutes of
calls and emails a month; at 90 minutes a working day they have about 1,900. A list sorted by
urgency alone (lateness doubling weekly) spends the time on whatever slipped furthest, so a
tier-A email that falls due in the last days of the month finds every day taken by overdue
tier-C calls. The desk plan looks at the rest of the period instead:

1. Every touch still owed in its period (the next one and the ones after it) is valued at
   lateness 0 (tier x KARE x type weights: what making it is worth, not how late it is), and
   placed in order of value per minute on the *latest* working day on or before its due date
   that still has time: scheduling with deadlines, so the valuable touches hold their days and
   the cheap ones fill around them. One that fits no day before its due date takes the
   earliest day after it that still counts (its period's last day at the latest); one that
   fits nowhere is left out with the reason.
2. Today's list is what fell on today; the minutes still free today go to the most valuable
   touches planned for later days (made early rather than wasted), provided the spacing from
   the account's last touch of that type allows it.

Re-planned every morning from what really happened, like the route. Pure: no Flask, no
database; the due rule (``due.due_dates``) gives each owed touch its due date.
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from backend.cadence.engine.due import CadenceStatus, due_dates
from backend.cadence.engine.periods import Period

NO_TIME = "no desk time left by {day}"
PLANNED = "planned for {day}"


@dataclass(frozen=True)
class Owed:
    """One account and touch type that still owes touches in its period."""

    account_id: Hashable
    touch_type: str
    period: Period
    required: int
    done: int
    value: float  # worth of one touch (the urgency weights at lateness 0)
    minutes: int
    last_touch: date | None = None

    @classmethod
    def of(cls, account_id: Hashable, st: CadenceStatus, value: float, minutes: int) -> Owed:
        """What ``st`` (a status with a due date) still owes, each touch worth ``value``."""
        return cls(
            account_id, st.touch_type, st.period, st.required, st.done, value, minutes,
            st.last_touch,
        )  # fmt: skip


@dataclass(frozen=True)
class DeskTouch:
    """One call or email to make: the next of its account and type, or one after it."""

    account_id: Hashable
    touch_type: str
    minutes: int
    value: float
    due: date
    last_day: date  # its period's last day: later, it no longer counts
    earliest: date
    next_one: bool = True  # False: a later touch of the same account, only holding time

    @property
    def key(self) -> tuple[Hashable, str]:
        return self.account_id, self.touch_type


@dataclass
class DeskPlan:
    """Today's calls and emails, the days the others hold, and those that fit nowhere."""

    today: list[DeskTouch]
    later: dict[date, list[DeskTouch]] = field(default_factory=dict)
    unplanned: list[tuple[DeskTouch, str]] = field(default_factory=list)
    minutes_left: int = 0
    day: date | None = None  # today

    def reason(self, touch: DeskTouch) -> str:
        """Why a touch is on today's list, or why not, in a rep's words."""
        if touch in self.today and self.day is not None:
            if touch.due < self.day:
                return f"{(self.day - touch.due).days} days overdue"
            if touch.due == self.day:
                return "due today"
            return f"due {touch.due:%-d %b}; time left today"
        for day, touches in sorted(self.later.items()):
            if touch in touches:
                return PLANNED.format(day=f"{day:%A} {day.day} {day:%b}")
        for t, why in self.unplanned:
            if t == touch:
                return why
        return ""


def spacing_days(period: Period, required: int) -> int:
    """Days between two touches of one type (a third of the plan's even spacing, at least 1)."""
    return max(1, period.days // (3 * max(1, required)))


def desk_touches(owed: Iterable[Owed], as_of: date) -> list[DeskTouch]:
    """Every touch still owed, each with its due date and the first day it may be made."""
    out = []
    for o in owed:
        gap = spacing_days(o.period, o.required)
        earliest = as_of
        if o.last_touch is not None:
            earliest = max(earliest, o.last_touch + timedelta(days=gap))
        for k in range(o.required - o.done):
            pair = due_dates(o.period, o.required, o.done + k)
            if pair is None:
                break
            due_from, due = pair
            if k > 0:  # a later touch: not before its own slot's lead window, nor on top of one
                earliest = max(due_from, earliest + timedelta(days=gap))
            out.append(
                DeskTouch(
                    o.account_id,
                    o.touch_type,
                    o.minutes,
                    o.value,
                    due,
                    o.period.last,
                    earliest,
                    k == 0,
                )
            )
    return out


def desk_days(first: date, last: date, limit: int = 92) -> list[date]:
    """Working days (Monday to Friday) from ``first`` to ``last``, at most ``limit`` days on."""
    out, d = [], first
    end = min(last, first + timedelta(days=limit))
    while d <= end:
        if d.weekday() < 5 or d == first:
            out.append(d)
        d += timedelta(days=1)
    return out


def plan_for(owed: Iterable[Owed], as_of: date, minutes: int) -> DeskPlan:
    """The desk plan of ``owed`` from ``as_of`` to the end of the last of their periods."""
    touches = desk_touches(owed, as_of)
    last = max((t.last_day for t in touches), default=as_of)
    return plan_desk(touches, desk_days(as_of, last), minutes)


def _order(t: DeskTouch) -> tuple:
    return -t.value / max(1, t.minutes), -t.value, t.due, str(t.account_id), t.touch_type


def plan_desk(touches: Iterable[DeskTouch], days: Sequence[date], minutes: int) -> DeskPlan:
    """Place ``touches`` on the working ``days`` (``days[0]`` is today) of ``minutes`` each."""
    days = sorted(days)
    if not days:
        return DeskPlan([], minutes_left=0)
    left = {d: minutes for d in days}
    placed: dict[date, list[DeskTouch]] = {d: [] for d in days}
    plan = DeskPlan([], day=days[0])
    for t in sorted(touches, key=_order):
        fits = [d for d in days if t.earliest <= d <= t.last_day and left[d] >= t.minutes]
        in_time = [d for d in fits if d <= t.due]
        day = max(in_time) if in_time else min(fits) if fits else None
        if day is None:
            plan.unplanned.append((t, NO_TIME.format(day=f"{t.last_day:%-d %b}")))
            continue
        placed[day].append(t)
        left[day] -= t.minutes
    today = days[0]
    # Time left today is lost tomorrow: the most valuable touches held for later come forward.
    ahead = [(d, t) for d in days[1:] for t in placed[d] if t.next_one and t.earliest <= today]
    for d, t in sorted(ahead, key=lambda dt: _order(dt[1])):
        if t.minutes <= left[today]:
            placed[d].remove(t)
            placed[today].append(t)
            left[today] -= t.minutes
    plan.today = sorted(placed[today], key=_order)
    plan.later = {d: placed[d] for d in days[1:] if placed[d]}
    plan.minutes_left = left[today]
    return plan
