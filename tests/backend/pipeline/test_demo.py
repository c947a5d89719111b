"""The demo's pipeline: every report has something true to show."""

from datetime import date

from backend import create_app
from backend.demo import service as demo
from backend.pipeline.periods import previous_quarter, quarter_of


def test_demo_reports_show_deals_quotas_flags_and_profit(scratch_db_url):
    app = create_app({"SQLALCHEMY_DATABASE_URI": scratch_db_url})
    result = app.test_cli_runner().invoke(args=["demo", "--no-serve"])
    assert result.exit_code == 0, result.output
    assert "opportunities" in result.output
    client = app.test_client()
    client.post("/api/auth/login", json={"email": demo.MANAGER, "password": demo.PASSWORD})
    report = client.get("/api/reports/performance?group_by=territory").get_json()
    assert len(report["rows"]) == 2
    for row in report["rows"]:
        assert row["opportunities"] > 0 and row["open_pipeline"] > 0 and row["quota"] > 0
    last_q = previous_quarter(quarter_of(date.today())).label
    year = client.get(f"/api/reports/performance?period={date.today().year}").get_json()
    assert all(r["won"] > 0 and r["lost"] > 0 and r["win_rate"] for r in year["rows"])
    north, south = sorted(year["rows"], key=lambda r: r["territory_id"])
    assert north["win_rate"] > south["win_rate"]
    by_rep = client.get(f"/api/reports/performance?period={last_q}&group_by=rep").get_json()
    assert by_rep["rows"] and all(r["pace"] for r in by_rep["rows"])
    profit = client.get(f"/api/reports/profitability?period={date.today().year}").get_json()
    assert profit["rows"][0]["net_profit"] > 0 and profit["lookalikes"]
    deals = client.get("/api/opportunities?page_size=5").get_json()
    history = client.get(f"/api/opportunities/{deals[0]['id']}/history").get_json()
    assert history[0]["from_stage"] is None and history[-1]["to_stage"] == deals[0]["stage"]
