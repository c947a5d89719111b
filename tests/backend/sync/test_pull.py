"""GET /api/sync/pull: scope, tombstones, leaves, paging, resets, derived due list, routes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from backend.core.extensions import db as _db
from backend.routes.models import RoutePlan
from backend.sync.service.prune import prune
from tests.backend.sync.conftest import mutation, pull_all, push, touch


def _ids(changes, entity, op="put"):
    return {c["id"] for c in changes if c["entity"] == entity and c["op"] == op}


def test_each_user_gets_their_scope_only(db, team, login, make_account, make_territory, make_user):
    other_boss = make_user(role="manager")
    elsewhere = make_account(owner=team["b"], territory=make_territory(manager=other_boss))
    a, b, boss = login(team["a"]), login(team["b"]), login(team["manager"])
    push(a, [mutation(1, "touch.log", touch(team["accounts"][0].id))])

    mine = {x.id for x in team["accounts"]}
    a_changes, _ = pull_all(a)
    assert _ids(a_changes, "account") == mine
    assert len(_ids(a_changes, "touch")) == 1
    assert {
        c["data"]["account_id"] for c in a_changes if c["entity"] == "due" and "data" in c
    } <= mine
    b_changes, _ = pull_all(b)
    assert _ids(b_changes, "account") == {elsewhere.id} and not _ids(b_changes, "touch")
    boss_changes, _ = pull_all(boss)
    assert _ids(boss_changes, "account") == mine  # the territory, not the other one
    assert len(_ids(boss_changes, "touch")) == 1
    assert not [c for c in boss_changes if c["entity"] == "due"]
    plan = [c for c in a_changes if c["entity"] == "plan"]
    assert plan == [] or plan[-1]["data"]["rules"]


def test_the_data_is_the_rest_shape(db, team, login):
    a = login(team["a"])
    acc = team["accounts"][0]
    changes, _ = pull_all(a)
    put = next(c for c in changes if c["entity"] == "account" and c["id"] == acc.id)
    assert put["data"] == a.get(f"/api/accounts/{acc.id}").get_json()


def test_deletes_are_tombstones_and_moves_between_territories_leave(
    db, team, login, make_territory
):
    boss = login(team["manager"])
    rep = login(team["a"])
    _, rep_cursor = pull_all(rep)
    _, boss_cursor = pull_all(boss)
    gone, moved = team["accounts"][0], team["accounts"][1]
    assert boss.delete(f"/api/accounts/{gone.id}").status_code == 204
    other = make_territory(manager=team["manager"])
    far = make_territory()
    assert (
        boss.patch(f"/api/accounts/{moved.id}", json={"territory_id": other.id}).status_code == 200
    )

    rep_changes, rep_cursor = pull_all(rep, rep_cursor)
    assert {"entity": "account", "op": "delete", "id": gone.id} in rep_changes
    boss_changes, boss_cursor = pull_all(boss, boss_cursor)
    assert {"entity": "account", "op": "delete", "id": gone.id} in boss_changes
    # Still the manager's (their other territory): a put, and no leave after it.
    last = [c for c in boss_changes if c["entity"] == "account" and c["id"] == moved.id][-1]
    assert last["op"] == "put" and last["data"]["territory_id"] == other.id
    admin = login(_make_admin(db))
    assert (
        admin.patch(f"/api/accounts/{moved.id}", json={"territory_id": far.id}).status_code == 200
    )
    boss_changes, _ = pull_all(boss, boss_cursor)
    assert (
        boss_changes[-1] == {"entity": "account", "op": "leave", "id": moved.id}
        or {
            "entity": "account",
            "op": "leave",
            "id": moved.id,
        }
        in boss_changes
    )


def _make_admin(db):
    from flask import current_app

    from backend.users import service as users
    from tests.conftest import PASSWORD

    admin = users.create_user(
        role="admin",
        email="root@example.com",
        name="root",
        password=PASSWORD,
        hash_method=users.configured_hash_method(current_app.config),
    )
    db.session.commit()
    return admin


def test_small_pages_deliver_everything_in_commit_order(db, team, login):
    a = login(team["a"])
    batch = [mutation(i, "touch.log", touch(team["accounts"][i % 3].id)) for i in range(1, 31)]
    push(a, batch)
    whole, cursor = pull_all(a, limit=500)
    paged, paged_cursor = pull_all(a, limit=3)
    key = [(c["entity"], c["op"], c["id"]) for c in whole if c["entity"] != "due"]
    paged_key = [(c["entity"], c["op"], c["id"]) for c in paged if c["entity"] != "due"]
    assert set(paged_key) == set(key) and len(_ids(paged, "touch")) == 30
    assert paged_cursor == cursor
    assert pull_all(a, cursor)[0] == []  # nothing new, and no due list without a change


def test_a_cursor_behind_the_tombstone_horizon_is_reset(db, team, login):
    boss, rep = login(team["manager"]), login(team["a"])
    _, early = pull_all(rep)
    assert boss.delete(f"/api/accounts/{team['accounts'][0].id}").status_code == 204
    _, current = pull_all(rep)
    push(rep, [mutation(1, "touch.log", touch(team["accounts"][1].id))])
    stats = prune(_db.session(), older_than=datetime.now(UTC) + timedelta(seconds=1))
    _db.session.commit()
    assert stats["tombstones"] >= 1
    page = rep.get("/api/sync/pull", query_string={"cursor": early, "schema_version": 1}).get_json()
    assert page["reset"] is True
    assert team["accounts"][0].id not in _ids(page["changes"], "account")
    assert team["accounts"][1].id in _ids(page["changes"], "account")
    # A client past the horizon just continues.
    page = rep.get(
        "/api/sync/pull", query_string={"cursor": current, "schema_version": 1}
    ).get_json()
    assert page["reset"] is False and len(_ids(page["changes"], "touch")) == 1
    foreign = rep.get("/api/sync/pull", query_string={"cursor": "v1.7.1", "schema_version": 1})
    assert foreign.get_json()["reset"] is True  # another epoch


def test_a_cursor_ahead_of_the_server_is_reset_and_gets_everything(db, team, login):
    """A phone that synced with a server since restored from an older backup: its cursor is
    past every committed number, so it starts again and receives its accounts."""
    rep = login(team["a"])
    _, cursor = pull_all(rep)
    epoch, seq = cursor.split(".")[1:]
    ahead = f"v1.{epoch}.{int(seq) + 1000}"
    page = rep.get("/api/sync/pull", query_string={"cursor": ahead, "schema_version": 1}).get_json()
    assert page["reset"] is True
    assert {a.id for a in team["accounts"]} <= set(_ids(page["changes"], "account"))


def test_routes_of_the_week_come_down_and_stop_updates_round_trip(db, team, login):
    rep = team["a"]
    today = datetime.now(UTC).date()
    stops = [
        {"seq": i + 1, "account_id": acc.id, "name": acc.name, "status": "planned"}
        for i, acc in enumerate(team["accounts"])
    ]
    route = RoutePlan(rep_id=rep.id, date=today, stops=stops)
    old = RoutePlan(rep_id=rep.id, date=today - timedelta(days=40), stops=[])
    _db.session.add_all([route, old])
    _db.session.commit()
    phone = login(rep)
    changes, cursor = pull_all(phone)
    assert _ids(changes, "route") == {route.id}
    ids = [s["account_id"] for s in stops]
    at = datetime.now(UTC).isoformat()
    out = push(
        phone,
        [
            mutation(
                1,
                "stop.update",
                {"route_id": route.id, "account_id": ids[0], "status": "done", "at": at},
            ),
            mutation(
                2,
                "stop.update",
                {"route_id": route.id, "account_id": ids[0], "status": "arrived", "at": at},
            ),
            mutation(
                3, "route.reorder", {"route_id": route.id, "base_version": 1, "order": ids[::-1]}
            ),
            mutation(
                4, "route.reorder", {"route_id": route.id, "base_version": 2, "order": ids[::-1]}
            ),
            mutation(
                5,
                "stop.update",
                {"route_id": route.id, "account_id": 999, "status": "done", "at": at},
            ),
        ],
    )
    got = [(r["status"], r.get("reason"), r.get("fields")) for r in out["results"]]
    assert got == [
        ("applied", None, None),
        ("rejected", "invalid_transition", None),
        ("conflict", None, ["order"]),  # the stop update moved the route to version 2
        ("applied", None, None),
        ("rejected", "not_found", None),
    ]
    assert out["results"][2]["server"]["version"] == 2
    changes, _ = pull_all(phone, cursor)
    data = [c for c in changes if c["entity"] == "route"][-1]["data"]
    assert [s["account_id"] for s in data["stops"]] == ids[::-1]
    assert data["stops"][-1]["status"] == "done" and data["version"] == 3
    other = push(
        login(team["b"]),
        [mutation(1, "route.reorder", {"route_id": route.id, "base_version": 3, "order": ids})],
    )
    assert other["results"][0]["reason"] == "not_in_scope"


def test_pulled_touches_have_the_rest_shape(db, team, login):
    """The pull's own touch serialiser and TouchSchema agree, with and without a check-in."""
    from backend.sync.service.pull import touch_json
    from backend.touches.models import Touch
    from backend.touches.schemas import TouchSchema

    a = login(team["a"])
    acc = team["accounts"][0]
    plain = touch(acc.id)
    checked_in = {**touch(acc.id), "checkin": {"lat": 48.1, "lon": 11.5, "accuracy_m": 12.0}}
    push(a, [mutation(1, "touch.log", plain), mutation(2, "touch.log", checked_in)])
    changes, _ = pull_all(a)
    pulled = {c["id"]: c["data"] for c in changes if c["entity"] == "touch" and c["op"] == "put"}
    listed = {t["id"]: t for t in a.get(f"/api/touches?account_id={acc.id}").get_json()}
    assert pulled == listed and set(pulled) == {plain["id"], checked_in["id"]}
    assert pulled[checked_in["id"]]["checkin"]["accuracy_m"] == 12.0
    for row in _db.session.scalars(_db.select(Touch)):
        assert touch_json(row) == TouchSchema().dump(row)
