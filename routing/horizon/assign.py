"""Visits to days: greedy insertion, then moves, ejections and swaps across days.

The state is one stop sequence per day (indices into that day's ``Problem.stops``) and, per
account, the days it is planned on. Every sequence kept is feasible under the scheduler (break
included), so any state is a valid plan. The objective is lexicographic: value first (see
``Need.value``), then cost = driving seconds + a deferral cost per day a visit waits (see
``Board.defer``): valuable visits due soon take the earlier days when days are scarce.
"""

from __future__ import annotations

import time
from datetime import date

from routing.horizon.model import DEFER_SECONDS, Need
from routing.local import insertions
from routing.models import Problem
from routing.schedule import simulate, travel_of


class Board:
    """Days, their candidate stops and the current assignment."""

    def __init__(self, days: list[Problem], dates: list[date], needs: dict[str, Need]) -> None:
        self.days = days
        self.dates = dates
        self.needs = needs
        # Only stops open that day are candidates there.
        self.index = [{s.id: i for i, s in enumerate(p.stops) if s.windows} for p in days]
        self.seqs: list[list[int]] = [[] for _ in days]
        self.on: dict[str, list[int]] = {sid: [] for sid in needs}
        self._defer: dict[str, float] = {}

    # --- reading the state ---------------------------------------------------------------
    def stop_id(self, t: int, i: int) -> str:
        """Id of stop index ``i`` of day ``t``."""
        return self.days[t].stops[i].id

    def account_value(self, sid: str, days: list[int]) -> int:
        """Value of ``sid`` visited on day indices ``days``."""
        return self.needs[sid].value_of_days([self.dates[t] for t in days])

    def value(self) -> int:
        """Value of the whole assignment."""
        return sum(self.account_value(sid, ts) for sid, ts in self.on.items())

    def cost(self) -> int:
        """Driving seconds plus the deferral cost of every planned visit."""
        travel = sum(travel_of(p, seq) for p, seq in zip(self.days, self.seqs, strict=True))
        return travel + sum(self.defer(sid) * t for sid, ts in self.on.items() for t in ts)

    def defer(self, sid: str) -> float:
        """What putting off a visit of ``sid`` by one day costs, in seconds of driving.

        ``DEFER_SECONDS`` x weight spread over the days it has left (before its first due date,
        or to its period's end once late): waiting is dear for a valuable visit due soon and
        nearly free for one with weeks to go, so driving decides there.
        """
        rate = self._defer.get(sid)
        if rate is None:
            need = self.needs.get(sid)
            if need is None or not need.due:
                rate = 0.0
            else:
                last = need.due[0] if need.due[0] >= self.dates[0] else need.period_end
                left = sum(1 for d in self.dates if d <= last)
                rate = DEFER_SECONDS * need.weight / max(1, left)
            self._defer[sid] = rate
        return rate

    def allowed(self, sid: str, t: int, without: int | None = None) -> bool:
        """May ``sid`` get a visit on day ``t``: open, visits still owed, spacing kept."""
        need = self.needs.get(sid)
        if need is None or sid not in self.index[t]:
            return False
        others = [u for u in self.on[sid] if u != without]
        if t in others or len(others) >= len(need.due):
            return False
        day = self.dates[t]
        if need.last_visit is not None and (day - need.last_visit).days < need.gap_days:
            return False
        return all(abs((day - self.dates[u]).days) >= need.gap_days for u in others)

    # --- changing one day ----------------------------------------------------------------
    def insertion(self, t: int, sid: str) -> tuple[int, list[int]] | None:
        """Cheapest feasible insertion of ``sid`` into day ``t``: (added travel, new sequence)."""
        p, seq = self.days[t], self.seqs[t]
        if p.max_stops is not None and len(seq) >= p.max_stops:
            return None
        x = self.index[t][sid]
        for added, k in insertions(p, seq, x)[:4]:
            new = seq[:k] + [x] + seq[k:]
            if p.brk is None or simulate(p, new) is not None:
                return added, new
        return None

    def removal(self, t: int, sid: str) -> tuple[int, list[int]] | None:
        """Day ``t`` without ``sid``: (travel saved, new sequence); None if that breaks it."""
        p, seq = self.days[t], self.seqs[t]
        x = self.index[t][sid]
        new = [i for i in seq if i != x]
        if simulate(p, new) is None:  # rounding in a matrix can break the triangle inequality
            return None
        return travel_of(p, seq) - travel_of(p, new), new

    def put(self, t: int, sid: str, seq: list[int]) -> None:
        """Record ``sid`` on day ``t`` with the day's new sequence."""
        self.seqs[t] = seq
        if sid in self.on:
            self.on[sid] = sorted([*self.on[sid], t])

    def take(self, t: int, sid: str, seq: list[int]) -> None:
        """Record ``sid`` off day ``t`` with the day's new sequence."""
        self.seqs[t] = seq
        if sid in self.on:
            self.on[sid] = [u for u in self.on[sid] if u != t]

    def is_fixed(self, t: int, sid: str) -> bool:
        """Appointments stay where they are."""
        return self.days[t].stops[self.index[t][sid]].required

    # --- moves -----------------------------------------------------------------------------
    def gain_on(self, sid: str, t: int) -> int:
        """Value added by one more visit of ``sid`` on day ``t``."""
        ts = self.on[sid]
        return self.account_value(sid, [*ts, t]) - self.account_value(sid, ts)

    def best_insert(self, sid: str, first: int = 0) -> tuple[int, int, int, list[int]] | None:
        """Best day (from day index ``first`` on) for one more visit: (gain, -cost, day,
        sequence), most gain then least cost."""
        best = None
        for t in range(first, len(self.days)):
            if not self.allowed(sid, t):
                continue
            gain = self.gain_on(sid, t)
            if gain <= 0:
                continue
            ins = self.insertion(t, sid)
            if ins is None:
                continue
            cand = (gain, -(ins[0] + self.defer(sid) * t), t, ins[1])
            if best is None or cand[:2] > best[:2]:
                best = cand
        return best

    def fill(self, order: list[str], deadline: float, first: int = 0) -> bool:
        """Insert visits of ``order`` (each as often as it still owes and fits) on days from
        index ``first``; True if any."""
        changed = False
        for sid in order:
            while time.monotonic() < deadline:
                best = self.best_insert(sid, first)
                if best is None:
                    break
                self.put(best[2], sid, best[3])
                changed = True
        return changed

    def relocate(self, deadline: float) -> bool:
        """Move single visits to the day where they are worth more or cost less."""
        changed = False
        for t1 in range(len(self.days)):
            for x in list(self.seqs[t1]):
                if time.monotonic() > deadline:
                    return changed
                sid = self.stop_id(t1, x)
                if sid not in self.needs or self.is_fixed(t1, sid) or x not in self.seqs[t1]:
                    continue
                rem = self.removal(t1, sid)
                if rem is None:
                    continue
                rest = [u for u in self.on[sid] if u != t1]
                before = self.account_value(sid, self.on[sid])
                best = None
                for t2 in range(len(self.days)):
                    if t2 == t1 or not self.allowed(sid, t2, without=t1):
                        continue
                    dv = self.account_value(sid, [*rest, t2]) - before
                    if dv < 0:
                        continue
                    ins = self.insertion(t2, sid)
                    if ins is None:
                        continue
                    dc = ins[0] - rem[0] + self.defer(sid) * (t2 - t1)
                    if (dv, -dc) > (0, 0) and (best is None or (dv, -dc) > best[:2]):
                        best = (dv, -dc, t2, ins[1])
                if best is not None:
                    self.take(t1, sid, rem[1])
                    self.put(best[2], sid, best[3])
                    changed = True
        return changed

    def eject(self, order: list[str], deadline: float) -> bool:
        """Make room for a visit that fits nowhere: take out a visit worth less on that day,
        put the new one in, and re-place the one taken out elsewhere if it fits; kept only when
        the total value grows."""
        changed = False
        for sid in order:
            if time.monotonic() > deadline:
                break
            for t in range(len(self.days)):
                if not self.allowed(sid, t) or self.insertion(t, sid) is not None:
                    continue
                gain = self.gain_on(sid, t)
                if gain > 0 and self._eject_on(sid, t, gain):
                    changed = True
                    if len(self.on[sid]) >= len(self.needs[sid].due):
                        break
        return changed

    def _eject_on(self, sid: str, t: int, gain: int) -> bool:
        victims = []
        for x in self.seqs[t]:
            vid = self.stop_id(t, x)
            if vid not in self.needs or self.is_fixed(t, vid):
                continue
            ts = self.on[vid]
            loss = self.account_value(vid, ts) - self.account_value(vid, [u for u in ts if u != t])
            if loss < gain:
                victims.append((loss, vid))
        for _loss, vid in sorted(victims)[:6]:
            rem = self.removal(t, vid)
            if rem is None:
                continue
            saved = self.seqs[t]
            self.take(t, vid, rem[1])
            ins = self.insertion(t, sid)
            if ins is None:
                self.put(t, vid, saved)
                continue
            self.put(t, sid, ins[1])
            again = self.best_insert(vid)
            if again is not None:
                self.put(again[2], vid, again[3])
            return True
        return False
