"""The periodic scheduler behind ``fieldrep scheduler``: each task fires once per time slot.

Time is cut into slots of each task's interval (slot = floor(epoch seconds / interval)), so every
scheduler process agrees on which slot "now" is. With Redis, the first scheduler to ``SET NX``
the slot's key fires the task (as an RQ job, so the workers do the work) and every other one
skips it: two schedulers, for redundancy or by mistake, never double-fire, and a scheduler
restarted inside a slot does not fire it again. Without Redis the claim is kept in the process
and the task runs inline, which is the embedded default (one process).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import Flask

log = logging.getLogger(__name__)

KEY_PREFIX = "fieldrep:scheduler"


@dataclass(frozen=True)
class Periodic:
    """A job function (``func(items, app=app)``, as the queue runs it) fired every ``interval``."""

    name: str
    interval_seconds: int
    func: Callable[..., Any]


class Scheduler:
    """Fires each task once per slot, across every scheduler sharing the same Redis."""

    def __init__(self, app: Flask, tasks: list[Periodic], *, owner: str = "") -> None:
        """Schedule ``tasks`` for ``app`` (its REDIS_URL decides claim store and queue)."""
        from backend.core.jobs import RQQueue, get_queue

        self.app = app
        self.tasks = tasks
        self.owner = owner or f"scheduler-{id(self):x}"
        self.queue = get_queue(app)
        self.redis = self.queue.connection if isinstance(self.queue, RQQueue) else None
        self.claimed: dict[str, int] = {}  # in-process claims when there is no Redis

    def _claim(self, task: Periodic, slot: int) -> bool:
        if self.redis is not None:
            key = f"{KEY_PREFIX}:{task.name}:{slot}"
            # Kept two intervals: long enough that no scheduler can still be in that slot.
            return bool(self.redis.set(key, self.owner, nx=True, ex=2 * task.interval_seconds))
        if self.claimed.get(task.name) == slot:
            return False
        self.claimed[task.name] = slot
        return True

    def tick(self, now: float | None = None) -> list[str]:
        """Fire every task whose current slot nobody has fired yet; the names fired."""
        now = time.time() if now is None else now
        fired = []
        for task in self.tasks:
            if not self._claim(task, int(now // task.interval_seconds)):
                continue
            fired.append(task.name)
            try:
                with self.app.app_context():
                    self.queue.enqueue_one(task.func)
            except Exception:  # one failing task must not stop the others or the loop
                log.exception("scheduled task %s failed to start", task.name)
        if fired:
            log.info("scheduler fired %s", ", ".join(fired))
        return fired

    def run(self, *, poll_seconds: float = 30.0, stop: threading.Event | None = None) -> None:
        """Tick every ``poll_seconds`` until ``stop`` is set (SIGTERM ends the process)."""
        stop = stop or threading.Event()
        while True:
            self.tick()
            if stop.wait(poll_seconds):
                return
