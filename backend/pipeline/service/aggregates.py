"""Aggregated SQL behind the performance report: one GROUP BY per fact table.

Every query returns sums per group key (territory or rep) for the caller's scope; the figures
themselves are computed from them in ``backend.pipeline.metrics``.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from sqlalchemy import ColumnElement, and_, case, func, or_, select, true

from backend.accounts.models import Account
from backend.core.extensions import db
from backend.pipeline.models import (
    CLOSED_STAGES,
    AccountStatusChange,
    Opportunity,
    Quota,
)
from backend.pipeline.periods import Window
from backend.pipeline.service.scope import managed_ids
from backend.touches.models import Touch
from backend.users.models import User


def days_between(start: Any, end: Any) -> ColumnElement[float]:
    """``end - start`` in days (fractional), in the dialect's own date arithmetic."""
    if db.session.get_bind().dialect.name == "postgresql":
        return func.extract("epoch", end - start) / 86400.0
    return func.julianday(end) - func.julianday(start)


def account_condition(user: User) -> ColumnElement[bool]:
    """Accounts whose facts count for ``user``: a manager's territories, everything for admin."""
    if user.role == "admin":
        return true()
    if user.role == "manager":
        return Account.territory_id.in_(managed_ids(user))
    return Account.owner_id == user.id


def opportunity_rows(
    user: User, group_by: str, w: Window, quarters: tuple[Window, Window]
) -> dict[Any, dict[str, float]]:
    """Per group: see :func:`opportunity_stmt` (run in the session)."""
    return opportunity_collect(db.session.execute(opportunity_stmt(user, group_by, w, quarters)))


def opportunity_stmt(user: User, group_by: str, w: Window, quarters: tuple[Window, Window]):
    """Per group, in one scan: created, won, lost, won amount, won cycle days, open pipeline,
    and won/lost in each of ``quarters`` (the previous and the current, for the fall flag)."""
    key = Account.territory_id if group_by == "territory" else Opportunity.owner_id
    created = _between(Opportunity.created_at, w)
    closed = _between(Opportunity.closed_at, w)
    won = and_(closed, Opportunity.stage == "won")
    lost = and_(closed, Opportunity.stage == "lost")
    # Open pipeline: deals open now that already existed by the end of the period.
    is_open = and_(Opportunity.stage.not_in(CLOSED_STAGES), Opportunity.created_at < w.end_utc)
    cycle = days_between(Opportunity.created_at, Opportunity.closed_at)
    in_quarters = [_between(Opportunity.closed_at, q) for q in quarters]
    per_quarter = [
        func.sum(case((and_(in_q, Opportunity.stage == stage), 1), else_=0))
        for in_q in in_quarters
        for stage in ("won", "lost")
    ]
    cond = account_condition(user) if user.role != "rep" else Opportunity.owner_id == user.id
    stmt = (
        select(
            key,
            func.sum(case((created, 1), else_=0)),
            func.sum(case((won, 1), else_=0)),
            func.sum(case((lost, 1), else_=0)),
            func.sum(case((won, Opportunity.amount), else_=0.0)),
            func.sum(case((won, cycle), else_=0.0)),
            func.sum(case((is_open, Opportunity.amount), else_=0.0)),
            *per_quarter,
        )
        .join(Account, Account.id == Opportunity.account_id)
        .where(Opportunity.deleted_at.is_(None), cond)
        .where(or_(created, closed, is_open, *in_quarters))
        .group_by(key)
    )
    return stmt


def opportunity_collect(result: Iterable) -> dict[Any, dict[str, float]]:
    """The rows of :func:`opportunity_stmt` by group key."""
    names = (
        "opportunities",
        "won",
        "lost",
        "won_amount",
        "won_cycle_days",
        "open_pipeline",
        "prev_won",
        "prev_lost",
        "this_won",
        "this_lost",
    )
    return {
        row[0]: dict(zip(names, (float(v or 0) for v in row[1:]), strict=True)) for row in result
    }


def _between(column: Any, w: Window) -> ColumnElement[bool]:
    return and_(column >= w.start_utc, column < w.end_utc)


def status_rows(user: User, group_by: str, w: Window) -> dict[Any, dict[str, int]]:
    """Per group: see :func:`status_stmt` (run in the session)."""
    return status_collect(db.session.execute(status_stmt(user, group_by, w)))


def status_stmt(user: User, group_by: str, w: Window):
    """Per group: accounts that became leads, and that became customers, in ``w``."""
    key = Account.territory_id if group_by == "territory" else Account.owner_id
    h = AccountStatusChange
    stmt = (
        select(
            key,
            func.sum(case((h.to_status == "lead", 1), else_=0)),
            func.sum(case((h.to_status == "customer", 1), else_=0)),
        )
        .join(Account, Account.id == h.account_id)
        .where(
            account_condition(user),
            Account.deleted_at.is_(None),
            h.at >= w.start_utc,
            h.at < w.end_utc,
            h.to_status.in_(("lead", "customer")),
        )
        .group_by(key)
    )
    return stmt


def status_collect(result: Iterable) -> dict[Any, dict[str, int]]:
    """The rows of :func:`status_stmt` by group key."""
    return {
        row[0]: {"leads": int(row[1] or 0), "new_customers": int(row[2] or 0)} for row in result
    }


def touch_rows(user: User, group_by: str, w: Window) -> dict[Any, dict[str, int]]:
    """Per group and touch type: see :func:`touch_stmt` (run in the session)."""
    return touch_collect(db.session.execute(touch_stmt(user, group_by, w)))


def touch_stmt(user: User, group_by: str, w: Window):
    """Per group and touch type: touches on the rep's local dates inside ``w``.

    For the whole company by territory, touches are first counted per account (an index-only
    scan of ``touches(local_date, account_id, type)``) and only those counts are joined to
    accounts: joining every touch costs about 2.5 times as much on 1M touches. A manager's
    touches are joined first instead (their accounts are a small share: counting everyone's
    first would be the waste).
    """
    in_window = and_(Touch.local_date >= w.first, Touch.local_date <= w.last)
    if group_by == "rep" and user.role != "manager":  # no account needed
        stmt = select(Touch.rep_id, Touch.type, func.count()).where(in_window)
        if user.role == "rep":
            stmt = stmt.where(Touch.rep_id == user.id)
        stmt = stmt.group_by(Touch.rep_id, Touch.type)
    elif user.role == "manager":
        # A manager's accounts are a small share: join first, so only theirs are counted.
        group = Touch.rep_id if group_by == "rep" else Account.territory_id
        stmt = (
            select(group, Touch.type, func.count())
            .join(Account, Account.id == Touch.account_id)
            .where(in_window, account_condition(user))
            .group_by(group, Touch.type)
        )
    else:
        keys = [Touch.account_id, Touch.type] + ([Touch.rep_id] if group_by == "rep" else [])
        counted = select(*keys, func.count().label("n")).where(in_window).group_by(*keys).subquery()
        group = counted.c.rep_id if group_by == "rep" else Account.territory_id
        stmt = (
            select(group, counted.c.type, func.sum(counted.c.n))
            .join(Account, Account.id == counted.c.account_id)
            .where(account_condition(user))
            .group_by(group, counted.c.type)
        )
    return stmt


def touch_collect(result: Iterable) -> dict[Any, dict[str, int]]:
    """The rows of :func:`touch_stmt` by group key and touch type."""
    out: dict[Any, dict[str, int]] = {}
    for key, touch_type, n in result:
        out.setdefault(key, {})[touch_type] = int(n)
    return out


def quota_rows(group_by: str, label: str, keys: list[Any]) -> dict[Any, float]:
    """Revenue quotas of the groups for the period label."""
    column = Quota.territory_id if group_by == "territory" else Quota.rep_id
    ids = [k for k in keys if k is not None]
    if not ids:
        return {}
    stmt = select(column, func.sum(Quota.revenue)).where(Quota.period == label, column.in_(ids))
    return {k: float(v) for k, v in db.session.execute(stmt.group_by(column))}
