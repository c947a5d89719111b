"""Workload per rep and period: cadence minutes plus estimated driving, against capacity.

* Service minutes: the cadence plan in force on the period's last day; each rule's count is
  pro-rated to the period by days (a quarterly visit weighs a third in a 30-day month, a weekly
  call 30/7 times), visits at the account's own duration or its tier's, calls and emails at
  ``call_minutes`` / ``email_minutes`` each.
* Travel minutes: the day-tour estimate of :mod:`backend.territories.rebalance.problem`
  (Daganzo's line-haul plus local legs, from the rep's home, at the routing module's speed and
  circuity), so the optimiser balances exactly what this report shows.
* Capacity: the rep's working window (work_start..work_end) on every weekday Monday to Friday
  of the period; there is no holiday calendar yet.

The team is one territory's member reps, or every rep in a manager's territories (admins: every
active rep). A rep's load counts all their live accounts, also those outside the caller's scope
(they take the rep's time), but only accounts in scope are named as drivers or ever moved.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from datetime import timedelta

from sqlalchemy import select

from backend.accounts.models import Account
from backend.cadence import plan_store
from backend.cadence.engine.periods import Period, parse_period, period_containing
from backend.core.errors import Invalid, NotFound
from backend.core.extensions import db
from backend.territories import rebalance
from backend.users.models import Territory, User
from backend.users.scope import managed_territory_ids

DRIVERS = 5


@dataclass(frozen=True)
class Settings:
    """What workload and rebalancing take from configuration (services never read it)."""

    call_minutes: float = 10.0
    email_minutes: float = 5.0
    visits_per_day: float = 6.0
    speed_kmh: float = 40.0
    circuity: float = 1.3
    target_parity: float = 0.05
    time_limit_s: float = 8.0
    workers: int = 2

    @classmethod
    def from_config(cls, config) -> Settings:
        """Settings from a Flask config mapping (for the views and the CLI)."""
        return cls(
            call_minutes=float(config["WORKLOAD_CALL_MINUTES"]),
            email_minutes=float(config["WORKLOAD_EMAIL_MINUTES"]),
            visits_per_day=float(config["WORKLOAD_VISITS_PER_DAY"]),
            speed_kmh=float(config["TRAVEL_SPEED_KMH"]),
            circuity=float(config["TRAVEL_CIRCUITY"]),
            target_parity=float(config["REBALANCE_TARGET_PARITY"]),
            time_limit_s=float(config["REBALANCE_TIME_LIMIT_S"]),
            workers=int(config["REBALANCE_WORKERS"]),
        )

    @property
    def travel(self) -> rebalance.TravelModel:
        """The travel model of these settings."""
        return rebalance.TravelModel(self.speed_kmh, self.circuity, self.visits_per_day)


@dataclass
class Team:
    """A team as loaded for one period: people, accounts, and what may move."""

    period: Period
    territory_id: int | None
    territory_ids: list[int] | None  # None: everything (admin without a territory)
    users: dict[int, User]
    accounts: dict[int, Account]
    reps: list[rebalance.Rep] = field(default_factory=list)
    items: list[rebalance.Account] = field(default_factory=list)

    def in_scope(self, account: Account) -> bool:
        """True if the caller may see and move this account."""
        return self.territory_ids is None or account.territory_id in self.territory_ids


def period_of(label: str) -> Period:
    """The period a label names, or a 422 on ``period``."""
    try:
        return parse_period(label)
    except ValueError as err:
        raise Invalid("Bad period.", {"query": {"period": [str(err)]}}) from None


def _scope(actor: User, territory_id: int | None) -> tuple[list[int] | None, list[User]]:
    """Territory ids in scope and the team's reps; a territory out of scope is a 404."""
    if territory_id is not None:
        territory = db.session.get(Territory, territory_id)
        if territory is None or (actor.role != "admin" and territory.manager_id != actor.id):
            raise NotFound(f"Territory {territory_id} not found.")
        return [territory_id], [u for u in territory.members if u.role == "rep" and u.is_active]
    if actor.role == "admin":
        reps = db.session.scalars(
            select(User).where(User.role == "rep", User.is_active.is_(True)).order_by(User.id)
        )
        return None, list(reps)
    ids = managed_territory_ids(actor)
    members: dict[int, User] = {}
    for territory in db.session.scalars(select(Territory).where(Territory.id.in_(ids))):
        for u in territory.members:
            if u.role == "rep" and u.is_active:
                members[u.id] = u
    return ids, sorted(members.values(), key=lambda u: u.id)


def _minutes_per_tier(period: Period, settings: Settings) -> dict[str, tuple[float, float, float]]:
    """Per tier ``(visits, visit_minutes, call_and_email_minutes)`` the plan asks in ``period``."""
    version = plan_store.plan_at(period.last)
    tiers = version.tiers if version is not None else plan_store.DEFAULT_TIERS
    rules = version.rules if version is not None else plan_store.DEFAULT_RULES
    out = {t["tier"]: [0.0, float(t.get("visit_minutes") or 30), 0.0] for t in tiers}
    per_touch = {"call": settings.call_minutes, "email": settings.email_minutes}
    for rule in rules:
        share = period.days / period_containing(rule["period"], period.first).days
        count = float(rule["count"]) * share
        row = out.setdefault(rule["tier"], [0.0, 30.0, 0.0])
        if rule["touch_type"] == "visit":
            row[0] += count
        else:
            row[2] += count * per_touch.get(rule["touch_type"], 0.0)
    return {tier: tuple(row) for tier, row in out.items()}


def capacity_minutes(user: User, period: Period) -> float:
    """Working minutes of ``user`` in ``period``: the working window on each weekday."""
    days = sum(1 for i in range(period.days) if (period.first + timedelta(days=i)).weekday() < 5)
    return float(max(user.work_end_min - user.work_start_min, 0) * days)


def load_team(actor: User, territory_id: int | None, period_label: str, settings: Settings) -> Team:
    """The team in ``actor``'s scope with every account's cost, ready for metrics or solving."""
    scope, reps = _scope(actor, territory_id)
    return team_of(reps, period_label, settings, territory_id=territory_id, territory_ids=scope)


def team_of(
    reps: list[User],
    period_label: str,
    settings: Settings,
    *,
    territory_id: int | None = None,
    territory_ids: list[int] | None = None,
) -> Team:
    """These reps with every live account of theirs costed for the period (the workload model).

    An account may move when it is in ``territory_ids`` (None: all) and not locked; the
    departure's proposal builds its team this way from the leaving rep and the candidates.
    """
    period = period_of(period_label)
    users = {u.id: u for u in reps}
    accounts = (
        {
            a.id: a
            for a in db.session.scalars(
                select(Account)
                .where(Account.owner_id.in_(list(users)), Account.deleted_at.is_(None))
                .order_by(Account.id)
            )
        }
        if users
        else {}
    )
    team = Team(period, territory_id, territory_ids, users, accounts)
    per_tier = _minutes_per_tier(period, settings)
    mine: dict[int, list[Account]] = {uid: [] for uid in users}
    for account in accounts.values():
        visits, visit_minutes, other = per_tier.get(account.tier, (0.0, 30.0, 0.0))
        minutes = visits * (account.service_minutes or visit_minutes) + other
        team.items.append(
            rebalance.Account(
                id=account.id,
                owner_id=account.owner_id,
                lat=account.lat,
                lon=account.lon,
                service_minutes=minutes,
                visits=visits,
                movable=team.in_scope(account) and not account.locked,
                potential=float(account.potential or 0.0),
            )
        )
        mine[account.owner_id].append(account)
    for u in reps:
        lat, lon = u.home_lat, u.home_lon
        if lat is None or lon is None:  # no home: the centre of the rep's accounts
            own = mine[u.id] or list(accounts.values())
            lat = sum(a.lat for a in own) / len(own) if own else 0.0
            lon = sum(a.lon for a in own) / len(own) if own else 0.0
        team.reps.append(rebalance.Rep(u.id, lat, lon, capacity_minutes(u, period), u.name))
    return team


def report(actor: User, territory_id: int | None, period_label: str, settings: Settings) -> dict:
    """``{"period", "territory_id", "reps": [...], "team": {parity, max_min_ratio, cv, ...}}``."""
    team = load_team(actor, territory_id, period_label, settings)
    costs = rebalance.costs(team.reps, team.items, settings.travel)
    per_rep = rebalance.summary(costs)["per_rep"]
    drivers: dict[int, list[tuple[float, Account]]] = {r.id: [] for r in team.reps}
    for a, item in enumerate(team.items):
        account = team.accounts[item.id]
        if team.in_scope(account):
            r = costs.rep_index[item.owner_id]
            drivers[item.owner_id].append((costs.minutes(a, r), account))
    rows = []
    for rep in team.reps:
        row = per_rep[rep.id]
        top = sorted(drivers[rep.id], key=lambda t: (-t[0], t[1].id))[:DRIVERS]
        rows.append(
            {
                "rep_id": rep.id,
                "name": rep.name,
                "capacity_minutes": round(rep.capacity_minutes),
                "service_minutes": round(row["service"], 1),
                "travel_minutes": round(row["travel"], 1),
                "load_pct": round(100 * row["total"] / rep.capacity_minutes, 1)
                if rep.capacity_minutes
                else None,
                "accounts": row["accounts"],
                "potential": round(row["potential"], 2),
                "drivers": [
                    {"account_id": acc.id, "name": acc.name, "minutes": round(minutes, 1)}
                    for minutes, acc in top
                ],
            }
        )
    return {
        "period": team.period.label,
        "territory_id": territory_id,
        "reps": rows,
        "team": rebalance.team_metrics([per_rep[r.id]["total"] for r in team.reps]),
    }


CSV_COLUMNS = (
    "rep_id",
    "name",
    "capacity_minutes",
    "service_minutes",
    "travel_minutes",
    "load_pct",
    "accounts",
    "potential",
)


def _cell(value):
    # A name starting with = + - @ would run as a formula in a spreadsheet.
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@"):
        return "'" + value
    return value


def report_csv(data: dict) -> str:
    """The workload report as CSV: one row per rep, then the team's figures."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in data["reps"]:
        writer.writerow([_cell(row[c]) for c in CSV_COLUMNS])
    writer.writerow([])
    for key, value in data["team"].items():
        writer.writerow([key, value])
    return out.getvalue()
