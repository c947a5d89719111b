"""Quotas per rep or territory and period, and quota suggestions from potential."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, case, func, or_, select, true

from backend.accounts.models import Account
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.pipeline import metrics
from backend.pipeline.models import Opportunity, Quota
from backend.pipeline.periods import Window, parse
from backend.pipeline.service.aggregates import account_condition
from backend.pipeline.service.scope import managed_ids, team_rep_ids
from backend.users.models import Territory, User, territory_members

# How far back the suggestion looks for deal size and win rate.
HISTORY_DAYS = 365


def quota_scope(user: User) -> ColumnElement[bool]:
    """Quotas ``user`` may see: a rep's own and their territories'; a manager's team's."""
    if user.role == "admin":
        return true()
    if user.role == "manager":
        return or_(Quota.territory_id.in_(managed_ids(user)), Quota.rep_id.in_(team_rep_ids(user)))
    mine = select(territory_members.c.territory_id).where(territory_members.c.user_id == user.id)
    return or_(Quota.rep_id == user.id, Quota.territory_id.in_(mine))


def query_quotas(user: User, filters: dict) -> Select:
    """SELECT of the quotas in scope matching ``filters``."""
    stmt = select(Quota).where(quota_scope(user))
    for key in ("period", "rep_id", "territory_id"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(Quota, key) == filters[key])
    return stmt.order_by(Quota.period, Quota.territory_id, Quota.rep_id, Quota.id)


def get_quota(user: User, quota_id: int, *, write: bool = False) -> Quota:
    """The quota if in scope (for writing: managers and admins only); NotFound otherwise."""
    if write and user.role == "rep":
        raise NotFound(f"Quota {quota_id} not found.")
    quota = db.session.scalar(select(Quota).where(Quota.id == quota_id, quota_scope(user)))
    if quota is None:
        raise NotFound(f"Quota {quota_id} not found.")
    return quota


def _check_target(user: User, data: dict) -> None:
    if data.get("territory_id") is not None:
        ok = db.session.get(Territory, data["territory_id"]) is not None and (
            user.role == "admin"
            or data["territory_id"] in set(db.session.scalars(managed_ids(user)))
        )
        if not ok:
            raise Invalid("Bad territory.", {"territory_id": ["No such territory of yours."]})
    if data.get("rep_id") is not None:
        rep = db.session.get(User, data["rep_id"])
        ok = rep is not None and rep.role == "rep"
        if ok and user.role != "admin":
            ok = data["rep_id"] in set(db.session.scalars(team_rep_ids(user)))
        if not ok:
            raise Invalid("Bad rep.", {"rep_id": ["No such rep in your territories."]})


def create_quota(user: User, data: dict) -> Quota:
    """Set a quota (managers for their territories and reps, admins for all)."""
    _check_target(user, data)
    column = Quota.rep_id if data.get("rep_id") is not None else Quota.territory_id
    target = data.get("rep_id") if data.get("rep_id") is not None else data["territory_id"]
    if db.session.scalar(select(Quota.id).where(Quota.period == data["period"], column == target)):
        raise Invalid("Duplicate.", {"period": ["This target has a quota for the period."]})
    quota = Quota(**data)
    db.session.add(quota)
    db.session.flush()
    return quota


def update_quota(user: User, quota_id: int, data: dict) -> Quota:
    """Change a quota's figures; a stale ``base_version`` is a Conflict."""
    quota = get_quota(user, quota_id, write=True)
    data = dict(data)
    base = data.pop("base_version", None)
    if base is not None and base != quota.version:
        raise Conflict(
            "The quota changed since you loaded it.", extra={"server_version": quota.version}
        )
    for key, value in data.items():
        setattr(quota, key, value)
    quota.version += 1
    db.session.flush()
    return quota


def delete_quota(user: User, quota_id: int) -> None:
    """Remove a quota."""
    db.session.delete(get_quota(user, quota_id, write=True))
    db.session.flush()


def suggest(user: User, label: str, total: float | None = None) -> dict[str, Any]:
    """Revenue quotas proportional to each territory's potential.

    potential = live accounts x average won deal x win rate, both from the territory's deals
    closed in the year before the period (the team's figures where a territory has none).
    With ``total`` the company target is split in proportion to potential; without, the
    suggestion is the potential itself (one expected deal per account). Each territory's
    suggestion is split between its reps by the accounts they own.
    """
    w: Window = parse(label)
    since = w.start_utc - timedelta(days=HISTORY_DAYS)
    closed = (Opportunity.closed_at >= since) & (Opportunity.closed_at < w.start_utc)
    won = Opportunity.stage == "won"
    deals = {
        t: (int(n_won or 0), int(n_lost or 0), float(amount or 0))
        for t, n_won, n_lost, amount in db.session.execute(
            select(
                Account.territory_id,
                func.sum(case((won, 1), else_=0)),
                func.sum(case((Opportunity.stage == "lost", 1), else_=0)),
                func.sum(case((won, Opportunity.amount), else_=0.0)),
            )
            .join(Account, Account.id == Opportunity.account_id)
            .where(closed, Opportunity.deleted_at.is_(None), account_condition(user))
            .group_by(Account.territory_id)
        )
    }
    live = (
        Account.deleted_at.is_(None),
        account_condition(user),
        Account.territory_id.is_not(None),
    )
    counts: dict[int, int] = dict(
        db.session.execute(
            select(Account.territory_id, func.count()).where(*live).group_by(Account.territory_id)
        ).all()
    )
    per_rep: dict[int, dict[int, int]] = {}
    for t, rep, n in db.session.execute(
        select(Account.territory_id, Account.owner_id, func.count())
        .where(*live, Account.owner_id.is_not(None))
        .group_by(Account.territory_id, Account.owner_id)
    ):
        per_rep.setdefault(t, {})[rep] = n
    team_won = sum(d[0] for d in deals.values())
    team_lost = sum(d[1] for d in deals.values())
    team_amount = sum(d[2] for d in deals.values())
    team_rate = metrics.win_rate(team_won, team_lost)
    team_deal = metrics.ratio(team_amount, team_won)
    names = dict(db.session.execute(select(Territory.id, Territory.name)).all())
    rows = []
    for t in sorted(counts):
        n_won, n_lost, amount = deals.get(t, (0, 0, 0.0))
        rate = metrics.win_rate(n_won, n_lost)
        deal = metrics.ratio(amount, n_won)
        rate, deal = (rate if rate is not None else team_rate), (deal or team_deal)
        potential = counts[t] * (deal or 0.0) * (rate or 0.0) / 100.0
        rows.append(
            {
                "territory_id": t,
                "name": names.get(t),
                "accounts": counts[t],
                "average_deal_size": deal,
                "win_rate": rate,
                "potential": potential,
            }
        )
    whole = sum(r["potential"] for r in rows)
    for r in rows:
        r["share"] = metrics.percent(r["potential"], whole)
        r["suggested_revenue"] = (
            r["potential"] if total is None else total * (r["potential"] / whole if whole else 0)
        )
        reps = per_rep.get(r["territory_id"], {})
        owned = sum(reps.values())
        r["reps"] = [
            {
                "rep_id": rep,
                "accounts": n,
                "suggested_revenue": metrics.r2(r["suggested_revenue"] * n / owned),
            }
            for rep, n in sorted(reps.items())
        ]
    return {
        "period": w.label,
        "total": total,
        "rows": [
            metrics.rounded({k: v for k, v in r.items() if k != "reps"}) | {"reps": r["reps"]}
            for r in rows
        ],
    }
