"""CRM import: big files, re-imports, bad rows, geocoding through a Nominatim-format server."""

import csv
import io
import json

import pytest
from sqlalchemy import func, select

from backend.accounts.models import Account
from tests.support.http_stub import StubServer

HEADER = [
    "external_id",
    "name",
    "address",
    "lat",
    "lon",
    "tier",
    "kare",
    "status",
    "owner_email",
    "territory",
    "revenue",
    "cost_to_serve",
    "opening_hours",
]


def _csv(rows: list[dict]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=HEADER)
    writer.writeheader()
    writer.writerows(rows)
    return out.getvalue()


def _rows(n: int, owner: str, territory: str, start: int = 0) -> list[dict]:
    return [
        {
            "external_id": f"SF-{i:05d}",
            "name": f"Customer {i}",
            "address": f"Hauptstr. {i}, München",
            "lat": f"{48.0 + (i % 100) * 0.003:.5f}",
            "lon": f"{11.4 + (i // 100) * 0.003:.5f}",
            "tier": "ABCCC"[i % 5],
            "kare": "keep",
            "status": "customer",
            "owner_email": owner,
            "territory": territory,
            "revenue": str(1000 + i),
            "cost_to_serve": "120.5",
            "opening_hours": "mon-fri 08:00-12:00,13:00-17:00; sat 09:00-12:00",
        }
        for i in range(start, start + n)
    ]


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Account))


@pytest.fixture
def setup(make_user, make_territory):
    manager = make_user("manager")
    territory = make_territory(manager, name="Nord")
    rep = make_user("rep", territory=territory)
    admin = make_user("admin")
    return admin, manager, rep, territory


def _upload(client, text: str, dry_run: bool = False):
    url = "/api/accounts/import" + ("?dry_run=1" if dry_run else "")
    data = {"file": (io.BytesIO(text.encode()), "accounts.csv")}
    return client.post(url, data=data, content_type="multipart/form-data")


def test_two_thousand_rows_import_and_reimport_updates(db, login, setup):
    admin, _, rep, territory = setup
    client = login(admin)
    rows = _rows(2000, rep.email, territory.name)
    first = _upload(client, _csv(rows))
    assert first.status_code == 200, first.get_json()
    assert first.get_json()["created"] == 2000 and first.get_json()["written"] is True
    assert _count(db) == 2000
    rows[7]["name"] = "Customer 7 (renamed)"
    rows[8]["tier"] = "A"
    again = _upload(client, _csv(rows)).get_json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 2, 1998)
    assert _count(db) == 2000
    renamed = db.session.scalar(select(Account).where(Account.external_id == "SF-00007"))
    assert renamed.name == "Customer 7 (renamed)" and renamed.version == 2
    assert renamed.opening_hours["mon"] == [["08:00", "12:00"], ["13:00", "17:00"]]
    assert renamed.opening_hours["sun"] == []


def test_one_bad_row_writes_nothing_and_names_the_row(db, login, setup):
    admin, _, rep, territory = setup
    rows = _rows(50, rep.email, territory.name)
    rows[20]["lat"] = "95"
    rows[33]["opening_hours"] = "mon 12:00-08:00"
    rows[40]["owner_email"] = "ghost@example.com"
    response = _upload(login(admin), _csv(rows))
    assert response.status_code == 422
    report = response.get_json()
    assert report["written"] is False
    by_row = {e["row"]: e["errors"] for e in report["errors"]}
    # Row numbers count the header as row 1, like a spreadsheet.
    assert set(by_row) == {22, 35, 42}
    assert "lat" in by_row[22] and "opening_hours" in by_row[35] and "owner_email" in by_row[42]
    assert _count(db) == 0


def test_dry_run_reports_and_writes_nothing(db, login, setup):
    admin, _, rep, territory = setup
    response = _upload(login(admin), _csv(_rows(30, rep.email, territory.name)), dry_run=True)
    assert response.status_code == 200
    assert response.get_json()["created"] == 30 and response.get_json()["written"] is False
    assert _count(db) == 0


def test_manager_may_only_import_into_their_territories(db, login, make_territory, setup):
    _, manager, rep, _ = setup
    foreign = make_territory(name="Süd")
    response = _upload(login(manager), _csv(_rows(3, rep.email, foreign.name)))
    assert response.status_code == 422
    assert "territory" in response.get_json()["errors"][0]["errors"]
    assert login(rep).post("/api/accounts/import").status_code == 403


def test_rows_without_coordinates_are_geocoded_and_cached(app, db, login, setup):
    admin, _, rep, territory = setup

    def nominatim(path, query):
        if path != "/search":
            return 404, {}
        address = query["q"][0]
        if "Nowhere" in address:
            return 200, []
        return 200, [
            {
                "lat": "48.1500",
                "lon": "11.5800",
                "display_name": address,
                "place_id": 1,
                "boundingbox": ["48.1", "48.2", "11.5", "11.6"],
            }
        ]

    rows = _rows(4, rep.email, territory.name)
    for row in rows:
        row["lat"] = row["lon"] = ""
    rows[3]["address"] = rows[2]["address"]  # same address twice: asked once, then cached
    with StubServer(nominatim) as server:
        app.config["GEOCODER_URL"] = server.url
        response = _upload(login(admin), _csv(rows))
        assert response.status_code == 200, response.get_json()
        assert response.get_json()["geocoded"] == 4
        assert len(server.requests) == 3
        assert all(q["format"] == ["json"] for _, q in server.requests)
        rows.append({**rows[0], "external_id": "SF-X", "address": "Nowhere 1"})
        missing = _upload(login(admin), _csv(rows))
        assert missing.status_code == 422
        assert "no such address" in json.dumps(missing.get_json()["errors"])
    account = db.session.scalar(select(Account).where(Account.external_id == "SF-00001"))
    assert (account.lat, account.lon) == (48.15, 11.58)


def test_unreachable_geocoder_is_a_clear_row_error(app, db, login, setup):
    admin, _, rep, territory = setup
    rows = _rows(2, rep.email, territory.name)
    rows[1]["lat"] = rows[1]["lon"] = ""
    app.config["GEOCODER_URL"] = "http://127.0.0.1:9"  # nothing listens on the discard port
    app.config["GEOCODER_TIMEOUT_SECONDS"] = 1
    response = _upload(login(admin), _csv(rows))
    assert response.status_code == 422
    error = response.get_json()["errors"][0]
    assert (
        error["row"] == 3
        and "Geocoder at http://127.0.0.1:9 failed" in error["errors"]["address"][0]
    )
    assert _count(db) == 0


def test_cli_import_with_progress_and_dry_run(db, runner, setup, tmp_path):
    _, _, rep, territory = setup
    path = tmp_path / "export.csv"
    path.write_text(_csv(_rows(120, rep.email, territory.name)))
    dry = runner.invoke(args=["import", "accounts", str(path), "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would create 120" in dry.output and _count(db) == 0
    real = runner.invoke(args=["import", "accounts", str(path)])
    assert real.exit_code == 0 and "created 120" in real.output
    assert _count(db) == 120
    bad = tmp_path / "bad.csv"
    rows = _rows(3, rep.email, territory.name)
    rows[1]["tier"] = "Q"
    bad.write_text(_csv(rows))
    result = runner.invoke(args=["import", "accounts", str(bad)])
    assert (
        result.exit_code != 0
        and "row 3" in result.output
        and "nothing was written" in result.output
    )


def test_a_row_with_more_cells_than_headers_is_reported(db, login, setup):
    admin, _, rep, territory = setup
    text = _csv(_rows(3, rep.email, territory.name))
    lines = text.splitlines()
    lines[2] += ",surplus"  # the second data row, row 3 in spreadsheet terms
    response = _upload(login(admin), "\n".join(lines) + "\n")
    assert response.status_code == 422
    assert response.get_json()["errors"] == [
        {"row": 3, "errors": {"_row": ["More cells than headers."]}}
    ]
    assert _count(db) == 0
