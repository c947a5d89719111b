"""What-ifs on a world before the month is simulated: a rep leaves, tier A doubles, one more rep,
a rebalancing proposal applied first.

Books are changed by the territories' own optimiser (``territories.rebalance.propose``): the
departure places a leaver's accounts as the departure workflow does (each to the least loaded
of the reps living nearest, ``leaving=``, no other move), a new rep or a proposal moves what
the CP-SAT proposal moves. A departure is a hand-over on a day, so it is carried into the
month as ``Handover`` records of the reps who take the accounts (see ``run``).

Repeatability: the departure's placement is deterministic; ``extra-rep`` and ``proposal`` are as
repeatable as CP-SAT within ``PROPOSAL_SECONDS`` on one worker: when the search stops at the
limit rather than at its target, a loaded machine can give another book, hence other figures.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta

from backend.simulation.world import SimAccount, SimRep, World, with_rules
from backend.territories import rebalance

SCENARIOS = {
    "leave": "the first rep leaves mid-month; the departure workflow hands the book over",
    "leave-unmanaged": "the first rep leaves mid-month; nobody takes the book over",
    "tier-a-x2": "tier A cadence doubles (visits, calls and emails)",
    "extra-rep": "one more rep from the first day, with a book the rebalancing proposal carves",
    "proposal": "the team's rebalancing proposal is applied before the month starts",
}
# Scenarios of which a run takes at most one (both are the first rep leaving).
EXCLUSIVE = (("leave", "leave-unmanaged"),)
CALL_MINUTES, EMAIL_MINUTES = 10, 5  # as FIELDREP_WORKLOAD_CALL/EMAIL_MINUTES
PROPOSAL_SECONDS = 3.0  # CP-SAT time limit of a proposal (one worker)


@dataclass(frozen=True)
class Departure:
    """``rep_id`` works up to the day before ``day``; ``owners`` (None: nobody) take the book."""

    rep_id: int
    day: date
    owners: dict[str, int] | None


def parse(names: list[str] | tuple[str, ...]) -> list[str]:
    """Scenario names validated (ValueError naming the unknown one and the choices)."""
    out = []
    for name in names:
        if name not in SCENARIOS:
            raise ValueError(f"unknown scenario {name!r}; expected one of {', '.join(SCENARIOS)}")
        if name not in out:
            out.append(name)
    for group in EXCLUSIVE:
        if sum(name in out for name in group) > 1:
            raise ValueError(exclusive_message(group))
    return out


def exclusive_message(group: tuple[str, ...]) -> str:
    """What a run that names more than one of ``group`` is told."""
    return "choose one of " + " and ".join(f"'{name}'" for name in group)


def mid_month(world: World) -> date:
    """The first working day from the 15th."""
    d = world.first.replace(day=15)
    while d.weekday() >= 5:
        d += timedelta(days=1)
    return d


def _minutes(world: World, acc: SimAccount) -> tuple[float, float]:
    """Cadence minutes a month and visits a month of one account (the workload's figures)."""
    per = {"week": 52 / 12, "month": 1.0, "quarter": 1 / 3}
    minutes = visits = 0.0
    for r in world.rules:
        if r.tier != acc.tier or r.count <= 0:
            continue
        n = r.count * per[r.period]
        if r.touch_type == "visit":
            visits += n
            minutes += n * acc.service_s / 60
        else:
            minutes += n * (CALL_MINUTES if r.touch_type == "call" else EMAIL_MINUTES)
    return minutes, visits


def _optimiser_input(world: World) -> tuple[list[rebalance.Rep], list[rebalance.Account]]:
    capacity = 21 * (9.5 * 60)
    reps = [rebalance.Rep(r.id, r.home[0], r.home[1], capacity, r.name) for r in world.reps]
    accounts = []
    for rep in world.reps:
        for a in rep.accounts:
            minutes, visits = _minutes(world, a)
            accounts.append(
                rebalance.Account(int(a.id), rep.id, a.lat, a.lon, minutes, visits, True, a.revenue)
            )
    return reps, accounts


def _moved(world: World, moves: list[dict]) -> World:
    """The world with ``moves`` applied from the first day (history follows the account)."""
    to = {str(m["account_id"]): m["to_rep"] for m in moves}
    every = {a.id: (a, rep) for rep in world.reps for a in rep.accounts}
    reps = []
    for rep in world.reps:
        keep = [a for a in rep.accounts if to.get(a.id, rep.id) == rep.id]
        gained = [every[aid][0] for aid, r in to.items() if r == rep.id and aid in every]
        gained = [a for a in gained if a not in keep]
        history = {k: v for k, v in rep.history.items() if to.get(k[0], rep.id) == rep.id}
        for a in gained:
            source = every[a.id][1]
            history.update({k: v for k, v in source.history.items() if k[0] == a.id})
        reps.append(replace(rep, accounts=tuple(keep + gained), history=history))
    return replace(world, reps=tuple(reps))


def _new_rep(world: World) -> SimRep:
    """A rep living at the team's centre of gravity, with no accounts yet."""
    homes = [r.home for r in world.reps]
    lat = sum(h[0] for h in homes) / len(homes)
    lon = sum(h[1] for h in homes) / len(homes)
    rid = max(r.id for r in world.reps) + 1
    return SimRep(rid, f"New rep {rid}", (round(lat, 6), round(lon, 6)), ())


def apply(world: World, names: list[str]) -> tuple[World, Departure | None]:
    """The world the month runs on, and the departure to carry through it (if any)."""
    if "tier-a-x2" in names:
        rules = tuple(replace(r, count=r.count * 2) if r.tier == "A" else r for r in world.rules)
        world = with_rules(world, rules)
    if "extra-rep" in names:
        world = replace(world, reps=(*world.reps, _new_rep(world)))
    if "extra-rep" in names or "proposal" in names:
        reps, accounts = _optimiser_input(world)
        proposal = rebalance.propose(
            reps, accounts, time_limit_s=PROPOSAL_SECONDS, workers=1, target_parity=0.05
        )
        world = _moved(world, proposal["moves"])
    departure = None
    if ("leave" in names or "leave-unmanaged" in names) and len(world.reps) > 1:
        leaver = world.reps[0]
        owners = None
        if "leave" in names:
            reps, accounts = _optimiser_input(world)
            placed = rebalance.propose(
                reps, accounts, leaving=[leaver.id], max_moves=0, workers=1, time_limit_s=1.0
            )
            owners = {str(m["account_id"]): m["to_rep"] for m in placed["moves"]}
        departure = Departure(leaver.id, mid_month(world), owners)
    return world, departure
