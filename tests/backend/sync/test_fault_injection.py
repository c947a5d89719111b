"""A real server process is SIGKILLed in the middle of a batch, after some of its rows were
written; the retry applies every mutation exactly once."""

from __future__ import annotations

import threading
import time

import requests
from sqlalchemy import select

from backend.accounts.models import Account
from tests.backend.sync.conftest import body, mutation, touch, touch_count
from tests.backend.sync.server import Server, login
from tests.conftest import PASSWORD

HALF = 250


def _wait_for(marker, sender: threading.Thread) -> int:
    """The number of rows the stalled push wrote (a wait for an event, not a timing check)."""
    deadline = time.monotonic() + 120
    while not marker.exists():
        if not sender.is_alive() or time.monotonic() > deadline:
            raise AssertionError("the push never reached its first insert")
        time.sleep(0.05)
    return int(marker.read_text())


def test_kill_after_rows_are_written_then_retry_applies_each_mutation_once(app, db, team, tmp_path):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    acc = team["accounts"][0]
    accounts = [a.id for a in team["accounts"]]
    email = team["a"].email
    edit = {
        "account_id": acc.id,
        "base_version": acc.version,
        "base": {"notes": acc.notes},
        "changes": {"notes": "after the kill"},
    }
    # A run of touches (one bulk insert: the server stalls right after it), then an edit.
    batch = [mutation(i, "touch.log", touch(accounts[i % 3])) for i in range(1, 2 * HALF + 1)]
    batch.append(mutation(2 * HALF + 1, "account.update", edit))
    ids = [m["args"]["id"] for m in batch if m["name"] == "touch.log"]
    version = acc.version

    marker = tmp_path / "stalled"
    server = Server(
        url, workers=2, app="tests.backend.sync.stalled_wsgi:app", env={"STALL_MARKER": str(marker)}
    ).start()
    try:
        phone = login(server.url, email, PASSWORD)
        outcome: dict = {}

        def send() -> None:
            try:
                outcome["response"] = phone.post(f"{server.url}/api/sync/push", json=body(batch))
            except requests.RequestException as exc:
                outcome["error"] = exc

        sender = threading.Thread(target=send)
        sender.start()
        assert _wait_for(marker, sender) == len(ids)  # every touch row written, none committed
        server.kill()
        sender.join(30)
    finally:
        server.kill()
    assert "error" in outcome, outcome  # the phone got no answer: it keeps its outbox
    assert touch_count(db, ids) == 0  # nothing half-stored
    assert db.session.scalar(select(Account.version).where(Account.id == acc.id)) == version

    server = Server(url).start()
    try:
        phone = login(server.url, email, PASSWORD)
        retry = phone.post(f"{server.url}/api/sync/push", json=body(batch))
        assert retry.status_code == 200
        assert retry.json()["last_mutation_id"] == len(batch)
        assert {r["status"] for r in retry.json()["results"]} == {"applied"}
        again = phone.post(f"{server.url}/api/sync/push", json=body(batch)).json()
        assert {r["status"] for r in again["results"]} == {"duplicate"}
    finally:
        server.stop()
    assert touch_count(db, ids) == len(ids)
    db.session.commit()
    stored = db.session.get(Account, acc.id)
    assert (stored.notes, stored.version) == ("after the kill", version + 1)
