"""A rep cannot make the reminder job POST to internal hosts through a push subscription."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from backend.reminders.models import ReminderSend
from backend.reminders.service.endpoints import endpoint_problem

BERLIN_0730 = datetime(2026, 11, 6, 6, 30, tzinfo=UTC)


def _public_dns(host: str) -> list[str]:
    """Public DNS lies outside this machine: a stand-in answering one public address."""
    return {"push.example.org": ["93.184.216.34"], "rebound.example.org": ["10.1.2.3"]}[host]


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://fcm.googleapis.com/fcm/send/abc",
        "https://updates.push.services.mozilla.com/wpush/v2/abc",
        "https://web.push.apple.com/QGx",
        "https://wns2-by3p.notify.windows.com/w/?token=abc",
    ],
)
def test_the_browsers_push_services_are_accepted_without_a_lookup(endpoint):
    def no_lookup(host):
        raise AssertionError("a named push service is not resolved")

    assert endpoint_problem(endpoint, resolve=no_lookup) is None


@pytest.mark.parametrize(
    "endpoint",
    [
        "https://internal.corp.example/push",
        "https://127.0.0.1/push",
        "https://169.254.169.254/latest/meta-data",
        "https://fcm.googleapis.com.evil.example/x",
    ],
)
def test_other_hosts_are_refused_by_default(endpoint):
    assert "not a known push service" in endpoint_problem(endpoint)


@pytest.mark.parametrize(
    ("endpoint", "why"),
    [
        ("https://localhost:8443/push", "loopback, private or link-local"),  # real resolver
        ("https://127.0.0.1/push", "loopback, private or link-local"),
        ("https://[::1]/push", "loopback, private or link-local"),
        ("https://10.0.0.7/push", "loopback, private or link-local"),
        ("https://192.168.1.20/push", "loopback, private or link-local"),
        ("https://169.254.169.254/latest", "loopback, private or link-local"),
        ("https://[::ffff:10.0.0.1]/push", "loopback, private or link-local"),
        ("https://[fe80::1]/push", "loopback, private or link-local"),
        ("https://no-such-host.invalid/push", "does not resolve"),  # real resolver
    ],
)
def test_with_any_host_allowed_internal_addresses_are_still_refused(endpoint, why):
    assert why in endpoint_problem(endpoint, allowed_hosts=["*"])


def test_with_any_host_allowed_a_public_one_passes_and_a_rebound_one_does_not():
    allowed = ["*"]
    assert (
        endpoint_problem("https://push.example.org/x", allowed_hosts=allowed, resolve=_public_dns)
        is None
    )
    problem = endpoint_problem(
        "https://rebound.example.org/x", allowed_hosts=allowed, resolve=_public_dns
    )
    assert "private" in problem


def test_subscribing_an_internal_endpoint_is_a_422_with_the_reason(
    push_app, push_service, make_user, login, monkeypatch
):
    client = login(make_user())
    keys = push_service.subscribe()["keys"]
    metadata = {"endpoint": "https://169.254.169.254/latest/meta-data", "keys": keys}
    response = client.post("/api/push/subscriptions", json=metadata)
    assert response.status_code == 422, response.get_json()
    assert "not a known push service" in response.get_json()["errors"]["json"]["endpoint"][0]

    monkeypatch.setitem(push_app.config, "PUSH_SERVICE_HOSTS", "*")
    monkeypatch.setitem(push_app.config, "PUSH_ALLOW_LOCAL_HTTP", False)  # as in production
    for endpoint in ("https://169.254.169.254/latest", "https://localhost:9999/push"):
        response = client.post("/api/push/subscriptions", json={"endpoint": endpoint, "keys": keys})
        assert response.status_code == 422, endpoint
        assert (
            "loopback, private or link-local"
            in response.get_json()["errors"]["json"]["endpoint"][0]
        )
    assert client.get("/api/push/subscriptions").get_json() == []


def test_an_endpoint_refused_since_it_was_saved_gets_no_post(
    push_app, push_service, db, make_user, make_account, add_device, run_at, monkeypatch
):
    rep = make_user(time_zone="Europe/Berlin")
    make_account(owner=rep, tier="A")
    phone = add_device(rep)  # saved while this machine's push service was allowed
    monkeypatch.setitem(push_app.config, "PUSH_ALLOW_LOCAL_HTTP", False)

    run_at(BERLIN_0730)

    assert push_service.delivered(phone) == []
    [send] = db.session.scalars(select(ReminderSend)).all()
    assert send.status == "failed" and send.detail.startswith("endpoint refused:")
    assert send.retry_at is None
