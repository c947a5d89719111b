"""Offline edits of deals through sync: exactly once, and a conflict never overwrites."""

from sqlalchemy import func, select

from backend.pipeline.models import Opportunity, StageChange
from tests.backend.sync.conftest import mutation, pull_all, push


def _deal(login, rep, account, name="Deal"):
    response = login(rep).post(
        "/api/opportunities", json={"account_id": account.id, "name": name, "amount": 100.0}
    )
    assert response.status_code == 201
    return response.get_json()


def _edit(opp, changes, base, version=None):
    return {
        "opportunity_id": opp["id"],
        "base_version": opp["version"] if version is None else version,
        "base": base,
        "changes": changes,
    }


def test_a_retried_push_moves_the_stage_once(db, team, login):
    acc = team["accounts"][0]
    opp = _deal(login, team["a"], acc)
    phone = login(team["a"])
    batch = [
        mutation(1, "opportunity.update", _edit(opp, {"stage": "proposal"}, {"stage": "lead"})),
        mutation(2, "opportunity.update", _edit(opp, {"amount": 250.0}, {"amount": 100.0})),
    ]
    first = push(phone, batch)
    assert [r["status"] for r in first["results"]] == ["applied", "applied"]
    again = push(phone, batch)  # the answer was lost; the phone sends the same batch again
    assert [r["status"] for r in again["results"]] == ["duplicate", "duplicate"]
    db.session.expire_all()
    stored = db.session.get(Opportunity, opp["id"])
    assert (stored.stage, stored.amount, stored.version) == ("proposal", 250.0, 3)
    moves = db.session.scalar(select(func.count()).where(StageChange.opportunity_id == opp["id"]))
    assert moves == 2  # created as lead, then one move to proposal


def test_an_edit_on_both_sides_is_a_conflict_not_an_overwrite(db, team, login):
    acc = team["accounts"][0]
    opp = _deal(login, team["a"], acc)
    boss = login(team["manager"])
    assert boss.patch(f"/api/opportunities/{opp['id']}", json={"amount": 900.0}).status_code == 200
    phone = login(team["a"])
    seen = {"amount": 100.0, "name": "Deal"}
    answer = push(
        phone,
        [mutation(1, "opportunity.update", _edit(opp, {"amount": 150.0, "name": "Big"}, seen))],
    )
    result = answer["results"][0]
    assert result["status"] == "conflict" and result["fields"] == ["amount"]
    assert result["server"]["amount"] == 900.0 and result["server"]["name"] == "Big"
    db.session.expire_all()
    assert db.session.get(Opportunity, opp["id"]).amount == 900.0


def test_someone_elses_deal_and_bad_fields_are_rejected(db, team, login):
    acc = team["accounts"][0]
    opp = _deal(login, team["a"], acc)
    other = login(team["b"])
    answer = push(
        other,
        [
            mutation(1, "opportunity.update", _edit(opp, {"stage": "won"}, {"stage": "lead"})),
            mutation(2, "opportunity.update", _edit(opp, {"owner_id": 1}, {"owner_id": 1})),
            mutation(3, "opportunity.update", _edit(opp, {"stage": "maybe"}, {"stage": "lead"})),
        ],
    )
    assert [(r["status"], r.get("reason")) for r in answer["results"]] == [
        ("rejected", "not_found"),
        ("rejected", "not_editable"),
        ("rejected", "invalid"),
    ]
    db.session.expire_all()
    assert db.session.get(Opportunity, opp["id"]).stage == "lead"


def test_pull_carries_the_reps_own_deals_only(db, team, login):
    acc = team["accounts"][0]
    mine = _deal(login, team["a"], acc, "Mine")
    boss = login(team["manager"])
    boss.post(
        "/api/opportunities",
        json={"account_id": acc.id, "name": "B's", "owner_id": team["b"].id},
    )
    changes, _ = pull_all(login(team["a"]))
    deals = [c for c in changes if c["entity"] == "opportunity"]
    assert [(c["op"], c["data"]["name"]) for c in deals] == [("put", "Mine")]
    changes, cursor = pull_all(login(team["a"]))
    assert login(team["a"]).delete(f"/api/opportunities/{mine['id']}").status_code == 204
    later, _ = pull_all(login(team["a"]), cursor)
    assert [(c["entity"], c["op"], c["id"]) for c in later if c["entity"] == "opportunity"] == [
        ("opportunity", "delete", mine["id"])
    ]


def test_a_deal_given_to_a_colleague_leaves_the_first_reps_phone(db, team, login):
    acc = team["accounts"][0]
    opp = _deal(login, team["a"], acc)
    _, cursor_a = pull_all(login(team["a"]))
    _, cursor_b = pull_all(login(team["b"]))
    moved = login(team["manager"]).patch(
        f"/api/opportunities/{opp['id']}", json={"owner_id": team["b"].id}
    )
    assert moved.status_code == 200, moved.get_json()
    a_changes, _ = pull_all(login(team["a"]), cursor_a)
    b_changes, _ = pull_all(login(team["b"]), cursor_b)
    deal = [(c["op"], c["id"]) for c in a_changes if c["entity"] == "opportunity"]
    assert deal == [("leave", opp["id"])]
    assert [
        (c["op"], c["data"]["owner_id"]) for c in b_changes if c["entity"] == "opportunity"
    ] == [("put", team["b"].id)]
