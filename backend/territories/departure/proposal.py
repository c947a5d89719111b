"""The departure's "proposal": the territory optimiser on the workload model, greedy as fallback.

The leaving rep's accounts are handed out by ``rebalance.propose(..., leaving=[rep])`` (CP-SAT)
on the same minutes the workload report shows (``workload.team_of``: cadence service minutes plus
the day-tour driving estimate from each rep's home, for the month of the departure), so the
remaining reps end up as evenly loaded as these accounts allow. Only the leaving rep's accounts
move: the colleagues' own accounts weigh on their load but stay where they are (a departure
hands over, it does not reshuffle the team).

Territories come first, as in the greedy: an account goes to a member of its own territory when
any candidate is one, else to any candidate. Accounts are solved per such group of reps (the
largest group first), each group seeing the loads the earlier ones left. When CP-SAT finds
nothing within its time limit, the optimiser's closest-fit starting point is kept; when an answer
leaves an account without an owner or breaks a rule, the greedy (``owners.greedy_proposal``)
decides instead.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from dataclasses import replace
from datetime import datetime

from sqlalchemy import select

from backend.core.extensions import db
from backend.territories import rebalance, workload
from backend.territories.departure.owners import (
    AccountInfo,
    Candidate,
    NoCandidate,
    Strategy,
    greedy_proposal,
)
from backend.users.models import User

log = logging.getLogger(__name__)

# The whole departure answers within 5 s for 2,000 accounts (bench/territories_departure.py):
# the optimiser gets at most this much of it, shared among the territory groups.
TIME_LIMIT_S = 2.5
MIN_GROUP_LIMIT_S = 0.5


def optimised(rep: User, now: datetime, settings: workload.Settings) -> Strategy:
    """The "proposal" strategy for ``rep``'s departure at ``now`` (same shape as the others)."""

    def choose(accounts: list[AccountInfo], candidates: list[Candidate]) -> dict[int, int]:
        if not candidates or not accounts:
            return greedy_proposal(accounts, candidates)
        try:
            chosen = _solve(rep, accounts, candidates, now, settings)
        except (NoCandidate, ValueError) as err:
            log.warning("departure proposal: optimiser failed (%s); greedy instead", err)
            chosen = None
        return chosen if chosen is not None else greedy_proposal(accounts, candidates)

    return choose


def groups(
    accounts: list[AccountInfo], candidates: list[Candidate]
) -> list[tuple[list[int], list[AccountInfo]]]:
    """(candidate ids, accounts) per set of eligible reps, the largest group first."""
    by_reps: dict[tuple[int, ...], list[AccountInfo]] = defaultdict(list)
    everyone = tuple(c.id for c in candidates)
    for a in accounts:
        members = tuple(c.id for c in candidates if a.territory_id in c.territory_ids)
        by_reps[members or everyone].append(a)
    return sorted(
        ((list(reps), accs) for reps, accs in by_reps.items()), key=lambda g: (-len(g[1]), g[0])
    )


def _solve(
    rep: User,
    accounts: list[AccountInfo],
    candidates: list[Candidate],
    now: datetime,
    settings: workload.Settings,
) -> dict[int, int] | None:
    """{account: new owner} from CP-SAT, or None when it found nothing in its time limit."""
    ids = sorted({c.id for c in candidates} | {rep.id})
    users = list(db.session.scalars(select(User).where(User.id.in_(ids)).order_by(User.id)))
    team = workload.team_of(users, f"{now:%Y-%m}", settings)
    reps = {r.id: r for r in team.reps}
    leaving = {a.id for a in accounts}
    # The colleagues' accounts only weigh; the leaving rep's all move (locked or not).
    items = {a.id: replace(a, movable=a.id in leaving) for a in team.items if a.owner_id in reps}
    owner = {aid: a.owner_id for aid, a in items.items()}
    chosen: dict[int, int] = {}
    budget = min(TIME_LIMIT_S, settings.time_limit_s)
    for group_reps, group in groups(accounts, candidates):
        share = max(budget * len(group) / len(accounts), MIN_GROUP_LIMIT_S)
        mine = {a.id for a in group}
        rows = [
            replace(a, owner_id=owner[aid], movable=aid in mine)
            for aid, a in items.items()
            if aid in mine or owner[aid] in group_reps
        ]
        result = rebalance.propose(
            [reps[i] for i in [rep.id, *group_reps]],
            rows,
            settings.travel,
            target_parity=settings.target_parity,
            time_limit_s=share,
            workers=settings.workers,
            leaving=[rep.id],
        )
        if result["status"] == "heuristic":
            # CP-SAT found nothing in its share (large handovers): the optimiser's own
            # closest-fit start still balances the minutes far better than the greedy.
            log.info("departure proposal: CP-SAT found nothing in %.1f s; its start kept", share)
        for move in result["moves"]:
            if move["account_id"] in mine:
                chosen[move["account_id"]] = owner[move["account_id"]] = move["to_rep"]
    if set(chosen) != leaving:
        return None
    return chosen
