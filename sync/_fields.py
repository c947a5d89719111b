"""Small field readers that collect messages instead of raising, so one answer lists every problem."""

from __future__ import annotations

import re
import uuid
from collections.abc import Collection, Mapping
from datetime import date, datetime
from typing import Any

# Ids of server rows: positive integers or short opaque strings (the server decides which).
RowId = int | str

_HHMM = re.compile(r"^([01]\d|2[0-3]):[0-5]\d$")
MISSING = object()
# What a database column can hold: PostgreSQL's int4 / int8, text without NUL or lone surrogates.
INT4_MAX = 2**31 - 1
INT8_MAX = 2**63 - 1
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")
# Timestamps a device can mean; year 1 or 9999 would overflow once moved to UTC or a local zone.
MIN_YEAR, MAX_YEAR = 1970, 9000


def unstorable_text(value: str) -> str | None:
    """Why ``value`` cannot be stored as text (a NUL, a lone UTF-16 surrogate), or None."""
    found = _UNSTORABLE.search(value)
    if found is None:
        return None
    return (
        "Must not contain NUL characters."
        if found.group() == "\x00"
        else ("Must not contain lone UTF-16 surrogates.")
    )


class Errors:
    """Field path -> messages, filled while reading one JSON object."""

    def __init__(self) -> None:
        self.by_field: dict[str, list[str]] = {}

    def add(self, path: str, message: str) -> None:
        """Record one message for a field."""
        self.by_field.setdefault(path, []).append(message)

    def __bool__(self) -> bool:
        return bool(self.by_field)


def join(prefix: str, key: str | int) -> str:
    """Dotted field path, e.g. join("mutations.3", "id")."""
    return f"{prefix}.{key}" if prefix else str(key)


def get(obj: Mapping[str, Any], key: str, path: str, errs: Errors, required: bool = True) -> Any:
    """The value at key, or MISSING (recording a message when it was required)."""
    if key in obj:
        return obj[key]
    if required:
        errs.add(join(path, key), "Missing data for required field.")
    return MISSING


def missing(value: Any) -> bool:
    """True when get() found nothing."""
    return value is MISSING


def as_int(
    value: Any, path: str, errs: Errors, lo: int | None = None, hi: int | None = None
) -> int | None:
    """An integer within [lo, hi]; booleans are not integers on the wire."""
    if missing(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        errs.add(path, "Not a valid integer.")
        return None
    if hi is None:
        hi = INT8_MAX
    if (lo is not None and value < lo) or value > hi:
        errs.add(
            path, f"Must be between {lo} and {hi}." if hi is not None else f"Must be at least {lo}."
        )
        return None
    return value


def as_number(value: Any, path: str, errs: Errors, lo: float, hi: float) -> float | None:
    """A JSON number within [lo, hi]."""
    if missing(value):
        return None
    if isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        errs.add(path, "Not a valid number.")
        return None
    if not lo <= value <= hi:
        errs.add(path, f"Must be between {lo:g} and {hi:g}.")
        return None
    return float(value)


def as_str(
    value: Any,
    path: str,
    errs: Errors,
    max_len: int = 10_000,
    nullable: bool = False,
    allow_empty: bool = False,
) -> str | None:
    """A string of bounded length (None allowed when nullable)."""
    if missing(value) or (value is None and nullable):
        return None
    if not isinstance(value, str):
        errs.add(path, "Not a valid string.")
        return None
    if not value.strip() and not allow_empty:
        errs.add(path, "Must not be empty.")
        return None
    if len(value) > max_len:
        errs.add(path, f"Longer than maximum length {max_len}.")
        return None
    problem = unstorable_text(value)
    if problem is not None:
        errs.add(path, problem)
        return None
    return value


def as_choice(
    value: Any, path: str, errs: Errors, choices: Collection[str], nullable: bool = False
) -> str | None:
    """One of a fixed set of strings (None allowed when nullable)."""
    if missing(value):
        return None
    if value is None and nullable:
        return None
    if not isinstance(value, str) or value not in choices:
        errs.add(path, f"Must be one of: {', '.join(sorted(choices))}.")
        return None
    return value


def as_uuid(value: Any, path: str, errs: Errors) -> str | None:
    """A UUID in canonical lower-case form, so equal ids compare equal as strings."""
    if missing(value):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        return str(uuid.UUID(value))
    except ValueError:
        errs.add(path, "Not a valid UUID.")
        return None


def as_row_id(value: Any, path: str, errs: Errors) -> RowId | None:
    """A server row id: a positive int4 or a non-empty string of at most 64 characters."""
    if missing(value):
        return None
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= INT4_MAX:
        return value
    if (
        isinstance(value, str)
        and 0 < len(value) <= 64
        and value.strip() == value
        and unstorable_text(value) is None
    ):
        return value
    errs.add(path, "Not a valid id.")
    return None


def as_datetime(value: Any, path: str, errs: Errors) -> datetime | None:
    """An ISO 8601 timestamp that carries its UTC offset (device clocks have no agreed zone)."""
    if missing(value):
        return None
    try:
        if not isinstance(value, str):
            raise ValueError
        parsed = datetime.fromisoformat(value)
    except ValueError:
        errs.add(path, "Not a valid ISO 8601 datetime.")
        return None
    if parsed.tzinfo is None:
        errs.add(path, "Must include a UTC offset.")
        return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        errs.add(path, f"Must be between the years {MIN_YEAR} and {MAX_YEAR}.")
        return None
    return parsed


def as_date(value: Any, path: str, errs: Errors) -> date | None:
    """A calendar date ``YYYY-MM-DD`` (null allowed: no date)."""
    if value is None or missing(value):
        return None
    try:
        if not isinstance(value, str) or len(value) != 10:
            raise ValueError
        parsed = date.fromisoformat(value)
    except ValueError:
        errs.add(path, "Not a valid date (YYYY-MM-DD).")
        return None
    if not MIN_YEAR <= parsed.year <= MAX_YEAR:
        errs.add(path, f"Must be between the years {MIN_YEAR} and {MAX_YEAR}.")
        return None
    return parsed


def as_object(value: Any, path: str, errs: Errors, nullable: bool = False) -> dict[str, Any] | None:
    """A JSON object."""
    if missing(value) or (value is None and nullable):
        return None
    if not isinstance(value, dict):
        errs.add(path, "Not a valid object.")
        return None
    return value


def as_list(value: Any, path: str, errs: Errors) -> list[Any] | None:
    """A JSON array."""
    if missing(value):
        return None
    if not isinstance(value, list):
        errs.add(path, "Not a valid list.")
        return None
    return value


def unknown_keys(obj: Mapping[str, Any], allowed: Collection[str], path: str, errs: Errors) -> None:
    """Reject keys the shape does not define (the house schemas do the same)."""
    for key in obj:
        if key not in allowed:
            errs.add(join(path, str(key)), "Unknown field.")


def is_hhmm(value: Any) -> bool:
    """True for a clock time "HH:MM"."""
    return isinstance(value, str) and bool(_HHMM.match(value))
