"""User, auth and territory schemas."""

from __future__ import annotations

from zoneinfo import available_timezones

from marshmallow import ValidationError, fields, post_dump, validate, validates

from backend.core.hours import HHMM, to_minutes
from backend.core.schemas import BaseSchema, Lat, Lon


def _hhmm(total: int) -> str:
    return f"{total // 60:02d}:{total % 60:02d}"


class LoginSchema(BaseSchema):
    """Credentials."""

    email = fields.Email(required=True)
    password = fields.String(required=True, validate=validate.Length(min=1, max=200))


class TerritoryRefSchema(BaseSchema):
    """A territory as a reference."""

    id = fields.Integer()
    name = fields.String()


class UserSchema(BaseSchema):
    """A user as the API shows it."""

    id = fields.Integer()
    email = fields.String()
    name = fields.String()
    role = fields.String()
    time_zone = fields.String()
    home = fields.Method("_home")
    work_start = fields.Function(lambda u: _hhmm(u.work_start_min))
    work_end = fields.Function(lambda u: _hhmm(u.work_end_min))
    max_stops = fields.Integer(allow_none=True)
    territories = fields.List(fields.Nested(TerritoryRefSchema))

    def _home(self, user):
        if user.home_lat is None:
            return None
        return {"lat": user.home_lat, "lon": user.home_lon}


class MeSchema(UserSchema):
    """The current user plus the CSRF token for writes."""

    csrf_token = fields.String()

    @post_dump(pass_original=True)
    def _token(self, data, original, **kwargs):
        data["csrf_token"] = getattr(original, "csrf_token", None)
        return data


class LoginResultSchema(BaseSchema):
    """Login answer."""

    user = fields.Nested(UserSchema)
    csrf_token = fields.String()


class UserInSchema(BaseSchema):
    """Create a user (admin)."""

    email = fields.Email(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    password = fields.String(required=True, validate=validate.Length(min=8, max=200))
    role = fields.String(load_default="rep", validate=validate.OneOf(("rep", "manager", "admin")))
    time_zone = fields.String(load_default="UTC")
    home_lat = Lat(load_default=None, allow_none=True)
    home_lon = Lon(load_default=None, allow_none=True)
    work_start = fields.String(load_default="08:00", validate=validate.Regexp(HHMM))
    work_end = fields.String(load_default="17:30", validate=validate.Regexp(HHMM))
    max_stops = fields.Integer(load_default=None, allow_none=True, validate=validate.Range(1, 60))
    territory_ids = fields.List(fields.Integer(), load_default=list)

    @validates("time_zone")
    def _tz(self, value, **kwargs):
        if value not in available_timezones():
            raise ValidationError("Unknown time zone; use an IANA name like Europe/Berlin.")

    def work_minutes(self, data: dict) -> tuple[int, int]:
        """Working day as minutes, validated start < end."""
        start, end = to_minutes(data["work_start"]), to_minutes(data["work_end"])
        if end <= start:
            raise ValidationError({"work_end": ["Must be after work_start."]})
        return start, end


class TerritorySchema(BaseSchema):
    """A territory with its manager and members."""

    id = fields.Integer()
    name = fields.String()
    manager_id = fields.Integer(allow_none=True)
    member_ids = fields.Function(lambda t: [m.id for m in t.members])


class TerritoryInSchema(BaseSchema):
    """Create a territory (admin)."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    manager_id = fields.Integer(load_default=None, allow_none=True)
    member_ids = fields.List(fields.Integer(), load_default=list)
