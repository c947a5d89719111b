"""What other domains do after accounts are written (created or imported).

Territory rules live in a domain above accounts, which therefore cannot call them. The
composition root (``backend.create_app``) registers the territory rules here, as it registers
the cadence plan's tiers in ``backend.core.tiers``; the accounts service calls :func:`written`
in the same transaction, after the accounts are flushed and audited. Without a registered hook
(a bare accounts domain) nothing happens.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from backend.accounts.models import Account
from backend.users.models import User

AfterWrite = Callable[[Sequence[Account], User], None]
_after_write: list[AfterWrite] = []


def provide(hook: AfterWrite) -> None:
    """Register ``hook(accounts, actor)`` to run after accounts are created or imported."""
    if hook not in _after_write:
        _after_write.append(hook)


def written(accounts: Sequence[Account], actor: User) -> None:
    """Run the registered hooks on freshly created or imported ``accounts``."""
    if not accounts:
        return
    for hook in _after_write:
        hook(accounts, actor)
