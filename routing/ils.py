"""Iterated local search for one day's route (orienteering with time windows), no solver library.

After the engines, the best incumbent is improved until the deadline with the classic OPTW scheme
of Vansteenwegen et al. (2009): insert unvisited stops by value^2 / added time, then "shake" by
removing a run of consecutive stops and insert again. Two more moves help it where the engines
stop one stop short: travel-cutting relocate / 2-opt moves (they create slack for insertions) and
1-for-1 swaps of a visited stop for a more valuable unvisited one.

Feasibility is screened without the break in O(1) per position from earliest departures and
latest feasible starts (a break only adds time, so a move that fails without it fails with it);
on days with a break every change is confirmed by the full scheduler. Every kept route is
feasible and the best only ever improves, so the result is never worse than the incumbent.
Routes here are lists of matrix nodes (stop index + 1); the public functions take stop indices.
"""

from __future__ import annotations

import random
import time

import numpy as np

from routing.models import Problem
from routing.schedule import next_start, simulate

_NEVER = -(10**12)
_FAR = 2**50  # 'never' in int64 arithmetic with room to add times
_STALL = 8  # shakes without a new best before the walk restarts from the best
_SEGMENT = 3  # longest run of stops a relocate move carries
NOISE = 0.6  # relative random spread of insertion ratios after a shake


class Day:
    """One Problem as flat arrays in matrix-node terms (0 = start, n + 1 = end)."""

    def __init__(self, p: Problem) -> None:
        self.p = p
        self.d = p.durations
        self.end = p.end_node
        shift = ((p.shift_start, p.shift_end),)
        self.svc = [0, *(s.service for s in p.stops), 0]
        self.win = [shift, *(s.windows for s in p.stops), shift]
        self.val = [0, *(s.value for s in p.stops), 0]
        self.req = [False, *(s.required for s in p.stops), False]
        self.cap = p.max_stops if p.max_stops is not None else p.n
        # No route collects more than every stop that fits on its own (without the break).
        self.bound = sum(self.val[x] for x in range(1, self.end) if self.departures([x]))
        self.cands = [
            i + 1 for i, s in enumerate(p.stops) if s.windows and (s.value > 0 or s.required)
        ]
        # numpy copies for the vectorised insertion scan; windows padded to a common count with
        # windows no time fits into.
        self.dm = np.array(p.durations, dtype=np.int64)
        self.svc_a = np.array(self.svc, dtype=np.int64)
        self.gain = np.array(
            [10.0**12 if r else float(v) ** 2 for v, r in zip(self.val, self.req, strict=True)]
        )
        width = max(len(w) for w in self.win)
        self.wo = np.full((len(self.win), width), _FAR, dtype=np.int64)
        self.wc = np.full((len(self.win), width), -_FAR, dtype=np.int64)
        for node, windows in enumerate(self.win):
            for w, (o, c) in enumerate(windows):
                self.wo[node, w], self.wc[node, w] = o, c

    # --- timing -------------------------------------------------------------------------------

    def departures(self, route: list[int]) -> list[int] | None:
        """Break-free earliest departure from start and each stop; None if a window is missed."""
        d, svc, win = self.d, self.svc, self.win
        t, a = self.p.shift_start, 0
        deps = [t]
        for b in route:
            s = next_start(win[b], t + d[a][b])
            if s is None:
                return None
            t = s + svc[b]
            deps.append(t)
            a = b
        return deps if t + d[a][self.end] <= self.p.shift_end else None

    def latest(self, route: list[int]) -> list[int]:
        """Latest break-free start at each stop that keeps the rest feasible; last = shift end."""
        d, svc, win = self.d, self.svc, self.win
        lat = [_NEVER] * (len(route) + 1)
        lat[-1] = self.p.shift_end
        nxt = self.end
        for k in range(len(route) - 1, -1, -1):
            b = route[k]
            bound = lat[k + 1] - d[b][nxt] - svc[b]
            for o, c in reversed(win[b]):
                if o <= bound:
                    lat[k] = min(c, bound)
                    break
            nxt = b
        return lat

    def ok(self, route: list[int]) -> bool:
        """Feasible with the break (only called on routes that pass the break-free screen)."""
        return self.p.brk is None or simulate(self.p, [b - 1 for b in route]) is not None

    def feasible(self, route: list[int]) -> bool:
        """Fully feasible: windows, shift, break, stop cap, every required stop, no repeats."""
        return (
            len(route) <= self.cap
            and len(set(route)) == len(route)
            and all(b in route for b in range(1, self.end) if self.req[b])
            and self.departures(route) is not None
            and self.ok(route)
        )

    def _first_start(self, nodes: np.ndarray, ready: np.ndarray) -> np.ndarray:
        """Vectorised `next_start`: earliest start in a window of each node; _FAR if none."""
        out = np.full(ready.shape, _FAR, dtype=np.int64)
        for w in range(self.wo.shape[1] - 1, -1, -1):  # last first, so the earliest fit wins
            out = np.where(ready <= self.wc[nodes, w], np.maximum(ready, self.wo[nodes, w]), out)
        return out

    def scan(self, route: list[int], xs: list[int]) -> np.ndarray:
        """Delay each stop of xs causes at each position of route (downstream arrival shift:
        travel, waiting and service, as in Vansteenwegen's ILS); _FAR where it does not fit
        without the break. Shape (len(xs), len(route) + 1); position k = before route[k].
        """
        deps, lat = self.departures(route), self.latest(route)
        if deps is None:
            return np.full((len(xs), len(route) + 1), _FAR, dtype=np.int64)
        prev = np.array([0, *route])
        nxt = np.array([*route, self.end])
        x = np.array(xs)[:, None]
        dep = np.array(deps)
        s = self._first_start(x, dep + self.dm[prev[None, :], x])
        ready = s + self.svc_a[x] + self.dm[x, nxt[None, :]]
        fits = self._first_start(nxt[None, :], ready) <= np.array(lat)
        return np.where(fits, ready - (dep + self.dm[prev, nxt]), _FAR)

    def travel(self, route: list[int]) -> int:
        """Total travel of start -> route -> end."""
        d, a, total = self.d, 0, 0
        for b in route:
            total += d[a][b]
            a = b
        return total + d[a][self.end]

    def key(self, route: list[int]) -> tuple[int, int]:
        """Ordering of routes: more value, then less travel."""
        return sum(self.val[b] for b in route), -self.travel(route)

    # --- moves --------------------------------------------------------------------------------

    def fill(
        self, route: list[int], deadline: float, rng: random.Random | None = None
    ) -> list[int]:
        """Insert unvisited stops, best value^2 / delay first, while any fits.

        With `rng` each ratio gets a random factor, so repeated fills after shakes differ.
        """
        route = list(route)
        inside = set(route)
        # Insertions only take slack away, so a stop that does not fit now will not fit later
        # in this fill: it leaves the pool.
        pool = [x for x in self.cands if x not in inside]
        while pool and len(route) < self.cap and time.monotonic() < deadline:
            delay = self.scan(route, pool)
            at = delay.argmin(axis=1)
            best = delay[np.arange(len(pool)), at]
            fits = best < _FAR
            # Squared value favours valuable stops over merely cheap ones (Vansteenwegen).
            gain = self.gain[pool]
            if rng is not None:
                gain = gain * np.array([rng.uniform(1 - NOISE, 1 + NOISE) for _ in pool])
            ratio = np.where(fits, gain / (best + 1.0), -1.0)
            chosen = None
            for j in np.argsort(-ratio, kind="stable")[:20]:
                if not fits[j]:
                    break
                k = int(at[j])
                new = route[:k] + [pool[j]] + route[k:]
                if self.ok(new):
                    route, chosen = new, pool[j]
                    break
            if chosen is None:
                break
            pool = [x for x, f in zip(pool, fits, strict=True) if f and x != chosen]
        return route

    def swap(self, route: list[int], deadline: float) -> list[int] | None:
        """Replace one visited optional stop by a more valuable unvisited one, if one fits."""
        inside = set(route)
        free = sorted((x for x in self.cands if x not in inside), key=lambda x: -self.val[x])
        for k in sorted(range(len(route)), key=lambda k: self.val[route[k]]):
            r = route[k]
            if self.req[r]:
                continue
            better = [x for x in free if self.val[x] > self.val[r]]
            if not better or time.monotonic() > deadline:
                return None
            rest = route[:k] + route[k + 1 :]
            delay = self.scan(rest, better)
            at = delay.argmin(axis=1)
            fits = delay[np.arange(len(better)), at] < _FAR
            for j in np.flatnonzero(fits):  # `better` runs most valuable first
                pos = int(at[j])
                new = rest[:pos] + [better[j]] + rest[pos:]
                if self.ok(new):
                    return new
        return None

    def tighten(self, route: list[int], deadline: float) -> list[int]:
        """Cut travel with relocate (runs of 1-3 stops) and 2-opt moves that stay feasible."""
        route = list(route)
        while time.monotonic() < deadline:
            new = self._relocate(route) or self._two_opt(route)
            if new is None:
                return route
            route = new
        return route

    def _accept(self, new: list[int]) -> bool:
        return self.departures(new) is not None and self.ok(new)

    def _relocate(self, route: list[int]) -> list[int] | None:
        """First feasible travel-cutting move of a run of stops to another place."""
        d, ext, n = self.d, [0, *route, self.end], len(route)
        for i in range(1, n + 1):
            for j in range(i, min(n, i + _SEGMENT - 1) + 1):
                a, b, first, last = ext[i - 1], ext[j + 1], ext[i], ext[j]
                gain = d[a][first] + d[last][b] - d[a][b]
                for q in range(n + 1):
                    if i - 1 <= q <= j:
                        continue
                    u, v = ext[q], ext[q + 1]
                    if d[u][first] + d[last][v] - d[u][v] < gain:
                        seg = route[i - 1 : j]
                        rest = route[: i - 1] + route[j:]
                        at = q if q < i - 1 else q - len(seg)
                        new = rest[:at] + seg + rest[at:]
                        if self._accept(new):
                            return new
        return None

    def _two_opt(self, route: list[int]) -> list[int] | None:
        """First feasible travel-cutting reversal of a stretch (matrices may be asymmetric)."""
        d, ext, n = self.d, [0, *route, self.end], len(route)
        fwd, back = [0], [0]  # prefix travel along ext, forwards and backwards per leg
        for t in range(len(ext) - 1):
            fwd.append(fwd[-1] + d[ext[t]][ext[t + 1]])
            back.append(back[-1] + d[ext[t + 1]][ext[t]])
        for i in range(1, n):
            a = ext[i - 1]
            for j in range(i + 1, n + 1):
                b = ext[j + 1]
                old = d[a][ext[i]] + d[ext[j]][b] + fwd[j] - fwd[i]
                new_cost = d[a][ext[j]] + d[ext[i]][b] + back[j] - back[i]
                if new_cost < old:
                    new = route[: i - 1] + route[i - 1 : j][::-1] + route[j:]
                    if self._accept(new):
                        return new
        return None

    def local_search(
        self, route: list[int], deadline: float, rng: random.Random | None = None
    ) -> list[int]:
        """Fill, tighten, fill again and swap until no move adds value."""
        route = self.fill(route, deadline, rng)
        while time.monotonic() < deadline:
            before = len(route)
            route = self.fill(self.tighten(route, deadline), deadline)
            if len(route) > before:
                continue
            swapped = self.swap(route, deadline)
            if swapped is None:
                break
            route = swapped
        return route

    def shake(self, route: list[int], at: int, size: int) -> list[int]:
        """Remove `size` consecutive optional stops from position `at` (wrapping round)."""
        n = len(route)
        gone = {(at + t) % n for t in range(min(size, n))}
        new = [b for k, b in enumerate(route) if k not in gone or self.req[b]]
        # Dropping a stop only makes later stops earlier, except through rounding in a matrix
        # that breaks the triangle inequality: keep the old route then.
        return new if self._accept(new) else route


def improve(p: Problem, seq: list[int], deadline: float, seed: int = 0) -> list[int]:
    """Iterated local search from the feasible sequence `seq` until `deadline` (monotonic s).

    Returns a feasible sequence at least as good (value, then travel) as `seq`; an infeasible
    `seq` comes back unchanged.
    """
    day = Day(p)
    start = [i + 1 for i in seq]
    if not day.feasible(start):
        return list(seq)
    rng = random.Random(seed)
    best = cur = day.local_search(start, deadline)
    best_key = day.key(best)
    size, stall = 1, 0
    at = rng.randrange(max(1, len(cur)))
    # Once every stop that fits alone is in, only travel could still improve, and the local
    # search has already tightened it: stop instead of shaking until the deadline.
    while time.monotonic() < deadline and cur and best_key[0] < day.bound:
        cur = day.local_search(day.shake(cur, at, size), deadline, rng)
        key = day.key(cur)
        if key > best_key:
            best, best_key, size, stall = cur, key, 1, 0
        else:
            size, stall = size + 1, stall + 1
        # Vansteenwegen's schedule: the run moves on and grows, and starts small again when
        # it would remove half the route; a long stall restarts the walk from the best.
        at = (at + size) % max(1, len(cur))
        if size > max(1, len(cur) // 2):
            size = 1
        if stall >= _STALL:
            cur, stall, at = best, 0, rng.randrange(max(1, len(best)))
    return [b - 1 for b in best] if day.key(best) >= day.key(start) else list(seq)


def shorten(p: Problem, seq: list[int], deadline: float) -> list[int]:
    """Same stops, less travel: relocate / 2-opt until no move helps (or the deadline)."""
    day = Day(p)
    start = [i + 1 for i in seq]
    if not day.feasible(start):
        return list(seq)
    return [b - 1 for b in day.tighten(start, deadline)]
