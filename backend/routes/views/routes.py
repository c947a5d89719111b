"""Day and week routes of a rep."""

from datetime import UTC, date, datetime
from types import SimpleNamespace

from flask import current_app
from flask.views import MethodView
from flask_login import login_required

from backend.core.errors import Invalid, NotFound
from backend.core.extensions import db
from backend.core.http import Blueprint, user
from backend.core.schemas import path_day
from backend.routes.models import RoutePlan as RoutePlanModel
from backend.routes.schemas import (
    MovedStopSchema,
    MoveStopSchema,
    PlanArgsSchema,
    PositionNowSchema,
    ReorderSchema,
    RoutePreviewSchema,
    RouteQuerySchema,
    RouteSchema,
    SequenceSchema,
    StopUpdateSchema,
    WeekSchema,
)
from backend.routes.service import planning, route_stops, sequence, steering, week_planning
from backend.users.scope import resolve_rep
from routing.models import Location

blp = Blueprint("routes", __name__, url_prefix="/api/routes", description="Day and week routes")


def _rep(query: dict):
    """The rep the request is about: ``?rep=`` (id or email, within scope) or the caller."""
    return resolve_rep(user(), query.get("rep"))


def _settings() -> planning.PlanningSettings:
    """The app's planning settings (travel model, break, solver budget)."""
    return planning.PlanningSettings.from_config(current_app.config)


def _route(rep, day: date):
    route = planning.get_day(rep, day)
    if route is None:
        raise NotFound(f"No route planned for {day.isoformat()}; plan it first.")
    return route


@blp.route("/<string:day>")
class RouteByDate(MethodView):
    """A rep's day route."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.response(200, RouteSchema)
    def get(self, query, day):
        """The stored route of the rep (default: the caller) for the date."""
        return _route(_rep(query), path_day(day))


@blp.route("/<string:day>/plan")
class RoutePlan(MethodView):
    """Plan a day."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.arguments(PlanArgsSchema, location="json", required=False)
    @blp.response(200, RouteSchema)
    def post(self, query, args, day):
        """Plan (or re-plan) the day from the rep's due visits, opening hours and appointments."""
        rep = _rep(query)
        route = planning.plan_day(
            rep, path_day(day), time_limit=(args or {}).get("time_limit"), settings=_settings()
        )
        db.session.commit()
        return route


@blp.route("/<string:day>/reoptimize")
class RouteReoptimize(MethodView):
    """Re-plan the rest of the day."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.arguments(PositionNowSchema)
    @blp.response(200, RouteSchema)
    def post(self, query, now, day):
        """Re-plan from where the rep is now, keeping the visits already made."""
        rep = _rep(query)
        route = _route(rep, path_day(day))
        at = now.get("at") or datetime.now(UTC)
        position = Location(now["lat"], now["lon"])
        route = planning.reoptimize(rep, route, position, at, settings=_settings())
        db.session.commit()
        return route


def _snapshot(route) -> SimpleNamespace:
    """The route's column values, readable after the savepoint that produced them is undone."""
    return SimpleNamespace(
        **{c.key: getattr(route, c.key) for c in RoutePlanModel.__table__.columns}
    )


@blp.route("/<string:day>/reoptimize/preview")
class RouteReoptimizePreview(MethodView):
    """What a re-plan would do, without doing it."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.arguments(PositionNowSchema)
    @blp.response(200, RoutePreviewSchema)
    def post(self, query, now, day):
        """The route now and the re-planned route; nothing is stored (accept with PUT .../stops)."""
        rep = _rep(query)
        route = _route(rep, path_day(day))
        current = _snapshot(route)
        savepoint = db.session.begin_nested()
        try:
            at = now.get("at") or datetime.now(UTC)
            proposed = planning.reoptimize(
                rep, route, Location(now["lat"], now["lon"]), at, settings=_settings()
            )
            proposed = _snapshot(proposed)
        finally:
            savepoint.rollback()
        return {"current": current, "proposed": proposed}


@blp.route("/<string:day>/stops")
class RouteStops(MethodView):
    """The rest of the day as the rep wants it."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.arguments(SequenceSchema)
    @blp.response(200, RouteSchema)
    def put(self, query, data, day):
        """Visit exactly these stops in this order (add, remove, pin, accept a preview, undo)."""
        rep = _rep(query)
        route = sequence.set_sequence(
            rep,
            _route(rep, path_day(day)),
            data["order"],
            data["base_version"],
            data["pinned"],
            settings=_settings(),
        )
        db.session.commit()
        return route


@blp.route("/<string:day>/stops/<int:account_id>")
class RouteStop(MethodView):
    """One stop of a route."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.arguments(StopUpdateSchema)
    @blp.response(200, RouteSchema)
    def patch(self, query, data, day, account_id):
        """Mark a stop arrived, done or skipped (with a reason); 409 if that stop changed since."""
        rep = _rep(query)
        route = route_stops.update_stop(
            user(),
            _route(rep, path_day(day)),
            account_id,
            data["status"],
            data.get("at") or datetime.now(UTC),
            data.get("skip_reason"),
            data.get("base_version"),
            data.get("base_status"),
        )
        db.session.commit()
        return route


@blp.route("/<string:day>/stops/<int:account_id>/move")
class RouteStopMove(MethodView):
    """Move a stop to another day."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.arguments(MoveStopSchema)
    @blp.response(200, MovedStopSchema)
    def post(self, query, data, day, account_id):
        """Take a planned stop off this day and pin it on another day of the same week."""
        rep = _rep(query)
        moved = steering.move_stop(
            rep,
            _route(rep, path_day(day)),
            account_id,
            data["to"],
            data["base_version"],
            settings=_settings(),
        )
        db.session.commit()
        return moved


@blp.route("/<string:day>/order")
class RouteOrder(MethodView):
    """The order of the stops."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.arguments(ReorderSchema)
    @blp.response(200, RouteSchema)
    def put(self, query, data, day):
        """Put the stops in the rep's own order."""
        rep = _rep(query)
        route = route_stops.reorder(
            user(), _route(rep, path_day(day)), data["order"], data["base_version"]
        )
        db.session.commit()
        return route


def _monday(text: str) -> date:
    start = path_day(text, "monday")
    if start.weekday() != 0:
        raise Invalid("Not a Monday.", {"path": {"monday": ["Give the Monday of the week."]}})
    return start


@blp.route("/week/<string:monday>")
class RouteWeek(MethodView):
    """A rep's week."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.response(200, WeekSchema)
    def get(self, query, monday):
        """The stored routes of the week's working days (plan them with POST .../plan)."""
        rep = _rep(query)
        return week_planning.stored_week(rep, _monday(monday))


@blp.route("/week/<string:monday>/plan")
class RouteWeekPlan(MethodView):
    """Plan a rep's week."""

    decorators = [login_required]

    @blp.arguments(RouteQuerySchema, location="query")
    @blp.response(200, WeekSchema)
    def post(self, query, monday):
        """Spread due visits over the days not started yet, keeping cadence spacing."""
        rep = _rep(query)
        week = week_planning.plan_week(rep, _monday(monday), settings=_settings())
        db.session.commit()
        return week
