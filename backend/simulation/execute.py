"""A planned day driven in a noisy world: what was really visited, driven and worked."""

from __future__ import annotations

import random
from dataclasses import dataclass, field

from backend.simulation.noise import Noise, lognormal
from routing.models import Problem
from routing.schedule import next_start, simulate

# A rep still on the road this long after the end of the day drops the rest and goes home.
GIVE_UP_S = 3600
CLOSED_LOSS_S = 5 * 60  # finding a closed door, and a word with the neighbour


@dataclass
class DayOutcome:
    """What happened: accounts visited, driving, distance, overtime, stops missed."""

    visited: list[str] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)
    missed: list[str] = field(default_factory=list)
    drive_s: float = 0.0
    distance_m: float = 0.0
    overtime_s: float = 0.0


def execute(p: Problem, seq: list[int], noise: Noise, rng: random.Random) -> DayOutcome:
    """Drive ``seq`` of ``p``: legs take noisy times, some visits run long, some doors are shut.

    The rep keeps the planned order and takes the planned break where the plan put it; a stop
    whose opening window has passed by the time they would get there is missed (they do not
    drive there); after ``GIVE_UP_S`` past the end of the day the rest is missed.
    """
    out = DayOutcome()
    timing = simulate(p, seq)
    brk_at = timing.break_gap if timing is not None else None
    traffic = lognormal(rng, noise.day_traffic_sigma)
    t, node = float(p.shift_start), 0
    dist = p.distances
    for k, x in enumerate(seq):
        stop = p.stops[x]
        if brk_at == k and p.brk is not None:
            t = max(t, p.brk.earliest) + p.brk.duration
        leg = p.durations[node][x + 1] * traffic * lognormal(rng, noise.leg_sigma)
        begin = next_start(stop.windows, int(t + leg)) if stop.windows else None
        if begin is None or t > p.shift_end + GIVE_UP_S:
            out.missed.append(stop.id)
            continue
        out.drive_s += leg
        out.distance_m += dist[node][x + 1] if dist is not None else 0
        node = x + 1
        if not stop.required and rng.random() < noise.closed_p:
            out.closed.append(stop.id)
            t = t + leg + CLOSED_LOSS_S
            continue
        service = stop.service
        if rng.random() < noise.long_visit_p:
            service *= rng.uniform(*noise.long_visit_factor)
        t = begin + service
        out.visited.append(stop.id)
    if brk_at is not None and brk_at >= len(seq) and p.brk is not None:
        t = max(t, p.brk.earliest) + p.brk.duration
    leg = p.durations[node][p.end_node] * traffic * lognormal(rng, noise.leg_sigma)
    out.drive_s += leg
    out.distance_m += dist[node][p.end_node] if dist is not None and node else 0
    out.overtime_s = max(0.0, t + leg - p.shift_end)
    return out
