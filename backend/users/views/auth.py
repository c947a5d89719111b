"""Session login and logout."""

from flask import current_app, request
from flask.views import MethodView
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_user, logout_user
from flask_wtf.csrf import generate_csrf

from backend.core.extensions import db, limiter
from backend.core.http import Blueprint
from backend.users import service as users
from backend.users.schemas import LoginResultSchema, LoginSchema

blp = Blueprint("auth", __name__, url_prefix="/api/auth", description="Session login")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _address_limit() -> str:
    return current_app.config["LOGIN_ADDRESS_RATE_LIMIT"]


def _account_and_address() -> str:
    """Failed logins count per email and client address: five wrong passwords for one account
    lock out that account from that address, not everyone behind the same proxy."""
    body = request.get_json(silent=True)
    email = body.get("email") if isinstance(body, dict) else None
    email = email.strip().lower()[:320] if isinstance(email, str) else ""
    return f"{get_remote_address()}|{email}"


def _failed(response) -> bool:
    return response.status_code == 401


@blp.route("/login")
class Login(MethodView):
    """Log in."""

    decorators = [
        limiter.limit(_login_limit, key_func=_account_and_address, deduct_when=_failed),
        # A looser limit per address alone stops one client trying many accounts.
        limiter.limit(_address_limit, scope="login-address", deduct_when=_failed),
    ]

    @blp.arguments(LoginSchema)
    @blp.response(200, LoginResultSchema)
    @blp.alt_response(401, description="Wrong email or password")
    @blp.alt_response(429, description="Too many failed attempts")
    def post(self, creds):
        """Log in with email and password; starts a session cookie."""
        user = users.authenticate(
            creds["email"],
            creds["password"],
            hash_method=users.configured_hash_method(current_app.config),
        )
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
