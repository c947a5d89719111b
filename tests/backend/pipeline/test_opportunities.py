"""Opportunities over REST: scope, versions, stage history, account status history."""

from sqlalchemy import select


def _world(make_user, make_territory, make_account):
    boss = make_user("manager")
    north = make_territory(boss)
    rep, colleague = make_user("rep", territory=north), make_user("rep", territory=north)
    other_boss = make_user("manager")
    south = make_territory(other_boss)
    return {
        "boss": boss,
        "rep": rep,
        "colleague": colleague,
        "other_boss": other_boss,
        "lead": make_account(owner=rep, territory=north, status="lead"),
        "south_account": make_account(owner=make_user("rep", territory=south), territory=south),
    }


def test_a_rep_creates_moves_and_wins_a_deal_with_its_history(
    db, login, make_user, make_territory, make_account
):
    from backend.pipeline.models import AccountStatusChange

    w = _world(make_user, make_territory, make_account)
    phone = login(w["rep"])
    created = phone.post(
        "/api/opportunities",
        json={"account_id": w["lead"].id, "name": "Pilot", "amount": 1200.5},
    )
    assert created.status_code == 201, created.get_json()
    opp = created.get_json()
    assert (opp["owner_id"], opp["stage"], opp["version"], opp["closed_at"]) == (
        w["rep"].id,
        "lead",
        1,
        None,
    )
    url = f"/api/opportunities/{opp['id']}"
    moved = phone.patch(url, json={"stage": "proposal", "base_version": 1})
    assert moved.status_code == 200 and moved.get_json()["version"] == 2
    stale = phone.patch(url, json={"stage": "won"}, headers={"If-Match": "1"})
    assert stale.status_code == 409 and stale.get_json()["server_version"] == 2
    won = phone.patch(url, json={"stage": "won"}, headers={"If-Match": "2"})
    assert won.status_code == 200 and won.get_json()["closed_at"] is not None
    history = phone.get(f"{url}/history").get_json()
    assert [(h["from_stage"], h["to_stage"]) for h in history] == [
        (None, "lead"),
        ("lead", "proposal"),
        ("proposal", "won"),
    ]
    # The lead became an opportunity with its first deal and a customer with the win.
    statuses = db.session.execute(
        select(AccountStatusChange.from_status, AccountStatusChange.to_status)
        .where(AccountStatusChange.account_id == w["lead"].id)
        .order_by(AccountStatusChange.id)
    ).all()
    assert statuses == [(None, "lead"), ("lead", "opportunity"), ("opportunity", "customer")]
    account = phone.get(f"/api/accounts/{w['lead'].id}").get_json()
    assert account["status"] == "customer"


def test_reps_see_only_their_own_and_managers_only_their_territories(
    db, login, make_user, make_territory, make_account
):
    w = _world(make_user, make_territory, make_account)
    mine = login(w["rep"]).post(
        "/api/opportunities", json={"account_id": w["lead"].id, "name": "Mine"}
    )
    opp_id = mine.get_json()["id"]
    boss = login(w["boss"])
    theirs = boss.post(
        "/api/opportunities",
        json={"account_id": w["lead"].id, "name": "Colleague's", "owner_id": w["colleague"].id},
    )
    assert theirs.status_code == 201, theirs.get_json()
    assert [o["name"] for o in login(w["rep"]).get("/api/opportunities").get_json()] == ["Mine"]
    assert [o["name"] for o in login(w["colleague"]).get("/api/opportunities").get_json()] == [
        "Colleague's"
    ]
    assert {o["name"] for o in boss.get("/api/opportunities").get_json()} == {"Mine", "Colleague's"}
    outsider = login(w["other_boss"])
    assert outsider.get("/api/opportunities").get_json() == []
    assert outsider.get(f"/api/opportunities/{opp_id}").status_code == 404
    assert login(w["colleague"]).get(f"/api/opportunities/{opp_id}").status_code == 404
    # A deal on an account outside the caller's scope cannot be created.
    refused = login(w["rep"]).post(
        "/api/opportunities", json={"account_id": w["south_account"].id, "name": "x"}
    )
    assert refused.status_code == 422 and "account_id" in refused.get_json()["errors"]["json"]


def test_bad_input_is_422_with_field_messages(db, login, make_user, make_territory, make_account):
    w = _world(make_user, make_territory, make_account)
    phone = login(w["rep"])
    for body, field in [
        ({"account_id": w["lead"].id, "name": "x", "stage": "maybe"}, "stage"),
        ({"account_id": w["lead"].id, "name": "x", "amount": -1}, "amount"),
        ({"account_id": w["lead"].id, "name": "x", "currency": "euro"}, "currency"),
        ({"name": "x"}, "account_id"),
        ({"account_id": w["lead"].id, "name": "x", "lost_reason": "price"}, "lost_reason"),
    ]:
        response = phone.post("/api/opportunities", json=body)
        assert response.status_code == 422, body
        assert field in response.get_json()["errors"]["json"], response.get_json()
    opp = phone.post("/api/opportunities", json={"account_id": w["lead"].id, "name": "x"})
    url = f"/api/opportunities/{opp.get_json()['id']}"
    assert phone.patch(url, json={}).status_code == 422
    assert phone.patch(url, json={"name": "y"}, headers={"If-Match": "abc"}).status_code == 422
    assert phone.delete(url).status_code == 204
    assert phone.get(url).status_code == 404
