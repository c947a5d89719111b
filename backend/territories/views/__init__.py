"""The territory manager's API; each module adds its blueprint to ``BLUEPRINTS``."""

from backend.territories.views import review, rules

BLUEPRINTS: tuple = (rules.blp, review.blp)
