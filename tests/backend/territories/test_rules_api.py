"""The rule list of a territory: read, replace, validation, who may edit."""

from tests.backend.territories.conftest import square

BOWTIE = {
    "type": "Polygon",
    "coordinates": [[[11.0, 48.0], [12.0, 49.0], [12.0, 48.0], [11.0, 49.0], [11.0, 48.0]]],
}


def test_a_manager_writes_and_reads_back_the_ordered_rules(
    db, login, make_user, make_territory, put_rules
):
    manager = make_user("manager")
    territory = make_territory(manager)
    saved = put_rules(
        manager,
        territory,
        [
            {"name": "Munich", "geometry": square(11.57, 48.14)},
            {"name": "Big pharma", "industries": ["Pharma"], "size_bands": ["250+"]},
            {
                "name": "Munich retail",
                "kind": "hybrid",
                "geometry": square(11.57, 48.14),
                "industries": ["Retail"],
            },
        ],
    )
    assert [r["kind"] for r in saved] == ["geo", "segment", "hybrid"]
    assert [r["position"] for r in saved] == [0, 1, 2]
    got = login(manager).get(f"/api/territories/{territory.id}/rules").get_json()
    assert got["rules"] == saved

    # Reordering keeps each rule's id (accounts keep pointing at it); a left-out rule goes.
    reordered = put_rules(
        manager,
        territory,
        [_body(saved[2]) | {"id": saved[2]["id"]}, _body(saved[0]) | {"id": saved[0]["id"]}],
    )
    assert [r["id"] for r in reordered] == [saved[2]["id"], saved[0]["id"]]
    assert [r["name"] for r in reordered] == ["Munich retail", "Munich"]


def _body(rule: dict) -> dict:
    keys = ("name", "geometry", "industries", "size_bands", "tiers", "postal_prefixes")
    return {k: rule[k] for k in keys if rule.get(k)}


def _put(client, territory, rules):
    return client.put(f"/api/territories/{territory.id}/rules", json={"rules": rules})


def test_bad_geojson_is_a_422_that_says_what_is_wrong(db, login, make_user, make_territory):
    manager = make_user("manager")
    territory = make_territory(manager)
    client = login(manager)
    cases = {
        "Self-intersection": BOWTIE,
        "Polygon or MultiPolygon": {"type": "Point", "coordinates": [11.5, 48.1]},
        "closed": {
            "type": "Polygon",
            "coordinates": [[[11.0, 48.0], [12.0, 48.0], [12.0, 49.0], [11.0, 49.0]]],
        },
        "outside lon": {
            "type": "Polygon",
            "coordinates": [[[200.0, 48.0], [201.0, 48.0], [201.0, 49.0], [200.0, 48.0]]],
        },
        "[lon, lat]": {"type": "Polygon", "coordinates": [[["a", "b"]]]},
        "GeoJSON object": "POLYGON((0 0, 1 0, 1 1, 0 0))",
    }
    for expected, geometry in cases.items():
        response = _put(client, territory, [{"geometry": geometry}])
        assert response.status_code == 422, (expected, response.get_json())
        message = response.get_json()["errors"]["json"]["rules"]["0"]["geometry"][0]
        assert expected in message, (expected, message)
    got = client.get(f"/api/territories/{territory.id}/rules").get_json()
    assert got["rules"] == []


def test_a_rule_must_say_something_and_a_hybrid_needs_both_parts(
    db, login, make_user, make_territory
):
    manager = make_user("manager")
    territory = make_territory(manager)
    client = login(manager)
    empty = _put(client, territory, [{"name": "nothing"}])
    assert empty.status_code == 422
    assert "_schema" in empty.get_json()["errors"]["json"]["rules"]["0"]
    half = _put(client, territory, [{"kind": "hybrid", "geometry": square(11.5, 48.1)}])
    assert half.status_code == 422
    assert "hybrid" in str(half.get_json()["errors"]["json"]["rules"]["0"])
    tier = _put(client, territory, [{"tiers": ["Z"]}])
    assert tier.status_code == 422
    assert "Unknown tier" in tier.get_json()["errors"]["json"]["rules"]["0"]["tiers"][0]
    band = _put(client, territory, [{"size_bands": ["huge"]}])
    assert band.status_code == 422
    stranger = _put(client, territory, [{"id": 999999, "tiers": ["A"]}])
    assert stranger.status_code == 422
    assert "No rule" in stranger.get_json()["errors"]["json"]["rules"]["0"]["id"][0]


def test_only_the_territorys_manager_or_an_admin_edits_its_rules(
    db, login, make_user, make_territory, put_rules
):
    manager, other = make_user("manager"), make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    put_rules(manager, territory, [{"tiers": ["A"]}])
    outsider = login(other)
    assert outsider.get(f"/api/territories/{territory.id}/rules").status_code == 404
    assert _put(outsider, territory, [{"tiers": ["B"]}]).status_code == 404
    member = login(rep)
    assert member.get(f"/api/territories/{territory.id}/rules").status_code == 200
    assert _put(member, territory, [{"tiers": ["B"]}]).status_code == 403
    admin = make_user("admin")
    assert put_rules(admin, territory, [{"tiers": ["C"]}])[0]["tiers"] == ["C"]
    rules = login(manager).get(f"/api/territories/{territory.id}/rules").get_json()["rules"]
    assert [r["tiers"] for r in rules] == [["C"]]
    assert login(manager).get("/api/territories/999999/rules").status_code == 404


def test_a_multipolygon_rule_and_a_shared_border_is_a_conflict(
    db, login, make_user, make_territory, make_account, put_rules
):
    admin = make_user("admin")
    west, east = make_territory(name="West"), make_territory(name="East")
    # Two islands for West; East touches West's first island along lon 11.6.
    put_rules(
        admin,
        west,
        [
            {
                "geometry": {
                    "type": "MultiPolygon",
                    "coordinates": [
                        square(11.55, 48.1)["coordinates"],
                        square(12.55, 48.1)["coordinates"],
                    ],
                }
            }
        ],
    )
    put_rules(admin, east, [{"geometry": square(11.65, 48.1)}])
    island = make_account(lat=48.1, lon=12.55)
    border = make_account(lat=48.1, lon=11.6)
    answer = login(admin).post("/api/territories/assign").get_json()
    assert [m["account_id"] for m in answer["moves"]] == [island.id]
    assert answer["conflicts"] == [
        {"account_id": border.id, "territories": sorted([west.id, east.id])}
    ]


def test_deleting_a_rule_forgets_it_on_its_accounts_but_moves_nothing(
    db, login, make_user, make_territory, make_account, put_rules
):
    from backend.accounts.models import Account, AuditEntry

    admin = make_user("admin")
    territory = make_territory()
    rep = make_user("rep", territory=territory)
    rule = put_rules(admin, territory, [{"tiers": ["A"]}])[0]
    account = make_account(tier="A")
    login(admin).post("/api/territories/assign")
    db.session.expire_all()
    assert db.session.get(Account, account.id).territory_rule_id == rule["id"]

    assert put_rules(admin, territory, [{"tiers": ["B"]}])[0]["id"] != rule["id"]

    db.session.expire_all()
    kept = db.session.get(Account, account.id)
    assert (kept.territory_id, kept.owner_id, kept.territory_rule_id) == (
        territory.id,
        rep.id,
        None,
    )
    forgotten = db.session.scalars(
        db.select(AuditEntry).filter_by(account_id=account.id, field="territory_rule_id")
    ).all()
    assert [(e.old_value, e.new_value) for e in forgotten] == [
        (None, rule["id"]),
        (rule["id"], None),
    ]
