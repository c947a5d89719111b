"""The current user."""

from flask.views import MethodView
from flask_login import login_required
from flask_wtf.csrf import generate_csrf

from backend.core.http import Blueprint, user
from backend.users.schemas import MeSchema

blp = Blueprint("me", __name__, url_prefix="/api/me", description="Current user")


@blp.route("")
class Me(MethodView):
    """Current user."""

    decorators = [login_required]

    @blp.response(200, MeSchema)
    def get(self):
        """The logged-in user with role, territories and a CSRF token for writes."""
        me = user()
        me.csrf_token = generate_csrf()
        return me
