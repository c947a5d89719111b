"""A real server process is SIGKILLed in the middle of a batch; the retry applies it exactly once."""

from __future__ import annotations

import threading
import time

import requests

from tests.backend.sync.conftest import body, mutation, touch, touch_count
from tests.backend.sync.server import Server, login
from tests.conftest import PASSWORD, is_postgres

BATCH = 500


def test_kill_mid_batch_then_retry_applies_each_mutation_once(app, db, team, make_account):
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    accounts = [a.id for a in team["accounts"]]
    email = team["a"].email
    b_account = make_account(owner=team["b"], territory=team["territory"]).id
    batch = [mutation(i, "touch.log", touch(accounts[i % 3])) for i in range(1, BATCH + 1)]
    ids = [m["args"]["id"] for m in batch]

    # Test hook: the server sleeps 10 ms after each mutation, so the batch takes 5 s or more.
    server = Server(url, workers=2, SYNC_APPLY_PAUSE_SECONDS=0.01).start()
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
        time.sleep(1.5)  # well inside the batch: about 100 mutations applied, none committed
        if is_postgres(app):
            # The commit-order lock is taken only at COMMIT, so a slow batch stalls nobody else.
            other = login(server.url, team["b"].email, PASSWORD)
            started = time.monotonic()
            b_touch = [mutation(1, "touch.log", touch(b_account))]
            r = other.post(f"{server.url}/api/sync/push", json=body(b_touch, client_id="b-phone"))
            assert r.status_code == 200 and time.monotonic() - started < 3
            assert r.json()["results"][0]["status"] == "applied"
        assert sender.is_alive(), "the batch finished before the kill"
        server.kill()
        sender.join(10)
    finally:
        server.kill()
    assert "error" in outcome, outcome  # the phone got no answer: it keeps its outbox
    assert touch_count(db, ids) == 0  # nothing half-stored

    server = Server(url).start()
    try:
        phone = login(server.url, email, PASSWORD)
        retry = phone.post(f"{server.url}/api/sync/push", json=body(batch))
        assert retry.status_code == 200
        assert retry.json()["last_mutation_id"] == BATCH
        assert {r["status"] for r in retry.json()["results"]} == {"applied"}
        again = phone.post(f"{server.url}/api/sync/push", json=body(batch)).json()
        assert {r["status"] for r in again["results"]} == {"duplicate"}
    finally:
        server.stop()
    assert touch_count(db, ids) == BATCH
