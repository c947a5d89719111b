"""What the views share: the blueprint class with house pagination, role checks, pages."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps

import flask_smorest
from flask_login import current_user, login_required
from flask_smorest import Page
from sqlalchemy import func, select

from backend.core.errors import Forbidden
from backend.core.extensions import db


class Blueprint(flask_smorest.Blueprint):
    """House blueprint: pages of 50 by default, at most 500."""

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 500}


class SelectPage(Page):
    """Pages over a SQLAlchemy ``Select`` (count + offset/limit in SQL)."""

    @property
    def items(self):
        """The rows of this page."""
        stmt = self.collection.offset(self.page_params.first_item).limit(self.page_params.page_size)
        return db.session.scalars(stmt).all()

    @property
    def item_count(self):
        """Total rows across pages."""
        sub = self.collection.order_by(None).subquery()
        return db.session.scalar(select(func.count()).select_from(sub))


def roles(*allowed: str) -> Callable:
    """Login required, and the caller's role must be one of ``allowed`` (403 otherwise)."""

    def decorator(fn):
        @wraps(fn)
        @login_required
        def wrapper(*args, **kwargs):
            if current_user.role not in allowed:
                raise Forbidden(f"This needs the role {' or '.join(allowed)}.")
            return fn(*args, **kwargs)

        return wrapper

    return decorator


def user():
    """The logged-in user object (unwrapped from the LocalProxy)."""
    return current_user._get_current_object()
