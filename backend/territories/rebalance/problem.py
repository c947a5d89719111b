"""The balancing problem as plain data: reps, accounts, the minutes an account costs each rep.

Workload is linear in the assignment on purpose: an account costs a rep its service minutes
plus the driving its visits add (see :func:`account_minutes`), so the optimiser, the greedy
baseline and the workload report all measure the same thing and a proposal's "after" figures
are exactly what the workload page will show once it is applied.

Travel estimate (documented in docs/api-contract.md, "Workload"): a rep's visits in a period are
driven as day tours from home, ``visits_per_day`` stops a day. Following Daganzo's approximation
of vehicle-routing tour length (Daganzo 1984, "The distance traveled to visit N points with a
maximum of C stops per vehicle"), the period's distance is ``2 * r * N / C + k * sqrt(N * A)``:
the line-haul out to each day's cluster and back (``r`` the distance from home, per visit) plus
the local legs between stops (``k = 0.57``, ``A`` the area the team covers, ``N`` its visits).
The line-haul term depends on the rep's home, which keeps territories compact: an account far
from a rep's home costs that rep more. The local term uses the team's density, the same for
every rep, which keeps it linear. Distances are great-circle times the routing module's circuity,
driven at its speed; the sum is scaled by ``TravelModel.calibration`` (1.3), fitted against
routed days (bench/territories.py prints the ratio).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import numpy as np

from routing.travel import EARTH_RADIUS_M

DAGANZO_K = 0.57


@dataclass(frozen=True)
class Rep:
    """A rep who can take accounts: home, capacity in the period (minutes)."""

    id: int
    lat: float
    lon: float
    capacity_minutes: float = 0.0
    name: str = ""


@dataclass(frozen=True)
class Account:
    """An account as the optimiser sees it.

    ``service_minutes``: what the cadence plan asks of it in the period (visits, calls, emails);
    ``visits``: how many visits that includes (they drive travel); ``movable``: False when it is
    locked or outside the caller's scope: it still weighs on its owner but never moves.
    """

    id: int
    owner_id: int
    lat: float
    lon: float
    service_minutes: float
    visits: float
    movable: bool = True
    potential: float = 0.0


@dataclass(frozen=True)
class TravelModel:
    """Speed and detour factor of the routing module, and the stops a rep makes a day."""

    speed_kmh: float = 40.0
    circuity: float = 1.3
    visits_per_day: float = 6.0
    # Daganzo's formula assumes ideal zones; real days (visits cut into days by sweeping around
    # home, each day routed by the routing module) drive about 1.3 times as far. Fitted on the
    # synthetic teams of bench/territories.py, which prints estimate / routed on every run.
    calibration: float = 1.3


@dataclass
class Costs:
    """Minutes each account costs each rep: ``service[a]`` + ``travel[a][r]``."""

    reps: list[Rep]
    accounts: list[Account]
    service: np.ndarray  # (n_accounts,)
    travel: np.ndarray  # (n_accounts, n_reps)
    distance_km: np.ndarray  # (n_accounts, n_reps), home to account, on the road
    rep_index: dict[int, int] = field(default_factory=dict)

    def minutes(self, a: int, r: int) -> float:
        """Workload minutes of account ``a`` for rep ``r``."""
        return float(self.service[a] + self.travel[a, r])


def cross_km(lat1, lon1, lat2, lon2, circuity: float) -> np.ndarray:
    """Road kilometres (great circle x circuity) between every point of set 1 and set 2."""
    p1, l1 = (
        np.radians(np.asarray(lat1, float))[:, None],
        np.radians(np.asarray(lon1, float))[:, None],
    )
    p2, l2 = (
        np.radians(np.asarray(lat2, float))[None, :],
        np.radians(np.asarray(lon2, float))[None, :],
    )
    half = np.sin((p2 - p1) / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin((l2 - l1) / 2) ** 2
    return 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0))) / 1000 * circuity


def _area_km2(accounts: Sequence[Account]) -> float:
    """The area the accounts cover: their bounding box (equirectangular), at least 1 km2."""
    if not accounts:
        return 1.0
    lats = [a.lat for a in accounts]
    lons = [a.lon for a in accounts]
    mid = math.radians((max(lats) + min(lats)) / 2)
    height = (max(lats) - min(lats)) * 111.195
    width = (max(lons) - min(lons)) * 111.195 * math.cos(mid)
    return max(height * width, 1.0)


def costs(reps: Sequence[Rep], accounts: Sequence[Account], model: TravelModel) -> Costs:
    """The minutes every account costs every rep under the travel estimate (module docstring)."""
    reps, accounts = list(reps), list(accounts)
    n, m = len(accounts), len(reps)
    service = np.array([a.service_minutes for a in accounts], float)
    visits = np.array([a.visits for a in accounts], float)
    if n == 0 or m == 0:
        empty = np.zeros((n, m))
        return Costs(reps, accounts, service, empty, empty, {r.id: i for i, r in enumerate(reps)})
    dist = cross_km(
        [a.lat for a in accounts],
        [a.lon for a in accounts],
        [r.lat for r in reps],
        [r.lon for r in reps],
        model.circuity,
    )
    total_visits = float(visits.sum())
    local_km_per_visit = (
        DAGANZO_K * math.sqrt(_area_km2(accounts) / total_visits) if total_visits else 0.0
    )
    per_day = max(model.visits_per_day, 1.0)
    km = visits[:, None] * (2 * dist / per_day + local_km_per_visit) * model.calibration
    travel = km / model.speed_kmh * 60
    return Costs(reps, accounts, service, travel, dist, {r.id: i for i, r in enumerate(reps)})


def loads(c: Costs, owners: Mapping[int, int] | None = None) -> dict[int, dict[str, float]]:
    """Per rep ``{"service", "travel", "total", "accounts", "potential"}`` for an assignment.

    ``owners`` maps account id -> rep id (default: each account's current owner). Accounts of
    reps outside ``c.reps`` are left out.
    """
    out = {
        r.id: {"service": 0.0, "travel": 0.0, "total": 0.0, "accounts": 0, "potential": 0.0}
        for r in c.reps
    }
    for a, acc in enumerate(c.accounts):
        rep_id = owners.get(acc.id, acc.owner_id) if owners is not None else acc.owner_id
        r = c.rep_index.get(rep_id)
        if r is None:
            continue
        row = out[rep_id]
        row["service"] += float(c.service[a])
        row["travel"] += float(c.travel[a, r])
        row["accounts"] += 1
        row["potential"] += acc.potential
    for row in out.values():
        row["total"] = row["service"] + row["travel"]
    return out


def team_metrics(totals: Sequence[float]) -> dict[str, float | None]:
    """``parity`` (max |w - mean| / mean), ``max_min_ratio`` and ``cv`` of workload minutes."""
    values = [float(v) for v in totals]
    if not values:
        return {"parity": None, "max_min_ratio": None, "cv": None, "mean_minutes": None}
    mean = sum(values) / len(values)
    if mean <= 0:
        return {"parity": 0.0, "max_min_ratio": None, "cv": 0.0, "mean_minutes": 0.0}
    low = min(values)
    std = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values))
    return {
        "parity": round(max(abs(v - mean) for v in values) / mean, 4),
        "max_min_ratio": round(max(values) / low, 4) if low > 0 else None,
        "cv": round(std / mean, 4),
        "mean_minutes": round(mean, 1),
    }


def summary(c: Costs, owners: Mapping[int, int] | None = None) -> dict:
    """Team metrics and total travel minutes of an assignment."""
    per_rep = loads(c, owners)
    metrics = team_metrics([row["total"] for row in per_rep.values()])
    travel = round(sum(row["travel"] for row in per_rep.values()), 1)
    return {"metrics": metrics, "travel_minutes": travel, "per_rep": per_rep}
