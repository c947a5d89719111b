"""Ordering and idempotency: decide, per pushed mutation, apply / answer without applying.

The server calls plan_batch() inside its push transaction, applies the APPLY steps in order (each
in a savepoint), stores plan.last_mutation_id for the client in the same transaction, and answers
build_push_response(). Every step that advances last_mutation_id is processed exactly once.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from sync.constants import Reason, Status
from sync.messages import Mutation, PushResponse, PushResult, rejected

_ID_CONFLICT = {"mutation_id": ["Two different mutations were sent with this mutation_id."]}
_ID_REUSED = {"id": ["This mutation id was already used by another mutation."]}


@dataclass(frozen=True)
class LoggedMutation:
    """The server's record of a processed mutation, kept so a lost answer can be replayed."""

    id: str
    client_id: str
    mutation_id: int
    status: Status
    reason: str | None = None
    fields: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Step:
    """One mutation's fate: apply it now, or send `answer` without touching data."""

    mutation: Mutation
    apply: bool
    answer: PushResult | None = None


@dataclass(frozen=True)
class BatchPlan:
    """The steps in mutation_id order and the client's last_mutation_id once they are done."""

    steps: tuple[Step, ...]
    last_mutation_id: int

    @property
    def to_apply(self) -> tuple[Mutation, ...]:
        """The mutations the server must apply, in order."""
        return tuple(s.mutation for s in self.steps if s.apply)


def _duplicate(m: Mutation, logged: LoggedMutation | None) -> PushResult:
    if logged is None:
        return PushResult(m.id, m.mutation_id, Status.DUPLICATE)
    return PushResult(
        m.id,
        m.mutation_id,
        Status.DUPLICATE,
        reason=logged.reason,
        fields=logged.fields,
        outcome=logged.status,
    )


def _is_same(logged: LoggedMutation, client_id: str, m: Mutation) -> bool:
    return (logged.client_id, logged.mutation_id) == (client_id, m.mutation_id)


def plan_batch(
    last_mutation_id: int,
    mutations: Iterable[Mutation],
    *,
    client_id: str = "",
    log: Mapping[str, LoggedMutation] | None = None,
) -> BatchPlan:
    """Plan a pushed batch against the client's stored last_mutation_id.

    `log` holds the server's records for the mutation UUIDs in this batch (any client). Rules:
    - mutation_id <= last: duplicate (with the original outcome when logged), never re-applied;
    - mutation_id == last + 1: applied, or rejected when permanently invalid; either way last advances;
    - mutation_id > last + 1: deferred "out_of_order", last does not move, the client resends;
    - a UUID already used under another (client, mutation_id): rejected "id_reused";
    - two different UUIDs under one mutation_id in a batch: both rejected "id_conflict".
    """
    if last_mutation_id < 0:
        raise ValueError("last_mutation_id must be >= 0")
    log = log or {}
    # Sort by mutation_id; among equal ids keep arrival order so the first copy is the one applied.
    ordered = sorted(enumerate(mutations), key=lambda im: (im[1].mutation_id, im[0]))
    ids_at: dict[int, set[str]] = {}
    first_mid_of: dict[str, int] = {}
    for _, m in ordered:
        ids_at.setdefault(m.mutation_id, set()).add(m.id)
        first_mid_of.setdefault(m.id, m.mutation_id)
    clashing = {mid for mid, ids in ids_at.items() if len(ids) > 1}

    last = last_mutation_id
    steps: list[Step] = []
    for _, m in ordered:
        mid = m.mutation_id
        if mid in clashing:
            # Neither copy can be trusted to be the one the user meant; answer both, block nothing.
            if mid == last + 1:
                last = mid
            steps.append(Step(m, False, rejected(m, Reason.ID_CONFLICT, _ID_CONFLICT)))
            continue
        logged = log.get(m.id)
        if mid <= last:
            if logged is not None and not _is_same(logged, client_id, m):
                steps.append(Step(m, False, rejected(m, Reason.ID_REUSED, _ID_REUSED)))
            else:
                steps.append(Step(m, False, _duplicate(m, logged)))
            continue
        if mid > last + 1:
            answer = PushResult(m.id, mid, Status.DEFERRED, reason=str(Reason.OUT_OF_ORDER))
            steps.append(Step(m, False, answer))
            continue
        last = mid
        if logged is not None:
            # Same (client, mutation_id) means the stored counter went backwards (restored backup):
            # the record still proves it was processed, so it is not processed again.
            if _is_same(logged, client_id, m):
                steps.append(Step(m, False, _duplicate(m, logged)))
            else:
                steps.append(Step(m, False, rejected(m, Reason.ID_REUSED, _ID_REUSED)))
        elif m.rejection is not None:
            steps.append(Step(m, False, rejected(m, m.rejection.reason, dict(m.rejection.errors))))
        elif first_mid_of[m.id] < mid:
            steps.append(Step(m, False, rejected(m, Reason.ID_REUSED, _ID_REUSED)))
        else:
            steps.append(Step(m, True))
    return BatchPlan(tuple(steps), last)


_APPLY_OUTCOMES = frozenset({Status.APPLIED, Status.CONFLICT, Status.REJECTED})


def build_push_response(plan: BatchPlan, outcomes: Sequence[PushResult]) -> PushResponse:
    """Merge the server's outcomes for the APPLY steps (in order) with the planned answers."""
    pending = iter(outcomes)
    results: list[PushResult] = []
    for step in plan.steps:
        if not step.apply:
            assert step.answer is not None
            results.append(step.answer)
            continue
        outcome = next(pending, None)
        if outcome is None:
            raise ValueError("fewer outcomes than APPLY steps")
        if (outcome.id, outcome.mutation_id) != (step.mutation.id, step.mutation.mutation_id):
            raise ValueError(
                f"outcome for {outcome.mutation_id} does not match step {step.mutation.mutation_id}"
            )
        if outcome.status not in _APPLY_OUTCOMES:
            raise ValueError(
                f"an applied mutation ends applied, conflict or rejected, not {outcome.status}"
            )
        results.append(outcome)
    if next(pending, None) is not None:
        raise ValueError("more outcomes than APPLY steps")
    return PushResponse(plan.last_mutation_id, tuple(results))


def _valid_uuid(value: str) -> bool:
    try:
        return str(uuid.UUID(value)) == value
    except ValueError:
        return False


def log_entries(client_id: str, response: PushResponse) -> list[LoggedMutation]:
    """Records to store with the push: one per mutation processed for the first time."""
    entries: list[LoggedMutation] = []
    for r in response.results:
        if r.status not in _APPLY_OUTCOMES or r.reason in (Reason.ID_REUSED, Reason.ID_CONFLICT):
            continue
        if _valid_uuid(r.id):
            entries.append(
                LoggedMutation(r.id, client_id, r.mutation_id, r.status, r.reason, r.fields)
            )
    return entries
