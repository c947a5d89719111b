"""The world's surprises, drawn from a seeded generator per (seed, rep, day).

Each rep-day has its own ``random.Random`` seeded from text (stable across processes and
Python runs), so a rep's month does not depend on how reps are spread over processes, and a
policy change does not shift the other reps' luck. The rates are the defaults of ``Noise``.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True)
class Noise:
    """How uncertain the field is; ``Noise.off()`` gives a world that goes exactly to plan."""

    # Each leg's driving time is planned x a day factor x a leg factor (log-normal spreads).
    day_traffic_sigma: float = 0.10
    leg_sigma: float = 0.20
    long_visit_p: float = 0.10  # a visit runs long ...
    long_visit_factor: tuple[float, float] = (1.3, 2.0)  # ... by this factor
    closed_p: float = 0.02  # the rep arrives and the account is closed unexpectedly
    sick_p: float = 0.03  # a rep is off sick for the day
    appointment_p: float = 0.30  # per rep-day, a customer books an appointment ...
    appointment_ahead: tuple[int, int] = (1, 7)  # ... this many days ahead

    @classmethod
    def off(cls) -> Noise:
        """No surprises at all."""
        return cls(0.0, 0.0, 0.0, (1.0, 1.0), 0.0, 0.0, 0.0, (1, 1))


def rng_for(seed: int, rep_id: int, day: date, what: str) -> random.Random:
    """The generator of one kind of surprise for one rep on one day."""
    return random.Random(f"{seed}:{rep_id}:{day.isoformat()}:{what}")


def lognormal(rng: random.Random, sigma: float) -> float:
    """A multiplicative spread with median 1 (1.0 exactly when ``sigma`` is 0)."""
    return rng.lognormvariate(0.0, sigma) if sigma > 0 else 1.0
