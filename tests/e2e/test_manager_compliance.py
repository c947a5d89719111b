"""Manager at a laptop (1280 x 800): pro-rated compliance for the week, month and quarter, the
full overdue drill-down (more than one page), its CSV download, and axe over each screen."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from backend.cadence.engine.due import expected_by
from backend.cadence.engine.periods import parse_period, period_containing
from backend.cadence.plan_store import DEFAULT_RULES
from tests.e2e import desk, harness, pages

pytestmark = pytest.mark.browser

ACCOUNTS = 60
TIER_C_FROM = 51  # accounts 51..60 are tier C: their visits are quarterly


def _previous_month(today: date) -> str:
    return (today.replace(day=1) - timedelta(days=1)).strftime("%Y-%m")


@pytest.fixture
def team(app, db):
    """A rep with 60 accounts (3 A, 47 B, 10 C) and one visit today at the first account."""
    from backend.accounts.models import Account
    from backend.core.extensions import db as sqla
    from backend.touches.models import Touch

    seed = harness.seed(app, tag="compliance", accounts=ACCOUNTS)
    tz = ZoneInfo(harness.TIME_ZONE)
    now = datetime.now(tz)
    with app.app_context():
        for n, account_id in enumerate(seed.account_ids, start=1):
            if n >= TIER_C_FROM:
                sqla.session.get(Account, account_id).tier = "C"
        at = min(datetime.combine(now.date(), time(0, 5), tzinfo=tz), now)
        sqla.session.add(
            Touch(
                id=str(uuid.uuid4()),
                account_id=seed.account_ids[0],
                rep_id=seed.rep_id,
                type="visit",
                occurred_at=at.astimezone(UTC),
                local_date=now.date(),
                outcome="positive",
                notes="",
                next_step="",
                created_by_id=seed.rep_id,
            )
        )
        sqla.session.commit()
    return seed


def _tier(n: int) -> str:
    return "A" if n <= 3 else "C" if n >= TIER_C_FROM else "B"


def _hand_figures(kind: str, today: date) -> tuple[int, int, int, int]:
    """(on_track, expected, credited, required) of the kind's period, from the plan by hand."""
    period = period_containing(kind, today)
    on_track = expected = credited = required = 0
    for n in range(1, ACCOUNTS + 1):
        for rule in DEFAULT_RULES:
            if rule["tier"] != _tier(n) or rule["period"] != kind:
                continue
            done = 1 if (n == 1 and rule["touch_type"] == "visit") else 0
            due = expected_by(period, rule["count"], today)
            required += rule["count"]
            expected += due
            credited += min(done, rule["count"])
            on_track += min(done, due)
    return on_track, expected, credited, required


def _overdue_last_month() -> set[tuple[int, str]]:
    """Every (account number, touch type) of a monthly rule: last month nothing was done."""
    return {
        (n, r["touch_type"])
        for n in range(1, ACCOUNTS + 1)
        for r in DEFAULT_RULES
        if r["tier"] == _tier(n) and r["period"] == "month"
    }


def _login_manager(page, seed) -> None:
    pages.login(page, seed.manager_email, landing="[data-testid=current-table]")


def test_compliance_shows_expected_by_today_next_to_the_full_target(app, team, desk_context):
    page = desk_context.new_page()
    _login_manager(page, team)
    today = date.fromisoformat(harness.local_today())

    # The desktop layout: navigation is a column on the left, not a bar at the bottom.
    nav = page.locator("nav.tabbar").bounding_box()
    assert nav["x"] == 0 and nav["width"] < 300 and nav["height"] > 400
    main = page.locator("main").bounding_box()
    assert main["x"] >= nav["width"] and main["width"] > 900

    row = page.locator(f"[data-testid=current-table] tr[data-rep='{team.rep_id}']")
    for kind in ("month", "quarter"):
        on_track, expected, credited, required = _hand_figures(kind, today)
        shown = row.locator(f"[data-cell={kind}-expected]").inner_text()
        if expected:
            assert f"{on_track} of {expected} expected by today" in shown
        else:
            assert "nothing expected yet" in shown
        assert f"{credited} of {required}" in row.locator(f"[data-cell={kind}-full]").inner_text()
    # Quarterly tier-C visits are visible: 10 accounts x 1 visit this quarter.
    assert _hand_figures("quarter", today)[3] == 10
    # No weekly rule in the plan: the week has nothing to judge, shown as such, not as red.
    assert "no plan" in row.locator("[data-cell=week-expected]").inner_text()
    assert page.locator("[data-testid=current-table] .cell--red[data-cell^=week]").count() == 0

    page.wait_for_selector("[data-testid=compliance-table]")
    page.wait_for_selector(".trend__svg, .trend-empty")
    assert desk.axe_violations(page, "desk-compliance") == []


def test_the_drill_down_pages_through_every_overdue_account_and_exports_them(
    app, team, desk_context
):
    page = desk_context.new_page()
    _login_manager(page, team)
    today = date.fromisoformat(harness.local_today())
    last_month = _previous_month(today)
    number_of = {account_id: n for n, account_id in enumerate(team.account_ids, start=1)}
    expected = _overdue_last_month()
    assert len(expected) > 50  # more than one page of the drill-down

    page.select_option("#period", last_month)
    page.wait_for_selector("[data-testid=compliance-table]")
    page.click("a:has-text('Overdue accounts')")
    page.wait_for_selector("[data-testid=overdue-table]")
    assert page.locator("#f-period").input_value() == last_month
    assert f"{len(expected)} overdue" in page.inner_text("[data-testid=overdue-total]")

    seen: list[tuple[int, str]] = []
    pages_seen = 0
    while True:
        pages_seen += 1
        shown = page.inner_text("[data-testid=overdue-page]")
        for tr in page.locator("[data-testid=overdue-table] tbody tr").all():
            account_id = int(tr.get_attribute("data-account"))
            seen.append((number_of[account_id], tr.locator("td").nth(1).inner_text()))
        if page.locator("button:has-text('Next page')").is_disabled():
            break
        page.click("button:has-text('Next page')")
        page.wait_for_function(
            "prev => document.querySelector('[data-testid=overdue-page]').textContent !== prev",
            arg=shown,
        )
    assert pages_seen >= 2
    assert len(seen) == len(set(seen)) and set(seen) == expected

    # The CSV is the backend's full list, not the page on screen.
    rows = desk.download_csv(page, "[data-testid=overdue-csv]")
    assert {(number_of[int(r["account_id"])], r["touch_type"]) for r in rows} == expected
    assert len(rows) == len(expected)

    # Filter by tier and touch type: only tier-A calls remain (accounts 1..3).
    page.select_option("#f-tier", "A")
    page.wait_for_selector("[data-testid=overdue-total] >> text=/^9 overdue/")
    page.select_option("#f-type", "call")
    page.wait_for_selector("[data-testid=overdue-total] >> text=/^3 overdue/")
    names = page.locator("[data-testid=overdue-table] tbody th a").all_inner_texts()
    assert sorted(names) == ["Bäckerei 1", "Bäckerei 2", "Bäckerei 3"]
    filtered = desk.download_csv(page, "[data-testid=overdue-csv]")
    assert {(r["tier"], r["touch_type"]) for r in filtered} == {("A", "call")}
    assert len(filtered) == 3
    assert desk.axe_violations(page, "desk-overdue") == []

    # Each row links to the account.
    page.click("[data-testid=overdue-table] a:has-text('Bäckerei 2')")
    page.wait_for_selector("[data-testid=account-name]:has-text('Bäckerei 2')")
    assert "Rick Rep" in page.inner_text("main")  # the owner, by name
    assert desk.axe_violations(page, "desk-manager-account") == []


def test_a_closed_period_expects_its_full_target(app, team, desk_context):
    """Last month is over: everything was expected, and the detail table is graded on it."""
    page = desk_context.new_page()
    _login_manager(page, team)
    last_month = _previous_month(date.fromisoformat(harness.local_today()))
    assert parse_period(last_month).last < date.fromisoformat(harness.local_today())
    page.select_option("#period", last_month)
    page.wait_for_function(
        "() => document.querySelector('[data-testid=compliance-table]') && "
        "document.querySelector('[data-testid=compliance-table] td.cell--red')"
    )
    # Nothing was done last month: every graded cell of the rep is off track at 0 %.
    cells = page.locator("[data-testid=compliance-table] tbody td.cell")
    assert cells.count() > 0
    assert all("0 %" in c for c in cells.all_inner_texts())
