"""Earliest-time scheduling of a stop sequence, with the flexible break, and plan building.

Stops are referred to by their 0-based index in `Problem.stops`; matrix node = index + 1.
"""

from __future__ import annotations

from dataclasses import dataclass

from routing.models import (
    CLOSED,
    LOWER_VALUE,
    MAX_STOPS,
    NO_TIME,
    DroppedStop,
    Leg,
    Plan,
    PlannedStop,
    Problem,
    RoutingError,
)


@dataclass(frozen=True)
class Timing:
    """Times of a feasible sequence: per stop arrival and start, the break, the return."""

    arrivals: tuple[int, ...]
    starts: tuple[int, ...]
    end_arrival: int
    break_gap: int | None = None  # index k: break between stop k-1 (or start) and stop k
    break_start: int | None = None


def next_start(windows: tuple[tuple[int, int], ...], ready: int) -> int | None:
    """Earliest service start at or after `ready` inside one of the (sorted) windows."""
    for open_, close in windows:
        if ready <= close:
            return max(ready, open_)
    return None


def _forward(
    p: Problem, seq: list[int], k0: int, node: int, t: int, brk_gap: int | None
) -> tuple[list[int], list[int], int, int | None] | None:
    """Simulate from `node` departing at `t` over seq[k0:]; break taken in gap `brk_gap`."""
    durations = p.durations
    arrivals: list[int] = []
    starts: list[int] = []
    b_start = None
    for k in range(k0, len(seq) + 1):
        nxt = seq[k] + 1 if k < len(seq) else p.end_node
        tt = durations[node][nxt]
        arrival = t + tt
        if k == brk_gap:
            assert p.brk is not None
            b_start = max(t, p.brk.earliest)
            if b_start + p.brk.duration > p.brk.latest:
                return None
            # Taken en route it delays arrival; taken on site it only delays the start.
            ready = max(arrival, b_start) + p.brk.duration
            if b_start < arrival:
                arrival = ready
        else:
            ready = arrival
        if k == len(seq):
            if ready > p.shift_end:
                return None
            return arrivals, starts, ready, b_start
        stop = p.stops[seq[k]]
        start = next_start(stop.windows, ready)
        if start is None:
            return None
        arrivals.append(arrival)
        starts.append(start)
        t = start + stop.service
        node = nxt
    raise AssertionError("unreachable")


def simulate(p: Problem, seq: list[int]) -> Timing | None:
    """Earliest-time schedule of `seq`, placing the break in the gap that ends the day first."""
    if p.brk is None:
        res = _forward(p, seq, 0, 0, p.shift_start, None)
        if res is None:
            return None
        return Timing(tuple(res[0]), tuple(res[1]), res[2])
    best: Timing | None = None
    for k in range(len(seq) + 1):
        pre = _forward_prefix(p, seq, k)
        if pre is None:
            break
        pre_a, pre_s, t = pre
        node = seq[k - 1] + 1 if k else 0
        if max(t, p.brk.earliest) + p.brk.duration > p.brk.latest:
            break
        res = _forward(p, seq, k, node, t, k)
        if res is None:
            continue
        if best is None or res[2] < best.end_arrival:
            best = Timing(tuple(pre_a + res[0]), tuple(pre_s + res[1]), res[2], k, res[3])
    return best


def _forward_prefix(p: Problem, seq: list[int], k: int) -> tuple[list[int], list[int], int] | None:
    """Break-free times of the first k stops and the departure from the k-th."""
    t, node = p.shift_start, 0
    arrivals, starts = [], []
    for i in range(k):
        stop = p.stops[seq[i]]
        arrival = t + p.durations[node][seq[i] + 1]
        start = next_start(stop.windows, arrival)
        if start is None:
            return None
        arrivals.append(arrival)
        starts.append(start)
        t = start + stop.service
        node = seq[i] + 1
    return arrivals, starts, t


def travel_of(p: Problem, seq: list[int]) -> int:
    """Total travel seconds of start -> seq -> end."""
    nodes = [0] + [i + 1 for i in seq] + [p.end_node]
    return sum(p.durations[a][b] for a, b in zip(nodes, nodes[1:], strict=False))


def value_of(p: Problem, seq: list[int]) -> int:
    """Total value of the stops in `seq`."""
    return sum(p.stops[i].value for i in seq)


def _node_id(p: Problem, node: int) -> str:
    if node == 0:
        return "start"
    if node == p.end_node:
        return "end"
    return p.stops[node - 1].id


def drop_reason(p: Problem, seq: list[int], i: int) -> str:
    """Why stop i is not in `seq`: closed, no time even alone, max stops, or outvalued."""
    if not p.stops[i].windows:
        return CLOSED
    if simulate(p, [i]) is None:
        return NO_TIME
    if p.max_stops is not None and len(seq) >= p.max_stops:
        return MAX_STOPS
    return LOWER_VALUE


def build_plan(p: Problem, seq: list[int], solver: str = "") -> Plan:
    """Turn a feasible sequence into a Plan with times, legs, dropped stops and totals."""
    timing = simulate(p, seq)
    if timing is None:
        raise RoutingError("sequence is not feasible")
    stops = [
        PlannedStop(
            id=p.stops[i].id,
            arrival=timing.arrivals[k],
            start=timing.starts[k],
            departure=timing.starts[k] + p.stops[i].service,
            value=p.stops[i].value,
        )
        for k, i in enumerate(seq)
    ]
    nodes = [0] + [i + 1 for i in seq] + [p.end_node]
    legs = [
        Leg(
            _node_id(p, a),
            _node_id(p, b),
            p.durations[a][b],
            p.distances[a][b] if p.distances is not None else None,
        )
        for a, b in zip(nodes, nodes[1:], strict=False)
    ]
    in_plan = set(seq)
    dropped = [
        DroppedStop(s.id, drop_reason(p, seq, i)) for i, s in enumerate(p.stops) if i not in in_plan
    ]
    distance = None if p.distances is None else sum(leg.distance_m or 0 for leg in legs)
    b_start = timing.break_start
    return Plan(
        stops=stops,
        dropped=dropped,
        legs=legs,
        value=value_of(p, seq),
        travel_seconds=sum(leg.travel_seconds for leg in legs),
        distance_m=distance,
        start_time=p.shift_start,
        end_time=timing.end_arrival,
        break_start=b_start,
        break_end=None if b_start is None or p.brk is None else b_start + p.brk.duration,
        solver=solver,
    )
