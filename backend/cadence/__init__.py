"""Cadence engine: pure functions for periods, plan rules, due status, urgency and compliance.

No Flask, no SQLAlchemy: callers pass plain dataclasses and local dates (see ``engine``).
"""
