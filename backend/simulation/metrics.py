"""The month's figures from what the reps did: compliance by tier, overdue days, driving.

Compliance is the share of the period's required touches done in the period, by the cadence
engine's rules: a monthly rule counts the month; a weekly one each ISO week that ends in the
month; a quarterly one the quarter as of the month's end, its requirement pro-rated by the
share of the quarter gone by then (one visit a quarter is 1/3 required after its first month,
all of it in its last), as the compliance report pro-rates an open period. Touches are credited
up to the requirement (an extra visit does not make up for another account's missing one).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from backend.cadence.engine.periods import Period, period_containing
from backend.simulation.run import RepResult
from backend.simulation.world import SimAccount, World

TIERS = ("A", "B", "C")


def _periods(kind: str, first: date, last: date) -> list[tuple[Period, float]]:
    """The periods of ``kind`` a month is judged on, each with the share required."""
    if kind == "month":
        return [(period_containing("month", first), 1.0)]
    if kind == "week":
        out, d = [], first
        while d <= last:
            p = period_containing("week", d)
            if p.last <= last:
                out.append((p, 1.0))
            d = p.last.fromordinal(p.last.toordinal() + 1)
        return out
    p = period_containing(kind, last)
    return [(p, ((last - p.first).days + 1) / p.days)]


def _history(world: World) -> dict[tuple[str, str], list[date]]:
    out: dict[tuple[str, str], list[date]] = defaultdict(list)
    for rep in world.reps:
        for key, dates in rep.history.items():
            out[key].extend(dates)
    return out


def compliance(
    world: World,
    accounts: dict[str, SimAccount],
    touches: dict[tuple[str, str], list[date]],
    types: tuple[str, ...] = ("visit", "call", "email"),
) -> dict[str, float | None]:
    """Percent of required touches done, overall and per tier (None when none required)."""
    req: dict[str, float] = defaultdict(float)
    got: dict[str, float] = defaultdict(float)
    for acc in accounts.values():
        for rule in world.rules:
            if rule.tier != acc.tier or rule.touch_type not in types or rule.count <= 0:
                continue
            dates = touches.get((acc.id, rule.touch_type), ())
            for period, share in _periods(rule.period, world.first, world.last):
                need = rule.count * share
                done = sum(1 for d in dates if period.first <= d <= min(period.last, world.last))
                for key in ("all", acc.tier):
                    req[key] += need
                    got[key] += min(done, need)
    return {k: (round(100 * got[k] / req[k], 2) if req[k] else None) for k in ("all", *TIERS)}


def coverage(world: World, accounts: dict[str, SimAccount], touches) -> float | None:
    """Required visits done, each weighted by the account's revenue (percent)."""
    req = got = 0.0
    for acc in accounts.values():
        for rule in world.rules:
            if rule.tier != acc.tier or rule.touch_type != "visit" or rule.count <= 0:
                continue
            dates = touches.get((acc.id, "visit"), ())
            for period, share in _periods(rule.period, world.first, world.last):
                need = rule.count * share
                done = sum(1 for d in dates if period.first <= d <= min(period.last, world.last))
                req += acc.revenue * need
                got += acc.revenue * min(done, need)
    return round(100 * got / req, 2) if req else None


def summarise(
    world: World, results: list[RepResult], *, policy: str, seed: int, scenario: list[str]
) -> dict:
    """The ``--json`` answer of one run."""
    accounts: dict[str, SimAccount] = {}
    for rep in world.reps:
        accounts.update({a.id: a for a in rep.accounts})
    for r in results:
        accounts.update(r.accounts)
    touches = _history(world)
    for r in results:
        for aid, kind, day in r.logged:
            touches[(aid, kind)].append(day)
    visits = sum(r.visits for r in results)
    rep_days = sum(r.working_days for r in results)
    drive_min = sum(r.drive_s for r in results) / 60
    return {
        "policy": policy,
        "seed": seed,
        "month": world.month,
        "scenario": scenario,
        "reps": len(results),
        "accounts": len(accounts),
        "compliance": compliance(world, accounts, touches),
        "visit_compliance": compliance(world, accounts, touches, ("visit",)),
        "overdue_account_days": sum(r.overdue_account_days for r in results),
        "visits": visits,
        "rep_days": rep_days,
        "sick_days": sum(r.sick_days for r in results),
        "visits_per_rep_day": round(visits / rep_days, 3) if rep_days else 0.0,
        "drive_minutes_per_visit": round(drive_min / visits, 3) if visits else None,
        "km": round(sum(r.distance_m for r in results) / 1000, 1),
        "overtime_minutes": round(sum(r.overtime_s for r in results) / 60, 1),
        "revenue_weighted_coverage": coverage(world, accounts, touches),
        "closed_on_arrival": sum(r.closed for r in results),
        "stops_missed": sum(r.missed for r in results),
        "appointments_missed": sum(r.appointments_missed for r in results),
        "planner_fallbacks": sum(r.planner_fallbacks for r in results),
        "intro_visits": {
            "owed": sum(r.intro_owed for r in results),
            "in_time": sum(r.intro_in_time for r in results),
        },
    }
