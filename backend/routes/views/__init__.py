"""HTTP adapters of the routes domain: day and week routes, stops, appointments."""

from backend.routes.views import appointments, routes

BLUEPRINTS = (routes.blp, appointments.blp)
