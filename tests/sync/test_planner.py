"""Ordering and idempotency rules of plan_batch, case by case."""

from __future__ import annotations

import pytest

from sync import (
    LoggedMutation,
    PushResult,
    Reason,
    Status,
    applied,
    build_push_response,
    conflict,
    log_entries,
    parse_mutation,
    plan_batch,
    rejected,
)
from tests.sync.factories import mutation, touch_args


def muts(*mids, uid=None):
    return [parse_mutation(mutation(mid, uid=uid)) for mid in mids]


def answers(plan):
    return [
        (
            s.mutation.mutation_id,
            "apply" if s.apply else s.answer.status,
            s.answer and s.answer.reason,
        )
        for s in plan.steps
    ]


def test_in_order_batch_applies_everything_and_advances():
    plan = plan_batch(0, muts(1, 2, 3))
    assert answers(plan) == [(1, "apply", None), (2, "apply", None), (3, "apply", None)]
    assert plan.last_mutation_id == 3


def test_reordered_batch_is_applied_in_mutation_id_order():
    plan = plan_batch(4, muts(7, 5, 6))
    assert [m.mutation_id for m in plan.to_apply] == [5, 6, 7]


def test_at_or_below_last_is_duplicate_and_never_applied():
    plan = plan_batch(5, muts(4, 5, 6))
    assert answers(plan) == [
        (4, Status.DUPLICATE, None),
        (5, Status.DUPLICATE, None),
        (6, "apply", None),
    ]
    assert plan.last_mutation_id == 6


def test_gap_defers_everything_after_it_without_advancing():
    plan = plan_batch(2, muts(3, 5, 6))
    assert answers(plan) == [
        (3, "apply", None),
        (5, Status.DEFERRED, "out_of_order"),
        (6, Status.DEFERRED, "out_of_order"),
    ]
    assert plan.last_mutation_id == 3


def test_invalid_mutation_is_rejected_and_still_advances():
    bad = parse_mutation(mutation(2, args=touch_args(type="fax")))
    plan = plan_batch(1, [bad, *muts(3)])
    assert answers(plan) == [(2, Status.REJECTED, "invalid"), (3, "apply", None)]
    assert plan.steps[0].answer.errors == {"args.type": ["Must be one of: call, email, visit."]}
    assert plan.last_mutation_id == 3


def test_same_mutation_twice_in_one_batch_is_applied_once():
    [m] = muts(1)
    plan = plan_batch(0, [m, m])
    assert answers(plan) == [(1, "apply", None), (1, Status.DUPLICATE, None)]


def test_two_different_mutations_under_one_id_are_both_rejected_and_unblock_the_queue():
    plan = plan_batch(0, [*muts(1), *muts(1), *muts(2)])
    assert answers(plan) == [
        (1, Status.REJECTED, "id_conflict"),
        (1, Status.REJECTED, "id_conflict"),
        (2, "apply", None),
    ]
    assert plan.last_mutation_id == 2


def test_uuid_reused_under_a_later_mutation_id_in_one_batch_is_rejected():
    plan = plan_batch(0, muts(1, 2, uid="6f1c7a52-32a4-4d3c-9d4e-0b6c2f1d8a11"))
    assert answers(plan) == [(1, "apply", None), (2, Status.REJECTED, "id_reused")]
    assert plan.last_mutation_id == 2


def test_uuid_known_from_another_mutation_is_rejected_not_reapplied():
    [m] = muts(8)
    log = {m.id: LoggedMutation(m.id, "phone-1", 3, Status.APPLIED)}
    plan = plan_batch(7, [m], client_id="phone-1", log=log)
    assert answers(plan) == [(8, Status.REJECTED, "id_reused")]
    assert plan.last_mutation_id == 8
    other_client = {m.id: LoggedMutation(m.id, "phone-2", 8, Status.APPLIED)}
    assert answers(plan_batch(7, [m], client_id="phone-1", log=other_client))[0][2] == "id_reused"


def test_duplicate_replays_the_recorded_outcome_so_a_lost_conflict_answer_is_not_lost():
    [m] = muts(3)
    log = {m.id: LoggedMutation(m.id, "phone-1", 3, Status.CONFLICT, fields=("tier",))}
    [step] = plan_batch(5, [m], client_id="phone-1", log=log).steps
    assert step.answer.status is Status.DUPLICATE
    assert (step.answer.outcome, step.answer.fields) == (Status.CONFLICT, ("tier",))


def test_counter_that_went_backwards_does_not_reapply_a_logged_mutation():
    [m] = muts(4)
    log = {m.id: LoggedMutation(m.id, "phone-1", 4, Status.APPLIED)}
    plan = plan_batch(3, [m], client_id="phone-1", log=log)
    assert answers(plan) == [(4, Status.DUPLICATE, None)]
    assert plan.last_mutation_id == 4


def test_negative_last_is_a_programming_error():
    with pytest.raises(ValueError):
        plan_batch(-1, [])


def test_response_merges_outcomes_and_yields_log_entries():
    ms = muts(1, 2, 3)
    plan = plan_batch(1, ms, client_id="c")
    resp = build_push_response(
        plan, [applied(ms[1]), conflict(ms[2], {"id": 1}, ["notes", "name"])]
    )
    assert [r.status for r in resp.results] == [Status.DUPLICATE, Status.APPLIED, Status.CONFLICT]
    assert resp.results[2].fields == ("name", "notes")
    assert resp.last_mutation_id == 3
    logged = log_entries("c", resp)
    assert [(e.mutation_id, e.status) for e in logged] == [
        (2, Status.APPLIED),
        (3, Status.CONFLICT),
    ]


def test_response_refuses_outcomes_that_do_not_fit_the_plan():
    ms = muts(1, 2)
    plan = plan_batch(0, ms)
    with pytest.raises(ValueError):
        build_push_response(plan, [applied(ms[0])])
    with pytest.raises(ValueError):
        build_push_response(plan, [applied(ms[1]), applied(ms[0])])
    with pytest.raises(ValueError):
        build_push_response(plan, [applied(ms[0]), applied(ms[1]), applied(ms[1])])
    with pytest.raises(ValueError):
        build_push_response(plan, [applied(ms[0]), PushResult(ms[1].id, 2, Status.DEFERRED)])
    resp = build_push_response(plan, [applied(ms[0]), rejected(ms[1], Reason.NOT_FOUND)])
    assert resp.results[1].reason == "not_found"
