"""Production refuses to start with a missing or default SECRET_KEY (issue 11)."""

import pytest

from backend import create_app
from backend.core.config import Config


@pytest.fixture
def production_env(monkeypatch, tmp_path):
    monkeypatch.setenv("FIELDREP_ENV", "production")
    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'prod.sqlite'}")
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("FIELDREP_SECRET_KEY", raising=False)
    return monkeypatch


def test_production_without_secret_key_refuses_to_start(production_env):
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_with_the_default_secret_key_refuses_to_start(production_env):
    production_env.setenv("SECRET_KEY", Config.SECRET_KEY)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app()


def test_production_with_a_real_secret_starts_with_secure_cookies(production_env):
    production_env.setenv("SECRET_KEY", "a-long-random-production-secret-0123456789")
    app = create_app()
    assert app.config["SESSION_COOKIE_SECURE"] is True
