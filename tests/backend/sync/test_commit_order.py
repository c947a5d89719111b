"""PostgreSQL: a change committed late by a concurrent transaction is never skipped by a cursor.

Two real transactions on two connections (threads): the one that started first commits last.
"""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import text

from backend.accounts.models import Account
from backend.core import changes
from backend.core.extensions import db as _db
from backend.sync.service import changelog
from backend.touches.models import Touch
from tests.backend.sync.conftest import pull_all
from tests.conftest import is_postgres

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres(app):
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: SQLite has one writer, so commits cannot interleave")


def _edit(app, account_id: int, notes: str, wrote: threading.Event, go: threading.Event, done):
    """A transaction that writes first and commits only when told to."""
    with app.app_context():
        account = _db.session.get(Account, account_id)
        account.notes = notes
        account.version += 1
        _db.session.flush()
        changes.record("account", account.id)
        wrote.set()
        assert go.wait(10)
        _db.session.commit()
        done.set()


def _notes(changes_, account_id):
    return [
        c["data"]["notes"] for c in changes_ if c["entity"] == "account" and c["id"] == account_id
    ]


def test_first_started_commits_last_and_the_puller_gets_both(app, db, team, login):
    x, y = team["accounts"][0], team["accounts"][1]
    rep = login(team["a"])
    _, cursor = pull_all(rep)
    wrote, go, done = threading.Event(), threading.Event(), threading.Event()
    slow = threading.Thread(target=_edit, args=(app, x.id, "slow", wrote, go, done))
    slow.start()
    assert wrote.wait(10)
    fast_wrote, fast_done = threading.Event(), threading.Event()
    go_now = threading.Event()
    go_now.set()
    _edit(app, y.id, "fast", fast_wrote, go_now, fast_done)  # starts second, commits first

    between, cursor = pull_all(rep, cursor)
    assert _notes(between, y.id) == ["fast"] and _notes(between, x.id) == []
    go.set()
    slow.join(10)
    after, _ = pull_all(rep, cursor)
    assert _notes(after, x.id) == ["slow"]


def test_a_commit_waits_while_another_holds_the_tail_lock(app, db, team, login):
    """T1 has drawn its numbers but not committed: T2's tail waits, pullers see neither yet."""
    x, y = team["accounts"][0], team["accounts"][1]
    rep = login(team["a"])
    _, cursor = pull_all(rep)
    with app.app_context():
        account = _db.session.get(Account, x.id)
        account.notes = "first"
        _db.session.flush()
        changes.record("account", x.id)
        assert changelog.write_pending(_db.session()) > 0  # the tail: lock taken, numbers drawn

        wrote, go, done = threading.Event(), threading.Event(), threading.Event()
        go.set()
        second = threading.Thread(target=_edit, args=(app, y.id, "second", wrote, go, done))
        second.start()
        assert wrote.wait(10)
        assert not done.wait(0.5), "the second commit must wait for the first one's tail"
        held, _ = pull_all(rep, cursor)
        assert _notes(held, x.id) == [] and _notes(held, y.id) == []
        _db.session.commit()
    second.join(10)
    assert done.is_set()
    after, _ = pull_all(rep, cursor)
    got = [c["id"] for c in after if c["entity"] == "account"]
    assert got.index(x.id) < got.index(y.id)  # numbered in commit order


def test_without_the_commit_order_design_a_cursor_skips_a_change(app, db):
    """The naive log (numbers drawn at insert time) loses the late commit; shown on real PG."""
    table = f"naive_log_{uuid.uuid4().hex[:8]}"
    engine = _db.engine
    with engine.begin() as conn:
        conn.execute(text(f"CREATE TABLE {table} (seq bigserial PRIMARY KEY, what text)"))
    try:
        slow, fast = engine.connect(), engine.connect()
        slow.begin()
        slow.execute(text(f"INSERT INTO {table} (what) VALUES ('slow')"))  # draws 1
        with fast.begin():
            fast.execute(text(f"INSERT INTO {table} (what) VALUES ('fast')"))  # draws 2, commits
        with engine.connect() as puller:
            seen = puller.execute(text(f"SELECT seq, what FROM {table} WHERE seq > 0")).all()
        cursor = max(s for s, _ in seen)
        slow.commit()
        with engine.connect() as puller:
            later = puller.execute(
                text(f"SELECT what FROM {table} WHERE seq > :c"), {"c": cursor}
            ).all()
        assert [w for _, w in seen] == ["fast"] and later == []  # 'slow' is never delivered
        slow.close()
        fast.close()
    finally:
        with engine.begin() as conn:
            conn.execute(text(f"DROP TABLE {table}"))


def test_a_push_tail_holds_the_lock_from_its_account_read(app, db, team, login):
    """Only touches changed (a push): the account read takes the tail lock, so it is held once
    the numbers are drawn, until COMMIT, and the puller gets the touch after it."""
    account, rep = team["accounts"][0], team["a"]
    client = login(rep)
    _, cursor = pull_all(client)
    touch_id = str(uuid.uuid4())
    now = datetime.now(UTC)
    with app.app_context():
        _db.session.execute(
            Touch.__table__.insert().values(
                id=touch_id, account_id=account.id, rep_id=rep.id, type="visit",
                occurred_at=now, local_date=now.date(),
            )
        )  # fmt: skip
        changes.record("touch", touch_id, account_id=account.id, rep_id=rep.id)
        assert changelog.write_pending(_db.session()) > 0
        with _db.engine.connect() as other:
            holders = other.scalar(
                text(
                    "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted"
                    " AND classid = 0 AND objid = :k AND pid <> pg_backend_pid()"
                ),
                {"k": changelog.SYNC_CHANGE_LOCK},
            )
        assert holders == 1
        held, _ = pull_all(client, cursor)
        assert [c for c in held if c["entity"] == "touch"] == []
        _db.session.commit()
    after, _ = pull_all(client, cursor)
    assert [c["id"] for c in after if c["entity"] == "touch"] == [touch_id]
