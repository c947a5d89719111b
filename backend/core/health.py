"""Liveness with a database round trip."""

from flask.views import MethodView
from marshmallow import fields, validate
from sqlalchemy import text

from backend.core.errors import envelope
from backend.core.extensions import db
from backend.core.http import Blueprint
from backend.core.schemas import BaseSchema

blp = Blueprint("health", __name__, url_prefix="/", description="Liveness")


class HealthSchema(BaseSchema):
    """The liveness answer."""

    status = fields.String(required=True, validate=validate.Equal("ok"))
    database = fields.String(required=True, validate=validate.Equal("ok"))


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
