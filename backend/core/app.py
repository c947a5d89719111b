"""The application core: a Flask app with config and extensions, and no domain in it."""

from __future__ import annotations

import os
from pathlib import Path

from flask import Flask


def build_app(test_config: dict | None = None) -> Flask:
    """The app without any domain: config, extensions, web shell, health, error envelope.

    It creates no tables and runs no migrations; ``backend.create_app`` adds the domains.
    """
    # Named after the package, so the instance folder and root path stay where they always were:
    # ./instance in a checkout, <venv>/var/backend-instance for an installed wheel, unless
    # FIELDREP_INSTANCE_PATH says where (deploy/ uses /var/lib/fieldrep).
    instance = os.environ.get("FIELDREP_INSTANCE_PATH") if test_config is None else None
    app = Flask("backend", instance_relative_config=True, instance_path=instance or None)
    from backend.core.config import Config

    app.config.from_object(Config)
    if test_config is None:
        if os.environ.get("FIELDREP_ENV") == "production":
            from backend.core.config import ProductionConfig

            app.config.from_object(ProductionConfig)
        app.config.from_prefixed_env("FIELDREP")
        for key in ("DATABASE_URL", "SECRET_KEY", "REDIS_URL", "OSRM_URL", "GEOCODER_URL"):
            if os.environ.get(key):
                app.config[key if key != "DATABASE_URL" else "SQLALCHEMY_DATABASE_URI"] = (
                    os.environ[key]
                )
        if os.environ.get("FIELDREP_ENV") == "production":
            _refuse_default_secret(app.config.get("SECRET_KEY"))
    else:
        from backend.core.config import TestConfig

        app.config.from_object(TestConfig)
        app.config.update(test_config)

    from backend.core import input_guard, metrics, observability

    observability.configure_logging(app)
    observability.install(app)
    metrics.install(app)
    input_guard.install(app)
    Path(app.instance_path).mkdir(parents=True, exist_ok=True)
    if not app.config.get("SQLALCHEMY_DATABASE_URI"):
        app.config["SQLALCHEMY_DATABASE_URI"] = (
            f"sqlite:///{Path(app.instance_path) / 'fieldrep.sqlite'}"
        )
    app.config["SQLALCHEMY_DATABASE_URI"] = _normalise_db_url(app.config["SQLALCHEMY_DATABASE_URI"])
    if app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        app.config["SQLALCHEMY_ENGINE_OPTIONS"] = {
            **app.config.get("SQLALCHEMY_ENGINE_OPTIONS", {}),
            "connect_args": {"timeout": 30},
        }
    if app.config.get("REDIS_URL") and app.config["RATELIMIT_STORAGE_URI"] == "memory://":
        app.config["RATELIMIT_STORAGE_URI"] = app.config["REDIS_URL"]

    hops = int(app.config.get("PROXY_HOPS", 0))
    if hops:
        # Behind N proxies (nginx = 1): client address, scheme and host from their headers, so
        # rate limits key on the real client and Secure cookies and redirects use https.
        from werkzeug.middleware.proxy_fix import ProxyFix

        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=hops, x_proto=hops, x_host=hops)

    from backend.core.extensions import api, csrf, db, limiter, login_manager, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(__file__).parent.parent / "migrations"))
    csrf.init_app(app)
    limiter.init_app(app)
    login_manager.init_app(app)
    api.init_app(app)

    from backend.core import sqlite_pragmas

    sqlite_pragmas.install(app)

    from backend.core.errors import register_error_handlers
    from backend.core.health import blp as health_blp
    from backend.core.jobs_http import blp as jobs_blp
    from backend.core.web import web

    api.register_blueprint(health_blp)
    api.register_blueprint(jobs_blp)
    app.register_blueprint(web)
    register_error_handlers(app)
    return app


def _refuse_default_secret(secret: str | None) -> None:
    """Production signs sessions with a real secret, never the published default."""
    from backend.core.config import Config

    if not secret or secret == Config.SECRET_KEY:
        raise RuntimeError(
            "FIELDREP_ENV=production needs a SECRET_KEY of its own: set SECRET_KEY (or "
            "FIELDREP_SECRET_KEY) to a long random value, e.g. "
            "python -c 'import secrets; print(secrets.token_hex(32))'."
        )


def _normalise_db_url(url: str) -> str:
    """Use the psycopg 3 driver for plain ``postgres://`` / ``postgresql://`` URLs."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url
