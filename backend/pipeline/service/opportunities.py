"""Opportunities: list, create, change (stage history, account status), soft-delete."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Select, func, select

from backend.accounts.models import Account
from backend.accounts.scope import get_account
from backend.accounts.service import assignable_owner_ids
from backend.core import changes
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.pipeline.models import CLOSED_STAGES, Opportunity, StageChange
from backend.pipeline.service.scope import get_opportunity, opportunity_scope
from backend.users.models import User

SORTS = {
    "-created_at": Opportunity.created_at.desc(),
    "-amount": Opportunity.amount.desc(),
    "name": Opportunity.name,
    "-closed_at": Opportunity.closed_at.desc(),
}
# Fields a client may set; the rest (id, version, dates of the row) are the server's.
WRITABLE = ("name", "stage", "amount", "currency", "closed_at", "lost_reason", "owner_id")


def query_opportunities(user: User, filters: dict) -> Select:
    """SELECT of the live opportunities in scope matching ``filters``."""
    stmt = select(Opportunity).where(opportunity_scope(user), Opportunity.deleted_at.is_(None))
    for key in ("account_id", "owner_id", "stage"):
        if filters.get(key) is not None:
            stmt = stmt.where(getattr(Opportunity, key) == filters[key])
    if filters.get("territory_id") is not None:
        stmt = stmt.where(
            Opportunity.account_id.in_(
                select(Account.id).where(Account.territory_id == filters["territory_id"])
            )
        )
    if filters.get("open") is not None:
        closed = Opportunity.stage.in_(CLOSED_STAGES)
        stmt = stmt.where(~closed if filters["open"] else closed)
    if q := filters.get("q"):
        stmt = stmt.where(func.lower(Opportunity.name).like(f"%{q.lower()}%"))
    return stmt.order_by(SORTS[filters.get("sort", "-created_at")], Opportunity.id)


def _check_owner(user: User, owner_id: int | None) -> None:
    if owner_id is None:
        return
    if user.role == "rep":
        if owner_id != user.id:
            raise Invalid("Bad owner.", {"owner_id": ["A rep can only own deals themselves."]})
    elif owner_id not in assignable_owner_ids(user, [owner_id]):
        raise Invalid("Bad owner.", {"owner_id": ["No such active rep in your territories."]})


def _close_dates(opp: Opportunity, data: dict, now: datetime) -> None:
    """A deal that is won or lost has a closing date; one that reopens has none."""
    if opp.stage in CLOSED_STAGES:
        if opp.closed_at is None:
            opp.closed_at = now
    else:
        opp.closed_at = None
        opp.lost_reason = None if opp.stage != "lost" else opp.lost_reason
    if opp.stage != "lost" and data.get("lost_reason"):
        raise Invalid("Not lost.", {"lost_reason": ["Only a lost deal has a lost reason."]})


def advance_account(account: Account, stage: str) -> None:
    """A lead with an open deal becomes an opportunity; a won deal makes a customer."""
    target = None
    if stage == "won" and account.status != "customer":
        target = "customer"
    elif stage not in CLOSED_STAGES and account.status == "lead":
        target = "opportunity"
    if target is not None:
        account.status = target
        account.version += 1
        changes.record("account", account.id)


def record_stage(opp: Opportunity, before: str | None, actor: User | None, at: datetime) -> None:
    """A history row for a stage move (or the first stage of a new deal)."""
    db.session.add(
        StageChange(
            opportunity_id=opp.id,
            from_stage=before,
            to_stage=opp.stage,
            at=at,
            actor_id=actor.id if actor else None,
        )
    )


def create_opportunity(user: User, data: dict) -> Opportunity:
    """Create a deal on an account in scope; a rep owns it, a manager picks a rep of theirs."""
    data = dict(data)
    try:
        account = get_account(user, data["account_id"])
    except NotFound:
        raise Invalid("Bad account.", {"account_id": ["No such account in your scope."]}) from None
    if user.role == "rep":
        data.setdefault("owner_id", user.id)
    else:
        data.setdefault("owner_id", account.owner_id)
    _check_owner(user, data.get("owner_id"))
    _check_external(data.get("external_id"), None)
    now = utcnow()
    created = data.pop("created_at", None) or now
    opp = Opportunity(**data)
    opp.created_at = created
    opp.stage = opp.stage or "lead"
    _close_dates(opp, data, now)
    if opp.closed_at is not None and opp.closed_at < created:
        raise Invalid("Bad dates.", {"closed_at": ["Closes before it was created."]})
    db.session.add(opp)
    db.session.flush()
    record_stage(opp, None, user, created)
    advance_account(account, opp.stage)
    db.session.flush()
    changes.record("opportunity", opp.id)
    return opp


def _check_external(external_id: str | None, opp_id: int | None) -> None:
    if not external_id:
        return
    found = db.session.scalar(select(Opportunity.id).where(Opportunity.external_id == external_id))
    if found is not None and found != opp_id:
        raise Invalid("Duplicate external id.", {"external_id": ["Already in use."]})


def update_opportunity(user: User, opportunity_id: int, data: dict) -> Opportunity:
    """Change fields; a stale ``base_version`` is a Conflict carrying the server version."""
    opp = get_opportunity(user, opportunity_id)
    data = dict(data)
    base_version = data.pop("base_version", None)
    if base_version is not None and base_version != opp.version:
        raise Conflict(
            "The opportunity changed since you loaded it.",
            extra={"server_version": opp.version},
        )
    if "owner_id" in data and data["owner_id"] != opp.owner_id:
        _check_owner(user, data["owner_id"])
    _check_external(data.get("external_id"), opp.id)
    return apply_changes(user, opp, data)


def apply_changes(user: User, opp: Opportunity, data: dict) -> Opportunity:
    """Write already-checked ``data`` onto ``opp``: dates, history, account status, version."""
    before = opp.stage
    for key, value in data.items():
        setattr(opp, key, value)
    now = utcnow()
    if "stage" in data and data["stage"] != before and "closed_at" not in data:
        opp.closed_at = None  # a new close (or a reopening) dates itself
    _close_dates(opp, data, now)
    if opp.closed_at is not None and opp.closed_at < opp.created_at:
        raise Invalid("Bad dates.", {"closed_at": ["Closes before it was created."]})
    opp.version += 1
    db.session.flush()
    if opp.stage != before:
        record_stage(opp, before, user, opp.closed_at or now)
        advance_account(opp.account, opp.stage)
    db.session.flush()
    changes.record("opportunity", opp.id)
    return opp


def delete_opportunity(user: User, opportunity_id: int) -> None:
    """Soft-delete (a tombstone for offline clients)."""
    opp = get_opportunity(user, opportunity_id)
    opp.deleted_at = utcnow()
    opp.version += 1
    db.session.flush()
    changes.record("opportunity", opp.id)


def history_query(user: User, opportunity_id: int) -> Select:
    """SELECT of an opportunity's stage moves, oldest first."""
    get_opportunity(user, opportunity_id)
    return (
        select(StageChange)
        .where(StageChange.opportunity_id == opportunity_id)
        .order_by(StageChange.at, StageChange.id)
    )
