"""Delivery against the real local push service: encryption, VAPID, outcomes, retries, headers."""

import json
import socket
import time
from typing import Any

import pytest

from backend.reminders.webpush import delivery, vapid
from backend.reminders.webpush.delivery import Outcome, PushMessage, RetryPolicy

from .push_service import PushService, Reply

SUBJECT = "mailto:ops@fieldrep.example"
NO_JITTER = RetryPolicy(max_attempts=3, base_delay=1.0, max_delay=30.0, jitter=False)
REMINDER = {
    "title": "Overdue: Bäckerei Huber",
    "body": "tier A: 0 of 2 visits this month, last visit 19 days ago",
    "url": "/accounts/17",
}


class Sleeps(list[float]):
    """An injected sleep that records instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


@pytest.fixture
def push(vapid_key: vapid.VapidKey, sleeps: Sleeps):
    """send() with our key, a one-hour TTL and recorded sleeps; keywords override."""

    def _push(subscription: dict[str, Any], payload: Any = REMINDER, **kw: Any):
        options = {
            "vapid_private_key": vapid_key,
            "subject": SUBJECT,
            "ttl_seconds": 3600,
            "retry": NO_JITTER,
            "sleep": sleeps,
            "timeout": 5.0,
        }
        return delivery.send(subscription, payload, **{**options, **kw})

    return _push


def test_payload_arrives_decrypted_and_signed_with_our_key(push_service, push, vapid_key):
    sub = push_service.subscribe()

    result = push(sub)

    assert (result.status, result.attempts, result.http_status) == (Outcome.DELIVERED, 1, 201)
    [received] = push_service.delivered(sub)
    assert json.loads(received.text) == REMINDER
    assert received.vapid_key == vapid.application_server_key(vapid_key)
    assert received.claims["aud"] == push_service.origin
    assert received.claims["sub"] == SUBJECT
    assert abs(received.claims["exp"] - (time.time() + 12 * 3600)) < 60
    assert push_service.failures == []


def test_plain_text_and_env_string_key(push_service, push, vapid_key):
    sub = push_service.subscribe()

    result = push(sub, "Zürich stop moved to 14:00", vapid_private_key=vapid.private_pem(vapid_key))

    assert result.status is Outcome.DELIVERED
    assert push_service.texts(sub) == ["Zürich stop moved to 14:00"]


def test_service_rejects_another_application_server_key(push_service, push):
    sub = push_service.subscribe()

    result = push(sub, vapid_private_key=vapid.generate())

    assert (result.status, result.http_status) == (Outcome.CONFIG_ERROR, 403)
    assert push_service.texts(sub) == []
    assert [f.status for f in push_service.failures] == [403]


def test_service_rejects_a_token_not_signed_by_the_key_it_names(push_service, vapid_key):
    sub = push_service.subscribe()
    forger = vapid.generate()
    auth = forger.sign(delivery.vapid_claims(sub["endpoint"], SUBJECT, time.time()))
    ours = vapid.application_server_key(vapid_key)
    auth["Authorization"] = auth["Authorization"].split(",k=")[0] + f",k={ours}"

    status = _raw_post(sub, auth)

    assert status == 401
    assert push_service.texts(sub) == []
    assert "InvalidSignature" in push_service.failures[0].reason


@pytest.mark.parametrize(
    "tamper",
    [
        {"aud": "https://push.example.net"},
        {"exp": int(time.time()) - 10},
        {"exp": int(time.time()) + 25 * 3600},
        {"sub": ""},
    ],
    ids=["wrong-aud", "expired", "too-long", "no-sub"],
)
def test_service_checks_the_claims(push_service, vapid_key, tamper):
    from py_vapid.jwt import sign

    sub = push_service.subscribe()
    claims = {**delivery.vapid_claims(sub["endpoint"], SUBJECT, time.time()), **tamper}
    token = sign(claims, vapid_key.private_key)
    auth = {"Authorization": f"vapid t={token},k={vapid.application_server_key(vapid_key)}"}

    assert _raw_post(sub, auth) == 401
    assert push_service.texts(sub) == []


def test_undecryptable_body_is_refused(push_service, push):
    sub = push_service.subscribe()
    corrupted = {**sub, "keys": {**sub["keys"], "auth": "AAAAAAAAAAAAAAAAAAAAAA"}}

    result = push(corrupted)

    assert (result.status, result.http_status) == (Outcome.CONFIG_ERROR, 400)
    assert push_service.texts(sub) == []
    assert "cannot decrypt" in push_service.failures[0].reason


@pytest.mark.parametrize("status", [404, 410])
def test_expired_subscription_is_gone(push_service, push, sleeps, status):
    sub = push_service.subscribe()
    push_service.expire(sub, status)

    result = push(sub)

    assert (result.status, result.attempts, result.http_status) == (Outcome.GONE, 1, status)
    assert sleeps == []


def test_429_then_201_is_delivered_after_retry_after(push_service, push, sleeps):
    sub = push_service.subscribe()
    push_service.fail(sub, 429, Retry_After="3")

    result = push(sub)

    assert (result.status, result.attempts, result.http_status) == (Outcome.DELIVERED, 2, 201)
    assert sleeps == [3.0]  # Retry-After beats the 1 s backoff
    assert push_service.answers(sub) == [429, 201]
    assert len(push_service.texts(sub)) == 1


def test_persistent_500_retries_with_backoff_then_gives_up(push_service, push, sleeps):
    sub = push_service.subscribe()
    push_service.fail(sub, 500, times=10)

    result = push(sub)

    assert (result.status, result.attempts, result.http_status) == (Outcome.FAILED, 3, 500)
    assert sleeps == [1.0, 2.0]
    assert push_service.answers(sub) == [500, 500, 500]
    assert push_service.texts(sub) == []


def test_long_retry_after_is_handed_back_instead_of_blocking(push_service, push, sleeps):
    sub = push_service.subscribe()
    push_service.fail(sub, 503, Retry_After="3600")

    result = push(sub)

    assert (result.status, result.attempts, result.retry_after) == (Outcome.FAILED, 1, 3600.0)
    assert sleeps == []


def test_connection_refused_is_transient(push, sleeps, vapid_key):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with PushService() as other:  # only to mint valid subscription keys
        sub = other.subscribe()
    sub = {**sub, "endpoint": f"http://127.0.0.1:{port}/push/x"}

    result = push(sub)

    assert (result.status, result.attempts, result.http_status) == (Outcome.FAILED, 3, None)
    assert "connection error" in result.message
    assert sleeps == [1.0, 2.0]


@pytest.mark.parametrize("status", [400, 401, 403, 413])
def test_client_errors_are_configuration_errors_not_gone(push_service, push, sleeps, status):
    sub = push_service.subscribe()
    push_service.script(sub, Reply(status))

    result = push(sub)

    assert (result.status, result.attempts, result.http_status) == (
        Outcome.CONFIG_ERROR,
        1,
        status,
    )
    assert sleeps == []


def test_newer_message_with_same_topic_replaces_undelivered_one(push_service, push):
    sub = push_service.subscribe(online=False)

    push(sub, "digest v1", topic="digest:rep-4:2026-11-24")
    push(sub, "overdue acct 9", topic="overdue:acct-9")
    push(sub, "digest v2", topic="digest:rep-4:2026-11-24")

    assert [m.text for m in push_service.pending(sub)] == ["overdue acct 9", "digest v2"]
    push_service.set_online(sub, True)
    assert push_service.texts(sub) == ["overdue acct 9", "digest v2"]


def test_ttl_and_urgency_and_topic_headers_arrive(push_service, push):
    sub = push_service.subscribe()

    push(sub, ttl_seconds=7200, urgency="high", topic="overdue:acct-17")

    [received] = push_service.delivered(sub)
    assert (received.ttl, received.urgency) == (7200, "high")
    assert received.topic == delivery.topic_header("overdue:acct-17")


def test_ttl_zero_is_dropped_for_an_offline_browser(push_service, push):
    sub = push_service.subscribe(online=False)

    assert push(sub, ttl_seconds=0).status is Outcome.DELIVERED  # accepted by the service...
    push_service.set_online(sub, True)
    assert push_service.texts(sub) == []  # ...but never shown


@pytest.mark.parametrize(
    ("payload", "options"),
    [
        ("x" * (delivery.MAX_PAYLOAD_BYTES + 1), {}),
        ("", {}),
        ("ok", {"urgency": "urgent"}),
        ("ok", {"ttl_seconds": -1}),
    ],
    ids=["too-big", "empty", "bad-urgency", "negative-ttl"],
)
def test_invalid_requests_fail_before_sending(push_service, push, payload, options):
    sub = push_service.subscribe()

    result = push(sub, payload, **options)

    assert (result.status, result.attempts) == (Outcome.CONFIG_ERROR, 0)
    assert push_service.post_count == 0


def test_send_many_keeps_order_and_connections(push_service, vapid_key):
    subs = [push_service.subscribe() for _ in range(40)]
    push_service.expire(subs[7])
    messages = [PushMessage(s, {"title": f"stop {i}"}, ttl_seconds=600) for i, s in enumerate(subs)]

    results = delivery.send_many(messages, vapid_private_key=vapid_key, subject=SUBJECT, workers=4)

    assert [r.endpoint for r in results] == [s["endpoint"] for s in subs]
    assert [r.status for r in results].count(Outcome.DELIVERED) == 39
    assert results[7].status is Outcome.GONE
    assert json.loads(push_service.texts(subs[12])[0]) == {"title": "stop 12"}
    assert push_service.connection_count <= 4  # one kept-alive connection per worker


def test_topic_header_is_valid_and_stable():
    topics = ["a", "overdue:acct-17", "x" * 500, "Ümlaut / space"]
    headers = [delivery.topic_header(t) for t in topics]
    assert all(len(h) == 32 and h.replace("-", "").replace("_", "").isalnum() for h in headers)
    assert len(set(headers)) == len(topics)
    assert delivery.topic_header("a") == headers[0]


def test_retry_after_accepts_seconds_and_http_dates():
    from email.utils import formatdate

    assert delivery.parse_retry_after("120") == 120.0
    assert 50 < delivery.parse_retry_after(formatdate(time.time() + 60, usegmt=True)) <= 60
    assert delivery.parse_retry_after(formatdate(time.time() - 60, usegmt=True)) == 0.0
    assert delivery.parse_retry_after("soon") is None
    assert delivery.parse_retry_after(None) is None


def _raw_post(sub: dict[str, Any], auth: dict[str, str]) -> int:
    """POST a correctly encrypted body with hand-made Authorization headers."""
    from pywebpush import WebPusher

    response = WebPusher(sub).send(b"hello", auth, ttl=60, timeout=5)
    return response.status_code


def test_a_subscription_with_broken_keys_is_a_result_not_an_exception(push_service, push):
    sub = push_service.subscribe()
    broken = {**sub, "keys": {**sub["keys"], "p256dh": "BAAA" + sub["keys"]["p256dh"][4:]}}

    result = push(broken)

    assert (result.status, result.attempts) == (Outcome.CONFIG_ERROR, 0)
    assert push_service.post_count == 0


def test_validate_subscription(push_service):
    sub = push_service.subscribe()
    https = {**sub, "endpoint": "https://fcm.googleapis.com/fcm/send/abc"}

    assert delivery.validate_subscription(https)["keys"] == sub["keys"]
    assert delivery.validate_subscription(sub, allow_http=True)["endpoint"] == sub["endpoint"]
    for bad in [
        sub,  # plain http is only for local tests
        {**https, "endpoint": "file:///etc/passwd"},
        {**https, "keys": {"p256dh": sub["keys"]["p256dh"]}},
        {**https, "keys": {**sub["keys"], "auth": "c2hvcnQ"}},
        {**https, "keys": {**sub["keys"], "p256dh": sub["keys"]["auth"]}},
        {"endpoint": https["endpoint"]},
    ]:
        with pytest.raises(ValueError):
            delivery.validate_subscription(bad)
