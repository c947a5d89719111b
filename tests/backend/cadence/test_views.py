"""The cadence plan API (versions never rewrite the past), the due list and re-tiering."""

import json
import uuid

import pytest

PLAN = {
    "tiers": [
        {"tier": "A", "visit_minutes": 45, "weight": 3},
        {"tier": "B", "visit_minutes": 30, "weight": 2},
    ],
    "rules": [
        {"tier": "A", "touch_type": "visit", "count": 2, "period": "month"},
        {"tier": "A", "touch_type": "call", "count": 1, "period": "week"},
        {"tier": "B", "touch_type": "visit", "count": 1, "period": "quarter"},
    ],
}


@pytest.fixture
def any_time(app, monkeypatch):
    """Let tests log touches on fixed calendar dates whatever today's date is."""
    monkeypatch.setitem(app.config, "TOUCH_MAX_AGE_DAYS", 100_000)
    monkeypatch.setitem(app.config, "TOUCH_MAX_FUTURE_SKEW_SECONDS", 10**9)


def log(client, account, occurred_at, touch_type="visit"):
    body = {
        "id": str(uuid.uuid4()),
        "account_id": account.id,
        "type": touch_type,
        "occurred_at": occurred_at,
    }
    response = client.post("/api/touches", json=body)
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def due(client, day, **params):
    query = "&".join(f"{k}={v}" for k, v in {"date": day, **params}.items())
    response = client.get(f"/api/cadence/due?{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_second_visit_due_on_the_20th_and_3_days_overdue_on_the_28th(
    any_time, login, make_user, make_account
):
    rep = make_user("rep", time_zone="Europe/Berlin")
    account = make_account(owner=rep, tier="A", name="Bäckerei Rossi")
    client = login(rep)
    log(client, account, "2026-11-03T10:00:00+01:00")

    (visit,) = [i for i in due(client, "2026-11-20") if i["touch_type"] == "visit"]
    assert visit["status"] == "due" and visit["due_date"] == "2026-11-25"
    assert (visit["required"], visit["done"], visit["remaining"]) == (2, 1, 1)
    assert visit["period"] == "2026-11" and visit["account_name"] == "Bäckerei Rossi"
    assert visit["reason"].startswith("tier A: 1 of 2 visits this month, last visit 17 days ago")

    (late,) = [i for i in due(client, "2026-11-28") if i["touch_type"] == "visit"]
    assert late["status"] == "overdue" and late["overdue_days"] == 3
    assert "3 days overdue" in late["reason"]
    assert due(client, "2026-11-28", status="overdue")[0]["account_id"] == account.id

    # Before the first visit it was due by the 10th; the second visit makes the month done.
    (first,) = [i for i in due(client, "2026-11-02") if i["touch_type"] == "visit"]
    assert first["due_date"] == "2026-11-10" and first["status"] == "upcoming"
    log(client, account, "2026-11-27T16:00:00+01:00")
    assert not [i for i in due(client, "2026-11-28") if i["touch_type"] == "visit"]


def test_due_list_is_sorted_by_urgency_and_ignores_other_reps(
    any_time, login, make_user, make_account
):
    rep, other = make_user("rep"), make_user("rep")
    a = make_account(owner=rep, tier="A", kare="keep")
    b = make_account(owner=rep, tier="B")
    make_account(owner=other, tier="A")
    items = due(login(rep), "2026-11-28")
    assert {i["account_id"] for i in items} == {a.id, b.id}
    urgencies = [i["urgency"] for i in items]
    assert urgencies == sorted(urgencies, reverse=True)
    assert items[0]["account_id"] == a.id and items[0]["touch_type"] == "visit"
    # Touches after the as-of date do not count yet.
    log(login(rep), a, "2026-11-29T09:00:00+01:00")
    assert any(i["account_id"] == a.id and i["done"] == 0 for i in due(login(rep), "2026-11-28"))


def test_manager_reads_a_team_reps_due_list_by_email_but_no_one_elses(
    login, make_user, make_territory, make_account
):
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    stranger = make_user("rep")
    make_account(owner=rep, tier="A")
    client = login(manager)
    assert due(client, "2026-11-20", rep=rep.email)
    assert due(client, "2026-11-20", rep=rep.id)
    assert client.get(f"/api/cadence/due?rep={stranger.email}").status_code == 404
    assert login(stranger).get(f"/api/cadence/due?rep={rep.id}").status_code == 404
    assert client.get("/api/cadence/due?status=late").status_code == 422


def test_plan_put_is_a_new_version_from_its_date(any_time, login, make_user, make_account):
    admin, rep = make_user("admin"), make_user("rep")
    account = make_account(owner=rep, tier="A")
    client = login(admin)
    first = client.put("/api/cadence/plan", json=PLAN | {"effective_from": "2026-01-01"})
    assert first.status_code == 200, first.get_json()
    stricter = json.loads(json.dumps(PLAN))
    stricter["rules"][0]["count"] = 4
    second = client.put("/api/cadence/plan", json=stricter | {"effective_from": "2026-11-15"})
    assert second.status_code == 200, second.get_json()
    assert [v["effective_from"] for v in second.get_json()["versions"]] == [
        "2026-01-01",
        "2026-11-15",
    ]

    rep_client = login(rep)
    before = rep_client.get("/api/cadence/plan?date=2026-11-14").get_json()
    after = rep_client.get("/api/cadence/plan?date=2026-11-15").get_json()
    assert before["effective_from"] == "2026-01-01" and before["rules"][0]["count"] == 2
    assert after["effective_from"] == "2026-11-15" and after["rules"][0]["count"] == 4
    visits = [i for i in due(rep_client, "2026-11-14") if i["touch_type"] == "visit"]
    assert visits[0]["required"] == 2
    visits = [i for i in due(rep_client, "2026-11-15") if i["touch_type"] == "visit"]
    assert visits[0]["required"] == 4 and visits[0]["account_id"] == account.id

    # Rewriting history is refused, with the reason on the field.
    past = client.put("/api/cadence/plan", json=PLAN | {"effective_from": "2026-11-01"})
    assert past.status_code == 422
    assert "2026-11-15" in past.get_json()["errors"]["json"]["effective_from"][0]
    # A version scheduled for the future can be corrected on its own date.
    for count in (3, 5):
        future = json.loads(json.dumps(PLAN))
        future["rules"][0]["count"] = count
        put = client.put("/api/cadence/plan", json=future | {"effective_from": "2099-01-01"})
        assert put.status_code == 200
    plan = rep_client.get("/api/cadence/plan?date=2099-06-01").get_json()
    assert plan["rules"][0]["count"] == 5 and len(plan["versions"]) == 3


@pytest.mark.parametrize(
    ("change", "path", "fragment"),
    [
        (lambda p: p["rules"][0].update(touch_type="fax"), ["rules", "0", "touch_type"], "one of"),
        (lambda p: p["rules"][0].update(period="year"), ["rules", "0", "period"], "one of"),
        (lambda p: p["rules"][0].update(count=-1), ["rules", "0", "count"], "0 to 1000"),
        (lambda p: p["rules"].append(dict(p["rules"][0])), ["rules"], "more than one rule"),
        (
            lambda p: p["rules"].append(
                {"tier": "Z", "touch_type": "visit", "count": 1, "period": "month"}
            ),
            ["rules"],
            "unknown tier 'Z'",
        ),
        (lambda p: p["tiers"][0].update(visit_minutes=0), ["tiers", "0", "visit_minutes"], ""),
        (lambda p: p.update(colour="red"), ["colour"], "Unknown field"),
    ],
)
def test_bad_plan_is_422_with_field_messages(login, make_user, change, path, fragment):
    plan = json.loads(json.dumps(PLAN))
    change(plan)
    response = login(make_user("admin")).put("/api/cadence/plan", json=plan)
    assert response.status_code == 422
    messages = response.get_json()["errors"]["json"]
    for key in path:
        messages = messages[key]
    assert fragment in json.dumps(messages)


def test_only_admins_change_the_plan_and_anyone_reads_it(login, make_user):
    rep, manager = make_user("rep"), make_user("manager")
    assert login(manager).put("/api/cadence/plan", json=PLAN).status_code == 403
    plan = login(rep).get("/api/cadence/plan")
    assert plan.status_code == 200
    assert {t["tier"] for t in plan.get_json()["tiers"]} == {"A", "B", "C"}  # the default plan


def test_retier_by_revenue_dry_run_then_apply(db, login, make_user, make_account):
    admin, rep = make_user("admin"), make_user("rep")
    big = make_account(owner=rep, tier="C", revenue=250_000)
    mid = make_account(owner=rep, tier="A", revenue=40_000)
    same = make_account(owner=rep, tier="C", revenue=100)
    client = login(admin)
    dry = client.post("/api/cadence/retier", json={})
    assert dry.status_code == 200
    report = dry.get_json()
    assert report["dry_run"] and report["examined"] == 3
    assert {(c["account_id"], c["new_tier"]) for c in report["changed"]} == {
        (big.id, "A"),
        (mid.id, "B"),
    }
    assert client.get(f"/api/accounts/{big.id}").get_json()["tier"] == "C"
    applied = client.post("/api/cadence/retier", json={"dry_run": False})
    assert applied.status_code == 200
    tiers = {a: client.get(f"/api/accounts/{a}").get_json()["tier"] for a in (big.id, mid.id)}
    assert tiers == {big.id: "A", mid.id: "B"}
    assert client.get(f"/api/accounts/{same.id}").get_json()["version"] == 1
    custom = client.post(
        "/api/cadence/retier",
        json={"thresholds": [{"tier": "Z", "min_revenue": 0}]},
    )
    assert custom.status_code == 422
    assert login(rep).post("/api/cadence/retier", json={}).status_code == 403


def test_cli_retier_dry_run_changes_nothing(runner, make_user, make_account, login):
    admin, rep = make_user("admin"), make_user("rep")
    account = make_account(owner=rep, tier="C", revenue=250_000)
    result = runner.invoke(args=["cadence", "retier"])
    assert result.exit_code == 0, result.output
    assert "C -> A" in result.output and "would change 1" in result.output
    assert login(admin).get(f"/api/accounts/{account.id}").get_json()["tier"] == "C"
    result = runner.invoke(
        args=["cadence", "retier", "--apply", "--threshold", "A=300000", "--threshold", "B=0"]
    )
    assert result.exit_code == 0, result.output
    assert "C -> B" in result.output and "changed 1" in result.output
    assert login(admin).get(f"/api/accounts/{account.id}").get_json()["tier"] == "B"


def test_desk_spends_the_day_on_tier_a_and_says_where_the_rest_went(
    any_time, login, make_user, make_account
):
    # Default plan: tier A 2 calls and 4 emails a month, tier C a call and an email.
    rep, other = make_user("rep", time_zone="Europe/Berlin"), make_user("rep")
    a = make_account(owner=rep, tier="A", name="Kaufhaus Nord")
    cs = [make_account(owner=rep, tier="C") for _ in range(6)]
    foreign = make_account(owner=other, tier="A")
    client = login(rep)
    log(client, a, "2026-12-01T09:00:00+01:00", "call")

    response = client.get("/api/cadence/desk?date=2026-12-02&minutes=30")
    assert response.status_code == 200, response.get_json()
    desk = response.get_json()
    today = desk["today"]
    assert sum(t["minutes"] for t in today) <= 30 and desk["minutes_left"] >= 0
    assert desk["minutes"] == 30
    # Kaufhaus Nord's next email comes first; its second call waits: it was called yesterday.
    assert (today[0]["account_id"], today[0]["touch_type"]) == (a.id, "email")
    assert not [t for t in today if t["account_id"] == a.id and t["touch_type"] == "call"]
    later = {(t["account_id"], t["touch_type"]): t["reason"] for t in desk["later"]}
    assert later[(a.id, "call")].startswith("planned for ")
    everyone = {t["account_id"] for t in today + desk["later"] + desk["unplanned"]}
    assert everyone <= {a.id, *(c.id for c in cs)} and foreign.id not in everyone

    # 6 C calls and emails (90 minutes) cannot all be today in 30 minutes: the rest is planned.
    assert {t["account_id"] for t in desk["later"]} & {c.id for c in cs}
    assert client.get("/api/cadence/desk?minutes=-5").status_code == 422
    assert client.get(f"/api/cadence/desk?rep={other.email}").status_code == 404
