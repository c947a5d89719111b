"""Cadence API (being built)."""

from backend.api.common import Blueprint

blp = Blueprint("cadence", __name__, url_prefix="/api/cadence", description="Cadence")
