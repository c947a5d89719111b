"""What the horizon planner takes and gives: visits owed, their value per day, the reasons."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from routing.models import DroppedStop, Plan

# Value of one visit made on or before its due date, and of one made after it but still inside
# its period (it still counts for the period, the account waited): per unit of account weight.
IN_TIME = 10
LATE = 4
# A late visit loses value for every day it waits: ``LATE / (1 + LATE_DECAY x days late)``.
# With a flat late value an overdue account was worth as much at the month's end as today, so
# the horizon (whose cost also falls the later a late visit goes) slipped overdue visits to the
# last days: measured by the month simulator, four times the overdue account-days of the day
# planner. Never below 1 (a late visit inside its period still counts).
LATE_DECAY = 0.05
# Putting a visit off over all the days it has left costs as much as this much extra driving,
# times the account's weight: among plans of equal value the one that visits earlier wins (a
# visit missed today still has days to move to), most so for valuable visits due soon.
DEFER_SECONDS = 300
WEEKDAY_NAMES = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")

# Reasons of what is not visited on the first day (or not at all), as the rep reads them.
CLOSED_LEFT = "closed on the days left"
TOO_SOON = "too soon after its last visit on the days left"
NO_DAY_BEFORE_DUE = "no day left before its due date this {period}"
NO_ROOM = "no room on the days left this {period}"
OUT_OF_REACH = "cannot be reached within its opening hours on the days left"


@dataclass(frozen=True)
class Need:
    """The visits one account still owes in its period.

    ``due``: the due date of each visit still owed, earliest first (one entry per visit);
    ``period_end``: the last day a visit still counts; ``weight``: tier and account value as a
    multiplier (1 = an ordinary tier-C shop); ``gap_days``: at least this many calendar days
    between two visits (and after ``last_visit``); ``period``: the word for the period.
    """

    id: str
    due: tuple[date, ...]
    period_end: date
    weight: float = 1.0
    gap_days: int = 1
    last_visit: date | None = None
    period: str = "period"

    def value(self, k: int, day: date) -> int:
        """Value of making visit ``k`` (0-based, in due order) on ``day``."""
        if k >= len(self.due) or day > self.period_end:
            return 0
        due = self.due[k]
        if day <= due:
            return max(1, round(IN_TIME * self.weight * 10))
        late = LATE / (1.0 + LATE_DECAY * (day - due).days)
        return max(1, round(late * self.weight * 10))

    def value_of_days(self, days: list[date]) -> int:
        """Value of visits on ``days``: the earliest day makes the visit due first."""
        return sum(self.value(k, d) for k, d in enumerate(sorted(days)))

    def in_time(self, days: list[date]) -> int:
        """How many of the visits on ``days`` are made by their due dates."""
        return sum(1 for k, d in enumerate(sorted(days)) if k < len(self.due) and d <= self.due[k])


@dataclass
class HorizonPlan:
    """One routed Plan per day (input order), where each visit went, and what found no day.

    ``assigned`` maps a stop id to the dates it is planned on; ``unserved`` lists the visits that
    found no day, with the reason; each day's ``dropped`` says where its other candidates went.
    """

    days: list[Plan]
    dates: list[date]
    assigned: dict[str, list[date]]
    unserved: list[DroppedStop]
    notes: list[str] = field(default_factory=list)
    # Why each account owing visits is not on the first day ("planned for Thursday", ...).
    first_day_reasons: dict[str, str] = field(default_factory=dict)

    @property
    def value(self) -> int:
        """Total route value over the horizon."""
        return sum(d.value for d in self.days)


def day_words(day: date, first: date) -> str:
    """'Thursday' within the coming week, 'Thursday 10 Dec' further away."""
    name = WEEKDAY_NAMES[day.weekday()]
    if (day - first).days < 7:
        return name
    return f"{name} {day.day} {MONTHS[day.month - 1]}"


def planned_for(day: date, first: date, late: str | None = None) -> str:
    """The reason of a visit moved to a later day; ``late`` says why not before its due date."""
    text = f"planned for {day_words(day, first)}"
    return f"{text}, after its due date ({late})" if late else text
