"""Reports API (being built)."""

from backend.api.common import Blueprint

blp = Blueprint("reports", __name__, url_prefix="/api/reports", description="Reports")
