"""Push: subscriptions, the VAPID public key and reminder preferences."""

from __future__ import annotations

from marshmallow import EXCLUDE, fields, validate

from backend.core.hours import HHMM, to_minutes
from backend.core.schemas import BaseSchema, ChangeSchema


class VapidKeySchema(BaseSchema):
    """The applicationServerKey for ``pushManager.subscribe``."""

    key = fields.String(required=True)


class SubscriptionKeysSchema(BaseSchema):
    """The browser's encryption keys (validated as a P-256 point by the service)."""

    p256dh = fields.String(required=True)
    auth = fields.String(required=True)


class SubscriptionInSchema(BaseSchema):
    """A browser PushSubscription as ``subscription.toJSON()`` gives it."""

    class Meta:
        # Browsers may add members to PushSubscriptionJSON; ignore them rather than refuse.
        unknown = EXCLUDE

    endpoint = fields.String(required=True, validate=validate.Length(max=2048))
    expirationTime = fields.Raw(allow_none=True, load_default=None)  # noqa: N815 (browser JSON)
    keys = fields.Nested(SubscriptionKeysSchema, required=True)


class SubscriptionSchema(BaseSchema):
    """A saved device (the endpoint's path stays private: it is a bearer capability)."""

    id = fields.Integer()
    origin = fields.Method("_origin")
    user_agent = fields.String()
    created_at = fields.DateTime()
    last_success_at = fields.DateTime(allow_none=True)

    def _origin(self, sub) -> str:
        return "/".join(sub.endpoint.split("/", 3)[:3])


class EndpointSchema(BaseSchema):
    """Which subscription to delete."""

    endpoint = fields.String(required=True, validate=validate.Length(min=1, max=2048))


class QuietHoursSchema(BaseSchema):
    """Local ``HH:MM`` start and end; a start after the end wraps midnight."""

    start = fields.String(required=True, validate=validate.Regexp(HHMM, error="Use HH:MM."))
    end = fields.String(required=True, validate=validate.Regexp(HHMM, error="Use HH:MM."))


class MuteSchema(BaseSchema):
    """Mute per reminder kind."""

    digest = fields.Boolean()
    overdue_alert = fields.Boolean()


class PreferencesSchema(ChangeSchema):
    """Reminder preferences; on PUT, fields left out keep their value."""

    mute = fields.Nested(MuteSchema)
    digest_hour = fields.Integer(validate=validate.Range(0, 23))
    quiet_hours = fields.Nested(QuietHoursSchema, allow_none=True)
    weekends_off = fields.Boolean()
    time_zone = fields.String(dump_only=True)


def preferences_out(prefs, time_zone: str) -> dict:
    """The JSON shape of a preference row."""

    def hhmm(m: int) -> str:
        return f"{m // 60:02d}:{m % 60:02d}"

    quiet = None
    if prefs.quiet_start_min is not None and prefs.quiet_end_min is not None:
        quiet = {"start": hhmm(prefs.quiet_start_min), "end": hhmm(prefs.quiet_end_min)}
    return {
        "mute": {"digest": prefs.is_digest_muted, "overdue_alert": prefs.is_overdue_alert_muted},
        "digest_hour": prefs.digest_hour,
        "quiet_hours": quiet,
        "weekends_off": prefs.is_weekends_off,
        "time_zone": time_zone,
    }


def preferences_in(data: dict) -> dict:
    """Map the JSON shape onto model field names (only the fields given)."""
    changes: dict = {}
    mute = data.get("mute") or {}
    if "digest" in mute:
        changes["is_digest_muted"] = mute["digest"]
    if "overdue_alert" in mute:
        changes["is_overdue_alert_muted"] = mute["overdue_alert"]
    if "digest_hour" in data:
        changes["digest_hour"] = data["digest_hour"]
    if "weekends_off" in data:
        changes["is_weekends_off"] = data["weekends_off"]
    if "quiet_hours" in data:
        quiet = data["quiet_hours"]
        changes["quiet_start_min"] = to_minutes(quiet["start"]) if quiet else None
        changes["quiet_end_min"] = to_minutes(quiet["end"]) if quiet else None
    return changes
