"""Admin at a laptop: the CSV import as a background job on real RQ (progress bar while it waits
and runs, then the report), the row report of a bad file, the cadence plan editor, users and
territories; axe over each screen."""

from __future__ import annotations

import os
import threading

import pytest
from sqlalchemy import func, select

from backend.accounts.models import Account
from backend.core.jobs import make_worker
from tests.backend.accounts.test_importer import _csv, _rows
from tests.e2e import desk, harness, pages
from tests.support.rq import jobs_on_redis

pytestmark = pytest.mark.browser

REDIS_URL = os.environ.get("REDIS_E2E_JOBS_URL", "redis://127.0.0.1:6379/10")
ADMIN_LANDING = "[data-testid=current-table], main p.muted"


@pytest.fixture
def admin(app, db):
    """A manager's team (territory, rep) and an admin; returns (seed, admin email)."""
    seed = harness.seed(app, tag="admin", accounts=2)
    return seed, desk.make_admin(app)


@pytest.fixture
def rq_app(app, monkeypatch):
    """The live server's app with jobs on a real, emptied Redis database."""
    with jobs_on_redis(app, monkeypatch, REDIS_URL):
        yield app


def _accounts(app) -> int:
    from backend.core.extensions import db

    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(Account))


def _open_import(page, email: str, tmp_path, text: str) -> None:
    pages.login(page, email, landing=ADMIN_LANDING)
    page.click("nav >> text=Import")
    page.wait_for_selector("[data-testid=import-form]")
    path = tmp_path / "accounts.csv"
    path.write_text(text, encoding="utf-8")
    page.set_input_files("#import-file", str(path))


def test_an_import_shows_its_progress_then_the_report(app, admin, rq_app, desk_context, tmp_path):
    seed, email = admin
    before = _accounts(app)
    page = desk_context.new_page()
    _open_import(page, email, tmp_path, _csv(_rows(40, seed.rep_email, "Munich admin")))
    page.click("button:has-text('Start import')")

    # No worker yet: the job waits in the queue and the bar says so, at 0 %.
    queued = page.wait_for_selector("[data-testid=import-progress][data-state=queued]")
    assert "Waiting for a worker" in queued.inner_text() and "0 %" in queued.inner_text()
    assert page.get_attribute("#import-bar", "value") == "0"
    assert _accounts(app) == before
    assert desk.axe_violations(page, "desk-admin-import-progress") == []

    # A real RQ worker (a thread here, a `fieldrep worker` process in production) runs it.
    worker = make_worker(rq_app, name="e2e-import")
    thread = threading.Thread(target=worker.work, kwargs={"burst": True})
    thread.start()
    thread.join(120)

    page.wait_for_selector("[data-testid=import-progress][data-state=done]")
    assert page.get_attribute("#import-bar", "value") == "100"
    assert "100 %" in page.inner_text("[data-testid=import-progress]")
    assert "40 of 40 rows" in page.inner_text("[data-testid=import-progress]")
    summary = page.inner_text("[data-testid=import-summary]")
    assert "Written: 40 rows, 40 created" in summary
    assert _accounts(app) == before + 40
    assert desk.axe_violations(page, "desk-admin-import-done") == []


def test_a_bad_file_reports_each_row_and_writes_nothing(app, admin, desk_context, tmp_path):
    seed, email = admin
    rows = _rows(12, seed.rep_email, "Munich admin")
    rows[4]["lat"] = "123.0"  # data row 5 = line 6 of the file (the header is row 1)
    rows[9]["tier"] = "Z"
    before = _accounts(app)
    page = desk_context.new_page()
    _open_import(page, email, tmp_path, _csv(rows))
    page.click("button:has-text('Start import')")

    page.wait_for_selector("[data-testid=import-progress][data-state=done]")
    assert "Nothing written" in page.inner_text("[data-testid=import-summary]")
    table = page.locator("[data-testid=import-errors] tbody tr")
    found = {
        (r.locator("th").inner_text(), r.locator("td").first.inner_text()) for r in table.all()
    }
    assert ("6", "lat") in found and ("11", "tier") in found
    assert _accounts(app) == before
    assert desk.axe_violations(page, "desk-admin-import-errors") == []


def test_the_admin_edits_the_cadence_plan(app, admin, desk_context):
    _, email = admin
    page = desk_context.new_page()
    pages.login(page, email, landing=ADMIN_LANDING)
    page.click("nav >> text=Cadence plan")
    page.wait_for_selector("[data-testid=plan-rules]")
    assert desk.axe_violations(page, "desk-admin-plan") == []
    rules = page.locator("[data-testid=plan-rules] tbody tr")
    count = rules.count()
    # A new tier D (15-minute visits) visited once a quarter.
    page.click("button:has-text('Add tier')")
    tier = page.locator("[data-testid=plan-tiers] tbody tr").last
    tier.locator("input").nth(0).fill("D")
    tier.locator("input").nth(1).fill("15")
    page.click("button:has-text('Add rule')")
    new = rules.nth(count)
    new.locator("select").nth(0).select_option("D")
    new.locator("select").nth(1).select_option("visit")
    new.locator("input").fill("1")
    new.locator("select").nth(2).select_option("quarter")
    page.click("button:has-text('Save plan')")
    page.wait_for_selector("text=/Saved: the plan applies from/")

    # A fresh load shows the scheduled version (from tomorrow) with the new tier and rule.
    page.reload()
    page.wait_for_selector("[data-testid=plan-rules]")
    assert "Scheduled from" in page.inner_text("[data-testid=plan-version]")
    assert page.locator("[data-testid=plan-rules] tbody tr").count() == count + 1
    last = page.locator("[data-testid=plan-rules] tbody tr").last
    assert last.locator("select").nth(0).input_value() == "D"
    assert last.locator("select").nth(2).input_value() == "quarter"

    # A second rule for the same tier and touch type is refused, naming the rule; nothing saved.
    page.click("button:has-text('Add rule')")  # tier A, visit, 1 a month: A visits exist
    page.click("button:has-text('Save plan')")
    assert "more than one rule" in page.inner_text("[data-testid=plan-errors]")
    page.reload()
    page.wait_for_selector("[data-testid=plan-rules]")
    assert page.locator("[data-testid=plan-rules] tbody tr").count() == count + 1


def test_the_admin_creates_a_user_and_a_territory(app, admin, desk_context):
    seed, email = admin
    page = desk_context.new_page()
    pages.login(page, email, landing=ADMIN_LANDING)
    page.click("nav >> text=Users")
    page.wait_for_selector("[data-testid=users-table]")
    assert "Rick Rep" in page.inner_text("[data-testid=users-table]")
    assert desk.axe_violations(page, "desk-admin-people") == []

    page.fill("#t-name", "Augsburg")
    page.select_option("#t-manager", label="Mona Manager")
    page.click("button:has-text('Create territory')")
    page.wait_for_selector("[data-testid=territories-table] >> text=Augsburg")

    page.fill("#u-name", "Nina New")
    page.fill("#u-email", "nina@example.com")
    page.fill("#u-password", "short")
    page.select_option("#u-territory", label="Augsburg")
    page.click("button:has-text('Create user')")
    page.wait_for_selector("#u-password-err")  # the server's field message, next to the field
    page.fill("#u-password", "long enough password")
    page.click("button:has-text('Create user')")
    row = page.wait_for_selector("[data-testid=users-table] tr:has-text('Nina New')")
    assert "Augsburg" in row.inner_text() and "rep" in row.inner_text()
