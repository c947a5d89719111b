"""Departure checks: who may hand over whom to whom (422 and 404), strategies, dry runs, CLI."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select


def _owners(db, accounts):
    from backend.accounts.models import Account

    db.session.expire_all()
    ids = [a.id for a in accounts]
    stmt = select(Account.id, Account.owner_id).where(Account.id.in_(ids))
    return dict(db.session.execute(stmt).all())


def _audit_count(db):
    from backend.accounts.models import AuditEntry

    return db.session.scalar(select(func.count()).select_from(AuditEntry))


@pytest.fixture
def outsiders(make_user, make_territory):
    """A rep of another manager's territory and that manager."""
    other_manager = make_user("manager")
    elsewhere = make_user("rep", territory=make_territory(other_manager))
    return {"other_manager": other_manager, "elsewhere": elsewhere}


def test_bad_targets_are_422_and_change_nothing(db, login, staff, book, outsiders, make_user):
    from backend.core.extensions import db as _db

    old, b = staff["old"], staff["b"]
    accounts = book(old, staff["territory"], 6)
    gone = make_user("rep", territory=staff["territory"])
    gone.is_active = False
    _db.session.commit()
    boss = login(staff["manager"])
    url = f"/api/users/{old.id}/departure"
    bad = {
        "a rep of another team": {"strategy": "named", "to": {"rep_id": outsiders["elsewhere"].id}},
        "an inactive rep": {"strategy": "named", "to": {"rep_id": gone.id}},
        "the leaving rep": {"strategy": "named", "to": {"rep_id": old.id}},
        "a manager": {"strategy": "named", "to": {"rep_id": staff["manager"].id}},
        "no such user": {"strategy": "named", "to": {"rep_id": 999_999}},
        "a pool with an outsider": {
            "strategy": "proposal",
            "to": {"rep_ids": [b.id, outsiders["elsewhere"].id]},
        },
        "a mapping that misses accounts": {
            "strategy": "named",
            "to": {"accounts": {str(accounts[0].id): b.id}},
        },
        "someone else's account": {
            "strategy": "named",
            "to": {"rep_id": b.id, "accounts": {"999999": b.id}},
        },
        "no target at all": {"strategy": "named"},
        "an unknown strategy": {"strategy": "coin-flip"},
        "a negative window": {"strategy": "rule", "transition_days": -1},
    }
    answers = {why: boss.post(url, json=body) for why, body in bad.items()}
    assert {why: r.status_code for why, r in answers.items()} == {why: 422 for why in bad}
    assert all(r.get_json()["errors"] for r in answers.values())
    assert set(_owners(db, accounts).values()) == {old.id}
    assert _audit_count(db) == 0


def test_rule_needs_a_remaining_member_of_each_territory(db, login, staff, book, make_territory):
    old = staff["old"]
    lonely = make_territory(staff["manager"])
    lonely.members.append(old)
    db.session.commit()
    book(old, staff["territory"], 3)
    stranded = book(old, lonely, 2)
    response = login(staff["manager"]).post(
        f"/api/users/{old.id}/departure", json={"strategy": "rule"}
    )
    assert response.status_code == 422
    message = response.get_json()["errors"]["json"]["to"][0]
    assert all(str(a.id) in message for a in stranded)


def test_rule_hands_each_account_to_a_member_of_its_territory_balanced(
    db, login, staff, book, make_territory, make_user
):
    old, b, c = staff["old"], staff["b"], staff["c"]
    north = make_territory(staff["manager"])
    d = make_user("rep", territory=north)
    north.members.append(old)
    db.session.commit()
    south_accounts = book(old, staff["territory"], 21)
    north_accounts = book(old, north, 7)
    answer = (
        login(staff["manager"])
        .post(f"/api/users/{old.id}/departure", json={"strategy": "rule"})
        .get_json()
    )
    assert answer["moves"] == 28
    south, north_owners = _owners(db, south_accounts), _owners(db, north_accounts)
    assert set(north_owners.values()) == {d.id}
    assert Counter(south.values()) == {b.id: 11, c.id: 10} or Counter(south.values()) == {
        b.id: 10,
        c.id: 11,
    }


def test_named_mapping_with_a_default(db, login, staff, book):
    old, b, c = staff["old"], staff["b"], staff["c"]
    accounts = book(old, staff["territory"], 5)
    body = {"strategy": "named", "to": {"rep_id": b.id, "accounts": {str(accounts[0].id): c.id}}}
    answer = login(staff["manager"]).post(f"/api/users/{old.id}/departure", json=body).get_json()
    assert answer["by_owner"] == {str(b.id): 4, str(c.id): 1}
    assert _owners(db, accounts)[accounts[0].id] == c.id


def test_locked_accounts_move_too_a_departure_leaves_none_behind(db, login, staff, book):
    old = staff["old"]
    accounts = book(old, staff["territory"], 4, locked=True)
    answer = (
        login(staff["manager"])
        .post(f"/api/users/{old.id}/departure", json={"strategy": "rule"})
        .get_json()
    )
    assert answer["moves"] == 4
    assert old.id not in set(_owners(db, accounts).values())


def test_dry_run_reports_and_changes_nothing(db, login, staff, book):
    old = staff["old"]
    accounts = book(old, staff["territory"], 8)
    answer = (
        login(staff["manager"])
        .post(f"/api/users/{old.id}/departure", json={"strategy": "proposal", "dry_run": True})
        .get_json()
    )
    assert answer["dry_run"] is True and answer["moves"] == 8 and answer["departure_id"] is None
    assert set(_owners(db, accounts).values()) == {old.id}
    assert _audit_count(db) == 0


def test_scope_reps_and_other_managers_get_404(db, login, staff, book, outsiders):
    old = staff["old"]
    accounts = book(old, staff["territory"], 3)
    body = {"strategy": "proposal"}
    for who in (staff["b"], old, outsiders["other_manager"], outsiders["elsewhere"]):
        response = login(who).post(f"/api/users/{old.id}/departure", json=body)
        assert response.status_code == 404, who.email
    # A manager cannot hand over a rep of another team, even to that team.
    response = login(staff["manager"]).post(
        f"/api/users/{outsiders['elsewhere'].id}/departure", json=body
    )
    assert response.status_code == 404
    assert set(_owners(db, accounts).values()) == {old.id}


def test_a_manager_cannot_hand_over_accounts_outside_their_territories(
    db, login, staff, book, outsiders, make_territory
):
    old = staff["old"]
    foreign = make_territory(outsiders["other_manager"])
    book(old, staff["territory"], 2)
    book(old, foreign, 1)
    boss = login(staff["manager"])
    response = boss.post(f"/api/users/{old.id}/departure", json={"strategy": "proposal"})
    assert response.status_code == 422
    assert "outside your territories" in response.get_json()["errors"]["json"]["user_id"][0]


def test_an_admin_hands_over_anyone_and_a_second_departure_conflicts(
    db, login, staff, book, make_user
):
    old, c = staff["old"], staff["c"]
    accounts = book(old, staff["territory"], 3)
    admin = login(make_user("admin"))
    url = f"/api/users/{old.id}/departure"
    first = admin.post(url, json={"strategy": "named", "to": {"rep_id": c.id}})
    assert first.status_code == 200 and first.get_json()["moves"] == 3
    assert admin.post(url, json={"strategy": "proposal"}).status_code == 409
    # A rep whose departure is under way receives nothing.
    leaving_target = admin.post(
        f"/api/users/{c.id}/departure", json={"strategy": "named", "to": {"rep_id": old.id}}
    )
    assert leaving_target.status_code == 422
    assert set(_owners(db, accounts).values()) == {c.id}


def test_cli_depart_and_dry_run(db, runner, staff, book, make_user):
    make_user("admin")
    old, b = staff["old"], staff["b"]
    accounts = book(old, staff["territory"], 4)
    dry = runner.invoke(args=["users", "depart", old.email, "--to", b.email, "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "would move 4 accounts" in dry.output
    assert set(_owners(db, accounts).values()) == {old.id}
    result = runner.invoke(
        args=["users", "depart", old.email, "--to", b.email, "--transition-days", "0"]
    )
    assert result.exit_code == 0, result.output
    assert "moved 4 accounts" in result.output and b.email in result.output
    assert set(_owners(db, accounts).values()) == {b.id}
    bad = runner.invoke(args=["users", "depart", b.email, "--to", old.email])
    assert bad.exit_code != 0 and "Not an active rep" in bad.output
