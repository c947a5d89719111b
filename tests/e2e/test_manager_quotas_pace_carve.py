"""Manager screens for quotas (the suggestion from potential next to each rep's quota, set and
edit inline), P.A.C.E. ratings with the reps' figures (sortable), and carving a new rep's book
from the workload screen (preview, confirm); at a laptop and on a phone, axe on each; a rep has
none of them."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import requests

from tests.e2e import desk, harness, pages

pytestmark = pytest.mark.browser
LANDING = "[data-testid=current-table], main p.muted"


def _quarter(day: str) -> tuple[str, date]:
    d = date.fromisoformat(day)
    q = (d.month - 1) // 3
    return f"{d.year}-Q{q + 1}", date(d.year, 3 * q + 1, 1)


class Api:
    """A signed-in requests session on the live server."""

    def __init__(self, base_url: str, email: str):
        self.base = base_url
        self.s = requests.Session()
        r = self.s.post(
            f"{base_url}/api/auth/login", json={"email": email, "password": harness.PASSWORD}
        )
        r.raise_for_status()
        self.h = {"X-CSRF-Token": r.json()["csrf_token"]}

    def get(self, path, **params):
        return self.s.get(f"{self.base}{path}", params=params)

    def post(self, path, body):
        return self.s.post(f"{self.base}{path}", headers=self.h, json=body)


@pytest.fixture
def team(app, db, live_server):
    """Rick (12 accounts; last year two deals won, 3,000 and 1,000, one lost; this quarter one
    won, 3,000), and Rita Second, new in the territory with a home and no accounts yet."""
    from backend.core.extensions import db as sqla
    from backend.pipeline.models import Opportunity

    seed = harness.seed(app, tag="qpc", accounts=12)
    period, first = _quarter(harness.local_today())
    before = datetime.combine(first - timedelta(days=30), time(12), tzinfo=UTC)
    with app.app_context():
        rita = harness.second_rep(app, "qpc", "rita-qpc@example.com")
        for n, (amount, stage) in enumerate(((3000, "won"), (1000, "won"), (500, "lost"))):
            sqla.session.add(
                Opportunity(
                    account_id=seed.account_ids[n],
                    owner_id=seed.rep_id,
                    name=f"Old deal {amount}",
                    stage=stage,
                    amount=amount,
                    closed_at=before,
                    **({"lost_reason": "price"} if stage == "lost" else {}),
                )
            )
        sqla.session.commit()
        rita_id = rita.id
    boss = Api(live_server.url, seed.manager_email)
    deal = boss.post(
        "/api/opportunities", {"account_id": seed.account_ids[5], "name": "New", "amount": 3000}
    )
    deal.raise_for_status()
    won = boss.s.patch(
        f"{live_server.url}/api/opportunities/{deal.json()['id']}",
        headers=boss.h,
        json={"stage": "won", "base_version": deal.json()["version"]},
    )
    won.raise_for_status()
    return seed, rita_id, period, boss


def _rep_quotas(boss: Api, period: str) -> dict[int, dict]:
    r = boss.get("/api/quotas", period=period)
    assert r.status_code == 200
    return {q["rep_id"]: q for q in r.json() if q["rep_id"] is not None}


def test_quotas_suggested_set_rejected_and_edited(team, desk_context):
    seed, rita, period, boss = team
    page = desk_context.new_page()
    pages.login(page, seed.manager_email, landing=LANDING)
    page.click("nav >> text=Quotas")
    page.wait_for_selector("[data-testid=quota-table]")
    rick_row = page.locator(f"[data-testid=quota-table] tr[data-rep='{seed.rep_id}']")
    rita_row = page.locator(f"[data-testid=quota-table] tr[data-rep='{rita}']")
    # 12 accounts x 2,000 average won deal x 2/3 win rate; Rick owns them all.
    assert rick_row.locator("[data-testid=suggested]").inner_text().startswith("16,000")
    assert rick_row.locator("[data-testid=current]").inner_text() == "none"
    assert rita_row.locator("[data-testid=suggested]").inner_text().startswith("–")
    assert desk.axe_violations(page, "desk-quotas") == []

    rick_row.locator("button:has-text('Use')").click()
    assert rick_row.locator("input").input_value() == "16000"
    rick_row.locator("button:has-text('Set quota')").click()
    rick_row.locator("text=Quota set.").wait_for()
    assert rick_row.locator("[data-testid=current]").inner_text() == "16,000"
    stored = _rep_quotas(boss, period)
    assert stored[seed.rep_id]["revenue"] == 16000 and rita not in stored

    # A negative quota: the server's message next to the field, nothing stored.
    rick_row.locator("input").fill("-100")
    rick_row.locator("button:has-text('Save')").click()
    message = rick_row.locator(".error")
    message.wait_for()
    assert message.inner_text() == "Give an amount from 0 to 1,000,000,000,000."
    assert rick_row.locator("input").get_attribute("aria-invalid") == "true"
    assert desk.axe_violations(page, "desk-quotas-invalid") == []
    assert _rep_quotas(boss, period)[seed.rep_id]["revenue"] == 16000

    rick_row.locator("input").fill("17500")
    rick_row.locator("button:has-text('Save')").click()
    rick_row.locator("text=Saved.").wait_for()
    assert rick_row.locator(".error").count() == 0
    assert rick_row.locator("[data-testid=current]").inner_text() == "17,500"
    # Changed elsewhere meanwhile: the screen says so and shows the figure stored now.
    quota = _rep_quotas(boss, period)[seed.rep_id]
    changed = boss.s.patch(
        f"{boss.base}/api/quotas/{quota['id']}",
        headers=boss.h,
        json={"revenue": 18000, "base_version": quota["version"]},
    )
    assert changed.ok
    rick_row.locator("input").fill("19000")
    rick_row.locator("button:has-text('Save')").click()
    rick_row.locator(".error:has-text('changed this quota')").wait_for()
    rick_row.locator("[data-testid=current]:has-text('18,000')").wait_for()
    assert rick_row.locator("input").input_value() == "18000"
    assert "changed this quota" in rick_row.locator(".error").inner_text()
    assert _rep_quotas(boss, period)[seed.rep_id]["revenue"] == 18000
    # Rita has none yet: set one by hand.
    rita_row.locator("input").fill("5000")
    rita_row.locator("button:has-text('Set quota')").click()
    rita_row.locator("text=Quota set.").wait_for()
    stored = _rep_quotas(boss, period)
    assert stored[seed.rep_id]["revenue"] == 18000 and stored[seed.rep_id]["version"] == 3
    assert stored[rita]["revenue"] == 5000
    page.reload()
    page.wait_for_selector("[data-testid=quota-table]")
    assert rita_row.locator("[data-testid=current]").inner_text() == "5,000"


def test_pace_ratings_with_the_reps_figures_sortable(team, desk_context):
    seed, rita, period, boss = team
    for rep_id, marks, note in (
        (seed.rep_id, (4, 3, 5, 2), "Tired lately"),
        (rita, (5, 5, 4, 4), ""),
    ):
        body = dict(zip(("passion", "awareness", "curiosity", "energy"), marks, strict=True))
        assert boss.post("/api/pace", {"rep_id": rep_id, "period": period, "note": note} | body).ok
    page = desk_context.new_page()
    pages.login(page, seed.manager_email, landing=LANDING)
    page.click("nav >> text=P.A.C.E.")
    page.wait_for_selector("[data-testid=pace-table]")
    legend = page.inner_text("[data-testid=pace-legend]")
    assert all(word in legend for word in ("Passion", "Awareness", "Curiosity", "Energy"))
    rows = page.locator("[data-testid=pace-table] tbody tr")
    # Best average first: Rita 4.5, Rick 3.5.
    assert [r.get_attribute("data-rep") for r in rows.all()] == [str(rita), str(seed.rep_id)]
    rick = page.locator(f"[data-testid=pace-table] tr[data-rep='{seed.rep_id}']")
    assert rick.locator("[data-col=passion]").inner_text() == "4"
    assert rick.locator("[data-col=energy]").inner_text() == "2"
    assert rick.locator("[data-col=average]").inner_text() == "3.50"
    assert rick.locator("[data-col=won_amount]").inner_text() == "3,000"
    assert "Tired lately" in rick.inner_text()
    assert desk.axe_violations(page, "desk-pace") == []

    page.click("[data-sort=won_amount]")
    assert page.get_attribute("th:has([data-sort=won_amount])", "aria-sort") == "descending"
    assert rows.first.get_attribute("data-rep") == str(seed.rep_id)
    page.click("[data-sort=energy]")
    assert rows.first.get_attribute("data-rep") == str(rita)
    page.click("[data-sort=energy]")
    assert page.get_attribute("th:has([data-sort=energy])", "aria-sort") == "ascending"
    assert rows.first.get_attribute("data-rep") == str(seed.rep_id)


def _workload_accounts(boss: Api) -> dict[int, int]:
    r = boss.get("/api/territories/workload", period=harness.local_today()[:7])
    assert r.status_code == 200
    return {row["rep_id"]: row["accounts"] for row in r.json()["reps"]}


def test_carve_previews_then_gives_the_new_rep_their_share(team, desk_context):
    seed, rita, period, boss = team
    page = desk_context.new_page()
    pages.login(page, seed.manager_email, landing=LANDING)
    page.click("nav >> text=Workload")
    page.click("a:has-text('A new rep')")
    page.wait_for_selector("[data-testid=carve-form]")
    page.select_option("#c-rep", label="Rita Second")
    assert page.locator("#c-territory option:checked").inner_text() == "Munich qpc"
    page.fill("#c-accounts", "0")
    page.click("button:has-text('Preview the carve')")
    page.wait_for_selector("#c-accounts-err")
    assert "greater than or equal to 1" in page.inner_text("#c-accounts-err")
    assert desk.axe_violations(page, "desk-carve-invalid") == []

    page.fill("#c-accounts", "")
    page.click("button:has-text('Preview the carve')")
    page.wait_for_selector("[data-testid=carve-preview]")
    # The fair share: 12 accounts over two reps.
    assert "Preview: 6 accounts to Rita Second" in page.inner_text("[data-testid=carve-preview]")
    assert "Rick Rep" in page.inner_text("[data-testid=from-owner]")
    assert "gives 6 accounts" in page.inner_text("[data-testid=from-owner]")
    assert _workload_accounts(boss) == {seed.rep_id: 12, rita: 0}  # a preview only
    assert desk.axe_violations(page, "desk-carve") == []

    page.click("button:has-text('Carve 6 accounts')")
    page.wait_for_selector("[data-testid=carve-done]")
    assert "6 accounts carved" in page.inner_text("[data-testid=carve-done]")
    assert _workload_accounts(boss) == {seed.rep_id: 6, rita: 6}
    page.click("a:has-text('Back to the workload')")
    page.wait_for_selector(f"[data-testid=workload-table] tr[data-rep='{rita}']")
    assert page.inner_text(f"tr[data-rep='{rita}'] td:nth-child(2)") == "6"


def test_the_three_screens_on_a_phone(team, new_context):
    seed, rita, period, boss = team
    page = new_context().new_page()
    pages.login(page, seed.manager_email, landing=LANDING)
    assert page.locator("nav.tabbar").bounding_box()["y"] > 600
    page.goto("/manager/quotas")
    page.wait_for_selector("[data-testid=quota-table]")
    row = page.locator(f"[data-testid=quota-table] tr[data-rep='{rita}']")
    row.locator("input").fill("2500")
    row.locator("button:has-text('Set quota')").click()
    row.locator("text=Quota set.").wait_for()
    assert _rep_quotas(boss, period)[rita]["revenue"] == 2500
    problems = {}
    for path, ready in (
        ("/manager/quotas", "[data-testid=quota-table]"),
        ("/manager/pace", "[data-testid=pace-table]"),
        ("/manager/carve", "[data-testid=carve-form]"),
    ):
        page.goto(path)
        page.wait_for_selector(ready)
        if path == "/manager/carve":
            page.select_option("#c-rep", label="Rita Second")
            page.click("button:has-text('Preview the carve')")
            page.wait_for_selector("[data-testid=carve-preview]")
        width = page.evaluate("() => document.documentElement.scrollWidth")
        assert width <= 360, f"{path} is {width} px wide"
        found = desk.axe_violations(page, f"phone{path.replace('/', '-')}")
        if found:
            problems[path] = found
    assert problems == {}


def test_a_rep_has_none_of_them(team, live_server, new_context):
    seed, rita, period, boss = team
    page = new_context().new_page()
    pages.login(page, seed.rep_email, landing="nav.tabbar >> text=Today")
    nav = page.inner_text("nav.tabbar")
    assert "Quotas" not in nav and "P.A.C.E." not in nav
    for path, screen in (
        ("/manager/quotas", "quota-table"),
        ("/manager/pace", "pace-table"),
        ("/manager/carve", "carve-form"),
    ):
        page.goto(path)
        page.wait_for_selector("main .error[role=alert]")
        assert page.locator(f"[data-testid={screen}]").count() == 0

    rep = Api(live_server.url, seed.rep_email)
    assert rep.get("/api/quotas/suggest", period=period).status_code == 403
    assert rep.post("/api/quotas", {"period": period, "rep_id": seed.rep_id}).status_code == 403
    marks = {"passion": 5, "awareness": 5, "curiosity": 5, "energy": 5}
    assert (
        rep.post("/api/pace", {"rep_id": seed.rep_id, "period": period} | marks).status_code == 403
    )
    carve = rep.post(f"/api/users/{rita}/carve", {"territory_id": 1, "dry_run": True})
    assert carve.status_code == 404
    assert _workload_accounts(boss) == {seed.rep_id: 12, rita: 0}
