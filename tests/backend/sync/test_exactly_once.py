"""Property: whatever the network does to pushes, each mutation is applied exactly once, in order.

Runs against the real endpoint and database. Each example gets fresh client ids, so examples do
not see each other's counters; touches are counted by the example's own UUIDs.
"""

from __future__ import annotations

import uuid

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from backend.sync.models import SyncChange, SyncClient
from tests.backend.sync.conftest import body, mutation, touch, touch_count

# One network event: (which phone, which slice of its outbox, shuffled?, duplicated?, answer lost?,
# or a replay of an old request).
event = st.tuples(
    st.integers(0, 1),
    st.sampled_from(["outbox", "slice", "replay"]),
    st.integers(0, 10),
    st.integers(1, 6),
    st.booleans(),
    st.booleans(),
    st.booleans(),
    st.randoms(use_true_random=False),
)


@settings(
    max_examples=30,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(sizes=st.tuples(st.integers(1, 8), st.integers(0, 6)), events=st.lists(event, max_size=12))
def test_any_interleaving_applies_each_mutation_exactly_once(db, team, login, sizes, events):
    phone = login(team["a"])
    accounts = [a.id for a in team["accounts"]]
    run = uuid.uuid4().hex[:8]
    clients = [f"{run}-phone", f"{run}-tablet"]
    outboxes = [
        [mutation(i, "touch.log", touch(accounts[i % 3])) for i in range(1, n + 1)] for n in sizes
    ]
    every = [m for box in outboxes for m in box]
    sent: list[tuple[int, list[dict]]] = []
    first_processing: dict[str, int] = {}

    def send(who: int, batch: list[dict], lost: bool) -> None:
        r = phone.post("/api/sync/push", json=body(batch, clients[who]))
        assert r.status_code == 200, r.get_json()
        answer = r.get_json()
        for res in answer["results"]:
            if res["status"] in ("applied", "rejected", "conflict"):
                first_processing[res["id"]] = first_processing.get(res["id"], 0) + 1
        if not lost:
            # The protocol's one rule: drop everything at or below last_mutation_id.
            outboxes[who][:] = [
                m for m in outboxes[who] if m["mutation_id"] > answer["last_mutation_id"]
            ]

    for who, kind, start, length, shuffle, dup, lost, rnd in events:
        if kind == "replay" and sent:
            who, batch = sent[start % len(sent)]
        else:
            box = outboxes[who]
            batch = list(box if kind == "outbox" else box[start : start + length])
            if dup and batch:
                batch += [rnd.choice(batch)]
            if shuffle:
                rnd.shuffle(batch)
        sent.append((who, batch))
        send(who, batch, lost)
    for who in (0, 1):
        for _ in range(3):
            if outboxes[who]:
                send(who, list(outboxes[who]), lost=False)
        assert outboxes[who] == []

    assert touch_count(db, [m["args"]["id"] for m in every]) == len(every)
    # Processed once each, never again (a retry is answered "duplicate").
    assert all(first_processing.get(m["id"]) == 1 for m in every)
    for who, n in enumerate(sizes):
        last = db.session.scalar(
            select(SyncClient.last_mutation_id).where(SyncClient.client_id == clients[who])
        )
        assert (last or 0) == n
    # In order: the change log numbered the phone's touches in mutation_id order.
    phone_touches = [m["args"]["id"] for m in every[: sizes[0]]]
    logged = db.session.scalars(
        select(SyncChange.entity_id)
        .where(SyncChange.entity == "touch", SyncChange.entity_id.in_(phone_touches))
        .order_by(SyncChange.seq)
    ).all()
    assert list(dict.fromkeys(logged)) == phone_touches
