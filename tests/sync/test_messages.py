"""Push and pull envelopes: what is accepted, and the field messages a client gets back."""

from __future__ import annotations

import uuid

import pytest

from sync import (
    MAX_BATCH,
    MIN_SUPPORTED_SCHEMA_VERSION,
    BatchTooLarge,
    Change,
    Entity,
    Op,
    ProtocolError,
    PullResponse,
    PushResponse,
    PushResult,
    Reason,
    SchemaTooOld,
    Status,
    TouchLog,
    encode_cursor,
    parse_args,
    parse_pull_request,
    parse_push_request,
)
from tests.sync.factories import mutation, push_body, touch_args


def test_valid_push_is_read_into_typed_payloads():
    body = push_body(
        [
            mutation(1),
            mutation(
                2,
                "account.update",
                {
                    "account_id": 3,
                    "base_version": 4,
                    "base": {"tier": "A"},
                    "changes": {"tier": "B"},
                },
            ),
        ]
    )
    req = parse_push_request(body)
    assert req.client_id == "phone-1"
    assert isinstance(req.mutations[0].payload, TouchLog)
    assert req.mutations[1].payload.changes == {"tier": "B"}
    assert all(m.rejection is None for m in req.mutations)
    assert parse_push_request(req.to_json()) == req


def test_uuid_is_canonicalised_so_duplicates_compare_equal():
    uid = uuid.uuid4()
    req = parse_push_request(push_body([mutation(1, uid=str(uid).upper())]))
    assert req.mutations[0].id == str(uid)


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"schema_version": 1, "mutations": []}, "client_id"),
        (push_body([], client_id=""), "client_id"),
        (push_body([], client_id="x" * 65), "client_id"),
        ({"client_id": "a", "schema_version": 1}, "mutations"),
        ({"client_id": "a", "schema_version": 1, "mutations": {}}, "mutations"),
        ({"client_id": "a", "schema_version": 1, "mutations": [], "extra": 1}, "extra"),
        (push_body([mutation(0)]), "mutations.0.mutation_id"),
        (push_body([mutation(1), {**mutation(2), "mutation_id": True}]), "mutations.1.mutation_id"),
        (push_body([mutation(1), "nope"]), "mutations.1"),
        (
            push_body([{"id": str(uuid.uuid4()), "name": "touch.log", "args": {}}]),
            "mutations.0.mutation_id",
        ),
        (push_body([mutation(2**53)]), "mutations.0.mutation_id"),
    ],
)
def test_unusable_envelope_is_422_with_the_field_named(body, field):
    with pytest.raises(ProtocolError) as info:
        parse_push_request(body)
    assert info.value.status_code == 422
    assert field in info.value.errors
    assert info.value.envelope_errors() == {"json": info.value.errors}


def test_every_broken_mutation_is_reported_at_once():
    with pytest.raises(ProtocolError) as info:
        parse_push_request(push_body([mutation(-1), mutation(1), mutation("7")]))
    assert set(info.value.errors) == {"mutations.0.mutation_id", "mutations.2.mutation_id"}


def test_too_old_schema_is_426_before_anything_else_is_read():
    with pytest.raises(SchemaTooOld) as info:
        parse_push_request(
            {"schema_version": MIN_SUPPORTED_SCHEMA_VERSION - 1, "whatever": "old shape"}
        )
    assert info.value.status_code == 426
    assert "update the app" in info.value.message.lower()


def test_newer_schema_than_server_is_422_not_426():
    with pytest.raises(ProtocolError) as info:
        parse_push_request(push_body([], version=999))
    assert type(info.value) is ProtocolError
    assert "schema_version" in info.value.errors


def test_batch_over_limit_is_413_with_the_limit_in_the_message():
    body = push_body([mutation(i) for i in range(1, MAX_BATCH + 2)])
    with pytest.raises(BatchTooLarge) as info:
        parse_push_request(body)
    assert info.value.status_code == 413
    assert str(MAX_BATCH) in info.value.message


def test_batch_at_limit_and_empty_batch_are_fine():
    assert (
        len(parse_push_request(push_body([mutation(i) for i in range(1, MAX_BATCH + 1)])).mutations)
        == MAX_BATCH
    )
    assert parse_push_request(push_body([])).mutations == ()


@pytest.mark.parametrize(
    ("m", "reason", "field"),
    [
        ({**mutation(1), "id": "not-a-uuid"}, Reason.INVALID, "id"),
        (mutation(1, "touch.delete", {}), Reason.UNKNOWN_MUTATION, "name"),
        ({**mutation(1), "args": []}, Reason.INVALID, "args"),
        (mutation(1, args=touch_args(type="lunch")), Reason.INVALID, "args.type"),
        (
            mutation(1, args=touch_args(occurred_at="2026-11-24T08:30:00")),
            Reason.INVALID,
            "args.occurred_at",
        ),
        (
            mutation(1, args=touch_args(checkin={"lat": 91, "lon": 0})),
            Reason.INVALID,
            "args.checkin.lat",
        ),
        (
            mutation(1, args=touch_args(duration_minutes=-5)),
            Reason.INVALID,
            "args.duration_minutes",
        ),
        (mutation(1, args=touch_args(rep_id=9)), Reason.INVALID, "args.rep_id"),
        (
            mutation(
                1,
                "account.update",
                {
                    "account_id": 1,
                    "base_version": 1,
                    "base": {"revenue": 1},
                    "changes": {"revenue": 2},
                },
            ),
            Reason.NOT_EDITABLE,
            "args.changes.revenue",
        ),
        (
            mutation(
                1,
                "account.update",
                {"account_id": 1, "base_version": 1, "base": {}, "changes": {"tier": "B"}},
            ),
            Reason.INVALID,
            "args.base.tier",
        ),
        (
            mutation(
                1,
                "account.update",
                {
                    "account_id": 1,
                    "base_version": 1,
                    "base": {"kare": "keep"},
                    "changes": {"kare": "grow"},
                },
            ),
            Reason.INVALID,
            "args.changes.kare",
        ),
        (
            mutation(
                1,
                "account.update",
                {
                    "account_id": 1,
                    "base_version": 1,
                    "base": {"opening_hours": {}},
                    "changes": {"opening_hours": {"mon": [["12:00", "08:00"]]}},
                },
            ),
            Reason.INVALID,
            "args.changes.opening_hours.mon.0",
        ),
        (
            mutation(
                1,
                "stop.update",
                {"route_id": 1, "account_id": 2, "status": "planned", "at": "2026-11-24T08:30:00Z"},
            ),
            Reason.INVALID,
            "args.status",
        ),
        (
            mutation(1, "route.reorder", {"route_id": 1, "base_version": 2, "order": [3, 3]}),
            Reason.INVALID,
            "args.order",
        ),
    ],
)
def test_orderable_but_bad_mutation_is_kept_for_a_per_item_rejection(m, reason, field):
    [parsed] = parse_push_request(push_body([m])).mutations
    assert parsed.payload is None
    assert parsed.rejection.reason is reason
    assert field in parsed.rejection.errors


def test_parse_args_raises_with_field_messages():
    with pytest.raises(ProtocolError) as info:
        parse_args("touch.log", touch_args(outcome="great", account_id=0))
    assert set(info.value.errors) == {"args.outcome", "args.account_id"}
    assert (
        parse_args(
            "stop.update",
            {"route_id": "r1", "account_id": 2, "status": "done", "at": "2026-11-24T08:30:00Z"},
        ).status
        == "done"
    )


def test_pull_query_is_read_with_defaults_and_limits():
    req = parse_pull_request({"schema_version": "1"})
    assert (req.cursor.seq, req.limit) == (0, 200)
    req = parse_pull_request(
        {"schema_version": "1", "cursor": encode_cursor(41, 3), "limit": "1000"}
    )
    assert (req.cursor.epoch, req.cursor.seq, req.limit) == (3, 41, 1000)


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"schema_version": "1", "limit": "0"}, "limit"),
        ({"schema_version": "1", "limit": "1001"}, "limit"),
        ({"schema_version": "1", "limit": "ten"}, "limit"),
        ({"schema_version": "1", "cursor": "v1.1.x"}, "cursor"),
        ({"schema_version": "one"}, "schema_version"),
        ({}, "schema_version"),
    ],
)
def test_bad_pull_query_is_422_under_query(query, field):
    with pytest.raises(ProtocolError) as info:
        parse_pull_request(query)
    assert info.value.status_code == 422
    assert field in info.value.envelope_errors()["query"]


def test_pull_with_too_old_schema_is_426():
    with pytest.raises(SchemaTooOld):
        parse_pull_request({"schema_version": "0"})


def test_responses_round_trip_and_omit_absent_members():
    result = PushResult("u", 3, Status.CONFLICT, server={"id": 1, "tier": "B"}, fields=("tier",))
    assert result.to_json() == {
        "id": "u",
        "mutation_id": 3,
        "status": "conflict",
        "server": {"id": 1, "tier": "B"},
        "fields": ["tier"],
    }
    resp = PushResponse(3, (result, PushResult("v", 4, Status.DUPLICATE, outcome=Status.APPLIED)))
    assert PushResponse.from_json(resp.to_json()) == resp
    pull = PullResponse(
        "v1.1.9",
        False,
        True,
        (Change(Entity.ACCOUNT, Op.PUT, 1, {"name": "A"}), Change(Entity.ACCOUNT, Op.LEAVE, 2)),
    )
    assert pull.to_json()["changes"][1] == {"entity": "account", "op": "leave", "id": 2}
    assert PullResponse.from_json(pull.to_json()) == pull


def test_change_requires_data_exactly_for_put():
    with pytest.raises(ValueError):
        Change(Entity.TOUCH, Op.PUT, 1)
    with pytest.raises(ValueError):
        Change(Entity.TOUCH, Op.DELETE, 1, {"id": 1})


def test_every_editable_account_field_has_a_validator():
    from sync.args import _ACCOUNT_FIELD_CHECKS
    from sync.constants import EDITABLE_ACCOUNT_FIELDS

    assert set(_ACCOUNT_FIELD_CHECKS) == EDITABLE_ACCOUNT_FIELDS
