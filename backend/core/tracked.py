"""Tracked jobs: work a user starts and then follows by id (``GET /api/jobs/<id>``).

A tracked job is a module-level function ``func(*, app, progress, **kwargs)`` returning a JSON-able
result; ``progress(done, total)`` reports how far it got. ``submit`` runs it and hands back the id.

Where the record lives (decided so that the embedded default still needs nothing):
- With ``REDIS_URL`` the record *is* the RQ job: owner and kind in ``job.meta``, progress written
  to ``job.meta`` by the worker as it goes, the result kept by RQ for ``JOB_RESULT_TTL`` seconds.
  Any web process reads it, so gunicorn workers and hosts all answer the same. Failed attempts
  are retried (``rq.Retry``) before the record says ``failed``.
- Without it the job runs synchronously in the request that submits it (a thread would hold a
  SQLite write lock against the very requests that poll it), and the record is kept in the
  process, so the first poll already says ``done``. One process serves alone in that mode;
  several serving processes need ``REDIS_URL`` anyway (rate limits, sends, scheduler lock).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from typing import Any

from flask import Flask, current_app

from backend.core.errors import DomainError

log = logging.getLogger(__name__)

JOB_RESULT_TTL = 86_400  # a day to come back for a result
JOB_TIMEOUT_SECONDS = 1_800
INLINE_KEEP = 500  # records the in-process registry keeps (oldest dropped first)
PROGRESS_EVERY_SECONDS = 0.25  # throttle for progress writes to Redis
RETRY_INTERVALS = (10, 60)  # seconds before the 2nd and 3rd attempt (JOB_RETRY_INTERVALS)

Progress = Callable[[int, int], None]


@dataclass
class JobRecord:
    """What ``GET /api/jobs/<id>`` answers."""

    id: str
    kind: str
    user_id: int
    state: str = "queued"  # queued | running | done | failed
    done: int = 0
    total: int = 0
    result: Any = None
    error: str | None = None
    attempts: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def progress(self) -> float:
        """0..1; a finished job is 1 whatever it counted."""
        if self.state == "done":
            return 1.0
        return min(1.0, self.done / self.total) if self.total else 0.0

    def to_dict(self) -> dict:
        """The record with its progress fraction."""
        return asdict(self) | {"progress": self.progress}


def public_error(err: BaseException) -> str:
    """What the owner may read of a failure: a domain message, never internals."""
    if isinstance(err, DomainError):
        return err.message
    return f"The job failed ({type(err).__name__}); the worker's log has the details."


class InlineRegistry:
    """The process's records when jobs run inline."""

    def __init__(self) -> None:
        """An empty, bounded registry."""
        self.records: OrderedDict[str, JobRecord] = OrderedDict()
        self.lock = threading.Lock()

    def put(self, record: JobRecord) -> None:
        """Keep ``record``, dropping the oldest past INLINE_KEEP."""
        with self.lock:
            self.records[record.id] = record
            while len(self.records) > INLINE_KEEP:
                self.records.popitem(last=False)

    def get(self, job_id: str) -> JobRecord | None:
        """The record, if this process still has it."""
        with self.lock:
            return self.records.get(job_id)


def _registry(app: Flask) -> InlineRegistry:
    return app.extensions.setdefault("fieldrep_tracked", InlineRegistry())


def submit(
    app: Flask, func: Callable[..., Any], kwargs: dict, *, user_id: int, kind: str
) -> JobRecord:
    """Start ``func(**kwargs)`` as a tracked job owned by ``user_id``; the record as of now."""
    from backend.core.jobs import RQQueue, get_queue

    queue = get_queue(app)
    job_id = uuid.uuid4().hex
    if isinstance(queue, RQQueue):
        retries = tuple(app.config.get("JOB_RETRY_INTERVALS", RETRY_INTERVALS))
        return _submit_rq(
            queue, func, kwargs, job_id=job_id, user_id=user_id, kind=kind, retries=retries
        )
    record = JobRecord(id=job_id, kind=kind, user_id=user_id, state="running", attempts=1)
    registry = _registry(app)
    registry.put(record)

    def progress(done: int, total: int) -> None:
        record.done, record.total = done, total

    from backend.core.extensions import db

    try:
        record.result = func(app=app, progress=progress, **kwargs)
        record.state = "done"
    except Exception as err:  # noqa: BLE001 - the record tells the owner; the log keeps it
        db.session.rollback()
        log.exception("job %s (%s) failed", job_id, kind)
        record.state, record.error = "failed", public_error(err)
    return record


def _submit_rq(queue, func, kwargs, *, job_id, user_id, kind, retries) -> JobRecord:
    from rq import Retry

    queue.queue.enqueue(
        run_tracked,
        func,
        kwargs,
        job_id=job_id,
        meta={"user_id": user_id, "kind": kind, "done": 0, "total": 0},
        retry=Retry(max=len(retries), interval=list(retries)) if retries else None,
        job_timeout=JOB_TIMEOUT_SECONDS,
        result_ttl=JOB_RESULT_TTL,
        failure_ttl=JOB_RESULT_TTL,
    )
    return JobRecord(id=job_id, kind=kind, user_id=user_id)


def run_tracked(func: Callable[..., Any], kwargs: dict) -> Any:
    """What the RQ job runs: ``func`` with the worker's app and a progress writer on job.meta."""
    from rq import get_current_job

    job = get_current_job()
    app = current_app._get_current_object()
    last = [0.0]
    job.meta["attempts"] = int(job.meta.get("attempts", 0)) + 1
    job.meta.pop("error", None)
    job.save_meta()

    def progress(done: int, total: int) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < PROGRESS_EVERY_SECONDS:
            return
        last[0] = now
        job.meta["done"], job.meta["total"] = done, total
        job.save_meta()

    try:
        return func(app=app, progress=progress, **kwargs)
    except Exception as err:
        from backend.core.extensions import db

        db.session.rollback()
        job.meta["error"] = public_error(err)
        job.save_meta()
        raise


# RQ's statuses in the API's four words: a job waiting for a retry is queued again.
RQ_STATES = {
    "queued": "queued",
    "deferred": "queued",
    "scheduled": "queued",
    "started": "running",
    "finished": "done",
    "failed": "failed",
    "stopped": "failed",
    "canceled": "failed",
}


def find(app: Flask, job_id: str, *, user_id: int) -> JobRecord | None:
    """The job ``job_id`` if ``user_id`` started it; None for unknown, expired or others' jobs."""
    from backend.core.jobs import RQQueue, get_queue

    queue = get_queue(app)
    if not isinstance(queue, RQQueue):
        record = _registry(app).get(job_id)
        return record if record is not None and record.user_id == user_id else None
    from rq.exceptions import NoSuchJobError
    from rq.job import Job

    try:
        job = Job.fetch(job_id, connection=queue.connection)
    except NoSuchJobError:
        return None
    meta = job.meta or {}
    if meta.get("user_id") != user_id:
        return None
    state = RQ_STATES.get(job.get_status(refresh=False) or "queued", "queued")
    record = JobRecord(
        id=job_id,
        kind=str(meta.get("kind", "")),
        user_id=user_id,
        state=state,
        done=int(meta.get("done", 0)),
        total=int(meta.get("total", 0)),
        attempts=int(meta.get("attempts", 0)),
    )
    if state == "done":
        record.result = job.return_value()
    elif state == "failed":
        record.error = meta.get("error") or "The job failed."
    elif meta.get("error"):
        record.error = f"Attempt {record.attempts} failed, retrying: {meta['error']}"
    return record
