"""At scale: ``reminders run`` enqueues batches of sends on the real Redis; two RQ workers share them."""

import json
import os
import threading
from datetime import UTC, datetime

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError

from backend.core.jobs import RQQueue, get_queue, make_worker
from backend.reminders.service.schedule import run_reminders

REDIS_URL = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/14")
BERLIN_1000 = datetime(2026, 11, 6, 9, 0, tzinfo=UTC)


@pytest.fixture
def rq_app(push_app, monkeypatch):
    """``push_app`` with REDIS_URL set to an emptied test database of the local Redis."""
    redis = Redis.from_url(REDIS_URL)
    try:
        redis.ping()
    except RedisConnectionError:
        if os.environ.get("CI"):  # CI starts Redis: its absence there is a failure
            raise
        pytest.skip(f"no Redis at {REDIS_URL}")
    redis.flushdb()
    monkeypatch.setitem(push_app.config, "REDIS_URL", REDIS_URL)
    monkeypatch.setitem(push_app.config, "RQ_JOB_BATCH", 2)  # several jobs from a small run
    monkeypatch.delitem(push_app.extensions, "fieldrep_rq", raising=False)
    yield push_app
    push_app.extensions.pop("fieldrep_rq", None)
    redis.flushdb()
    redis.close()


def test_two_rq_workers_deliver_each_reminder_exactly_once(
    rq_app, push_service, make_user, make_account, add_device, clock
):
    devices = []  # (subscription, account id)
    for i in range(8):
        rep = make_user(time_zone="Europe/Berlin")
        account = make_account(owner=rep, tier="A")
        for _ in range(1 + i % 2):  # some reps have two devices
            devices.append((add_device(rep), account.id))
    clock.now = BERLIN_1000

    report = run_reminders(BERLIN_1000, app=rq_app)
    queue = get_queue(rq_app)

    assert isinstance(queue, RQQueue)
    sends = 2 * len(devices)  # a digest and an overdue-email alert per device
    jobs = -(-sends // 2)  # batches of RQ_JOB_BATCH = 2 sends
    assert report.outcomes == {"queued": sends}
    assert queue.queue.count == jobs
    assert push_service.delivered_count() == 0  # nothing is sent before a worker runs

    workers = [make_worker(rq_app, name=f"test-worker-{n}") for n in range(2)]
    threads = [threading.Thread(target=w.work, kwargs={"burst": True}) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)

    for sub, account_id in devices:
        tags = sorted(json.loads(m.text)["tag"] for m in push_service.delivered(sub))
        assert tags == ["digest", f"overdue-{account_id}-email"]
    assert push_service.failures == []
    # Both workers took part (the point of running several) and nothing failed or is left.
    for w in workers:
        w.refresh()  # the counters live in Redis
    done = [w.successful_job_count for w in workers]
    assert sum(done) == jobs and min(done) > 0, done
    assert queue.queue.count == 0 and queue.queue.failed_job_registry.count == 0

    again = run_reminders(BERLIN_1000, app=rq_app)
    assert again.claimed == [] and queue.queue.count == 0
