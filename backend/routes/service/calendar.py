"""The rep's calendar feed: planned stops and appointments as iCalendar, at a private URL.

The URL's token is a bearer secret (calendar apps cannot log in), so only its SHA-256 is stored:
a leaked database does not leak working feed URLs. Events are written in UTC, which every
calendar app shows in its own zone, so no VTIMEZONE is needed.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from icalendar import Calendar, Event
from sqlalchemy import delete, select

from backend.accounts.models import Account
from backend.core.errors import NotFound
from backend.core.extensions import db
from backend.routes.models import Appointment, CalendarFeed, RoutePlan
from backend.users.models import User

PAST_DAYS = 14  # how far back the feed reaches: recent days stay in the rep's calendar
AHEAD_DAYS = 56


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def feed_of(user: User) -> CalendarFeed | None:
    """The user's feed, if one is on."""
    return db.session.scalar(select(CalendarFeed).where(CalendarFeed.user_id == user.id))


def regenerate(user: User) -> tuple[CalendarFeed, str]:
    """A new secret token (the old URL stops working at once); returns the feed and the token."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    token = secrets.token_urlsafe(32)
    feed = CalendarFeed(user_id=user.id, token_sha256=_hash(token))
    db.session.add(feed)
    db.session.flush()
    return feed, token


def revoke(user: User) -> None:
    """Switch the feed off: its URL answers 404 from now on."""
    db.session.execute(delete(CalendarFeed).where(CalendarFeed.user_id == user.id))
    db.session.flush()


def user_for_token(token: str) -> User:
    """The active user whose feed has this token, or NotFound (the same answer for any miss)."""
    feed = db.session.scalar(select(CalendarFeed).where(CalendarFeed.token_sha256 == _hash(token)))
    user = db.session.get(User, feed.user_id) if feed else None
    if user is None or not user.is_active:
        raise NotFound("No such calendar.")
    return user


def _at(day: date, hhmm: str, zone: ZoneInfo) -> datetime:
    hours, minutes = (int(x) for x in hhmm.split(":")[:2])
    if hours == 24:
        return datetime.combine(day + timedelta(days=1), datetime.min.time(), zone).astimezone(UTC)
    local = datetime(day.year, day.month, day.day, hours, minutes, tzinfo=zone)
    return local.astimezone(UTC)


def _event(uid: str, summary: str, start: datetime, end: datetime, where: str, note: str) -> Event:
    event = Event()
    event.add("uid", uid)
    event.add("summary", summary)
    event.add("dtstart", start)
    event.add("dtend", end)
    event.add("dtstamp", datetime.now(UTC).replace(microsecond=0))
    if where:
        event.add("location", where)
    if note:
        event.add("description", note)
    return event


def feed_ics(user: User, today: date | None = None) -> bytes:
    """The iCalendar document of the rep's stored routes and appointments around today."""
    zone = ZoneInfo(user.time_zone)
    today = today or datetime.now(zone).date()
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=AHEAD_DAYS)
    cal = Calendar()
    cal.add("prodid", "-//FieldRep//Calendar feed//EN")
    cal.add("version", "2.0")
    cal.add("x-wr-calname", f"FieldRep: {user.name}")
    booked = list(
        db.session.scalars(
            select(Appointment).where(
                Appointment.rep_id == user.id, Appointment.date.between(first, last)
            )
        )
    )
    names = {
        a.id: (a.name, a.address or "")
        for a in db.session.scalars(
            select(Account).where(Account.id.in_({b.account_id for b in booked}))
        )
    }
    for appt in booked:
        name, address = names.get(appt.account_id, ("Account", ""))
        start = _at(appt.date, appt.start, zone)
        cal.add_component(
            _event(
                f"appointment-{appt.id}@fieldrep",
                f"Appointment: {name}",
                start,
                start + timedelta(minutes=appt.minutes),
                address,
                appt.note,
            )
        )
    fixed = {(b.date, b.account_id) for b in booked}
    routes = db.session.scalars(
        select(RoutePlan).where(RoutePlan.rep_id == user.id, RoutePlan.date.between(first, last))
    )
    for route in routes:
        for stop in route.stops:
            if stop.get("status") == "skipped" or (route.date, stop["account_id"]) in fixed:
                continue
            cal.add_component(
                _event(
                    f"stop-{route.id}-{stop['account_id']}@fieldrep",
                    f"Visit: {stop['name']}",
                    _at(route.date, stop["start"], zone),
                    _at(route.date, stop["departure"], zone),
                    stop.get("address") or "",
                    f"Tier {stop['tier']}" if stop.get("tier") else "",
                )
            )
    return cal.to_ical()
