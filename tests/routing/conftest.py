"""Factories for small random day problems with windows, lunch closures and a break."""

from __future__ import annotations

import random

import pytest

from routing.models import Break, Location, Problem, Stop


def random_problem(seed: int, n: int = 6, brk: bool = True, required: int = 0) -> Problem:
    """A day 08:00-17:30 in a 20 x 20 km square; some stops closed over lunch."""
    rng = random.Random(seed)
    pts = [(rng.uniform(0, 20), rng.uniform(0, 20)) for _ in range(n + 1)]
    pts.append(pts[0])
    # 30 km/h on straight lines: 120 s per km.
    dur = tuple(
        tuple(int(((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5 * 120) for b in pts) for a in pts
    )
    h = 3600
    stops = []
    for i in range(n):
        service = rng.choice([15, 30, 45, 60]) * 60
        if rng.random() < 0.4:
            windows = ((9 * h, 12 * h - service), (14 * h, 17 * h - service))
        else:
            o = rng.randint(8, 13) * h
            windows = ((o, o + rng.randint(1, 4) * h),)
        stops.append(
            Stop(
                f"s{i}",
                Location(48 + pts[i + 1][0] / 100, 11),
                service,
                rng.randint(1, 100),
                windows,
                required=i < required,
            )
        )
    return Problem(
        shift_start=8 * h,
        shift_end=17 * h + 1800,
        start=None,
        end=None,
        stops=tuple(stops),
        durations=dur,
        brk=Break(11 * h + 1800, 13 * h + 1800, 1800) if brk else None,
        date="2026-11-24",
    )


@pytest.fixture
def make_problem():
    """Factory fixture: make_problem(seed, n=6, brk=True, required=0)."""
    return random_problem
