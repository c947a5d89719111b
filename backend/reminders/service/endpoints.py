"""Which push endpoints the reminder job may POST to (a subscription is a URL a rep chose).

A browser only ever hands out endpoints of its vendor's push service, so by default only those
hosts are accepted (``PUSH_SERVICE_HOSTS``, patterns like ``*.push.apple.com``). An entry ``*``
admits any other host, but then its addresses are checked: an endpoint that is, or resolves to, a
loopback, private, link-local, multicast or reserved address is refused, at subscription time
and again before every send (a DNS answer can change after the check). Named push services are
not resolved: their DNS is not the rep's to point at an internal host, and a check that needs
the internet to pass would refuse every subscription on a closed network.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Mapping, Sequence
from fnmatch import fnmatchcase
from typing import Any
from urllib.parse import urlsplit

# The browsers' push services (Chrome/Android, Firefox, Safari, Edge).
KNOWN_PUSH_SERVICES = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)
LOCAL_HOSTS = frozenset({"127.0.0.1", "localhost", "::1"})

Resolver = Callable[[str], Iterable[str]]


def service_hosts(config: Mapping[str, Any]) -> Sequence[str]:
    """``PUSH_SERVICE_HOSTS`` from the settings (a list, or a comma-separated string)."""
    configured = config.get("PUSH_SERVICE_HOSTS")
    if not configured:
        return KNOWN_PUSH_SERVICES
    if isinstance(configured, str):
        return tuple(h.strip() for h in configured.split(",") if h.strip())
    return tuple(configured)


def resolve_host(host: str) -> list[str]:
    """Every address ``host`` resolves to (IPv4 and IPv6)."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, 443, type=socket.SOCK_STREAM)})


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _literal(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return None


def endpoint_problem(
    endpoint: str,
    *,
    allowed_hosts: Sequence[str] = KNOWN_PUSH_SERVICES,
    allow_local: bool = False,
    resolve: Resolver = resolve_host,
) -> str | None:
    """Why the job must not POST to ``endpoint``, or None when it may.

    ``allow_local`` admits this machine's own push service (the tests' local one, over http).
    """
    host = (urlsplit(endpoint).hostname or "").lower().rstrip(".")
    if not host:
        return "the endpoint has no host"
    if allow_local and host in LOCAL_HOSTS:
        return None
    patterns = [p.lower() for p in allowed_hosts]
    named = any(p != "*" and fnmatchcase(host, p) for p in patterns)
    if not named and "*" not in patterns:
        return f"{host} is not a known push service (PUSH_SERVICE_HOSTS)"
    literal = _literal(host)
    if named and literal is None:
        return None
    try:
        addresses = [literal] if literal else list(resolve(host))
    except (OSError, UnicodeError):
        return f"{host} does not resolve"
    if not addresses:
        return f"{host} does not resolve"
    if not all(_is_public(a) for a in addresses):
        return f"{host} is a loopback, private or link-local address"
    return None
