"""Session login and logout."""

from flask import current_app
from flask.views import MethodView
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from backend.core.extensions import db, limiter
from backend.core.http import Blueprint
from backend.users import service as users
from backend.users.schemas import LoginResultSchema, LoginSchema

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Session login")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


@blp.route("/login")
class Login(MethodView):
    """Log in."""

    decorators = [
        limiter.limit(_login_limit, deduct_when=lambda response: response.status_code == 401)
    ]

    @blp.arguments(LoginSchema)
    @blp.response(200, LoginResultSchema)
    @blp.alt_response(401, description="Wrong email or password")
    @blp.alt_response(429, description="Too many failed attempts")
    def post(self, creds):
        """Log in with email and password; starts a session cookie."""
        user = users.authenticate(creds["email"], creds["password"])
        login_user(user)
        db.session.commit()
        return {"user": user, "csrf_token": generate_csrf()}


@blp.route("/logout")
class Logout(MethodView):
    """Log out."""

    @blp.response(204)
    def post(self):
        """End the session server-side: a copy of the cookie no longer works."""
        if current_user.is_authenticated:
            users.end_sessions(current_user)
        logout_user()
        db.session.commit()
