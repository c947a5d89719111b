"""Deterministic greedy construction and repair (no solver library); the ILS is routing.ils.

Insertion feasibility is first screened in O(1) with break-free latest start times (a break only
adds time, so a move that fails without it fails with it), then confirmed by full simulation.
"""

from __future__ import annotations

import time

from routing.models import Problem
from routing.schedule import next_start, simulate


def _forward(p: Problem, seq: list[int]) -> list[int]:
    """Break-free earliest departure from each node of start -> seq (index 0 = start)."""
    deps, t, node = [p.shift_start], p.shift_start, 0
    for i in seq:
        start = next_start(p.stops[i].windows, t + p.durations[node][i + 1])
        t = (start if start is not None else 10**12) + p.stops[i].service
        deps.append(t)
        node = i + 1
    return deps


def _latest(p: Problem, seq: list[int]) -> list[int]:
    """Latest break-free start at each stop of seq that keeps the rest feasible (-1 if none)."""
    out = [-1] * len(seq)
    bound_next, node_next = p.shift_end, p.end_node
    for k in range(len(seq) - 1, -1, -1):
        i = seq[k]
        bound = bound_next - p.durations[i + 1][node_next] - p.stops[i].service
        latest = -1
        for o, c in reversed(p.stops[i].windows):
            if o <= bound:
                latest = min(c, bound)
                break
        out[k] = latest
        bound_next, node_next = latest, i + 1
        if latest < 0:
            bound_next = -(10**12)
    return out


def insertions(p: Problem, seq: list[int], x: int) -> list[tuple[int, int]]:
    """Break-free feasible positions for stop x in seq as (added travel, position), cheapest first."""
    deps, lat = _forward(p, seq), _latest(p, seq)
    d, sx, wx = p.durations, p.stops[x].service, p.stops[x].windows
    out = []
    for k in range(len(seq) + 1):
        prev = seq[k - 1] + 1 if k else 0
        nxt = seq[k] + 1 if k < len(seq) else p.end_node
        start = next_start(wx, deps[k] + d[prev][x + 1])
        if start is None:
            break  # later positions only depart later
        ready = start + sx + d[x + 1][nxt]
        if k < len(seq):
            s2 = next_start(p.stops[seq[k]].windows, ready)
            if s2 is None or s2 > lat[k]:
                continue
        elif ready > p.shift_end:
            continue
        out.append((d[prev][x + 1] + d[x + 1][nxt] - d[prev][nxt], k))
    out.sort()
    return out


def _best_insert(p: Problem, seq: list[int], cands: list[int]) -> list[int] | None:
    """The feasible single insertion with the best value per added time, or None."""
    moves = []
    for x in cands:
        s = p.stops[x]
        for added, k in insertions(p, seq, x)[:3]:
            weight = (10**9 if s.required else s.value) / (added + s.service + 1)
            moves.append((-weight, added, x, k))
    moves.sort()
    for _, _, x, k in moves[:30]:
        new = seq[:k] + [x] + seq[k:]
        if p.brk is None or simulate(p, new) is not None:
            return new
    return None


def _room(p: Problem, seq: list[int]) -> bool:
    return p.max_stops is None or len(seq) < p.max_stops


def fill(p: Problem, seq: list[int], deadline: float = float("inf")) -> list[int]:
    """Insert unplanned stops with positive value (required first) while any fits."""
    seq = list(seq)
    while _room(p, seq) and time.monotonic() < deadline:
        free = [i for i, s in enumerate(p.stops) if i not in seq and s.windows]
        req = [i for i in free if p.stops[i].required]
        new = _best_insert(p, seq, req or [i for i in free if p.stops[i].value > 0])
        if new is None:
            break
        seq = new
    return seq


def greedy(p: Problem) -> list[int]:
    """Deterministic fallback: required stops first, then best value-per-time insertion."""
    # May miss a required stop when insertion order paints it into a corner; solve() then
    # relies on the engines and the checker rejects any plan that misses one.
    return fill(p, [])


def repair(p: Problem, seq: list[int]) -> list[int] | None:
    """Drop the cheapest optional stops until the sequence (with the break) is feasible."""
    seq = list(seq)
    while simulate(p, seq) is None or (p.max_stops is not None and len(seq) > p.max_stops):
        opts = [i for i in seq if not p.stops[i].required]
        if not opts:
            return None
        fits = [i for i in opts if simulate(p, [j for j in seq if j != i]) is not None]
        pool = fits or opts
        victim = min(pool, key=lambda i: (p.stops[i].value, -p.stops[i].service))
        seq.remove(victim)
    return seq
