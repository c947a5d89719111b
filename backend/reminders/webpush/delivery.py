"""Web-push delivery: aes128gcm payload, per-send VAPID claims, outcome classification, retries."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import logging
import os
import random
import threading
import time
import urllib.request
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from enum import StrEnum
from typing import Any
from urllib.parse import urlsplit

import requests
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import VapidException
from pywebpush import WebPusher, WebPushException

from backend.reminders.webpush.vapid import VapidKey, from_string

log = logging.getLogger(__name__)

URGENCIES = ("very-low", "low", "normal", "high")
# One 4096-byte aes128gcm record: 86-byte header (salt, rs, 65-byte key id), 16-byte tag and
# the 1-byte padding delimiter leave this much plaintext. Push services reject more with 413.
MAX_PAYLOAD_BYTES = 4096 - 86 - 16 - 1
JWT_LIFETIME_SECONDS = 12 * 3600
MAX_TTL_SECONDS = 28 * 24 * 3600  # FCM and Mozilla cap TTL at four weeks


class Outcome(StrEnum):
    """What the caller should do with the subscription after a send."""

    DELIVERED = "delivered"
    GONE = "gone"  # the subscription expired or was revoked: delete it
    FAILED = "failed"  # transient trouble outlasted the retries: try again later, keep it
    CONFIG_ERROR = "config_error"  # our request is wrong (key, claims, size): fix config, keep it


@dataclass(frozen=True)
class DeliveryResult:
    """The outcome of one push message after any retries."""

    status: Outcome
    attempts: int
    http_status: int | None
    message: str
    endpoint: str
    retry_after: float | None = None  # seconds the push service asked us to wait, if it did


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded exponential backoff for 429, 5xx and connection errors."""

    max_attempts: int = 4
    base_delay: float = 1.0
    max_delay: float = 30.0
    jitter: bool = True

    def delay(self, attempt: int, retry_after: float | None) -> float | None:
        """Seconds to wait before the next attempt, or None when waiting that long is not worth it."""
        backoff = min(self.max_delay, self.base_delay * 2 ** (attempt - 1))
        if self.jitter:
            # Spread retries of a large fan-out so they do not hit the service in lockstep.
            backoff *= random.uniform(0.5, 1.0)
        if retry_after is None:
            return backoff
        if retry_after > self.max_delay:
            return None  # blocking a worker that long is worse than re-queueing the job
        return max(backoff, retry_after)


DEFAULT_RETRY = RetryPolicy()


@dataclass(frozen=True)
class PushMessage:
    """One message for send_many: where it goes and how the push service should treat it."""

    subscription: Mapping[str, Any]
    payload: Mapping[str, Any] | str | bytes
    ttl_seconds: int
    urgency: str = "normal"
    topic: str | None = None


def topic_header(topic: str) -> str:
    """Map any topic string to a valid Topic header: 32 chars of the base64url alphabet."""
    # Hashing also keeps account names or ids out of a header the push service sees in clear.
    digest = hashlib.sha256(topic.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii")[:32]


def vapid_claims(endpoint: str, subject: str, now: float) -> dict[str, str | int]:
    """Return the JWT claims for one send: aud is the endpoint's origin, exp now + 12 h."""
    parts = urlsplit(endpoint)
    return {
        "aud": f"{parts.scheme}://{parts.netloc}",
        "exp": int(now) + JWT_LIFETIME_SECONDS,
        "sub": subject,
    }


def encode_payload(payload: Mapping[str, Any] | str | bytes) -> bytes:
    """Serialise a payload (JSON for mappings) and check it fits in one push record."""
    if isinstance(payload, bytes):
        data = payload
    elif isinstance(payload, str):
        data = payload.encode("utf-8")
    else:
        data = json.dumps(payload, ensure_ascii=False, separators=(",", ":")).encode("utf-8")
    if not data:
        # The service worker must show a notification for every push; an empty one has nothing to show.
        raise ValueError("empty push payload")
    if len(data) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"push payload is {len(data)} bytes; the limit is {MAX_PAYLOAD_BYTES}")
    return data


def send(
    subscription: Mapping[str, Any],
    payload: Mapping[str, Any] | str | bytes,
    *,
    vapid_private_key: VapidKey | str,
    subject: str,
    ttl_seconds: int,
    urgency: str = "normal",
    topic: str | None = None,
    timeout: float = 10.0,
    session: requests.Session | None = None,
    retry: RetryPolicy = DEFAULT_RETRY,
    sleep: Callable[[float], None] = time.sleep,
) -> DeliveryResult:
    """Encrypt and POST one push message, retrying transient failures; never raises for HTTP."""
    key = _as_key(vapid_private_key)
    endpoint = str(subscription.get("endpoint", ""))
    try:
        # pywebpush only notices bad keys mid-encryption (raising); check them first instead.
        validate_subscription(subscription, allow_http=True)
        data = encode_payload(payload)
        headers = _static_headers(ttl_seconds, urgency, topic)
        pusher = WebPusher(subscription, requests_session=session)
    except (ValueError, WebPushException) as exc:
        return _config_error(endpoint, 0, None, str(exc))

    attempt = 0
    while True:
        attempt += 1
        # Claims are signed per attempt so a message retried late never carries a stale exp.
        try:
            auth = key.sign(vapid_claims(endpoint, subject, time.time()))
        except VapidException as exc:  # a malformed subject or endpoint origin
            return _config_error(endpoint, attempt - 1, None, f"VAPID signing failed: {exc}")
        retry_after: float | None = None
        try:
            response = pusher.send(
                data,
                {**headers, **auth},
                ttl=ttl_seconds,
                content_encoding="aes128gcm",
                timeout=timeout,
            )
        except requests.RequestException as exc:
            code, reason = None, f"connection error: {type(exc).__name__}"
        else:
            code = response.status_code
            if code in (200, 201, 202):
                return DeliveryResult(Outcome.DELIVERED, attempt, code, "delivered", endpoint)
            if code in (404, 410):
                return DeliveryResult(Outcome.GONE, attempt, code, _reason(response), endpoint)
            if code not in (408, 429) and code < 500:
                return _config_error(endpoint, attempt, code, _reason(response))
            retry_after = parse_retry_after(response.headers.get("Retry-After"))
            reason = _reason(response)
        wait = retry.delay(attempt, retry_after)
        if attempt >= retry.max_attempts or wait is None:
            return DeliveryResult(Outcome.FAILED, attempt, code, reason, endpoint, retry_after)
        sleep(wait)


def send_many(
    messages: Iterable[PushMessage],
    *,
    vapid_private_key: VapidKey | str,
    subject: str,
    timeout: float = 10.0,
    workers: int = 4,
    retry: RetryPolicy = DEFAULT_RETRY,
    sleep: Callable[[float], None] = time.sleep,
) -> list[DeliveryResult]:
    """Send many messages over kept-alive connections (one Session per worker); results in order."""
    key = _as_key(vapid_private_key)  # parse once, not 10,000 times
    local = threading.local()
    sessions: list[requests.Session] = []
    lock = threading.Lock()

    def session() -> requests.Session:
        # requests.Session is not documented as thread-safe, so each worker keeps its own pool.
        if not hasattr(local, "session"):
            local.session = fanout_session()
            with lock:
                sessions.append(local.session)
        return local.session

    def one(message: PushMessage) -> DeliveryResult:
        return send(
            message.subscription,
            message.payload,
            vapid_private_key=key,
            subject=subject,
            ttl_seconds=message.ttl_seconds,
            urgency=message.urgency,
            topic=message.topic,
            timeout=timeout,
            session=session(),
            retry=retry,
            sleep=sleep,
        )

    try:
        if workers <= 1:
            return [one(m) for m in messages]
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="push") as pool:
            return list(pool.map(one, messages))
    finally:
        for s in sessions:
            s.close()


def validate_subscription(
    subscription: Mapping[str, Any], *, allow_http: bool = False
) -> dict[str, Any]:
    """Check a browser PushSubscription JSON and return {endpoint, keys: {p256dh, auth}}."""
    endpoint = subscription.get("endpoint")
    keys = subscription.get("keys")
    if not isinstance(endpoint, str) or not isinstance(keys, Mapping):
        raise ValueError("a subscription needs an endpoint and keys")
    parts = urlsplit(endpoint)
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes or not parts.hostname:
        raise ValueError("the endpoint must be an https URL")
    p256dh, auth = keys.get("p256dh"), keys.get("auth")
    try:
        point = _b64decode(p256dh)
        # Raises unless this is a point on P-256: a wrong key would only fail at encryption time.
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
        secret = _b64decode(auth)
    except (TypeError, ValueError, binascii.Error):
        raise ValueError("keys.p256dh must be a base64url P-256 public key") from None
    if len(point) != 65 or len(secret) != 16:
        raise ValueError("keys.p256dh must be 65 bytes and keys.auth 16 bytes")
    return {"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}}


def fanout_session() -> requests.Session:
    """Return a Session for many sends; reads environment settings once rather than per request."""
    session = requests.Session()
    if not urllib.request.getproxies():
        # requests re-reads proxies, .netrc and the CA bundle from os.environ on every request:
        # about a third of a fan-out's client CPU. Without a proxy only the CA bundle matters, so
        # take it once. (Not trusting .netrc also means it can never replace our VAPID header.)
        session.trust_env = False
        session.verify = (
            os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE") or True
        )
    return session


def parse_retry_after(value: str | None) -> float | None:
    """Parse Retry-After given as delay-seconds or an HTTP date; None if absent or garbled."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - datetime.now(UTC)).total_seconds())


def _static_headers(ttl_seconds: int, urgency: str, topic: str | None) -> dict[str, str]:
    if not isinstance(ttl_seconds, int) or not 0 <= ttl_seconds <= MAX_TTL_SECONDS:
        raise ValueError(f"ttl_seconds must be an int in 0..{MAX_TTL_SECONDS}")
    if urgency not in URGENCIES:
        raise ValueError(f"urgency must be one of {', '.join(URGENCIES)}")
    headers = {"Urgency": urgency}
    if topic:
        headers["Topic"] = topic_header(topic)
    return headers


def _as_key(key: VapidKey | str) -> VapidKey:
    # A str is parsed here rather than handed to pywebpush, which would treat it as a file path
    # whenever a file of that name happens to exist.
    return from_string(key) if isinstance(key, str) else key


def _b64decode(text: Any) -> bytes:
    if not isinstance(text, str):
        raise TypeError("expected a base64url string")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _reason(response: requests.Response) -> str:
    text = (response.text or "").strip().replace("\n", " ")
    return f"{response.status_code} {response.reason}: {text[:200]}".rstrip(": ")


def _config_error(endpoint: str, attempts: int, code: int | None, reason: str) -> DeliveryResult:
    # Log the origin only: the endpoint path is a bearer capability for that browser.
    parts = urlsplit(endpoint)
    log.error("web push configuration error for %s://%s: %s", parts.scheme, parts.netloc, reason)
    return DeliveryResult(Outcome.CONFIG_ERROR, attempts, code, reason, endpoint)
