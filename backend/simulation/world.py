"""The simulated world: reps, their accounts, the cadence rules and the touches before the month.

Plain data, no database: a whole month is simulated in memory (the database is read once, by
``--from-db``, never per day). The demo team is generated here with the demo's own vocabulary
(homes, opening hours, tier shares, history rates from ``backend.demo.service``), so the numbers
describe the same Munich team a user sees after ``fieldrep demo``.
"""

from __future__ import annotations

import calendar
import random
from dataclasses import dataclass, field, replace
from datetime import date, timedelta

from backend.cadence.engine.plan import DEFAULT_RULES, DEFAULT_VISIT_MINUTES, CadenceRule
from backend.core.hours import WEEKDAYS, to_minutes
from backend.demo import service as demo

Windows = tuple[tuple[int, int], ...]  # opening windows of one weekday, seconds since midnight


@dataclass(frozen=True)
class SimAccount:
    """One account as the simulator needs it (``hours`` per weekday 0-6; None = always open).

    ``id`` is the account's id as text (the routing stop id); ``int(id)`` is the database id.
    """

    id: str
    name: str
    tier: str
    kare: str | None
    revenue: float
    lat: float
    lon: float
    service_s: int
    hours: tuple[Windows, ...] | None = None


@dataclass(frozen=True)
class SimRep:
    """One rep: home, working day (seconds since midnight), stop cap, accounts, history."""

    id: int
    name: str
    home: tuple[float, float]
    accounts: tuple[SimAccount, ...]
    # (account id, touch type) -> local dates of touches logged before the month.
    history: dict[tuple[str, str], tuple[date, ...]] = field(default_factory=dict)
    work_start: int = 8 * 3600
    work_end: int = 17 * 3600 + 1800
    max_stops: int | None = None


@dataclass(frozen=True)
class World:
    """A team over one month, with the cadence rules in force."""

    month: str
    reps: tuple[SimRep, ...]
    rules: tuple[CadenceRule, ...] = DEFAULT_RULES

    @property
    def first(self) -> date:
        """The month's first day."""
        y, m = (int(x) for x in self.month.split("-"))
        return date(y, m, 1)

    @property
    def last(self) -> date:
        """The month's last day."""
        f = self.first
        return f.replace(day=calendar.monthrange(f.year, f.month)[1])

    def days(self) -> list[date]:
        """Every calendar day of the month."""
        return [self.first + timedelta(days=k) for k in range((self.last - self.first).days + 1)]


def parse_month(text: str) -> str:
    """``YYYY-MM`` validated (raises ValueError with a readable message)."""
    try:
        y, m = (int(x) for x in text.split("-"))
        date(y, m, 1)
    except (ValueError, TypeError) as err:
        raise ValueError(f"not a month: {text!r}; expected YYYY-MM such as 2026-12") from err
    return f"{y:04d}-{m:02d}"


def hours_from_doc(doc: dict | None) -> tuple[Windows, ...] | None:
    """Opening hours as stored (``{"mon": [["08:00", "12:00"]], ...}``) in seconds per weekday."""
    if not doc:
        return None
    return tuple(
        tuple((to_minutes(a) * 60, to_minutes(b) * 60) for a, b in doc.get(day, []))
        for day in WEEKDAYS
    )


def _tier(rng: random.Random) -> str:
    roll, acc = rng.random(), 0.0
    for name, share in demo.TIER_SHARE:
        acc += share
        if roll < acc:
            return name
    return "C"


def _history(
    rng: random.Random, account: SimAccount, first: date, days: int
) -> dict[tuple[str, str], tuple[date, ...]]:
    """Touches of the ``days`` days before ``first``, at the demo's rates (some neglected)."""
    neglect = rng.random() < 0.15
    out = {}
    for kind, per_60 in (
        ("visit", demo.VISITS_PER_60_DAYS),
        ("call", demo.CALLS_PER_60_DAYS),
        ("email", demo.EMAILS_PER_60_DAYS),
    ):
        expected = per_60[account.tier] * days / 60
        count = int(expected * (rng.uniform(0.0, 0.4) if neglect else rng.uniform(0.6, 1.1)))
        dates = []
        for _ in range(count):
            d = first - timedelta(days=rng.randint(1, days))
            while d.weekday() >= 5:
                d -= timedelta(days=1)
            dates.append(d)
        out[(account.id, kind)] = tuple(sorted(dates))
    return out


def demo_world(
    month: str,
    *,
    reps: int = 6,
    accounts_per_rep: int = 120,
    team_seed: int = 7,
    history_days: int = 60,
) -> World:
    """The demo team (six Munich reps of 120 accounts) or a bigger one of the same kind.

    ``team_seed`` fixes the team (who owns what, where); the simulation's ``seed`` is separate,
    so policies and seeds are compared on the same world. More than six reps reuse the homes,
    shifted a little, so a 50-rep team covers the same metro area more densely.
    """
    rng = random.Random(team_seed)
    first = World(month, ()).first
    team = []
    n = 0
    for r in range(reps):
        base = demo.REP_HOMES[r % len(demo.REP_HOMES)]
        shift = r // len(demo.REP_HOMES)
        home = (base[0] + 0.01 * shift, base[1] + 0.015 * shift)
        name = demo.REP_NAMES[r % len(demo.REP_NAMES)] + (f" {shift + 1}" if shift else "")
        accounts, history = [], {}
        for _ in range(accounts_per_rep):
            n += 1
            tier = _tier(rng)
            revenue = {
                "A": rng.uniform(80_000, 300_000),
                "B": rng.uniform(20_000, 80_000),
                "C": rng.uniform(2_000, 20_000),
            }[tier]
            account = SimAccount(
                id=str(n),
                name=f"{rng.choice(demo.KINDS)} {n}",
                tier=tier,
                kare=rng.choices(["keep", "attain", "recapture", "expand"], [0.55, 0.15, 0.1, 0.2])[
                    0
                ],
                revenue=round(revenue, 2),
                lat=round(home[0] + rng.gauss(0, 0.05), 6),
                lon=round(home[1] + rng.gauss(0, 0.075), 6),
                service_s=DEFAULT_VISIT_MINUTES[tier] * 60,
                hours=hours_from_doc(rng.choice(demo.HOURS_PATTERNS)),
            )
            accounts.append(account)
            history.update(_history(rng, account, first, history_days))
        team.append(
            SimRep(
                id=r + 1,
                name=name,
                home=home,
                accounts=tuple(accounts),
                history=history,
                max_stops=12 if r % 2 else None,
            )
        )
    return World(parse_month(month), tuple(team))


def with_rules(world: World, rules: tuple[CadenceRule, ...]) -> World:
    """The same world under other cadence rules."""
    return replace(world, rules=rules)
