"""A rep's departure in one action: every account to exactly one new owner, in one transaction.

``depart`` flushes and never commits; the view or CLI commits, then hands the route re-planning
(``replan`` items) to the job queue (``backend.territories.jobs.replan_routes``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from backend.core.errors import Invalid
from backend.core.extensions import db
from backend.routes.models import RoutePlan
from backend.territories.departure import candidates as pool
from backend.territories.departure import handover, moves, owners, proposal
from backend.territories.models import Departure
from backend.territories.workload import Settings
from backend.users.models import User

STRATEGY_NAMES = ("proposal", "named", "rule")
# Future days whose already planned routes are re-planned for a new owner.
REPLAN_HORIZON_DAYS = 7


@dataclass
class Outcome:
    """What a departure (or a carve) did, as the API answers it."""

    moves: int
    by_owner: dict[int, int]
    account_ids: list[int]
    replanned: list[dict] = field(default_factory=list)
    transition_until: datetime | None = None
    departure_id: int | None = None
    audit_ref: str | None = None  # the ``ref`` of this action's audit entries
    deactivated: bool = False
    dry_run: bool = False


def local_today(rep: User, now: datetime) -> date:
    """``now`` as a date in the rep's time zone."""
    return now.astimezone(ZoneInfo(rep.time_zone)).date()


def next_workday(day: date) -> date:
    """The first Monday-to-Friday day after ``day``."""
    day += timedelta(days=1)
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return day


def _strategy(actor: User | None, rep: User, strategy: str, to: dict, accounts, plan) -> tuple:
    """(strategy function, candidate ids) for the request, targets checked (422 otherwise).

    ``plan``: (now, workload settings), what the "proposal" optimiser measures load with.
    """
    if strategy == "named":
        mapping = {int(k): int(v) for k, v in (to.get("accounts") or {}).items()}
        default = to.get("rep_id")
        if default is None and not mapping:
            raise Invalid("No new owner.", {"to": ["Name rep_id, or accounts: {id: rep_id}."]})
        unknown = sorted(set(mapping) - {a.id for a in accounts})
        if unknown:
            raise Invalid("Not this rep's accounts.",
                          {"to": [f"Account {i} is not one of the rep's." for i in unknown]})  # fmt: skip
        ids = set(mapping.values()) | ({default} if default is not None else set())
        allowed = pool.check_targets(actor, rep, sorted(ids), "to")
        return owners.named(mapping, default), allowed
    named_pool = to.get("rep_ids")
    if named_pool:
        allowed = pool.check_targets(actor, rep, list(named_pool), "to")
    else:
        allowed = pool.team_of(actor, rep, accounts)
    if strategy == "proposal":
        return proposal.optimised(rep, *plan), allowed
    return owners.STRATEGIES[strategy], allowed


def depart(
    actor: User | None,
    rep_id: int,
    *,
    strategy: str,
    to: dict,
    transition_days: int,
    now: datetime,
    dry_run: bool = False,
    settings: Settings | None = None,
) -> Outcome:
    """Hand every live account of the rep to a new owner, open the transition window, and
    deactivate the rep now (``transition_days`` 0) or when it ends (``finish_departures``).

    ``settings``: the workload model's (call and email minutes, travel, parity target, solver
    workers) for the "proposal" strategy; defaults when None.
    """
    rep = pool.departing_rep(actor, rep_id)
    accounts = pool.accounts_of(actor, rep)
    plan = (now, settings or Settings())
    choose, allowed = _strategy(actor, rep, strategy, to, accounts, plan)
    try:
        chosen = owners.choose_owners(pool.infos(accounts), pool.candidates(allowed), choose)
    except owners.NoCandidate as err:
        shown = ", ".join(str(i) for i in err.account_ids[:20])
        more = f" and {len(err.account_ids) - 20} more" if len(err.account_ids) > 20 else ""
        raise Invalid("Not every account can get a new owner.",
                      {"to": [f"{err.why} Accounts {shown}{more}."]}) from err  # fmt: skip
    until = now + timedelta(days=transition_days)
    counts = {k: len(v) for k, v in sorted(moves.by_new_owner(chosen).items())}
    outcome = Outcome(len(chosen), counts, sorted(chosen), transition_until=until, dry_run=dry_run)
    if dry_run:
        return outcome
    departure = Departure(rep_id=rep.id, actor_id=actor.id if actor else None, strategy=strategy,
                          created_at=now, transition_until=until, moves=len(chosen),
                          by_owner={str(k): v for k, v in counts.items()})  # fmt: skip
    db.session.add(departure)
    db.session.flush()
    reason = f"{rep.name} left ({strategy})"
    moves.move_accounts(accounts, chosen, actor=actor, source="departure", reason=reason,
                        ref=f"departure:{departure.id}")  # fmt: skip
    today = local_today(rep, now)
    handover.write_handovers(departure, chosen, {a.id: a.tier for a in accounts},
                             handover.intro_day(today, transition_days))  # fmt: skip
    appointment_days = moves.move_appointments(rep.id, chosen, today)
    moves.move_reminders(rep.id, chosen, now)
    outcome.departure_id = departure.id
    outcome.audit_ref = f"departure:{departure.id}"
    outcome.replanned = replan_items(set(counts), appointment_days, now)
    if transition_days > 0:
        # The leaving rep's planned days lose the accounts they no longer own.
        outcome.replanned += planned_days(rep, now)
    if transition_days == 0:
        handover.deactivate(departure, rep, now)
        outcome.deactivated = True
    db.session.flush()
    return outcome


def planned_days(rep: User, now: datetime) -> list[dict]:
    """The rep's routes planned (not under way) from today over the next days, to re-plan."""
    today = local_today(rep, now)
    days = db.session.scalars(
        select(RoutePlan.date)
        .where(
            RoutePlan.rep_id == rep.id,
            RoutePlan.date.between(today, today + timedelta(days=REPLAN_HORIZON_DAYS)),
            RoutePlan.status == "planned",
        )
        .order_by(RoutePlan.date)
    )
    return [{"rep_id": rep.id, "date": d.isoformat()} for d in days]


def replan_items(rep_ids: set[int], extra_days: dict[int, set], now: datetime) -> list[dict]:
    """The routes to re-plan for the new owners: their next working day, the days of the
    appointments they received, and their routes already planned in the next days (a route
    already under way is left alone: re-planning it from scratch would drop visits made)."""
    items = []
    for rep in db.session.scalars(select(User).where(User.id.in_(rep_ids)).order_by(User.id)):
        planned = [date.fromisoformat(i["date"]) for i in planned_days(rep, now)]
        days = {next_workday(local_today(rep, now)), *planned, *extra_days.get(rep.id, ())}
        items += [{"rep_id": rep.id, "date": d.isoformat()} for d in sorted(days)]
    return items
