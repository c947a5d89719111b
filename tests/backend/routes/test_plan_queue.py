"""``fieldrep plan --all --queue``: one RQ job per rep, planned by worker processes."""

from sqlalchemy import func, select

from backend.core.jobs import get_queue
from backend.routes.models import RoutePlan
from tests.backend.core.test_jobs_api import _work, rq_app  # noqa: F401 - the fixture

DAY = "2026-11-24"  # a Tuesday


def test_team_planning_on_the_queue_plans_every_rep_through_the_workers(
    rq_app,  # noqa: F811
    db,
    make_user,
    make_account,
):
    reps = [make_user("rep") for _ in range(3)]
    for rep in reps:
        for _ in range(4):
            make_account(owner=rep, tier="A")
    runner = rq_app.test_cli_runner()

    queued = runner.invoke(args=["plan", "--date", DAY, "--all", "--queue", "--time-limit", "0.2"])

    assert queued.exit_code == 0, queued.output
    assert "Queued 3 reps" in queued.output
    assert get_queue(rq_app).queue.count == 3
    assert db.session.scalar(select(func.count()).select_from(RoutePlan)) == 0

    _work(rq_app)

    plans = db.session.scalars(select(RoutePlan)).all()
    assert sorted(p.rep_id for p in plans) == sorted(r.id for r in reps)
    assert all(len(p.stops) > 0 for p in plans)
    assert get_queue(rq_app).queue.failed_job_registry.count == 0


def test_queue_needs_redis(app, db, make_user):
    make_user("rep")
    result = app.test_cli_runner().invoke(args=["plan", "--date", DAY, "--all", "--queue"])
    assert result.exit_code != 0 and "needs REDIS_URL" in result.output
