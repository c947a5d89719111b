"""What one rep knows on a morning: touches so far, appointments booked, the cadence."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date

from backend.cadence.engine.due import AccountRef, CadenceStatus, cached_cadence_status
from backend.cadence.engine.plan import CadenceRule
from backend.simulation.world import SimAccount, SimRep


@dataclass(frozen=True)
class Appointment:
    """A fixed visit: account, day, start (seconds since midnight), minutes."""

    account_id: str
    day: date
    start: int
    minutes: int


@dataclass
class RepState:
    """The rep's book (it grows when accounts are handed over) and what has happened so far."""

    rep: SimRep
    rules: tuple[CadenceRule, ...]
    accounts: dict[str, SimAccount]
    touches: dict[tuple[str, str], list[date]] = field(default_factory=lambda: defaultdict(list))
    appointments: dict[date, list[Appointment]] = field(default_factory=lambda: defaultdict(list))
    # Accounts handed over to this rep that still owe the introductory visit, and its due day.
    intro: dict[str, date] = field(default_factory=dict)

    @classmethod
    def start(cls, rep: SimRep, rules: tuple[CadenceRule, ...]) -> RepState:
        """The rep's state on the month's first morning."""
        state = cls(rep, rules, {a.id: a for a in rep.accounts})
        for key, dates in rep.history.items():
            state.touches[key].extend(dates)
        return state

    def rule(self, tier: str, touch_type: str) -> CadenceRule | None:
        """The rule for a tier and touch type (None: the plan asks nothing)."""
        for r in self.rules:
            if r.tier == tier and r.touch_type == touch_type and r.count > 0:
                return r
        return None

    def status(self, account: SimAccount, touch_type: str, day: date) -> CadenceStatus | None:
        """The cadence engine's status of one account and touch type on ``day``."""
        rule = self.rule(account.tier, touch_type)
        if rule is None:
            return None
        dates = tuple(sorted(d for d in self.touches.get((account.id, touch_type), ()) if d < day))
        st = cached_cadence_status(rule, dates, day)
        due = self.intro.get(account.id) if touch_type == "visit" else None
        return st if due is None else with_intro(st, due, day)

    def owed(self, touch_type: str, day: date) -> list[tuple[SimAccount, CadenceStatus]]:
        """Accounts that still owe a touch of ``touch_type`` in their period on ``day``."""
        out = []
        for account in self.accounts.values():
            st = self.status(account, touch_type, day)
            if st is not None and st.due_date is not None:
                out.append((account, st))
        return out

    def log(self, account_id: str, touch_type: str, day: date) -> None:
        """A touch made on ``day`` (a visit is also the introductory one, if owed)."""
        self.touches[(account_id, touch_type)].append(day)
        if touch_type == "visit":
            self.intro.pop(account_id, None)


def with_intro(st: CadenceStatus, due: date, day: date) -> CadenceStatus:
    """The visit status with the handover's introductory visit owed by ``due``: the next visit
    is due by then (earlier if the cadence says so), and owed even if the period's are done."""
    due = min(due, st.due_date) if st.due_date is not None else due
    late = max(0, (day - due).days)
    return replace(
        st,
        required=max(st.required, st.done + 1),
        remaining=max(1, st.remaining),
        due_date=due,
        due_from=min(st.due_from or due, due),
        overdue_days=late,
        status="overdue" if late else "due",
        reason=f"handed over: introductory visit due by {due.isoformat()}",
    )


def ref(account: SimAccount) -> AccountRef:
    """The cadence engine's view of an account."""
    return AccountRef(account.id, account.name, account.tier, account.kare)
