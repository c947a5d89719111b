"""POST /api/sync/push against the real endpoint and database."""

from __future__ import annotations

import json

from sqlalchemy import select

from backend.accounts.models import Account
from backend.touches.models import Touch
from sync import MAX_BATCH, MIN_SUPPORTED_SCHEMA_VERSION
from tests.backend.sync.conftest import body, mutation, pull_all, push, touch, touch_count


def _update(account, changes: dict, base: dict, base_version: int | None = None) -> dict:
    return {
        "account_id": account.id,
        "base_version": account.version if base_version is None else base_version,
        "base": base,
        "changes": changes,
    }


def test_lost_response_retry_creates_nothing_twice(db, team, login):
    phone = login(team["a"])
    acc = team["accounts"][0]
    batch = [mutation(i, "touch.log", touch(acc.id)) for i in range(1, 6)]
    batch.append(
        mutation(6, "account.update", _update(acc, {"tier": "A"}, {"tier": "X"}, base_version=0))
    )
    # The manager changes the tier first, so mutation 6 conflicts.
    boss = login(team["manager"])
    assert boss.patch(f"/api/accounts/{acc.id}", json={"tier": "C"}).status_code == 200

    first = push(phone, batch)  # the answer is "lost": the phone never sees it
    assert [r["status"] for r in first["results"]] == ["applied"] * 5 + ["conflict"]
    again = push(phone, batch)

    assert touch_count(db) == 5
    assert again["last_mutation_id"] == 6
    assert [r["status"] for r in again["results"]] == ["duplicate"] * 6
    # The lost conflict is not silently turned into "done".
    assert again["results"][5]["outcome"] == "conflict"
    assert again["results"][5]["fields"] == ["tier"]


def test_two_devices_and_a_manager_edit_one_account(db, team, login, make_account):
    acc = make_account(owner=team["a"], territory=team["territory"], notes="n0", tier="B")
    seen = {"tier": "B", "notes": "n0", "name": acc.name, "kare": "keep"}
    version = acc.version
    phone, tablet, boss = login(team["a"]), login(team["a"]), login(team["manager"])

    r1 = push(phone, [mutation(1, "account.update", _update(acc, {"tier": "A"}, seen, version))])
    assert r1["results"][0]["status"] == "applied"
    # Second device of the same rep, offline on the same version: tier clashes, notes merge.
    r2 = push(
        tablet,
        [mutation(1, "account.update", _update(acc, {"tier": "C", "notes": "n2"}, seen, version))],
        client_id="tablet-1",
    )
    res = r2["results"][0]
    assert res["status"] == "conflict" and res["fields"] == ["tier"]
    assert res["server"]["tier"] == "A" and res["server"]["notes"] == "n2"
    # The manager edits the name (merges) and notes (clashes with the tablet's "n2").
    r3 = push(
        boss,
        [
            mutation(
                1,
                "account.update",
                _update(acc, {"name": "Renamed", "notes": "boss"}, seen, version),
            )
        ],
        client_id="boss-laptop",
    )
    res = r3["results"][0]
    assert res["status"] == "conflict" and res["fields"] == ["notes"]
    db.session.commit()
    stored = db.session.get(Account, acc.id)
    # Nothing silently overwritten: first writer of each field wins, the others were told.
    assert (stored.tier, stored.notes, stored.name) == ("A", "n2", "Renamed")
    assert res["server"]["name"] == "Renamed" and res["server"]["version"] == stored.version


def test_reassigned_account_touch_kept_edit_rejected_leave_and_put(db, team, login):
    acc = team["accounts"][0]
    old, new = login(team["a"]), login(team["b"])
    _, old_cursor = pull_all(old)
    _, new_cursor = pull_all(new)
    offline_touch = touch(acc.id, minutes_ago=0)  # made before the reassignment
    boss = login(team["manager"])
    assert boss.patch(f"/api/accounts/{acc.id}", json={"owner_id": team["b"].id}).status_code == 200

    out = push(
        old,
        [
            mutation(1, "touch.log", offline_touch),
            mutation(2, "account.update", _update(acc, {"notes": "mine"}, {"notes": ""}, 1)),
            # A visit made after the reassignment, before the phone pulled: kept and flagged.
            mutation(3, "touch.log", late_touch := touch(acc.id, minutes_ago=0)),
        ],
    )
    assert [r["status"] for r in out["results"]] == ["applied", "rejected", "applied"]
    assert out["results"][1]["reason"] == "not_in_scope"
    db.session.commit()
    stored = db.session.get(Touch, offline_touch["id"])
    assert stored.rep_id == team["a"].id  # credited to the rep who made it
    late = db.session.get(Touch, late_touch["id"])
    assert late.rep_id == team["a"].id and late.flags == ["account_reassigned"]
    assert db.session.get(Account, acc.id).notes == ""
    # The new owner and the manager find the late visit among the flagged touches.
    for viewer in (new, boss):
        flagged = viewer.get("/api/touches", query_string={"flagged": "true"}).get_json()
        assert [t["id"] for t in flagged] == [late_touch["id"]]
        assert flagged[0]["flags"] == ["account_reassigned"]

    old_changes, _ = pull_all(old, old_cursor)
    assert {"entity": "account", "op": "leave", "id": acc.id} in old_changes
    assert any(c["entity"] == "touch" and c["id"] == offline_touch["id"] for c in old_changes)
    new_changes, _ = pull_all(new, new_cursor)
    puts = {(c["entity"], c["id"]) for c in new_changes if c["op"] == "put"}
    assert ("account", acc.id) in puts and ("touch", offline_touch["id"]) in puts


def test_old_schema_426_keeps_everything_then_current_push_applies(db, team, login):
    phone = login(team["a"])
    batch = [mutation(i, "touch.log", touch(team["accounts"][0].id)) for i in (1, 2)]
    old = phone.post("/api/sync/push", json=body(batch, version=MIN_SUPPORTED_SCHEMA_VERSION - 1))
    assert old.status_code == 426
    assert "update the app" in old.get_json()["message"]
    assert touch_count(db) == 0
    out = push(phone, batch)
    assert out["last_mutation_id"] == 2 and touch_count(db) == 2


def test_oversize_batches_are_413_with_the_limit(db, team, login, app):
    phone = login(team["a"])
    many = [
        mutation(i, "touch.log", touch(team["accounts"][0].id)) for i in range(1, MAX_BATCH + 2)
    ]
    r = phone.post("/api/sync/push", json=body(many))
    assert r.status_code == 413 and str(MAX_BATCH) in r.get_json()["message"]
    huge = touch(team["accounts"][0].id)
    huge["notes"] = "x" * (app.config.get("SYNC_MAX_PUSH_BYTES", 2 * 1024 * 1024) + 1)
    r = phone.post("/api/sync/push", json=body([mutation(1, "touch.log", huge)]))
    assert r.status_code == 413 and "bytes" in r.get_json()["message"]
    assert touch_count(db) == 0


def test_garbage_is_422_with_field_messages_never_500(db, team, login):
    phone = login(team["a"])
    cases = [
        ("not json", "{"),
        ("a list", "[]"),
        ("no client", json.dumps({"schema_version": 1, "mutations": []})),
        ("bad ids", json.dumps(body([{"id": "x", "mutation_id": "one"}, {"mutation_id": 0}]))),
        ("unknown key", json.dumps({**body([]), "extra": 1})),
        ("schema as text", json.dumps({**body([]), "schema_version": "1x"})),
    ]
    for label, raw in cases:
        r = phone.post("/api/sync/push", data=raw, content_type="application/json")
        assert r.status_code == 422, (label, r.get_json())
        assert r.get_json()["errors"]["json"], label
    r = phone.post("/api/sync/push", data=cases[3][1], content_type="application/json")
    assert set(r.get_json()["errors"]["json"]) >= {
        "mutations.0.mutation_id",
        "mutations.1.mutation_id",
    }
    for query in ({"schema_version": 1, "cursor": "v9.zz"}, {"schema_version": 1, "limit": "0"}):
        r = phone.get("/api/sync/pull", query_string=query)
        assert r.status_code == 422 and r.get_json()["errors"]["query"]
    assert phone.get("/api/sync/pull", query_string={"schema_version": 0}).status_code == 426


def test_bad_items_are_answered_one_by_one_and_never_block(db, team, login, make_account):
    phone = login(team["a"])
    acc = team["accounts"][0]
    foreign = make_account(owner=team["b"], territory=team["territory"])
    reused = touch(acc.id)
    bad_touch = touch(acc.id)
    bad_touch["type"] = "telepathy"
    out = push(
        phone,
        [
            mutation(1, "touch.log", reused),
            mutation(2, "teleport", {}),
            mutation(3, "touch.log", bad_touch),
            mutation(4, "touch.log", touch(999_999)),
            mutation(5, "touch.log", touch(foreign.id)),
            mutation(6, "account.update", _update(acc, {"tier": "Z"}, {"tier": "B"})),
            mutation(7, "account.update", _update(acc, {"revenue": 1}, {"revenue": 0})),
            mutation(8, "touch.log", touch(acc.id, minutes_ago=-60)),  # an hour in the future
            mutation(9, "touch.log", reused),  # same touch UUID again: already there
            mutation(11, "touch.log", touch(acc.id)),  # 10 never arrived
        ],
    )
    got = [(r["status"], r.get("reason")) for r in out["results"]]
    assert got == [
        ("applied", None),
        ("rejected", "unknown_mutation"),
        ("rejected", "invalid"),
        ("rejected", "not_found"),
        ("rejected", "not_in_scope"),
        ("rejected", "invalid"),
        ("rejected", "not_editable"),
        ("applied", None),  # a fast clock never gets a visit refused (see test_clock.py)
        ("applied", None),
        ("deferred", "out_of_order"),
    ]
    assert out["last_mutation_id"] == 9
    assert "args.changes.tier" in out["results"][5]["errors"]
    assert touch_count(db) == 2
    # Another rep pushing a touch with that UUID learns nothing about it.
    other = push(login(team["b"]), [mutation(1, "touch.log", {**reused, "account_id": foreign.id})])
    assert other["results"][0]["reason"] == "id_reused"
    db.session.commit()
    assert db.session.scalar(select(Touch.rep_id).where(Touch.id == reused["id"])) == team["a"].id
