"""A real RQ queue for a test: ``app`` sends its jobs to an emptied Redis database."""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from redis import Redis
from redis.exceptions import ConnectionError as RedisConnectionError


@contextmanager
def jobs_on_redis(app, monkeypatch, url: str) -> Iterator:
    """``app`` with REDIS_URL = ``url`` (emptied before and after) and retries without delay."""
    redis = Redis.from_url(url)
    try:
        redis.ping()
    except RedisConnectionError:
        if os.environ.get("CI"):
            raise
        pytest.skip(f"no Redis at {url}")
    redis.flushdb()
    monkeypatch.setitem(app.config, "REDIS_URL", url)
    monkeypatch.setitem(app.config, "JOB_RETRY_INTERVALS", (0, 0))
    monkeypatch.delitem(app.extensions, "fieldrep_rq", raising=False)
    try:
        yield app
    finally:
        app.extensions.pop("fieldrep_rq", None)
        redis.flushdb()
        redis.close()
