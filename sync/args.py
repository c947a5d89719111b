"""Typed arguments of each mutation, read from the JSON `args` object of a pushed mutation."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from sync import _fields as f
from sync.constants import (
    STOP_STATUSES,
    TOUCH_OUTCOMES,
    TOUCH_TYPES,
    MutationName,
    Reason,
)
from sync.edits import (
    _ACCOUNT_FIELD_CHECKS,  # noqa: F401 (tests read the account checks from here)
    _OPPORTUNITY_FIELD_CHECKS,
    NOT_EDITABLE_MESSAGE,
    AccountUpdate,
    FollowUpUpdate,
    OpportunityUpdate,
    _account,
    _follow_up,
    _opportunity,
)
from sync.errors import ProtocolError


@dataclass(frozen=True)
class Checkin:
    """Where the phone was when the rep checked in."""

    lat: float
    lon: float
    accuracy_m: float | None


@dataclass(frozen=True)
class TouchLog:
    """`touch.log`: an append-only visit, call or email; `id` is the touch's own UUID."""

    id: str
    account_id: f.RowId
    type: str
    occurred_at: datetime
    outcome: str | None = None
    notes: str | None = None
    next_step: str | None = None
    # The day of the follow-up the next step asks for (a task with a reminder), or None.
    next_step_on: date | None = None
    duration_minutes: int | None = None
    checkin: Checkin | None = None


@dataclass(frozen=True)
class StopUpdate:
    """`stop.update`: the rep arrived at, finished or skipped a stop of a route."""

    route_id: f.RowId
    account_id: f.RowId
    status: str
    at: datetime
    skip_reason: str | None = None
    # What the device saw: the route's version and this stop's status. Optional (older clients
    # send neither); with them a change of the same stop on both sides is a conflict.
    base_version: int | None = None
    base_status: str | None = None


@dataclass(frozen=True)
class RouteReorder:
    """`route.reorder`: the rep's own order of the stops, against the route version seen."""

    route_id: f.RowId
    base_version: int
    order: tuple[f.RowId, ...]


@dataclass(frozen=True)
class OpportunityCreate:
    """`opportunity.create`: a deal the rep started offline; `id` is its client-generated UUID."""

    id: str
    account_id: f.RowId
    name: str
    stage: str = "lead"
    amount: float = 0.0
    currency: str | None = None
    lost_reason: str | None = None


Payload = (
    TouchLog
    | AccountUpdate
    | StopUpdate
    | RouteReorder
    | OpportunityUpdate
    | OpportunityCreate
    | FollowUpUpdate
)


def _touch(a: Mapping[str, Any], p: str, e: f.Errors) -> TouchLog | None:
    f.unknown_keys(a, TouchLog.__dataclass_fields__, p, e)
    checkin = None
    raw = f.as_object(
        f.get(a, "checkin", p, e, required=False), f.join(p, "checkin"), e, nullable=True
    )
    if raw is not None:
        cp = f.join(p, "checkin")
        f.unknown_keys(raw, Checkin.__dataclass_fields__, cp, e)
        lat = f.as_number(f.get(raw, "lat", cp, e), f.join(cp, "lat"), e, -90, 90)
        lon = f.as_number(f.get(raw, "lon", cp, e), f.join(cp, "lon"), e, -180, 180)
        acc_raw = f.get(raw, "accuracy_m", cp, e, required=False)
        acc = None if acc_raw is None else f.as_number(acc_raw, f.join(cp, "accuracy_m"), e, 0, 1e6)
        if lat is not None and lon is not None:
            checkin = Checkin(lat, lon, acc)
    values = {
        "id": f.as_uuid(f.get(a, "id", p, e), f.join(p, "id"), e),
        "account_id": f.as_row_id(f.get(a, "account_id", p, e), f.join(p, "account_id"), e),
        "type": f.as_choice(f.get(a, "type", p, e), f.join(p, "type"), e, TOUCH_TYPES),
        "occurred_at": f.as_datetime(f.get(a, "occurred_at", p, e), f.join(p, "occurred_at"), e),
        # Optional and nullable, as in POST /api/touches (TouchInSchema): one rule for both paths.
        "outcome": f.as_choice(
            f.get(a, "outcome", p, e, required=False),
            f.join(p, "outcome"),
            e,
            TOUCH_OUTCOMES,
            nullable=True,
        ),
        "notes": f.as_str(
            f.get(a, "notes", p, e, False), f.join(p, "notes"), e, nullable=True, allow_empty=True
        ),
        "next_step": f.as_str(
            f.get(a, "next_step", p, e, False),
            f.join(p, "next_step"),
            e,
            nullable=True,
            allow_empty=True,
        ),
    }
    values["next_step_on"] = f.as_date(
        f.get(a, "next_step_on", p, e, False), f.join(p, "next_step_on"), e
    )
    dur = f.get(a, "duration_minutes", p, e, required=False)
    values["duration_minutes"] = (
        None if dur is None else f.as_int(dur, f.join(p, "duration_minutes"), e, 0, 1440)
    )
    if e:
        return None
    return TouchLog(**values, checkin=checkin)


def _opportunity_create(a: Mapping[str, Any], p: str, e: f.Errors) -> OpportunityCreate | None:
    f.unknown_keys(a, OpportunityCreate.__dataclass_fields__, p, e)
    values: dict[str, Any] = {
        "id": f.as_uuid(f.get(a, "id", p, e), f.join(p, "id"), e),
        "account_id": f.as_row_id(f.get(a, "account_id", p, e), f.join(p, "account_id"), e),
        "name": f.as_str(f.get(a, "name", p, e), f.join(p, "name"), e, max_len=200),
    }
    # The optional fields take the same checks as an offline edit of them (one rule for both).
    for key in ("stage", "amount", "lost_reason"):
        raw = f.get(a, key, p, e, required=False)
        if not f.missing(raw):
            values[key] = _OPPORTUNITY_FIELD_CHECKS[key](raw, f.join(p, key), e)
    currency = f.get(a, "currency", p, e, required=False)
    if not f.missing(currency) and currency is not None:
        if not (
            isinstance(currency, str)
            and len(currency) == 3
            and all("A" <= c <= "Z" for c in currency)
        ):
            e.add(f.join(p, "currency"), "Use a three-letter ISO 4217 code.")
        values["currency"] = currency
    if values.get("lost_reason") and values.get("stage") != "lost":
        e.add(f.join(p, "lost_reason"), "Only a lost deal has a lost reason.")
    if e or any(values[k] is None for k in ("id", "account_id", "name")):
        return None
    return OpportunityCreate(**values)


def _stop(a: Mapping[str, Any], p: str, e: f.Errors) -> StopUpdate | None:
    f.unknown_keys(a, StopUpdate.__dataclass_fields__, p, e)
    route_id = f.as_row_id(f.get(a, "route_id", p, e), f.join(p, "route_id"), e)
    account_id = f.as_row_id(f.get(a, "account_id", p, e), f.join(p, "account_id"), e)
    status = f.as_choice(
        f.get(a, "status", p, e), f.join(p, "status"), e, {"arrived", "done", "skipped"}
    )
    at = f.as_datetime(f.get(a, "at", p, e), f.join(p, "at"), e)
    reason = f.as_str(
        f.get(a, "skip_reason", p, e, False),
        f.join(p, "skip_reason"),
        e,
        max_len=500,
        nullable=True,
    )
    raw_version = f.get(a, "base_version", p, e, False)
    base_version = (
        None if raw_version is None else f.as_int(raw_version, f.join(p, "base_version"), e, lo=0)
    )
    raw_status = f.get(a, "base_status", p, e, False)
    base_status = (
        None
        if raw_status is None or f.missing(raw_status)
        else f.as_choice(raw_status, f.join(p, "base_status"), e, STOP_STATUSES)
    )
    if e or route_id is None or account_id is None or status is None or at is None:
        return None
    return StopUpdate(route_id, account_id, status, at, reason, base_version, base_status)


def _reorder(a: Mapping[str, Any], p: str, e: f.Errors) -> RouteReorder | None:
    f.unknown_keys(a, RouteReorder.__dataclass_fields__, p, e)
    route_id = f.as_row_id(f.get(a, "route_id", p, e), f.join(p, "route_id"), e)
    base_version = f.as_int(
        f.get(a, "base_version", p, e), f.join(p, "base_version"), e, lo=0, hi=f.INT4_MAX
    )
    raw = f.as_list(f.get(a, "order", p, e), f.join(p, "order"), e)
    order = tuple(f.as_row_id(x, f.join(f.join(p, "order"), i), e) for i, x in enumerate(raw or []))
    if raw is not None and len(set(order)) != len(order):
        e.add(f.join(p, "order"), "Must not list a stop twice.")
    if e or route_id is None or base_version is None or raw is None:
        return None
    return RouteReorder(route_id, base_version, tuple(x for x in order if x is not None))


_READERS: dict[str, Callable[[Mapping[str, Any], str, f.Errors], Payload | None]] = {
    MutationName.TOUCH_LOG: _touch,
    MutationName.ACCOUNT_UPDATE: _account,
    MutationName.STOP_UPDATE: _stop,
    MutationName.ROUTE_REORDER: _reorder,
    MutationName.OPPORTUNITY_UPDATE: _opportunity,
    MutationName.OPPORTUNITY_CREATE: _opportunity_create,
    MutationName.FOLLOW_UP_UPDATE: _follow_up,
}


def read_args(
    name: str, args: Mapping[str, Any], errs: f.Errors, path: str = "args"
) -> Payload | None:
    """Typed payload of a known mutation, or None with messages recorded in errs."""
    return _READERS[name](args, path, errs)


def rejection_reason(errs: f.Errors) -> Reason:
    """not_editable when the only problem is a non-editable field, else invalid."""
    messages = [m for ms in errs.by_field.values() for m in ms]
    if messages and all(m == NOT_EDITABLE_MESSAGE for m in messages):
        return Reason.NOT_EDITABLE
    return Reason.INVALID


def parse_args(name: str, args: Mapping[str, Any]) -> Payload:
    """Typed payload of a mutation, raising ProtocolError with field messages when invalid."""
    if name not in _READERS:
        raise ProtocolError("Unknown mutation.", {"name": [f"Unknown mutation {name!r}."]})
    errs = f.Errors()
    payload = read_args(name, args, errs)
    if errs or payload is None:
        raise ProtocolError("Invalid mutation arguments.", errs.by_field)
    return payload
