"""Rebalancing proposals through the API: compute, keep, compare, apply (409, audit), scope."""

import pytest

from backend.territories import rebalance
from backend.territories.workload import Settings, load_team
from tests.backend.territories.balance_support import build_team

PERIOD = "2026-12"


@pytest.fixture(autouse=True)
def _short_solver(app, monkeypatch):
    monkeypatch.setitem(app.config, "REBALANCE_TIME_LIMIT_S", 4.0)


@pytest.fixture
def team(make_user, make_territory, make_account):
    return build_team(make_user, make_territory, make_account)


def _propose(client, territory, **extra):
    return client.post(
        "/api/territories/rebalance", json={"territory_id": territory.id, "period": PERIOD, **extra}
    )


def test_an_unbalanced_team_reaches_five_percent_with_fewer_moves_than_greedy(app, db, team, login):
    manager, territory, reps, owned = team
    client = login(manager)
    response = _propose(client, territory)
    assert response.status_code == 201, response.get_json()
    proposal = response.get_json()
    assert proposal["before"]["parity"] > 0.3
    assert proposal["after"]["parity"] <= 0.05
    assert proposal["status"] == "open"
    # The greedy baseline on the same team reaches the same parity with more moves.
    settings = Settings.from_config(app.config)
    loaded = load_team(manager, territory.id, PERIOD, settings)
    baseline = rebalance.greedy(loaded.reps, loaded.items, settings.travel, target_parity=0.05)
    assert baseline["after"]["parity"] <= 0.05
    assert 0 < len(proposal["moves"]) < len(baseline["moves"])
    # Nothing changed yet: the proposal is a what-if.
    workload = client.get(f"/api/territories/workload?period={PERIOD}&territory_id={territory.id}")
    assert workload.get_json()["team"]["parity"] == proposal["before"]["parity"]

    applied = client.post(f"/api/territories/proposals/{proposal['id']}/apply")
    assert applied.status_code == 200 and applied.get_json()["status"] == "applied"
    after = client.get(f"/api/territories/workload?period={PERIOD}&territory_id={territory.id}")
    assert after.get_json()["team"]["parity"] == pytest.approx(proposal["after"]["parity"], 1e-3)
    for move in proposal["moves"][:5]:
        account = client.get(f"/api/accounts/{move['account_id']}").get_json()
        assert account["owner_id"] == move["to_rep"]
        history = client.get(f"/api/audit?account_id={move['account_id']}").get_json()
        assert [(h["source"], h["old_value"], h["new_value"], h["ref"]) for h in history] == [
            ("proposal", move["from_rep"], move["to_rep"], f"proposal:{proposal['id']}")
        ]
        assert history[0]["actor_id"] == manager.id
    # Applying twice is a conflict.
    assert client.post(f"/api/territories/proposals/{proposal['id']}/apply").status_code == 409


def test_a_balanced_team_gets_a_proposal_without_moves(
    make_user, make_territory, make_account, login
):
    manager, territory, _, _ = build_team(
        make_user, make_territory, make_account, counts=(18, 18, 18, 18)
    )
    proposal = _propose(login(manager), territory).get_json()
    assert proposal["before"]["parity"] <= 0.05
    assert proposal["moves"] == []
    assert proposal["after"] == proposal["before"]


def test_locked_accounts_never_move(app, db, team, login):
    from backend.accounts.models import Account

    manager, territory, reps, owned = team
    locked = {a.id for a in owned[reps[0].id][::2]}
    for account_id in locked:
        db.session.get(Account, account_id).locked = True
    db.session.commit()
    proposal = _propose(login(manager), territory).get_json()
    moved = {m["account_id"] for m in proposal["moves"]}
    assert moved and not moved & locked


def test_an_account_that_changed_owner_makes_apply_a_409_and_nothing_moves(team, login):
    manager, territory, reps, owned = team
    client = login(manager)
    proposal = _propose(client, territory).get_json()
    first, second = proposal["moves"][0], proposal["moves"][1]
    elsewhere = next(r.id for r in reps if r.id not in (first["from_rep"], first["to_rep"]))
    patched = client.patch(f"/api/accounts/{first['account_id']}", json={"owner_id": elsewhere})
    assert patched.status_code == 200
    response = client.post(f"/api/territories/proposals/{proposal['id']}/apply")
    assert response.status_code == 409
    assert response.get_json()["changed"] == [first["account_id"]]
    untouched = client.get(f"/api/accounts/{second['account_id']}").get_json()
    assert untouched["owner_id"] == second["from_rep"]
    assert client.get(f"/api/territories/proposals/{proposal['id']}").get_json()["status"] == "open"


def test_a_manager_never_sees_proposes_or_moves_outside_their_territories(
    make_user, make_territory, make_account, login, team
):
    manager, territory, reps, owned = team
    # Rep 1 also works for another manager's territory; those accounts must never move.
    other_manager = make_user("manager")
    foreign = make_territory(other_manager)
    foreign.members.append(reps[0])
    foreign_ids = {make_account(owner=reps[0], territory=foreign, tier="A").id for _ in range(10)}
    client = login(manager)
    proposal = _propose(client, territory).get_json()
    assert not foreign_ids & {m["account_id"] for m in proposal["moves"]}
    # The other manager cannot read, compare or apply it, nor propose for this territory.
    outsider = login(other_manager)
    pid = proposal["id"]
    assert outsider.get(f"/api/territories/proposals/{pid}").status_code == 404
    assert outsider.post(f"/api/territories/proposals/{pid}/apply").status_code == 404
    assert outsider.get(f"/api/territories/proposals/compare?ids={pid}").status_code == 404
    assert outsider.get("/api/territories/proposals").get_json() == []
    assert _propose(outsider, territory).status_code == 404
    # A rep may not propose.
    assert _propose(login(reps[1]), territory).status_code == 403


def test_proposals_are_kept_and_compared_side_by_side(team, login):
    manager, territory, reps, owned = team
    client = login(manager)
    loose = _propose(client, territory, target_parity=0.15).get_json()
    tight = _propose(client, territory, target_parity=0.05, max_moves=200).get_json()
    listed = client.get("/api/territories/proposals").get_json()
    assert [p["id"] for p in listed] == [tight["id"], loose["id"]]
    assert listed[0]["moves_count"] == len(tight["moves"])
    compared = client.get(
        f"/api/territories/proposals/compare?ids={loose['id']},{tight['id']}"
    ).get_json()
    assert [p["id"] for p in compared["proposals"]] == [loose["id"], tight["id"]]
    assert len(loose["moves"]) <= len(tight["moves"])
    assert compared["proposals"][0]["after"]["parity"] <= 0.15
    shared = {m["account_id"] for m in loose["moves"]} & {m["account_id"] for m in tight["moves"]}
    assert set(compared["shared_moves"]) == shared
    assert client.get("/api/territories/proposals/compare?ids=1,x").status_code == 422


def test_bad_input_is_422(team, login):
    manager, territory, reps, owned = team
    client = login(manager)
    for body in (
        {"max_moves": -1},
        {"target_parity": 2},
        {"period": "2026-13"},
        {"territory_id": "x"},
        {"surprise": 1},
    ):
        response = client.post("/api/territories/rebalance", json=body)
        assert response.status_code == 422, body


def test_the_cli_proposes_and_applies(runner, team):
    manager, territory, reps, owned = team
    result = runner.invoke(
        args=[
            "territories",
            "rebalance",
            "--territory",
            territory.name,
            "--period",
            PERIOD,
            "--apply",
            "--as",
            manager.email,
        ]
    )
    assert result.exit_code == 0, result.output
    assert "applied" in result.output
    from backend.accounts.models import AuditEntry
    from backend.core.extensions import db

    assert db.session.query(AuditEntry).filter_by(source="proposal").count() > 0


def test_the_unbalanced_demo_team_is_balanced_with_fewer_moves_than_greedy(app, db, login):
    from sqlalchemy import select

    from backend.demo import service as demo
    from backend.users.models import Territory, User
    from backend.users.service import configured_hash_method

    demo.seed(
        accounts_per_rep=30,
        history_days=0,
        unbalanced=True,
        hash_method=configured_hash_method(app.config),
    )
    db.session.commit()
    manager = db.session.scalar(select(User).where(User.email == demo.MANAGER))
    north = db.session.scalar(select(Territory).where(Territory.name == "München Nord"))
    client = login(manager, password=demo.PASSWORD)
    proposal = _propose(client, north).get_json()
    settings = Settings.from_config(app.config)
    loaded = load_team(manager, north.id, PERIOD, settings)
    baseline = rebalance.greedy(loaded.reps, loaded.items, settings.travel, target_parity=0.05)
    assert proposal["before"]["parity"] > 0.3
    assert proposal["after"]["parity"] <= 0.05 and baseline["after"]["parity"] <= 0.05
    assert 0 < len(proposal["moves"]) < len(baseline["moves"])


def test_after_apply_the_old_owners_devices_get_leave_and_the_new_ones_the_account(team, login):
    from tests.backend.sync.conftest import pull_all

    manager, territory, reps, owned = team
    by_id = {r.id: r for r in reps}
    proposal = _propose(login(manager), territory).get_json()
    move = proposal["moves"][0]
    old, new = login(by_id[move["from_rep"]]), login(by_id[move["to_rep"]])
    _, old_cursor = pull_all(old)
    _, new_cursor = pull_all(new)
    assert (
        login(manager).post(f"/api/territories/proposals/{proposal['id']}/apply").status_code == 200
    )
    old_changes, _ = pull_all(old, old_cursor)
    new_changes, _ = pull_all(new, new_cursor)
    leaving = {m["account_id"] for m in proposal["moves"] if m["from_rep"] == move["from_rep"]}
    assert {c["id"] for c in old_changes if c["entity"] == "account" and c["op"] == "leave"} == (
        leaving
    )
    arriving = {m["account_id"] for m in proposal["moves"] if m["to_rep"] == move["to_rep"]}
    puts = {c["id"] for c in new_changes if c["entity"] == "account" and c["op"] == "put"}
    assert arriving <= puts


def test_two_proposals_moving_one_account_applied_at_once_one_wins(app, team, login):
    import threading

    from backend.accounts.models import AuditEntry
    from backend.core.extensions import db

    manager, territory, reps, owned = team
    client = login(manager)
    first = _propose(client, territory).get_json()
    second = _propose(client, territory).get_json()
    shared = {m["account_id"] for m in first["moves"]} & {m["account_id"] for m in second["moves"]}
    assert shared  # the same team, the same overload: the proposals overlap
    answers = {}
    start = threading.Barrier(2)

    def apply(proposal):
        other = login(manager)
        start.wait()
        answers[proposal["id"]] = other.post(
            f"/api/territories/proposals/{proposal['id']}/apply"
        ).status_code

    threads = [threading.Thread(target=apply, args=(p,)) for p in (first, second)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(answers.values()) == [200, 409]
    winner = first if answers[first["id"]] == 200 else second
    with app.app_context():
        for account_id in shared:
            entries = db.session.query(AuditEntry).filter_by(account_id=account_id).all()
            assert [e.ref for e in entries] == [f"proposal:{winner['id']}"]
