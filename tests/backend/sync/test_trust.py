"""A logged visit is never lost: poison values, reassigned/deleted accounts, wrong clocks, rejects."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update

from backend.sync.models import SyncChange
from backend.touches.models import Touch
from tests.backend.sync.conftest import body, mutation, pull_all, push, touch, touch_count

TOUCH_FIELDS = "args.notes"


def _raw_push(client, mutations: list[dict]) -> dict:
    """POST the batch as JSON text, so lone surrogates travel as the \\ud800 escapes a phone sends."""
    r = client.post(
        "/api/sync/push", data=json.dumps(body(mutations)), content_type="application/json"
    )
    assert r.status_code == 200, r.get_json()
    return r.get_json()


def _as_utc(value: datetime) -> datetime:
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def test_poison_values_are_rejected_one_by_one_and_the_rest_applied(db, team, login):
    phone = login(team["a"])
    acc = team["accounts"][0].id
    good_before, good_after = touch(acc), touch(acc)
    poison = {
        "nul in notes": ({**touch(acc), "notes": "gate code \x00 1234"}, "args.notes"),
        "lone surrogate": ({**touch(acc), "notes": "caf\ud800"}, "args.notes"),
        "id past int4": ({**touch(2**31)}, "args.account_id"),
        "id past int8": ({**touch(2**63 + 7)}, "args.account_id"),
        "year 1": ({**touch(acc), "occurred_at": "0001-01-01T00:00:00+14:00"}, "args.occurred_at"),
        "year 9999": (
            {**touch(acc), "occurred_at": "9999-12-31T23:59:59-12:00"},
            "args.occurred_at",
        ),
    }
    batch = [mutation(1, "touch.log", good_before)]
    for i, (args, _) in enumerate(poison.values(), start=2):
        batch.append(mutation(i, "touch.log", args))
    n = len(batch)
    batch.append(
        mutation(
            n + 1,
            "account.update",
            {
                "account_id": acc,
                "base_version": 2**40,
                "base": {"notes": ""},
                "changes": {"notes": "x"},
            },
        )
    )
    batch.append(
        mutation(
            n + 2,
            "stop.update",
            {
                "route_id": 2**31,
                "account_id": acc,
                "status": "done",
                "at": touch(acc)["occurred_at"],
            },
        )
    )
    batch.append(mutation(n + 3, "touch.log", good_after))
    out = _raw_push(phone, batch)

    results = out["results"]
    assert out["last_mutation_id"] == n + 3  # the queue moved past every bad item
    assert results[0]["status"] == "applied" and results[-1]["status"] == "applied"
    for result, (label, (_, field)) in zip(results[1:n], poison.items(), strict=True):
        assert (result["status"], result["reason"]) == ("rejected", "invalid"), label
        assert field in result["errors"], (label, result)
    assert results[n]["errors"].keys() == {"args.base_version"}
    assert results[n + 1]["errors"].keys() == {"args.route_id"}
    assert touch_count(db, [good_before["id"], good_after["id"]]) == 2
    # The device is not blocked: its next push applies.
    later = push(phone, [mutation(n + 4, "touch.log", touch(acc))])
    assert later["results"][0]["status"] == "applied"


def test_a_visit_for_an_account_deleted_meanwhile_is_kept_and_listed_for_the_manager(
    db, team, login
):
    rep, boss = login(team["a"]), login(team["manager"])
    acc = team["accounts"][0]
    assert boss.delete(f"/api/accounts/{acc.id}").status_code == 204
    late = touch(acc.id, minutes_ago=1)
    out = push(rep, [mutation(1, "touch.log", late)])
    assert out["results"][0]["status"] == "applied"
    db.session.commit()
    stored = db.session.get(Touch, late["id"])
    assert stored.account_id == acc.id and stored.rep_id == team["a"].id
    assert stored.flags == ["account_deleted"]
    listed = boss.get("/api/touches", query_string={"flagged": "true"}).get_json()
    assert [(t["id"], t["account_id"], t["flags"]) for t in listed] == [
        (late["id"], acc.id, ["account_deleted"])
    ]
    # A rep who never owned it still cannot log against it.
    other = push(login(team["b"]), [mutation(1, "touch.log", touch(acc.id))], client_id="b")
    assert other["results"][0]["reason"] == "not_in_scope"


def test_a_fast_clock_is_clamped_to_the_receive_time_and_flagged(db, team, login):
    phone = login(team["a"])
    ahead = touch(team["accounts"][0].id, minutes_ago=-120)  # the phone is two hours fast
    before = datetime.now(UTC)
    out = push(phone, [mutation(1, "touch.log", ahead)])
    after = datetime.now(UTC)
    assert out["results"][0]["status"] == "applied"
    db.session.commit()
    stored = db.session.get(Touch, ahead["id"])
    assert stored.flags == ["clock_ahead"]
    assert _as_utc(stored.occurred_at) == _as_utc(stored.received_at)
    assert before <= _as_utc(stored.received_at) <= after
    listed = phone.get("/api/touches", query_string={"flagged": "true"}).get_json()
    assert [t["id"] for t in listed] == [ahead["id"]] and listed[0]["received_at"]


def test_a_clock_40_days_slow_counts_in_the_period_it_was_received_in(db, team, login):
    phone = login(team["a"])
    slow = touch(team["accounts"][0].id, minutes_ago=40 * 24 * 60)
    out = push(phone, [mutation(1, "touch.log", slow)])
    assert out["results"][0]["status"] == "applied"
    db.session.commit()
    stored = db.session.get(Touch, slow["id"])
    assert stored.flags == ["clock_behind"]
    # The device's time is kept as it said; the period key is the day it arrived.
    assert _as_utc(stored.occurred_at) == datetime.fromisoformat(slow["occurred_at"])
    zone = ZoneInfo(team["a"].time_zone)
    assert stored.local_date == _as_utc(stored.received_at).astimezone(zone).date()
    today = stored.local_date.isoformat()
    listed = phone.get("/api/touches", query_string={"since": today}).get_json()
    assert slow["id"] in [t["id"] for t in listed]


def test_outcome_null_or_missing_is_one_rule_for_rest_and_sync(db, team, login):
    phone = login(team["a"])
    acc = team["accounts"][0].id
    rest = {k: v for k, v in touch(acc).items() if k != "next_step"}
    rest["outcome"] = None
    r = phone.post("/api/touches", json=rest)
    assert r.status_code == 201 and r.get_json()["outcome"] is None
    null, missing = {**touch(acc), "outcome": None}, touch(acc)
    del missing["outcome"]
    out = push(phone, [mutation(1, "touch.log", null), mutation(2, "touch.log", missing)])
    assert [r["status"] for r in out["results"]] == ["applied", "applied"]
    db.session.commit()
    assert db.session.get(Touch, null["id"]).outcome is None
    assert db.session.get(Touch, missing["id"]).outcome is None


def test_rejected_mutations_keep_their_content_for_the_app(db, team, login, make_account):
    phone = login(team["a"])
    foreign = make_account(owner=team["b"], territory=team["territory"])
    not_mine = touch(foreign.id)
    poisoned = {**touch(team["accounts"][0].id), "notes": "a\x00b"}
    first, second = mutation(1, "touch.log", not_mine), mutation(2, "touch.log", poisoned)
    push(phone, [first, second])
    push(phone, [mutation(1, "touch.log", touch(team["accounts"][0].id))], client_id="tablet")

    r = phone.get("/api/sync/rejected", query_string={"client_id": "phone-1"})
    assert r.status_code == 200
    listed = {item["id"]: item for item in r.get_json()}
    assert set(listed) == {first["id"], second["id"]}
    assert listed[first["id"]]["name"] == "touch.log"
    assert listed[first["id"]]["args"] == not_mine
    assert listed[first["id"]]["reason"] == "not_in_scope"
    assert listed[second["id"]]["args"]["notes"] == "a\\u0000b"  # kept, escaped, readable
    assert listed[second["id"]]["errors"] == {"args.notes": ["Must not contain NUL characters."]}
    assert all(item["rejected_at"] for item in listed.values())
    # Only the caller's own.
    assert login(team["b"]).get("/api/sync/rejected").get_json() == []


def test_prune_cli_drops_tombstones_past_the_horizon_and_old_clients_reset(db, team, login, runner):
    rep, boss = login(team["a"]), login(team["manager"])
    _, early = pull_all(rep)
    old, recent = team["accounts"][0], team["accounts"][1]
    assert boss.delete(f"/api/accounts/{old.id}").status_code == 204
    _, middle = pull_all(rep)
    assert boss.delete(f"/api/accounts/{recent.id}").status_code == 204
    rejected = mutation(1, "touch.log", {**touch(recent.id), "notes": "\x00"})
    push(rep, [rejected])
    db.session.commit()
    forty_days_ago = datetime.now(UTC) - timedelta(days=40)
    db.session.execute(
        update(SyncChange)
        .where(SyncChange.entity == "account", SyncChange.entity_id == str(old.id))
        .values(created_at=forty_days_ago)
    )
    db.session.commit()

    result = runner.invoke(args=["sync", "prune"])  # the default horizon: 30 days
    assert result.exit_code == 0, result.output
    assert "1 tombstones" in result.output

    def page(cursor):
        q = {"cursor": cursor, "schema_version": 1}
        return rep.get("/api/sync/pull", query_string=q).get_json()

    assert page(early)["reset"] is True  # it may have missed the pruned delete
    newer = page(middle)
    assert newer["reset"] is False  # the recent delete is still there for it
    assert {"entity": "account", "op": "delete", "id": recent.id} in [
        {k: c.get(k) for k in ("entity", "op", "id")} for c in newer["changes"]
    ]
    # What the server could not accept outlives pruning.
    runner.invoke(args=["sync", "prune", "--days", "1"])
    assert [m["id"] for m in rep.get("/api/sync/rejected").get_json()] == [rejected["id"]]
