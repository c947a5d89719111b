"""``fieldrep scheduler``: each task fires once per slot, however many schedulers share Redis."""

import threading

import pytest
from redis import Redis

from backend.core.jobs import get_queue
from backend.core.scheduler import Periodic, Scheduler
from tests.backend.core.test_jobs_api import _work, rq_app  # noqa: F401 - the fixture

T0 = 1_795_000_000 - 1_795_000_000 % 86_400  # a UTC midnight


def count_reminders(items, *, app):
    """Stands in for the reminder run: the worker records that it ran."""
    Redis.from_url(app.config["REDIS_URL"]).incr("test:reminders-ran")


def count_prunes(items, *, app):
    Redis.from_url(app.config["REDIS_URL"]).incr("test:prunes-ran")


def _tasks():
    return [
        Periodic("reminders", 900, count_reminders),
        Periodic("sync-prune", 86_400, count_prunes),
    ]


def test_two_schedulers_on_one_redis_fire_each_slot_once(rq_app, db):  # noqa: F811
    schedulers = [Scheduler(rq_app, _tasks(), owner=f"s{n}") for n in range(2)]
    # Both tick every minute for two hours and a half, across midnight, at the same moments.
    times = [T0 - 3600 + 60 * k for k in range(150)]
    fired: list[list[str]] = [[], []]
    barrier = threading.Barrier(2)

    def run(n):
        for now in times:
            barrier.wait()
            fired[n].extend(schedulers[n].tick(now))

    threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)

    reminder_slots = len({int(t // 900) for t in times})  # 10 quarter hours
    everything = fired[0] + fired[1]
    assert everything.count("reminders") == reminder_slots == 10
    assert everything.count("sync-prune") == 2  # the day before midnight and the day after
    queue = get_queue(rq_app)
    assert queue.queue.count == 12  # each firing is one job for the workers

    _work(rq_app)

    redis = queue.connection
    assert int(redis.get("test:reminders-ran")) == 10
    assert int(redis.get("test:prunes-ran")) == 2
    assert queue.queue.failed_job_registry.count == 0


def test_a_restarted_scheduler_does_not_fire_the_current_slot_again(rq_app, db):  # noqa: F811
    first = Scheduler(rq_app, _tasks())
    assert first.tick(T0 + 10) == ["reminders", "sync-prune"]
    again = Scheduler(rq_app, _tasks())  # a new process, same slot
    assert again.tick(T0 + 300) == []
    assert again.tick(T0 + 900) == ["reminders"]


def test_without_redis_the_scheduler_runs_tasks_in_process(app, db):
    ran = []

    def task(items, *, app):
        ran.append(app.name)

    scheduler = Scheduler(app, [Periodic("t", 900, task)])
    assert scheduler.redis is None
    for now in (T0, T0 + 60, T0 + 899, T0 + 900):
        scheduler.tick(now)
    assert ran == ["backend", "backend"]


@pytest.mark.usefixtures("db")
def test_the_cli_fires_reminders_and_pruning_once_per_slot_and_the_jobs_succeed(
    rq_app,  # noqa: F811
):
    runner = rq_app.test_cli_runner()

    first = runner.invoke(args=["scheduler", "--once"])
    second = runner.invoke(args=["scheduler", "--once"])

    assert first.exit_code == 0, first.output
    assert "fired: reminders, sync-prune" in first.output
    assert "this slot already fired" in second.output
    queue = get_queue(rq_app)
    assert queue.queue.count == 2
    _work(rq_app)
    assert queue.queue.count == 0 and queue.queue.failed_job_registry.count == 0
