"""Routes API (being built)."""

from backend.api.common import Blueprint

blp = Blueprint("routes", __name__, url_prefix="/api/routes", description="Routes")
