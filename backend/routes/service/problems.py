"""What a day problem is made of: opening hours as start windows, service times, travel, break.

Shared by the day planner (``planning``) and the horizon (``horizon``), which builds one day
problem per working day.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from backend.accounts.models import Account
from backend.core.hours import WEEKDAYS, to_minutes
from backend.routes.service.settings import PlanningSettings
from routing.models import Break, Location, Problem, RoutingError
from routing.travel import OsrmTable, TravelMatrix, geodesic_matrix

# Value per unit of cadence urgency: the solver works in integers.
VALUE_SCALE = 10
DEFAULT_VISIT_MINUTES = 30
log = logging.getLogger(__name__)


@dataclass
class DayProblem:
    """A routing problem plus what the service needs to turn the plan back into accounts."""

    problem: Problem
    accounts: dict[str, Account]
    closed: list[str]
    notes: list[str] = field(default_factory=list)


def start_windows(
    account: Account, weekday: int, service: int, shift: tuple[int, int]
) -> tuple[tuple[int, int], ...]:
    """Opening hours of that weekday as windows for the START of service, inside the shift.

    A visit must end by closing time, so a window [open, close] becomes [open, close - service].
    Accounts with no opening hours on record are treated as open all working day.
    """
    hours = account.opening_hours or {}
    windows = hours.get(WEEKDAYS[weekday], []) if hours else [["00:00", "24:00"]]
    out = []
    for open_, close in windows:
        lo = max(to_minutes(open_) * 60, shift[0])
        hi = min(to_minutes(close) * 60 - service, shift[1] - service)
        if hi >= lo:
            out.append((lo, hi))
    return tuple(out)


def service_seconds(account: Account, tier_minutes: dict[str, int]) -> int:
    minutes = account.service_minutes or tier_minutes.get(account.tier, DEFAULT_VISIT_MINUTES)
    return int(minutes) * 60


ROAD_TIMES_UNAVAILABLE = "road times unavailable: straight-line estimate"


def travel(locations: list[Location], notes: list[str], settings: PlanningSettings) -> TravelMatrix:
    """Road times from OSRM when configured; the geodesic model (noted) when it fails."""
    if settings.osrm_url:
        table = OsrmTable(settings.osrm_url, max_locations=settings.osrm_max_locations)
        try:
            return table.matrix(locations)
        except RoutingError as err:
            # A plan on estimated times beats no plan: the rep is told, the failure logged.
            log.warning("OSRM failed, planning on straight-line times: %s", err)
            notes.append(ROAD_TIMES_UNAVAILABLE)
    return geodesic_matrix(locations, settings.travel_speed_kmh, settings.travel_circuity)


def lunch_break(shift_start: int, shift_end: int, settings: PlanningSettings) -> Break | None:
    if settings.lunch_break is None:
        return None
    earliest, latest, duration = settings.lunch_break
    earliest, latest = max(earliest, shift_start), min(latest, shift_end)
    return Break(earliest, latest, duration) if latest - earliest >= duration else None
