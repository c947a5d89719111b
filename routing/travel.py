"""Travel providers: geodesic estimate, explicit matrix, and an OSRM server's table API."""

from __future__ import annotations

import json
import math
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from routing.models import Location, RoutingError

Matrix = tuple[tuple[int, ...], ...]
EARTH_RADIUS_M = 6_371_008.8  # IUGG mean radius


@dataclass(frozen=True)
class TravelMatrix:
    """Durations (seconds) and, where known, distances (metres) between locations."""

    durations: Matrix
    distances: Matrix | None = None


def _freeze(rows: Sequence[Sequence[float]]) -> Matrix:
    return tuple(tuple(int(round(v)) for v in row) for row in rows)


def geodesic_matrix(
    locations: Sequence[Location], speed_kmh: float = 40.0, circuity: float = 1.3
) -> TravelMatrix:
    """Straight-line distance times `circuity` (road detour factor), driven at `speed_kmh`.

    The straight line is the great circle on a sphere of the mean earth radius (haversine,
    vectorised): within 0.5 % of the ellipsoid's geodesic, far below what the circuity factor
    guesses, and milliseconds instead of seconds for a hundred stops.
    """
    if speed_kmh <= 0 or circuity < 1:
        raise RoutingError("speed_kmh must be > 0 and circuity >= 1")
    if not locations:
        return TravelMatrix((), ())
    lat = np.radians([loc.lat for loc in locations])
    lon = np.radians([loc.lon for loc in locations])
    half = (
        np.sin((lat[:, None] - lat[None, :]) / 2) ** 2
        + np.cos(lat)[:, None]
        * np.cos(lat)[None, :]
        * np.sin((lon[:, None] - lon[None, :]) / 2) ** 2
    )
    dist = 2 * EARTH_RADIUS_M * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0))) * circuity
    dist = (dist + dist.T) / 2  # exactly symmetric whatever the rounding
    return TravelMatrix(_freeze_array(dist / (speed_kmh / 3.6)), _freeze_array(dist))


def _freeze_array(m: np.ndarray) -> Matrix:
    return tuple(tuple(row) for row in np.rint(m).astype(np.int64).tolist())


def explicit_matrix(
    durations: Sequence[Sequence[float]], distances: Sequence[Sequence[float]] | None = None
) -> TravelMatrix:
    """Wrap caller-given matrices after checking they are square, same size and non-negative."""
    n = len(durations)
    for name, m in (("durations", durations), ("distances", distances)):
        if m is None:
            continue
        if len(m) != n or any(len(row) != n for row in m):
            raise RoutingError(f"{name} matrix must be {n} x {n}")
        if any(
            (not isinstance(v, int | float)) or v < 0 or math.isnan(v) for row in m for v in row
        ):
            raise RoutingError(f"{name} matrix must hold non-negative numbers")
    return TravelMatrix(_freeze(durations), _freeze(distances) if distances is not None else None)


class OsrmTable:
    """Client of an OSRM server's `table` service (`/table/v1/{profile}/{lon,lat;...}`).

    A stock osrm-routed refuses tables over 100 locations (`--max-table-size`), so larger ones
    are asked for in blocks: each request carries at most `max_locations` coordinates, with
    `sources` and `destinations` picking the block of rows and columns it fills.
    """

    def __init__(
        self,
        base_url: str,
        profile: str = "driving",
        timeout_s: float = 10.0,
        max_locations: int = 100,
    ) -> None:
        if max_locations < 2:
            raise RoutingError("OSRM max_locations must be at least 2")
        self.base_url = base_url.rstrip("/")
        self.profile = profile
        self.timeout_s = timeout_s
        self.max_locations = max_locations

    def matrix(self, locations: Sequence[Location]) -> TravelMatrix:
        """Ask the server for all-pairs durations and distances; raise RoutingError on any failure."""
        n = len(locations)
        if n < 1:
            raise RoutingError("OSRM table needs at least one location")
        if n <= self.max_locations:
            return self._parse(self._get(locations, ""), n)
        size = self.max_locations // 2
        blocks = [list(range(i, min(i + size, n))) for i in range(0, n, size)]
        dur = [[0.0] * n for _ in range(n)]
        dist: list[list[float]] | None = [[0.0] * n for _ in range(n)]
        for rows in blocks:
            for cols in blocks:
                # One request per block pair: its own coordinates, rows first when they differ.
                idx = rows if rows == cols else rows + cols
                src = ";".join(str(k) for k in range(len(rows)))
                dst_start = 0 if rows == cols else len(rows)
                dst = ";".join(str(k) for k in range(dst_start, dst_start + len(cols)))
                body = self._get([locations[k] for k in idx], f"&sources={src}&destinations={dst}")
                part = self._parse(body, len(rows), len(cols))
                for a, i in enumerate(rows):
                    for b, j in enumerate(cols):
                        dur[i][j] = part.durations[a][b]
                        if dist is not None and part.distances is not None:
                            dist[i][j] = part.distances[a][b]
                        else:
                            dist = None
        return explicit_matrix(dur, dist)

    def _get(self, locations: Sequence[Location], extra: str) -> object:
        coords = ";".join(f"{loc.lon:.6f},{loc.lat:.6f}" for loc in locations)
        url = (
            f"{self.base_url}/table/v1/{self.profile}/{coords}?annotations=duration,distance{extra}"
        )
        try:
            with urllib.request.urlopen(url, timeout=self.timeout_s) as resp:
                return json.loads(resp.read().decode("utf-8"))
        except urllib.error.HTTPError as exc:
            raise RoutingError(f"OSRM at {self.base_url} answered HTTP {exc.code}") from exc
        except (urllib.error.URLError, OSError, TimeoutError) as exc:
            raise RoutingError(f"OSRM at {self.base_url} is unreachable: {exc}") from exc
        except ValueError as exc:
            raise RoutingError(f"OSRM at {self.base_url} sent invalid JSON") from exc

    def _parse(self, body: object, n: int, cols: int | None = None) -> TravelMatrix:
        if not isinstance(body, dict) or body.get("code") != "Ok":
            code = body.get("code") if isinstance(body, dict) else None
            raise RoutingError(f"OSRM at {self.base_url} answered code {code!r}")
        width = n if cols is None else cols
        durations = body.get("durations")
        distances = body.get("distances")
        # OSRM answers null for unreachable pairs; a plan over them would be meaningless.
        for name, m in (("durations", durations), ("distances", distances)):
            if m is None and name == "distances":
                continue
            if (
                not isinstance(m, list)
                or len(m) != n
                or any(not isinstance(row, list) or len(row) != width for row in m)
            ):
                raise RoutingError(f"OSRM answer has no {n} x {width} {name} table")
            if any(v is None for row in m for v in row):
                raise RoutingError("OSRM reports unreachable locations (null in the table)")
        try:
            if cols is None:
                return explicit_matrix(durations, distances)
            return TravelMatrix(_checked(durations), _checked(distances) if distances else None)
        except RoutingError as exc:
            raise RoutingError(f"OSRM answer is malformed: {exc}") from exc


def _checked(m: Sequence[Sequence[float]]) -> Matrix:
    """A rectangular block of non-negative numbers, rounded to integers."""
    if any((not isinstance(v, int | float)) or v < 0 or math.isnan(v) for row in m for v in row):
        raise RoutingError("matrix must hold non-negative numbers")
    return _freeze(m)
