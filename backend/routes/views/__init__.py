"""HTTP adapters of the routes domain: day and week routes, stops, appointments."""

from backend.routes.views import appointments, calendar, routes

BLUEPRINTS = (routes.blp, appointments.blp, calendar.blp)
