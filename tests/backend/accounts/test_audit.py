"""The ownership audit: manual edits and imports record who moved what, from where, and why."""

import io

from backend.accounts.models import AuditEntry


def test_a_manual_reassignment_is_audited_with_who_why_from_and_to(
    make_user, make_territory, make_account, login, db
):
    manager = make_user("manager")
    territory = make_territory(manager=manager)
    anna = make_user("rep", territory=territory)
    ben = make_user("rep", territory=territory)
    account = make_account(owner=anna, territory=territory)
    client = login(manager)
    answer = client.patch(
        f"/api/accounts/{account.id}", json={"owner_id": ben.id, "reason": "Anna is on leave"}
    )
    assert answer.status_code == 200, answer.get_json()
    client.patch(f"/api/accounts/{account.id}", json={"notes": "no ownership change"})

    history = client.get(f"/api/audit?account_id={account.id}").get_json()
    assert [(e["field"], e["old_value"], e["new_value"], e["source"]) for e in history] == [
        ("owner_id", anna.id, ben.id, "manual")
    ]
    assert history[0]["actor_id"] == manager.id
    assert history[0]["reason"] == "Anna is on leave"


def test_an_import_that_moves_accounts_is_audited_as_import(make_user, make_territory, login, db):
    manager = make_user("manager")
    territory = make_territory(manager=manager, name="Nord")
    anna = make_user("rep", territory=territory, email="anna@example.com")
    ben = make_user("rep", territory=territory, email="ben@example.com")
    client = login(manager)

    def upload(owner: str):
        text = (
            f"external_id,name,lat,lon,territory,owner_email\nSF-1,Dorne,48.1,11.5,Nord,{owner}\n"
        )
        data = {"file": (io.BytesIO(text.encode()), "a.csv")}
        answer = client.post("/api/accounts/import", data=data, content_type="multipart/form-data")
        assert answer.status_code == 200, answer.get_json()

    upload("anna@example.com")
    upload("anna@example.com")  # unchanged: nothing audited
    upload("ben@example.com")
    owners = [
        (e.old_value, e.new_value)
        for e in db.session.query(AuditEntry)
        .filter_by(field="owner_id", source="import")
        .order_by(AuditEntry.id)
    ]
    assert owners == [(None, anna.id), (anna.id, ben.id)]


def test_the_audit_shows_nothing_outside_the_readers_scope(
    make_user, make_territory, make_account, login
):
    mine = make_territory(manager=make_user("manager"))
    other_manager = make_user("manager")
    make_territory(manager=other_manager)
    rep = make_user("rep", territory=mine)
    account = make_account(owner=rep, territory=mine)
    admin = make_user("admin")
    login(admin).patch(f"/api/accounts/{account.id}", json={"owner_id": None})

    assert login(other_manager).get(f"/api/audit?account_id={account.id}").get_json() == []
    assert login(rep).get(f"/api/audit?account_id={account.id}").get_json() == []
    assert len(login(admin).get(f"/api/audit?account_id={account.id}").get_json()) == 1


def test_a_manager_still_sees_what_moved_out_of_their_territory(
    make_user, make_territory, make_account, login
):
    manager = make_user("manager")
    north, south = make_territory(manager=manager), make_territory(manager=make_user("manager"))
    account = make_account(owner=None, territory=north)
    login(make_user("admin")).patch(f"/api/accounts/{account.id}", json={"territory_id": south.id})
    history = login(manager).get("/api/audit").get_json()
    assert [(e["old_value"], e["new_value"]) for e in history] == [(north.id, south.id)]
