"""Opening hours: the compact text form used in CSV files, and conversions."""

from __future__ import annotations

import re

from sync.constants import WEEKDAYS

_DAY_PART = re.compile(r"^(mon|tue|wed|thu|fri|sat|sun)(?:-(mon|tue|wed|thu|fri|sat|sun))?$")
# The one definition of a clock time "HH:MM" (00:00 to 24:00) in the backend.
_CLOCK = r"(?:[01]\d|2[0-3]):[0-5]\d|24:00"
HHMM = re.compile(rf"^(?:{_CLOCK})$")
_WINDOW = re.compile(rf"^({_CLOCK})-({_CLOCK})$")


class HoursError(ValueError):
    """The text is not in the documented form."""


def parse_hours(text: str) -> dict[str, list[list[str]]]:
    """``"mon-fri 08:00-12:00,13:00-17:00; sat 09:00-12:00"`` -> weekday dict (others closed).

    Windows are checked for order and overlap by the schema that receives the result.
    """
    hours: dict[str, list[list[str]]] = {day: [] for day in WEEKDAYS}
    text = (text or "").strip().lower()
    if not text:
        return hours
    for part in text.split(";"):
        part = part.strip()
        if not part:
            continue
        days_text, _, windows_text = part.partition(" ")
        match = _DAY_PART.match(days_text)
        if not match:
            raise HoursError(f"'{days_text}' is not a weekday or range like mon-fri.")
        first, last = WEEKDAYS.index(match[1]), WEEKDAYS.index(match[2] or match[1])
        if last < first:
            raise HoursError(f"'{days_text}' runs backwards.")
        windows = []
        if windows_text.strip() != "closed":
            for window in windows_text.replace(" ", "").split(","):
                wmatch = _WINDOW.match(window)
                if not wmatch:
                    raise HoursError(f"'{window}' is not a window like 08:00-12:00.")
                windows.append([wmatch[1], wmatch[2]])
        for day in WEEKDAYS[first : last + 1]:
            hours[day] = [list(w) for w in windows]
    return hours


def format_hours(hours: dict[str, list[list[str]]]) -> str:
    """Inverse of ``parse_hours`` (one part per day, open days only)."""
    parts = []
    for day in WEEKDAYS:
        windows = hours.get(day) or []
        if windows:
            parts.append(f"{day} " + ",".join(f"{a}-{b}" for a, b in windows))
    return "; ".join(parts)


def to_minutes(hhmm: str) -> int:
    """``"13:30"`` -> 810; ValueError for anything that is not ``HH:MM``."""
    if not isinstance(hhmm, str) or not HHMM.match(hhmm):
        raise ValueError(f"{hhmm!r} is not a time like 08:30.")
    hours, mins = hhmm.split(":")
    return int(hours) * 60 + int(mins)
