"""The push fast path (touch.log runs decided in Python, inserted in bulk) answers and stores
exactly what the per-mutation savepoint path does."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select

from backend.accounts.models import Account
from backend.sync.models import SyncChange, SyncMutation
from backend.sync.service import push as sync_push
from backend.touches.models import Touch
from tests.backend.sync.conftest import mutation, push, touch


def _per_mutation(b, run):
    # The general path for every touch.log: one savepoint and one insert each.
    return [sync_push._apply_one(b, m) for m in run]


def _world(make_user, make_territory, make_account, login):
    """Rep A with two accounts, rep B with one and a touch whose UUID A's phone will reuse."""
    territory = make_territory(manager=make_user(role="manager"))
    a, b = make_user(territory=territory), make_user(territory=territory)
    mine = [make_account(owner=a, territory=territory, tier="B") for _ in range(2)]
    theirs = make_account(owner=b, territory=territory)
    b_touch = touch(theirs.id)
    assert push(login(b), [mutation(1, "touch.log", b_touch)], "b-phone")["last_mutation_id"] == 1
    return a, mine, theirs, b_touch["id"]


def _mixed_batch(mine, theirs, foreign_touch_id: str) -> list[dict]:
    first = touch(mine[0].id)
    m1 = mutation(1, "touch.log", first)
    update = {
        "account_id": mine[0].id,
        "base_version": mine[0].version,
        "base": {"tier": "B"},
        "changes": {"tier": "A"},
    }
    return [
        m1,
        mutation(2, "touch.log", touch(mine[1].id, touch_id=foreign_touch_id)),  # B's UUID
        mutation(3, "touch.log", touch(mine[1].id, minutes_ago=-120)),  # fast clock: clamped
        mutation(4, "touch.log", touch(999_999)),  # bad: no such account
        mutation(5, "touch.log", dict(first)),  # the same touch again: already there
        mutation(6, "account.update", update),
        mutation(7, "touch.log", touch(theirs.id)),  # not A's account
        mutation(8, "touch.log", touch(mine[1].id, minutes_ago=60 * 24 * 90)),  # offline 90 days
        mutation(9, "touch.log", touch(mine[0].id)),
        m1,  # a retried copy of mutation 1 in the same batch
    ]


def _answers(out: dict) -> list[tuple]:
    return [
        (r["mutation_id"], r["status"], r.get("reason"), tuple(sorted(r.get("errors") or ())))
        for r in out["results"]
    ] + [("last", out["last_mutation_id"])]


def _state(db, rep, accounts, base_version: int, batch) -> dict:
    """What the push stored, with the run's own UUIDs and ids replaced by positions."""
    db.session.commit()
    position = {a.id: i for i, a in enumerate(accounts)}
    touch_pos = {m["args"]["id"]: m["mutation_id"] for m in batch if m["name"] == "touch.log"}
    touches = db.session.scalars(select(Touch).where(Touch.id.in_(list(touch_pos))))
    mutation_pos = {m["id"]: m["mutation_id"] for m in batch}
    logged = db.session.scalars(select(SyncMutation).where(SyncMutation.id.in_(list(mutation_pos))))
    changes = db.session.scalars(
        select(SyncChange)
        .where(
            SyncChange.entity.in_(("touch", "account")),
            SyncChange.entity_id.in_([*touch_pos, *(str(a.id) for a in accounts)]),
        )
        .order_by(SyncChange.seq)
    )
    account = db.session.get(Account, accounts[0].id)
    return {
        "touches": sorted(
            (
                touch_pos[t.id],
                position.get(t.account_id),
                t.rep_id == rep.id,
                t.type,
                t.local_date.isoformat(),
                t.notes,
                t.duration_minutes,
                tuple(t.flags or ()),
            )
            for t in touches
        ),  # fmt: skip
        "mutation_log": sorted(
            (mutation_pos[m.id], m.status, m.outcome.get("reason")) for m in logged
        ),
        "change_log": [
            (
                c.entity,
                touch_pos[c.entity_id] if c.entity == "touch" else position[int(c.entity_id)],
                c.op,
                c.rep_id == rep.id,
            )
            for c in changes
        ],  # fmt: skip
        "account": (account.tier, account.version - base_version),
    }


def test_mixed_batch_same_answers_and_rows_as_per_mutation_savepoints(
    db, login, make_user, make_territory, make_account, monkeypatch
):
    runs = {}
    for path in ("fast", "per_mutation"):
        if path == "per_mutation":
            monkeypatch.setattr(sync_push, "_touch_run", _per_mutation)
        rep, mine, theirs, foreign = _world(make_user, make_territory, make_account, login)
        batch = _mixed_batch(mine, theirs, foreign)
        base_version = mine[0].version
        out = push(login(rep), batch)
        runs[path] = (_answers(out), _state(db, rep, mine, base_version, batch))

    assert runs["fast"] == runs["per_mutation"]
    answers, state = runs["fast"]
    # Results come in mutation_id order: the retried copy of 1 right after it.
    assert [a[1:3] for a in answers[:-1]] == [
        ("applied", None),
        ("duplicate", None),
        ("rejected", "id_reused"),
        ("applied", None),
        ("rejected", "not_found"),
        ("applied", None),
        ("applied", None),
        ("rejected", "not_in_scope"),
        ("applied", None),
        ("applied", None),
    ]
    assert answers[-1] == ("last", 9)
    # Mutations 1, 3, 8 and 9 stored a touch each, credited to the rep; B's touch (the UUID
    # mutation 2 reused) is still B's.
    assert [(t[0], t[2]) for t in state["touches"]] == [
        (1, True),
        (2, False),
        (3, True),
        (8, True),
        (9, True),
    ]
    assert state["account"] == ("A", 1)
    # The fast clock's visit is flagged, and so is the one 90 days old (counted when received).
    assert {t[0]: t[-1] for t in state["touches"]}[3] == ("clock_ahead",)
    assert {t[0]: t[-1] for t in state["touches"]}[8] == ("clock_behind",)


@pytest.mark.parametrize("winner", ["same_rep", "other_rep"])
def test_a_uuid_stored_meanwhile_falls_back_to_the_per_mutation_path(
    db, login, make_user, make_territory, make_account, monkeypatch, winner
):
    rep, mine, theirs, _ = _world(make_user, make_territory, make_account, login)
    other = db.session.get(Account, theirs.id).owner_id
    raced = touch(mine[0].id)
    batch = [
        mutation(1, "touch.log", touch(mine[0].id)),
        mutation(2, "touch.log", raced),
        mutation(3, "touch.log", touch(mine[1].id)),
    ]
    load = sync_push._load

    def load_then_lose_the_race(actor, mutations):
        # A concurrent request stores the UUID after the batch's rows were loaded.
        loaded = load(actor, mutations)
        # Core, not the ORM: the winner's row is in the table but not in our identity map.
        db.session.execute(
            Touch.__table__.insert().values(
                id=raced["id"],
                account_id=mine[0].id if winner == "same_rep" else theirs.id,
                rep_id=rep.id if winner == "same_rep" else other,
                type="call",
                occurred_at=datetime.now(UTC) - timedelta(hours=1),
                local_date=datetime.now(UTC).date(),
            )
        )
        return loaded

    monkeypatch.setattr(sync_push, "_load", load_then_lose_the_race)
    out = push(login(rep), batch)
    expected = ("applied", None) if winner == "same_rep" else ("rejected", "id_reused")
    assert [(r["status"], r.get("reason")) for r in out["results"]] == [
        ("applied", None),
        expected,
        ("applied", None),
    ]
    db.session.commit()
    stored = db.session.scalars(
        select(Touch.id).where(Touch.id.in_([m["args"]["id"] for m in batch]))
    ).all()
    assert len(stored) == 3 and uuid.UUID(raced["id"])
    # The raced touch is the winner's row, not ours (type "call", not "visit").
    assert db.session.get(Touch, raced["id"]).type == "call"


def test_a_stored_uuid_is_answered_before_scope(db, login, make_user, make_territory, make_account):
    """Another rep's touch UUID on their account is id_reused, not not_in_scope; the same
    touch sent again by the rep's second phone is applied, and stored once."""
    rep, mine, theirs, foreign = _world(make_user, make_territory, make_account, login)
    phone = login(rep)
    logged = touch(mine[0].id)
    assert push(phone, [mutation(1, "touch.log", logged)])["results"][0]["status"] == "applied"

    refused = push(
        phone,
        [
            mutation(1, "touch.log", touch(theirs.id, touch_id=foreign)),
            mutation(2, "touch.log", touch(theirs.id)),
        ],
        "second-phone",
    )
    resent = push(phone, [mutation(3, "touch.log", dict(logged))], "second-phone")
    assert [(r["status"], r.get("reason")) for r in refused["results"] + resent["results"]] == [
        ("rejected", "id_reused"),
        ("rejected", "not_in_scope"),
        ("applied", None),
    ]
    db.session.commit()
    assert db.session.get(Touch, foreign).rep_id != rep.id
    stored = select(func.count()).select_from(Touch).where(Touch.id == logged["id"])
    assert db.session.scalar(stored) == 1
