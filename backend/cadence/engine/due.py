"""The cadence engine: is an account's next touch upcoming, due, overdue, or is the period done?

Pure functions on local calendar dates in the rep's time zone (see ``periods``); no Flask, no
database. Callers turn touch timestamps into local dates with ``group_touch_dates`` first.

The due-date rule
-----------------
DESIGN: "a visit is due when the account's remaining required visits in the period can no longer
be spread evenly over what is left of it; it is overdue when that point has passed."

Let the period have ``L`` days and the rule require ``n`` touches; the plan's even spacing is
``g = L / n`` days. With ``done`` touches logged, the next one is touch ``k = done + 1`` and
``r = n - done`` remain. Spread evenly, those ``r`` touches need ``r - 1`` full gaps ``g`` between
them plus a safety margin of ``g / 3`` after the last one, so that a cancelled visit can still be
made up before the period closes. They can no longer be spread that way once less than
``(r - 1) * g + g / 3`` of the period is left, i.e. from the point

    due_point = L - (r - 2/3) * g  =  (k - 1/3) * g  =  (3k - 1) * L / (3n)   days into the period.

Equivalently: cut the period into ``n`` equal slots; touch ``k`` belongs to slot ``k`` and is due
two thirds of the way through it. Each slot falls into thirds: *upcoming* in the first, *due* in
the second (the lead window, ``g / 3`` long), *overdue* in the last and after. Day ``d`` of the
period (1-based) covers the half-open span ``(d - 1, d]`` days, so

    due_date = first + ceil((3k - 1) * L / (3n)) - 1 days
    due_from = first + ceil((3k - 2) * L / (3n)) - 1 days

computed exactly with integers. Both always lie inside the period (``0 < due_point < L``).

Worked example (the acceptance test): tier A, 2 visits a month, November (L = 30, n = 2, g = 15),
one visit on Nov 3, so k = 2. due_point = 5 * 30 / 6 = 25 -> due by Nov 25; the lead window opens
at 4 * 30 / 6 = 20 -> Nov 20. On Nov 20 the visit is *due*; on Nov 28 it is 3 days *overdue*.
With no visit yet, k = 1: due by Nov 10 (from Nov 5). One call a week (L = 7): due by day
ceil(14/3) = 5, Friday, from Wednesday. One visit a quarter: due two thirds into the quarter
(Q4: Dec 1; Q1: Mar 1 in both leap and common years).

The rule depends only on the count logged so far, never on the as-of date, so a due date does not
drift while the rep waits, and which day the earlier touches fell on does not matter: the plan
asks for n touches per period, not for a rhythm between individual touches.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Any

from backend.cadence.engine.periods import PERIOD_WORDS, Period, local_date, period_containing
from backend.cadence.engine.plan import TOUCH_TYPES, CadenceRule
from backend.cadence.engine.urgency import DEFAULT_WEIGHTS, UrgencyWeights, urgency_score

_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


@dataclass(frozen=True)
class CadenceStatus:
    """Where one account stands for one touch type in the period containing ``as_of``."""

    tier: str
    touch_type: str
    period: Period
    as_of: date
    required: int
    done: int
    remaining: int
    due_date: date | None  # None once the period's requirement is met
    due_from: date | None  # first day of the lead window in which status is "due"
    overdue_days: int
    status: str  # "upcoming" | "due" | "overdue" | "done"
    last_touch: date | None
    reason: str

    @property
    def lateness_days(self) -> int:
        """Days past the due date (negative: days still left; 0 when done)."""
        return (self.as_of - self.due_date).days if self.due_date else 0


@dataclass(frozen=True)
class AccountRef:
    """The few account fields the engine needs."""

    id: Any
    name: str
    tier: str
    kare: str | None = None


@dataclass(frozen=True)
class DueItem:
    """One row of ``GET /api/cadence/due``."""

    account_id: Any
    account_name: str
    tier: str
    touch_type: str
    required: int
    done: int
    remaining: int
    period: str
    due_date: date
    overdue_days: int
    status: str
    urgency: float
    reason: str

    def to_json(self) -> dict[str, Any]:
        """The contract's JSON shape (dates as ``YYYY-MM-DD``, urgency rounded to 2 places)."""
        return {
            "account_id": self.account_id,
            "account_name": self.account_name,
            "tier": self.tier,
            "touch_type": self.touch_type,
            "required": self.required,
            "done": self.done,
            "remaining": self.remaining,
            "period": self.period,
            "due_date": self.due_date.isoformat(),
            "overdue_days": self.overdue_days,
            "status": self.status,
            "urgency": round(self.urgency, 2),
            "reason": self.reason,
        }


def _ceil_div(a: int, b: int) -> int:
    return -(-a // b)


def due_dates(period: Period, required: int, done: int) -> tuple[date, date] | None:
    """``(due_from, due_date)`` of the next touch, or None if ``done >= required``."""
    if done >= required:
        return None
    k, length = done + 1, period.days
    due_day = _ceil_div((3 * k - 1) * length, 3 * required)
    from_day = _ceil_div((3 * k - 2) * length, 3 * required)
    return (
        period.first + timedelta(days=from_day - 1),
        period.first + timedelta(days=due_day - 1),
    )


def expected_by(period: Period, required: int, as_of: date) -> int:
    """Touches due by ``as_of`` under the due rule: the slots whose due date is on or before it.

    This is the pro-rated target "expected by today": on day 2 of a month a rule of 2 visits
    expects none yet, by day 10 of 30 one, and once the period has closed all of them.
    """
    return sum(1 for done in range(required) if due_dates(period, required, done)[1] <= as_of)


def cadence_status(rule: CadenceRule, touch_dates: Iterable[date], as_of: date) -> CadenceStatus:
    """Status of one account and touch type on ``as_of`` from its touches' local dates."""
    period = period_containing(rule.period, as_of)
    past = [d for d in touch_dates if d <= as_of]  # touches "logged" after as_of don't exist yet
    done = sum(1 for d in past if period.contains(d))
    last_touch = max(past, default=None)
    remaining = max(0, rule.count - done)
    dates = due_dates(period, rule.count, done)
    if dates is None:
        due_from = due_date = None
        status, overdue_days = "done", 0
    else:
        due_from, due_date = dates
        overdue_days = max(0, (as_of - due_date).days)
        if overdue_days > 0:
            status = "overdue"
        elif as_of >= due_from:
            status = "due"
        else:
            status = "upcoming"
    reason = _reason(rule, period, as_of, done, last_touch, due_date, overdue_days)
    return CadenceStatus(
        tier=rule.tier,
        touch_type=rule.touch_type,
        period=period,
        as_of=as_of,
        required=rule.count,
        done=done,
        remaining=remaining,
        due_date=due_date,
        due_from=due_from,
        overdue_days=overdue_days,
        status=status,
        last_touch=last_touch,
        reason=reason,
    )


# A rep's due list is re-evaluated on every pull after a push, yet most of its (account, touch
# type) pairs have the same touch dates as last time, and accounts alike share answers; the
# status is a pure function of its arguments, so it can be reused. Bounded: about a thousand
# bytes per entry, so a few megabytes per process at most.
@lru_cache(maxsize=4096)
def _cached_status(rule: CadenceRule, touch_dates: tuple[date, ...], as_of: date) -> CadenceStatus:
    return cadence_status(rule, touch_dates, as_of)


def cached_cadence_status(
    rule: CadenceRule, touch_dates: Iterable[date], as_of: date
) -> CadenceStatus:
    """``cadence_status``, memoised per (rule, touch dates, as_of); the answer is shared, and
    frozen. The dates are sorted for the key: their order never changes the answer."""
    return _cached_status(rule, tuple(sorted(touch_dates)), as_of)


def _days(n: int) -> str:
    return "1 day" if n == 1 else f"{n} days"


def _reason(
    rule: CadenceRule,
    period: Period,
    as_of: date,
    done: int,
    last_touch: date | None,
    due_date: date | None,
    overdue_days: int,
) -> str:
    """E.g. "tier A: 1 of 2 visits this month, last visit 17 days ago, due by Nov 25"."""
    noun = rule.touch_type
    counted = noun if rule.count == 1 else f"{noun}s"
    parts = [f"tier {rule.tier}: {done} of {rule.count} {counted} this {PERIOD_WORDS[period.kind]}"]
    if last_touch is None:
        parts.append(f"no {noun} logged yet")
    else:
        ago = (as_of - last_touch).days
        parts.append(f"last {noun} today" if ago == 0 else f"last {noun} {_days(ago)} ago")
    if due_date is None:
        parts.append("done")
    elif overdue_days > 0:
        parts.append(f"{_days(overdue_days)} overdue")
    elif due_date == as_of:
        parts.append("due today")
    else:
        parts.append(f"due by {_MONTHS[due_date.month - 1]} {due_date.day}")
    return ", ".join(parts)


def group_touch_dates(
    touches: Iterable[tuple[Hashable, str, datetime]], time_zone: str
) -> dict[tuple[Hashable, str], list[date]]:
    """Local dates of ``(account_id, touch_type, occurred_at)`` touches, keyed by account and type."""
    grouped: dict[tuple[Hashable, str], list[date]] = defaultdict(list)
    for account_id, touch_type, occurred_at in touches:
        grouped[(account_id, touch_type)].append(local_date(occurred_at, time_zone))
    return dict(grouped)


def due_items(
    accounts: Iterable[AccountRef],
    rules: Iterable[CadenceRule],
    touches: Mapping[tuple[Hashable, str], Iterable[date]],
    as_of: date,
    weights: UrgencyWeights = DEFAULT_WEIGHTS,
    include_upcoming: bool = True,
    *,
    memoise: bool = True,
) -> list[DueItem]:
    """Every touch an account still needs this period, most urgent first.

    ``memoise`` reuses earlier evaluations (``cached_cadence_status``); same answers either way.
    """
    status = cached_cadence_status if memoise else cadence_status
    by_tier: dict[str, list[CadenceRule]] = defaultdict(list)
    for rule in rules:
        if rule.count > 0:
            by_tier[rule.tier].append(rule)
    items: list[DueItem] = []
    for account in accounts:
        for rule in by_tier.get(account.tier, ()):
            st = status(rule, touches.get((account.id, rule.touch_type), ()), as_of)
            if st.due_date is None or (st.status == "upcoming" and not include_upcoming):
                continue
            items.append(
                DueItem(
                    account_id=account.id,
                    account_name=account.name,
                    tier=account.tier,
                    touch_type=rule.touch_type,
                    required=st.required,
                    done=st.done,
                    remaining=st.remaining,
                    period=st.period.label,
                    due_date=st.due_date,
                    overdue_days=st.overdue_days,
                    status=st.status,
                    urgency=urgency_score(
                        account.tier, rule.touch_type, st.lateness_days, account.kare, weights
                    ),
                    reason=st.reason,
                )
            )
    # Ties (equal urgency) go to the earlier due date, then a stable, readable order.
    items.sort(
        key=lambda i: (
            -i.urgency,
            i.due_date,
            i.account_name,
            str(i.account_id),
            TOUCH_TYPES.index(i.touch_type),
        )
    )
    return items
