"""The territory manager's API; each module adds its blueprint to ``BLUEPRINTS``."""

from backend.territories.views import balance

BLUEPRINTS: tuple = (balance.blp,)
