"""The rules also run when accounts are created or imported; the CLI prints the same answer."""

import io

from sqlalchemy import select

from backend.accounts.models import Account, AuditEntry
from tests.backend.territories.conftest import square

MUNICH = (11.57, 48.14)
BERLIN = (13.40, 52.52)
HOURS = {"mon": [["08:00", "17:00"]]}


def _account(db, account_id):
    db.session.expire_all()
    return db.session.get(Account, account_id)


def test_a_created_account_lands_where_the_rules_say(
    db, login, make_user, make_territory, put_rules
):
    manager = make_user("manager")
    picked, ruled = make_territory(manager, name="Picked"), make_territory(manager, name="Ruled")
    rep = make_user("rep", territory=ruled)
    rule = put_rules(manager, ruled, [{"geometry": square(*MUNICH)}])[0]
    client = login(manager)
    body = {"name": "Café", "lat": MUNICH[1], "lon": MUNICH[0], "opening_hours": HOURS}

    created = client.post("/api/accounts", json=body | {"territory_id": picked.id})
    assert created.status_code == 201, created.get_json()
    shown = created.get_json()
    assert (shown["territory_id"], shown["territory_rule_id"], shown["owner_id"]) == (
        ruled.id,
        rule["id"],
        rep.id,
    )
    sources = {
        e.source for e in db.session.scalars(select(AuditEntry).filter_by(account_id=shown["id"]))
    }
    assert sources == {"manual", "rule"}

    # No rule matches: the account stays in the territory the manager picked.
    elsewhere = client.post(
        "/api/accounts",
        json=body | {"lat": BERLIN[1], "lon": BERLIN[0], "territory_id": picked.id},
    )
    assert elsewhere.status_code == 201
    assert elsewhere.get_json()["territory_id"] == picked.id
    assert elsewhere.get_json()["territory_rule_id"] is None


def test_imported_accounts_are_placed_by_the_rules(db, login, make_user, make_territory, put_rules):
    admin = make_user("admin")
    named, ruled = make_territory(name="Named"), make_territory(name="Ruled")
    rep = make_user("rep", territory=ruled)
    put_rules(admin, ruled, [{"industries": ["Retail"]}])
    text = (
        "external_id,name,lat,lon,territory,industry,locked\n"
        f"X1,Shop,{MUNICH[1]},{MUNICH[0]},Named,Retail,false\n"
        f"X2,Lab,{MUNICH[1]},{MUNICH[0]},Named,Pharma,false\n"
        f"X3,Kept shop,{MUNICH[1]},{MUNICH[0]},Named,Retail,true\n"
    )
    data = {"file": (io.BytesIO(text.encode()), "accounts.csv")}
    response = login(admin).post(
        "/api/accounts/import", data=data, content_type="multipart/form-data"
    )
    assert response.status_code == 200, response.get_json()
    by_ext = {a.external_id: a for a in db.session.scalars(select(Account).order_by(Account.id))}
    assert (by_ext["X1"].territory_id, by_ext["X1"].owner_id) == (ruled.id, rep.id)
    assert by_ext["X2"].territory_id == named.id  # no rule matches: as the file said
    assert by_ext["X3"].territory_id == named.id  # locked: never moved


def test_cli_assign_prints_counts_conflicts_and_gaps(
    db, runner, make_user, make_territory, make_account, put_rules
):
    admin = make_user("admin")
    geo, retail = make_territory(name="Geo"), make_territory(name="Retail")
    put_rules(admin, geo, [{"geometry": square(*MUNICH)}])
    put_rules(admin, retail, [{"industries": ["Retail"]}])
    contested = make_account(lat=MUNICH[1], lon=MUNICH[0], industry="Retail")
    placed = make_account(lat=MUNICH[1], lon=MUNICH[0], industry="Pharma")
    gap = make_account(lat=BERLIN[1], lon=BERLIN[0], industry="Pharma")

    dry = runner.invoke(args=["territories", "assign", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would assign 1, unchanged 0, conflicts 1, gaps 1" in dry.output
    assert f"conflict: account {contested.id} matches territories {geo.id}, {retail.id}" in (
        dry.output
    )
    assert f"gaps (no rule matches): {gap.id}" in dry.output
    assert _account(db, placed.id).territory_id is None

    real = runner.invoke(args=["territories", "assign"])
    assert real.exit_code == 0 and "assigned 1," in real.output
    assert _account(db, placed.id).territory_id == geo.id
    assert _account(db, contested.id).territory_id is None

    rep = make_user("rep", territory=geo)
    refused = runner.invoke(args=["territories", "assign", "--as", rep.email])
    assert refused.exit_code != 0 and "managers and admins" in refused.output
