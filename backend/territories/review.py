"""The quarterly territory review: load, coverage gaps, untouched accounts and cadence compliance
per territory, in the caller's scope (admins: every territory; managers: theirs).

- load: live accounts, their yearly potential, and the visits the cadence plan asks of them in
  the quarter (``visits_required``) and of those not yet credited as of the review day
  (``visits_owed``);
- coverage gaps: accounts that no territory rule in scope matches (``unmatched``) or that two
  territories' rules match (``conflicts``), the same answer as an assign dry run, and accounts
  without an owner (``unowned``);
- never touched: live accounts with no visit, call or email logged, ever;
- compliance: required, done and credited touches by territory, with the percent.

Visits and compliance come from the cadence compliance report, never recomputed here. That
report counts only the plan rules of its own period kind (a quarter's report knows nothing of
"2 visits a month"), so the review asks it for the quarter, each of its three months and each
ISO week that starts in the quarter, and adds the figures up: the whole plan of the quarter.
Future periods count as required with nothing done yet. (Overdue accounts are left out: one
account can be late in several of those periods; the compliance report shows them per period.)
"""

from __future__ import annotations

import csv
import io
from datetime import date

from sqlalchemy import func, select

from backend.accounts.models import Account
from backend.cadence.compliance import compliance_report
from backend.cadence.engine.compliance import compliance_percent
from backend.cadence.engine.periods import Period, parse_period, period_containing
from backend.core.extensions import db
from backend.territories import assign
from backend.territories.rules import territory_ids_in_scope
from backend.touches.models import Touch
from backend.users.models import Territory, User, territory_members

FIGURES = ("required", "done", "credited", "percent")


def quarter_label(text: str | None, today: date) -> str:
    """``2026Q4`` or ``2026-Q4`` as the cadence label ``2026-Q4``; None: the current quarter."""
    if not text:
        return f"{today.year}-Q{(today.month - 1) // 3 + 1}"
    year, quarter = text.upper().replace("-", "").split("Q")
    return f"{year}-Q{quarter}"


def quarter_periods(quarter: Period) -> list[Period]:
    """The quarter, its months and the ISO weeks that start in it."""
    periods = [quarter]
    month = period_containing("month", quarter.first)
    while month.first <= quarter.last:
        periods.append(month)
        month = month.next()
    week = period_containing("week", quarter.first)
    if week.first < quarter.first:
        week = week.next()
    while week.first <= quarter.last:
        periods.append(week)
        week = week.next()
    return periods


def _plan_figures(actor: User, quarter: Period, as_of: date) -> dict[tuple, dict[str, int]]:
    """(territory id, touch type) -> required, done, credited summed over the quarter's periods."""
    totals: dict[tuple, dict[str, int]] = {}
    for period in quarter_periods(quarter):
        report = compliance_report(actor, period.label, ("territory", "touch_type"), as_of=as_of)
        for row in report["rows"]:
            sums = totals.setdefault(
                (row["territory_id"], row["touch_type"]),
                dict.fromkeys(("required", "done", "credited"), 0),
            )
            for key in sums:
                sums[key] += row[key]
    return totals


def _territory_figures(totals: dict[tuple, dict[str, int]], tid: int) -> dict:
    sums = {key: 0 for key in ("required", "done", "credited")}
    for (territory_id, _), figures in totals.items():
        if territory_id == tid:
            for key in sums:
                sums[key] += figures[key]
    percent = compliance_percent(sums["required"], sums["credited"])
    return sums | {"percent": None if percent is None else round(percent, 2)}


def territory_review(actor: User, quarter: str, *, as_of: date) -> dict:
    """The review of ``quarter`` (a ``2026-Q4`` label) as of ``as_of`` for ``actor``'s scope."""
    period = parse_period(quarter)
    territory_ids = territory_ids_in_scope(actor)
    territories = list(
        db.session.scalars(
            select(Territory).where(Territory.id.in_(territory_ids)).order_by(Territory.name)
        )
    )
    live = [Account.deleted_at.is_(None)]
    if actor.role != "admin":
        live.append(Account.territory_id.in_(territory_ids))

    load = {
        tid: (count, potential or 0.0)
        for tid, count, potential in db.session.execute(
            select(Account.territory_id, func.count(), func.sum(Account.potential))
            .where(*live)
            .group_by(Account.territory_id)
        )
    }
    reps = dict(
        db.session.execute(
            select(territory_members.c.territory_id, func.count())
            .join(User, User.id == territory_members.c.user_id)
            .where(
                territory_members.c.territory_id.in_(territory_ids),
                User.role == "rep",
                User.is_active.is_(True),
            )
            .group_by(territory_members.c.territory_id)
        ).all()
    )
    touched = select(Touch.account_id).distinct()
    never = list(
        db.session.execute(
            select(Account.id, Account.territory_id)
            .where(*live, Account.id.not_in(touched))
            .order_by(Account.id)
        )
    )
    unowned = list(
        db.session.execute(
            select(Account.id, Account.territory_id)
            .where(*live, Account.owner_id.is_(None))
            .order_by(Account.id)
        )
    )
    rules_now = assign.plan(actor)
    where = {
        aid: tid
        for aid, tid in db.session.execute(select(Account.id, Account.territory_id).where(*live))
    }

    totals = _plan_figures(actor, period, as_of)

    def count(pairs, tid):
        return sum(1 for _, t in pairs if t == tid)

    rows = []
    for territory in territories:
        tid = territory.id
        accounts, potential = load.get(tid, (0, 0.0))
        visit = totals.get((tid, "visit"), {})
        rows.append(
            {
                "territory_id": tid,
                "name": territory.name,
                "manager_id": territory.manager_id,
                "reps": reps.get(tid, 0),
                "accounts": accounts,
                "potential": float(potential),
                "visits_required": visit.get("required", 0),
                "visits_owed": max(visit.get("required", 0) - visit.get("credited", 0), 0),
                "unmatched": sum(1 for aid in rules_now.gaps if where.get(aid) == tid),
                "unowned": count(unowned, tid),
                "never_touched": count(never, tid),
                "compliance": _territory_figures(totals, tid),
            }
        )
    return {
        "quarter": period.label,
        "first": period.first,
        "last": period.last,
        "as_of": as_of,
        "territories": rows,
        "unmatched": rules_now.gaps,
        "conflicts": rules_now.conflicts,
        "unowned": [aid for aid, _ in unowned],
        "never_touched": [aid for aid, _ in never],
    }


CSV_COLUMNS = (
    "territory_id",
    "name",
    "manager_id",
    "reps",
    "accounts",
    "potential",
    "visits_required",
    "visits_owed",
    "unmatched",
    "unowned",
    "never_touched",
)


def review_csv(review: dict) -> str:
    """The review's per-territory rows as CSV, compliance figures as ``compliance_*`` columns."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow([*CSV_COLUMNS, *(f"compliance_{key}" for key in FIGURES)])
    for row in review["territories"]:
        percent = row["compliance"]["percent"]
        writer.writerow(
            [
                *(row[key] for key in CSV_COLUMNS),
                *(row["compliance"][k] for k in FIGURES[:3]),
                "" if percent is None else percent,
            ]
        )
    return out.getvalue()
