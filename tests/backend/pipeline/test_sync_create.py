"""Deals a rep starts offline (``opportunity.create``): created once, only on their own accounts."""

import uuid

from sqlalchemy import func, select

from backend.pipeline.models import Opportunity, StageChange
from tests.backend.sync.conftest import mutation, pull_all, push


def _new(account_id, deal_id=None, **fields):
    return {"id": deal_id or str(uuid.uuid4()), "account_id": account_id, "name": "Kiosk", **fields}


def _lead(db, account):
    account.status = "lead"
    db.session.commit()
    return account


def _deals(db, client_id):
    db.session.expire_all()
    return db.session.scalars(select(Opportunity).where(Opportunity.client_id == client_id)).all()


def test_a_deal_created_offline_is_stored_once_however_often_it_is_sent(db, team, login):
    acc = _lead(db, team["accounts"][0])
    args = _new(acc.id, stage="qualified", amount=1200.0)
    phone = login(team["a"])
    first = push(phone, [mutation(1, "opportunity.create", args)])
    result = first["results"][0]
    assert result["status"] == "applied", result
    row = result["server"]
    assert (row["client_id"], row["account_id"], row["owner_id"]) == (
        args["id"],
        acc.id,
        team["a"].id,
    )
    assert (row["stage"], row["amount"], row["version"]) == ("qualified", 1200.0, 1)
    # The answer was lost: the same batch again is a duplicate of what was applied.
    again = push(phone, [mutation(1, "opportunity.create", args, uid=first["results"][0]["id"])])
    assert again["results"][0]["status"] == "duplicate"
    # The phone was reset (a new client id) and sends the outbox again: still one deal.
    reset = push(phone, [mutation(1, "opportunity.create", args)], client_id="phone-2")
    assert reset["results"][0]["status"] == "applied"
    assert reset["results"][0]["server"]["id"] == row["id"]
    stored = _deals(db, args["id"])
    assert len(stored) == 1
    moves = db.session.scalar(select(func.count()).where(StageChange.opportunity_id == row["id"]))
    assert moves == 1
    db.session.refresh(acc)
    assert acc.status == "opportunity"  # a lead with an open deal moves up the funnel
    changes, _ = pull_all(login(team["a"]))
    deals = [c["data"] for c in changes if c["entity"] == "opportunity"]
    assert [(d["id"], d["client_id"]) for d in deals] == [(row["id"], args["id"])]
    # The manager sees it in the territory's pipeline.
    listed = login(team["manager"]).get("/api/opportunities").get_json()
    assert [d["id"] for d in listed] == [row["id"]]


def test_a_deal_created_and_moved_offline_is_edited_by_its_client_id(db, team, login):
    acc = _lead(db, team["accounts"][1])
    args = _new(acc.id, amount=500.0)
    edit = {
        "opportunity_id": args["id"],
        "base_version": 1,
        "base": {"stage": "lead"},
        "changes": {"stage": "won"},
    }
    answer = push(
        login(team["a"]),
        [mutation(1, "opportunity.create", args), mutation(2, "opportunity.update", edit)],
    )
    assert [r["status"] for r in answer["results"]] == ["applied", "applied"]
    (stored,) = _deals(db, args["id"])
    assert (stored.stage, stored.version) == ("won", 2)
    assert stored.closed_at is not None
    db.session.refresh(acc)
    assert acc.status == "customer"


def test_creating_outside_ones_own_accounts_is_rejected_with_a_reason(db, team, login):
    acc = team["accounts"][0]  # rep A's
    taken = str(uuid.uuid4())
    push(login(team["a"]), [mutation(1, "opportunity.create", _new(acc.id, taken))])
    phone_b = login(team["b"])
    answer = push(
        phone_b,
        [
            mutation(1, "opportunity.create", _new(acc.id)),
            mutation(2, "opportunity.create", _new(999_999)),
            mutation(3, "opportunity.create", _new(acc.id, taken)),
            mutation(4, "opportunity.create", _new(acc.id, stage="maybe")),
            mutation(5, "opportunity.create", _new(acc.id, lost_reason="price")),
            mutation(6, "opportunity.create", {"id": "not-a-uuid", "account_id": acc.id}),
        ],
    )
    got = [(r["status"], r.get("reason"), sorted(r.get("errors") or {})) for r in answer["results"]]
    assert got == [
        ("rejected", "not_in_scope", []),
        ("rejected", "not_found", []),
        ("rejected", "id_reused", ["args.id"]),
        ("rejected", "invalid", ["args.stage"]),
        ("rejected", "invalid", ["args.lost_reason"]),
        ("rejected", "invalid", ["args.id", "args.name"]),
    ]
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Opportunity)) == 1
    assert db.session.get(Opportunity, _deals(db, taken)[0].id).owner_id == team["a"].id
    # Never a silent drop: the phone can list what was refused, with its content (a reused
    # UUID is answered but not logged, as for touches: the log is keyed by UUIDs).
    kept = phone_b.get("/api/sync/rejected").get_json()
    assert sorted(k["mutation_id"] for k in kept) == [1, 2, 4, 5, 6]
    assert all(k["name"] == "opportunity.create" and k["args"] for k in kept)


def test_a_deal_given_away_is_not_created_again_by_the_creators_retry(db, team, login):
    acc = team["accounts"][2]
    args = _new(acc.id)
    first = push(login(team["a"]), [mutation(1, "opportunity.create", args)])
    deal_id = first["results"][0]["server"]["id"]
    moved = login(team["manager"]).patch(
        f"/api/opportunities/{deal_id}", json={"owner_id": team["b"].id}
    )
    assert moved.status_code == 200
    retry = push(login(team["a"]), [mutation(1, "opportunity.create", args)], client_id="phone-2")
    result = retry["results"][0]
    # Applied (it was), without showing rep A a deal that is now rep B's.
    assert result["status"] == "applied" and "server" not in result
    (stored,) = _deals(db, args["id"])
    assert stored.owner_id == team["b"].id
