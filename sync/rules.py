"""Scope and state rules the server applies to each mutation, as pure decisions."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from sync._fields import RowId
from sync.args import RouteReorder
from sync.constants import Reason


class TouchAction(StrEnum):
    """What the server does with a `touch.log`."""

    CREATE = "create"
    # A touch with this UUID already exists for this rep: answer `applied`, write nothing.
    ALREADY_EXISTS = "already_exists"
    REJECT = "reject"


class TouchFlag(StrEnum):
    """Why a kept touch is listed for review (the touch counts either way)."""

    # The rep no longer owns the account (reassigned while the phone was offline).
    ACCOUNT_REASSIGNED = "account_reassigned"
    # The account was deleted before the visit reached the server; it stays on the tombstone.
    ACCOUNT_DELETED = "account_deleted"
    # The device clock was ahead: occurred_at was clamped to the server's receive time.
    CLOCK_AHEAD = "clock_ahead"
    # occurred_at is older than the age limit: counted in the period it was received in.
    CLOCK_BEHIND = "clock_behind"


@dataclass(frozen=True)
class TouchDecision:
    """The action, the rep to credit, the reason when rejected, the review flags when kept."""

    action: TouchAction
    rep_id: RowId | None = None
    reason: Reason | None = None
    flags: tuple[TouchFlag, ...] = ()


def decide_touch_log(
    actor_id: RowId,
    existing_rep_id: RowId | None,
    account_exists: bool,
    owns_now: bool,
    owned_at_occurrence: bool,
    *,
    account_deleted: bool = False,
    owned_before: bool = False,
) -> TouchDecision:
    """Decide a `touch.log` from the pushing rep.

    Touches are append-only facts, deduplicated by the touch's UUID. A touch for an account that
    was reassigned (``owned_at_occurrence`` or ``owned_before``: the rep owned it at some time)
    or deleted while the phone was offline is kept, credited to the rep who logged it, and
    flagged for the new owner or the manager; a rep who never owned the account cannot log
    against it.
    """
    if existing_rep_id is not None:
        if existing_rep_id == actor_id:
            return TouchDecision(TouchAction.ALREADY_EXISTS, actor_id)
        # Someone else's touch under this UUID: refuse without revealing anything about it.
        return TouchDecision(TouchAction.REJECT, reason=Reason.ID_REUSED)
    if not account_exists:
        return TouchDecision(TouchAction.REJECT, reason=Reason.NOT_FOUND)
    if not (owns_now or owned_at_occurrence or owned_before):
        return TouchDecision(TouchAction.REJECT, reason=Reason.NOT_IN_SCOPE)
    flags = () if owns_now else (TouchFlag.ACCOUNT_REASSIGNED,)
    if account_deleted:
        flags += (TouchFlag.ACCOUNT_DELETED,)
    return TouchDecision(TouchAction.CREATE, actor_id, flags=flags)


@dataclass(frozen=True)
class TouchTime:
    """When a touch happened as stored, the instant whose local date is its period, and flags."""

    occurred_at: datetime
    period_at: datetime
    flags: tuple[TouchFlag, ...] = ()


def decide_touch_time(
    occurred_at: datetime, received_at: datetime, max_skew: timedelta, max_age: timedelta
) -> TouchTime:
    """Never refuse a visit for its timestamp; keep the device's word unless it cannot be true.

    Ahead of the receive time by more than ``max_skew``: clamped to ``received_at`` (it cannot
    have happened later than it arrived). Older than ``max_age``: kept as the device said, but
    counted in the period it was received in, so a slow clock never credits a closed period.
    """
    if occurred_at > received_at + max_skew:
        return TouchTime(received_at, received_at, (TouchFlag.CLOCK_AHEAD,))
    if occurred_at < received_at - max_age:
        return TouchTime(occurred_at, received_at, (TouchFlag.CLOCK_BEHIND,))
    return TouchTime(occurred_at, occurred_at)


def account_update_rejection(account_exists: bool, in_scope_now: bool) -> Reason | None:
    """Why an `account.update` may not be merged at all, or None when it may.

    Unlike touches, edits need current ownership: a rep who lost the account offline must not
    overwrite the new owner's data, so the edit is rejected "not_in_scope" (the client shows it).
    """
    if not account_exists:
        return Reason.NOT_FOUND
    if not in_scope_now:
        return Reason.NOT_IN_SCOPE
    return None


# Allowed stop status moves. `done` is final; `skipped` may be undone by arriving after all.
_STOP_MOVES: dict[str, frozenset[str]] = {
    "planned": frozenset({"arrived", "done", "skipped"}),
    "arrived": frozenset({"done", "skipped"}),
    "skipped": frozenset({"arrived", "done"}),
    "done": frozenset(),
}


class StopAction(StrEnum):
    """What the server does with a `stop.update`."""

    APPLY = "apply"
    NOOP = "noop"  # already in that status: answer `applied`, write nothing
    REJECT = "reject"


def decide_stop_update(
    current: str, target: str, route_owned: bool, stop_on_route: bool
) -> tuple[StopAction, Reason | None]:
    """Decide a `stop.update`: scope, existence, then the status transition."""
    if not route_owned:
        return StopAction.REJECT, Reason.NOT_IN_SCOPE
    if not stop_on_route:
        return StopAction.REJECT, Reason.NOT_FOUND
    if current == target:
        return StopAction.NOOP, None
    if target not in _STOP_MOVES.get(current, frozenset()):
        return StopAction.REJECT, Reason.INVALID_TRANSITION
    return StopAction.APPLY, None


class ReorderAction(StrEnum):
    """What the server does with a `route.reorder`."""

    APPLY = "apply"
    NOOP = "noop"
    CONFLICT = "conflict"  # the route changed since the client saw it: conflict on field "order"
    REJECT = "reject"


def decide_route_reorder(
    update: RouteReorder, route_owned: bool, route_version: int, current_order: Sequence[RowId]
) -> tuple[ReorderAction, Reason | None]:
    """Decide a `route.reorder`; the order is one value, so a stale base is a conflict, not a merge."""
    if not route_owned:
        return ReorderAction.REJECT, Reason.NOT_IN_SCOPE
    if list(update.order) == list(current_order):
        return ReorderAction.NOOP, None
    if update.base_version != route_version:
        return ReorderAction.CONFLICT, None
    if sorted(map(str, update.order)) != sorted(map(str, current_order)):
        return ReorderAction.REJECT, Reason.INVALID
    return ReorderAction.APPLY, None
