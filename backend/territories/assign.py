"""Apply the territory rules to accounts: who goes where, what is left for a decision.

Scope: an admin's run covers every live account and every territory's rules; a manager's run
covers the live accounts in the territories they manage and only those territories' rules, so
it can only move accounts between their own territories (an account of theirs that no rule of
theirs matches is a gap for them to decide, or for an admin's run). Reps run no rules.

Per account, the rules give a set of matching territories:
- none: a gap, listed, left where it is;
- two or more: a conflict, listed with the territories, left where it is;
- one: the account goes there and the first matching rule of that territory is recorded on it,
  unless the account is locked (then it stays, listed under ``locked`` when the rules disagree).

The owner, when the rules move an account into a territory (or it has no owner): the current
owner stays if they are an active member rep of the new territory; otherwise the active member
rep owning the fewest live accounts (counting what this run has already handed out; ties to the
lowest id), so a realignment spreads new accounts instead of piling them on one rep. A territory
without member reps leaves the account unowned (the review lists it).

``assigned`` counts the accounts written (territory, owner or recorded rule changed),
``unchanged`` those already where and as the rules say. Every write is audited (source "rule").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from sqlalchemy import func, select

from backend.accounts import audit
from backend.accounts.models import Account
from backend.core import changes
from backend.core.errors import Forbidden
from backend.core.extensions import db
from backend.territories import rules as territory_rules
from backend.users.models import User, territory_members


@dataclass
class Move:
    """What the rules do to one account."""

    account_id: int
    rule_id: int
    from_territory: int | None
    to_territory: int
    from_owner: int | None
    to_owner: int | None


@dataclass
class Outcome:
    """The answer of a run (or of a dry run: what it would do)."""

    dry_run: bool
    assigned: int = 0
    unchanged: int = 0
    conflicts: list[dict] = field(default_factory=list)
    gaps: list[int] = field(default_factory=list)
    locked: list[int] = field(default_factory=list)
    moves: list[Move] = field(default_factory=list)


class _Owners:
    """Picks owners inside territories, keeping count of what the run hands out."""

    def __init__(self, territory_ids: list[int]):
        rows = db.session.execute(
            select(territory_members.c.territory_id, User.id)
            .join(User, User.id == territory_members.c.user_id)
            .where(
                territory_members.c.territory_id.in_(territory_ids),
                User.role == "rep",
                User.is_active.is_(True),
            )
        )
        self.members: dict[int, set[int]] = {}
        for territory_id, user_id in rows:
            self.members.setdefault(territory_id, set()).add(user_id)
        reps = {uid for ids in self.members.values() for uid in ids}
        counts = db.session.execute(
            select(Account.owner_id, func.count())
            .where(Account.owner_id.in_(reps), Account.deleted_at.is_(None))
            .group_by(Account.owner_id)
        )
        self.load: Counter[int] = Counter(dict(counts.all()))

    def pick(self, territory_id: int, current: int | None) -> int | None:
        """The owner an account gets in ``territory_id`` (see the module docstring)."""
        members = self.members.get(territory_id, set())
        if current in members:
            return current
        if not members:
            return None
        chosen = min(members, key=lambda uid: (self.load[uid], uid))
        self.load[chosen] += 1
        if current is not None and self.load[current] > 0:
            self.load[current] -= 1
        return chosen


# What matching and placing read of an account: plain rows, not whole ORM objects (a run
# reads every account in scope; hours, contacts and notes are not needed).
_COLUMNS = (
    Account.id,
    Account.lat,
    Account.lon,
    Account.tier,
    Account.industry,
    Account.size_band,
    Account.postal_code,
    Account.locked,
    Account.owner_id,
    Account.territory_id,
    Account.territory_rule_id,
)


def _accounts(actor: User, territory_ids: list[int], account_ids: Sequence[int] | None):
    stmt = select(*_COLUMNS).where(Account.deleted_at.is_(None)).order_by(Account.id)
    if actor.role != "admin":
        stmt = stmt.where(Account.territory_id.in_(territory_ids))
    if account_ids is not None:
        stmt = stmt.where(Account.id.in_(list(account_ids)))
    return db.session.execute(stmt).all()


def plan(actor: User, account_ids: Sequence[int] | None = None) -> Outcome:
    """What the rules would do to the accounts in ``actor``'s scope (nothing is written)."""
    if actor.role not in ("admin", "manager"):
        raise Forbidden("Only managers and admins run the territory rules.")
    territory_ids = territory_rules.territory_ids_in_scope(actor)
    compiled = territory_rules.compiled_rules(territory_ids)
    owners = _Owners(territory_ids)
    outcome = Outcome(dry_run=True)
    accounts = _accounts(actor, territory_ids, account_ids)
    for account, found in zip(
        accounts, territory_rules.matching_all(compiled, accounts), strict=True
    ):
        if not found:
            outcome.gaps.append(account.id)
            continue
        if len(found) > 1:
            outcome.conflicts.append({"account_id": account.id, "territories": sorted(found)})
            continue
        ((territory_id, rule_id),) = found.items()
        moves_territory = territory_id != account.territory_id
        if account.locked:
            if moves_territory:
                outcome.locked.append(account.id)
            else:
                outcome.unchanged += 1
            continue
        owner = account.owner_id
        if moves_territory or owner is None:
            owner = owners.pick(territory_id, owner)
        if (
            not moves_territory
            and owner == account.owner_id
            and rule_id == account.territory_rule_id
        ):
            outcome.unchanged += 1
            continue
        outcome.assigned += 1
        outcome.moves.append(
            Move(account.id, rule_id, account.territory_id, territory_id, account.owner_id, owner)
        )
    return outcome


def run(actor: User, *, dry_run: bool, account_ids: Sequence[int] | None = None) -> Outcome:
    """Apply the rules in ``actor``'s scope (``dry_run``: only say what would change).

    Each written account is audited with source "rule" and the matching rule as ``ref``, its
    version bumped and the change sent to sync (a rep who loses an account gets ``leave``).
    """
    outcome = plan(actor, account_ids)
    outcome.dry_run = dry_run
    if dry_run or not outcome.moves:
        return outcome
    accounts = {
        a.id: a
        for a in db.session.scalars(
            select(Account).where(Account.id.in_([m.account_id for m in outcome.moves]))
        )
    }
    for move in outcome.moves:
        account = accounts[move.account_id]
        before = audit.snapshot(account)
        account.territory_id = move.to_territory
        account.owner_id = move.to_owner
        account.territory_rule_id = move.rule_id
        account.version += 1
        audit.record(
            account,
            actor=actor,
            source="rule",
            before=before,
            reason=f"territory rule {move.rule_id}",
            ref=f"rule:{move.rule_id}",
        )
        changes.record(
            "account",
            account.id,
            previous_owner_id=before["owner_id"],
            previous_territory_id=before["territory_id"],
        )
    db.session.flush()
    return outcome


def on_accounts_written(accounts: Sequence[Account], actor: User) -> None:
    """The hook run after an account is created or imported: apply the rules to those accounts.

    Rules win over the territory the creator or the CSV named when exactly one territory in the
    actor's scope matches; a gap or a conflict leaves the account as given (the next assign run
    lists it). Accounts a rep creates stay as the rep made them: reps run no rules.
    """
    if actor.role not in ("admin", "manager"):
        return
    db.session.flush()
    run(actor, dry_run=False, account_ids=[a.id for a in accounts])
