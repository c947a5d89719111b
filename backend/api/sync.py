"""Sync API (being built)."""

from backend.api.common import Blueprint

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Sync")
