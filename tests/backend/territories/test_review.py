"""The quarterly territory review: load, gaps, untouched accounts, compliance; JSON and CSV."""

import csv
import io
import uuid
from datetime import UTC, date, datetime, timedelta

from backend.cadence import plan_store
from backend.touches.models import Touch
from tests.backend.territories.conftest import square

MUNICH = (11.57, 48.14)
BERLIN = (13.40, 52.52)


def _touch(db, account, rep, day: date, kind: str = "visit") -> None:
    db.session.add(
        Touch(
            id=str(uuid.uuid4()),
            account_id=account.id,
            rep_id=rep.id,
            type=kind,
            occurred_at=datetime(day.year, day.month, day.day, 10, tzinfo=UTC),
            local_date=day,
        )
    )
    db.session.commit()


def _team(db, make_user, make_territory, make_account, put_rules):
    plan_store.ensure_default_plan()
    db.session.commit()
    manager = make_user("manager")
    north = make_territory(manager, name="North")
    rep = make_user("rep", territory=north)
    put_rules(manager, north, [{"geometry": square(*MUNICH)}])
    visited = make_account(
        owner=rep, territory=north, tier="A", potential=1000, lat=48.14, lon=11.57
    )
    outside = make_account(owner=rep, territory=north, tier="B", potential=500, lat=52.52, lon=13.4)
    ownerless = make_account(territory=north, tier="C", potential=0, lat=48.14, lon=11.57)
    _touch(db, visited, rep, date(2026, 11, 10))
    return manager, north, rep, visited, outside, ownerless


def test_the_review_shows_load_gaps_untouched_and_compliance_per_territory(
    db, login, make_user, make_territory, make_account, put_rules
):
    manager, north, _, visited, outside, ownerless = _team(
        db, make_user, make_territory, make_account, put_rules
    )
    other_manager = make_user("manager")
    other = make_territory(other_manager, name="Other")
    make_account(territory=other, lat=48.14, lon=11.57)
    client = login(manager)

    response = client.get("/api/territories/review?quarter=2026Q4")

    assert response.status_code == 200, response.get_json()
    review = response.get_json()
    assert review["quarter"] == "2026-Q4"
    assert review["first"] == "2026-10-01" and review["last"] == "2026-12-31"
    assert [t["territory_id"] for t in review["territories"]] == [north.id]  # only theirs
    row = review["territories"][0]
    assert (row["accounts"], row["potential"], row["reps"]) == (3, 1500.0, 1)
    assert review["unmatched"] == [outside.id] and row["unmatched"] == 1
    assert review["unowned"] == [ownerless.id] and row["unowned"] == 1
    assert review["never_touched"] == [outside.id, ownerless.id] and row["never_touched"] == 2

    # The default plan asks, per quarter: tier A 2 visits a month (6), tier B 1 a month (3),
    # tier C 1 a quarter (1); one visit is logged.
    assert row["visits_required"] == 10
    assert row["visits_owed"] == 9
    # The figures are the cadence compliance report's, added over the quarter's periods.
    labels = ["2026-Q4", "2026-10", "2026-11", "2026-12"]
    monday = date(2026, 10, 5)
    while monday <= date(2026, 12, 31):
        year, week, _ = monday.isocalendar()
        labels.append(f"{year}-W{week:02d}")
        monday += timedelta(days=7)
    sums = dict.fromkeys(("required", "done", "credited"), 0)
    for label in labels:
        report = client.get(f"/api/reports/compliance?period={label}&group_by=territory")
        for group in report.get_json()["rows"]:
            assert group["territory_id"] == north.id
            for key in sums:
                sums[key] += group[key]
    assert {k: row["compliance"][k] for k in sums} == sums
    assert sums["done"] >= 1 and row["compliance"]["percent"] is not None


def test_the_review_exports_csv_and_refuses_a_bad_quarter(
    db, login, make_user, make_territory, make_account, put_rules
):
    manager, north, *_ = _team(db, make_user, make_territory, make_account, put_rules)
    client = login(manager)
    response = client.get("/api/territories/review?quarter=2026-Q4&format=csv")
    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert "review-2026-Q4.csv" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 1
    assert rows[0]["name"] == "North" and rows[0]["accounts"] == "3"
    assert rows[0]["unmatched"] == "1" and rows[0]["never_touched"] == "2"
    assert "compliance_percent" in rows[0]

    bad = client.get("/api/territories/review?quarter=2026Q5")
    assert bad.status_code == 422
    assert "quarter" in bad.get_json()["errors"]["query"]
    rep = make_user("rep", territory=north)
    assert login(rep).get("/api/territories/review").status_code == 403
