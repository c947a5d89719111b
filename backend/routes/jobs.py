"""Route jobs: team planning spread over RQ workers (``fieldrep plan --all --queue``)."""

from __future__ import annotations

import logging
from datetime import date

from flask import Flask

from backend.core.errors import DomainError
from backend.core.extensions import db
from backend.routes.service import planning
from backend.users.models import User

log = logging.getLogger(__name__)


def plan_reps(items: list, *, app: Flask) -> dict[str, int]:
    """Job: plan ``(rep_id, iso_day, time_limit)`` items, one commit per rep; the counts.

    Each rep's solve uses one core (``workers=1``): the parallelism is the worker processes.
    A rep that cannot be planned is logged and counted, and the others still are.
    """
    settings = planning.PlanningSettings.from_config(app.config)
    counts = {"planned": 0, "not_planned": 0}
    for rep_id, iso_day, time_limit in items:
        rep = db.session.get(User, rep_id)
        try:
            planning.plan_day(
                rep,
                date.fromisoformat(iso_day),
                workers=1,
                time_limit=time_limit,
                settings=settings,
            )
            db.session.commit()
            counts["planned"] += 1
        except DomainError as err:
            db.session.rollback()
            log.warning("rep %s not planned for %s: %s", rep_id, iso_day, err.message)
            counts["not_planned"] += 1
    return counts
