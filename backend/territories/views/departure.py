"""A rep's departure and a new rep's carve (managers for their team, admins for anyone)."""

from flask import current_app
from flask.views import MethodView
from flask_login import login_required

from backend.core.extensions import db
from backend.core.http import Blueprint, user
from backend.core.jobs import RQQueue, get_queue
from backend.core.models import utcnow
from backend.territories import jobs
from backend.territories.departure import carve, service
from backend.territories.departure.schemas import (
    CarveInSchema,
    CarveSchema,
    DepartureInSchema,
    DepartureSchema,
)
from backend.territories.workload import Settings

blp = Blueprint(
    "departures", __name__, url_prefix="/api/users", description="Departures and new reps"
)


def _replan(items: list[dict]) -> str:
    """Hand the re-planning to the job queue after the commit; how it ran."""
    if not items:
        return "none"
    queue = get_queue(current_app._get_current_object())
    queue.enqueue_each(jobs.replan_routes, items)
    return "queued" if isinstance(queue, RQQueue) else "inline"


@blp.route("/<int:user_id>/departure")
class Departure(MethodView):
    """A rep's departure."""

    decorators = [login_required]

    @blp.arguments(DepartureInSchema)
    @blp.response(200, DepartureSchema)
    @blp.alt_response(409, description="A departure of this rep is under way")
    def post(self, data, user_id):
        """Hand every account of a leaving rep to new owners in one action."""
        outcome = service.depart(
            user(),
            user_id,
            strategy=data["strategy"],
            to=data["to"],
            transition_days=data["transition_days"],
            now=utcnow(),
            dry_run=data["dry_run"],
            settings=Settings.from_config(current_app.config),
        )
        if outcome.dry_run:
            db.session.rollback()
            return {**vars(outcome), "replan": "none"}
        db.session.commit()
        return {**vars(outcome), "replan": _replan(outcome.replanned)}


@blp.route("/<int:user_id>/carve")
class Carve(MethodView):
    """A new rep's accounts, carved from neighbours."""

    decorators = [login_required]

    @blp.arguments(CarveInSchema)
    @blp.response(200, CarveSchema)
    def post(self, data, user_id):
        """Move accounts of a territory from its most loaded reps to a new rep (or preview it)."""
        outcome = carve.carve(user(), user_id, data["territory_id"], data.get("accounts"), utcnow())
        answer = {
            "moves": outcome.moves,
            "from_owner": outcome.by_owner,
            "account_ids": outcome.account_ids,
            "audit_ref": outcome.audit_ref,
            "replanned": outcome.replanned,
            "dry_run": data["dry_run"],
        }
        if data["dry_run"]:
            db.session.rollback()
            return {**answer, "replan": "none"}
        db.session.commit()
        return {**answer, "replan": _replan(outcome.replanned)}
