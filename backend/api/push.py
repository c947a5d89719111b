"""Push API (being built)."""

from backend.api.common import Blueprint

blp = Blueprint("push", __name__, url_prefix="/api/push", description="Push")
