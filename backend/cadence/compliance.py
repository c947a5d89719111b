"""The compliance report in SQL, with the semantics of ``backend.cadence.engine.due.compliance``.

One aggregate query does the work: touches of the period are counted per (account, type) over
the indexed ``local_date`` range, joined to the live accounts in scope and to the plan's rules
(a small UNION ALL of literals, portable to SQLite), capped per row at what was required and
grouped. Per row, as the pure functions define it:

* ``required``: the rule's count for the account's tier; only rules of the report's own period
  kind count (a monthly report shows the monthly rules; weekly and quarterly rules appear in
  ``2026-W48`` and ``2026-Q4`` reports), from the plan in force on the as-of day (for a closed
  period: its last day);
* ``done``: touches by anyone on the account whose local date is in the period up to as-of;
* ``credited = min(done, required)``; ``percent = 100 * credited / required`` per group.

"rep" is the account's current owner: the report answers "are my accounts being served?".
``overdue`` follows the engine's due-date rule on the as-of day; once a period has closed, any
shortfall is overdue.

"Expected by today" (``expected``, ``on_track``, ``expected_percent``) is the pro-rated target:
per rule, the number of its slots whose due date is on or before the as-of day
(``engine.due.expected_by``), computed once per rule in Python and carried as a literal column
of the plan rows, so the SQL only sums ``expected`` and ``min(done, expected)``. A manager on
day 2 of a month sees "0 expected, nothing to judge yet" instead of a wall of red.

``current_blocks`` answers the week, month and quarter containing the as-of day in one call, one
report per kind, each with its own period: quarterly rules (tier C visits, typically) are
invisible in a monthly report.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence
from datetime import date, timedelta

from sqlalchemy import Integer, String, and_, case, cast, func, literal, select, text, union_all

from backend.accounts.models import Account
from backend.accounts.scope import account_scope
from backend.cadence import plan_store
from backend.cadence.engine.compliance import compliance_percent
from backend.cadence.engine.due import due_dates, expected_by
from backend.cadence.engine.periods import Period, parse_period, period_containing
from backend.cadence.service import rules_of
from backend.core.errors import NotFound
from backend.core.extensions import db
from backend.touches.models import Touch
from backend.users.models import Territory, User
from backend.users.scope import get_rep, managed_territory_ids

REPORT_WORK_MEM = "64MB"
GROUP_COLUMNS = {
    "rep": "rep_id",
    "tier": "tier",
    "touch_type": "touch_type",
    "territory": "territory_id",
    "kare": "kare",
}


def _scope(actor: User, territory_id: int | None, rep_id: int | None) -> list:
    """Conditions on Account: live, in the actor's scope, and the requested filters."""
    conds = [Account.deleted_at.is_(None)]
    if actor.role != "admin":
        conds.append(account_scope(actor))
    if territory_id is not None:
        if actor.role == "manager" and territory_id not in managed_territory_ids(actor):
            raise NotFound(f"Territory {territory_id} not found.")
        conds.append(Account.territory_id == territory_id)
    if rep_id is not None:
        conds.append(Account.owner_id == get_rep(actor, rep_id).id)
    return conds


def _timing(period: Period, as_of: date) -> tuple[date, int, date]:
    """``(until, day, plan_day)``: last counted date, as-of day number, the plan's date."""
    if as_of < period.first:  # a future period: nothing done, nothing overdue yet
        return period.first - timedelta(days=1), 0, period.last
    if as_of > period.last:  # closed: as if the day after, so any shortfall is overdue
        return period.last, period.days + 1, period.last
    return as_of, period.day_number(as_of), as_of


def _week_ends(period: Period, until: date) -> list[date]:
    """Ends of the ISO weeks of the period (clipped to it), up to the week containing ``until``."""
    ends = []
    week = period_containing("week", period.first)
    while week.first <= min(period.last, until):
        ends.append(min(week.last, period.last))
        week = week.next()
    return ends


def _rows(
    conds: list,
    rules: list,
    period: Period,
    until: date,
    week_ends: list[date],
    names=False,
    as_of: date | None = None,
):
    """Subquery: one row per live account in scope and rule of its tier, with done counts."""
    rule_rows = [
        select(
            cast(literal(r.tier), String).label("tier"),
            cast(literal(r.touch_type), String).label("touch_type"),
            cast(literal(r.count), Integer).label("required"),
            cast(literal(expected_by(period, r.count, as_of or until)), Integer).label("expected"),
        )
        for r in rules
    ]
    plan = (union_all(*rule_rows) if len(rule_rows) > 1 else rule_rows[0]).subquery("plan")
    weeks = [
        func.count().filter(Touch.local_date <= end).label(f"w{i}")
        for i, end in enumerate(week_ends)
    ]
    done = select(Touch.account_id, Touch.type, func.count().label("done"), *weeks).where(
        Touch.local_date >= period.first, Touch.local_date <= until
    )
    if len(conds) > 1:
        done = done.join(Account, Account.id == Touch.account_id).where(*conds)
    done = done.group_by(Touch.account_id, Touch.type).subquery("done")
    return (
        select(
            Account.id.label("account_id"),
            *([Account.name.label("account_name")] if names else []),
            Account.owner_id.label("rep_id"),
            Account.tier.label("tier"),
            Account.territory_id.label("territory_id"),
            Account.kare.label("kare"),
            plan.c.touch_type,
            plan.c.required,
            plan.c.expected,
            func.coalesce(done.c.done, 0).label("done"),
            *[func.coalesce(done.c[f"w{i}"], 0).label(f"w{i}") for i in range(len(week_ends))],
        )
        .select_from(Account)
        .join(plan, plan.c.tier == Account.tier)
        .outerjoin(done, and_(done.c.account_id == Account.id, done.c.type == plan.c.touch_type))
        .where(*conds)
        .subquery("rows")
    )


def _flagged(rows, day: int, length: int):
    """``rows`` plus 0/1 flags: the row is overdue, the account has an overdue row, and the
    row is the account's first (so summing ``first * account_late`` counts accounts once)."""
    late = case((_overdue(rows, day, length), 1), else_=0)
    by_account = {"partition_by": rows.c.account_id}
    first = case((rows.c.touch_type == func.min(rows.c.touch_type).over(**by_account), 1), else_=0)
    return select(
        rows,
        late.label("late"),
        func.max(late).over(**by_account).label("account_late"),
        first.label("first"),
    ).subquery("flagged")


def _capped(value, required):
    return case((value < required, value), else_=required)


def _overdue(rows, day: int, length: int):
    """The engine's rule: touch k = done + 1 is overdue once day - 1 >= (3k - 1) * L / (3n)."""
    return and_(
        rows.c.done < rows.c.required,
        rows.c.required * (3 * (day - 1)) >= (rows.c.done * 3 + 2) * length,
    )


def _setup(actor, period_label, territory_id, rep_id, as_of):
    period = parse_period(period_label)
    until, day, plan_day = _timing(period, as_of)
    version = plan_store.plan_at(plan_day)
    rules = [r for r in rules_of(version) if r.period == period.kind and r.count > 0]
    conds = _scope(actor, territory_id, rep_id)
    return period, until, day, version, rules, conds


def compliance_report(
    actor: User,
    period_label: str,
    group_by: Sequence[str] = ("rep", "tier", "touch_type"),
    *,
    as_of: date,
    territory_id: int | None = None,
    rep_id: int | None = None,
) -> dict:
    """Required, done, credited, percent and overdue accounts per group, and the weekly trend."""
    period, until, day, version, rules, conds = _setup(
        actor, period_label, territory_id, rep_id, as_of
    )
    group_by = list(group_by)
    week_ends = _week_ends(period, until)
    groups: list[dict] = []
    total_overdue = 0
    week_credited = [0] * len(week_ends)
    if rules:
        if db.engine.dialect.name == "postgresql":
            # The per-(account, type) aggregate of a month of touches spills to disk with the
            # default 4 MB; this transaction only, reset at its end.
            db.session.execute(text(f"SET LOCAL work_mem = '{REPORT_WORK_MEM}'"))
        rows = _flagged(
            _rows(conds, rules, period, until, week_ends, as_of=as_of), day, period.days
        )
        keys = [rows.c[GROUP_COLUMNS[name]] for name in group_by]
        # Every other dimension belongs to the account, so an account sits in exactly one
        # group unless touch types are split; then each of its rows counts in its own group.
        account_late = rows.c.first * rows.c.account_late
        per_group_late = rows.c.late if "touch_type" in group_by else account_late
        stmt = select(
            *keys,
            func.sum(rows.c.required),
            func.sum(rows.c.done),
            func.sum(_capped(rows.c.done, rows.c.required)),
            func.sum(per_group_late),
            func.sum(account_late),
            func.sum(rows.c.expected),
            func.sum(_capped(rows.c.done, rows.c.expected)),
            *[func.sum(_capped(rows.c[f"w{i}"], rows.c.required)) for i in range(len(week_ends))],
        ).group_by(*keys)
        n = len(keys)
        for rec in db.session.execute(stmt):
            required, done, credited, late, accounts_late, expected, on_track = (
                int(v or 0) for v in rec[n : n + 7]
            )
            group = dict(zip([GROUP_COLUMNS[g] for g in group_by], rec[:n], strict=True))
            group.update(
                _figures(required, done, credited, expected, on_track), overdue_accounts=late
            )
            groups.append(group)
            total_overdue += accounts_late
            for i, value in enumerate(rec[n + 7 :]):
                week_credited[i] += int(value or 0)
    groups.sort(key=lambda g: tuple(str(g[GROUP_COLUMNS[name]]) for name in group_by))
    _add_names(groups, group_by)
    required = sum(g["required"] for g in groups)
    total = _figures(
        required,
        sum(g["done"] for g in groups),
        sum(g["credited"] for g in groups),
        sum(g["expected"] for g in groups),
        sum(g["on_track"] for g in groups),
    )
    return {
        "period": period.label,
        "first": period.first,
        "last": period.last,
        "as_of": as_of,
        "kind": period.kind,
        "plan_effective_from": version.effective_from if version else None,
        "group_by": group_by,
        "rows": groups,
        "total": total | {"overdue_accounts": total_overdue},
        "trend": [
            {
                "week": period_containing("week", end).label,
                "as_of": end,
                "required": required,
                "credited": credited,
                "percent": compliance_percent(required, credited),
            }
            for end, credited in zip(week_ends, week_credited, strict=True)
        ],
    }


def _figures(required: int, done: int, credited: int, expected: int, on_track: int) -> dict:
    percent = compliance_percent(required, credited)
    expected_percent = compliance_percent(expected, on_track)
    return {
        "expected": expected,
        "on_track": on_track,
        "expected_percent": None if expected_percent is None else round(expected_percent, 2),
        "expected_rate": None if expected_percent is None else round(expected_percent / 100, 4),
        "required": required,
        "done": done,
        "credited": credited,
        "percent": None if percent is None else round(percent, 2),
        "rate": None if percent is None else round(percent / 100, 4),
    }


def _add_names(groups: list[dict], group_by: list[str]) -> None:
    """Rep and territory names for the groups (one query each)."""
    if "rep" in group_by:
        ids = {g["rep_id"] for g in groups if g["rep_id"] is not None}
        names = dict(db.session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())
        for g in groups:
            g["rep_name"] = names.get(g["rep_id"])
    if "territory" in group_by:
        ids = {g["territory_id"] for g in groups if g["territory_id"] is not None}
        names = dict(
            db.session.execute(
                select(Territory.id, Territory.name).where(Territory.id.in_(ids))
            ).all()
        )
        for g in groups:
            g["territory_name"] = names.get(g["territory_id"])


def overdue_accounts(
    actor: User,
    period_label: str,
    *,
    as_of: date,
    territory_id: int | None = None,
    rep_id: int | None = None,
    tier: str | None = None,
    touch_type: str | None = None,
) -> list[dict]:
    """The rows behind a report's ``overdue_accounts``: account, type, required, done, due date."""
    period, until, day, _, rules, conds = _setup(actor, period_label, territory_id, rep_id, as_of)
    if not rules:
        return []
    rows = _rows(conds, rules, period, until, [], names=True)
    stmt = select(rows).where(_overdue(rows, day, period.days))
    if tier is not None:
        stmt = stmt.where(rows.c.tier == tier)
    if touch_type is not None:
        stmt = stmt.where(rows.c.touch_type == touch_type)
    stmt = stmt.order_by(rows.c.tier, rows.c.account_name, rows.c.account_id, rows.c.touch_type)
    reference = min(as_of, period.last + timedelta(days=1))
    items = []
    for rec in db.session.execute(stmt).mappings():
        _, due_date = due_dates(period, rec["required"], rec["done"])
        items.append(
            {
                **{k: rec[k] for k in ("account_id", "account_name", "rep_id", "territory_id")},
                **{k: rec[k] for k in ("tier", "touch_type", "required", "done")},
                "due_date": due_date,
                "overdue_days": max(0, (reference - due_date).days),
            }
        )
    return items


def report_csv(report: dict) -> str:
    """The report's groups as CSV: a header, then one line per group."""
    columns: list[str] = []
    for name in report["group_by"]:
        columns += {
            "rep": ["rep_id", "rep_name"],
            "territory": ["territory_id", "territory_name"],
        }.get(name, [name])
    columns += ["required", "done", "credited", "percent", "overdue_accounts"]
    columns += ["expected", "on_track", "expected_percent"]  # appended: old readers keep working
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for group in report["rows"]:
        writer.writerow(["" if group.get(c) is None else group[c] for c in columns])
    return out.getvalue()


def current_blocks(
    actor: User,
    kinds: Sequence[str],
    group_by: Sequence[str],
    *,
    as_of: date,
    territory_id: int | None = None,
    rep_id: int | None = None,
) -> dict:
    """One report per period kind (week, month, quarter), each for its period containing as-of."""
    blocks = [
        compliance_report(
            actor,
            period_containing(kind, as_of).label,
            group_by,
            as_of=as_of,
            territory_id=territory_id,
            rep_id=rep_id,
        )
        for kind in kinds
    ]
    return {"as_of": as_of, "blocks": blocks}


def overdue_csv(items: list[dict]) -> str:
    """The drill-down as CSV: one line per overdue account and touch type."""
    columns = ["account_id", "account_name", "rep_id", "territory_id", "tier", "touch_type"]
    columns += ["required", "done", "due_date", "overdue_days"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(columns)
    for item in items:
        writer.writerow(["" if item.get(c) is None else item[c] for c in columns])
    return out.getvalue()
