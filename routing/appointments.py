"""Appointments that cannot be kept: set aside with the reason, so the rest of the day plans.

A day with one unreachable appointment (four hours' drive away at 10:00) is still a working day
for the rep; failing the whole plan would leave them with nothing. Each impossible appointment
becomes a dropped stop whose reason gives the earliest possible arrival against its window.
Of two appointments that cannot both be kept, the earlier one stays: it is the one the rep
reaches first, and appointments carry no value to compare (they are required, not chosen).
"""

from __future__ import annotations

from dataclasses import replace

from routing.models import DroppedStop, Problem
from routing.schedule import simulate


def _hhmm(t: int) -> str:
    return f"{t // 3600:02d}:{t % 3600 // 60:02d}"


def _window(windows: tuple[tuple[int, int], ...]) -> str:
    return ", ".join(f"{_hhmm(o)}-{_hhmm(c)}" for o, c in windows) or "none"


def set_aside(p: Problem) -> tuple[Problem, list[DroppedStop]]:
    """`p` without the appointments that cannot be kept (closed, not required), and why."""
    aside: dict[int, str] = {}
    for i, s in enumerate(p.stops):
        if s.required and simulate(p, [i]) is None:
            earliest = p.shift_start + p.durations[0][i + 1]
            last = s.windows[-1][1] if s.windows else None
            if last is not None and earliest <= last:
                why = f"cannot be back by the end of the day ({_hhmm(p.shift_end)})"
            else:
                why = f"earliest possible arrival {_hhmm(earliest)}"
            aside[i] = f"appointment cannot be kept: {why}, window {_window(s.windows)}"
    kept: list[int] = []
    by_start = sorted(
        (i for i, s in enumerate(p.stops) if s.required and i not in aside),
        key=lambda i: (p.stops[i].windows[0][0], i),
    )
    for i in by_start:
        if simulate(p, [*kept, i]) is None:
            other = p.stops[kept[-1]].id if kept else "the day"
            aside[i] = (
                f"appointment cannot be kept: conflicts with the earlier appointment {other}, "
                f"window {_window(p.stops[i].windows)}"
            )
        else:
            kept.append(i)
    if p.max_stops is not None and len(kept) > p.max_stops:
        for i in kept[p.max_stops :]:
            aside[i] = "appointment cannot be kept: more appointments than the maximum stops"
    if not aside:
        return p, []
    stops = tuple(
        replace(s, required=False, windows=()) if i in aside else s for i, s in enumerate(p.stops)
    )
    return replace(p, stops=stops), [
        DroppedStop(p.stops[i].id, r) for i, r in sorted(aside.items())
    ]
