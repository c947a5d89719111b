"""CSV import of deals: all or nothing, row-numbered errors, API and CLI alike."""

import io

from sqlalchemy import func, select

from backend.pipeline.models import Opportunity

GOOD = """external_id,account_external_id,name,stage,amount,owner_email,created_at,closed_at,lost_reason
D-1,ACC-1,Pilot,won,1200,{email},2026-01-05T09:00:00,2026-02-04T09:00:00,
D-2,ACC-1,Renewal,proposal,800,,2026-03-01T09:00:00,,
D-3,ACC-1,Lost one,lost,300,,2026-03-01T09:00:00,2026-03-20T09:00:00,price
"""


def _setup(make_user, make_territory, make_account):
    boss = make_user("manager")
    north = make_territory(boss)
    rep = make_user("rep", territory=north)
    make_account(owner=rep, territory=north, external_id="ACC-1")
    return boss, rep


def _count(db):
    return db.session.scalar(select(func.count()).select_from(Opportunity))


def test_the_api_imports_every_row_or_none(db, login, make_user, make_territory, make_account):
    boss, rep = _setup(make_user, make_territory, make_account)
    client = login(boss)
    text = GOOD.format(email=rep.email)
    bad = text + "D-4,NOPE,x,won,1,,,,\nD-1,ACC-1,again,lead,1,,,,\nD-5,ACC-1,y,maybe,-3,,,,\n"
    response = client.post(
        "/api/opportunities/import", data={"file": (io.BytesIO(bad.encode()), "deals.csv")}
    )
    assert response.status_code == 422
    errors = {e["row"]: e["errors"] for e in response.get_json()["errors"]}
    assert set(errors) == {5, 6, 7}
    assert "account_external_id" in errors[5] and "external_id" in errors[6]
    assert set(errors[7]) == {"stage", "amount"}
    assert _count(db) == 0
    dry = client.post(
        "/api/opportunities/import?dry_run=1",
        data={"file": (io.BytesIO(text.encode()), "deals.csv")},
    )
    assert dry.status_code == 200 and dry.get_json()["created"] == 3 and _count(db) == 0
    done = client.post(
        "/api/opportunities/import", data={"file": (io.BytesIO(text.encode()), "deals.csv")}
    )
    assert done.status_code == 200 and done.get_json()["created"] == 3
    deals = {o["name"]: o for o in client.get("/api/opportunities").get_json()}
    assert deals["Pilot"]["closed_at"].startswith("2026-02-04T09:00:00")
    assert deals["Lost one"]["lost_reason"] == "price" and deals["Pilot"]["owner_id"] == rep.id
    again = client.post(
        "/api/opportunities/import", data={"file": (io.BytesIO(text.encode()), "deals.csv")}
    )
    assert again.get_json()["created"] == 0 and _count(db) == 3
    assert (
        login(rep)
        .post("/api/opportunities/import", data={"file": (io.BytesIO(text.encode()), "d.csv")})
        .status_code
        == 403
    )


def test_the_cli_imports_and_refuses_bad_files(
    db, runner, tmp_path, make_user, make_territory, make_account
):
    boss, rep = _setup(make_user, make_territory, make_account)
    path = tmp_path / "deals.csv"
    path.write_text(GOOD.format(email=rep.email) + "D-9,ACC-1,z,won,abc,,,,\n")
    result = runner.invoke(args=["import", "opportunities", str(path), "--as", boss.email])
    assert result.exit_code != 0 and "row 5" in result.output and _count(db) == 0
    path.write_text(GOOD.format(email=rep.email))
    result = runner.invoke(args=["import", "opportunities", str(path), "--as", boss.email])
    assert result.exit_code == 0, result.output
    assert "created 3" in result.output and _count(db) == 3
