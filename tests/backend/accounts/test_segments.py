"""Segment attributes (industry, size band, postal code, potential, locked) through API and CSV."""

import io

from backend.accounts.models import Account


def _upload(client, text: str):
    data = {"file": (io.BytesIO(text.encode()), "accounts.csv")}
    return client.post("/api/accounts/import", data=data, content_type="multipart/form-data")


def test_a_manager_sets_segments_and_filters_by_them(make_user, make_territory, login):
    manager = make_user("manager")
    territory = make_territory(manager=manager)
    client = login(manager)
    body = {
        "name": "Dorne 1",
        "lat": 48.1,
        "lon": 11.5,
        "territory_id": territory.id,
        "industry": "Health",
        "size_band": "10-49",
        "postal_code": "80331",
        "potential": 120000,
        "locked": True,
    }
    created = client.post("/api/accounts", json=body)
    assert created.status_code == 201, created.get_json()
    shown = created.get_json()
    assert (shown["industry"], shown["size_band"], shown["postal_code"]) == (
        "Health",
        "10-49",
        "80331",
    )
    assert shown["potential"] == 120000 and shown["locked"] is True
    client.post("/api/accounts", json=body | {"name": "Other", "industry": "Garden"})

    listed = client.get("/api/accounts?industry=Health").get_json()
    assert [a["name"] for a in listed] == ["Dorne 1"]
    assert [a["name"] for a in client.get("/api/accounts?locked=true").get_json()] == [
        "Dorne 1",
        "Other",
    ]


def test_bad_segment_values_answer_422_with_the_field(make_user, make_territory, login):
    manager = make_user("manager")
    territory = make_territory(manager=manager)
    client = login(manager)
    base = {"name": "X", "lat": 48.1, "lon": 11.5, "territory_id": territory.id}
    for field, value in (("size_band", "huge"), ("potential", -5), ("locked", "maybe")):
        answer = client.post("/api/accounts", json=base | {field: value})
        assert answer.status_code == 422
        assert field in answer.get_json()["errors"]["json"]


def test_a_rep_cannot_lock_an_account_out_of_realignment(
    make_user, make_territory, make_account, login
):
    territory = make_territory(manager=make_user("manager"))
    rep = make_user("rep", territory=territory)
    account = make_account(owner=rep, territory=territory)
    answer = login(rep).patch(f"/api/accounts/{account.id}", json={"locked": True})
    assert answer.status_code == 422
    assert "locked" in answer.get_json()["errors"]["json"]


def test_csv_import_carries_the_segments(make_user, make_territory, login, db):
    manager = make_user("manager")
    make_territory(manager=manager, name="Nord")
    text = (
        "external_id,name,lat,lon,territory,industry,size_band,postal_code,potential,locked\n"
        "SF-1,Dorne 1,48.1,11.5,Nord,Health,250+,80331,90000,true\n"
        "SF-2,Dorne 2,48.2,11.6,Nord,,,,,\n"
    )
    answer = _upload(login(manager), text)
    assert answer.status_code == 200, answer.get_json()
    rows = {a.external_id: a for a in db.session.query(Account)}
    first, second = rows["SF-1"], rows["SF-2"]
    assert (first.industry, first.size_band, first.postal_code) == ("Health", "250+", "80331")
    assert first.potential == 90000 and first.locked is True
    assert (second.industry, second.size_band, second.potential, second.locked) == (
        None,
        None,
        0.0,
        False,
    )


def test_an_unknown_size_band_in_the_csv_is_a_row_error(make_user, make_territory, login):
    manager = make_user("manager")
    make_territory(manager=manager, name="Nord")
    text = "external_id,name,lat,lon,territory,size_band\nSF-1,A,48.1,11.5,Nord,medium\n"
    answer = _upload(login(manager), text)
    assert answer.status_code == 422
    assert answer.get_json()["errors"] == [
        {"row": 2, "errors": {"size_band": ["Must be one of: 1-9, 10-49, 50-249, 250+."]}}
    ]
