"""A real local web-push service for tests: verifies VAPID (RFC 8292) and decrypts (RFC 8291)."""

from __future__ import annotations

import base64
import binascii
import itertools
import json
import re
import secrets
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import http_ece
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

# Deliberately independent of backend.push: this side checks the wire format with its own code.
MAX_BODY = 4096
MAX_JWT_LIFETIME = 24 * 3600
URGENCIES = {"very-low", "low", "normal", "high"}
TOPIC_RE = re.compile(r"^[A-Za-z0-9_-]{1,32}$")


@dataclass(frozen=True)
class Reply:
    """A scripted answer for one POST (e.g. Reply(429, {"Retry-After": "3"}))."""

    status: int
    headers: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Received:
    """One message the service accepted, decrypted."""

    text: str
    ttl: int
    urgency: str | None
    topic: str | None
    claims: dict[str, Any]
    vapid_key: str
    received_at: float


@dataclass(frozen=True)
class Failure:
    """A request the service refused because it was malformed (bad JWT, body, headers)."""

    subscription_id: str
    status: int
    reason: str


class _Reject(Exception):
    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


@dataclass
class _Subscription:
    id: str
    private_key: ec.EllipticCurvePrivateKey
    auth: bytes
    application_server_key: str | None
    online: bool = True
    delivered: list[Received] = field(default_factory=list)
    # Undelivered messages while the browser is offline, keyed by Topic (or a unique key):
    # a newer message with the same topic replaces the older one, as RFC 8030 section 5.4 says.
    pending: dict[str, Received] = field(default_factory=dict)
    script: deque[Reply] = field(default_factory=deque)
    gone: Reply | None = None
    answers: list[int] = field(default_factory=list)


class PushService:
    """A threaded HTTP push service on 127.0.0.1; use as a context manager or start()/stop()."""

    def __init__(self, *, application_server_key: str | None = None, host: str = "127.0.0.1"):
        """Create the service; application_server_key restricts new subscriptions to that key."""
        self.application_server_key = application_server_key
        self._host = host
        self._lock = threading.Lock()
        self._subs: dict[str, _Subscription] = {}
        self._ids = itertools.count(1)
        self.failures: list[Failure] = []
        self.post_count = 0
        self.connection_count = 0  # TCP connections accepted: shows whether clients keep alive
        self._server: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # -- lifecycle -------------------------------------------------------------------------
    def start(self) -> PushService:
        """Bind a free port and serve in a daemon thread."""
        service = self

        class Handler(_Handler):
            push_service = service

        server = _Server((self._host, 0), Handler)
        self._server = server
        # A short poll interval makes stop() quick; shutdown() waits for the next poll.
        self._thread = threading.Thread(
            target=server.serve_forever, args=(0.02,), daemon=True, name="push-svc"
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> PushService:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    @property
    def origin(self) -> str:
        """The scheme://host:port the VAPID aud claim must name."""
        assert self._server is not None, "start() the service first"
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    # -- subscriptions and scripting ----------------------------------------------------------
    def subscribe(
        self, *, application_server_key: str | None = None, online: bool = True
    ) -> dict[str, Any]:
        """Create a browser-style subscription {endpoint, expirationTime, keys: {p256dh, auth}}."""
        private_key = ec.generate_private_key(ec.SECP256R1())
        sub = _Subscription(
            id=f"{next(self._ids)}-{secrets.token_urlsafe(12)}",
            private_key=private_key,
            auth=secrets.token_bytes(16),
            application_server_key=application_server_key or self.application_server_key,
            online=online,
        )
        with self._lock:
            self._subs[sub.id] = sub
        public = private_key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        return {
            "endpoint": f"{self.origin}/push/{sub.id}",
            "expirationTime": None,
            "keys": {"p256dh": _b64url(public), "auth": _b64url(sub.auth)},
        }

    def script(self, subscription: dict[str, Any], *replies: Reply) -> None:
        """Answer the next POSTs with these replies (after the checks), then accept normally."""
        with self._lock:
            self._sub(subscription).script.extend(replies)

    def fail(
        self, subscription: dict[str, Any], status: int, times: int = 1, **headers: str
    ) -> None:
        """Answer the next `times` POSTs with status (headers as keywords, e.g. Retry_After="2")."""
        hdrs = {k.replace("_", "-"): v for k, v in headers.items()}
        self.script(subscription, *[Reply(status, hdrs)] * times)

    def expire(self, subscription: dict[str, Any], status: int = 410) -> None:
        """Make the subscription permanently gone (404 or 410), as after an unsubscribe."""
        with self._lock:
            self._sub(subscription).gone = Reply(status)

    def set_online(self, subscription: dict[str, Any], online: bool) -> None:
        """Take the browser offline or bring it back; coming back delivers unexpired pending messages."""
        with self._lock:
            sub = self._sub(subscription)
            sub.online = online
            if online:
                now = time.time()
                sub.delivered.extend(
                    m for m in sub.pending.values() if m.received_at + m.ttl >= now
                )
                sub.pending.clear()

    # -- inspection --------------------------------------------------------------------------
    def delivered(self, subscription: dict[str, Any]) -> list[Received]:
        """Messages the browser has received, in order."""
        with self._lock:
            return list(self._sub(subscription).delivered)

    def texts(self, subscription: dict[str, Any]) -> list[str]:
        """Decrypted texts the browser has received, in order."""
        return [m.text for m in self.delivered(subscription)]

    def pending(self, subscription: dict[str, Any]) -> list[Received]:
        """Messages waiting for an offline browser."""
        with self._lock:
            return list(self._sub(subscription).pending.values())

    def answers(self, subscription: dict[str, Any]) -> list[int]:
        """The HTTP status of every POST to this subscription, in order."""
        with self._lock:
            return list(self._sub(subscription).answers)

    def delivered_count(self) -> int:
        """Messages accepted over all subscriptions (delivered or pending)."""
        with self._lock:
            return sum(len(s.delivered) + len(s.pending) for s in self._subs.values())

    def _sub(self, subscription: dict[str, Any]) -> _Subscription:
        return self._subs[subscription["endpoint"].rsplit("/", 1)[1]]

    # -- the push protocol -------------------------------------------------------------------
    def _handle(self, path: str, headers: Any, body: bytes) -> Reply:
        with self._lock:
            self.post_count += 1
            match = re.fullmatch(r"/push/([A-Za-z0-9_-]+)", path)
            sub = self._subs.get(match.group(1)) if match else None
        if sub is None:
            return Reply(404)
        if sub.gone is not None:
            return self._answer(sub, sub.gone)
        try:
            # Crypto outside the lock: the benchmark posts from many threads at once.
            message = self._verify(sub, headers, body)
        except _Reject as rej:
            with self._lock:
                self.failures.append(Failure(sub.id, rej.status, rej.reason))
            return self._answer(sub, Reply(rej.status))
        with self._lock:
            if sub.script:
                reply = sub.script.popleft()
                sub.answers.append(reply.status)
                return reply
            self._store(sub, message)
            sub.answers.append(201)
        return Reply(
            201,
            {
                "Location": f"{self.origin}/message/{secrets.token_urlsafe(8)}",
                "TTL": str(message.ttl),
            },
        )

    def _answer(self, sub: _Subscription, reply: Reply) -> Reply:
        with self._lock:
            sub.answers.append(reply.status)
        return reply

    def _store(self, sub: _Subscription, message: Received) -> None:
        if sub.online:
            sub.delivered.append(message)
        elif message.ttl > 0:  # TTL 0 means "now or never": an offline browser never sees it
            key = message.topic or f"~{secrets.token_hex(8)}"
            sub.pending.pop(key, None)  # re-insert so replacement also moves it to the end
            sub.pending[key] = message

    def _verify(self, sub: _Subscription, headers: Any, body: bytes) -> Received:
        claims, key = self._verify_vapid(sub, headers.get("Authorization", ""))
        ttl_text = headers.get("TTL")
        if ttl_text is None or not ttl_text.isdigit():
            raise _Reject(400, "missing or invalid TTL header")
        urgency = headers.get("Urgency")
        if urgency is not None and urgency not in URGENCIES:
            raise _Reject(400, f"invalid Urgency {urgency!r}")
        topic = headers.get("Topic")
        if topic is not None and not TOPIC_RE.match(topic):
            raise _Reject(400, f"invalid Topic {topic!r}")
        if len(body) > MAX_BODY:
            raise _Reject(413, f"body of {len(body)} bytes")
        if (headers.get("Content-Encoding") or "").lower() != "aes128gcm":
            raise _Reject(400, f"Content-Encoding {headers.get('Content-Encoding')!r}")
        try:
            plain = http_ece.decrypt(
                body, private_key=sub.private_key, auth_secret=sub.auth, version="aes128gcm"
            )
            text = plain.decode("utf-8")
        except (http_ece.ECEException, ValueError) as exc:
            raise _Reject(400, f"cannot decrypt: {exc}") from None
        return Received(text, int(ttl_text), urgency, topic, claims, key, time.time())

    def _verify_vapid(self, sub: _Subscription, header: str) -> tuple[dict[str, Any], str]:
        scheme, _, params = header.partition(" ")
        if scheme.lower() != "vapid":
            raise _Reject(401, f"Authorization scheme {scheme!r}, want vapid")
        parts = dict(p.strip().split("=", 1) for p in params.split(",") if "=" in p)
        token, key = parts.get("t", ""), parts.get("k", "")
        try:
            head_b64, claims_b64, sig_b64 = token.split(".")
            head = json.loads(_b64decode(head_b64))
            claims = json.loads(_b64decode(claims_b64))
            public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), _b64decode(key))
            sig = _b64decode(sig_b64)
            if head.get("alg") != "ES256" or len(sig) != 64:
                raise ValueError("not an ES256 JWS")
            der = encode_dss_signature(
                int.from_bytes(sig[:32], "big"), int.from_bytes(sig[32:], "big")
            )
            public.verify(der, f"{head_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
        except (ValueError, TypeError, binascii.Error, InvalidSignature) as exc:
            raise _Reject(401, f"bad VAPID token: {type(exc).__name__} {exc}") from None
        if sub.application_server_key is not None and key != sub.application_server_key:
            # RFC 8292 section 4.2: a key other than the one the subscription was made with is 403.
            raise _Reject(403, "VAPID key does not match the subscription's applicationServerKey")
        now = time.time()
        exp = claims.get("exp")
        if claims.get("aud") != self.origin:
            raise _Reject(401, f"aud {claims.get('aud')!r} is not {self.origin}")
        if not isinstance(exp, int) or not now < exp <= now + MAX_JWT_LIFETIME:
            raise _Reject(401, f"exp {exp!r} is not within the next 24 hours")
        if not isinstance(claims.get("sub"), str) or not claims["sub"]:
            raise _Reject(401, "sub claim missing")
        return claims, key


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False  # idle keep-alive connections must not stall stop()
    request_queue_size = 256  # a fan-out opens many connections at once


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so clients can reuse connections
    push_service: PushService

    def setup(self) -> None:
        super().setup()
        with self.push_service._lock:
            self.push_service.connection_count += 1

    def do_POST(self) -> None:  # noqa: N802 (http.server's naming)
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else b""
        reply = self.push_service._handle(self.path, self.headers, body)
        self.send_response(reply.status)
        for name, value in reply.headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        """Keep test output quiet."""


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    if not re.fullmatch(r"[A-Za-z0-9_-]*", text):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
