"""Choosing new owners for accounts: pure functions over plain dataclasses (no database).

Every strategy has the same shape, ``choose(accounts, candidates) -> {account_id: rep_id}``,
and must give every account exactly one owner among ``candidates`` (or raise
``NoCandidate``). The "proposal" strategy is the territory optimiser
(``departure.proposal.optimised``, CP-SAT on the workload model), which needs the database; the
load-and-distance greedy here is its fallback when CP-SAT finds nothing in its time limit.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from dataclasses import dataclass

# A rep with no home location is taken to be this far from everything (km): they still get
# accounts when the others are full, but never ahead of a rep who lives nearby.
UNKNOWN_DISTANCE_KM = 50.0
# What one account above a rep's fair share costs, in km of extra distance: at 2 km, a rep
# 10 accounts over the share loses an account to a rep 20 km further away.
KM_PER_ACCOUNT_OVER_SHARE = 2.0
# Tier order for handing out: scarce, valuable accounts first, while everyone has room.
TIER_ORDER = {"A": 0, "B": 1, "C": 2}


@dataclass(frozen=True)
class AccountInfo:
    """An account to hand over: where it is, its tier and territory."""

    id: int
    lat: float
    lon: float
    tier: str
    territory_id: int | None


@dataclass(frozen=True)
class Candidate:
    """A rep who may receive accounts: home, current load (accounts owned), territories."""

    id: int
    home_lat: float | None
    home_lon: float | None
    load: int
    territory_ids: frozenset[int]


class NoCandidate(Exception):
    """Some accounts have no possible new owner; ``account_ids`` lists them."""

    def __init__(self, account_ids: list[int], why: str) -> None:
        super().__init__(why)
        self.account_ids = account_ids
        self.why = why


Strategy = Callable[[list[AccountInfo], list[Candidate]], dict[int, int]]


def distance_km(lat1: float, lon1: float, lat2: float, lon2: float) -> float:
    """Great-circle distance (haversine, mean Earth radius)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371.0088 * math.asin(min(1.0, math.sqrt(h)))


def _distance(account: AccountInfo, rep: Candidate) -> float:
    if rep.home_lat is None or rep.home_lon is None:
        return UNKNOWN_DISTANCE_KM
    return distance_km(account.lat, account.lon, rep.home_lat, rep.home_lon)


def _ordered(accounts: Iterable[AccountInfo]) -> list[AccountInfo]:
    return sorted(accounts, key=lambda a: (TIER_ORDER.get(a.tier, 9), a.id))


def _eligible(account: AccountInfo, candidates: list[Candidate]) -> list[Candidate]:
    """Reps of the account's territory when there are any, else every candidate."""
    members = [c for c in candidates if account.territory_id in c.territory_ids]
    return members or candidates


def greedy_proposal(accounts: list[AccountInfo], candidates: list[Candidate]) -> dict[int, int]:
    """Load-and-distance greedy: each account (tier A first) to the eligible rep with the least
    cost, cost = distance from the rep's home + ``KM_PER_ACCOUNT_OVER_SHARE`` per account the rep
    would hold above the team's fair share (everyone's load plus the handover, split evenly).

    Eligible: the members of the account's territory when any candidate is one, else all.
    """
    if not candidates:
        raise NoCandidate([a.id for a in accounts], "No rep can take these accounts.")
    load = {c.id: c.load for c in candidates}
    share = (sum(load.values()) + len(accounts)) / len(candidates)
    out: dict[int, int] = {}
    for account in _ordered(accounts):
        best = min(
            _eligible(account, candidates),
            key=lambda c: (
                _distance(account, c)
                + KM_PER_ACCOUNT_OVER_SHARE * max(0.0, load[c.id] + 1 - share),
                c.id,
            ),
        )
        out[account.id] = best.id
        load[best.id] += 1
    return out


def by_territory(accounts: list[AccountInfo], candidates: list[Candidate]) -> dict[int, int]:
    """Each account to a member of its own territory, balanced: the least loaded member takes
    the next account (nearest home breaks ties). Accounts of a territory with no remaining
    member (or of no territory) raise ``NoCandidate``."""
    load = {c.id: c.load for c in candidates}
    orphans = [
        a.id for a in accounts if not any(a.territory_id in c.territory_ids for c in candidates)
    ]
    if orphans:
        raise NoCandidate(orphans, "No other active rep is a member of these accounts' territory.")
    out: dict[int, int] = {}
    for account in _ordered(accounts):
        members = [c for c in candidates if account.territory_id in c.territory_ids]
        best = min(members, key=lambda c: (load[c.id], _distance(account, c), c.id))
        out[account.id] = best.id
        load[best.id] += 1
    return out


def named(mapping: dict[int, int], default: int | None) -> Strategy:
    """The manager's own choice: ``mapping`` account -> rep, everything else to ``default``."""

    def choose(accounts: list[AccountInfo], candidates: list[Candidate]) -> dict[int, int]:
        missing = [a.id for a in accounts if a.id not in mapping and default is None]
        if missing:
            raise NoCandidate(missing, "No new owner named for these accounts.")
        return {a.id: mapping.get(a.id, default) for a in accounts}  # type: ignore[misc]

    return choose


# The pure strategies; "proposal" is built per departure (``departure.proposal.optimised``).
STRATEGIES: dict[str, Strategy] = {"greedy": greedy_proposal, "rule": by_territory}


def choose_owners(
    accounts: list[AccountInfo], candidates: list[Candidate], strategy: Strategy
) -> dict[int, int]:
    """``{account_id: rep_id}`` for every account, checked: one owner each, all candidates."""
    chosen = strategy(accounts, candidates)
    allowed = {c.id for c in candidates}
    wrong = sorted(a.id for a in accounts if chosen.get(a.id) not in allowed)
    if wrong:
        raise NoCandidate(wrong, "The chosen owner is not an active rep of your territories.")
    return {a.id: chosen[a.id] for a in accounts}
