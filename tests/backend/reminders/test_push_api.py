"""The push API: VAPID public key, a user's devices, preferences; and ``fieldrep vapid init``."""

import base64

from backend.reminders.webpush import vapid


def _b64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def test_vapid_public_key_is_our_key_and_stable(push_app, client, vapid_key):
    first = client.get("/api/push/vapid-public-key")
    second = client.get("/api/push/vapid-public-key")

    assert first.status_code == 200
    key = first.get_json()["key"]
    assert key == second.get_json()["key"] == vapid.application_server_key(vapid_key)
    assert len(_b64(key)) == 65 and _b64(key)[0] == 4  # uncompressed P-256 point


def test_vapid_init_creates_the_key_once_and_the_api_serves_it(
    app, db, runner, tmp_path, monkeypatch
):
    key_file = tmp_path / "vapid.pem"
    monkeypatch.setitem(app.config, "VAPID_KEY_FILE", str(key_file))
    monkeypatch.setitem(app.config, "VAPID_PRIVATE_KEY", None)
    monkeypatch.delitem(app.extensions, "fieldrep_vapid", raising=False)

    created = runner.invoke(args=["vapid", "init"])
    again = runner.invoke(args=["vapid", "init"])
    served = app.test_client().get("/api/push/vapid-public-key").get_json()["key"]
    app.extensions.pop("fieldrep_vapid", None)

    assert created.exit_code == 0 and "Created" in created.output
    assert "already exists" in again.output and "kept" in again.output
    public = vapid.application_server_key(vapid.load(key_file))
    assert served == public
    assert f"Public key: {public}" in created.output and f"Public key: {public}" in again.output
    assert key_file.stat().st_mode & 0o077 == 0


def test_two_devices_resubscribe_and_delete(push_app, push_service, make_user, login):
    rep = make_user()
    phone_browser = login(rep)
    phone, laptop = push_service.subscribe(), push_service.subscribe()

    assert phone_browser.post("/api/push/subscriptions", json=phone).status_code == 201
    assert phone_browser.post("/api/push/subscriptions", json=laptop).status_code == 201
    renewed = {**phone, "keys": push_service.subscribe()["keys"]}  # same endpoint, new keys
    assert phone_browser.post("/api/push/subscriptions", json=renewed).status_code == 201

    devices = phone_browser.get("/api/push/subscriptions").get_json()
    assert len(devices) == 2
    assert all(d["origin"] == push_service.origin for d in devices)
    assert all("/push/" not in str(d) for d in devices)  # the endpoint path stays private

    gone = phone_browser.delete("/api/push/subscriptions", json={"endpoint": laptop["endpoint"]})
    assert gone.status_code == 204
    assert len(phone_browser.get("/api/push/subscriptions").get_json()) == 1


def test_a_device_that_changes_hands_moves_to_the_new_user(
    push_app, push_service, make_user, login
):
    alice, bob = make_user(), make_user()
    shared = push_service.subscribe()
    login(alice).post("/api/push/subscriptions", json=shared)

    login(bob).post("/api/push/subscriptions", json=shared)

    assert login(alice).get("/api/push/subscriptions").get_json() == []
    assert len(login(bob).get("/api/push/subscriptions").get_json()) == 1


def test_bad_subscriptions_are_422(push_app, push_service, make_user, login, monkeypatch):
    client = login(make_user())
    good = push_service.subscribe()
    bad_key = {**good, "keys": {"p256dh": "AAAA", "auth": good["keys"]["auth"]}}
    no_keys = {"endpoint": good["endpoint"]}
    plain_http_remote = {**good, "endpoint": "http://push.example.com/push/1"}

    for body in (bad_key, no_keys, plain_http_remote, {"endpoint": 3, "keys": {}}):
        response = client.post("/api/push/subscriptions", json=body)
        assert response.status_code == 422, body
        assert response.get_json()["errors"]

    # Outside tests, even a local http endpoint is refused: browsers only give https ones.
    monkeypatch.setitem(push_app.config, "PUSH_ALLOW_LOCAL_HTTP", False)
    assert client.post("/api/push/subscriptions", json=good).status_code == 422
    assert client.get("/api/push/subscriptions").get_json() == []


def test_push_endpoints_need_a_login(push_app, client):
    assert client.get("/api/push/subscriptions").status_code == 401
    assert client.get("/api/push/preferences").status_code == 401


def test_preferences_defaults_and_partial_update(push_app, make_user, login):
    client = login(make_user(time_zone="America/Chicago"))

    defaults = client.get("/api/push/preferences").get_json()
    changed = client.put(
        "/api/push/preferences",
        json={"mute": {"overdue_alert": True}, "digest_hour": 6, "quiet_hours": None},
    )
    bad = client.put(
        "/api/push/preferences", json={"digest_hour": 24, "quiet_hours": {"start": "7"}}
    )

    assert defaults == {
        "mute": {"digest": False, "overdue_alert": False},
        "digest_hour": 7,
        "quiet_hours": {"start": "21:00", "end": "07:00"},
        "weekends_off": True,
        "time_zone": "America/Chicago",
    }
    assert changed.status_code == 200
    assert changed.get_json() == {
        **defaults,
        "mute": {"digest": False, "overdue_alert": True},
        "digest_hour": 6,
        "quiet_hours": None,
    }
    assert client.get("/api/push/preferences").get_json() == changed.get_json()
    assert bad.status_code == 422
    assert set(bad.get_json()["errors"]["json"]) == {"digest_hour", "quiet_hours"}
