"""PostgreSQL: two devices create the same offline deal at once; it is stored once.

Two real transactions on two connections (threads): the first holds its uncommitted insert of
the deal's client UUID while the second device's push tries to insert it too.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select, text

from backend.core.extensions import db as _db
from backend.pipeline.models import Opportunity
from tests.backend.sync.conftest import mutation, push
from tests.conftest import is_postgres

pytestmark = pytest.mark.postgres_only


@pytest.fixture(autouse=True)
def _postgres(app):
    if not is_postgres(app):
        pytest.skip("needs PostgreSQL: SQLite has one writer, so inserts cannot interleave")


def _first_device(app, rep_id, args, wrote: threading.Event, go: threading.Event, out: dict):
    """The first push's transaction: the deal is inserted, the commit waits for ``go``."""
    from backend.pipeline.service import opportunities
    from backend.users.models import User

    with app.app_context():
        rep = _db.session.get(User, rep_id)
        data = {"client_id": args["id"], "account_id": args["account_id"], "name": args["name"]}
        out["id"] = opportunities.create_opportunity(rep, data).id
        wrote.set()
        assert go.wait(20)
        _db.session.commit()


def _second_waits_on_a_lock(app) -> bool:
    with app.app_context(), _db.engine.connect() as conn:
        waiting = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            )
        ).scalar()
    return bool(waiting)


def test_the_same_deal_from_two_devices_at_once_is_stored_once(app, db, team, login):
    acc = team["accounts"][0]
    args = {"id": str(uuid.uuid4()), "account_id": acc.id, "name": "Kiosk"}
    wrote, go, first = threading.Event(), threading.Event(), {}
    holder = threading.Thread(
        target=_first_device, args=(app, team["a"].id, args, wrote, go, first)
    )
    holder.start()
    assert wrote.wait(20)
    phone = login(team["a"])
    answer: dict = {}
    second = threading.Thread(
        target=lambda: answer.update(
            push(phone, [mutation(1, "opportunity.create", args)], client_id="phone-2")
        )
    )
    second.start()
    # Let the first commit only once the second push is blocked on the deal's unique key.
    for _ in range(200):
        if _second_waits_on_a_lock(app):
            break
        threading.Event().wait(0.05)
    go.set()
    holder.join(20)
    second.join(20)
    result = answer["results"][0]
    assert result["status"] == "applied", result
    assert result["server"]["id"] == first["id"]
    db.session.expire_all()
    count = db.session.scalar(
        select(func.count()).select_from(Opportunity).where(Opportunity.client_id == args["id"])
    )
    assert count == 1
