"""The house base schema and shared fields."""

from __future__ import annotations

from datetime import date

from marshmallow import RAISE, Schema, ValidationError, fields, validate, validates_schema
from marshmallow.fields import Field

from backend.core.errors import Invalid
from backend.core.hours import HHMM, to_minutes
from sync.constants import WEEKDAYS

# Every integer the API accepts fits the database's INTEGER (int4, PostgreSQL's id type); a
# field that really needs int8 says so with ``metadata={"int8": True}``.
INT4 = (-(2**31), 2**31 - 1)
INT8 = (-(2**63), 2**63 - 1)
# Dates outside these years are typos or attacks, and date arithmetic near year 1 or 9999
# overflows; refusing them at the edge keeps every service free of that case.
YEARS = (1900, 2199)


def _range(low: int, high: int) -> validate.Range:
    return validate.Range(low, high, error=f"Must be between {low} and {high}.")


_INT4_RANGE, _INT8_RANGE = _range(*INT4), _range(*INT8)


def _year_in_range(value) -> None:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise ValidationError(f"Must be between the years {YEARS[0]} and {YEARS[1]}.")


def _guard(field: Field) -> None:
    """Add the house range checks to a field and to the fields inside it (lists, dicts)."""
    if isinstance(field, fields.Integer):
        check = _INT8_RANGE if field.metadata.get("int8") else _INT4_RANGE
        if check not in field.validators:  # a field may be bound more than once
            field.validators.append(check)
    elif (
        isinstance(field, (fields.Date, fields.DateTime)) and _year_in_range not in field.validators
    ):
        field.validators.append(_year_in_range)
    for inner in (
        getattr(field, "inner", None),
        getattr(field, "key_field", None),
        getattr(field, "value_field", None),
        *getattr(field, "tuple_fields", ()),
    ):
        if isinstance(inner, Field):
            _guard(inner)


class BaseSchema(Schema):
    """Rejects unknown fields, so a typo is a 422, not a silently ignored value.

    Every integer is range-checked against the database's integer type and every date against
    a sane span of years, once here rather than in each schema.
    """

    class Meta:
        unknown = RAISE

    def on_bind_field(self, field_name: str, field_obj: Field) -> None:
        """Attach the house range checks to each field as the schema binds it."""
        _guard(field_obj)


class ChangeSchema(BaseSchema):
    """A partial update (PATCH, or a PUT whose left-out fields keep their value).

    An empty body would answer 200 and change nothing, which hides a client bug; it is a 422.
    Fields in ``GUARDS`` (the version a client read) are not changes by themselves.
    """

    GUARDS: tuple[str, ...] = ("base_version",)

    @validates_schema
    def _something_to_change(self, data, **kwargs):
        if not set(data) - set(self.GUARDS):
            raise ValidationError("Nothing to change: give at least one field to update.")


def validate_windows(windows: list) -> None:
    """Windows are ``[open, close]`` pairs, each open before close, sorted and not overlapping."""
    last_close = -1
    for i, window in enumerate(windows):
        if not isinstance(window, (list, tuple)) or len(window) != 2:
            raise ValidationError(f"Window {i + 1} must be [open, close].")
        open_, close = window
        if not (isinstance(open_, str) and HHMM.match(open_)) or not (
            isinstance(close, str) and HHMM.match(close)
        ):
            raise ValidationError(f"Window {i + 1} must use HH:MM times.")
        if to_minutes(close) <= to_minutes(open_):
            raise ValidationError(f"Window {i + 1} closes ({close}) before it opens ({open_}).")
        if to_minutes(open_) < last_close:
            raise ValidationError(f"Window {i + 1} overlaps the one before it.")
        last_close = to_minutes(close)


class OpeningHours(fields.Dict):
    """``{"mon": [["08:00", "12:00"], ["13:00", "17:00"]], ...}``; missing days are closed."""

    def _deserialize(self, value, attr, data, **kwargs):
        if not isinstance(value, dict):
            raise ValidationError("Must be an object keyed by weekday (mon..sun).")
        out: dict[str, list[list[str]]] = {}
        errors: dict[str, list[str]] = {}
        for day, windows in value.items():
            if day not in WEEKDAYS:
                errors[str(day)] = [f"Unknown weekday; use one of {', '.join(WEEKDAYS)}."]
                continue
            if not isinstance(windows, list):
                errors[day] = ["Must be a list of [open, close] windows."]
                continue
            try:
                validate_windows(windows)
            except ValidationError as err:
                errors[day] = err.messages if isinstance(err.messages, list) else [str(err)]
                continue
            out[day] = [list(w) for w in windows]
        if errors:
            raise ValidationError(errors)
        return {day: out.get(day, []) for day in WEEKDAYS}


def Lat(**kw) -> fields.Float:  # noqa: N802 - reads like a field class
    """Latitude in degrees."""
    return fields.Float(validate=validate.Range(-90, 90, error="Must be between -90 and 90."), **kw)


def Lon(**kw) -> fields.Float:  # noqa: N802
    """Longitude in degrees."""
    return fields.Float(
        validate=validate.Range(-180, 180, error="Must be between -180 and 180."), **kw
    )


class PositionSchema(BaseSchema):
    """A point on the map."""

    lat = Lat(required=True)
    lon = Lon(required=True)


def path_day(text: str, name: str = "day") -> date:
    """A ``YYYY-MM-DD`` URL segment as a date in the house span of years (422 otherwise)."""
    try:
        day = date.fromisoformat(text)
        _year_in_range(day)
    except (ValueError, ValidationError) as err:
        message = err.messages if isinstance(err, ValidationError) else ["Use YYYY-MM-DD."]
        raise Invalid("Bad date.", {"path": {name: message}}) from None
    return day
