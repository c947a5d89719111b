"""The month simulator at a laptop and on a phone: a manager runs a comparison on a tiny team
(job on real RQ: the bar waits, then the table), the form keeps to what the API accepts, a
database without reps fails the job in words, and a rep has no simulator; axe over each."""

from __future__ import annotations

import threading

import pytest
import requests

from backend.core.jobs import make_worker
from tests.e2e import desk, harness, pages
from tests.support.rq import jobs_on_redis

pytestmark = pytest.mark.browser

REDIS_URL = "redis://127.0.0.1:6379/9"
LANDING = "[data-testid=current-table], main p.muted"
FIGURES = 10  # backend.simulation.service.FIGURES


@pytest.fixture
def team(app, db):
    """A manager and one rep with three accounts: a month simulates in a second or two."""
    return harness.seed(app, tag="sim", accounts=3)


@pytest.fixture
def rq_app(app, monkeypatch):
    """The live server's app with jobs on a real, emptied Redis database."""
    with jobs_on_redis(app, monkeypatch, REDIS_URL):
        yield app


def _open(page, email: str) -> None:
    pages.login(page, email, landing=LANDING)
    page.click("nav >> text=Simulator")
    page.wait_for_selector("[data-testid=sim-form]")


def _only(page, policies: set[str]) -> None:
    for box in page.locator("input[name=policy]").all():
        box.set_checked(box.get_attribute("value") in policies)


def test_a_manager_runs_a_simulation_and_reads_the_comparison(app, team, rq_app, desk_context):
    page = desk_context.new_page()
    _open(page, team.manager_email)
    assert page.locator("input[name=policy]:checked").count() == 3  # every policy by default
    assert page.input_value("#sim-seeds") == "1-5"
    assert desk.axe_violations(page, "desk-simulator-form") == []
    _only(page, {"fieldrep", "day"})
    page.fill("#sim-seeds", "2")
    page.click("button:has-text('Run')")

    # No worker yet: the job waits and the bar says so.
    queued = page.wait_for_selector("[data-testid=sim-progress][data-state=queued]")
    assert "Waiting for a worker" in queued.inner_text() and "0 %" in queued.inner_text()
    assert page.is_disabled("button[type=submit]")

    worker = make_worker(rq_app, name="e2e-simulation")
    thread = threading.Thread(target=worker.work, kwargs={"burst": True})
    thread.start()
    thread.join(300)

    page.wait_for_selector("[data-testid=sim-progress][data-state=done]")
    assert "100 %" in page.inner_text("[data-testid=sim-progress]")
    table = page.locator("[data-testid=sim-table]")
    heads = [h.inner_text() for h in table.locator("thead th").all()]
    assert heads == ["Figure", "FieldRep", "Day by day", "FieldRep vs Day by day"]
    rows = table.locator("tbody tr")
    assert rows.count() == FIGURES
    km = table.locator("tr[data-figure=km]")
    assert "lower is better" in km.locator("th").inner_text()
    for row in rows.all():
        verdict = row.locator("td[data-other=day]")
        if verdict.count():  # a figure no run gave (no tier B here) has no difference
            text = verdict.inner_text()
            assert "better" in text or "worse" in text or "no difference" in text
    compliance = table.locator("tr[data-figure='compliance.all'] td[data-policy=fieldrep]")
    assert compliance.inner_text().strip()[0].isdigit()
    caption = page.inner_text("[data-testid=sim-caption]")
    assert "Seeds 1, 2" in caption and "the spread is over the seeds" in caption
    assert page.locator("[data-testid=sim-chart] svg rect").count() == 2  # a bar per policy
    page.select_option("#sim-figure", "km")
    assert "Distance driven (km)" in page.locator("[data-testid=sim-chart] title").text_content()
    assert desk.axe_violations(page, "desk-simulator-result") == []

    page.set_viewport_size({"width": 360, "height": 740})
    page.wait_for_function("() => document.documentElement.scrollWidth <= 360")
    assert page.locator("nav.tabbar").bounding_box()["y"] > 600  # the phone's bottom bar
    assert desk.axe_violations(page, "phone-simulator-result") == []


def test_the_form_keeps_to_what_the_api_accepts(app, team, desk_context):
    page = desk_context.new_page()
    _open(page, team.manager_email)
    page.check("input[name=scenario][value=leave]")
    page.check("input[name=scenario][value=leave-unmanaged]")
    assert not page.is_checked("input[name=scenario][value=leave]")  # one of the two only

    page.fill("#sim-seeds", "1-12")  # more than the API takes: its 422 names the field
    page.click("button:has-text('Run')")
    message = page.wait_for_selector("[data-testid=sim-seeds-error]").inner_text()
    assert "10" in message
    assert page.get_attribute("#sim-seeds", "aria-invalid") == "true"
    assert page.locator("[data-testid=sim-progress]").count() == 0

    page.fill("#sim-seeds", "two")
    page.click("button:has-text('Run')")
    page.wait_for_selector("[data-testid=sim-seeds-error]:has-text('\"two\" is not a seed')")
    assert desk.axe_violations(page, "desk-simulator-errors") == []


def test_without_reps_the_job_fails_in_words(app, db, make_user, new_context):
    manager = make_user("manager", password=harness.PASSWORD)
    page = new_context().new_page()  # a phone, for once
    _open(page, manager.email)
    page.fill("#sim-seeds", "1")
    page.click("button:has-text('Run')")
    failed = page.wait_for_selector("[data-testid=sim-failed]").inner_text()
    assert "could not run" in failed and "no active rep" in failed
    assert page.get_attribute("[data-testid=sim-progress]", "data-state") == "failed"
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 360
    assert desk.axe_violations(page, "phone-simulator-failed") == []


def test_a_rep_has_no_simulator(app, team, live_server, new_context):
    page = new_context().new_page()
    pages.login(page, team.rep_email, landing="nav.tabbar >> text=Today")
    assert "Simulator" not in page.inner_text("nav.tabbar")
    page.goto("/manager/simulator")
    page.wait_for_selector("main .error[role=alert]")
    assert page.locator("[data-testid=sim-form]").count() == 0

    s = requests.Session()
    r = s.post(
        f"{live_server.url}/api/auth/login",
        json={"email": team.rep_email, "password": harness.PASSWORD},
    )
    token = {"X-CSRF-Token": r.json()["csrf_token"]}
    assert s.get(f"{live_server.url}/api/simulations").status_code == 403
    started = s.post(f"{live_server.url}/api/simulations", headers=token, json={"month": "2026-12"})
    assert started.status_code == 403
