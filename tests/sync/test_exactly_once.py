"""Any interleaving of retries, lost answers, replays and reordered batches applies each mutation
exactly once and in mutation_id order, against a server built only from the planner and dicts."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from sync import (
    PushResponse,
    Status,
    applied,
    build_push_response,
    log_entries,
    parse_push_request,
    plan_batch,
)
from tests.sync.factories import mutation, push_body, touch_args

DROP = {Status.APPLIED, Status.DUPLICATE, Status.CONFLICT, Status.REJECTED}


@dataclass
class Server:
    """Dict-backed server: one push = one transaction that commits or rolls back whole."""

    last: dict[str, int] = field(default_factory=dict)
    log: dict[str, Any] = field(default_factory=dict)
    applied: list[tuple[str, int, str]] = field(default_factory=list)

    def push(self, body: dict[str, Any], fail: bool) -> dict[str, Any] | None:
        req = parse_push_request(body)
        log = {m.id: self.log[m.id] for m in req.mutations if m.id in self.log}
        plan = plan_batch(
            self.last.get(req.client_id, 0), req.mutations, client_id=req.client_id, log=log
        )
        done = [(req.client_id, m.mutation_id, m.id) for m in plan.to_apply]
        resp = build_push_response(plan, [applied(m) for m in plan.to_apply])
        if fail:  # transient error: the transaction rolls back, the client sees a 5xx
            return None
        assert plan.last_mutation_id >= self.last.get(req.client_id, 0)
        self.applied += done
        self.last[req.client_id] = plan.last_mutation_id
        self.log.update({e.id: e for e in log_entries(req.client_id, resp)})
        return resp.to_json()


@dataclass
class Client:
    """A phone with an outbox; it forgets what the server answered only when an answer arrives."""

    client_id: str
    all_mutations: list[dict[str, Any]]
    outbox: dict[int, dict[str, Any]] = field(default_factory=dict)
    sent_log: list[dict[str, Any]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self.outbox = {m["mutation_id"]: m for m in self.all_mutations}

    def receive(self, sent: list[dict[str, Any]], raw: dict[str, Any]) -> None:
        resp = PushResponse.from_json(raw)
        sent_ids = {m["mutation_id"] for m in sent}
        assert {r.mutation_id for r in resp.results} == sent_ids
        for r in resp.results:
            # The response's last_mutation_id alone is enough to prune the outbox.
            assert (r.status in DROP) == (r.mutation_id <= resp.last_mutation_id)
            if r.status in DROP:
                self.outbox.pop(r.mutation_id, None)
        for mid in [mid for mid in self.outbox if mid <= resp.last_mutation_id]:
            del self.outbox[mid]


def make_mutations(n: int, invalid: set[int]) -> list[dict[str, Any]]:
    return [
        mutation(i, args=touch_args(type="fax") if i in invalid else touch_args())
        for i in range(1, n + 1)
    ]


event = st.tuples(
    st.integers(0, 1),  # which client
    st.lists(
        st.integers(0, 30), max_size=8
    ),  # indices into that client's mutations (any order, repeats)
    st.booleans(),  # the answer is lost on the way back
    st.booleans(),  # the server fails transiently
)


@settings(max_examples=150, deadline=None)
@given(
    sizes=st.tuples(st.integers(1, 12), st.integers(0, 12)),
    invalid=st.sets(st.integers(1, 12), max_size=3),
    events=st.lists(event, max_size=25),
)
def test_each_mutation_applied_exactly_once_in_order(sizes, invalid, events):
    server = Server()
    clients = [Client(f"phone-{i}", make_mutations(n, invalid)) for i, n in enumerate(sizes)]
    for who, picks, lost, fail in events:
        client = clients[who]
        if not client.all_mutations:
            continue
        # Replays of anything ever created, including what the client already dropped (an old
        # request retried by a proxy or a service worker).
        batch = [client.all_mutations[p % len(client.all_mutations)] for p in picks]
        raw = server.push(push_body(batch, client.client_id), fail)
        if raw is not None and not lost:
            client.receive(batch, raw)
    # Then the phone drains its outbox normally until it is empty.
    for client in clients:
        for _ in range(3):
            if not client.outbox:
                break
            batch = [client.outbox[mid] for mid in sorted(client.outbox)]
            client.receive(batch, server.push(push_body(batch, client.client_id), fail=False))
        assert client.outbox == {}

    for client, n in zip(clients, sizes, strict=True):
        applied_mids = [mid for cid, mid, _ in server.applied if cid == client.client_id]
        assert applied_mids == [i for i in range(1, n + 1) if i not in invalid]
        assert server.last.get(client.client_id, 0) == n


@settings(max_examples=100, deadline=None)
@given(
    uid_pool=st.integers(1, 4),
    uid_picks=st.lists(st.integers(0, 3), min_size=1, max_size=10),
    events=st.lists(st.lists(st.integers(0, 20), max_size=6), max_size=10),
)
def test_reused_mutation_uuids_are_never_applied_twice(uid_pool, uid_picks, events):
    # A buggy client that hands out the same UUID under several mutation_ids.
    pool = [str(uuid.uuid4()) for _ in range(uid_pool)]
    ms = [mutation(i + 1, uid=pool[p % uid_pool]) for i, p in enumerate(uid_picks)]
    server = Server()
    client = Client("phone-x", ms)
    for picks in events:
        batch = [ms[p % len(ms)] for p in picks]
        client.receive(batch, server.push(push_body(batch, "phone-x"), fail=False))
    batch = [client.outbox[mid] for mid in sorted(client.outbox)]
    client.receive(batch, server.push(push_body(batch, "phone-x"), fail=False))
    uuids = [u for _, _, u in server.applied]
    assert len(uuids) == len(set(uuids))
    assert [mid for _, mid, _ in server.applied] == sorted({mid for _, mid, _ in server.applied})
    assert server.last["phone-x"] == len(ms)
    assert client.outbox == {}
