"""Offline sync state: clients, the mutation log, the commit-ordered change log, ownership history."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    ForeignKey,
    Index,
    Integer,
    Sequence,
    String,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from backend.core.extensions import db
from backend.core.models import UTCDateTime, utcnow

# SQLite only auto-increments an INTEGER PRIMARY KEY; PostgreSQL gets a bigint from a sequence.
_SeqType = BigInteger().with_variant(Integer, "sqlite")
CHANGE_SEQ = Sequence("sync_change_seq")


class SyncClient(db.Model):
    """One device of one user: the highest mutation_id the server has processed for it."""

    __tablename__ = "sync_clients"
    __table_args__ = (UniqueConstraint("user_id", "client_id", name="uq_sync_clients_user_client"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    last_mutation_id: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)
    schema_version: Mapped[int] = mapped_column(Integer, default=0, nullable=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    last_seen_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SyncMutation(db.Model):
    """A processed mutation and the answer it got, so a retry after a lost answer learns it."""

    __tablename__ = "sync_mutations"

    id: Mapped[str] = mapped_column(String(36), primary_key=True)  # the client's mutation UUID
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    mutation_id: Mapped[int] = mapped_column(BigInteger)
    status: Mapped[str] = mapped_column(String(16))
    # {"reason": ..., "fields": [...]}: what the first answer carried besides the status.
    outcome: Mapped[dict] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)


class SyncChange(db.Model):
    """One change a puller may need, numbered in commit order (see docs/sync-protocol.md).

    ``rep_id`` / ``territory_id`` say who receives it (a rep, a territory's manager; both NULL:
    everyone), so a pull filters on an index instead of joining the entity tables.
    """

    __tablename__ = "sync_changes"
    __table_args__ = (
        Index("ix_sync_changes_rep_seq", "rep_id", "seq"),
        Index("ix_sync_changes_territory_seq", "territory_id", "seq"),
        Index("ix_sync_changes_entity", "entity", "entity_id", "seq"),
        Index(
            "ix_sync_changes_everyone_seq",
            "seq",
            postgresql_where=text("rep_id IS NULL AND territory_id IS NULL"),
            sqlite_where=text("rep_id IS NULL AND territory_id IS NULL"),
        ),
        # Without AUTOINCREMENT SQLite may reuse the number of a pruned last row.
        {"sqlite_autoincrement": True},
    )

    seq: Mapped[int] = mapped_column(_SeqType, CHANGE_SEQ, primary_key=True)
    entity: Mapped[str] = mapped_column(String(16))
    entity_id: Mapped[str] = mapped_column(String(64))
    op: Mapped[str] = mapped_column(String(8))
    rep_id: Mapped[int | None] = mapped_column(Integer)
    territory_id: Mapped[int | None] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class SyncState(db.Model):
    """The change log's epoch and tombstone horizon (one row, id 1)."""

    __tablename__ = "sync_state"

    id: Mapped[int] = mapped_column(primary_key=True)
    epoch: Mapped[int] = mapped_column(Integer, default=1, nullable=False)
    tombstone_horizon_seq: Mapped[int] = mapped_column(BigInteger, default=0, nullable=False)


class AccountOwnerHistory(db.Model):
    """A past owner of an account and when they owned it; offline touches are judged by it."""

    __tablename__ = "account_owner_history"
    __table_args__ = (Index("ix_account_owner_history_rep_account", "rep_id", "account_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("accounts.id", ondelete="CASCADE"))
    rep_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    from_at: Mapped[datetime] = mapped_column(UTCDateTime())
    to_at: Mapped[datetime] = mapped_column(UTCDateTime())
