"""The simulation as a tracked job (``backend.core.tracked``): queued on RQ when configured."""

from __future__ import annotations

from flask import Flask

from backend.core.errors import Invalid
from backend.core.tracked import Progress
from backend.simulation import service
from backend.simulation.world import demo_world

KIND = "simulation"


def simulate_job(
    *,
    app: Flask,
    progress: Progress,
    month: str,
    policies: list[str],
    seeds: list[int],
    scenario: list[str],
    reps: int = 6,
    accounts_per_rep: int = 120,
    from_db: bool = False,
    time_limit: float = 0.0,
    processes: int | None = None,
) -> dict:
    """Compare ``policies`` over ``seeds`` on the demo team (or the database's team); the
    comparison's JSON. Progress counts rep-months simulated."""
    try:
        if from_db:
            from backend.simulation.world_db import world_from_db

            world = world_from_db(month)
        else:
            world = demo_world(month, reps=reps, accounts_per_rep=accounts_per_rep)
        return service.compare(
            world,
            policies,
            seeds,
            scenario,
            processes=processes,
            time_limit=time_limit,
            progress=progress,
        )
    except ValueError as err:  # bad input or nothing to simulate: the owner reads why
        raise Invalid(str(err), {"simulation": [str(err)]}) from err
