"""The territory manager's API; each module adds its blueprint to ``BLUEPRINTS``."""

from backend.territories.views import balance, departure, review, rules

BLUEPRINTS: tuple = (rules.blp, balance.blp, review.blp, departure.blp)
