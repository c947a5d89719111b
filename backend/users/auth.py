"""Session auth wiring: user loading, 401 for anonymous API calls, CSRF for cookie writes."""

from __future__ import annotations

import hmac

from flask import Flask, request
from flask_login import current_user
from flask_wtf.csrf import CSRFError

from backend.core.errors import envelope
from backend.core.extensions import csrf, db, login_manager

SAFE_METHODS = {"GET", "HEAD", "OPTIONS"}
# Logging in creates the session that the token is bound to; SameSite=Lax covers login CSRF.
CSRF_EXEMPT_PATHS = {"/api/auth/login"}


def install_auth(app: Flask) -> None:
    """Register the user loader, the 401 answer and the CSRF check for API writes."""
    from backend.users.models import User

    @login_manager.user_loader
    def _load(session_id: str):
        uid, _, rest = session_id.partition(":")
        token, _, stamp = rest.partition(":")
        if not uid.isdigit() or len(uid) > 18:
            return None
        user = db.session.get(User, int(uid))
        if user is None or not user.is_active:
            return None
        if not hmac.compare_digest(
            f"{token}:{stamp}", f"{user.session_token}:{user.password_hash[-12:]}"
        ):
            return None
        return user

    @login_manager.unauthorized_handler
    def _unauthorized():
        return envelope(401, "Log in first.")

    @app.before_request
    def _csrf_for_writes():
        if request.method in SAFE_METHODS or not request.path.startswith("/api/"):
            return None
        if request.path in CSRF_EXEMPT_PATHS:
            return None
        if not current_user.is_authenticated:
            # No session to forge: the view answers 401 "Log in first." instead of a CSRF 400.
            return None
        csrf.protect()
        return None

    @app.errorhandler(CSRFError)
    def _csrf_error(err: CSRFError):
        return envelope(403, f"CSRF check failed: {err.description} Send X-CSRF-Token.")
