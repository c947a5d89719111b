"""Time-zone arithmetic every domain shares: an instant's calendar date in a rep's zone."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo


def local_date(moment: datetime, time_zone: str) -> date:
    """The calendar date of an aware ``moment`` in the IANA zone ``time_zone``."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive time is ambiguous (server time? UTC? local?); refuse rather than guess.
        raise ValueError("moment must be timezone-aware")
    return moment.astimezone(ZoneInfo(time_zone)).date()
