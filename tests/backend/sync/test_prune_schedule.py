"""The change-log pruning runs on its own schedule in a serving process (SYNC_PRUNE_IN_PROCESS)."""

from __future__ import annotations

import threading
import time
from datetime import UTC, datetime, timedelta

from sqlalchemy import func, select

from backend import create_app
from backend.core.extensions import db as _db
from backend.sync.models import SyncChange, SyncState


def _scheduler_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "fieldrep-scheduler"]


def test_a_serving_process_prunes_old_tombstones_on_its_schedule(scratch_db_url, tmp_path):
    before = set(_scheduler_threads())
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": scratch_db_url,
            "SECRET_KEY": "test-secret",
            "SYNC_PRUNE_IN_PROCESS": True,
            "SYNC_PRUNE_INTERVAL_SECONDS": 0.05,
            "SYNC_PRUNE_AFTER_DAYS": 30,
        }
    )
    app.instance_path = str(tmp_path)
    with app.app_context():
        _db.create_all()
        old = SyncChange(
            entity="account",
            entity_id="7",
            op="delete",
            created_at=datetime.now(UTC) - timedelta(days=40),
        )
        recent = SyncChange(entity="account", entity_id="8", op="delete")
        _db.session.add_all([old, recent])
        _db.session.commit()
        old_seq = old.seq

    # Nothing is pruned before the process serves; its first request starts the schedule.
    assert app.test_client().get("/healthz").status_code == 200
    mine = [t for t in _scheduler_threads() if t not in before]
    try:
        assert len(mine) == 1
        left = None
        for _ in range(600):  # poll (no timing asserted): the schedule fires every 50 ms
            with app.app_context():
                left = _db.session.scalars(select(SyncChange.entity_id)).all()
                _db.session.remove()
            if left == ["8"]:
                break
            time.sleep(0.05)
        assert left == ["8"]  # the 40-day-old tombstone is gone, the recent one stays
        with app.app_context():
            state = _db.session.get(SyncState, 1)
            assert state is not None and state.tombstone_horizon_seq == old_seq
            assert _db.session.scalar(select(func.count()).select_from(SyncChange)) == 1
    finally:
        for thread in mine:
            thread.stop.set()
            thread.join(5)
        with app.app_context():
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()
