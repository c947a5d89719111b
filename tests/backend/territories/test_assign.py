"""Applying the rules: polygon, segment and hybrid rules; conflicts, gaps, locks; dry runs."""

from sqlalchemy import select

from backend.accounts.models import Account, AuditEntry
from tests.backend.territories.conftest import square

MUNICH = (11.57, 48.14)
BERLIN = (13.40, 52.52)


def _at(place, **fields):
    lon, lat = place
    return {"lat": lat, "lon": lon, **fields}


def _assign(client, dry_run=False):
    url = "/api/territories/assign" + ("?dry_run=1" if dry_run else "")
    response = client.post(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def _fresh(db, account):
    db.session.expire_all()
    return db.session.get(Account, account.id)


def _audits(db, **where):
    stmt = select(AuditEntry).filter_by(**where).order_by(AuditEntry.id)
    return list(db.session.scalars(stmt))


def test_a_polygon_rule_takes_the_accounts_inside_and_leaves_the_rest_as_gaps(
    db, login, make_user, make_territory, make_account, put_rules
):
    admin = make_user("admin")
    south = make_territory(name="South")
    rep = make_user("rep", territory=south)
    rule = put_rules(admin, south, [{"name": "Munich", "geometry": square(*MUNICH)}])[0]
    inside = make_account(**_at(MUNICH))
    outside = make_account(**_at(BERLIN))

    answer = _assign(login(admin))

    assert answer["assigned"] == 1 and answer["unchanged"] == 0
    assert answer["gaps"] == [outside.id] and answer["conflicts"] == []
    placed = _fresh(db, inside)
    assert (placed.territory_id, placed.territory_rule_id, placed.owner_id) == (
        south.id,
        rule["id"],
        rep.id,
    )
    assert _fresh(db, outside).territory_id is None
    # Running again changes nothing.
    again = _assign(login(admin))
    assert again["assigned"] == 0 and again["unchanged"] == 1


def test_segment_rules_match_industry_size_band_tier_and_postal_prefix(
    db, login, make_user, make_territory, make_account, put_rules
):
    admin = make_user("admin")
    pharma = make_territory(name="Pharma")
    north = make_territory(name="Postcodes 2")
    put_rules(admin, pharma, [{"industries": ["pharma"], "size_bands": ["250+"], "tiers": ["A"]}])
    put_rules(admin, north, [{"postal_prefixes": ["20", "21"]}])
    big = make_account(industry="Pharma", size_band="250+", tier="A", postal_code="80331")
    small = make_account(industry="Pharma", size_band="10-49", tier="A", postal_code="80331")
    tier_b = make_account(industry="Pharma", size_band="250+", tier="B", postal_code="80331")
    hamburg = make_account(industry="Retail", postal_code="20 095")
    no_code = make_account(industry="Retail")

    answer = _assign(login(admin))

    assert _fresh(db, big).territory_id == pharma.id  # industry compared case-insensitively
    assert _fresh(db, hamburg).territory_id == north.id  # spaces in postal codes ignored
    assert sorted(answer["gaps"]) == sorted([small.id, tier_b.id, no_code.id])
    assert answer["assigned"] == 2


def test_a_hybrid_rule_needs_both_the_area_and_the_segment(
    db, login, make_user, make_territory, make_account, put_rules
):
    admin = make_user("admin")
    territory = make_territory()
    put_rules(
        admin,
        territory,
        [{"kind": "hybrid", "geometry": square(*MUNICH), "industries": ["Retail"]}],
    )
    both = make_account(**_at(MUNICH, industry="Retail"))
    area_only = make_account(**_at(MUNICH, industry="Pharma"))
    segment_only = make_account(**_at(BERLIN, industry="Retail"))

    answer = _assign(login(admin))

    assert _fresh(db, both).territory_id == territory.id
    assert sorted(answer["gaps"]) == sorted([area_only.id, segment_only.id])
    assert _fresh(db, area_only).territory_id is None
    assert _fresh(db, segment_only).territory_id is None


def test_an_account_two_territories_match_is_listed_never_assigned(
    db, login, make_user, make_territory, make_account, put_rules
):
    admin = make_user("admin")
    geo, retail = make_territory(name="Munich"), make_territory(name="Retail")
    put_rules(admin, geo, [{"geometry": square(*MUNICH)}])
    put_rules(admin, retail, [{"industries": ["Retail"]}])
    current = make_territory(name="Old")
    contested = make_account(territory=current, **_at(MUNICH, industry="Retail"))

    answer = _assign(login(admin))

    assert answer["conflicts"] == [
        {"account_id": contested.id, "territories": sorted([geo.id, retail.id])}
    ]
    assert answer["assigned"] == 0
    assert _fresh(db, contested).territory_id == current.id
    assert _audits(db, account_id=contested.id, source="rule") == []


def test_locked_accounts_never_move(db, login, make_user, make_territory, make_account, put_rules):
    admin = make_user("admin")
    old, new = make_territory(name="Old"), make_territory(name="New")
    keeper = make_user("rep", territory=old)
    put_rules(admin, new, [{"geometry": square(*MUNICH)}])
    locked = make_account(owner=keeper, territory=old, locked=True, **_at(MUNICH))

    for dry_run in (True, False):
        answer = _assign(login(admin), dry_run=dry_run)
        assert answer["locked"] == [locked.id] and answer["assigned"] == 0
    account = _fresh(db, locked)
    assert (account.territory_id, account.owner_id) == (old.id, keeper.id)


def test_the_dry_run_changes_nothing_and_predicts_the_real_run(
    db, login, make_user, make_territory, make_account, put_rules
):
    admin = make_user("admin")
    old, new = make_territory(name="Old"), make_territory(name="New")
    leaving = make_user("rep", territory=old)
    busy, idle = make_user("rep", territory=new), make_user("rep", territory=new)
    for _ in range(3):
        make_account(owner=busy, territory=new, **_at(BERLIN))
    put_rules(admin, new, [{"geometry": square(*MUNICH)}, {"geometry": square(*BERLIN)}])
    movers = [make_account(owner=leaving, territory=old, **_at(MUNICH)) for _ in range(2)]
    before = [(a.territory_id, a.owner_id, a.version) for a in movers]
    audits_before = len(_audits(db))
    client = login(admin)

    preview = _assign(client, dry_run=True)

    assert [
        (_fresh(db, a).territory_id, _fresh(db, a).owner_id, _fresh(db, a).version) for a in movers
    ] == before
    assert len(_audits(db)) == audits_before
    assert preview["dry_run"] is True
    real = _assign(client)
    assert real["dry_run"] is False
    for key in ("assigned", "unchanged", "conflicts", "gaps", "moves"):
        assert real[key] == preview[key], key
    # The movers' old owner is no member of the new territory: they go to the least-loaded rep.
    assert {_fresh(db, a).owner_id for a in movers} == {idle.id}
    # The busy rep's accounts were already right but had no rule recorded: now they have one.
    assert real["assigned"] == 5
    entries = _audits(db, account_id=movers[0].id, source="rule")
    fields = {e.field: (e.old_value, e.new_value) for e in entries}
    assert fields["territory_id"] == (old.id, new.id)
    assert fields["owner_id"] == (leaving.id, idle.id)
    assert entries[0].actor_id == admin.id and entries[0].ref.startswith("rule:")


def test_an_owner_who_is_a_member_of_the_new_territory_keeps_the_account(
    db, login, make_user, make_territory, make_account, put_rules
):
    admin = make_user("admin")
    old, new = make_territory(name="Old"), make_territory(name="New")
    both = make_user("rep", territory=old)
    new.members.append(both)
    make_user("rep", territory=new)
    db.session.commit()
    put_rules(admin, new, [{"geometry": square(*MUNICH)}])
    account = make_account(owner=both, territory=old, **_at(MUNICH))
    _assign(login(admin))
    moved = _fresh(db, account)
    assert (moved.territory_id, moved.owner_id) == (new.id, both.id)


def test_a_manager_never_sees_assigns_or_moves_accounts_outside_their_territories(
    db, login, make_user, make_territory, make_account, put_rules
):
    mine, theirs = make_user("manager"), make_user("manager")
    a1, a2 = make_territory(mine, name="A1"), make_territory(mine, name="A2")
    b = make_territory(theirs, name="B")
    rep_a2 = make_user("rep", territory=a2)
    make_user("rep", territory=b)
    put_rules(mine, a2, [{"geometry": square(*MUNICH)}])
    put_rules(theirs, b, [{"geometry": square(*BERLIN)}])
    # The other team's account lies in my rule's area: my run must not touch or list it.
    foreign = make_account(territory=b, **_at(MUNICH))
    # My account lies in the other team's area only: a gap for me, it stays mine.
    stays = make_account(territory=a1, **_at(BERLIN))
    moves = make_account(territory=a1, **_at(MUNICH))
    unassigned = make_account(**_at(MUNICH))

    answer = _assign(login(mine))

    listed = {foreign.id, unassigned.id} & (
        set(answer["gaps"])
        | {c["account_id"] for c in answer["conflicts"]}
        | {m["account_id"] for m in answer["moves"]}
    )
    assert listed == set()
    assert answer["gaps"] == [stays.id]
    assert [m["account_id"] for m in answer["moves"]] == [moves.id]
    assert _fresh(db, foreign).territory_id == b.id
    assert _fresh(db, unassigned).territory_id is None
    assert _fresh(db, stays).territory_id == a1.id
    assert (_fresh(db, moves).territory_id, _fresh(db, moves).owner_id) == (a2.id, rep_a2.id)


def test_reps_cannot_run_the_rules(db, login, make_user, make_territory):
    rep = make_user("rep", territory=make_territory())
    assert login(rep).post("/api/territories/assign").status_code == 403
    assert login(rep).post("/api/territories/assign?dry_run=maybe").status_code in (403, 422)
    admin = make_user("admin")
    assert login(admin).post("/api/territories/assign?dry_run=maybe").status_code == 422
