"""Compliance pro-rated to the as-of day, all period kinds at once, the paged drill-down, CSV."""

import csv
import io
from datetime import date

import pytest

from backend.cadence.engine.due import due_dates, expected_by
from backend.cadence.engine.periods import parse_period
from backend.cadence.models import CadencePlanVersion
from tests.backend.cadence.test_compliance import TIERS, _add_touch, _rule


@pytest.fixture
def any_time(app, monkeypatch):
    """Touches on fixed calendar dates whatever today's date is."""
    monkeypatch.setitem(app.config, "TOUCH_MAX_AGE_DAYS", 100_000)
    monkeypatch.setitem(app.config, "TOUCH_MAX_FUTURE_SKEW_SECONDS", 10**9)


def _plan(db, rules):
    db.session.add(CadencePlanVersion(effective_from=date(2020, 1, 1), tiers=TIERS, rules=rules))
    db.session.commit()


def test_expected_by_counts_the_slots_whose_due_date_has_come():
    november = parse_period("2026-11")
    # 2 a month: slot due dates Nov 10 and Nov 25 (the engine's worked example).
    assert [due_dates(november, 2, k)[1] for k in (0, 1)] == [
        date(2026, 11, 10),
        date(2026, 11, 25),
    ]
    assert expected_by(november, 2, date(2026, 11, 2)) == 0
    assert expected_by(november, 2, date(2026, 11, 9)) == 0
    assert expected_by(november, 2, date(2026, 11, 10)) == 1
    assert expected_by(november, 2, date(2026, 11, 25)) == 2
    assert expected_by(november, 2, date(2026, 12, 5)) == 2
    assert expected_by(november, 2, date(2026, 10, 30)) == 0


def test_day_two_of_a_month_is_not_a_wall_of_red(
    db, login, make_user, make_territory, make_account
):
    _plan(db, [_rule("A", "visit", 2), _rule("C", "visit", 1, "quarter")])
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    for _ in range(3):
        make_account(owner=rep, territory=territory, tier="A")
    client = login(manager)
    early = client.get("/api/reports/compliance?period=2026-11&as_of=2026-11-02&group_by=").json
    assert early["total"]["percent"] == 0.0  # nothing of the month's 6 visits yet
    assert early["total"]["expected"] == 0  # ... and none was expected
    assert early["total"]["expected_percent"] is None
    assert early["total"]["overdue_accounts"] == 0
    mid = client.get("/api/reports/compliance?period=2026-11&as_of=2026-11-12&group_by=").json
    assert (mid["total"]["required"], mid["total"]["expected"]) == (6, 3)


def test_on_track_is_capped_per_account_at_what_was_expected(
    any_time, db, login, make_user, make_territory, make_account
):
    _plan(db, [_rule("A", "visit", 2)])
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory, time_zone="UTC")
    busy = make_account(owner=rep, territory=territory, tier="A")
    make_account(owner=rep, territory=territory, tier="A")
    for day in (3, 5):
        _add_touch(db, busy.id, rep, "visit", date(2026, 11, day))
    db.session.commit()
    body = (
        login(manager).get("/api/reports/compliance?period=2026-11&as_of=2026-11-12&group_by=").json
    )
    # Each account owed 1 by Nov 12; the busy one did 2, the other none: 1 of 2 on track.
    assert body["total"]["expected"] == 2
    assert body["total"]["on_track"] == 1
    assert body["total"]["expected_percent"] == 50.0
    assert body["total"]["credited"] == 2 and body["total"]["percent"] == 50.0


def test_current_answers_week_month_and_quarter_blocks(
    db, login, make_user, make_territory, make_account
):
    _plan(
        db,
        [_rule("A", "call", 1, "week"), _rule("A", "visit", 2), _rule("C", "visit", 1, "quarter")],
    )
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    make_account(owner=rep, territory=territory, tier="A")
    make_account(owner=rep, territory=territory, tier="C")
    client = login(manager)
    body = client.get("/api/reports/compliance/current?as_of=2026-12-20&group_by=tier").json
    assert [(b["kind"], b["period"]) for b in body["blocks"]] == [
        ("week", "2026-W51"),
        ("month", "2026-12"),
        ("quarter", "2026-Q4"),
    ]
    quarter = body["blocks"][2]
    assert [(r["tier"], r["required"], r["expected"]) for r in quarter["rows"]] == [("C", 1, 1)]
    assert quarter["total"]["overdue_accounts"] == 1
    only = client.get("/api/reports/compliance/current?kinds=quarter&as_of=2026-12-20").json
    assert [b["kind"] for b in only["blocks"]] == ["quarter"]
    bad = client.get("/api/reports/compliance/current?kinds=year")
    assert bad.status_code == 422
    assert "kinds" in bad.json["errors"]["query"]


def test_drill_down_pages_through_every_overdue_account_and_exports_them(
    db, login, make_user, make_territory, make_account
):
    _plan(db, [_rule("A", "visit", 2), _rule("B", "visit", 1)])
    manager = make_user("manager")
    territory = make_territory(manager)
    rep = make_user("rep", territory=territory)
    ids = {make_account(owner=rep, territory=territory, tier="AB"[i % 2]).id for i in range(230)}
    client = login(manager)
    seen, page = [], 1
    while True:
        res = client.get(
            f"/api/reports/compliance/overdue?period=2026-11&as_of=2026-11-28&page={page}&page_size=100"
        )
        assert res.status_code == 200
        seen += [i["account_id"] for i in res.json]
        total = __import__("json").loads(res.headers["X-Pagination"])["total"]
        if page * 100 >= total:
            break
        page += 1
    assert total == 230 and set(seen) == ids and page == 3
    tier_b = client.get(
        "/api/reports/compliance/overdue?period=2026-11&as_of=2026-11-28&tier=B&page_size=500"
    ).json
    assert len(tier_b) == 115 and {i["tier"] for i in tier_b} == {"B"}
    exported = client.get(
        "/api/reports/compliance/overdue?period=2026-11&as_of=2026-11-28&format=csv&tier=A"
    )
    assert exported.mimetype == "text/csv"
    assert "attachment" in exported.headers["Content-Disposition"]
    lines = list(csv.reader(io.StringIO(exported.get_data(as_text=True))))
    assert lines[0][:2] == ["account_id", "account_name"]
    assert len(lines) == 1 + 115 and {line[4] for line in lines[1:]} == {"A"}
