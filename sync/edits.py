"""Arguments of the field-level edits (accounts, deals, follow-ups): ``base`` and ``changes``.

Each changed field is checked by its own validator and must come with the value the device saw
(``base``), so the server can tell a concurrent edit from a stale one (``sync.merge_fields``).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sync import _fields as f
from sync.constants import (
    ACCOUNT_STATUSES,
    EDITABLE_FOLLOW_UP_FIELDS,
    KARE_VALUES,
    OPPORTUNITY_STAGES,
    WEEKDAYS,
)

NOT_EDITABLE_MESSAGE = "Field is not editable."


@dataclass(frozen=True)
class AccountUpdate:
    """`account.update`: field-level edit of an account against the version the client saw."""

    account_id: f.RowId
    base_version: int
    base: Mapping[str, Any]
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class OpportunityUpdate:
    """`opportunity.update`: field-level edit of the rep's deal against the version seen."""

    opportunity_id: f.RowId
    base_version: int
    base: Mapping[str, Any]
    changes: Mapping[str, Any]


@dataclass(frozen=True)
class FollowUpUpdate:
    """`follow_up.update`: the rep marks a follow-up done (or open again) or moves it to a day.

    ``touch_id`` is the touch that carries the follow-up; ``base`` holds the value the device saw
    for every changed field (touches carry no version: the merge compares values); ``at`` is when
    the rep marked it done (default: when the server got it).
    """

    touch_id: str
    base: Mapping[str, Any]
    changes: Mapping[str, Any]
    at: datetime | None = None


def _opening_hours(value: Any, path: str, e: f.Errors) -> None:
    hours = f.as_object(value, path, e)
    if hours is None:
        return
    for day, windows in hours.items():
        dp = f.join(path, day)
        if day not in WEEKDAYS:
            e.add(dp, "Unknown weekday.")
            continue
        for i, w in enumerate(f.as_list(windows, dp, e) or []):
            ok = isinstance(w, list) and len(w) == 2 and all(f.is_hhmm(t) for t in w)
            if not ok or w[0] >= w[1]:
                e.add(f.join(dp, i), 'Must be ["HH:MM", "HH:MM"] with open before close.')


def _contacts(value: Any, path: str, e: f.Errors) -> None:
    for i, c in enumerate(f.as_list(value, path, e) or []):
        cp = f.join(path, i)
        obj = f.as_object(c, cp, e)
        if obj is None:
            continue
        f.unknown_keys(obj, ("name", "phone", "email", "role"), cp, e)
        for key, v in obj.items():
            f.as_str(v, f.join(cp, key), e, max_len=200, nullable=True, allow_empty=True)


# Validators of new values, per editable account field.
_ACCOUNT_FIELD_CHECKS: dict[str, Callable[[Any, str, f.Errors], object]] = {
    "name": lambda v, p, e: f.as_str(v, p, e, max_len=200),
    "address": lambda v, p, e: f.as_str(v, p, e, max_len=500, nullable=True, allow_empty=True),
    "notes": lambda v, p, e: f.as_str(v, p, e, nullable=True, allow_empty=True),
    "tier": lambda v, p, e: f.as_str(v, p, e, max_len=16),
    "kare": lambda v, p, e: f.as_choice(v, p, e, KARE_VALUES),
    "status": lambda v, p, e: f.as_choice(v, p, e, ACCOUNT_STATUSES),
    "contacts": _contacts,
    "opening_hours": _opening_hours,
}


def _field_update(
    a: Mapping[str, Any],
    p: str,
    e: f.Errors,
    *,
    id_key: str,
    checks: Mapping[str, Callable[[Any, str, f.Errors], object]],
    make: Callable[[int, int, dict, dict], Any],
    fields: Any,
) -> Any:
    """A field-level update ``{<id_key>, base_version, base, changes}`` (accounts, deals)."""
    f.unknown_keys(a, fields, p, e)
    row_id = f.as_row_id(f.get(a, id_key, p, e), f.join(p, id_key), e)
    base_version = f.as_int(
        f.get(a, "base_version", p, e), f.join(p, "base_version"), e, lo=0, hi=f.INT4_MAX
    )
    edit = _base_and_changes(a, p, e, checks)
    if e or row_id is None or base_version is None or edit is None:
        return None
    return make(row_id, base_version, *edit)


def _base_and_changes(
    a: Mapping[str, Any],
    p: str,
    e: f.Errors,
    checks: Mapping[str, Callable[[Any, str, f.Errors], object]],
) -> tuple[dict, dict] | None:
    """``base`` and ``changes`` of a field-level edit: each change checked, each with its base."""
    base = f.as_object(f.get(a, "base", p, e), f.join(p, "base"), e)
    changes = f.as_object(f.get(a, "changes", p, e), f.join(p, "changes"), e)
    if changes is not None:
        if not changes:
            e.add(f.join(p, "changes"), "Must change at least one field.")
        for field, value in changes.items():
            cp = f.join(f.join(p, "changes"), field)
            check = checks.get(field)
            if check is None:
                e.add(cp, NOT_EDITABLE_MESSAGE)
                continue
            check(value, cp, e)
            # Without the value the client saw, a concurrent edit could not be told from a stale one.
            if base is not None and field not in base:
                e.add(f.join(f.join(p, "base"), field), "Missing base value for a changed field.")
    if base is None or changes is None:
        return None
    return dict(base), dict(changes)


def _account(a: Mapping[str, Any], p: str, e: f.Errors) -> AccountUpdate | None:
    return _field_update(
        a,
        p,
        e,
        id_key="account_id",
        checks=_ACCOUNT_FIELD_CHECKS,
        make=AccountUpdate,
        fields=AccountUpdate.__dataclass_fields__,
    )


_OPPORTUNITY_FIELD_CHECKS: dict[str, Callable[[Any, str, f.Errors], object]] = {
    "name": lambda v, p, e: f.as_str(v, p, e, max_len=200),
    "stage": lambda v, p, e: f.as_choice(v, p, e, OPPORTUNITY_STAGES),
    "amount": lambda v, p, e: f.as_number(v, p, e, 0, 1e12),
    "lost_reason": lambda v, p, e: f.as_str(v, p, e, max_len=500, nullable=True, allow_empty=True),
}


def _opportunity(a: Mapping[str, Any], p: str, e: f.Errors) -> OpportunityUpdate | None:
    return _field_update(
        a,
        p,
        e,
        id_key="opportunity_id",
        checks=_OPPORTUNITY_FIELD_CHECKS,
        make=OpportunityUpdate,
        fields=OpportunityUpdate.__dataclass_fields__,
    )


def _done(value: Any, path: str, e: f.Errors) -> None:
    if not isinstance(value, bool):
        e.add(path, "Must be true or false.")


def _day(value: Any, path: str, e: f.Errors) -> None:
    if value is None:
        e.add(path, "Must be a date (YYYY-MM-DD); a follow-up keeps a day.")
    else:
        f.as_date(value, path, e)


_FOLLOW_UP_FIELD_CHECKS: dict[str, Callable[[Any, str, f.Errors], object]] = {
    "follow_up_done": _done,
    "next_step_on": _day,
}
assert set(_FOLLOW_UP_FIELD_CHECKS) == EDITABLE_FOLLOW_UP_FIELDS


def _follow_up(a: Mapping[str, Any], p: str, e: f.Errors) -> FollowUpUpdate | None:
    f.unknown_keys(a, FollowUpUpdate.__dataclass_fields__, p, e)
    touch_id = f.as_uuid(f.get(a, "touch_id", p, e), f.join(p, "touch_id"), e)
    at = f.as_datetime(f.get(a, "at", p, e, required=False), f.join(p, "at"), e)
    edit = _base_and_changes(a, p, e, _FOLLOW_UP_FIELD_CHECKS)
    if e or touch_id is None or edit is None:
        return None
    return FollowUpUpdate(touch_id, *edit, at)
