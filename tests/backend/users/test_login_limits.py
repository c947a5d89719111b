"""Failed logins are limited per account and client address, behind a configured proxy too."""

from __future__ import annotations

from pathlib import Path

from backend import create_app
from backend.core.extensions import db as _db
from backend.users import service as users
from tests.conftest import PASSWORD


def _fail(client, email, **kw):
    return client.post("/api/auth/login", json={"email": email, "password": "bad"}, **kw)


def _login(client, email, **kw):
    return client.post("/api/auth/login", json={"email": email, "password": PASSWORD}, **kw)


def test_one_accounts_failures_do_not_lock_out_colleagues_behind_the_same_address(
    client, make_user
):
    anna, ben = make_user("rep"), make_user("rep")
    assert [_fail(client, anna.email).status_code for _ in range(6)] == [401] * 5 + [429]
    assert _login(client, anna.email).status_code == 429  # anna waits...
    assert _login(client, ben.email).status_code == 200  # ...ben, at the same address, does not


def test_one_address_trying_many_accounts_is_limited(app, client, make_user, monkeypatch):
    monkeypatch.setitem(app.config, "LOGIN_ADDRESS_RATE_LIMIT", "4 per 5 minutes")
    reps = [make_user("rep") for _ in range(5)]
    codes = [_fail(client, rep.email).status_code for rep in reps]
    assert codes == [401] * 4 + [429]


def test_without_a_trusted_proxy_a_forged_forwarded_address_changes_nothing(client, make_user):
    anna = make_user("rep")
    codes = [
        _fail(client, anna.email, headers={"X-Forwarded-For": f"198.51.100.{i}"}).status_code
        for i in range(6)
    ]
    assert codes == [401] * 5 + [429]


def test_behind_a_configured_proxy_the_forwarded_client_address_counts(scratch_db_url, tmp_path):
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": scratch_db_url,
            "SECRET_KEY": "test-secret",
            "PROXY_HOPS": 1,
        }
    )
    app.instance_path = str(tmp_path)
    Path(app.instance_path).mkdir(exist_ok=True)
    try:
        with app.app_context():
            _db.create_all()
            users.create_user(
                email="anna@example.com",
                name="Anna",
                password=PASSWORD,
                hash_method="pbkdf2:sha256:1000",
            )
            _db.session.commit()
        client = app.test_client()
        office = {"X-Forwarded-For": "203.0.113.5", "X-Forwarded-Proto": "https"}
        home = {"X-Forwarded-For": "203.0.113.99", "X-Forwarded-Proto": "https"}
        codes = [_fail(client, "anna@example.com", headers=office).status_code for _ in range(6)]
        assert codes == [401] * 5 + [429]
        # The proxy's own address is the same; the client behind it is another one.
        assert _login(app.test_client(), "anna@example.com", headers=home).status_code == 200
        assert _login(app.test_client(), "anna@example.com", headers=office).status_code == 429
    finally:
        with app.app_context():
            _db.session.remove()
            _db.drop_all()
            _db.engine.dispose()


def test_an_unknown_email_is_checked_against_a_hash_as_costly_as_a_real_one(
    app, db, client, make_user, monkeypatch
):
    real = users.hash_password("x", method="scrypt")
    monkeypatch.setitem(app.config, "PASSWORD_HASH_METHOD", "scrypt")
    checked = []
    original = users.check_password_hash

    def spy(pwhash, password):
        checked.append(pwhash)
        return original(pwhash, password)

    monkeypatch.setattr(users, "check_password_hash", spy)
    assert _fail(client, "nobody@example.com").status_code == 401
    [dummy] = checked
    # Same method and work factor (werkzeug's "scrypt:N:r:p$salt$hash"): the same cost.
    assert dummy.split("$")[0] == real.split("$")[0]
