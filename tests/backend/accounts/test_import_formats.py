"""CRM exports as they come out of Excel: Windows-1252, semicolons, sloppy headers."""

import csv
import io

import pytest
from sqlalchemy import select

from backend.accounts.models import Account
from tests.backend.accounts.test_importer import _csv, _rows


@pytest.fixture
def setup(make_user, make_territory):
    """An admin, and a rep of the territory "Nord" the rows are imported into."""
    territory = make_territory(make_user("manager"), name="Nord")
    rep = make_user("rep", territory=territory)
    return make_user("admin"), None, rep, territory


def _upload_bytes(client, data: bytes):
    return client.post(
        "/api/accounts/import",
        data={"file": (io.BytesIO(data), "accounts.csv")},
        content_type="multipart/form-data",
    )


def _names(db) -> list[str]:
    return sorted(db.session.scalars(select(Account.name)))


def test_a_windows_1252_file_keeps_its_umlauts(db, login, setup):
    admin, _, rep, territory = setup
    rows = _rows(2, rep.email, territory.name)
    rows[0]["name"] = "Bäckerei Müller – Café"
    response = _upload_bytes(login(admin), _csv(rows).encode("cp1252"))
    assert response.status_code == 200, response.get_json()
    assert "Bäckerei Müller – Café" in _names(db)
    assert not any("\ufffd" in name for name in _names(db))


def test_a_file_in_no_known_encoding_is_refused_with_a_clear_message(db, login, setup):
    admin, _, rep, territory = setup
    data = _csv(_rows(1, rep.email, territory.name)).encode() + b"\x81\x8d\x90 bad"
    response = _upload_bytes(login(admin), data)
    assert response.status_code == 422
    message = response.get_json()["errors"]["files"]["file"][0]
    assert "UTF-8" in message
    assert _names(db) == []


def test_a_semicolon_delimited_file_is_sniffed(db, login, setup):
    admin, _, rep, territory = setup
    text = _csv(_rows(3, rep.email, territory.name))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    for row in csv.reader(io.StringIO(text)):
        writer.writerow(row)
    response = _upload_bytes(login(admin), out.getvalue().encode())
    assert response.status_code == 200, response.get_json()
    assert _names(db) == ["Customer 0", "Customer 1", "Customer 2"]


def test_a_duplicated_header_column_is_an_error(db, login, setup):
    admin, _, rep, territory = setup
    text = _csv(_rows(1, rep.email, territory.name))
    header, rest = text.split("\r\n", 1)
    response = _upload_bytes(login(admin), (header + ",Name\r\n" + rest).encode())
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert "given twice: name" in str(errors)
    assert _names(db) == []


def test_the_cli_reads_a_windows_1252_file(db, runner, setup, tmp_path):
    _, _, rep, territory = setup
    rows = _rows(1, rep.email, territory.name)
    rows[0]["name"] = "Größe & Söhne"
    path = tmp_path / "export.csv"
    path.write_bytes(_csv(rows).encode("cp1252"))
    result = runner.invoke(args=["import", "accounts", str(path)])
    assert result.exit_code == 0, result.output
    assert _names(db) == ["Größe & Söhne"]
