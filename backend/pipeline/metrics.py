"""Every pipeline figure, computed once: pure functions over aggregated counts.

The report services feed these with sums from SQL; the API, the CSV, the summary email and the
benchmark all read the figures from here, so there is one definition of each:

- conversion rate = new customers / leads (accounts entering the status in the period), in %
- win rate = won / (won + lost) among deals closed in the period, in %
- average deal size = won amount / won deals; sales cycle = mean days from creation to a win
- sales velocity = opportunities x average deal x win rate / cycle days (revenue per day; a
  cycle under one day counts as one day)
- pipeline-to-quota = open pipeline / revenue quota (a ratio); attainment = won / quota, in %
- touches per working day, by type; activity-to-meeting = visits / (calls + emails)
- profit = revenue - visit cost - travel cost - other costs; margin = profit / revenue, in %

Percentages and money are rounded to 2 decimals for the wire; comparisons against thresholds use
the unrounded values.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from geopy.distance import great_circle

# A flag fires when a figure is MORE than this many points worse than its reference.
FLAG_POINTS = 10.0
TOUCH_TYPES = ("visit", "call", "email")


def ratio(num: float, den: float) -> float | None:
    """``num / den``, or None when there is nothing to divide by."""
    return None if not den else num / den


def percent(num: float, den: float) -> float | None:
    """``num / den`` in percent, or None."""
    r = ratio(num, den)
    return None if r is None else 100.0 * r


def r2(value: float | None) -> float | None:
    """Rounded to 2 decimals for the wire (None stays None)."""
    return None if value is None else round(value, 2)


@dataclass
class Funnel:
    """What SQL sums up for one group (a territory, a rep, or everyone in scope)."""

    leads: int = 0
    opportunities: int = 0
    new_customers: int = 0
    won: int = 0
    lost: int = 0
    won_amount: float = 0.0
    won_cycle_days: float = 0.0
    open_pipeline: float = 0.0
    quota: float | None = None
    touches: dict[str, int] = field(default_factory=dict)
    working_days: int = 0
    compliance: float | None = None

    def add(self, other: Funnel) -> None:
        """Accumulate ``other`` into this one (the team total); quotas add up when set."""
        for name in ("leads", "opportunities", "new_customers", "won", "lost"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.won_amount += other.won_amount
        self.won_cycle_days += other.won_cycle_days
        self.open_pipeline += other.open_pipeline
        if other.quota is not None:
            self.quota = (self.quota or 0.0) + other.quota
        for t, n in other.touches.items():
            self.touches[t] = self.touches.get(t, 0) + n


MIN_CYCLE_DAYS = 1.0


def win_rate(won: int, lost: int) -> float | None:
    """Won among closed, in percent."""
    return percent(won, won + lost)


def figures(f: Funnel) -> dict[str, Any]:
    """Every figure of a report row, unrounded."""
    rate = win_rate(f.won, f.lost)
    deal = ratio(f.won_amount, f.won)
    cycle = ratio(f.won_cycle_days, f.won)
    velocity = None
    if rate is not None and deal is not None and cycle is not None:
        # Revenue per day: a cycle shorter than a day (won the day it was created) counts one day,
        # so same-day wins cannot blow the figure up to billions.
        velocity = f.opportunities * deal * (rate / 100.0) / max(cycle, MIN_CYCLE_DAYS)
    calls_emails = f.touches.get("call", 0) + f.touches.get("email", 0)
    return {
        "leads": f.leads,
        "opportunities": f.opportunities,
        "new_customers": f.new_customers,
        "won": f.won,
        "lost": f.lost,
        "won_amount": f.won_amount,
        "conversion_rate": percent(f.new_customers, f.leads),
        "win_rate": rate,
        "average_deal_size": deal,
        "sales_cycle_days": cycle,
        "sales_velocity": velocity,
        "open_pipeline": f.open_pipeline,
        "quota": f.quota,
        "pipeline_to_quota": ratio(f.open_pipeline, f.quota or 0),
        "attainment": percent(f.won_amount, f.quota or 0),
        "touches": {t: f.touches.get(t, 0) for t in TOUCH_TYPES},
        "touches_per_working_day": {
            t: ratio(f.touches.get(t, 0), f.working_days) for t in TOUCH_TYPES
        },
        "activity_to_meeting": ratio(f.touches.get("visit", 0), calls_emails),
        "compliance": f.compliance,
    }


def rounded(row: Mapping[str, Any]) -> dict[str, Any]:
    """A figures row for the wire: floats to 2 decimals, nested dicts too."""
    out: dict[str, Any] = {}
    for key, value in row.items():
        if isinstance(value, dict):
            out[key] = rounded(value)
        elif isinstance(value, float):
            out[key] = r2(value)
        else:
            out[key] = value
    return out


def _gap(reference: float | None, value: float | None) -> float | None:
    if reference is None or value is None:
        return None
    return round(reference - value, 9)  # 70.0 - 60.0 must be exactly 10, not 10.000000001


def flags(
    rows: Sequence[Mapping[str, Any]],
    team: Mapping[str, Any],
    quarter_rates: Mapping[Any, tuple[float | None, float | None]],
    key: str,
    points: float = FLAG_POINTS,
) -> list[dict[str, Any]]:
    """Groups to review for realignment, each with the numbers behind it.

    - win rate more than ``points`` below the team's;
    - win rate more than ``points`` lower than in the previous quarter (``quarter_rates`` maps a
      group to (previous quarter, this quarter));
    - cadence compliance more than ``points`` below the team's.
    Exactly ``points`` does not flag.
    """
    out: list[dict[str, Any]] = []

    def flag(row, kind, value, reference, gap, message):
        out.append(
            {
                key: row[key],
                "name": row.get("name"),
                "kind": kind,
                "value": r2(value),
                "reference": r2(reference),
                "gap": r2(gap),
                "message": message,
            }
        )

    for row in rows:
        gap = _gap(team.get("win_rate"), row.get("win_rate"))
        if gap is not None and gap > points:
            flag(
                row,
                "win_rate_below_team",
                row["win_rate"],
                team["win_rate"],
                gap,
                f"Win rate {row['win_rate']:.1f}% is {gap:.1f} points below the team's "
                f"{team['win_rate']:.1f}%: review for realignment.",
            )
        before, now = quarter_rates.get(row[key], (None, None))
        gap = _gap(before, now)
        if gap is not None and gap > points:
            flag(
                row,
                "win_rate_fell",
                now,
                before,
                gap,
                f"Win rate fell {gap:.1f} points quarter over quarter ({before:.1f}% to "
                f"{now:.1f}%): review for realignment.",
            )
        gap = _gap(team.get("compliance"), row.get("compliance"))
        if gap is not None and gap > points:
            flag(
                row,
                "compliance_below_team",
                row["compliance"],
                team["compliance"],
                gap,
                f"Cadence compliance {row['compliance']:.1f}% is {gap:.1f} points below the "
                f"team's {team['compliance']:.1f}%: review for realignment.",
            )
    return out


# ---- profitability -------------------------------------------------------------------------


@dataclass(frozen=True)
class Costs:
    """Cost figures for one account in one period."""

    revenue: float
    visit_minutes: float
    travel_km: float
    other_costs: float


def profit(c: Costs, hourly_rate: float, km_rate: float) -> dict[str, Any]:
    """Revenue, the three costs, net profit and margin of one account (unrounded)."""
    visit_cost = c.visit_minutes / 60.0 * hourly_rate
    travel_cost = c.travel_km * km_rate
    cost = visit_cost + travel_cost + c.other_costs
    net = c.revenue - cost
    return {
        "revenue": c.revenue,
        "visit_minutes": c.visit_minutes,
        "visit_cost": visit_cost,
        "travel_km": c.travel_km,
        "travel_cost": travel_cost,
        "other_costs": c.other_costs,
        "total_cost": cost,
        "net_profit": net,
        "margin": percent(net, c.revenue),
    }


def kare_suggestion(status: str, row: Mapping[str, Any], lost: int, potential: float) -> str:
    """Keep, attain, recapture or expand, from the account's economics in the period.

    A prospect is to attain; a customer that lost deals and won none, or costs more than it
    brings, is to recapture (win the value back before serving it at this cost); a profitable
    customer whose potential exceeds what it buys is to expand; the rest are to keep.
    """
    if status != "customer":
        return "attain"
    if (lost and not row["revenue"]) or row["net_profit"] < 0:
        return "recapture"
    if potential > row["revenue"] and row["net_profit"] > 0:
        return "expand"
    return "keep"


def tier_change(tier: str, tiers: Sequence[str], row: Mapping[str, Any]) -> str | None:
    """The next lower tier (fewer visits) when serving costs more than the account brings."""
    if row["total_cost"] <= row["revenue"] or tier not in tiers:
        return None
    i = list(tiers).index(tier)
    return tiers[i + 1] if i + 1 < len(tiers) else None


@dataclass(frozen=True)
class Profile:
    """What makes accounts alike: industry, size band and place."""

    id: int
    name: str
    industry: str | None
    size_band: str | None
    lat: float
    lon: float


# Distance at which location counts half as much as being next door.
LOOKALIKE_HALF_KM = 25.0


def similarity(a: Profile, b: Profile) -> float:
    """0..3: one point each for the same industry and size band, up to one for nearness."""
    score = 0.0
    if a.industry and a.industry == b.industry:
        score += 1.0
    if a.size_band and a.size_band == b.size_band:
        score += 1.0
    km = great_circle((a.lat, a.lon), (b.lat, b.lon)).km
    return score + 1.0 / (1.0 + km / LOOKALIKE_HALF_KM)


def lookalikes(
    best: Sequence[Profile], prospects: Sequence[Profile], n: int = 5
) -> list[dict[str, Any]]:
    """For each of the ``best`` customers, the ``n`` prospects most like it."""
    out = []
    for model in best:
        ranked = sorted(prospects, key=lambda p: (-similarity(model, p), p.id))[:n]
        out.append(
            {
                "account_id": model.id,
                "name": model.name,
                "prospects": [
                    {"account_id": p.id, "name": p.name, "similarity": r2(similarity(model, p))}
                    for p in ranked
                ],
            }
        )
    return out
