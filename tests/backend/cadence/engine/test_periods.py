"""Periods and local dates, by example: labels, month ends across zones, DST days, leap years."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.cadence.engine.periods import (
    local_date,
    parse_period,
    period_bounds_utc,
    period_containing,
)


def at(zone: str, *args: int, fold: int = 0) -> datetime:
    """An aware local time in ``zone`` converted to UTC, as the server stores touches."""
    return datetime(*args, tzinfo=ZoneInfo(zone), fold=fold).astimezone(UTC)


@pytest.mark.parametrize(
    ("kind", "day", "label", "first", "last"),
    [
        ("week", date(2026, 11, 24), "2026-W48", date(2026, 11, 23), date(2026, 11, 29)),
        ("month", date(2026, 11, 24), "2026-11", date(2026, 11, 1), date(2026, 11, 30)),
        ("quarter", date(2026, 11, 24), "2026-Q4", date(2026, 10, 1), date(2026, 12, 31)),
        # ISO weeks belong to the ISO year: 2026 has 53 weeks, 2024-12-30 is in 2025-W01.
        ("week", date(2027, 1, 3), "2026-W53", date(2026, 12, 28), date(2027, 1, 3)),
        ("week", date(2024, 12, 30), "2025-W01", date(2024, 12, 30), date(2025, 1, 5)),
    ],
)
def test_period_containing_a_day(kind, day, label, first, last):
    period = period_containing(kind, day)
    assert (period.label, period.first, period.last) == (label, first, last)
    assert parse_period(label) == period


@pytest.mark.parametrize(
    "label", ["2026-13", "2026-Q5", "2025-W53", "2026-11-01", "nope", "2026-W7"]
)
def test_bad_labels_are_refused(label):
    with pytest.raises(ValueError):
        parse_period(label)


def test_unknown_period_kind_is_refused():
    with pytest.raises(ValueError):
        period_containing("fortnight", date(2026, 1, 1))


def test_naive_datetimes_are_refused():
    with pytest.raises(ValueError):
        local_date(datetime(2026, 11, 30, 23, 30), "Europe/Berlin")


@pytest.mark.parametrize(
    ("zone", "moment", "expected"),
    [
        # Behind UTC: 23:30 on Nov 30 in Chicago is already Dec 1 in UTC, still November locally.
        ("America/Chicago", at("America/Chicago", 2026, 11, 30, 23, 30), date(2026, 11, 30)),
        (
            "America/Los_Angeles",
            at("America/Los_Angeles", 2026, 12, 31, 23, 30),
            date(2026, 12, 31),
        ),
        # Ahead of UTC: 00:30 on Dec 1 in Berlin is Nov 30 in UTC, already December locally.
        ("Europe/Berlin", at("Europe/Berlin", 2026, 12, 1, 0, 30), date(2026, 12, 1)),
        ("Pacific/Auckland", at("Pacific/Auckland", 2027, 1, 1, 9, 0), date(2027, 1, 1)),
        ("Asia/Kolkata", at("Asia/Kolkata", 2026, 10, 1, 5, 0), date(2026, 10, 1)),
    ],
)
def test_a_touch_counts_on_its_local_date(zone, moment, expected):
    assert moment.date() != expected  # the UTC date is the other side of the boundary
    assert local_date(moment, zone) == expected


def test_month_in_chicago_starts_on_the_fall_back_sunday():
    # Nov 1 2026 is both the first of the month and the day Chicago leaves daylight time.
    november = period_containing("month", date(2026, 11, 1))
    start, end = period_bounds_utc(november, "America/Chicago")
    assert start == datetime(2026, 11, 1, 5, 0, tzinfo=UTC)  # midnight CDT (-05:00)
    assert end == datetime(2026, 12, 1, 6, 0, tzinfo=UTC)  # midnight CST (-06:00)
    assert end - start == timedelta(days=30, hours=1)
    assert local_date(at("America/Chicago", 2026, 10, 31, 23, 30), "America/Chicago").month == 10
    for fold in (0, 1):  # 01:30 happens twice that night; both are Nov 1
        assert local_date(
            at("America/Chicago", 2026, 11, 1, 1, 30, fold=fold), "America/Chicago"
        ) == (date(2026, 11, 1))


def test_chicago_spring_forward_week_is_an_hour_short():
    week = period_containing("week", date(2026, 3, 8))  # Sunday Mar 8 2026, 02:00 -> 03:00
    assert week.label == "2026-W10"
    start, end = period_bounds_utc(week, "America/Chicago")
    assert end - start == timedelta(days=7, hours=-1)
    assert local_date(at("America/Chicago", 2026, 3, 8, 23, 30), "America/Chicago") == date(
        2026, 3, 8
    )


@pytest.mark.parametrize(
    ("day", "hours"),
    [(date(2026, 3, 29), -1), (date(2026, 10, 25), +1)],  # last Sundays of March and October
)
def test_berlin_dst_weeks(day, hours):
    week = period_containing("week", day)
    assert week.last == day  # both switches fall on the week's Sunday
    start, end = period_bounds_utc(week, "Europe/Berlin")
    assert end - start == timedelta(days=7, hours=hours)
    late_sunday = at("Europe/Berlin", day.year, day.month, day.day, 23, 30)
    assert local_date(late_sunday, "Europe/Berlin") == day
    assert week.contains(local_date(late_sunday, "Europe/Berlin"))


def test_march_ends_in_berlin_after_the_spring_switch():
    q1 = period_containing("quarter", date(2026, 3, 31))
    start, end = period_bounds_utc(q1, "Europe/Berlin")
    assert start == datetime(2025, 12, 31, 23, 0, tzinfo=UTC)  # CET
    assert end == datetime(2026, 3, 31, 22, 0, tzinfo=UTC)  # CEST
    assert local_date(at("Europe/Berlin", 2026, 3, 31, 23, 30), "Europe/Berlin") == q1.last
    assert local_date(at("Europe/Berlin", 2026, 4, 1, 0, 30), "Europe/Berlin") == q1.next().first


@pytest.mark.parametrize(
    ("year", "feb_days", "q1_days"),
    [(2026, 28, 90), (2028, 29, 91), (2000, 29, 91), (2100, 28, 90)],
)
def test_leap_years(year, feb_days, q1_days):
    assert period_containing("month", date(year, 2, 10)).days == feb_days
    assert period_containing("quarter", date(year, 2, 10)).days == q1_days


def test_feb_29_belongs_to_february_q1_and_its_iso_week():
    leap_day = date(2028, 2, 29)
    assert period_containing("month", leap_day).label == "2028-02"
    assert period_containing("quarter", leap_day).label == "2028-Q1"
    assert period_containing("week", leap_day).label == "2028-W09"
    assert parse_period("2028-02").last == leap_day


def test_neighbouring_periods():
    november = parse_period("2026-11")
    assert november.next().label == "2026-12"
    assert november.previous().label == "2026-10"
    assert parse_period("2026-Q4").next().label == "2027-Q1"
    assert parse_period("2026-W53").next().label == "2027-W01"
