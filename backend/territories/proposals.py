"""Rebalancing proposals: compute with CP-SAT, keep as what-if scenarios, compare, apply.

A proposal is computed for a team (one territory, or a manager's territories) and stored with
its moves and the team's figures before and after. Applying it re-checks every moved account
under a row lock: if any changed owner, was locked, deleted or left the caller's scope since the
proposal was made, nothing is applied (409 with the accounts). Otherwise every move is applied
in the caller's one transaction, audited (source "proposal", ref "proposal:<id>") and announced
to sync (the old owner's devices get ``leave``). An account keeps its territory: a proposal moves
owners, and territory rules decide territories.
"""

from __future__ import annotations

from sqlalchemy import Select, or_, select, update

from backend.accounts import audit
from backend.accounts.models import Account
from backend.core import changes
from backend.core.errors import Conflict, Invalid, NotFound
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.territories import rebalance
from backend.territories.models import Proposal
from backend.territories.workload import Settings, load_team
from backend.users.models import User
from backend.users.scope import managed_territory_ids


def create_proposal(actor: User, data: dict, settings: Settings) -> Proposal:
    """Compute and store a proposal for the team ``data`` names (``territory_id`` or scope)."""
    target = data.get("target_parity")
    target = settings.target_parity if target is None else target
    team = load_team(actor, data.get("territory_id"), data["period"], settings)
    if len(team.reps) < 2:
        raise Invalid(
            "Nothing to balance.", {"territory_id": ["The team needs at least two active reps."]}
        )
    result = rebalance.propose(
        team.reps,
        team.items,
        settings.travel,
        target_parity=target,
        max_moves=data.get("max_moves"),
        time_limit_s=settings.time_limit_s,
        workers=settings.workers,
    )
    before, after = result["per_rep_before"], result["per_rep_after"]
    proposal = Proposal(
        created_by_id=actor.id,
        territory_id=team.territory_id,
        territory_ids=team.territory_ids or [],
        period=team.period.label,
        status="open",
        params={"target_parity": target, "max_moves": data.get("max_moves")},
        solver={
            "status": result["status"],
            "seconds": result["seconds"],
            "reached_target": result["reached_target"],
        },
        moves=result["moves"],
        before=result["before"],
        after=result["after"],
        per_rep=[
            {
                "rep_id": rep.id,
                "name": rep.name,
                "before_minutes": round(before[rep.id]["total"], 1),
                "after_minutes": round(after[rep.id]["total"], 1),
                "accounts_before": before[rep.id]["accounts"],
                "accounts_after": after[rep.id]["accounts"],
            }
            for rep in team.reps
        ],
        travel_before=result["travel_before"],
        travel_after=result["travel_after"],
    )
    db.session.add(proposal)
    db.session.flush()
    return proposal


def proposals_query(actor: User) -> Select:
    """Proposals ``actor`` may read, newest first: admins all; managers theirs and their
    territories'; reps none."""
    stmt = select(Proposal).order_by(Proposal.created_at.desc(), Proposal.id.desc())
    if actor.role == "admin":
        return stmt
    if actor.role != "manager":
        return stmt.where(Proposal.id.is_(None))
    return stmt.where(
        or_(
            Proposal.created_by_id == actor.id,
            Proposal.territory_id.in_(managed_territory_ids(actor)),
        )
    )


def get_proposal(actor: User, proposal_id: int) -> Proposal:
    """One proposal in scope, or NotFound (never reveal that it exists)."""
    proposal = db.session.scalar(proposals_query(actor).where(Proposal.id == proposal_id))
    if proposal is None:
        raise NotFound(f"Proposal {proposal_id} not found.")
    return proposal


def compare(actor: User, ids: list[int]) -> list[Proposal]:
    """The proposals ``ids`` in the order given, for a side-by-side view; any out of scope 404s."""
    return [get_proposal(actor, pid) for pid in ids]


def _in_scope(actor: User, account: Account, managed: set[int] | None) -> bool:
    return managed is None or account.territory_id in managed


def apply_proposal(actor: User, proposal_id: int) -> Proposal:
    """Apply every move of the proposal, or none (409) if an account changed since."""
    get_proposal(actor, proposal_id)  # scope first: a proposal out of scope is a 404
    # Write first: it takes the proposal's row lock on PostgreSQL and the write lock on SQLite
    # (whose driver starts a transaction only at the first write), so two applies touching the
    # same accounts queue up and the second reads what the first committed.
    db.session.execute(
        update(Proposal).where(Proposal.id == proposal_id).values(updated_at=utcnow())
    )
    proposal = db.session.scalar(
        select(Proposal).where(Proposal.id == proposal_id).execution_options(populate_existing=True)
    )
    if proposal.status == "applied":
        raise Conflict("This proposal was already applied.")
    ids = [m["account_id"] for m in proposal.moves]
    rows = {
        a.id: a
        for a in db.session.scalars(
            select(Account)
            .where(Account.id.in_(ids))
            .order_by(Account.id)
            .with_for_update()
            # The locked rows as committed now, not as this session may have cached them.
            .execution_options(populate_existing=True)
        )
    }
    managed = None if actor.role == "admin" else set(managed_territory_ids(actor))
    receivers = {
        u.id: u
        for u in db.session.scalars(
            select(User).where(User.id.in_({m["to_rep"] for m in proposal.moves}))
        )
    }
    changed = [
        m["account_id"]
        for m in proposal.moves
        if (account := rows.get(m["account_id"])) is None
        or account.deleted_at is not None
        or account.owner_id != m["from_rep"]
        or account.locked
        or not _in_scope(actor, account, managed)
        or not (receivers.get(m["to_rep"]) and receivers[m["to_rep"]].is_active)
    ]
    if changed:
        raise Conflict(
            "Accounts changed since the proposal was made; compute a new one.",
            extra={"changed": changed},
        )
    ref = f"proposal:{proposal.id}"
    for move in proposal.moves:
        account = rows[move["account_id"]]
        before = audit.snapshot(account)
        account.owner_id = move["to_rep"]
        account.version += 1
        audit.record(
            account,
            actor=actor,
            source="proposal",
            before=before,
            reason=f"rebalancing proposal {proposal.id}",
            ref=ref,
        )
        changes.record(
            "account",
            account.id,
            previous_owner_id=move["from_rep"],
            previous_territory_id=account.territory_id,
        )
    proposal.status = "applied"
    proposal.applied_at = utcnow()
    proposal.applied_by_id = actor.id
    db.session.flush()
    return proposal
