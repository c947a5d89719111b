"""Typed data of the routing library: problems in, plans out, integer seconds throughout."""

from __future__ import annotations

from dataclasses import dataclass, field

# Reasons a candidate stop is not in the plan (shown to the rep as they are).
CLOSED = "closed that day"
NO_TIME = "no time left"
LOWER_VALUE = "lower value than the chosen ones"
MAX_STOPS = "maximum stops per day reached"


class RoutingError(Exception):
    """A routing failure the caller can show: travel provider down, no feasible plan, ..."""


class ProblemError(RoutingError):
    """Invalid problem input; `errors` maps a field path to its messages."""

    def __init__(self, errors: dict[str, list[str]]) -> None:
        self.errors = errors
        text = "; ".join(f"{path}: {', '.join(msgs)}" for path, msgs in sorted(errors.items()))
        super().__init__(f"invalid problem: {text}")


@dataclass(frozen=True)
class Location:
    """A point on earth (WGS84 degrees)."""

    lat: float
    lon: float


@dataclass(frozen=True)
class Break:
    """A flexible break of `duration` seconds lying entirely inside [earliest, latest]."""

    earliest: int
    latest: int
    duration: int


@dataclass(frozen=True)
class Stop:
    """A candidate visit; each window bounds the START of service (seconds since midnight)."""

    id: str
    location: Location | None
    service: int
    value: int
    windows: tuple[tuple[int, int], ...]
    required: bool = False


@dataclass(frozen=True)
class Problem:
    """One rep, one day: pick and order stops from `start` to `end` inside the shift.

    `durations` / `distances` are square matrices over nodes 0 = start, 1..n = stops in order,
    n + 1 = end. Distances are optional (metres). An empty `windows` tuple means closed that day.
    """

    shift_start: int
    shift_end: int
    start: Location | None
    end: Location | None
    stops: tuple[Stop, ...]
    durations: tuple[tuple[int, ...], ...]
    distances: tuple[tuple[int, ...], ...] | None = None
    brk: Break | None = None
    max_stops: int | None = None
    date: str | None = None

    @property
    def n(self) -> int:
        """Number of candidate stops."""
        return len(self.stops)

    @property
    def end_node(self) -> int:
        """Matrix index of the end location."""
        return len(self.stops) + 1


@dataclass(frozen=True)
class PlannedStop:
    """A stop in the plan with its planned times (seconds since midnight)."""

    id: str
    arrival: int
    start: int
    departure: int
    value: int


@dataclass(frozen=True)
class DroppedStop:
    """A candidate left out of the plan, with the reason shown to the rep."""

    id: str
    reason: str


@dataclass(frozen=True)
class Leg:
    """Travel between two consecutive points of the route (ids; "start"/"end" for the depots)."""

    origin: str
    destination: str
    travel_seconds: int
    distance_m: int | None


@dataclass
class Plan:
    """The solved day: ordered stops with times, the break, dropped stops and totals."""

    stops: list[PlannedStop]
    dropped: list[DroppedStop]
    legs: list[Leg]
    value: int
    travel_seconds: int
    distance_m: int | None
    start_time: int
    end_time: int
    break_start: int | None = None
    break_end: int | None = None
    solver: str = ""
    notes: list[str] = field(default_factory=list)

    @property
    def route(self) -> list[str]:
        """Stop ids in visiting order."""
        return [s.id for s in self.stops]
