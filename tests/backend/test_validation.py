"""Bad input answers 422 with field messages in the one error envelope, never 500."""

import pytest


@pytest.fixture
def rep_client(login, make_user):
    return login(make_user("rep"))


@pytest.mark.parametrize(
    ("body", "field", "fragment"),
    [
        ({"name": "X", "lat": 48, "lon": 11, "colour": "red"}, "colour", "Unknown field"),
        ({"name": "X", "lat": "north", "lon": 11}, "lat", "valid number"),
        ({"lat": 48, "lon": 11}, "name", "Missing data"),
        ({"name": "X", "lat": 95, "lon": 11}, "lat", "between -90"),
        ({"name": "X", "lat": 48, "lon": 11, "kare": "hold"}, "kare", "one of"),
        (
            {"name": "X", "lat": 48, "lon": 11, "opening_hours": {"mon": [["12:00", "08:00"]]}},
            "opening_hours",
            "before it opens",
        ),
        (
            {"name": "X", "lat": 48, "lon": 11, "opening_hours": {"funday": []}},
            "opening_hours",
            "Unknown weekday",
        ),
    ],
)
def test_bad_account_input_is_422_with_field_messages(rep_client, body, field, fragment):
    response = rep_client.post("/api/accounts", json=body)
    assert response.status_code == 422
    envelope = response.get_json()
    assert envelope["code"] == 422 and envelope["status"] == "Unprocessable Entity"
    messages = envelope["errors"]["json"][field]
    assert fragment in json_text(messages)


def json_text(messages) -> str:
    import json

    return json.dumps(messages)


def test_bad_query_args_are_422(rep_client):
    response = rep_client.get("/api/accounts?owner_id=abc")
    assert response.status_code == 422
    assert "owner_id" in response.get_json()["errors"]["query"]


@pytest.mark.parametrize(
    "payload",
    ["not json at all", "[1, 2, 3]", '{"name": null}', "null", '{"lat": 1e400}'],
)
def test_garbage_bodies_never_500(rep_client, payload):
    response = rep_client.post(
        "/api/accounts", data=payload, headers={"Content-Type": "application/json"}
    )
    assert 400 <= response.status_code < 500
    assert response.get_json()["code"] == response.status_code


def test_unknown_route_is_enveloped_404(rep_client):
    response = rep_client.get("/api/nope")
    assert response.status_code == 404
    assert response.get_json()["code"] == 404
