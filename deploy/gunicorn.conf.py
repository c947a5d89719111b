"""gunicorn settings for FieldRep: ``gunicorn -c deploy/gunicorn.conf.py wsgi:app``.

Every setting can be overridden from the environment (the systemd unit sets them), so one file
serves a laptop, a single host and a fleet behind a proxy.
"""

import multiprocessing
import os
import shutil
import tempfile

# Where nginx (or the load balancer) connects; loopback unless told otherwise.
bind = os.environ.get("FIELDREP_BIND", "127.0.0.1:8000")
# Sync workers: the app is database- and solver-bound, not I/O-wait bound. Two per core plus
# one is gunicorn's own advice; threads let a worker overlap a slow client with other requests.
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
threads = int(os.environ.get("FIELDREP_THREADS", "4"))
worker_class = "gthread"
# A route plan takes up to ROUTE_TIME_LIMIT_MAX seconds; imports run as jobs. 60 s is generous.
timeout = int(os.environ.get("FIELDREP_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Recycle workers now and then so a slow leak never becomes an outage.
max_requests = int(os.environ.get("FIELDREP_MAX_REQUESTS", "5000"))
max_requests_jitter = 500
# Trust X-Forwarded-* from the proxy on this host only; the app's ProxyFix counts the hops.
forwarded_allow_ips = os.environ.get("FIELDREP_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The app writes one JSON line per request itself (with its request id), so no access log here.
accesslog = None
errorlog = "-"
loglevel = os.environ.get("FIELDREP_GUNICORN_LOGLEVEL", "info")
# Load the app once in the master: workers fork with the code (not the connections) shared.
preload_app = False

# Prometheus metrics from every worker process add up in one directory (emptied at start).
_metrics_dir = os.environ.setdefault(
    "PROMETHEUS_MULTIPROC_DIR", os.path.join(tempfile.gettempdir(), f"fieldrep-metrics-{bind}")
)
raw_env = [f"FIELDREP_ENV={os.environ.get('FIELDREP_ENV', 'production')}"]


def on_starting(server):
    """Start with an empty metrics directory: samples of dead processes must not linger."""
    shutil.rmtree(_metrics_dir, ignore_errors=True)
    os.makedirs(_metrics_dir, exist_ok=True)


def child_exit(server, worker):
    """A worker that exits takes its live gauges with it."""
    from prometheus_client import multiprocess

    multiprocess.mark_process_dead(worker.pid)
