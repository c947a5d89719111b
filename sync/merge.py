"""Field-level three-way merge for editable rows: never overwrite a field changed on both sides."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any

from sync.constants import EDITABLE_ACCOUNT_FIELDS, Reason, Status
from sync.messages import Mutation, PushResult, applied, conflict, rejected


def json_equal(a: Any, b: Any) -> bool:
    """Equality of JSON values by value: true is not 1, 1 equals 1.0, key order does not matter."""
    if isinstance(a, bool) or isinstance(b, bool):
        return isinstance(a, bool) and isinstance(b, bool) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(json_equal(a[k], b[k]) for k in a)
    if isinstance(a, list | tuple) and isinstance(b, list | tuple):
        return len(a) == len(b) and all(json_equal(x, y) for x, y in zip(a, b, strict=True))
    return type(a) is type(b) and a == b


@dataclass(frozen=True)
class MergeResult:
    """What to write, what conflicts, and what was refused, for one field-level edit."""

    writes: Mapping[str, Any] = field(default_factory=dict)
    conflicts: tuple[str, ...] = ()
    unchanged: tuple[str, ...] = ()
    not_editable: tuple[str, ...] = ()

    @property
    def changes_anything(self) -> bool:
        """True when the server must write (and bump the row's version)."""
        return bool(self.writes)

    @property
    def status(self) -> Status:
        """rejected (not editable) > conflict (some field on both sides) > applied."""
        if self.not_editable:
            return Status.REJECTED
        return Status.CONFLICT if self.conflicts else Status.APPLIED

    def result(self, m: Mutation, server_row_after: Mapping[str, Any]) -> PushResult:
        """The push answer, given the server row as it is after `writes` were stored."""
        if self.not_editable:
            errors = {
                f"args.changes.{name}": ["Field is not editable."] for name in self.not_editable
            }
            return rejected(m, Reason.NOT_EDITABLE, errors)
        if self.conflicts:
            return conflict(m, server_row_after, self.conflicts)
        return applied(m)


def merge_fields(
    server: Mapping[str, Any],
    server_version: int,
    base_version: int,
    base: Mapping[str, Any],
    changes: Mapping[str, Any],
    editable: Collection[str] = EDITABLE_ACCOUNT_FIELDS,
) -> MergeResult:
    """Three-way merge of a client's `changes` made against `base` onto the server row.

    Per field: server == new -> nothing to do; version unchanged or server == base -> write the
    client's value; otherwise both sides changed it differently -> conflict, server value kept.
    Fields without conflict are written even when others conflict (fields are independent).
    """
    refused = tuple(sorted(k for k in changes if k not in editable))
    if refused:
        return MergeResult(not_editable=refused)
    untouched_since_base = server_version == base_version
    writes: dict[str, Any] = {}
    conflicts: list[str] = []
    unchanged: list[str] = []
    for name, new in changes.items():
        current = server.get(name)
        if json_equal(current, new):
            unchanged.append(name)
        elif untouched_since_base or (name in base and json_equal(current, base[name])):
            writes[name] = new
        else:
            conflicts.append(name)
    return MergeResult(writes, tuple(sorted(conflicts)), tuple(sorted(unchanged)))
