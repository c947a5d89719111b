"""Background work: inline by default, an RQ queue on Redis when ``REDIS_URL`` is set.

Callers hand a job function (a module-level function, so RQ can import it by name) and its
items to ``get_queue(app)``; they never know which of the two runs it. Job functions run inside
an app context and are a transaction boundary of their own, like a view: the queue calls them
as ``func(items, app=app)``, so they take the app as an argument instead of reaching for
``current_app``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any, Protocol

from flask import Flask, current_app

log = logging.getLogger(__name__)

QUEUE_NAME = "fieldrep"
JOB_TIMEOUT_SECONDS = 300
# Items per RQ job: one job per push send cost ~80 ms of RQ and connection overhead each;
# batches of 100 amortise that and still spread a 10,000-send fan-out over many workers.
JOB_BATCH = 100


# A job function: ``func(items, app=app)``.
Job = Callable[..., Any]


class JobQueue(Protocol):
    """What the services need from a queue."""

    def enqueue_each(self, func: Job, items: Sequence) -> None:
        """Run ``func`` over ``items``: jobs of up to JOB_BATCH items on RQ, one batch inline."""

    def enqueue_in(self, seconds: float, func: Job, items: Sequence) -> bool:
        """Run later; False when this queue cannot delay (the caller keeps its own retry)."""

    def enqueue_one(self, func: Job) -> None:
        """Run ``func([], app=app)`` once as one job (periodic work: reminders, pruning)."""


class InlineQueue:
    """The embedded default: jobs run now, in this process and app context."""

    def __init__(self, app: Flask) -> None:
        """Jobs run with ``app``, the app whose context the caller holds."""
        self.app = app

    def enqueue_each(self, func: Job, items: Sequence) -> None:
        """Run ``func(items, app=app)`` once, so a fan-out shares connections and threads."""
        if items:
            func(list(items), app=self.app)

    def enqueue_in(self, seconds: float, func: Job, items: Sequence) -> bool:
        """No delayed jobs inline: the next ``reminders run`` picks retries up."""
        return False

    def enqueue_one(self, func: Job) -> None:
        """Run ``func([], app=app)`` now."""
        func([], app=self.app)


def run_job(func: Job, items: list) -> Any:
    """What an RQ job runs: ``func(items, app=app)``, the app being the worker's (``make_worker``
    runs every job inside its context, so this is the one place a job meets ``current_app``)."""
    return func(items, app=current_app._get_current_object())


class RQQueue:
    """Jobs on an RQ queue; ``fieldrep worker`` processes (or threads) run them."""

    def __init__(self, redis_url: str, name: str = QUEUE_NAME, batch: int = JOB_BATCH) -> None:
        """Connect lazily to ``redis_url``; jobs of up to ``batch`` items go to queue ``name``."""
        self.batch = max(1, batch)
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queue = Queue(name, connection=self.connection)

    def enqueue_each(self, func: Job, items: Sequence) -> None:
        """Jobs of up to ``batch`` items, enqueued in one pipelined round trip per 100 jobs."""
        from rq import Queue

        items = list(items)
        chunks = [items[i : i + self.batch] for i in range(0, len(items), self.batch)]
        for start in range(0, len(chunks), 100):
            batch = [
                Queue.prepare_data(
                    run_job,
                    args=(func, chunk),
                    timeout=JOB_TIMEOUT_SECONDS,
                    result_ttl=0,
                    failure_ttl=86400,
                )
                for chunk in chunks[start : start + 100]
            ]
            with self.connection.pipeline() as pipe:
                self.queue.enqueue_many(batch, pipeline=pipe)
                pipe.execute()

    def enqueue_one(self, func: Job) -> None:
        """One job, retried twice (10 s, then 60 s later) if it raises."""
        from rq import Retry

        self.queue.enqueue(
            run_job,
            func,
            [],
            job_timeout=JOB_TIMEOUT_SECONDS,
            result_ttl=0,
            failure_ttl=86400,
            retry=Retry(max=2, interval=[10, 60]),
        )

    def enqueue_in(self, seconds: float, func: Job, items: Sequence) -> bool:
        """Schedule one job after ``seconds`` (a worker started with the scheduler moves it)."""
        self.queue.enqueue_in(
            timedelta(seconds=seconds),
            run_job,
            func,
            list(items),
            job_timeout=JOB_TIMEOUT_SECONDS,
            result_ttl=0,
        )
        return True


def get_queue(app: Flask) -> JobQueue:
    """The app's queue: RQ when ``REDIS_URL`` is configured, inline otherwise."""
    url = app.config.get("REDIS_URL")
    if not url:
        return InlineQueue(app)
    cached = app.extensions.get("fieldrep_rq")
    if cached is None or cached[0] != url:
        queue = RQQueue(
            url,
            app.config.get("RQ_QUEUE_NAME", QUEUE_NAME),
            int(app.config.get("RQ_JOB_BATCH", JOB_BATCH)),
        )
        cached = (url, queue)
        app.extensions["fieldrep_rq"] = cached
    return cached[1]


def make_worker(app: Flask, *, fork: bool = False, name: str | None = None):
    """An RQ worker whose jobs run inside ``app``'s context.

    SimpleWorker (the default) runs jobs in its own process: a fork per job would cost more than
    a push send. It also works in a thread (tests run two side by side), where signal handlers
    and SIGALRM timeouts are unavailable, so it falls back to timer-based timeouts there.
    """
    from rq import SimpleWorker, Worker
    from rq.timeouts import TimerDeathPenalty

    queue = get_queue(app)
    if not isinstance(queue, RQQueue):
        raise RuntimeError("REDIS_URL is not configured: jobs run inline, no worker needed")
    base = Worker if fork else SimpleWorker

    def in_main_thread() -> bool:
        return threading.current_thread() is threading.main_thread()

    class AppWorker(base):  # type: ignore[misc, valid-type]
        @property
        def death_penalty_class(self):
            return base.death_penalty_class if in_main_thread() else TimerDeathPenalty

        def perform_job(self, job, queue, *args, **kwargs):
            with app.app_context():
                if fork:
                    # A forked work horse must not reuse the parent's pooled connections.
                    from backend.core.extensions import db

                    db.engine.dispose(close=False)
                return super().perform_job(job, queue, *args, **kwargs)

        def _install_signal_handlers(self):
            if in_main_thread():
                super()._install_signal_handlers()

    return AppWorker([queue.queue], connection=queue.connection, name=name)


def start_scheduler(
    app: Flask, tick: Callable[[], Any], interval_seconds: float
) -> threading.Thread:
    """Call ``tick`` every ``interval_seconds`` in a daemon thread, inside an app context."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(interval_seconds):
            try:
                with app.app_context():
                    tick()
            except Exception:  # one bad tick must not end reminders for the process's lifetime
                log.exception("scheduled reminder run failed")

    thread = threading.Thread(target=loop, name="fieldrep-scheduler", daemon=True)
    thread.stop = stop  # type: ignore[attr-defined]
    thread.start()
    return thread
