"""The territory manager's API; each module adds its blueprint to ``BLUEPRINTS``."""

from backend.territories.views import balance, departure

BLUEPRINTS: tuple = (balance.blp, departure.blp)
