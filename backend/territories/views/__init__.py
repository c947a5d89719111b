"""The territory manager's API; each module adds its blueprint to ``BLUEPRINTS``."""

BLUEPRINTS: tuple = ()
