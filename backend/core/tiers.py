"""Which tiers exist: asked by domains below cadence (accounts), answered by the cadence plan.

Tiers are data in the cadence plan, but accounts, which cadence itself builds on, must refuse a
tier the plan does not know. The plan registers itself here when the app is composed, so the
dependency keeps pointing down (accounts -> core <- cadence) with no import cycle.
"""

from __future__ import annotations

from collections.abc import Callable

DEFAULT_TIERS = ("A", "B", "C")
_providers: list[Callable[[], list[str]]] = []


def provide(provider: Callable[[], list[str]]) -> None:
    """Register the function that lists the plan's tiers (the composition root calls this)."""
    _providers[:] = [provider]


def known_tiers() -> list[str]:
    """The tiers of the cadence plan; A/B/C when no plan is registered."""
    return _providers[0]() if _providers else list(DEFAULT_TIERS)
