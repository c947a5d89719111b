"""Properties of periods and local dates over many dates and zones of both UTC offset signs."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from hypothesis import given, settings
from hypothesis import strategies as st

from backend.cadence.engine.periods import (
    PERIOD_KINDS,
    local_date,
    parse_period,
    period_bounds_utc,
    period_containing,
)

# Both offset signs, half- and quarter-hour offsets, southern-hemisphere DST, a 30-minute DST
# shift (Lord Howe), DST switches at midnight (Santiago, Havana) and the date line (Kiritimati).
ZONES = [
    "UTC",
    "Europe/Berlin",
    "America/Chicago",
    "America/Los_Angeles",
    "America/St_Johns",
    "America/Santiago",
    "America/Havana",
    "Asia/Kolkata",
    "Asia/Kathmandu",
    "Australia/Lord_Howe",
    "Pacific/Auckland",
    "Pacific/Kiritimati",
    "Pacific/Pago_Pago",
]

FAST = settings(max_examples=150, deadline=None)
days = st.dates(min_value=date(1995, 1, 1), max_value=date(2060, 12, 31))
kinds = st.sampled_from(PERIOD_KINDS)
zones = st.sampled_from(ZONES)


@FAST
@given(kinds, days)
def test_period_contains_its_day_and_periods_tile(kind, day):
    period = period_containing(kind, day)
    assert period.contains(day)
    assert period.next().first == period.last + timedelta(days=1)
    assert period.previous().last == period.first - timedelta(days=1)
    assert period_containing(kind, period.first) == period == period_containing(kind, period.last)
    assert parse_period(period.label) == period
    assert period.days in {"week": {7}, "month": {28, 29, 30, 31}, "quarter": {90, 91, 92}}[kind]


@FAST
@given(kinds, days, zones, st.integers(min_value=-2 * 86400, max_value=100 * 86400))
def test_utc_bounds_agree_with_local_dates(kind, day, zone, offset_seconds):
    """An instant lies in the period's UTC range exactly when its local date is in the period."""
    period = period_containing(kind, day)
    start, end = period_bounds_utc(period, zone)
    instant = start + timedelta(seconds=offset_seconds)
    assert (start <= instant < end) == period.contains(local_date(instant, zone))
    assert local_date(start, zone) == period.first
    assert local_date(end - timedelta(microseconds=1), zone) == period.last


@FAST
@given(kinds, days, zones)
def test_late_evening_on_the_last_day_counts_for_that_period(kind, day, zone):
    """23:30 local on the period's last day belongs to it, whatever the date is in UTC."""
    period = period_containing(kind, day)
    late = datetime.combine(period.last, time(23, 30), tzinfo=ZoneInfo(zone)).astimezone(UTC)
    assert period.contains(local_date(late, zone))
    early = datetime.combine(period.next().first, time(0, 30), tzinfo=ZoneInfo(zone))
    # 00:30 may not exist on a midnight-DST day; wherever zoneinfo puts it, it is the next day.
    assert not period.contains(local_date(early.astimezone(UTC), zone))
