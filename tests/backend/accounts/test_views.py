"""Account CRUD, filters, search, pagination and object-level scope."""

import json


def _page(response):
    return json.loads(response.headers["X-Pagination"])


def test_rep_crud_own_account(login, make_user):
    rep = make_user("rep")
    client = login(rep)
    created = client.post(
        "/api/accounts",
        json={
            "name": "Bäckerei Rossi",
            "lat": 48.15,
            "lon": 11.58,
            "tier": "A",
            "opening_hours": {"mon": [["07:00", "12:00"], ["14:00", "18:00"]]},
        },
    )
    assert created.status_code == 201, created.get_json()
    account = created.get_json()
    assert account["owner_id"] == rep.id and account["version"] == 1
    assert account["opening_hours"]["mon"] == [["07:00", "12:00"], ["14:00", "18:00"]]
    assert account["opening_hours"]["sun"] == []

    patched = client.patch(
        f"/api/accounts/{account['id']}", json={"notes": "Ask for Maria", "base_version": 1}
    )
    assert patched.status_code == 200
    assert patched.get_json()["notes"] == "Ask for Maria" and patched.get_json()["version"] == 2
    stale = client.patch(f"/api/accounts/{account['id']}", json={"notes": "x", "base_version": 1})
    assert stale.status_code == 409
    assert client.get(f"/api/accounts/{account['id']}").get_json()["notes"] == "Ask for Maria"
    # Reps may not delete accounts; it looks like it does not exist to them.
    assert client.delete(f"/api/accounts/{account['id']}").status_code == 404


def test_rep_cannot_see_or_touch_another_reps_account(login, make_user, make_account):
    me, other = make_user("rep"), make_user("rep")
    theirs = make_account(owner=other, name="Not yours")
    client = login(me)
    assert client.get(f"/api/accounts/{theirs.id}").status_code == 404
    assert client.patch(f"/api/accounts/{theirs.id}", json={"notes": "hi"}).status_code == 404
    listed = client.get("/api/accounts").get_json()
    assert all(a["id"] != theirs.id for a in listed)


def test_manager_sees_exactly_their_territories(login, make_user, make_territory, make_account):
    manager, other_manager = make_user("manager"), make_user("manager")
    mine, foreign = make_territory(manager), make_territory(other_manager)
    rep = make_user("rep", territory=mine)
    in_scope = {make_account(owner=rep, territory=mine).id for _ in range(3)}
    make_account(owner=rep, territory=foreign)
    make_account(owner=None, territory=None)
    client = login(manager)
    listed = {a["id"] for a in client.get("/api/accounts").get_json()}
    assert listed == in_scope
    delete_me = next(iter(in_scope))
    assert client.delete(f"/api/accounts/{delete_me}").status_code == 204
    assert client.get(f"/api/accounts/{delete_me}").status_code == 404


def test_admin_sees_everything(login, make_user, make_account):
    admin, rep = make_user("admin"), make_user("rep")
    ids = {make_account(owner=rep).id, make_account().id}
    assert {a["id"] for a in login(admin).get("/api/accounts").get_json()} == ids


def test_filters_search_and_pagination(login, make_user, make_account):
    rep = make_user("rep")
    for i in range(25):
        make_account(owner=rep, tier="ABC"[i % 3], name=f"Shop {i:02d}", address=f"Street {i}")
    make_account(owner=rep, tier="A", name="Apotheke am Dom", address="Domplatz 1")
    client = login(rep)
    page = client.get("/api/accounts?page=2&page_size=10")
    assert len(page.get_json()) == 10
    meta = _page(page)
    assert meta["total"] == 26 and meta["total_pages"] == 3 and meta["page"] == 2
    tier_a = client.get("/api/accounts?tier=A&page_size=100").get_json()
    assert len(tier_a) == 10 and {a["tier"] for a in tier_a} == {"A"}
    found = client.get("/api/accounts?q=domplatz").get_json()
    assert [a["name"] for a in found] == ["Apotheke am Dom"]
    by_name = [a["name"] for a in client.get("/api/accounts?page_size=3").get_json()]
    assert by_name == sorted(by_name)


def test_unknown_tier_is_rejected_with_the_plan_tiers(login, make_user):
    client = login(make_user("rep"))
    response = client.post("/api/accounts", json={"name": "X", "lat": 1, "lon": 1, "tier": "Z"})
    assert response.status_code == 422
    assert "tier" in response.get_json()["errors"]["json"]
