"""Change notifications for offline sync.

Services call ``record`` after they write a syncable row. The sync integration replaces the
default no-op sink with one that appends to the change log in the same transaction.
"""

from __future__ import annotations

from collections.abc import Callable

Sink = Callable[..., None]
_sinks: list[Sink] = []


def subscribe(sink: Sink) -> None:
    """Register a sink called as ``sink(entity, entity_id, **details)``."""
    if sink not in _sinks:
        _sinks.append(sink)


def record(entity: str, entity_id: int | str, **details) -> None:
    """Tell the sinks that a row of ``entity`` changed in the current transaction."""
    for sink in _sinks:
        sink(entity, entity_id, **details)
