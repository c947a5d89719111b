"""Pull cursors: opaque strings over a commit-ordered change sequence, and the reset rules."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sync.errors import ProtocolError

# "v1" is the cursor format; the epoch changes when the change log is rebuilt or restored, so
# every cursor from before is answered with a reset instead of being trusted.
_PREFIX = "v1"
_CURSOR = re.compile(r"^v1\.([1-9][0-9]{0,9})\.(0|[1-9][0-9]{0,18})$")
MAX_SEQ = 2**63 - 1  # PostgreSQL bigint
MAX_EPOCH = 9_999_999_999


@dataclass(frozen=True)
class Cursor:
    """Where a client stands: it has seen every change with sequence number <= seq in epoch."""

    epoch: int
    seq: int

    @property
    def is_start(self) -> bool:
        """True for a client that has nothing yet."""
        return self.seq == 0


START = Cursor(epoch=0, seq=0)


def encode_cursor(seq: int, epoch: int) -> str:
    """The opaque, URL-safe cursor string for a sequence number in an epoch."""
    if not 0 <= seq <= MAX_SEQ or not 1 <= epoch <= MAX_EPOCH:
        raise ValueError(f"cursor out of range: epoch={epoch} seq={seq}")
    return f"{_PREFIX}.{epoch}.{seq}"


def decode_cursor(value: str | None) -> Cursor:
    """Parse a cursor string; empty or absent means START, anything malformed is a ProtocolError."""
    if value is None or value == "":
        return START
    match = _CURSOR.match(value) if isinstance(value, str) else None
    if match is None:
        raise ProtocolError(
            "Invalid cursor.", {"cursor": ["Not a valid cursor."]}, location="query"
        )
    epoch, seq = int(match.group(1)), int(match.group(2))
    if seq > MAX_SEQ:
        raise ProtocolError(
            "Invalid cursor.", {"cursor": ["Not a valid cursor."]}, location="query"
        )
    return Cursor(epoch=epoch, seq=seq)


def needs_reset(cursor_seq: int, tombstone_horizon_seq: int) -> bool:
    """True when tombstones the client has not seen may have been pruned.

    The horizon is the highest sequence number of any pruned tombstone. A client at 0 holds
    nothing, so missing tombstones cannot leave stale rows behind.
    """
    return 0 < cursor_seq < tombstone_horizon_seq


@dataclass(frozen=True)
class PullStart:
    """Where the server starts reading the change log for one pull."""

    from_seq: int
    reset: bool


def pull_start(cursor: Cursor, epoch: int, tombstone_horizon_seq: int, high_seq: int) -> PullStart:
    """Decide the first sequence number to read, and whether the client must reset.

    A cursor from another epoch, behind the tombstone horizon, or ahead of anything the server
    has committed (a restored backup) cannot be trusted: the client starts again from 0.
    """
    if cursor.is_start:
        return PullStart(0, False)
    if (
        cursor.epoch != epoch
        or needs_reset(cursor.seq, tombstone_horizon_seq)
        or cursor.seq > high_seq
    ):
        return PullStart(0, True)
    return PullStart(cursor.seq, False)
