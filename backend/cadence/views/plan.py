"""Cadence: the plan, the due list and re-tiering."""

from flask import current_app
from flask.views import MethodView
from flask_login import login_required

from backend.cadence import service as cadence
from backend.cadence.schemas import (
    DeskQuerySchema,
    DeskSchema,
    DueItemSchema,
    DueQuerySchema,
    PlanInSchema,
    PlanQuerySchema,
    PlanSchema,
    RetierInSchema,
    RetierReportSchema,
)
from backend.core.extensions import db
from backend.core.http import Blueprint, roles, user
from backend.users.scope import resolve_rep

blp = Blueprint("cadence", __name__, url_prefix="/api/cadence", description="Cadence")


@blp.route("/plan")
class Plan(MethodView):
    """The cadence plan."""

    @login_required
    @blp.arguments(PlanQuerySchema, location="query")
    @blp.response(200, PlanSchema)
    def get(self, query):
        """The plan version in force on the date (default today) and the list of versions."""
        return cadence.plan_view(query.get("date") or cadence.today_in(user()))

    @roles("admin")
    @blp.arguments(PlanInSchema)
    @blp.response(200, PlanSchema)
    def put(self, data):
        """Add a plan version from effective_from on (admins); the past is never rewritten."""
        version = cadence.save_plan(user(), data, cadence.today_in(user()))
        db.session.commit()
        return cadence.plan_view(version.effective_from)


@blp.route("/due")
class Due(MethodView):
    """Due and overdue touches."""

    @login_required
    @blp.arguments(DueQuerySchema, location="query")
    @blp.response(200, DueItemSchema(many=True))
    def get(self, query):
        """A rep's due, overdue and upcoming touches on the date (rep's zone), most urgent first."""
        rep = resolve_rep(user(), query.get("rep"))
        as_of = query.get("date") or cadence.today_in(rep)
        return cadence.due_for_rep(rep, as_of, query.get("status"))


@blp.route("/desk")
class Desk(MethodView):
    """Today's calls and emails."""

    @login_required
    @blp.arguments(DeskQuerySchema, location="query")
    @blp.response(200, DeskSchema)
    def get(self, query):
        """The calls and emails a rep's desk time buys today, planned over the rest of the
        period (most valuable held on their days, time left today spent on the next ones)."""
        rep = resolve_rep(user(), query.get("rep"))
        as_of = query.get("date") or cadence.today_in(rep)
        config = current_app.config
        minutes = query.get("minutes", config["DESK_MINUTES"])
        per_touch = {
            "call": int(config["WORKLOAD_CALL_MINUTES"]),
            "email": int(config["WORKLOAD_EMAIL_MINUTES"]),
        }
        return cadence.desk_for_rep(rep, as_of, minutes, per_touch)


@blp.route("/retier")
class Retier(MethodView):
    """Automatic tiering by revenue."""

    @roles("admin")
    @blp.arguments(RetierInSchema)
    @blp.response(200, RetierReportSchema)
    def post(self, data):
        """Set tiers from revenue thresholds (admins); dry_run (the default) only reports."""
        thresholds = data["thresholds"] and [
            (t["tier"], t["min_revenue"]) for t in data["thresholds"]
        ]
        report = cadence.retier(user(), thresholds, dry_run=data["dry_run"])
        db.session.commit()
        return report
