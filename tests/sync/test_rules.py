"""Scope and state rules: touches are kept and credited to their author; edits need ownership."""

from __future__ import annotations

import pytest

from sync import (
    Reason,
    ReorderAction,
    RouteReorder,
    StopAction,
    TouchAction,
    account_update_rejection,
    decide_route_reorder,
    decide_stop_update,
    decide_touch_log,
)


def test_touch_for_account_reassigned_offline_is_kept_and_credited_to_its_author():
    d = decide_touch_log(
        actor_id=7,
        existing_rep_id=None,
        account_exists=True,
        owns_now=False,
        owned_at_occurrence=True,
    )
    assert (d.action, d.rep_id) == (TouchAction.CREATE, 7)


def test_touch_dedupes_by_uuid_and_refuses_someone_elses_uuid():
    assert decide_touch_log(7, 7, True, True, True).action is TouchAction.ALREADY_EXISTS
    d = decide_touch_log(7, 8, True, True, True)
    assert (d.action, d.reason) == (TouchAction.REJECT, Reason.ID_REUSED)


@pytest.mark.parametrize(
    ("exists", "owns", "owned_then", "reason"),
    [(False, True, True, Reason.NOT_FOUND), (True, False, False, Reason.NOT_IN_SCOPE)],
)
def test_touch_rejections(exists, owns, owned_then, reason):
    assert decide_touch_log(7, None, exists, owns, owned_then).reason is reason


def test_account_update_requires_current_ownership():
    assert account_update_rejection(True, True) is None
    assert account_update_rejection(True, False) is Reason.NOT_IN_SCOPE
    assert account_update_rejection(False, True) is Reason.NOT_FOUND


@pytest.mark.parametrize(
    ("current", "target", "expected"),
    [
        ("planned", "arrived", StopAction.APPLY),
        ("arrived", "done", StopAction.APPLY),
        ("skipped", "arrived", StopAction.APPLY),
        ("done", "done", StopAction.NOOP),
        ("done", "arrived", StopAction.REJECT),
        ("arrived", "arrived", StopAction.NOOP),
    ],
)
def test_stop_transitions(current, target, expected):
    assert decide_stop_update(current, target, route_owned=True, stop_on_route=True)[0] is expected


def test_stop_update_scope_and_existence():
    assert decide_stop_update("planned", "done", False, True) == (
        StopAction.REJECT,
        Reason.NOT_IN_SCOPE,
    )
    assert decide_stop_update("planned", "done", True, False) == (
        StopAction.REJECT,
        Reason.NOT_FOUND,
    )


def test_route_reorder():
    current = [1, 2, 3]
    assert (
        decide_route_reorder(RouteReorder(9, 4, (3, 1, 2)), True, 4, current)[0]
        is ReorderAction.APPLY
    )
    assert (
        decide_route_reorder(RouteReorder(9, 3, (3, 1, 2)), True, 4, current)[0]
        is ReorderAction.CONFLICT
    )
    assert (
        decide_route_reorder(RouteReorder(9, 3, (1, 2, 3)), True, 4, current)[0]
        is ReorderAction.NOOP
    )
    assert decide_route_reorder(RouteReorder(9, 4, (1, 2)), True, 4, current) == (
        ReorderAction.REJECT,
        Reason.INVALID,
    )
    assert (
        decide_route_reorder(RouteReorder(9, 4, (3, 2, 1)), False, 4, current)[1]
        is Reason.NOT_IN_SCOPE
    )
