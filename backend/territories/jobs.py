"""Background work of territory management: re-planning the routes of new owners.

A job function for ``backend.core.jobs`` (inline by default, RQ with ``REDIS_URL``): a
boundary of its own, one commit per route so one day that cannot be planned (no home
location, a day already over) never undoes the others.
"""

from __future__ import annotations

import logging
from datetime import date

from flask import Flask

from backend.core.errors import DomainError
from backend.core.extensions import db
from backend.routes.service import planning
from backend.routes.service.settings import PlanningSettings
from backend.users.models import User

log = logging.getLogger(__name__)


def replan_routes(items: list[dict], *, app: Flask) -> list[dict]:
    """Plan each ``{"rep_id", "date"}`` from scratch (a route under way is left alone)."""
    settings = PlanningSettings.from_config(app.config)
    done = []
    for item in items:
        rep = db.session.get(User, item["rep_id"])
        day = date.fromisoformat(item["date"])
        if rep is None or not rep.is_active:
            continue
        existing = planning.get_day(rep, day)
        if existing is not None and existing.status != "planned":
            continue
        try:
            route = planning.plan_day(rep, day, settings=settings)
            db.session.commit()
        except DomainError as err:
            db.session.rollback()
            log.warning("re-planning %s for rep %s failed: %s", day, rep.id, err.message)
            continue
        done.append({"rep_id": rep.id, "date": day.isoformat(), "route_id": route.id})
    return done
