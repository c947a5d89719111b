"""Liveness (``/healthz``) and readiness (``/readyz``: database, queue, migrations at head)."""

from __future__ import annotations

from flask import current_app
from flask.views import MethodView
from marshmallow import fields, validate
from sqlalchemy import text

from backend.core.errors import envelope
from backend.core.extensions import db
from backend.core.http import Blueprint
from backend.core.schemas import BaseSchema

blp = Blueprint("health", __name__, url_prefix="/", description="Liveness and readiness")


class HealthSchema(BaseSchema):
    """The liveness answer."""

    status = fields.String(required=True, validate=validate.Equal("ok"))
    database = fields.String(required=True, validate=validate.Equal("ok"))


class ReadySchema(BaseSchema):
    """The readiness answer: each part ``ok`` (the queue may be ``inline``)."""

    status = fields.String(required=True, validate=validate.Equal("ready"))
    checks = fields.Dict(keys=fields.String(), values=fields.String(), required=True)


@blp.route("/healthz")
class Health(MethodView):
    """Health check."""

    @blp.response(200, HealthSchema)
    @blp.alt_response(503, response="DEFAULT_ERROR", description="The database does not answer.")
    def get(self):
        """Answer ok when the database answers."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any DB failure means not healthy
            db.session.rollback()
            return envelope(503, "Database unreachable.")
        return {"status": "ok", "database": "ok"}


def _check_database() -> str:
    try:
        db.session.execute(text("SELECT 1"))
    except Exception:  # noqa: BLE001 - any failure means not ready
        db.session.rollback()
        return "unreachable"
    return "ok"


def _check_queue() -> str:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return "inline"
    from redis import Redis

    client = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=2)
    try:
        client.ping()
    except Exception:  # noqa: BLE001 - refused, timed out, auth: all mean not ready
        return "unreachable"
    finally:
        client.close()
    return "ok"


def _head_revisions() -> set[str]:
    """The migration scripts' heads (read once per process: they change only on deploy)."""
    heads = current_app.extensions.get("fieldrep_migration_heads")
    if heads is None:
        from alembic.script import ScriptDirectory

        directory = current_app.extensions["migrate"].directory
        config = current_app.extensions["migrate"].migrate.get_config(directory)
        heads = set(ScriptDirectory.from_config(config).get_heads())
        current_app.extensions["fieldrep_migration_heads"] = heads
    return heads


def _check_migrations() -> str:
    try:
        current = set(db.session.scalars(text("SELECT version_num FROM alembic_version")))
    except Exception:  # noqa: BLE001 - no version table: never migrated
        db.session.rollback()
        return "not migrated: run fieldrep db upgrade"
    return "ok" if current == _head_revisions() else "behind: run fieldrep db upgrade"


@blp.route("/readyz")
class Ready(MethodView):
    """Readiness check."""

    @blp.response(200, ReadySchema)
    @blp.alt_response(503, response="DEFAULT_ERROR", description="A part is not ready.")
    def get(self):
        """Ready when the database answers, the queue answers and migrations are at head."""
        checks = {"database": _check_database(), "queue": _check_queue()}
        checks["migrations"] = (
            _check_migrations() if checks["database"] == "ok" else "unknown (no database)"
        )
        failing = [name for name, state in checks.items() if state not in ("ok", "inline")]
        if failing:
            return envelope(503, f"Not ready: {', '.join(failing)}.", checks=checks)
        return {"status": "ready", "checks": checks}
