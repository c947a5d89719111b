"""Reminder preferences: mutes per kind, digest hour, quiet hours, weekends off."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from backend.core.extensions import db
from backend.reminders.models import ReminderPreference
from backend.users.models import User

DEFAULTS = {
    "is_digest_muted": False,
    "is_overdue_alert_muted": False,
    "digest_hour": 7,
    "quiet_start_min": 21 * 60,
    "quiet_end_min": 7 * 60,
    "is_weekends_off": True,
}


def preferences_for(user: User) -> ReminderPreference:
    """The user's stored preferences, or unsaved defaults when they never changed any."""
    prefs = db.session.get(ReminderPreference, user.id)
    return prefs if prefs is not None else default_preferences(user.id)


def default_preferences(user_id: int) -> ReminderPreference:
    """Unsaved preferences with the defaults (never added to the session)."""
    return ReminderPreference(user_id=user_id, **DEFAULTS)


def update_preferences(user: User, changes: Mapping[str, Any]) -> ReminderPreference:
    """Apply ``changes`` (model field names; fields left out keep their value) and flush."""
    prefs = db.session.get(ReminderPreference, user.id)
    if prefs is None:
        prefs = ReminderPreference(user_id=user.id, **DEFAULTS)
        db.session.add(prefs)
    for name, value in changes.items():
        setattr(prefs, name, value)
    db.session.flush()
    return prefs


def in_quiet_hours(prefs: ReminderPreference, minute: int) -> bool:
    """Whether local ``minute`` (since midnight) falls in the quiet hours; they may wrap midnight."""
    start, end = prefs.quiet_start_min, prefs.quiet_end_min
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= minute < end
    return minute >= start or minute < end
