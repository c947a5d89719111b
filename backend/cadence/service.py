"""Cadence from the database: the plan's versions, a rep's due list, and re-tiering by revenue.

The arithmetic lives in the pure ``backend.cadence`` package; this module only loads the rows it
needs (the plan, then one query for the accounts and their touch dates) and hands them over.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from functools import cache
from zoneinfo import ZoneInfo

from sqlalchemy import (
    CompoundSelect,
    Date,
    Integer,
    String,
    bindparam,
    func,
    literal,
    null,
    select,
    union_all,
)

from backend.accounts.models import Account
from backend.cadence import plan_store
from backend.cadence.engine.desk import Owed, plan_for
from backend.cadence.engine.due import AccountRef, DueItem, cached_cadence_status, due_items
from backend.cadence.engine.periods import period_containing
from backend.cadence.engine.plan import CadenceRule
from backend.cadence.engine.tiering import DEFAULT_TIER_THRESHOLDS, tier_for_revenue
from backend.cadence.engine.urgency import DEFAULT_WEIGHTS, UrgencyWeights, urgency_score
from backend.cadence.models import CadencePlanVersion
from backend.core import changes
from backend.core.errors import Invalid
from backend.core.extensions import db
from backend.touches.models import Touch
from backend.users.models import User


def today_in(user: User) -> date:
    """Today's date in the user's time zone (the default as-of day of every cadence answer)."""
    return datetime.now(ZoneInfo(user.time_zone)).date()


# --- the plan ---------------------------------------------------------------------------------


def rules_of(version: CadencePlanVersion | None) -> list[CadenceRule]:
    """The pure engine's rules for a stored version (the default plan when there is none)."""
    rules = version.rules if version is not None else plan_store.DEFAULT_RULES
    return [CadenceRule(r["tier"], r["touch_type"], int(r["count"]), r["period"]) for r in rules]


def weights_of(version: CadencePlanVersion | None) -> UrgencyWeights:
    """Urgency weights with the plan's tier weights (tiers are data, so are their weights)."""
    tiers = version.tiers if version is not None else plan_store.DEFAULT_TIERS
    return UrgencyWeights(
        tier={t["tier"]: float(t.get("weight") or 1.0) for t in tiers},
        kare=DEFAULT_WEIGHTS.kare,
        touch_type=DEFAULT_WEIGHTS.touch_type,
        doubling_days=DEFAULT_WEIGHTS.doubling_days,
    )


def plan_view(day: date) -> dict:
    """The version in force on ``day`` (the unsaved default before any exists) and the history."""
    version = plan_store.plan_at(day)
    versions = [
        {"id": v.id, "effective_from": v.effective_from, "created_at": v.created_at}
        for v in plan_store.plan_versions()
    ]
    if version is None:
        return {
            "id": None,
            "effective_from": plan_store.DEFAULT_EFFECTIVE_FROM,
            "tiers": plan_store.DEFAULT_TIERS,
            "rules": plan_store.DEFAULT_RULES,
            "created_at": None,
            "versions": versions,
        }
    return {
        "id": version.id,
        "effective_from": version.effective_from,
        "tiers": version.tiers,
        "rules": version.rules,
        "created_at": version.created_at,
        "versions": versions,
    }


def save_plan(actor: User, data: dict, today: date) -> CadencePlanVersion:
    """Add a plan version effective from ``data["effective_from"]`` (default ``today``).

    The past is never rewritten: a date before the latest version is refused. The same date as
    the latest version replaces it only while that version has not taken effect yet (a
    scheduled change being corrected); from its first day on, answers depend on it.
    """
    effective_from: date = data.get("effective_from") or today
    latest = plan_store.plan_at(date.max)
    if latest is not None and effective_from <= latest.effective_from:
        if effective_from < latest.effective_from or effective_from <= today:
            raise Invalid(
                "A plan change cannot rewrite the past.",
                {
                    "effective_from": [
                        f"Must be after {latest.effective_from.isoformat()}, the date the "
                        "latest version took effect."
                    ]
                },
            )
        db.session.delete(latest)
        db.session.flush()
    version = CadencePlanVersion(
        effective_from=effective_from,
        tiers=[dict(t) for t in data["tiers"]],
        rules=[dict(r) for r in data["rules"]],
        created_by_id=actor.id,
    )
    db.session.add(version)
    db.session.flush()
    changes.record("plan", version.id)
    return version


# --- due list ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DueSnapshot:
    """A rep's due list on a day, with what a complete sync snapshot also needs."""

    items: list[DueItem]
    account_ids: list[int]  # the rep's live accounts
    touch_types: list[str]  # every touch type the plan names (count 0 included)


# Due items added by higher domains (a handover's introductory visits), registered by the
# composition root: (rep, as_of, items) -> items.
DueAdjuster = Callable[[User, date, list[DueItem]], list[DueItem]]
_adjusters: list[DueAdjuster] = []


def adjust_due(adjuster: DueAdjuster) -> None:
    """Register a function that may add to or rank a rep's due list."""
    if adjuster not in _adjusters:
        _adjusters.append(adjuster)


def due_for_rep(rep: User, as_of: date, status: str | None = None) -> list[DueItem]:
    """Every touch the rep's live accounts still need in the periods containing ``as_of``."""
    items = due_snapshot(rep, as_of).items
    return [i for i in items if status is None or i.status == status]


@dataclass(frozen=True)
class _Book:
    """A rep's live accounts and their touch dates around ``as_of``, with the plan in force."""

    version: CadencePlanVersion | None
    rules: list[CadenceRule]  # count > 0 only
    types: list[str]
    accounts: list[AccountRef]
    touches: dict[tuple[int, str], list[date]]


def _book(rep: User, as_of: date) -> _Book:
    """The plan, then one read of the rep's live accounts joined to their touch dates."""
    version = plan_store.plan_at(as_of)
    all_rules = rules_of(version)
    rules = [r for r in all_rules if r.count > 0]
    types = sorted({r.touch_type for r in all_rules})
    # Without rules the window is empty; the query still lists the accounts.
    window_start = min((period_containing(r.period, as_of).first for r in rules), default=as_of)
    accounts: list[AccountRef] = []
    touches: dict[tuple[int, str], list[date]] = defaultdict(list)
    params = {"rep_id": rep.id, "window_start": window_start, "as_of": as_of}
    for row in db.session.execute(_accounts_and_touch_dates(), params).all():
        if row.type is None:
            accounts.append(AccountRef(row.id, row.name, row.tier, row.kare))
        elif rules:
            # SQLite returns dates through a UNION as text.
            day = row.day if isinstance(row.day, date) else date.fromisoformat(row.day)
            touches[(row.id, row.type)].extend([day] * row.n)
    return _Book(version, rules, types, accounts, touches)


def due_snapshot(rep: User, as_of: date) -> DueSnapshot:
    """The due list and its frame in two queries: the plan in force, then one read of the rep's
    live accounts joined to their touch dates (a pull runs this after every push of the rep's)."""
    book = _book(rep, as_of)
    items = (
        due_items(book.accounts, book.rules, book.touches, as_of, weights_of(book.version))
        if book.rules
        else []
    )
    for adjuster in _adjusters:
        items = adjuster(rep, as_of, items)
    return DueSnapshot(items, [a.id for a in book.accounts], book.types)


# --- the desk: today's calls and emails ---------------------------------------------------------


def desk_for_rep(rep: User, as_of: date, minutes: int, touch_minutes: dict[str, int]) -> dict:
    """Today's calls and emails from the desk plan over the rest of the periods (see
    ``cadence.engine.desk``): ``minutes`` of desk time a working day, ``touch_minutes`` per
    call and email."""
    book = _book(rep, as_of)
    weights = weights_of(book.version)
    names = {a.id: a.name for a in book.accounts}
    tiers = {a.id: a.tier for a in book.accounts}
    owed = []
    for account in book.accounts:
        for rule in book.rules:
            if rule.tier != account.tier or rule.touch_type not in touch_minutes:
                continue
            dates = tuple(sorted(book.touches.get((account.id, rule.touch_type), ())))
            st = cached_cadence_status(rule, dates, as_of)
            if st.due_date is not None:
                value = urgency_score(account.tier, rule.touch_type, 0, account.kare, weights)
                owed.append(Owed.of(account.id, st, value, touch_minutes[rule.touch_type]))
    plan = plan_for(owed, as_of, minutes)

    def row(t, reason: str) -> dict:
        return {
            "account_id": t.account_id,
            "account_name": names[t.account_id],
            "tier": tiers[t.account_id],
            "touch_type": t.touch_type,
            "minutes": t.minutes,
            "due_date": t.due,
            "reason": reason,
        }

    later = [t for ts in plan.later.values() for t in ts if t.next_one]
    return {
        "date": as_of,
        "minutes": minutes,
        "minutes_left": plan.minutes_left,
        "today": [row(t, plan.reason(t)) for t in plan.today],
        "later": [
            row(t, plan.reason(t)) for t in sorted(later, key=lambda t: (t.due, str(t.account_id)))
        ],
        "unplanned": [row(t, why) for t, why in plan.unplanned if t.next_one],
    }


@cache
def _accounts_and_touch_dates() -> CompoundSelect:
    """One read: the rep's live accounts (rows without a type), and their touches' local dates.

    Parameters ``rep_id``, ``window_start`` and ``as_of``. Built once: the statement is the same
    for every pull, and constructing it again each time cost more than running it.

    Touch rows come one per account, type and day in ``[window_start, as_of]`` with the count, so
    they stay few however busy the rep is; plus the latest day before the window per account and
    type (only the reason's "last visit" uses it). A UNION rather than a join: each branch is an
    index scan (``ix_accounts_owner_live``, ``ix_touches_account_type_date``) whatever the
    planner's statistics say.
    """
    window_start, as_of = bindparam("window_start", type_=Date), bindparam("as_of", type_=Date)
    live = (Account.owner_id == bindparam("rep_id", type_=Integer)) & Account.deleted_at.is_(None)
    mine = select(Account.id).where(live)
    blank_account = (null().cast(String), null().cast(String), null().cast(String))
    own = select(
        Account.id, Account.name, Account.tier, Account.kare,
        null().cast(String).label("type"), null().cast(Date).label("day"),
        null().cast(Integer).label("n"),
    ).where(live)  # fmt: skip
    recent = (
        select(Touch.account_id, *blank_account, Touch.type, Touch.local_date, func.count())
        .where(Touch.account_id.in_(mine), Touch.local_date.between(window_start, as_of))
        .group_by(Touch.account_id, Touch.type, Touch.local_date)
    )
    earlier = (
        select(Touch.account_id, *blank_account, Touch.type, func.max(Touch.local_date), literal(1))
        .where(Touch.account_id.in_(mine), Touch.local_date < window_start)
        .group_by(Touch.account_id, Touch.type)
    )
    return union_all(own, recent, earlier).order_by("id")


# --- re-tiering -------------------------------------------------------------------------------


def retier(
    actor: User,
    thresholds: Sequence[tuple[str, float]] | None = None,
    *,
    dry_run: bool = True,
) -> dict:
    """Set every live account's tier from its revenue; ``dry_run`` reports without writing.

    An account whose revenue is unknown (None) keeps its tier (see ``tier_for_revenue``).
    """
    thresholds = tuple(thresholds or DEFAULT_TIER_THRESHOLDS)
    known = plan_store.known_tiers()
    unknown = sorted({t for t, _ in thresholds} - set(known))
    if unknown:
        raise Invalid("Unknown tier.", {"thresholds": [f"Not in the plan: {', '.join(unknown)}."]})
    accounts = db.session.scalars(
        select(Account).where(Account.deleted_at.is_(None)).order_by(Account.id)
    ).all()
    changed = []
    for account in accounts:
        new_tier = tier_for_revenue(account.revenue, thresholds)
        if new_tier is None or new_tier == account.tier:
            continue
        changed.append(
            {
                "account_id": account.id,
                "name": account.name,
                "revenue": account.revenue,
                "old_tier": account.tier,
                "new_tier": new_tier,
            }
        )
        if not dry_run:
            account.tier = new_tier
            account.version += 1
    if not dry_run and changed:
        db.session.flush()
        for change in changed:
            changes.record("account", change["account_id"])
    return {"dry_run": dry_run, "examined": len(accounts), "changed": changed}
