"""The compliance report: SQL equals the pure functions, scope, time zones, plan versions, CSV."""

import csv
import io
import json
import random
import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.accounts.models import Account
from backend.cadence.compliance import compliance_report, overdue_accounts
from backend.cadence.engine.compliance import compliance, compliance_rows, weekly_trend
from backend.cadence.engine.due import AccountRef, cadence_status
from backend.cadence.engine.periods import parse_period
from backend.cadence.engine.plan import CadenceRule, PlanVersion, plan_at
from backend.cadence.models import CadencePlanVersion
from backend.core.models import utcnow
from backend.touches.models import Touch

TIERS = [{"tier": t, "visit_minutes": 30, "weight": 1} for t in ("A", "B", "C")]


@pytest.fixture
def any_time(app, monkeypatch):
    """Let tests log touches on fixed calendar dates whatever today's date is."""
    monkeypatch.setitem(app.config, "TOUCH_MAX_AGE_DAYS", 100_000)
    monkeypatch.setitem(app.config, "TOUCH_MAX_FUTURE_SKEW_SECONDS", 10**9)


def _save_plan(db, effective_from, rules):
    db.session.add(CadencePlanVersion(effective_from=effective_from, tiers=TIERS, rules=rules))
    db.session.commit()


def _rule(tier, touch_type, count, period="month"):
    return {"tier": tier, "touch_type": touch_type, "count": count, "period": period}


def _add_touch(db, account_id, rep, touch_type, day, hour=10):
    moment = datetime.combine(day, time(hour), tzinfo=ZoneInfo(rep.time_zone))
    db.session.add(
        Touch(
            id=str(uuid.uuid4()),
            account_id=account_id,
            rep_id=rep.id,
            type=touch_type,
            occurred_at=moment.astimezone(UTC),
            local_date=day,
        )
    )


# --- the SQL report equals the pure functions on random data ---------------------------------


def _random_world(db, rng, make_user, make_territory):
    admin = make_user("admin")
    managers = [make_user("manager") for _ in range(2)]
    territories = [make_territory(m) for m in managers]
    reps = [make_user("rep", territory=rng.choice(territories)) for _ in range(4)]
    for _ in range(40):
        account = Account(
            name=f"Acc {rng.random():.6f}",
            lat=48.1,
            lon=11.5,
            tier=rng.choice("ABCD"),  # D: a tier the plan does not know
            kare=rng.choice(["keep", "attain", "recapture", "expand"]),
            owner_id=rng.choice([*[r.id for r in reps], None]),
            territory_id=rng.choice([*[t.id for t in territories], None]),
            deleted_at=utcnow() if rng.random() < 0.1 else None,
        )
        db.session.add(account)
    db.session.flush()
    accounts = db.session.query(Account).all()
    kinds = ["week", "month", "month", "quarter"]
    versions = []
    for effective in (date(2026, 1, 1), date(2026, 11, 12)):
        rules = [
            _rule(t, ty, rng.randint(0, 4), rng.choice(kinds))
            for t in "ABC"
            for ty in ("visit", "call", "email")
            if rng.random() < 0.85
        ]
        _save_plan(db, effective, rules)
        versions.append(PlanVersion(effective, tuple(CadenceRule(**_as_rule(r)) for r in rules)))
    for _ in range(500):
        account = rng.choice(accounts)
        day = date(2026, 9, 25) + timedelta(days=rng.randint(0, 100))
        _add_touch(db, account.id, rng.choice(reps), rng.choice(["visit", "call", "email"]), day)
    db.session.commit()
    return admin, managers, territories, versions


def _as_rule(r):
    return {
        "tier": r["tier"],
        "touch_type": r["touch_type"],
        "count": r["count"],
        "period": r["period"],
    }


def _pure(db, actor_territories, versions, period, as_of, group_by):
    """The report computed with backend.cadence from plain rows."""
    live = [
        a
        for a in db.session.query(Account).filter(Account.deleted_at.is_(None))
        if actor_territories is None or a.territory_id in actor_territories
    ]
    refs = {a.id: AccountRef(a.id, a.name, a.tier, a.kare) for a in live}
    extra = {a.id: {"rep": a.owner_id, "territory": a.territory_id} for a in live}
    touches: dict = {}
    for t in db.session.query(Touch):
        touches.setdefault((t.account_id, t.type), []).append(t.local_date)
    until = min(as_of, period.last)
    rules = plan_at(versions, until).rules
    rows = compliance_rows(
        refs.values(),
        rules,
        touches,
        period,
        as_of,
        dims=lambda a: {"tier": a.tier, "kare": a.kare, **extra[a.id]},
    )
    groups = compliance(rows, group_by)
    counted = {k: [d for d in v if d <= until] for k, v in touches.items()}
    # An open period's trend stops at the week containing the as-of day.
    trend = [p for p in weekly_trend(rows, counted, period) if parse_period(p.week).first <= until]
    overdue: dict = {}
    for row in rows:
        rule = next(
            r
            for r in rules
            if r.tier == refs[row.account_id].tier and r.touch_type == row.touch_type
        )
        dates = touches.get((row.account_id, row.touch_type), [])
        late = (
            row.done < row.required
            if as_of > period.last
            else cadence_status(rule, dates, as_of).status == "overdue"
        )
        if late:
            overdue.setdefault(tuple(row.value(n) for n in group_by), set()).add(row.account_id)
    return groups, trend, overdue


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_sql_report_equals_the_pure_functions(db, make_user, make_territory, seed):
    rng = random.Random(seed)
    admin, managers, territories, versions = _random_world(db, rng, make_user, make_territory)
    cases = [
        ("2026-11", date(2026, 12, 20), ["rep", "tier", "touch_type"]),
        ("2026-11", date(2026, 11, 17), ["tier", "touch_type"]),
        ("2026-11", date(2026, 11, 5), ["territory", "kare"]),
        ("2026-Q4", date(2026, 11, 30), ["rep"]),
        ("2026-W47", date(2026, 11, 21), ["touch_type"]),
        ("2026-10", date(2026, 12, 1), []),
    ]
    for actor, scope in ((admin, None), (managers[0], {territories[0].id})):
        for label, as_of, group_by in cases:
            period = parse_period(label)
            report = compliance_report(actor, label, group_by, as_of=as_of)
            groups, trend, overdue = _pure(db, scope, versions, period, as_of, group_by)
            names = [{"rep": "rep_id", "territory": "territory_id"}.get(n, n) for n in group_by]
            got = [
                (tuple(r[n] for n in names), r["required"], r["done"], r["credited"], r["percent"])
                + (r["expected"], r["on_track"], r["expected_percent"])
                for r in report["rows"]
            ]
            want = [
                (g.key, g.required, g.done, g.credited, g.percent and round(g.percent, 2))
                + (g.expected, g.on_track, g.expected_percent and round(g.expected_percent, 2))
                for g in groups
            ]
            assert got == want, (label, as_of, group_by)
            got_late = {tuple(r[n] for n in names): r["overdue_accounts"] for r in report["rows"]}
            assert {k: v for k, v in got_late.items() if v} == {
                k: len(v) for k, v in overdue.items()
            }
            all_late = set().union(*overdue.values()) if overdue else set()
            assert report["total"]["overdue_accounts"] == len(all_late)
            assert [(p["week"], p["credited"], p["required"]) for p in report["trend"]] == [
                (p.week, p.credited, p.required) for p in trend
            ]
            drill = overdue_accounts(actor, label, as_of=as_of)
            assert {i["account_id"] for i in drill} == all_late


# --- behaviour a manager notices ------------------------------------------------------------


def test_a_touch_at_23_30_local_on_the_last_day_counts_for_that_month(
    any_time, db, login, make_user, make_account
):
    admin = make_user("admin", time_zone="UTC")
    berlin = make_user("rep", time_zone="Europe/Berlin")
    chicago = make_user("rep", time_zone="America/Chicago")
    b_acc = make_account(owner=berlin, tier="A")
    c_acc = make_account(owner=chicago, tier="A")
    for rep, account, moment in (
        (berlin, b_acc, "2026-10-31T23:30:00+01:00"),  # 22:30 UTC, still October
        (chicago, c_acc, "2026-11-30T23:30:00-06:00"),  # 05:30 UTC on December 1st
    ):
        body = {"id": str(uuid.uuid4()), "account_id": account.id, "type": "visit"}
        response = login(rep).post("/api/touches", json=body | {"occurred_at": moment})
        assert response.status_code == 201, response.get_json()

    client = login(admin)

    def visits(period):
        url = f"/api/reports/compliance?period={period}&group_by=rep,touch_type&as_of=2027-01-15"
        rows = client.get(url).get_json()["rows"]
        return {r["rep_id"]: r["done"] for r in rows if r["touch_type"] == "visit"}

    assert visits("2026-10") == {berlin.id: 1, chicago.id: 0}
    assert visits("2026-11") == {berlin.id: 0, chicago.id: 1}
    assert visits("2026-12") == {berlin.id: 0, chicago.id: 0}

    def due_visit(rep, day):
        items = login(rep).get(f"/api/cadence/due?date={day}").get_json()
        return next(i for i in items if i["touch_type"] == "visit")

    assert due_visit(berlin, "2026-10-31")["done"] == 1
    assert due_visit(chicago, "2026-11-30")["done"] == 1
    assert due_visit(chicago, "2026-11-30")["reason"].startswith("tier A: 1 of 2 visits")


def test_a_managers_report_never_counts_accounts_outside_their_territories(
    any_time, db, login, make_user, make_territory, make_account
):
    manager, other = make_user("manager"), make_user("manager")
    mine, theirs = make_territory(manager), make_territory(other)
    ana = make_user("rep", territory=mine)
    ben = make_user("rep", territory=theirs)
    inside = [make_account(owner=ana, territory=mine, tier="A") for _ in range(2)]
    # Ana also owns an account in someone else's territory: not this manager's business.
    elsewhere = make_account(owner=ana, territory=theirs, tier="A")
    make_account(owner=ben, territory=theirs, tier="A")
    for account in (*inside, elsewhere):
        _add_touch(db, account.id, ana, "visit", date(2026, 11, 3))
    db.session.commit()

    client = login(manager)
    url = "/api/reports/compliance?period=2026-11&group_by=rep,touch_type&as_of=2026-12-01"
    report = client.get(url).get_json()
    visits = [r for r in report["rows"] if r["touch_type"] == "visit"]
    assert [(r["rep_id"], r["rep_name"], r["required"], r["done"]) for r in visits] == [
        (ana.id, ana.name, 4, 2)
    ]
    assert report["total"]["overdue_accounts"] == 2  # calls and emails are missing too
    drill = client.get("/api/reports/compliance/overdue?period=2026-11&as_of=2026-12-01").get_json()
    assert {i["account_id"] for i in drill} == {a.id for a in inside}
    assert client.get(f"/api/reports/compliance?territory_id={theirs.id}").status_code == 404
    assert client.get(f"/api/reports/compliance?rep_id={ben.id}").status_code == 404
    # A rep sees only their own accounts.
    own = login(ben).get(url).get_json()
    assert {r["rep_id"] for r in own["rows"]} == {ben.id}
    assert login(ben).get(f"/api/reports/compliance?rep_id={ana.id}").status_code == 404


def test_a_plan_change_from_the_15th_leaves_last_months_report_unchanged(
    any_time, db, login, make_user, make_account
):
    _save_plan(db, date(2026, 1, 1), [_rule("A", "visit", 2), _rule("A", "call", 2)])
    admin, rep = make_user("admin"), make_user("rep")
    account = make_account(owner=rep, tier="A")
    for day in (date(2026, 10, 3), date(2026, 11, 4)):
        _add_touch(db, account.id, rep, "visit", day)
    db.session.commit()
    client = login(admin)
    october = "/api/reports/compliance?period=2026-10&group_by=touch_type&as_of=2026-11-20"
    before = client.get(october).get_json()
    changed = client.put(
        "/api/cadence/plan",
        json={
            "effective_from": "2026-11-15",
            "tiers": TIERS,
            "rules": [_rule("A", "visit", 4), _rule("A", "call", 2)],
        },
    )
    assert changed.status_code == 200, changed.get_json()
    after = client.get(october).get_json()
    assert after == before
    assert before["rows"][1]["required"] == 2 and before["rows"][1]["percent"] == 50.0

    def november(as_of):
        url = f"/api/reports/compliance?period=2026-11&group_by=touch_type&as_of={as_of}"
        return {r["touch_type"]: r for r in client.get(url).get_json()["rows"]}

    assert november("2026-11-14")["visit"]["required"] == 2
    assert november("2026-11-15")["visit"]["required"] == 4
    assert november("2026-11-15")["visit"]["percent"] == 25.0


def test_csv_report_has_a_header_and_one_line_per_group(
    db, login, make_user, make_territory, make_account
):
    manager = make_user("manager")
    territory = make_territory(manager, name="Nord")
    reps = [make_user("rep", territory=territory) for _ in range(2)]
    for rep in reps:
        make_account(owner=rep, territory=territory, tier="A")
        make_account(owner=rep, territory=territory, tier="B")
    client = login(manager)
    response = client.get(
        "/api/reports/compliance?period=2026-11&group_by=rep,tier",
        headers={"Accept": "text/csv"},
    )
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    lines = list(csv.reader(io.StringIO(response.get_data(as_text=True))))
    assert lines[0] == [
        "rep_id",
        "rep_name",
        "tier",
        "required",
        "done",
        "credited",
        "percent",
        "overdue_accounts",
        "expected",
        "on_track",
        "expected_percent",
    ]
    assert len(lines) == 1 + 4
    assert {(int(line[0]), line[2]) for line in lines[1:]} == {
        (r.id, t) for r in reps for t in "AB"
    }
    as_json = client.get("/api/reports/compliance?period=2026-11&group_by=rep,tier").get_json()
    assert len(as_json["rows"]) == 4


def test_cli_compliance_for_a_territory(runner, db, make_user, make_territory, make_account):
    make_user("admin")
    nord, sued = make_territory(name="Nord"), make_territory(name="Süd")
    rep = make_user("rep", territory=nord)
    make_account(owner=rep, territory=nord, tier="A")
    make_account(owner=rep, territory=sued, tier="A")
    result = runner.invoke(
        args=[
            "compliance",
            "--period",
            "2026-11",
            "--group-by",
            "tier",
            "--territory",
            "Nord",
            "--csv",
        ]
    )
    assert result.exit_code == 0, result.output
    lines = result.output.strip().splitlines()
    assert lines[0].startswith("tier,required") and lines[1].startswith("A,8,0,0,0.0")
    table = runner.invoke(args=["compliance", "--period", "2026-11"])
    assert table.exit_code == 0 and "total" in table.output
    bad = runner.invoke(args=["compliance", "--period", "2026-13"])
    assert bad.exit_code != 0 and "2026-13" in bad.output


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ("period=2026-13", "period"),
        ("period=November", "period"),
        ("group_by=rep,colour", "group_by"),
    ],
)
def test_bad_report_query_is_422(login, make_user, query, field):
    response = login(make_user("admin")).get(f"/api/reports/compliance?{query}")
    assert response.status_code == 422
    assert field in json.dumps(response.get_json()["errors"])
