"""Paging a pull: turn change-log rows after the client's cursor into one PullResponse."""

from __future__ import annotations

from collections.abc import Sequence

from sync.cursor import PullStart, encode_cursor
from sync.messages import Change, PullResponse


def build_pull_response(
    rows: Sequence[tuple[int, Change]],
    limit: int,
    epoch: int,
    start: PullStart,
    high_seq: int | None = None,
) -> PullResponse:
    """One page from rows read as `seq > start.from_seq ORDER BY seq LIMIT limit + 1`.

    Reading one row more than the limit tells whether more follow. When the page is the last one,
    the cursor may jump to `high_seq` (changes outside the user's scope are skipped for good), but
    only if high_seq was read in the same snapshot as the rows.
    """
    seqs = [seq for seq, _ in rows]
    if (
        any(s <= start.from_seq for s in seqs)
        or seqs != sorted(seqs)
        or len(set(seqs)) != len(seqs)
    ):
        raise ValueError("rows must be after the cursor, in strictly increasing seq order")
    page = rows[:limit]
    has_more = len(rows) > limit
    last = page[-1][0] if page else start.from_seq
    if not has_more and high_seq is not None:
        last = max(last, high_seq)
    return PullResponse(
        cursor=encode_cursor(last, epoch),
        has_more=has_more,
        reset=start.reset,
        changes=tuple(change for _, change in page),
    )
