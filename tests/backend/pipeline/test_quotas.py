"""Quotas: CRUD in scope, and suggestions proportional to potential."""


def test_a_manager_sets_changes_and_removes_quotas_for_their_team(
    db, login, make_user, make_territory
):
    boss = make_user("manager")
    north = make_territory(boss)
    rep = make_user("rep", territory=north)
    outsider = make_user("rep", territory=make_territory(make_user("manager")))
    client = login(boss)
    body = {
        "period": "2026-Q4",
        "rep_id": rep.id,
        "revenue": 50000,
        "new_accounts": 4,
        "activity": {"A": {"visit": 6, "call": 6}},
    }
    created = client.post("/api/quotas", json=body)
    assert created.status_code == 201, created.get_json()
    quota = created.get_json()
    assert client.post("/api/quotas", json=body).status_code == 422  # one per target and period
    assert client.post("/api/quotas", json=body | {"rep_id": outsider.id}).status_code == 422
    both = body | {"territory_id": north.id}
    assert "rep_id" in client.post("/api/quotas", json=both).get_json()["errors"]["json"]
    bad = body | {"activity": {"A": {"visit": -1}}}
    assert client.post("/api/quotas", json=bad).status_code == 422
    url = f"/api/quotas/{quota['id']}"
    assert client.patch(url, json={"revenue": 60000, "base_version": 1}).status_code == 200
    assert client.patch(url, json={"revenue": 1, "base_version": 1}).status_code == 409
    # The rep reads their quota, may not change it.
    phone = login(rep)
    assert [q["revenue"] for q in phone.get("/api/quotas").get_json()] == [60000.0]
    assert phone.patch(url, json={"revenue": 1}).status_code == 404
    assert login(outsider).get(url).status_code == 404
    assert client.delete(url).status_code == 204
    assert client.get("/api/quotas").get_json() == []


def test_suggestions_follow_potential_not_a_flat_split(
    db, login, make_user, make_territory, make_account, make_opportunity
):
    boss = make_user("manager")
    north, south = make_territory(boss, name="N"), make_territory(boss, name="S")
    rn = make_user("rep", territory=north)
    rs = make_user("rep", territory=south)
    north_accounts = [make_account(owner=rn, territory=north) for _ in range(4)]
    south_accounts = [make_account(owner=rs, territory=south) for _ in range(2)]
    # In 2026 before Q4: North wins 2 of 4 at 1,000 a deal; South wins 1 of 1 at 3,000.
    for stage in ("won", "won", "lost", "lost"):
        make_opportunity(north_accounts[0], stage, 1000.0, "2026-03-01", "2026-04-01")
    make_opportunity(south_accounts[0], "won", 3000.0, "2026-03-01", "2026-04-01")
    client = login(boss)
    rows = client.get("/api/quotas/suggest?period=2026-Q4").get_json()["rows"]
    by_name = {r["name"]: r for r in rows}
    # North: 4 accounts x 1,000 x 50 % = 2,000. South: 2 x 3,000 x 100 % = 6,000.
    assert by_name["N"]["potential"] == 2000.0 and by_name["S"]["potential"] == 6000.0
    assert by_name["N"]["share"] == 25.0 and by_name["S"]["share"] == 75.0
    split = client.get("/api/quotas/suggest?period=2026-Q4&total=100000").get_json()["rows"]
    assert {r["name"]: r["suggested_revenue"] for r in split} == {"N": 25000.0, "S": 75000.0}
    assert {r["name"]: r["reps"] for r in split}["S"] == [
        {"rep_id": rs.id, "accounts": 2, "suggested_revenue": 75000.0}
    ]
    assert login(rn).get("/api/quotas/suggest?period=2026-Q4").status_code == 403
    assert client.get("/api/quotas/suggest").status_code == 422
