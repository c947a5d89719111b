"""Touches: log and list visits, calls and emails."""

from flask import current_app
from flask.views import MethodView
from flask_login import login_required

from backend.core.extensions import db
from backend.core.http import Blueprint, SelectPage, user
from backend.touches import service as touches
from backend.touches.schemas import TouchInSchema, TouchQuerySchema, TouchSchema

blp = Blueprint("touches", __name__, url_prefix="/api/touches", description="Touches")


@blp.route("")
class Touches(MethodView):
    """Touches in scope."""

    decorators = [login_required]

    @blp.arguments(TouchQuerySchema, location="query")
    @blp.response(200, TouchSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, filters):
        """List touches on accounts in scope and the caller's own, newest first."""
        return touches.query_touches(user(), filters)

    @blp.arguments(TouchInSchema)
    @blp.response(201, TouchSchema)
    @blp.alt_response(200, schema=TouchSchema, description="A retry: the touch already logged")
    @blp.alt_response(409, description="The id is used by another rep's touch")
    def post(self, data):
        """Log a touch; a retry with the same id answers 200 with the stored touch."""
        rules = touches.TouchRules.from_config(current_app.config)
        touch, created = touches.log_touch(user(), data, rules=rules)
        db.session.commit()
        return touch, 201 if created else 200
