"""The territory manager's API; each module adds its blueprint to ``BLUEPRINTS``."""

from backend.territories.views import departure

BLUEPRINTS: tuple = (departure.blp,)
