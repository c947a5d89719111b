"""Appointments: fixed-time visits that every plan keeps."""

from types import SimpleNamespace

from flask import current_app
from flask.views import MethodView
from flask_login import login_required

from backend.core.extensions import db
from backend.core.http import Blueprint, user
from backend.routes.schemas import (
    AppointmentInSchema,
    AppointmentQuerySchema,
    AppointmentSchema,
    BookedSchema,
)
from backend.routes.service import appointments, steering
from backend.routes.service.settings import PlanningSettings

blp = Blueprint(
    "appointments", __name__, url_prefix="/api/appointments", description="Appointments"
)


@blp.route("")
class Appointments(MethodView):
    """Appointments."""

    decorators = [login_required]

    @blp.arguments(AppointmentQuerySchema, location="query")
    @blp.response(200, AppointmentSchema(many=True))
    def get(self, query):
        """Appointments of a rep (default: the caller), optionally of one date."""
        return appointments.list_for(user(), query.get("rep"), query.get("date"))

    @blp.arguments(AppointmentInSchema)
    @blp.response(201, BookedSchema)
    def post(self, data):
        """Book a fixed-time visit; it becomes a fixed stop of that day's route if one exists."""
        settings = PlanningSettings.from_config(current_app.config)
        booked, route = steering.book_on_route(user(), data, settings=settings)
        db.session.commit()
        columns = {c.key: getattr(booked, c.key) for c in booked.__table__.columns}
        return SimpleNamespace(**columns, route=route)


@blp.route("/<int:appointment_id>")
class AppointmentsById(MethodView):
    """One appointment."""

    decorators = [login_required]

    @blp.response(204)
    def delete(self, appointment_id):
        """Cancel an appointment."""
        appointments.cancel(user(), appointment_id)
        db.session.commit()
