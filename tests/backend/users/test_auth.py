"""Login, logout, /api/me, rate limiting and CSRF."""

from tests.conftest import PASSWORD


def test_login_me_logout(client, make_user):
    rep = make_user("rep", name="Rita Rep")
    response = client.post("/api/auth/login", json={"email": rep.email, "password": PASSWORD})
    assert response.status_code == 200
    token = response.get_json()["csrf_token"]
    me = client.get("/api/me").get_json()
    assert me["email"] == rep.email and me["role"] == "rep" and me["name"] == "Rita Rep"
    assert me["home"] == {"lat": 48.137, "lon": 11.575}
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": token}).status_code == 204
    assert client.get("/api/me").status_code == 401


def test_email_is_case_insensitive(client, make_user):
    rep = make_user("rep", email="Mixed.Case@Example.com")
    response = client.post(
        "/api/auth/login", json={"email": "MIXED.case@example.com", "password": PASSWORD}
    )
    assert response.status_code == 200
    assert rep.email == "mixed.case@example.com"


def test_wrong_password_is_401_in_the_envelope(client, make_user):
    rep = make_user("rep")
    response = client.post("/api/auth/login", json={"email": rep.email, "password": "nope"})
    assert response.status_code == 401
    body = response.get_json()
    assert body["code"] == 401 and body["message"] == "Wrong email or password."
    unknown = client.post("/api/auth/login", json={"email": "x@y.com", "password": "nope"})
    assert unknown.status_code == 401


def test_repeated_failures_are_rate_limited(client, make_user):
    rep = make_user("rep")
    codes = [
        client.post("/api/auth/login", json={"email": rep.email, "password": "bad"}).status_code
        for _ in range(6)
    ]
    assert codes[:5] == [401] * 5
    assert codes[5] == 429
    # Even the right password waits until the window passes: the attacker learns nothing.
    blocked = client.post("/api/auth/login", json={"email": rep.email, "password": PASSWORD})
    assert blocked.status_code == 429
    assert blocked.get_json()["code"] == 429


def test_successful_logins_do_not_count_against_the_limit(client, make_user):
    rep = make_user("rep")
    for _ in range(8):
        ok = client.post("/api/auth/login", json={"email": rep.email, "password": PASSWORD})
        assert ok.status_code == 200


def test_writes_without_csrf_token_are_refused(client, make_user):
    rep = make_user("rep")
    client.post("/api/auth/login", json={"email": rep.email, "password": PASSWORD})
    response = client.post("/api/accounts", json={"name": "X", "lat": 48.1, "lon": 11.5})
    assert response.status_code == 403
    assert response.get_json()["code"] == 403 and "CSRF" in response.get_json()["message"]


def test_anonymous_writes_answer_401(client):
    response = client.post("/api/accounts", json={"name": "X", "lat": 48.1, "lon": 11.5})
    assert response.status_code == 401
    assert response.get_json()["message"] == "Log in first."


def test_api_needs_login(client):
    assert client.get("/api/accounts").status_code == 401
    assert client.get("/api/me").get_json()["code"] == 401


def test_session_cookie_is_httponly_and_lax(client, make_user):
    rep = make_user("rep")
    response = client.post("/api/auth/login", json={"email": rep.email, "password": PASSWORD})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_a_cookie_captured_before_logout_is_dead_after_it(app, client, make_user):
    rep = make_user("rep")
    login = client.post("/api/auth/login", json={"email": rep.email, "password": PASSWORD})
    token = login.get_json()["csrf_token"]
    captured = client.get_cookie("session").value
    assert client.post("/api/auth/logout", headers={"X-CSRF-Token": token}).status_code == 204
    attacker = app.test_client()
    attacker.set_cookie("session", captured)
    replay = attacker.get("/api/me")
    assert replay.status_code == 401 and replay.get_json()["code"] == 401
    # Logging in again works and gives a new, working session.
    again = app.test_client()
    assert (
        again.post("/api/auth/login", json={"email": rep.email, "password": PASSWORD}).status_code
        == 200
    )
    assert again.get("/api/me").status_code == 200
