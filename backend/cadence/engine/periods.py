"""Cadence periods (ISO week, month, quarter) on local calendar dates, and local dates of touches.

Everything here works on the rep's *local calendar*: a touch counts for the period that contains
the local date on which it happened in the rep's time zone, not its UTC date. Periods are
inclusive ranges of whole local days, so daylight-saving switches never move a boundary; only the
UTC instants of a boundary (``period_bounds_utc``) depend on the zone's offset that day.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from backend.core.clock import local_date  # noqa: F401  (part of the periods API)

PERIOD_KINDS = ("week", "month", "quarter")

# Words used in human-readable reasons ("1 of 2 visits this month").
PERIOD_WORDS = {"week": "week", "month": "month", "quarter": "quarter"}

_LABEL_RE = {
    "week": re.compile(r"^(\d{4})-W(\d{2})$"),
    "month": re.compile(r"^(\d{4})-(\d{2})$"),
    "quarter": re.compile(r"^(\d{4})-Q([1-4])$"),
}


@dataclass(frozen=True, order=True)
class Period:
    """An inclusive range of local calendar days: one ISO week, calendar month or quarter."""

    first: date
    last: date
    kind: str

    @property
    def label(self) -> str:
        """The period's label: ``2026-W48`` (ISO year and week), ``2026-11`` or ``2026-Q4``."""
        if self.kind == "week":
            iso_year, iso_week, _ = self.first.isocalendar()
            return f"{iso_year}-W{iso_week:02d}"
        if self.kind == "month":
            return f"{self.first.year}-{self.first.month:02d}"
        return f"{self.first.year}-Q{(self.first.month - 1) // 3 + 1}"

    @property
    def days(self) -> int:
        """Number of days in the period (7; 28-31; 90-92)."""
        return (self.last - self.first).days + 1

    def contains(self, day: date) -> bool:
        """True if the local date lies inside the period."""
        return self.first <= day <= self.last

    def day_number(self, day: date) -> int:
        """1-based position of ``day`` in the period (the first day is 1)."""
        return (day - self.first).days + 1

    def next(self) -> Period:
        """The period of the same kind that follows this one."""
        return period_containing(self.kind, self.last + timedelta(days=1))

    def previous(self) -> Period:
        """The period of the same kind that precedes this one."""
        return period_containing(self.kind, self.first - timedelta(days=1))


def period_containing(kind: str, day: date) -> Period:
    """The week (Monday to Sunday), month or quarter that contains the local date ``day``."""
    if kind == "week":
        first = day - timedelta(days=day.weekday())
        return Period(first, first + timedelta(days=6), "week")
    if kind == "month":
        last_day = calendar.monthrange(day.year, day.month)[1]
        return Period(day.replace(day=1), day.replace(day=last_day), "month")
    if kind == "quarter":
        first_month = (day.month - 1) // 3 * 3 + 1
        last_month = first_month + 2
        last_day = calendar.monthrange(day.year, last_month)[1]
        return Period(
            date(day.year, first_month, 1), date(day.year, last_month, last_day), "quarter"
        )
    raise ValueError(f"unknown period kind {kind!r}; expected one of {PERIOD_KINDS}")


def parse_period(label: str) -> Period:
    """The period named by a label such as ``2026-W48``, ``2026-11`` or ``2026-Q4``."""
    for kind, pattern in _LABEL_RE.items():
        match = pattern.match(label)
        if not match:
            continue
        year, number = int(match[1]), int(match[2])
        try:
            if kind == "week":
                return period_containing("week", date.fromisocalendar(year, number, 1))
            if kind == "month":
                return period_containing("month", date(year, number, 1))
            return period_containing("quarter", date(year, 3 * number - 2, 1))
        except ValueError as exc:
            raise ValueError(f"no such period: {label!r}") from exc
    raise ValueError(f"not a period label: {label!r}; expected 2026-W48, 2026-11 or 2026-Q4")


def start_of_day_utc(day: date, time_zone: str) -> datetime:
    """The UTC instant at which the local date ``day`` begins in ``time_zone``."""
    # fold=0 is right in both odd cases: where midnight is skipped by a DST jump it resolves to the
    # jump itself, and where midnight occurs twice it picks the earlier occurrence.
    local_midnight = datetime.combine(day, time.min, tzinfo=ZoneInfo(time_zone))
    return local_midnight.astimezone(UTC)


def period_bounds_utc(period: Period, time_zone: str) -> tuple[datetime, datetime]:
    """Half-open UTC range ``[start, end)`` covering the period's local days, for SQL filters."""
    return (
        start_of_day_utc(period.first, time_zone),
        start_of_day_utc(period.last + timedelta(days=1), time_zone),
    )
