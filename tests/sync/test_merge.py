"""Field-level merge: a field changed on both sides is never silently overwritten."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sync import EDITABLE_ACCOUNT_FIELDS, Reason, Status, json_equal, merge_fields, parse_mutation
from tests.sync.factories import mutation

FIELDS = sorted(EDITABLE_ACCOUNT_FIELDS)
# A small pool makes equal values on both sides (the interesting cases) common; it holds values
# that are equal by JSON value but not by Python identity or type (1 / 1.0, key order).
VALUE_POOL = [
    None,
    True,
    False,
    0,
    1,
    1.0,
    "",
    "a",
    "b",
    [1],
    [1, 2],
    [2, 1],
    {"x": 1},
    {"x": 1.0},
    {"x": [1], "y": None},
    {"y": None, "x": [1]},
    [{"name": "Ann", "phone": None}],
]
json_values = st.sampled_from(VALUE_POOL)
any_json = st.recursive(
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.floats(allow_nan=False)
    | st.text(max_size=3),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=2), inner, max_size=3)
    ),
    max_leaves=8,
)
rows = st.fixed_dictionaries({f: json_values for f in FIELDS})
edits = st.dictionaries(st.sampled_from(FIELDS), json_values, max_size=4)


def scenario(original, client_edit, server_edit):
    """Both sides start from version 1 of `original`; the server bumps the version if it edited."""
    server = {**original, **server_edit}
    server_version = 2 if server_edit else 1
    base = {f: original[f] for f in client_edit}
    return server, server_version, base


@settings(max_examples=200, deadline=None)
@given(original=rows, client_edit=edits, server_edit=edits)
def test_merge_never_silently_overwrites_and_applies_clean_changes(
    original, client_edit, server_edit
):
    server, version, base = scenario(original, client_edit, server_edit)
    result = merge_fields(server, version, 1, base, client_edit)
    final = {**server, **result.writes}
    for f in FIELDS:
        server_changed = f in server_edit and not json_equal(server_edit[f], original[f])
        client_changed = f in client_edit
        if client_changed and server_changed and not json_equal(server[f], client_edit[f]):
            assert f in result.conflicts
            assert json_equal(final[f], server[f])  # the server's value is kept, not overwritten
        elif client_changed:
            assert f not in result.conflicts
            assert json_equal(final[f], client_edit[f])  # base matched (or same value): applied
        else:
            assert f not in result.writes
    assert result.changes_anything == bool(result.writes)
    assert set(result.writes).isdisjoint(result.conflicts)
    assert set(result.writes) | set(result.conflicts) | set(result.unchanged) == set(client_edit)


@settings(max_examples=200, deadline=None)
@given(original=rows, client_edit=edits, server_edit=edits)
def test_reapplying_a_merge_changes_nothing_more(original, client_edit, server_edit):
    server, version, base = scenario(original, client_edit, server_edit)
    first = merge_fields(server, version, 1, base, client_edit)
    after = {**server, **first.writes}
    again = merge_fields(after, version + (1 if first.writes else 0), 1, base, client_edit)
    assert again.writes == {}
    assert again.conflicts == first.conflicts


@settings(max_examples=200, deadline=None)
@given(original=rows, client_edit=edits)
def test_unchanged_version_means_every_change_applies(original, client_edit):
    result = merge_fields(original, 4, 4, {f: original[f] for f in client_edit}, client_edit)
    assert result.conflicts == ()
    assert result.status is Status.APPLIED
    assert {**original, **result.writes} == {**original, **client_edit}


@settings(max_examples=200, deadline=None)
@given(original=rows, edit=edits)
def test_both_sides_making_the_same_change_is_not_a_conflict(original, edit):
    server, version, base = scenario(original, edit, edit)
    result = merge_fields(server, version, 1, base, edit)
    assert result.conflicts == ()
    assert result.writes == {}


@settings(max_examples=200, deadline=None)
@given(original=rows, a=edits, b=edits)
def test_conflicting_fields_are_the_same_whichever_phone_pushes_first(original, a, b):
    # Two phones edit the same version; clients only send fields they really changed.
    a = {f: v for f, v in a.items() if not json_equal(v, original[f])}
    b = {f: v for f, v in b.items() if not json_equal(v, original[f])}

    def second_conflicts(first, second):
        server, version, base = scenario(original, second, first)
        return set(merge_fields(server, version, 1, base, second).conflicts)

    expected = {f for f in set(a) & set(b) if not json_equal(a[f], b[f])}
    assert second_conflicts(a, b) == second_conflicts(b, a) == expected


def test_conflict_answer_carries_server_row_and_fields():
    server = {"id": 5, "tier": "B", "notes": "x", "version": 3}
    result = merge_fields(server, 3, 2, {"tier": "A", "notes": "x"}, {"tier": "C", "notes": "y"})
    assert result.writes == {"notes": "y"} and result.conflicts == ("tier",)
    m = parse_mutation(
        mutation(
            1,
            "account.update",
            {
                "account_id": 5,
                "base_version": 2,
                "base": {"tier": "A", "notes": "x"},
                "changes": {"tier": "C", "notes": "y"},
            },
        )
    )
    answer = result.result(m, {**server, "notes": "y", "version": 4}).to_json()
    assert answer["status"] == "conflict" and answer["fields"] == ["tier"]
    assert answer["server"]["notes"] == "y"


def test_non_editable_field_is_rejected_and_nothing_written():
    result = merge_fields(
        {"revenue": 1, "tier": "A"}, 1, 1, {"revenue": 1, "tier": "A"}, {"revenue": 9, "tier": "B"}
    )
    assert result.status is Status.REJECTED and result.writes == {}
    m = parse_mutation(mutation(1))
    assert result.result(m, {}).reason == Reason.NOT_EDITABLE


def test_json_values_compare_by_value():
    assert json_equal({"a": [1, {"b": 2}]}, {"a": [1.0, {"b": 2}]})
    assert json_equal({"x": 1, "y": 2}, {"y": 2, "x": 1})
    assert not json_equal(True, 1) and not json_equal(0, False) and not json_equal(None, False)
    assert (
        not json_equal([1, 2], [2, 1])
        and not json_equal("1", 1)
        and not json_equal({"a": 1}, {"a": 1, "b": 1})
    )


@settings(max_examples=50)
@given(any_json)
def test_json_equal_is_reflexive(value):
    assert json_equal(value, value)
