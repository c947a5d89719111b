"""How day routes are planned, as the boundary reads it from the app's config."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from backend.core.config import Config
from backend.core.hours import to_minutes

DEFAULT_OSRM_MAX_LOCATIONS = 100  # OSRM's default --max-table-size


def break_seconds(cfg: Mapping | None) -> tuple[int, int, int] | None:
    """``ROUTE_BREAK`` ({"earliest": "HH:MM", "latest": "HH:MM", "minutes": n}) in seconds as
    (earliest start, latest end, duration); None when there is no break."""
    if not cfg:
        return None
    return (
        to_minutes(cfg["earliest"]) * 60,
        to_minutes(cfg["latest"]) * 60,
        int(cfg["minutes"]) * 60,
    )


@dataclass(frozen=True)
class PlanningSettings:
    """How day routes are planned: travel model, the rep's lunch break, solver time and threads."""

    osrm_url: str | None = Config.OSRM_URL
    osrm_max_locations: int = DEFAULT_OSRM_MAX_LOCATIONS
    travel_speed_kmh: float = Config.TRAVEL_SPEED_KMH
    travel_circuity: float = Config.TRAVEL_CIRCUITY
    lunch_break: tuple[int, int, int] | None = break_seconds(Config.ROUTE_BREAK)
    max_candidates: int = Config.ROUTE_MAX_CANDIDATES
    time_limit_base: float = Config.ROUTE_TIME_LIMIT_BASE
    time_limit_per_stop: float = Config.ROUTE_TIME_LIMIT_PER_STOP
    time_limit_max: float = Config.ROUTE_TIME_LIMIT_MAX
    solver_workers: int = Config.ROUTE_SOLVER_WORKERS
    policy: str = Config.ROUTE_PLANNING_POLICY
    horizon_days: int = Config.ROUTE_HORIZON_DAYS

    @classmethod
    def from_config(cls, config: Mapping) -> PlanningSettings:
        """The settings the ``OSRM_URL``, ``TRAVEL_*`` and ``ROUTE_*`` config keys give."""
        return cls(
            osrm_url=config.get("OSRM_URL"),
            osrm_max_locations=int(config.get("OSRM_MAX_LOCATIONS", DEFAULT_OSRM_MAX_LOCATIONS)),
            travel_speed_kmh=config["TRAVEL_SPEED_KMH"],
            travel_circuity=config["TRAVEL_CIRCUITY"],
            lunch_break=break_seconds(config.get("ROUTE_BREAK")),
            max_candidates=config["ROUTE_MAX_CANDIDATES"],
            time_limit_base=config["ROUTE_TIME_LIMIT_BASE"],
            time_limit_per_stop=config["ROUTE_TIME_LIMIT_PER_STOP"],
            time_limit_max=config["ROUTE_TIME_LIMIT_MAX"],
            solver_workers=config["ROUTE_SOLVER_WORKERS"],
            policy=config.get("ROUTE_PLANNING_POLICY", Config.ROUTE_PLANNING_POLICY),
            horizon_days=int(config.get("ROUTE_HORIZON_DAYS", Config.ROUTE_HORIZON_DAYS)),
        )


DEFAULT_SETTINGS = PlanningSettings()
