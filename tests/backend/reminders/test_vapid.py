"""VAPID keys: created once, kept private, loaded from file or env, never rotated silently."""

import base64
import stat

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from backend.reminders.webpush import vapid


def test_load_or_create_creates_once_with_private_mode(tmp_path):
    path = tmp_path / "instance" / "vapid_private.pem"

    first = vapid.load_or_create(path)
    again = vapid.load_or_create(path)

    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert vapid.application_server_key(again) == vapid.application_server_key(first)
    assert [p.name for p in path.parent.iterdir()] == ["vapid_private.pem"]  # no temp left over


def test_an_unreadable_key_file_is_an_error_not_a_new_key(tmp_path):
    path = tmp_path / "vapid.pem"
    path.write_text("not a key")

    with pytest.raises(vapid.VapidKeyError):
        vapid.load_or_create(path)
    assert path.read_text() == "not a key"


def test_save_never_overwrites(tmp_path):
    path = tmp_path / "vapid.pem"
    vapid.save(vapid.generate(), path)
    before = path.read_bytes()

    with pytest.raises(FileExistsError):
        vapid.save(vapid.generate(), path)
    assert path.read_bytes() == before


def test_application_server_key_is_the_uncompressed_point(vapid_key):
    text = vapid.application_server_key(vapid_key)

    raw = base64.urlsafe_b64decode(text + "=")
    assert "=" not in text and len(raw) == 65 and raw[0] == 4


def test_key_strings_in_every_common_form(vapid_key):
    private = vapid_key.private_key
    pem = vapid.private_pem(vapid_key)
    der = private.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    scalar = private.private_numbers().private_value.to_bytes(32, "big")
    forms = [
        pem,
        pem.replace("\n", "\\n"),  # as a one-line env variable
        base64.b64encode(der).decode(),
        base64.urlsafe_b64encode(scalar).rstrip(b"=").decode(),  # what web-push tools print
    ]
    expected = vapid.application_server_key(vapid_key)

    assert {vapid.application_server_key(vapid.from_string(f)) for f in forms} == {expected}


@pytest.mark.parametrize("bad", ["", "garbage!!", "-----BEGIN PRIVATE KEY-----\nAAAA\n"])
def test_garbage_strings_are_rejected(bad):
    with pytest.raises(vapid.VapidKeyError):
        vapid.from_string(bad)


def test_other_curves_are_rejected():
    pem = (
        ec.generate_private_key(ec.SECP384R1())
        .private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        .decode()
    )
    with pytest.raises(vapid.VapidKeyError, match="P-256"):
        vapid.from_string(pem)


def test_resolve_prefers_the_env_value(tmp_path, vapid_key):
    path = tmp_path / "vapid.pem"
    env_key = vapid.private_pem(vapid_key)

    from_env = vapid.resolve(env_key, path)
    from_file = vapid.resolve(None, path)

    assert vapid.application_server_key(from_env) == vapid.application_server_key(vapid_key)
    again = vapid.resolve("", path)
    assert vapid.application_server_key(again) == vapid.application_server_key(from_file)
    with pytest.raises(vapid.VapidKeyError):
        vapid.resolve(None, None)
