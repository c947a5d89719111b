"""VAPID application-server keys: create once, keep, load; never rotate silently."""

from __future__ import annotations

import base64
import binascii
import logging
import os
import stat
import tempfile
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from py_vapid import Vapid02

log = logging.getLogger(__name__)

VapidKey = Vapid02


class VapidKeyError(ValueError):
    """A VAPID key could not be read or is not a P-256 private key."""


def generate() -> VapidKey:
    """Return a fresh P-256 VAPID key pair."""
    key = Vapid02()
    key.generate_keys()
    return key


def application_server_key(key: VapidKey) -> str:
    """Return the public key as unpadded base64url of the uncompressed point (applicationServerKey)."""
    raw = key.public_key.public_bytes(
        serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
    )
    return _b64url(raw)


def private_pem(key: VapidKey) -> str:
    """Return the private key as PKCS#8 PEM text (for an env variable or a secret store)."""
    return key.private_pem().decode("ascii")


def save(key: VapidKey, path: str | os.PathLike[str]) -> None:
    """Write the private key as PEM, mode 0600; refuse to overwrite an existing file."""
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    # Write a private temp file, then hard-link it into place: the link is atomic and fails if the
    # target exists, so two workers racing at first start can never both "win" with different keys.
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".vapid-", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(key.private_pem())
            fh.flush()
            os.fsync(fh.fileno())
        os.chmod(tmp, 0o600)
        os.link(tmp, target)
    finally:
        os.unlink(tmp)


def load(path: str | os.PathLike[str]) -> VapidKey:
    """Read a private key file (PEM, or base64 DER / raw scalar as the vapid CLI writes)."""
    target = Path(path)
    mode = stat.S_IMODE(target.stat().st_mode)
    if mode & 0o077:
        log.warning("VAPID key file %s is readable by group/others (mode %o)", target, mode)
    return from_string(target.read_text(encoding="ascii"))


def from_string(value: str) -> VapidKey:
    """Parse a key given as PEM text, base64(url) DER, or a base64url raw 32-byte scalar."""
    text = value.strip()
    # .env files and container secrets often carry PEM with literal "\n" escapes.
    text = text.replace("\\n", "\n")
    try:
        if "-----BEGIN" in text:
            private = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        else:
            raw = _b64decode("".join(text.split()))
            if len(raw) == 32:
                private = ec.derive_private_key(int.from_bytes(raw, "big"), ec.SECP256R1())
            else:
                private = serialization.load_der_private_key(raw, password=None)
    except (ValueError, TypeError, binascii.Error, UnicodeEncodeError) as exc:
        raise VapidKeyError(f"unreadable VAPID private key: {exc}") from None
    if not isinstance(private, ec.EllipticCurvePrivateKey) or not isinstance(
        private.curve, ec.SECP256R1
    ):
        raise VapidKeyError("VAPID keys must be EC P-256 (prime256v1) private keys")
    return Vapid02(private_key=private)


def load_or_create(path: str | os.PathLike[str]) -> VapidKey:
    """Load the key at path, or create and save one if (and only if) no file exists."""
    target = Path(path)
    if target.exists():
        # An unreadable existing file is an error, never a reason to make a new key: rotating
        # would silently orphan every subscription browsers made with the old public key.
        return load(target)
    key = generate()
    try:
        save(key, target)
    except FileExistsError:
        return load(target)  # another process created it first; use theirs
    log.info("created VAPID key at %s", target)
    return key


def resolve(env_value: str | None, path: str | os.PathLike[str] | None) -> VapidKey:
    """Pick the key from an env-provided string if set, else load_or_create(path)."""
    if env_value and env_value.strip():
        key = from_string(env_value)
        if path is not None and Path(path).exists():
            on_disk = load(path)
            if application_server_key(on_disk) != application_server_key(key):
                log.warning(
                    "VAPID key from the environment differs from %s; using the env key", path
                )
        return key
    if path is None:
        raise VapidKeyError("no VAPID key configured (neither env value nor key file path)")
    return load_or_create(path)


def _b64url(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode("ascii")


def _b64decode(text: str) -> bytes:
    # Accept both alphabets and missing padding: keys get pasted from many tools.
    normalised = text.replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(normalised + "=" * (-len(normalised) % 4))
