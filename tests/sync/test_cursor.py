"""Cursors are opaque and strict; stale cursors get a reset; paging never loses or repeats rows."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sync import (
    START,
    Change,
    Entity,
    Op,
    ProtocolError,
    build_pull_response,
    decode_cursor,
    encode_cursor,
    needs_reset,
    pull_start,
)
from sync.cursor import MAX_EPOCH, MAX_SEQ, PullStart

seqs = st.integers(0, MAX_SEQ)
epochs = st.integers(1, MAX_EPOCH)


@given(seq=seqs, epoch=epochs)
def test_cursor_round_trips_and_is_url_safe(seq, epoch):
    text = encode_cursor(seq, epoch)
    cursor = decode_cursor(text)
    assert (cursor.seq, cursor.epoch) == (seq, epoch)
    assert set(text) <= set("v0123456789.")


@settings(max_examples=300)
@given(st.text(max_size=30) | st.from_regex(r"v1\.[0-9]{1,12}\.[0-9]{1,21}", fullmatch=True))
def test_any_string_decodes_to_its_own_encoding_or_is_rejected(text):
    try:
        cursor = decode_cursor(text)
    except ProtocolError as exc:
        assert exc.errors == {"cursor": ["Not a valid cursor."]}
        assert exc.location == "query"
        return
    assert text == "" or encode_cursor(cursor.seq, cursor.epoch) == text


@pytest.mark.parametrize(
    "text",
    [
        "v2.1.5",
        "v1.0.5",
        "v1.1.-5",
        "v1.1.05",
        "v1.01.5",
        "v1.1.5 ",
        "v1.1",
        "1.5",
        "v1.1.9223372036854775808",
    ],
)
def test_garbage_and_out_of_range_cursors_are_rejected(text):
    with pytest.raises(ProtocolError):
        decode_cursor(text)


def test_empty_or_absent_cursor_is_start():
    assert decode_cursor("") == decode_cursor(None) == START
    with pytest.raises(ValueError):
        encode_cursor(-1, 1)
    with pytest.raises(ValueError):
        encode_cursor(1, 0)


@given(cursor=st.integers(0, 100), horizon=st.integers(0, 100))
def test_reset_exactly_when_unseen_tombstones_may_be_pruned(cursor, horizon):
    assert needs_reset(cursor, horizon) == (cursor != 0 and cursor < horizon)


def test_pull_start_resets_on_foreign_epoch_pruned_tombstones_or_future_cursor():
    cur = decode_cursor(encode_cursor(50, 2))
    assert pull_start(cur, epoch=2, tombstone_horizon_seq=40, high_seq=90) == PullStart(50, False)
    assert pull_start(cur, epoch=3, tombstone_horizon_seq=40, high_seq=90) == PullStart(0, True)
    assert pull_start(cur, epoch=2, tombstone_horizon_seq=60, high_seq=90) == PullStart(0, True)
    assert pull_start(cur, epoch=2, tombstone_horizon_seq=40, high_seq=49) == PullStart(0, True)
    assert pull_start(START, epoch=2, tombstone_horizon_seq=60, high_seq=90) == PullStart(0, False)


@settings(max_examples=150)
@given(
    seq_set=st.sets(st.integers(1, 500), max_size=60),
    limit=st.integers(1, 25),
    high_extra=st.integers(0, 10),
)
def test_paging_returns_every_change_once_in_order(seq_set, limit, high_extra):
    log = [(s, Change(Entity.TOUCH, Op.PUT, s, {"seq": s})) for s in sorted(seq_set)]
    high = (log[-1][0] if log else 0) + high_extra
    cursor, seen, pages = "", [], 0
    while True:
        cur = decode_cursor(cursor)
        start = pull_start(cur, epoch=7, tombstone_horizon_seq=0, high_seq=high)
        rows = [r for r in log if r[0] > start.from_seq][: limit + 1]
        resp = build_pull_response(rows, limit, 7, start, high_seq=high)
        assert not resp.reset and len(resp.changes) <= limit
        assert decode_cursor(resp.cursor).seq >= cur.seq
        seen += [c.id for c in resp.changes]
        cursor, pages = resp.cursor, pages + 1
        if not resp.has_more:
            break
    assert seen == sorted(seq_set)
    assert decode_cursor(cursor).seq == high
    assert pages == max(1, -(-len(seq_set) // limit))


def test_pull_response_refuses_rows_behind_the_cursor_or_unordered():
    row = lambda s: (s, Change(Entity.ACCOUNT, Op.DELETE, s))  # noqa: E731
    with pytest.raises(ValueError):
        build_pull_response([row(3)], 10, 1, PullStart(3, False))
    with pytest.raises(ValueError):
        build_pull_response([row(5), row(4)], 10, 1, PullStart(0, False))


def test_reset_page_starts_from_scratch_and_says_so():
    start = pull_start(
        decode_cursor(encode_cursor(5, 1)), epoch=1, tombstone_horizon_seq=9, high_seq=20
    )
    resp = build_pull_response([(12, Change(Entity.ACCOUNT, Op.PUT, 1, {"id": 1}))], 10, 1, start)
    assert resp.reset and resp.cursor == encode_cursor(12, 1)
