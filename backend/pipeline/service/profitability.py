"""Account profitability: revenue against visit, travel and other costs, ranked, with advice.

- revenue: the amounts of the account's deals won in the period;
- visit cost: minutes of the visits logged in the period (the logged duration, else the
  account's service minutes, else ``DEFAULT_VISIT_MINUTES``) at ``hourly_rate``;
- travel cost: kilometres of the route legs that lead to the account on routes planned for
  days of the period (skipped stops excluded: nobody drove there) at ``km_rate``;
- other costs: the account's ``cost_to_serve``, a yearly figure, pro rata over the period.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select

from backend.accounts.models import Account
from backend.core.extensions import db
from backend.core.tiers import known_tiers
from backend.pipeline import metrics
from backend.pipeline.models import Opportunity
from backend.pipeline.periods import parse
from backend.pipeline.service.aggregates import account_condition
from backend.routes.models import RoutePlan
from backend.touches.models import Touch
from backend.users.models import User

DEFAULT_VISIT_MINUTES = 30
BEST_CUSTOMERS = 3
LOOKALIKES_EACH = 5


@dataclass(frozen=True)
class Rates:
    """What an hour of a rep's visit and a kilometre of driving cost."""

    hourly_rate: float
    km_rate: float


def rates_from_config(config: Any) -> Rates:
    """The configured rates (VISIT_HOURLY_RATE, TRAVEL_COST_PER_KM)."""
    return Rates(float(config["VISIT_HOURLY_RATE"]), float(config["TRAVEL_COST_PER_KM"]))


def _sum_by_account(stmt) -> dict[int, float]:
    return {k: float(v or 0) for k, v in db.session.execute(stmt)}


def _travel_km(user: User, w, accounts: set[int]) -> dict[int, float]:
    stmt = select(RoutePlan.stops, RoutePlan.legs).where(
        RoutePlan.date >= w.first, RoutePlan.date <= w.last
    )
    if user.role == "rep":
        stmt = stmt.where(RoutePlan.rep_id == user.id)
    km: dict[int, float] = {}
    for stops, legs in db.session.execute(stmt):
        skipped = {str(s.get("account_id")) for s in stops or () if s.get("status") == "skipped"}
        for leg in legs or ():
            to = str(leg.get("to"))
            if to in skipped or not to.isdigit() or int(to) not in accounts:
                continue
            km[int(to)] = km.get(int(to), 0.0) + (leg.get("distance_m") or 0) / 1000.0
    return km


def profitability_report(
    user: User, label: str, rates: Rates, *, territory_id: int | None = None
) -> dict[str, Any]:
    """Per account in scope: revenue, costs, net profit, margin, KARE advice; and lookalikes."""
    w = parse(label)
    cond = [account_condition(user), Account.deleted_at.is_(None)]
    if territory_id is not None:
        cond.append(Account.territory_id == territory_id)
    accounts = list(db.session.scalars(select(Account).where(*cond)))
    ids = {a.id for a in accounts}
    won = (Opportunity.stage == "won") & (Opportunity.closed_at >= w.start_utc)
    closed = (Opportunity.closed_at >= w.start_utc) & (Opportunity.closed_at < w.end_utc)
    in_scope = Opportunity.account_id.in_(select(Account.id).where(*cond))
    revenue = _sum_by_account(
        select(Opportunity.account_id, func.sum(Opportunity.amount))
        .where(won, closed, in_scope, Opportunity.deleted_at.is_(None))
        .group_by(Opportunity.account_id)
    )
    lost = _sum_by_account(
        select(Opportunity.account_id, func.count())
        .where(Opportunity.stage == "lost", closed, in_scope, Opportunity.deleted_at.is_(None))
        .group_by(Opportunity.account_id)
    )
    minutes = func.coalesce(Touch.duration_minutes, Account.service_minutes, DEFAULT_VISIT_MINUTES)
    visits = _sum_by_account(
        select(Touch.account_id, func.sum(minutes))
        .join(Account, Account.id == Touch.account_id)
        .where(
            Touch.type == "visit",
            Touch.local_date >= w.first,
            Touch.local_date <= w.last,
            *cond,
        )
        .group_by(Touch.account_id)
    )
    km = _travel_km(user, w, ids)
    tiers = known_tiers()
    share = w.days / 365.0
    rows = []
    for a in accounts:
        costs = metrics.Costs(
            revenue=revenue.get(a.id, 0.0),
            visit_minutes=visits.get(a.id, 0.0),
            travel_km=km.get(a.id, 0.0),
            other_costs=(a.cost_to_serve or 0.0) * share,
        )
        row = metrics.profit(costs, rates.hourly_rate, rates.km_rate)
        row |= {
            "account_id": a.id,
            "name": a.name,
            "status": a.status,
            "tier": a.tier,
            "kare": a.kare,
            "territory_id": a.territory_id,
            "owner_id": a.owner_id,
        }
        row["suggested_kare"] = metrics.kare_suggestion(
            a.status, row, int(lost.get(a.id, 0)), (a.potential or 0.0) * share
        )
        row["suggested_tier"] = metrics.tier_change(a.tier, tiers, row)
        rows.append(row)
    rows.sort(key=lambda r: (-r["net_profit"], r["account_id"]))
    for rank, row in enumerate(rows, start=1):
        row["rank"] = rank
    by_id = {a.id: a for a in accounts}
    best = [
        _profile(by_id[r["account_id"]])
        for r in rows
        if r["status"] == "customer" and r["net_profit"] > 0
    ][:BEST_CUSTOMERS]
    prospects = [_profile(a) for a in accounts if a.status in ("lead", "opportunity")]
    return {
        "period": w.label,
        "first": w.first.isoformat(),
        "last": w.last.isoformat(),
        "rates": {"visit_hourly_rate": rates.hourly_rate, "travel_cost_per_km": rates.km_rate},
        "rows": [metrics.rounded(r) for r in rows],
        "lookalikes": metrics.lookalikes(best, prospects, LOOKALIKES_EACH),
    }


def _profile(a: Account) -> metrics.Profile:
    return metrics.Profile(a.id, a.name, a.industry, a.size_band, a.lat, a.lon)


CSV_COLUMNS = (
    "rank",
    "account_id",
    "name",
    "status",
    "tier",
    "revenue",
    "visit_minutes",
    "visit_cost",
    "travel_km",
    "travel_cost",
    "other_costs",
    "total_cost",
    "net_profit",
    "margin",
    "kare",
    "suggested_kare",
    "suggested_tier",
)


def report_csv(report: dict[str, Any]) -> str:
    """The ranking as CSV, one line per account."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(["period", *CSV_COLUMNS])
    for row in report["rows"]:
        writer.writerow(
            [report["period"]] + ["" if row[c] is None else row[c] for c in CSV_COLUMNS]
        )
    return out.getvalue()
