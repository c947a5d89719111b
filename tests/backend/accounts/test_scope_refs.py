"""Account references stay inside the caller's reach: territories and owners (issue 11)."""

import pytest

NEW = {"name": "Kiosk", "lat": 48.1, "lon": 11.5}


@pytest.fixture
def two_teams(make_user, make_territory):
    """Two managers, each with one territory and one rep; an admin beside them."""
    boss, other_boss = make_user("manager"), make_user("manager")
    mine, theirs = make_territory(manager=boss), make_territory(manager=other_boss)
    rep = make_user("rep", territory=mine)
    foreign_rep = make_user("rep", territory=theirs)
    return {
        "boss": boss,
        "other_boss": other_boss,
        "mine": mine,
        "theirs": theirs,
        "rep": rep,
        "foreign_rep": foreign_rep,
        "admin": make_user("admin"),
    }


def _field_error(response, field):
    body = response.get_json()
    assert response.status_code == 422, body
    return body["errors"]["json"][field]


def test_rep_cannot_move_own_account_into_another_territory_or_none(login, make_account, two_teams):
    rep, theirs = two_teams["rep"], two_teams["theirs"]
    account = make_account(owner=rep, territory=two_teams["mine"])
    client = login(rep)
    moved = client.patch(f"/api/accounts/{account.id}", json={"territory_id": theirs.id})
    unknown = client.patch(f"/api/accounts/{account.id}", json={"territory_id": 987654})
    # The same answer for a foreign and an unknown territory: no oracle.
    assert _field_error(moved, "territory_id") == _field_error(unknown, "territory_id")
    assert _field_error(
        client.patch(f"/api/accounts/{account.id}", json={"territory_id": None}), "territory_id"
    )
    assert client.get(f"/api/accounts/{account.id}").get_json()["territory_id"] == (
        two_teams["mine"].id
    )
    # The other territory's manager never sees it.
    assert login(two_teams["other_boss"]).get(f"/api/accounts/{account.id}").status_code == 404


def test_rep_cannot_create_in_a_territory_they_are_not_in(login, two_teams):
    client = login(two_teams["rep"])
    refused = client.post("/api/accounts", json=NEW | {"territory_id": two_teams["theirs"].id})
    assert _field_error(refused, "territory_id") == ["No such territory."]
    assert login(two_teams["other_boss"]).get("/api/accounts").get_json() == []
    created = client.post("/api/accounts", json=NEW | {"territory_id": two_teams["mine"].id})
    assert created.status_code == 201


def test_manager_cannot_use_a_territory_they_do_not_manage(login, make_account, two_teams):
    client = login(two_teams["boss"])
    refused = client.post("/api/accounts", json=NEW | {"territory_id": two_teams["theirs"].id})
    unknown = client.post("/api/accounts", json=NEW | {"territory_id": 987654})
    assert _field_error(refused, "territory_id") == _field_error(unknown, "territory_id")
    account = make_account(owner=two_teams["rep"], territory=two_teams["mine"])
    moved = client.patch(
        f"/api/accounts/{account.id}", json={"territory_id": two_teams["theirs"].id}
    )
    assert _field_error(moved, "territory_id") == ["No such territory."]


def test_manager_assigns_only_to_reps_of_their_territories(
    login, make_user, make_account, two_teams
):
    client = login(two_teams["boss"])
    account = make_account(owner=two_teams["rep"], territory=two_teams["mine"])
    url = f"/api/accounts/{account.id}"
    departed = make_user("rep", territory=two_teams["mine"], email="gone@example.com")
    departed.is_active = False
    from backend.core.extensions import db

    db.session.commit()
    answers = {
        who: _field_error(client.patch(url, json={"owner_id": uid}), "owner_id")
        for who, uid in {
            "unknown": 987654,
            "foreign rep": two_teams["foreign_rep"].id,
            "other manager": two_teams["other_boss"].id,
            "admin": two_teams["admin"].id,
            "inactive rep": departed.id,
        }.items()
    }
    # Every refusal reads the same, so the answer does not tell which ids exist.
    assert len({tuple(messages) for messages in answers.values()}) == 1, answers
    teammate = make_user("rep", territory=two_teams["mine"])
    ok = client.patch(url, json={"owner_id": teammate.id})
    assert ok.status_code == 200 and ok.get_json()["owner_id"] == teammate.id


def test_admin_may_assign_any_active_user_and_territory(login, make_account, two_teams):
    client = login(two_teams["admin"])
    account = make_account(owner=two_teams["rep"], territory=two_teams["mine"])
    ok = client.patch(
        f"/api/accounts/{account.id}",
        json={"owner_id": two_teams["foreign_rep"].id, "territory_id": two_teams["theirs"].id},
    )
    assert ok.status_code == 200, ok.get_json()
    assert ok.get_json()["territory_id"] == two_teams["theirs"].id
