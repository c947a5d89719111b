"""flask-smorest blueprints, one per resource, registered from one tuple."""

from __future__ import annotations

from flask_smorest import Api


def register_blueprints(api: Api) -> None:
    """Register every resource blueprint on the Api."""
    from backend.api import (
        accounts,
        appointments,
        auth,
        cadence,
        health,
        me,
        push,
        reports,
        routes,
        sync,
        territories,
        touches,
        users,
    )

    for module in (
        health,
        auth,
        me,
        users,
        territories,
        accounts,
        touches,
        cadence,
        reports,
        routes,
        appointments,
        sync,
        push,
    ):
        api.register_blueprint(module.blp)
