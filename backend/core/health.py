"""Liveness with a database round trip."""

from flask.views import MethodView
from sqlalchemy import text

from backend.core.errors import envelope
from backend.core.extensions import db
from backend.core.http import Blueprint

blp = Blueprint("health", __name__, url_prefix="/", description="Liveness")


@blp.route("/healthz")
class Health(MethodView):
    """Health check."""

    def get(self):
        """Answer ok when the database answers."""
        try:
            db.session.execute(text("SELECT 1"))
        except Exception:  # noqa: BLE001 - any DB failure means not healthy
            db.session.rollback()
            return envelope(503, "Database unreachable.")
        return {"status": "ok", "database": "ok"}
