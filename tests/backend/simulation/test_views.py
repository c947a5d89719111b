"""``POST /api/simulations``: a manager starts a comparison and follows it at ``/api/jobs/<id>``."""

from __future__ import annotations


def test_a_manager_simulates_the_team_and_reads_the_comparison(db, login, make_user, make_account):
    manager = make_user("manager")
    rep = make_user("rep")
    for k in range(5):
        make_account(owner=rep, tier="A" if k < 2 else "C", lat=48.13 + 0.01 * k, lon=11.58)
    client = login(manager)
    body = {"month": "2026-12", "policies": ["day", "baseline"], "seeds": [1, 2]}

    started = client.post("/api/simulations", json=body)

    assert started.status_code == 202
    job = client.get(started.headers["Location"]).get_json()
    assert job["state"] == "done", job
    result = job["result"]
    assert result["policies"] == ["day", "baseline"] and result["seeds"] == [1, 2]
    assert [(r["policy"], r["seed"]) for r in result["runs"]] == [
        ("day", 1),
        ("day", 2),
        ("baseline", 1),
        ("baseline", 2),
    ]
    assert result["runs"][0]["reps"] == 1 and result["runs"][0]["accounts"] == 5
    drive = result["differences"]["vs"]["baseline"]["drive_minutes_per_visit"]
    assert drive["min"] <= drive["mean"] <= drive["max"]


def test_reps_may_not_and_bad_input_is_422(db, login, make_user) -> None:
    rep = make_user("rep")
    assert login(rep).post("/api/simulations", json={"month": "2026-12"}).status_code == 403
    client = login(make_user("manager"))
    bad = client.post(
        "/api/simulations", json={"month": "2026-13", "policies": ["fastest"], "seeds": []}
    )
    assert bad.status_code == 422
    errors = bad.get_json()["errors"]["json"]
    assert {"month", "policies", "seeds"} <= set(errors)


def test_no_team_in_the_database_fails_the_job_with_the_reason(db, login, make_user) -> None:
    client = login(make_user("manager"))
    started = client.post("/api/simulations", json={"month": "2026-12", "seeds": [1]})
    job = client.get(started.headers["Location"]).get_json()
    assert job["state"] == "failed" and "no active rep" in job["error"]


def test_the_choices_name_every_policy_scenario_and_figure_in_words(db, login, make_user):
    assert login(make_user("rep")).get("/api/simulations").status_code == 403
    body = login(make_user("manager")).get("/api/simulations").get_json()
    assert [p["name"] for p in body["policies"]] == ["fieldrep", "day", "baseline"]
    assert {"leave", "leave-unmanaged", "tier-a-x2"} <= {s["name"] for s in body["scenarios"]}
    assert ["leave", "leave-unmanaged"] in body["exclusive"]
    km = next(f for f in body["figures"] if f["name"] == "km")
    assert km["lower_is_better"] and km["label"]
    assert body["max_seeds"] == 10
