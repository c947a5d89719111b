"""``fieldrep simulate``: JSON of one run, the comparison table, the chart, bad input, the queue."""

from __future__ import annotations

import json
import os
import threading

import pytest

from backend.core.jobs import make_worker
from tests.support.rq import jobs_on_redis

REDIS_URL = os.environ.get("REDIS_SIM_TEST_URL", "redis://127.0.0.1:6379/11")
SMALL = ["--month", "2026-12", "--reps", "2", "--accounts", "25", "--inline"]
KEYS = {
    "policy",
    "seed",
    "month",
    "reps",
    "compliance",
    "overdue_account_days",
    "visits_per_rep_day",
    "drive_minutes_per_visit",
    "km",
    "overtime_minutes",
    "revenue_weighted_coverage",
}


@pytest.mark.parametrize("policy", ["fieldrep", "day", "baseline"])
def test_one_run_prints_the_figures_the_issue_lists(runner, policy) -> None:
    out = runner.invoke(args=["simulate", *SMALL, "--policy", policy, "--seed", "4", "--json"])
    assert out.exit_code == 0, out.output
    run = json.loads(out.stdout)
    assert set(run) >= KEYS
    assert set(run["compliance"]) == {"all", "A", "B", "C"}
    assert (run["policy"], run["seed"], run["month"], run["reps"]) == (policy, 4, "2026-12", 2)
    assert 0 <= run["compliance"]["A"] <= 100


def test_the_table_compares_policies_over_five_seeds_and_writes_a_chart(runner, tmp_path) -> None:
    png = tmp_path / "month.png"
    args = ["simulate", *SMALL, "--policy", "fieldrep", "--policy", "baseline", "--seeds", "5"]
    out = runner.invoke(args=[*args, "--chart", str(png)])
    assert out.exit_code == 0, out.output
    assert "seeds 1, 2, 3, 4, 5" in out.stdout
    lines = out.stdout.splitlines()
    head = next(line for line in lines if line.startswith("figure"))
    assert "fieldrep" in head and "baseline" in head and "fieldrep - baseline" in head
    assert any(line.startswith("drive minutes per visit") for line in lines)
    assert "mean [min, max] over the seeds" in out.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--month", "2026-13"], "not a month"),
        (["--month", "2026-12", "--policy", "fastest"], "fastest"),
        (["--month", "2026-12", "--scenario", "earthquake"], "earthquake"),
        (["--month", "2026-12", "--seed", "1", "--seeds", "3"], "not both"),
        (["--month", "2026-12", "--scenario", "leave", "--scenario", "leave-unmanaged"], "one of"),
    ],
)
def test_bad_input_is_a_usage_error_not_a_traceback(runner, args, message) -> None:
    out = runner.invoke(args=["simulate", *args, "--inline"])
    assert out.exit_code == 2
    assert message in out.output
    assert "Traceback" not in out.output


def test_from_db_simulates_the_database_team(runner, make_user, make_account) -> None:
    rep = make_user("rep")
    for k in range(6):
        make_account(owner=rep, tier="A" if k < 2 else "C", lat=48.14 + 0.01 * k, lon=11.57)
    out = runner.invoke(
        args=[
            "simulate",
            "--month",
            "2026-12",
            "--from-db",
            "--policy",
            "day",
            "--json",
            "--inline",
        ]
    )
    assert out.exit_code == 0, out.output
    run = json.loads(out.stdout)
    assert run["reps"] == 1 and run["accounts"] == 6
    assert run["visits"] > 0


def test_from_db_without_reps_says_so(runner) -> None:
    out = runner.invoke(args=["simulate", "--month", "2026-12", "--from-db", "--inline"])
    assert out.exit_code == 2 and "no active rep" in out.output


@pytest.fixture
def rq_app(app, db, monkeypatch):
    """``app`` with jobs on an emptied Redis database (index 3)."""
    with jobs_on_redis(app, monkeypatch, REDIS_URL):
        yield app


def test_with_a_queue_it_runs_as_a_job_and_shows_progress(rq_app, runner) -> None:
    # A worker (here a burst RQ worker in a thread, as `fieldrep worker` would) runs the job
    # the command queued; the command follows its progress and prints the same JSON.
    args = ["--month", "2026-12", "--reps", "2", "--accounts", "20", "--policy", "day"]
    worker = make_worker(rq_app, name="sim-test")
    started = threading.Event()

    def work() -> None:
        started.wait(30)
        worker.work(burst=True)

    thread = threading.Thread(target=work)
    thread.start()
    try:
        started.set()
        queued = runner.invoke(args=["simulate", *args, "--seed", "2", "--json"])
    finally:
        thread.join(120)
    assert queued.exit_code == 0, queued.output
    assert "queued as job" in queued.stderr
    # The worker's progress reached the command: every rep-month of the job counted.
    assert "done: 2/2 rep-months" in queued.stderr
    inline = runner.invoke(args=["simulate", *args, "--seed", "2", "--json", "--inline"])
    assert json.loads(queued.stdout) == json.loads(inline.stdout)


def test_scenarios_are_flags(runner) -> None:
    args = ["simulate", *SMALL, "--policy", "baseline", "--seed", "1", "--json"]
    out = runner.invoke(args=[*args, "--scenario", "extra-rep", "--scenario", "tier-a-x2"])
    assert out.exit_code == 0, out.output
    run = json.loads(out.stdout)
    assert run["scenario"] == ["extra-rep", "tier-a-x2"]
    assert run["reps"] == 3 and run["accounts"] == 50
