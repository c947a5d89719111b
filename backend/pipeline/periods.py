"""Report periods: a year (``2026``) as well as the cadence labels (week, month, quarter).

Deals close at an instant and are counted by the UTC calendar day they closed on; a report
covering several time zones has no single local day, and UTC keeps every figure reproducible.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

from backend.cadence.engine.periods import parse_period, period_containing

_YEAR = re.compile(r"^(\d{4})$")


@dataclass(frozen=True)
class Window:
    """An inclusive range of days with its label."""

    first: date
    last: date
    label: str
    kind: str

    @property
    def days(self) -> int:
        """Number of days in the window."""
        return (self.last - self.first).days + 1

    @property
    def start_utc(self) -> datetime:
        """The first instant of the window."""
        return datetime.combine(self.first, time(), tzinfo=UTC)

    @property
    def end_utc(self) -> datetime:
        """The first instant after the window."""
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=UTC)

    @property
    def working_days(self) -> int:
        """Monday-to-Friday days in the window (the denominator of touches per working day)."""
        full, rest = divmod(self.days, 7)
        extra = sum(1 for i in range(rest) if (self.first + timedelta(days=i)).weekday() < 5)
        return full * 5 + extra


def parse(label: str) -> Window:
    """The window named by ``2026``, ``2026-Q4``, ``2026-11`` or ``2026-W48`` (ValueError else)."""
    match = _YEAR.match(label)
    if match:
        year = int(match[1])
        return Window(date(year, 1, 1), date(year, 12, 31), label, "year")
    period = parse_period(label)
    return Window(period.first, period.last, period.label, period.kind)


def quarter_of(day: date) -> Window:
    """The calendar quarter containing ``day``."""
    period = period_containing("quarter", day)
    return Window(period.first, period.last, period.label, "quarter")


def previous_quarter(window: Window) -> Window:
    """The quarter before the one ``window`` ends in."""
    return quarter_of(quarter_of(window.last).first - timedelta(days=1))


def current_quarter(today: date) -> str:
    """The label of the quarter containing ``today`` (the default report period)."""
    return quarter_of(today).label


def validate_label(value: str) -> None:
    """Marshmallow validator: a label ``parse`` understands."""
    from marshmallow import ValidationError

    try:
        parse(value)
    except ValueError as err:
        raise ValidationError(str(err)) from None
