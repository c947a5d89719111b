"""Team orienteering with time windows (TOPTW): `m` routes share one Problem's stops.

Every route runs from the start to the end inside the shift, as the day route does; a stop is
served by at most one route and the score is the value of all served stops. This is the
iterated local search of `routing.ils` grown to several routes, after the TOPTW scheme of
Vansteenwegen, Souffriau, Vanden Berghe and Van Oudheusden (Computers & OR 36, 2009):

- insertion: every unvisited stop is scanned against every route at once (`Day.scan`), and the
  best value^2 / delay over all routes goes in first;
- inter-route moves that cut travel and so make room: relocate a stop to another route, swap
  two stops of two routes, cross two routes (exchange their tails, "2-opt*");
- per-route moves of the day ILS: relocate / 2-opt (`Day.tighten`) and 1-for-1 swaps with a
  more valuable unvisited stop;
- shake: the same run of consecutive stops (position, length) leaves every route, and a noisy
  refill follows; the run moves on and grows without a new best, and a long stall restarts from
  the best. Refills close to the best value get the full local search.
- recombination (`routing.toptw_pool`): the routes of every visited solution go into a pool, and
  at fixed shares of the time limit CP-SAT picks the best `m` disjoint pool routes (set
  packing); the walk goes on from that if it beats the best.

Routes here are lists of matrix nodes (stop index + 1); the public functions take and give stop
indices. Each route is confirmed by the full scheduler (the break), so every kept solution is
feasible and the best only improves.
"""

from __future__ import annotations

import random
import time

import numpy as np

from routing.check import check
from routing.ils import _FAR, NOISE, Day
from routing.models import Problem
from routing.schedule import build_plan, simulate
from routing.toptw_pool import RoutePool

_STALL = 10  # shakes without a new best before the walk restarts from the best
# After a shake, only a refill is cheap; the full local search (the travel-cutting moves inside
# and between routes) runs on refills within this share of the best value. Measured on r103,
# r106, rc105, c103, r110 with 2-4 routes at 5 s: more shakes, better or equal on 4 of 5.
NEAR = 0.97
# Shares of the time limit at which the route pool is recombined (set packing, CP-SAT), and the
# longest share of the limit one recombination may take. Measured on r111, rc107, r103, rc106
# with 4 routes at 10 s: three points scored 3770 in all against 3758 for two (0.5, 0.8); one
# run each on a noisy shared machine.
RECOMBINE_AT = (0.3, 0.55, 0.8)
RECOMBINE_SHARE = 0.08

Routes = list[list[int]]


class Team:
    """The moves of the team search over one Day (the stops and their matrix)."""

    def __init__(self, p: Problem, m: int) -> None:
        if m < 1:
            raise ValueError("a team needs at least one route")
        self.day = Day(p)
        self.m = m

    # --- evaluation ---------------------------------------------------------------------------

    def value(self, routes: Routes) -> int:
        return sum(self.day.val[b] for r in routes for b in r)

    def travel(self, routes: Routes) -> int:
        return sum(self.day.travel(r) for r in routes)

    def key(self, routes: Routes) -> tuple[int, int]:
        """Ordering of solutions: more value, then less travel."""
        return self.value(routes), -self.travel(routes)

    def _fits(self, route: list[int]) -> bool:
        day = self.day
        return len(route) <= day.cap and day.departures(route) is not None and day.ok(route)

    # --- insertion ----------------------------------------------------------------------------

    def fill(self, routes: Routes, deadline: float, rng: random.Random | None = None) -> Routes:
        """Insert unvisited stops into any route, best value^2 / delay over all routes first."""
        day = self.day
        routes = [list(r) for r in routes]
        taken = {b for r in routes for b in r}
        pool = [x for x in day.cands if x not in taken]
        while pool and time.monotonic() < deadline:
            # delay[r, j]: least delay of pool[j] in route r; pos[r, j]: where.
            delay = np.full((self.m, len(pool)), _FAR, dtype=np.int64)
            pos = np.zeros((self.m, len(pool)), dtype=np.int64)
            for r, route in enumerate(routes):
                if len(route) >= day.cap:
                    continue
                scan = day.scan(route, pool)
                pos[r] = scan.argmin(axis=1)
                delay[r] = scan[np.arange(len(pool)), pos[r]]
            which = delay.argmin(axis=0)
            best = delay[which, np.arange(len(pool))]
            fits = best < _FAR
            if not fits.any():
                break
            gain = day.gain[pool]
            if rng is not None:
                gain = gain * np.array([rng.uniform(1 - NOISE, 1 + NOISE) for _ in pool])
            ratio = np.where(fits, gain / (best + 1.0), -1.0)
            chosen = None
            for j in np.argsort(-ratio, kind="stable")[:20]:
                if not fits[j]:
                    break
                r, k = int(which[j]), int(pos[which[j], j])
                new = routes[r][:k] + [pool[j]] + routes[r][k:]
                if day.ok(new):
                    routes[r], chosen = new, pool[j]
                    break
            if chosen is None:
                break
            pool = [x for x, f in zip(pool, fits, strict=True) if f and x != chosen]
        return routes

    def swap_in(self, routes: Routes, deadline: float) -> Routes | None:
        """Replace one visited stop by a more valuable unvisited one, in any route."""
        day = self.day
        taken = {b for r in routes for b in r}
        free = sorted((x for x in day.cands if x not in taken), key=lambda x: -day.val[x])
        if not free:
            return None
        visits = sorted(
            ((day.val[b], r, k) for r, route in enumerate(routes) for k, b in enumerate(route)),
        )
        for v, r, k in visits:
            if day.req[routes[r][k]]:
                continue
            better = [x for x in free if day.val[x] > v]
            if not better or time.monotonic() > deadline:
                return None
            rest = routes[r][:k] + routes[r][k + 1 :]
            scan = day.scan(rest, better)
            at = scan.argmin(axis=1)
            fits = scan[np.arange(len(better)), at] < _FAR
            for j in np.flatnonzero(fits):
                new = rest[: int(at[j])] + [better[j]] + rest[int(at[j]) :]
                if day.ok(new):
                    out = [list(x) for x in routes]
                    out[r] = new
                    return out
        return None

    # --- inter-route moves (travel) -----------------------------------------------------------

    def relocate(self, routes: Routes, deadline: float) -> Routes | None:
        """A move of one stop to another route that cuts total travel and stays feasible: per
        target route, every stop of the other routes is scanned at once; the biggest cut first.
        """
        day, dm = self.day, self.day.dm
        # saved[x]: travel its own route loses without it.
        movers: list[tuple[int, int, int, int]] = []  # (route, position, node, saved)
        for a, ra in enumerate(routes):
            ext = [0, *ra, day.end]
            for i, x in enumerate(ra):
                saved = int(dm[ext[i], x] + dm[x, ext[i + 2]] - dm[ext[i], ext[i + 2]])
                if saved > 0:
                    movers.append((a, i, x, saved))
        if not movers:
            return None
        for b, rb in enumerate(routes):
            if len(rb) >= day.cap or time.monotonic() > deadline:
                continue
            cand = [mv for mv in movers if mv[0] != b]
            if not cand:
                continue
            xs = np.array([mv[2] for mv in cand])
            eb = np.array([0, *rb, day.end])
            added = dm[eb[:-1][None, :], xs[:, None]] + dm[xs[:, None], eb[1:][None, :]]
            added = added - dm[eb[:-1], eb[1:]][None, :]
            gain = np.array([mv[3] for mv in cand])[:, None] - added
            scan = day.scan(rb, [int(x) for x in xs])
            good = (scan < _FAR) & (gain > 0)
            for j, k in sorted(zip(*np.nonzero(good), strict=True), key=lambda jk: -gain[jk]):
                a, i, x, _ = cand[int(j)]
                new_b = rb[: int(k)] + [x] + rb[int(k) :]
                new_a = routes[a][:i] + routes[a][i + 1 :]
                if day.ok(new_b) and self._fits(new_a):
                    out = [list(r) for r in routes]
                    out[a], out[b] = new_a, new_b
                    return out
        return None

    def exchange(self, routes: Routes, deadline: float) -> Routes | None:
        """First swap of two stops between two routes that cuts total travel, feasibly."""
        day, d = self.day, self.day.d
        for a in range(self.m):
            for b in range(a + 1, self.m):
                ra, rb = routes[a], routes[b]
                ea, eb = [0, *ra, day.end], [0, *rb, day.end]
                for i, x in enumerate(ra):
                    if time.monotonic() > deadline:
                        return None
                    pa, na = ea[i], ea[i + 2]
                    for j, y in enumerate(rb):
                        pb, nb = eb[j], eb[j + 2]
                        delta = (
                            d[pa][y] + d[y][na] - d[pa][x] - d[x][na]
                            + d[pb][x] + d[x][nb] - d[pb][y] - d[y][nb]
                        )  # fmt: skip
                        if delta >= 0:
                            continue
                        new_a = ra[:i] + [y] + ra[i + 1 :]
                        new_b = rb[:j] + [x] + rb[j + 1 :]
                        if self._fits(new_a) and self._fits(new_b):
                            out = [list(r) for r in routes]
                            out[a], out[b] = new_a, new_b
                            return out
        return None

    def cross(self, routes: Routes, deadline: float) -> Routes | None:
        """First exchange of two routes' tails (2-opt*) that cuts total travel, feasibly."""
        day, d = self.day, self.day.d
        for a in range(self.m):
            for b in range(a + 1, self.m):
                ra, rb = routes[a], routes[b]
                ea, eb = [0, *ra, day.end], [0, *rb, day.end]
                for i in range(len(ra) + 1):
                    if time.monotonic() > deadline:
                        return None
                    for j in range(len(rb) + 1):
                        # Cut after ea[i] and eb[j]: a keeps its head and takes b's tail.
                        old = d[ea[i]][ea[i + 1]] + d[eb[j]][eb[j + 1]]
                        new = d[ea[i]][eb[j + 1]] + d[eb[j]][ea[i + 1]]
                        if new >= old:
                            continue
                        new_a, new_b = ra[:i] + rb[j:], rb[:j] + ra[i:]
                        if self._fits(new_a) and self._fits(new_b):
                            out = [list(r) for r in routes]
                            out[a], out[b] = new_a, new_b
                            return out
        return None

    # --- search -------------------------------------------------------------------------------

    def tighten(self, routes: Routes, deadline: float) -> Routes:
        """Cut travel inside routes, then between them, until no move helps."""
        day = self.day
        routes = [day.tighten(r, deadline) for r in routes]
        while time.monotonic() < deadline:
            new = (
                self.relocate(routes, deadline)
                or self.exchange(routes, deadline)
                or self.cross(routes, deadline)
            )
            if new is None:
                break
            routes = [day.tighten(r, deadline) for r in new]
        return routes

    def local_search(
        self, routes: Routes, deadline: float, rng: random.Random | None = None
    ) -> Routes:
        """Fill, tighten, fill again and swap in until no move adds value."""
        routes = self.fill(routes, deadline, rng)
        while time.monotonic() < deadline:
            before = self.value(routes)
            routes = self.fill(self.tighten(routes, deadline), deadline)
            if self.value(routes) > before:
                continue
            swapped = self.swap_in(routes, deadline)
            if swapped is None:
                break
            routes = swapped
        return routes

    def shake(self, routes: Routes, at: int, size: int) -> Routes:
        """Remove `size` consecutive optional stops from position `at` of every route."""
        out = []
        for route in routes:
            n = len(route)
            if not n:
                out.append([])
                continue
            gone = {(at + t) % n for t in range(min(size, n))}
            new = [b for k, b in enumerate(route) if k not in gone or self.day.req[b]]
            out.append(new if self._fits(new) else list(route))
        return out

    def bound(self) -> int:
        """Value of every stop that fits into a route on its own: no team collects more."""
        return self.day.bound


def solve_toptw(
    p: Problem,
    m: int,
    time_limit_s: float,
    seed: int = 0,
    initial: list[list[int]] | None = None,
) -> list[list[int]]:
    """Best `m` routes (stop indices) found within `time_limit_s`: most value, then least travel.

    `initial` (feasible routes, e.g. another solver's) is the first incumbent if given; an
    infeasible one is ignored. The answer always passes `check_team`.
    """
    began = time.monotonic()
    deadline = began + time_limit_s
    team = Team(p, m)
    rng = random.Random(seed)
    pool = RoutePool()
    start: Routes = [[] for _ in range(m)]
    if initial is not None and len(initial) <= m and not check_team(p, initial):
        start = [[i + 1 for i in r] for r in initial] + [[] for _ in range(m - len(initial))]
    best = cur = team.local_search(start, deadline)
    best_key = team.key(best)
    pool.add(best, team.day.val, team.day.travel)
    checkpoints = [began + f * time_limit_s for f in RECOMBINE_AT]
    size, stall, at = 1, 0, 0
    while time.monotonic() < deadline and best_key[0] < team.bound():
        if checkpoints and time.monotonic() >= checkpoints[0]:
            checkpoints.pop(0)
            limit = min(RECOMBINE_SHARE * time_limit_s, (deadline - time.monotonic()) / 3)
            mixed = pool.recombine(m, best, limit)
            if mixed is not None and team.key(mixed) > best_key:
                cur = team.local_search(mixed, deadline)
                pool.add(cur, team.day.val, team.day.travel)
                if team.key(cur) > best_key:
                    best, best_key, size, stall = cur, team.key(cur), 1, 0
                continue
        longest = max(1, max(len(r) for r in cur))
        cur = team.fill(team.shake(cur, at, size), deadline, rng)
        pool.add(cur, team.day.val, team.day.travel)
        if team.value(cur) >= NEAR * best_key[0]:
            cur = team.local_search(cur, deadline)
            pool.add(cur, team.day.val, team.day.travel)
        key = team.key(cur)
        if key > best_key:
            best, best_key, size, stall = cur, key, 1, 0
        else:
            size, stall = size + 1, stall + 1
        at = (at + size) % longest
        if size > max(1, longest // 2):
            size = 1
        if stall >= _STALL:
            cur, stall, at = best, 0, rng.randrange(longest)
    return [[b - 1 for b in r] for r in best]


def check_team(p: Problem, routes: list[list[int]]) -> list[str]:
    """Every broken rule of `routes` (stop indices) under the independent check, per route, and
    stops served twice across routes; an empty list means feasible."""
    errors: list[str] = []
    seen: set[int] = set()
    for r, seq in enumerate(routes):
        if any(not 0 <= i < p.n for i in seq):
            errors.append(f"route {r}: unknown stop index")
            continue
        twice = seen & set(seq)
        if twice:
            errors.append(f"route {r}: stops {sorted(p.stops[i].id for i in twice)} served twice")
        seen |= set(seq)
        if simulate(p, seq) is None:
            errors.append(f"route {r}: infeasible (windows or shift)")
            continue
        errors += [f"route {r}: {e}" for e in check(p, build_plan(p, seq, "toptw"))]
    return errors


def score(p: Problem, routes: list[list[int]]) -> int:
    """Total value of the stops the routes serve."""
    return sum(p.stops[i].value for r in routes for i in r)
