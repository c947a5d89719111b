"""Demo pipeline: twelve months of deals with stage history, wins and losses by territory,
account status history, quotas and P.A.C.E. ratings, so every report has something to show.

Its own random generator: the accounts and touches of the demo stay exactly as they were.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import delete, insert

from backend.accounts.models import Account
from backend.core.extensions import db
from backend.pipeline.models import (
    AccountStatusChange,
    Opportunity,
    PaceRating,
    Quota,
    StageChange,
)
from backend.pipeline.periods import previous_quarter, quarter_of
from backend.users.models import User

MONTHS = 12
OPEN_STEPS = ("lead", "qualified", "proposal", "negotiation")
# Win rates differ by territory (the first wins more), and fall in the latest quarter for the
# second, so the realignment flags have something true to say.
WIN_RATE = (0.55, 0.38)
DEAL_SIZE = {"A": (15_000, 60_000), "B": (4_000, 18_000), "C": (800, 5_000)}


def _at(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(7, 16), rng.choice([0, 15, 30, 45])), tzinfo=UTC)


def seed_pipeline(
    accounts: list[Account], reps: list[User], manager: User, today: date, seed_value: int
) -> dict[str, int]:
    """Add the demo's deals, histories, quotas and ratings (flush only)."""
    rng = random.Random(seed_value * 7919 + 13)
    start = today - timedelta(days=MONTHS * 30)
    territories = sorted({a.territory_id for a in accounts})
    latest_quarter = quarter_of(today)
    opportunities: list[Opportunity] = []
    stages: list[list[tuple[str | None, str, datetime]]] = []
    statuses: list[dict] = []
    for account in accounts:
        slot = territories.index(account.territory_id) % len(WIN_RATE)
        rate = WIN_RATE[slot]
        entered = start + timedelta(days=rng.randint(0, 120))
        deals = {"customer": rng.randint(1, 3), "opportunity": 1, "lead": rng.choice([0, 0, 1])}
        became_customer = None
        for n in range(deals[account.status]):
            created = entered + timedelta(days=rng.randint(0, 200) + 30 * n)
            if created >= today:
                created = today - timedelta(days=rng.randint(5, 60))
            cycle = rng.randint(14, 120)
            closed = created + timedelta(days=cycle)
            is_open = closed >= today or (account.status == "opportunity" and n == 0)
            late = slot == 1 and closed >= latest_quarter.first
            won = rng.random() < (rate - 0.15 if late else rate)
            if account.status == "customer" and n == 0:
                won = True  # a customer bought at least once
            low, high = DEAL_SIZE.get(account.tier, DEAL_SIZE["C"])
            final = rng.choice(OPEN_STEPS) if is_open else ("won" if won else "lost")
            created_at = _at(created, rng)
            closed_at = None if is_open else _at(closed, rng)
            opportunities.append(
                Opportunity(
                    external_id=f"DEAL-{account.id:05d}-{n + 1}",
                    account_id=account.id,
                    owner_id=account.owner_id,
                    name=f"{account.name.split(' ')[0]} {['order', 'renewal', 'upsell'][n % 3]}",
                    stage=final,
                    amount=round(rng.uniform(low, high), -1),
                    currency="EUR",
                    created_at=created_at,
                    closed_at=closed_at,
                    lost_reason=rng.choice(["price", "competitor", "timing", "no budget"])
                    if final == "lost"
                    else None,
                )
            )
            stages.append(_steps(rng, final, created_at, closed_at or created_at, today))
            if final == "won" and became_customer is None:
                became_customer = closed_at
        statuses += _status_rows(account, _at(entered, rng), became_customer, today, rng)
    db.session.add_all(opportunities)
    db.session.flush()
    history = [
        {
            "opportunity_id": opp.id,
            "from_stage": a,
            "to_stage": b,
            "at": at,
            "actor_id": opp.owner_id,
        }
        for opp, steps in zip(opportunities, stages, strict=True)
        for a, b, at in steps
    ]
    for i in range(0, len(history), 2000):
        db.session.execute(insert(StageChange), history[i : i + 2000])
    # The status hook dated every account "now"; the demo's accounts have a past instead.
    db.session.execute(
        delete(AccountStatusChange).where(
            AccountStatusChange.account_id.in_([a.id for a in accounts])
        )
    )
    db.session.execute(insert(AccountStatusChange), statuses)
    quotas = _quotas(rng, opportunities, accounts, reps, today)
    db.session.add_all(quotas)
    for rep in reps:
        db.session.add(
            PaceRating(
                rep_id=rep.id,
                period=previous_quarter(quarter_of(today)).label,
                passion=rng.randint(2, 5),
                awareness=rng.randint(2, 5),
                curiosity=rng.randint(1, 5),
                energy=rng.randint(2, 5),
                note=rng.choice(
                    ["Strong with key accounts", "Needs more prospecting", "Great follow-up"]
                ),
                rated_by_id=manager.id,
            )
        )
    db.session.flush()
    return {"opportunities": len(opportunities), "quotas": len(quotas)}


def _steps(rng, final, created, closed, today) -> list[tuple[str | None, str, datetime]]:
    """The stage moves from ``lead`` to ``final``, spread between creation and closing."""
    path = list(OPEN_STEPS[: OPEN_STEPS.index(final) + 1]) if final in OPEN_STEPS else None
    if path is None:
        path = list(OPEN_STEPS[: rng.randint(2, 4)]) + [final]
    end = closed if final not in OPEN_STEPS else min(created + timedelta(days=40), _now(today))
    span = max((end - created).total_seconds(), 1.0)
    out, before = [], None
    for i, stage in enumerate(path):
        when = created + timedelta(seconds=span * i / max(len(path) - 1, 1))
        out.append((before, stage, when if i else created))
        before = stage
    return out


def _now(today: date) -> datetime:
    return datetime.combine(today, time(6), tzinfo=UTC)


def _status_rows(account, entered, became_customer, today, rng) -> list[dict]:
    rows = [{"account_id": account.id, "from_status": None, "to_status": "lead", "at": entered}]
    if account.status in ("opportunity", "customer"):
        rows.append(
            {
                "account_id": account.id,
                "from_status": "lead",
                "to_status": "opportunity",
                "at": entered + timedelta(days=rng.randint(3, 20)),
            }
        )
    if account.status == "customer":
        when = became_customer or entered + timedelta(days=rng.randint(25, 60))
        rows.append(
            {
                "account_id": account.id,
                "from_status": "opportunity",
                "to_status": "customer",
                "at": max(when, rows[-1]["at"] + timedelta(days=1)),
            }
        )
    return rows


def _quotas(rng, opportunities, accounts, reps, today) -> list[Quota]:
    """This quarter's and last quarter's revenue quotas: last year's wins per rep, plus growth."""
    won_by_rep: dict[int, float] = {}
    for opp in opportunities:
        if opp.stage == "won":
            won_by_rep[opp.owner_id] = won_by_rep.get(opp.owner_id, 0.0) + opp.amount
    territory_of = {r.id: r.territories[0].id for r in reps}
    out = []
    for window in (previous_quarter(quarter_of(today)), quarter_of(today)):
        per_territory: dict[int, float] = {}
        for rep in reps:
            revenue = round(won_by_rep.get(rep.id, 0.0) / 4 * rng.uniform(1.05, 1.25), -2)
            per_territory[territory_of[rep.id]] = (
                per_territory.get(territory_of[rep.id], 0) + revenue
            )
            out.append(
                Quota(
                    period=window.label,
                    rep_id=rep.id,
                    revenue=revenue,
                    new_accounts=rng.randint(2, 6),
                    activity={"A": {"visit": 6, "call": 6}, "B": {"visit": 3}, "C": {"call": 3}},
                )
            )
        out += [
            Quota(period=window.label, territory_id=t, revenue=v, new_accounts=0, activity={})
            for t, v in per_territory.items()
        ]
    return out
