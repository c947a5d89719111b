"""Route schemas: the day plan, the week, stop updates, re-optimisation, appointments."""

from __future__ import annotations

from marshmallow import fields, validate

from backend.core.hours import HHMM
from backend.core.schemas import BaseSchema, Lat, Lon


class RouteQuerySchema(BaseSchema):
    """Whose route: ``rep`` is an id or email (managers and admins)."""

    rep = fields.String(validate=validate.Length(max=254))


class PlanArgsSchema(BaseSchema):
    """Options of a (re)plan."""

    time_limit = fields.Float(validate=validate.Range(0.1, 30))


class PositionNowSchema(BaseSchema):
    """Where the rep is now, and when (defaults to the server's clock)."""

    lat = Lat(required=True)
    lon = Lon(required=True)
    at = fields.AwareDateTime(load_default=None)


class StopUpdateSchema(BaseSchema):
    """A stop's new status."""

    status = fields.String(
        required=True, validate=validate.OneOf(("planned", "arrived", "done", "skipped"))
    )
    at = fields.AwareDateTime(load_default=None)
    skip_reason = fields.String(
        load_default=None, allow_none=True, validate=validate.Length(max=400)
    )
    base_version = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(0))
    base_status = fields.String(
        load_default=None,
        allow_none=True,
        validate=validate.OneOf(("planned", "arrived", "done", "skipped")),
    )


class ReorderSchema(BaseSchema):
    """The rep's own order of the stops."""

    order = fields.List(fields.Integer(), required=True)
    base_version = fields.Integer(load_default=None)


class PointSchema(BaseSchema):
    """A point."""

    lat = fields.Float()
    lon = fields.Float()


class RouteSchema(BaseSchema):
    """A rep's day route as the contract shows it."""

    id = fields.Integer()
    rep_id = fields.Integer()
    date = fields.Date()
    version = fields.Integer()
    status = fields.String()
    start = fields.Function(lambda r: {"lat": r.start_lat, "lon": r.start_lon})
    end = fields.Function(lambda r: {"lat": r.end_lat, "lon": r.end_lon})
    stops = fields.List(fields.Dict())
    dropped = fields.List(fields.Dict())
    legs = fields.List(fields.Dict())
    break_ = fields.Function(
        lambda r: {"start": r.break_start, "end": r.break_end} if r.break_start else None,
        data_key="break",
    )
    value = fields.Integer()
    travel_seconds = fields.Integer()
    distance_m = fields.Integer(allow_none=True)
    solver = fields.String()
    notes = fields.List(fields.String())
    updated_at = fields.AwareDateTime()


class WeekSchema(BaseSchema):
    """A week of routes."""

    monday = fields.Date()
    rep_id = fields.Integer()
    days = fields.List(fields.Nested(RouteSchema))
    unplanned = fields.List(fields.Dict())
    # Only from planning: what the week plan did to today's route (None when today is not in it).
    today = fields.Dict(allow_none=True)


class AppointmentInSchema(BaseSchema):
    """Book a fixed-time visit."""

    account_id = fields.Integer(required=True)
    date = fields.Date(required=True)
    start = fields.String(required=True, validate=validate.Regexp(HHMM, error="Use HH:MM."))
    minutes = fields.Integer(load_default=30, validate=validate.Range(5, 480))
    note = fields.String(load_default="", validate=validate.Length(max=400))
    rep_id = fields.Integer(load_default=None)


class AppointmentSchema(BaseSchema):
    """A booked visit."""

    id = fields.Integer()
    rep_id = fields.Integer()
    account_id = fields.Integer()
    date = fields.Date()
    start = fields.String()
    minutes = fields.Integer()
    note = fields.String()


class AppointmentQuerySchema(BaseSchema):
    """Filter appointments."""

    date = fields.Date()
    rep = fields.String()


class SequenceSchema(BaseSchema):
    """The rest of the day in the rep's order: account ids still to visit, and which are pinned."""

    order = fields.List(fields.Integer(), required=True, validate=validate.Length(max=200))
    base_version = fields.Integer(load_default=None)
    pinned = fields.List(fields.Integer(), load_default=None, validate=validate.Length(max=200))


class RoutePreviewSchema(BaseSchema):
    """A re-plan computed but not stored: the route now and the route it would become."""

    current = fields.Nested(RouteSchema)
    proposed = fields.Nested(RouteSchema)


class MoveStopSchema(BaseSchema):
    """Move a planned stop to another day of the same week."""

    to = fields.Date(required=True)
    base_version = fields.Integer(load_default=None)


class MovedStopSchema(BaseSchema):
    """Both routes after a move."""

    from_ = fields.Nested(RouteSchema, data_key="from", attribute="from")
    to = fields.Nested(RouteSchema)


class BookedSchema(AppointmentSchema):
    """A booked visit and the day's route with it as a fixed stop (null: no route that day yet)."""

    route = fields.Nested(RouteSchema, allow_none=True)


class CalendarFeedSchema(BaseSchema):
    """The calendar feed's state; ``url`` only in the answer that made it (a secret)."""

    enabled = fields.Boolean()
    created_at = fields.AwareDateTime(allow_none=True)
    url = fields.String(allow_none=True)
