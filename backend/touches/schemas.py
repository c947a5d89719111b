"""Touch schemas: log (input), touch (output), list filters (query)."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from backend.core.schemas import BaseSchema, Lat, Lon
from sync.constants import TOUCH_OUTCOMES as OUTCOMES
from sync.constants import TOUCH_TYPES


class CheckinSchema(BaseSchema):
    """Where the phone was when the rep checked in."""

    lat = Lat(required=True)
    lon = Lon(required=True)
    accuracy_m = fields.Float(
        allow_none=True, load_default=None, validate=validate.Range(min=0, max=100_000)
    )


class TouchInSchema(BaseSchema):
    """Log a visit, call or email; ``id`` is the client's UUID (the idempotency key)."""

    id = fields.UUID(required=True)
    account_id = fields.Integer(required=True)
    type = fields.String(required=True, validate=validate.OneOf(TOUCH_TYPES))
    occurred_at = fields.AwareDateTime(
        required=True,
        error_messages={"invalid_awareness": "Must carry a UTC offset, e.g. +01:00."},
    )
    outcome = fields.String(allow_none=True, load_default=None, validate=validate.OneOf(OUTCOMES))
    notes = fields.String(load_default="", validate=validate.Length(max=10_000))
    next_step = fields.String(load_default="", validate=validate.Length(max=2_000))
    next_step_on = fields.Date(allow_none=True, load_default=None)
    duration_minutes = fields.Integer(
        allow_none=True, load_default=None, validate=validate.Range(min=0, max=24 * 60)
    )
    checkin = fields.Nested(CheckinSchema, allow_none=True, load_default=None)


class TouchSchema(BaseSchema):
    """A touch as the API shows it."""

    id = fields.String()
    account_id = fields.Integer()
    rep_id = fields.Integer()
    type = fields.String()
    occurred_at = fields.AwareDateTime()
    local_date = fields.Date()
    outcome = fields.String(allow_none=True)
    notes = fields.String()
    next_step = fields.String()
    next_step_on = fields.Date(allow_none=True)
    follow_up_done = fields.Boolean(
        metadata={"description": "The rep marked the follow-up (the dated next step) done."}
    )
    follow_up_done_at = fields.AwareDateTime(allow_none=True)
    duration_minutes = fields.Integer(allow_none=True)
    checkin = fields.Method("_checkin")
    created_by_id = fields.Integer(allow_none=True)
    created_at = fields.AwareDateTime()
    received_at = fields.AwareDateTime(allow_none=True)
    flags = fields.List(
        fields.String(),
        allow_none=True,
        metadata={"description": "Why a manager should review this kept touch, or null."},
    )

    def _checkin(self, touch) -> dict | None:
        if touch.checkin_lat is None:
            return None
        return {
            "lat": touch.checkin_lat,
            "lon": touch.checkin_lon,
            "accuracy_m": touch.checkin_accuracy_m,
        }


class TouchQuerySchema(BaseSchema):
    """Filters for the touch list; ``since``/``until`` are inclusive local dates."""

    account_id = fields.Integer()
    rep_id = fields.Integer()
    type = fields.String(validate=validate.OneOf(TOUCH_TYPES))
    since = fields.Date()
    until = fields.Date()
    flagged = fields.Boolean(
        metadata={"description": "Only touches kept with review flags (true) or without (false)."}
    )

    @validates_schema
    def _range(self, data, **kwargs):
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ValidationError("Must not be before since.", "until")
