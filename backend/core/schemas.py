"""The house base schema and shared fields."""

from __future__ import annotations

from marshmallow import RAISE, Schema, ValidationError, fields, validate

from backend.core.hours import HHMM, to_minutes
from sync.constants import WEEKDAYS


class BaseSchema(Schema):
    """Rejects unknown fields, so a typo is a 422, not a silently ignored value."""

    class Meta:
        unknown = RAISE


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
