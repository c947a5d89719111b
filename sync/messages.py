"""Push and pull message shapes: parsing from JSON dicts with field messages, and back to JSON."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sync import _fields as f
from sync.args import Payload, read_args, rejection_reason
from sync.constants import (
    CURRENT_SCHEMA_VERSION,
    DEFAULT_PULL_LIMIT,
    MAX_BATCH,
    MAX_CLIENT_ID_LENGTH,
    MAX_MUTATION_ID,
    MAX_PULL_LIMIT,
    MIN_SUPPORTED_SCHEMA_VERSION,
    MUTATION_NAMES,
    Entity,
    Op,
    Reason,
    Status,
)
from sync.cursor import Cursor, decode_cursor
from sync.errors import BatchTooLarge, ProtocolError, SchemaTooOld

UPDATE_THE_APP = (
    "This version of the app is too old to sync. Please update the app; nothing has been lost."
)


@dataclass(frozen=True)
class Rejection:
    """Why a mutation is permanently unacceptable, found while reading it."""

    reason: Reason
    errors: Mapping[str, list[str]] = field(default_factory=dict)


@dataclass(frozen=True)
class Mutation:
    """One outbox entry. `rejection` is set when it can be ordered but never applied."""

    id: str
    mutation_id: int
    name: str
    args: Mapping[str, Any]
    payload: Payload | None = None
    rejection: Rejection | None = None

    def to_json(self) -> dict[str, Any]:
        """The wire form the client sends."""
        return {
            "id": self.id,
            "mutation_id": self.mutation_id,
            "name": self.name,
            "args": dict(self.args),
        }


@dataclass(frozen=True)
class PushRequest:
    """POST /api/sync/push body."""

    client_id: str
    schema_version: int
    mutations: tuple[Mutation, ...]

    def to_json(self) -> dict[str, Any]:
        """The wire form the client sends."""
        return {
            "client_id": self.client_id,
            "schema_version": self.schema_version,
            "mutations": [m.to_json() for m in self.mutations],
        }


def _check_schema_version(value: Any, location: str) -> int:
    """The client's schema version; too old is 426 before anything else is read (old shapes differ)."""
    errs = f.Errors()
    version = f.as_int(value, "schema_version", errs, lo=0)
    if version is None:
        if f.missing(value):
            errs.add("schema_version", "Missing data for required field.")
        raise ProtocolError("Invalid schema version.", errs.by_field, location)
    if version < MIN_SUPPORTED_SCHEMA_VERSION:
        raise SchemaTooOld(
            UPDATE_THE_APP,
            {"schema_version": [f"Oldest supported is {MIN_SUPPORTED_SCHEMA_VERSION}."]},
            location,
        )
    if version > CURRENT_SCHEMA_VERSION:
        # A server rolled back behind its clients: the client keeps its outbox and retries later.
        raise ProtocolError(
            "The server is older than this app.",
            {"schema_version": [f"Newest supported is {CURRENT_SCHEMA_VERSION}."]},
            location,
        )
    return version


def parse_mutation(obj: Any, path: str = "mutation") -> Mutation:
    """Read one mutation; only an unusable mutation_id (it cannot be ordered) raises ProtocolError."""
    errs = f.Errors()
    if not isinstance(obj, dict):
        raise ProtocolError("Invalid mutation.", {path: ["Not a valid object."]})
    mid = f.as_int(
        f.get(obj, "mutation_id", path, errs), f.join(path, "mutation_id"), errs, 1, MAX_MUTATION_ID
    )
    if mid is None:
        raise ProtocolError("Invalid mutation.", errs.by_field)
    # Everything else is relative to the mutation: it is answered `rejected`, which advances the
    # client's last_mutation_id, so one bad item never blocks the queue.
    own = f.Errors()
    f.unknown_keys(obj, ("id", "mutation_id", "name", "args"), "", own)
    raw_id = f.get(obj, "id", "", own)
    uid = f.as_uuid(raw_id, "id", own)
    name = f.as_str(f.get(obj, "name", "", own), "name", own, max_len=64)
    args = f.as_object(f.get(obj, "args", "", own), "args", own)
    ident = uid or (raw_id if isinstance(raw_id, str) else "")
    if own:
        return Mutation(
            ident, mid, name or "", args or {}, rejection=Rejection(Reason.INVALID, own.by_field)
        )
    assert uid is not None and name is not None and args is not None
    if name not in MUTATION_NAMES:
        msg = {"name": [f"Unknown mutation {name!r}."]}
        return Mutation(uid, mid, name, args, rejection=Rejection(Reason.UNKNOWN_MUTATION, msg))
    payload = read_args(name, args, own)
    if own or payload is None:
        return Mutation(
            uid, mid, name, args, rejection=Rejection(rejection_reason(own), own.by_field)
        )
    return Mutation(uid, mid, name, args, payload=payload)


def parse_push_request(obj: Any) -> PushRequest:
    """Read a push body; raises SchemaTooOld (426), BatchTooLarge (413) or ProtocolError (422)."""
    if not isinstance(obj, dict):
        raise ProtocolError("Invalid push.", {"_schema": ["Not a valid object."]})
    version = _check_schema_version(obj.get("schema_version", f.MISSING), "json")
    errs = f.Errors()
    f.unknown_keys(obj, ("client_id", "schema_version", "mutations"), "", errs)
    client_id = f.as_str(
        f.get(obj, "client_id", "", errs), "client_id", errs, max_len=MAX_CLIENT_ID_LENGTH
    )
    raw = f.as_list(f.get(obj, "mutations", "", errs), "mutations", errs)
    if raw is not None and len(raw) > MAX_BATCH:
        raise BatchTooLarge(
            f"Too many mutations: at most {MAX_BATCH} per push, got {len(raw)}.",
            {"mutations": [f"Longer than maximum length {MAX_BATCH}."]},
        )
    mutations: list[Mutation] = []
    for i, item in enumerate(raw or []):
        try:
            mutations.append(parse_mutation(item, f.join("mutations", i)))
        except ProtocolError as exc:
            for key, messages in exc.errors.items():
                for message in messages:
                    errs.add(key, message)
    if errs or client_id is None:
        raise ProtocolError("Invalid push.", errs.by_field)
    return PushRequest(client_id, version, tuple(mutations))


@dataclass(frozen=True)
class PushResult:
    """The answer for one mutation; optional members are omitted from JSON when None."""

    id: str
    mutation_id: int
    status: Status
    reason: str | None = None
    server: Mapping[str, Any] | None = None
    fields: tuple[str, ...] | None = None
    errors: Mapping[str, list[str]] | None = None
    # On `duplicate`: the status the mutation got when it was first processed, if still recorded.
    outcome: Status | None = None

    def to_json(self) -> dict[str, Any]:
        """The wire form."""
        out: dict[str, Any] = {
            "id": self.id,
            "mutation_id": self.mutation_id,
            "status": str(self.status),
        }
        for key in ("reason", "server", "errors", "outcome"):
            value = getattr(self, key)
            if value is not None:
                out[key] = str(value) if isinstance(value, str) else dict(value)
        if self.fields is not None:
            out["fields"] = list(self.fields)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> PushResult:
        """Read a result (clients and tests)."""
        return cls(
            id=obj["id"],
            mutation_id=obj["mutation_id"],
            status=Status(obj["status"]),
            reason=obj.get("reason"),
            server=obj.get("server"),
            fields=tuple(obj["fields"]) if "fields" in obj else None,
            errors=obj.get("errors"),
            outcome=Status(obj["outcome"]) if "outcome" in obj else None,
        )


def applied(m: Mutation) -> PushResult:
    """The mutation changed (or already matched) the server's data."""
    return PushResult(m.id, m.mutation_id, Status.APPLIED)


def conflict(m: Mutation, server: Mapping[str, Any], fields: Sequence[str]) -> PushResult:
    """Fields changed on both sides; the client shows `server` on its conflict screen."""
    return PushResult(
        m.id, m.mutation_id, Status.CONFLICT, server=dict(server), fields=tuple(sorted(fields))
    )


def rejected(
    m: Mutation, reason: Reason | str, errors: Mapping[str, list[str]] | None = None
) -> PushResult:
    """Permanently unacceptable; the client drops it and shows the reason."""
    return PushResult(
        m.id, m.mutation_id, Status.REJECTED, reason=str(reason), errors=errors or None
    )


@dataclass(frozen=True)
class PushResponse:
    """POST /api/sync/push answer."""

    last_mutation_id: int
    results: tuple[PushResult, ...]

    def to_json(self) -> dict[str, Any]:
        """The wire form."""
        return {
            "last_mutation_id": self.last_mutation_id,
            "results": [r.to_json() for r in self.results],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> PushResponse:
        """Read a response (clients and tests)."""
        return cls(obj["last_mutation_id"], tuple(PushResult.from_json(r) for r in obj["results"]))


@dataclass(frozen=True)
class PullRequest:
    """GET /api/sync/pull query."""

    cursor: Cursor
    limit: int
    schema_version: int


def parse_pull_request(query: Mapping[str, str]) -> PullRequest:
    """Read pull query arguments (strings); errors are reported under location "query"."""
    version_raw = query.get("schema_version")
    version_value: Any = f.MISSING
    if version_raw is not None:
        version_value = (
            int(version_raw) if version_raw.isdigit() and len(version_raw) < 10 else version_raw
        )
    version = _check_schema_version(version_value, "query")
    errs = f.Errors()
    f.unknown_keys(query, ("cursor", "limit", "schema_version"), "", errs)
    limit = DEFAULT_PULL_LIMIT
    raw_limit = query.get("limit")
    if raw_limit not in (None, ""):
        if not (raw_limit.isdigit() and 1 <= int(raw_limit) <= MAX_PULL_LIMIT):
            errs.add("limit", f"Must be between 1 and {MAX_PULL_LIMIT}.")
        else:
            limit = int(raw_limit)
    try:
        cursor = decode_cursor(query.get("cursor"))
    except ProtocolError as exc:
        errs.by_field.update(exc.errors)
        cursor = None
    if errs or cursor is None:
        raise ProtocolError("Invalid pull.", errs.by_field, location="query")
    return PullRequest(cursor, limit, version)


@dataclass(frozen=True)
class Change:
    """One change in a pull: `data` is the full row for put, absent for delete and leave."""

    entity: Entity
    op: Op
    id: f.RowId
    data: Mapping[str, Any] | None = None

    def __post_init__(self) -> None:
        if (self.op is Op.PUT) != (self.data is not None):
            raise ValueError("a put carries data; delete and leave carry none")

    def to_json(self) -> dict[str, Any]:
        """The wire form."""
        out: dict[str, Any] = {"entity": str(self.entity), "op": str(self.op), "id": self.id}
        if self.data is not None:
            out["data"] = dict(self.data)
        return out

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> Change:
        """Read a change (clients and tests)."""
        return cls(Entity(obj["entity"]), Op(obj["op"]), obj["id"], obj.get("data"))


@dataclass(frozen=True)
class PullResponse:
    """GET /api/sync/pull answer."""

    cursor: str
    has_more: bool
    reset: bool
    changes: tuple[Change, ...]

    def to_json(self) -> dict[str, Any]:
        """The wire form."""
        return {
            "cursor": self.cursor,
            "has_more": self.has_more,
            "reset": self.reset,
            "changes": [c.to_json() for c in self.changes],
        }

    @classmethod
    def from_json(cls, obj: Mapping[str, Any]) -> PullResponse:
        """Read a response (clients and tests)."""
        return cls(
            obj["cursor"],
            obj["has_more"],
            obj["reset"],
            tuple(Change.from_json(c) for c in obj["changes"]),
        )
