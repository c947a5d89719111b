"""Object-level authorization, generated from the URL map: no endpoint that takes an id is missed.

For every rule with an id argument and every method on it, the owner's object is tried by
another rep, by a manager of another territory (both: 404, as if it did not exist) and by an
anonymous client (401). A new rule whose id kind has no entry in ``KINDS`` fails the test, so a
new endpoint cannot be left out: add how to create one object of that kind.
"""

from datetime import date

import pytest

DAY = "2026-11-24"  # a Tuesday
MONDAY = "2026-11-23"
METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE")


def _account(victim, make_account):
    return make_account(owner=victim["rep"], territory=victim["territory"]).id


def _user(victim, make_account):
    return victim["rep"].id


def _appointment(victim, make_account):
    from backend.core.extensions import db
    from backend.routes.service import appointments

    account_id = _account(victim, make_account)
    booked = appointments.book(
        victim["rep"],
        {
            "account_id": account_id,
            "date": date.fromisoformat(DAY),
            "start": "10:00",
            "minutes": 30,
            "note": "",
            "rep_id": None,
        },
    )
    db.session.commit()
    return booked.id


def _proposal(victim, make_account):
    """A rebalancing proposal for the victim's territory, made by its manager."""
    from backend.core.extensions import db
    from backend.territories.models import Proposal

    proposal = Proposal(
        created_by_id=victim["territory"].manager_id,
        territory_id=victim["territory"].id,
        territory_ids=[victim["territory"].id],
        period="2026-12",
        moves=[
            {
                "account_id": _account(victim, make_account),
                "from_rep": victim["rep"].id,
                "to_rep": victim["rep"].id,
            }
        ],
    )
    db.session.add(proposal)
    db.session.commit()
    return proposal.id


def _opportunity(victim, make_account):
    from backend.core.extensions import db
    from backend.pipeline.service import opportunities

    account_id = _account(victim, make_account)
    opp = opportunities.create_opportunity(
        victim["rep"], {"account_id": account_id, "name": "Deal", "amount": 1000.0}
    )
    db.session.commit()
    return opp.id


def _quota(victim, make_account):
    from backend.core.extensions import db
    from backend.pipeline.models import Quota

    quota = Quota(period="2026-Q4", rep_id=victim["rep"].id, revenue=1000.0, activity={})
    db.session.add(quota)
    db.session.commit()
    return quota.id


def _territory(victim, make_account):
    return victim["territory"].id


def _noop_job(*, app, progress):
    progress(1, 1)
    return {"ok": True}


def _job(victim, make_account):
    from flask import current_app

    from backend.core import tracked

    app = current_app._get_current_object()
    return tracked.submit(app, _noop_job, {}, user_id=victim["rep"].id, kind="test.noop").id


# id argument -> how to create one object of that kind, owned by the victim rep.
KINDS = {
    "account_id": _account,
    "user_id": _user,
    "appointment_id": _appointment,
    "proposal_id": _proposal,
    "opportunity_id": _opportunity,
    "quota_id": _quota,
    "territory_id": _territory,
    "job_id": _job,
}
# Other arguments rules take, with a valid value.
PLAIN = {"day": DAY, "monday": MONDAY}
# A body that passes validation, so the scope check (not the schema) is what answers.
BODIES = {
    ("/api/accounts/<int:account_id>", "PATCH"): {"name": "pwned"},
    ("/api/routes/<string:day>/stops/<int:account_id>", "PATCH"): {"status": "done"},
    ("/api/routes/<string:day>/stops/<int:account_id>/move", "POST"): {"to": "2026-11-25"},
    ("/api/opportunities/<int:opportunity_id>", "PATCH"): {"name": "pwned"},
    ("/api/quotas/<int:quota_id>", "PATCH"): {"revenue": 1.0},
    ("/api/territories/<int:territory_id>/rules", "PUT"): {"rules": [{"tiers": ["A"]}]},
    ("/api/users/<int:user_id>/departure", "POST"): {"strategy": "proposal"},
    ("/api/users/<int:user_id>/carve", "POST"): {"territory_id": 1},
}


def _operations(app):
    for rule in app.url_map.iter_rules():
        ids = [a for a in rule.arguments if a.endswith("_id") or a == "id"]
        if not ids:
            continue
        for method in sorted(rule.methods & set(METHODS)):
            yield rule, method, ids


@pytest.fixture
def world(make_user, make_territory, make_account):
    """Victim rep in one territory; an attacker rep and manager in another."""
    victim_manager = make_user("manager")
    territory = make_territory(victim_manager)
    victim = {"rep": make_user("rep", territory=territory), "territory": territory}
    other_manager = make_user("manager")
    other_territory = make_territory(other_manager)
    other_rep = make_user("rep", territory=other_territory)
    return victim, {"another rep": other_rep, "a manager of another territory": other_manager}


def test_every_id_kind_in_the_url_map_has_a_fixture(app):
    missing = {a for _, _, ids in _operations(app) for a in ids if a not in KINDS}
    assert not missing, f"add a factory to KINDS for {sorted(missing)}"
    assert len(list(_operations(app))) >= 5


def _attempts(app, make_account, victim, writes: bool):
    """``(method, url, body)`` for every operation taking an id, with the victim's objects."""
    for rule, method, ids in _operations(app):
        if (method != "GET") is not writes:
            continue
        values = {a: KINDS[a](victim, make_account) for a in ids} | {
            a: PLAIN[a] for a in rule.arguments if a in PLAIN
        }
        url = _build(rule, values)
        if url.startswith("/api/routes/"):
            url += f"?rep={victim['rep'].id}"
        yield method, url, BODIES.get((rule.rule, method), {})


@pytest.mark.parametrize("who", ["another rep", "a manager of another territory"])
@pytest.mark.parametrize("writes", [False, True], ids=["reads", "writes"])
def test_no_one_outside_the_scope_reaches_an_object_by_id(
    app, db, login, world, make_account, who, writes
):
    victim, attackers = world
    client = login(attackers[who])
    answers = [
        f"{method} {url} -> {response.status_code}"
        for method, url, body in _attempts(app, make_account, victim, writes)
        if (response := client.open(url, method=method, json=body)).status_code != 404
    ]
    assert answers == []


@pytest.mark.parametrize(
    "writes",
    [False, True],
    ids=["reads", "writes"],
)
def test_an_anonymous_client_gets_401_for_every_object_by_id(app, db, world, make_account, writes):
    victim, _ = world
    client = app.test_client()
    answers = [
        f"{method} {url} -> {response.status_code}"
        for method, url, body in _attempts(app, make_account, victim, writes)
        if (response := client.open(url, method=method, json=body)).status_code != 401
    ]
    assert answers == []


def _build(rule, values):
    """The concrete path of ``rule`` with ``values`` (werkzeug's own builder)."""
    return rule.build({k: str(v) for k, v in values.items()}, append_unknown=False)[1]


def test_objects_are_unchanged_after_the_attempts(app, db, login, world, make_account):
    victim, attackers = world
    account_id = _account(victim, make_account)
    for user in attackers.values():
        client = login(user)
        client.patch(f"/api/accounts/{account_id}", json={"name": "pwned"})
        client.delete(f"/api/accounts/{account_id}")
        client.put(
            f"/api/territories/{victim['territory'].id}/rules",
            json={"rules": [{"tiers": ["A"]}]},
        )
    owner = login(victim["rep"])
    response = owner.get(f"/api/accounts/{account_id}")
    assert response.status_code == 200 and response.get_json()["name"] != "pwned"
    rules = owner.get(f"/api/territories/{victim['territory'].id}/rules")
    assert rules.status_code == 200 and rules.get_json()["rules"] == []
