"""Touches API (being built)."""

from backend.api.common import Blueprint

blp = Blueprint("touches", __name__, url_prefix="/api/touches", description="Touches")
