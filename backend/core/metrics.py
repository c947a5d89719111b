"""Prometheus metrics (prometheus-client) and ``GET /metrics``.

Domains count what they do through the objects here (``SYNC_MUTATIONS``, ``PLANS``, ...); request
latency is measured for every request by endpoint. Under gunicorn, set
``PROMETHEUS_MULTIPROC_DIR`` (deploy/gunicorn.conf.py does) so ``/metrics`` adds up every worker
process. The endpoint answers loopback callers only, or callers with ``METRICS_TOKEN`` as a bearer
token when that is configured (a scraper on another host).
"""

from __future__ import annotations

import contextlib
import hmac
import ipaddress
import os
import time

from flask import Flask, Response, abort, current_app, g, request
from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Histogram,
    generate_latest,
)
from prometheus_client.core import GaugeMetricFamily

LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.3, 0.5, 1.0, 2.5, 5.0, 10.0)

REQUEST_SECONDS = Histogram(
    "fieldrep_http_request_duration_seconds",
    "Time to answer a request, by endpoint.",
    ["endpoint", "method"],
    buckets=LATENCY_BUCKETS,
)
REQUESTS = Counter(
    "fieldrep_http_requests", "Requests answered, by endpoint and status.", ["endpoint", "status"]
)
SYNC_MUTATIONS = Counter(
    "fieldrep_sync_mutations", "Pushed mutations by result status.", ["status"]
)
PLANS = Counter("fieldrep_route_plans", "Day plans solved, by outcome.", ["outcome"])
SOLVER_SECONDS = Histogram(
    "fieldrep_route_solver_seconds",
    "Wall time of one route solve.",
    buckets=(0.05, 0.1, 0.25, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0),
)
PUSH_RESULTS = Counter("fieldrep_push_sends", "Web push sends by outcome.", ["outcome"])
OURS = (REQUEST_SECONDS, REQUESTS, SYNC_MUTATIONS, PLANS, SOLVER_SECONDS, PUSH_RESULTS)


class QueueDepthCollector:
    """``fieldrep_queue_depth``: jobs waiting on the RQ queue, read at scrape time."""

    def __init__(self, app: Flask) -> None:
        """Read the queue of ``app``."""
        self.app = app

    def collect(self):
        """One gauge sample per queue (none inline, where nothing waits)."""
        from backend.core.jobs import RQQueue, get_queue

        family = GaugeMetricFamily(
            "fieldrep_queue_depth", "Jobs waiting in the queue.", labels=["queue"]
        )
        queue = get_queue(self.app)
        if isinstance(queue, RQQueue):
            # A scrape must not fail because Redis is down: the gauge is left out instead.
            with contextlib.suppress(Exception):
                family.add_metric([queue.queue.name], queue.queue.count)
        yield family


def _registry(app: Flask) -> CollectorRegistry:
    registry = CollectorRegistry()
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.MultiProcessCollector(registry)
    else:
        for collector in OURS:
            registry.register(collector)
    registry.register(QueueDepthCollector(app))
    return registry


def _allowed() -> bool:
    token = current_app.config.get("METRICS_TOKEN")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    try:
        return ipaddress.ip_address(request.remote_addr or "").is_loopback
    except ValueError:
        return False


def install(app: Flask) -> None:
    """Time every request and serve ``GET /metrics``."""

    @app.before_request
    def _start_timer() -> None:
        g.metrics_started = time.perf_counter()

    @app.after_request
    def _observe(response):
        started = g.pop("metrics_started", None)
        if started is not None and request.endpoint != "fieldrep_metrics":
            endpoint = request.endpoint or "unmatched"
            REQUEST_SECONDS.labels(endpoint, request.method).observe(time.perf_counter() - started)
            REQUESTS.labels(endpoint, str(response.status_code)).inc()
        return response

    def metrics_view():
        """Prometheus text format (loopback or METRICS_TOKEN only; 404 otherwise)."""
        if not _allowed():
            abort(404)
        registry = app.extensions.get("fieldrep_metrics_registry")
        if registry is None:
            registry = app.extensions["fieldrep_metrics_registry"] = _registry(app)
        return Response(generate_latest(registry), mimetype=CONTENT_TYPE_LATEST)

    app.add_url_rule("/metrics", "fieldrep_metrics", metrics_view)
