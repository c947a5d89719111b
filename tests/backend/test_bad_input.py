"""Input the database or the parsers cannot take answers 404/422 in the envelope, never 500.

Ids past the database's integer range, NUL characters, lone UTF-16 surrogates, JSON nested a
thousand deep and dates near year 1 or 9999 each answered 500 before (the fuzzing run of issue 11).
"""

import io

import pytest

JSON = {"Content-Type": "application/json"}
TOO_BIG = "99999999999999999999"  # past int8
INT4_PLUS = str(2**31)  # past PostgreSQL's INTEGER


@pytest.fixture
def rep_setup(login, make_user, make_territory, make_account):
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    account = make_account(owner=rep, territory=territory)
    return login(rep), account


def field_errors(response, location):
    assert response.status_code == 422, response.get_data(as_text=True)
    body = response.get_json()
    assert body["code"] == 422 and body["status"] == "Unprocessable Entity"
    return body["errors"][location]


@pytest.mark.parametrize("account_id", [TOO_BIG, INT4_PLUS, "9" * 400])
@pytest.mark.parametrize("method", ["get", "patch", "delete"])
def test_an_id_that_cannot_exist_is_not_found(rep_setup, method, account_id):
    client, _ = rep_setup
    kwargs = {"json": {"name": "x"}} if method == "patch" else {}
    response = getattr(client, method)(f"/api/accounts/{account_id}", **kwargs)
    assert response.status_code == 404
    assert response.get_json()["code"] == 404


def test_route_stop_id_past_the_range_is_not_found(rep_setup):
    client, _ = rep_setup
    response = client.patch(f"/api/routes/2026-11-24/stops/{TOO_BIG}", json={"status": "done"})
    assert response.status_code == 404


@pytest.mark.parametrize("value", [TOO_BIG, INT4_PLUS, "-" + TOO_BIG])
@pytest.mark.parametrize("url", ["/api/accounts?owner_id={}", "/api/touches?account_id={}"])
def test_query_integers_past_the_range_are_422(rep_setup, url, value):
    client, _ = rep_setup
    errors = field_errors(client.get(url.format(value)), "query")
    assert any("between" in m for m in next(iter(errors.values())))


@pytest.mark.parametrize("value", [2**31, 2**70, -(2**63) - 1])
def test_body_integers_past_the_range_are_422(rep_setup, value):
    client, _ = rep_setup
    body = {"id": "8b1f6a8e-8a43-4d7c-9b5e-2a7f9f6f2b10", "account_id": value, "type": "call"}
    errors = field_errors(client.post("/api/touches", json=body), "json")
    assert "between" in errors["account_id"][0]


@pytest.mark.parametrize(
    ("raw", "message"),
    [
        ('{"name": "Bakery\\u0000", "lat": 48, "lon": 11}', "NUL"),
        ('{"name": "Bakery\\ud800", "lat": 48, "lon": 11}', "surrogate"),
        ('{"name": "Bakery\\udfff x", "lat": 48, "lon": 11}', "surrogate"),
    ],
)
def test_nul_and_lone_surrogates_in_strings_are_422(rep_setup, raw, message):
    client, _ = rep_setup
    errors = field_errors(client.post("/api/accounts", data=raw, headers=JSON), "json")
    assert message in errors["name"][0]
    assert [a["id"] for a in client.get("/api/accounts").get_json()] == [rep_setup[1].id]


def test_bad_characters_deep_inside_a_document_name_their_field(rep_setup):
    client, account = rep_setup
    body = {"contacts": [{"name": "Ann", "email": "a\u0000@example.com"}]}
    errors = field_errors(client.patch(f"/api/accounts/{account.id}", json=body), "json")
    assert errors == {"contacts": {"0": {"email": ["Must not contain NUL characters."]}}}


def test_nul_in_a_query_string_is_422(rep_setup):
    client, _ = rep_setup
    assert "q" in field_errors(client.get("/api/accounts?q=a%00b"), "query")


@pytest.mark.parametrize("depth", [1000, 100_000])
def test_json_nested_a_thousand_deep_is_422(rep_setup, depth):
    client, _ = rep_setup
    raw = '{"name": "x", "lat": 1, "lon": 1, "contacts": ' + "[" * depth + "]" * depth + "}"
    errors = field_errors(client.post("/api/accounts", data=raw, headers=JSON), "json")
    assert "Nested deeper" in str(errors)


@pytest.mark.parametrize("day", ["0001-01-01", "9999-12-31", "1899-12-31", "2200-01-01"])
def test_dates_that_would_overflow_are_422(rep_setup, day):
    client, account = rep_setup
    assert "date" in field_errors(client.get(f"/api/cadence/due?date={day}"), "query")
    assert "as_of" in field_errors(client.get(f"/api/reports/compliance?as_of={day}"), "query")
    assert "day" in field_errors(client.get(f"/api/routes/{day}"), "path")
    assert "day" in field_errors(client.post(f"/api/routes/{day}/plan", json={}), "path")
    touch = {
        "id": "8b1f6a8e-8a43-4d7c-9b5e-2a7f9f6f2b11",
        "account_id": account.id,
        "type": "call",
        "occurred_at": f"{day}T00:00:00+05:00",
    }
    assert "occurred_at" in field_errors(client.post("/api/touches", json=touch), "json")


def test_week_of_year_9999_is_422(rep_setup):
    client, _ = rep_setup
    assert "monday" in field_errors(client.get("/api/routes/week/9999-12-27"), "path")


def test_an_empty_patch_is_422_and_changes_nothing(rep_setup):
    client, account = rep_setup
    errors = field_errors(client.patch(f"/api/accounts/{account.id}", json={}), "json")
    assert "Nothing to change" in str(errors)
    version = client.get(f"/api/accounts/{account.id}").get_json()["version"]
    errors = field_errors(
        client.patch(f"/api/accounts/{account.id}", json={"base_version": version}), "json"
    )
    assert "Nothing to change" in str(errors)
    assert client.get(f"/api/accounts/{account.id}").get_json()["version"] == version


def test_an_empty_put_of_reminder_preferences_is_422(rep_setup):
    client, _ = rep_setup
    errors = field_errors(client.put("/api/push/preferences", json={}), "json")
    assert "Nothing to change" in str(errors)


def test_healthz_matches_its_documented_schema(client):
    spec = client.get("/api/openapi.json").get_json()
    ok = spec["paths"]["/healthz"]["get"]["responses"]["200"]
    ref = ok["content"]["application/json"]["schema"]["$ref"].rsplit("/", 1)[-1]
    schema = spec["components"]["schemas"][ref]
    body = client.get("/healthz").get_json()
    assert set(body) == set(schema["properties"]) and set(schema["required"]) == set(body)
    assert "503" in spec["paths"]["/healthz"]["get"]["responses"]


def test_an_upload_past_the_limit_is_413_with_a_clear_message(app, login, make_user):
    client = login(make_user("admin"))
    app.config["MAX_CONTENT_LENGTH"] = 1024
    try:
        response = client.post(
            "/api/accounts/import",
            data={"file": (io.BytesIO(b"name,lat,lon\n" * 200), "big.csv")},
            content_type="multipart/form-data",
        )
    finally:
        app.config["MAX_CONTENT_LENGTH"] = 10 * 2**20
    assert response.status_code == 413
    body = response.get_json()
    assert body["code"] == 413 and "larger than the limit" in body["message"]


def test_a_multipart_field_without_a_name_is_422(login, make_user):
    client = login(make_user("admin"))
    body = b"--b\r\nContent-Disposition: form-data\r\n\r\nvalue\r\n--b--\r\n"
    response = client.post(
        "/api/accounts/import", data=body, content_type="multipart/form-data; boundary=b"
    )
    assert response.status_code == 422
    assert response.get_json()["errors"]["form"]["_schema"] == ["A form field has no name."]
