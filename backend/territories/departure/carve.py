"""A new rep's book carved from neighbours: the reverse of a departure.

The new rep takes ``count`` accounts of the territory (by default their fair share: the
territory's live accounts split evenly over its active reps, them included). Each step takes
from the currently most loaded other member the unlocked account nearest the new rep's home,
so the load evens out while the new rep's accounts stay close to home. Audited as "proposal"
with ref ``carve:<rep id>``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from backend.accounts.models import Account
from backend.core.errors import Invalid, NotFound
from backend.core.extensions import db
from backend.territories.departure import moves
from backend.territories.departure.owners import distance_km
from backend.territories.departure.service import Outcome, replan_items
from backend.users.models import Territory, User
from backend.users.scope import managed_territory_ids, rep_scope


def _rep_and_territory(actor: User | None, rep_id: int, territory_id: int) -> tuple:
    if actor is not None and actor.role == "rep":
        raise NotFound(f"User {rep_id} not found.")
    stmt = select(User).where(User.id == rep_id)
    if actor is not None:
        stmt = stmt.where(rep_scope(actor))
    rep = db.session.scalar(stmt)
    if rep is None or (actor is not None and rep.id == actor.id):
        raise NotFound(f"User {rep_id} not found.")
    territory = db.session.get(Territory, territory_id)
    if territory is None or (
        actor is not None
        and actor.role == "manager"
        and territory_id not in managed_territory_ids(actor)
    ):
        raise Invalid("No such territory.", {"territory_id": ["No such territory."]})
    errors = {}
    if rep.role != "rep" or not rep.is_active:
        errors["user_id"] = ["Not an active rep."]
    elif rep not in territory.members:
        errors["user_id"] = ["Add the rep to the territory first."]
    elif rep.home_lat is None or rep.home_lon is None:
        errors["user_id"] = ["Set the rep's home location first."]
    if errors:
        raise Invalid("Cannot carve for this rep.", errors)
    return rep, territory


def carve(
    actor: User | None, rep_id: int, territory_id: int, count: int | None, now: datetime
) -> Outcome:
    """Move ``count`` accounts (default: the fair share) of the territory to the new rep."""
    rep, territory = _rep_and_territory(actor, rep_id, territory_id)
    members = {m.id for m in territory.members if m.is_active and m.role == "rep"}
    live = list(
        db.session.scalars(
            select(Account)
            .where(Account.territory_id == territory.id, Account.deleted_at.is_(None))
            .order_by(Account.id)
        )
    )
    held: dict[int, list[Account]] = defaultdict(list)
    for account in live:
        if account.owner_id in members:
            held[account.owner_id].append(account)
    own = len(held.pop(rep.id, []))
    if count is None:
        count = max(0, round(len(live) / max(1, len(members))) - own)
    for accounts in held.values():
        accounts.sort(key=lambda a: -distance_km(a.lat, a.lon, rep.home_lat, rep.home_lon))
    chosen: dict[int, int] = {}
    taken: list[Account] = []
    from_counts: dict[int, int] = defaultdict(int)
    while len(chosen) < count:
        donors = [d for d, accts in held.items() if any(not a.locked for a in accts)]
        if not donors:
            break
        donor = max(donors, key=lambda d: (len(held[d]), -d))
        accounts = held[donor]
        pick = next(i for i in range(len(accounts) - 1, -1, -1) if not accounts[i].locked)
        account = accounts.pop(pick)
        chosen[account.id] = rep.id
        taken.append(account)
        from_counts[donor] += 1
    moves.move_accounts(taken, chosen, actor=actor, source="proposal",
                        reason=f"carved for new rep {rep.name}", ref=f"carve:{rep.id}")  # fmt: skip
    db.session.flush()
    outcome = Outcome(len(chosen), dict(sorted(from_counts.items())), sorted(chosen))
    outcome.replanned = replan_items({rep.id}, {}, now) if chosen else []
    outcome.audit_ref = f"carve:{rep.id}"
    return outcome
