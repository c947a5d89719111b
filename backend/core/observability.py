"""Request ids and structured logs.

Every request gets an id: the proxy's ``X-Request-ID`` when it sends a sane one (so nginx's
``$request_id`` ties its access log to ours), a fresh one otherwise. The answer carries it back
in ``X-Request-ID``; a 500's body carries it too, so a user's screenshot finds the log line.
With ``LOG_FORMAT = "json"`` (production's default) every log record is one JSON object on
stderr with that id, and each request writes one ``request`` line (method, path, endpoint,
status, duration, user).
"""

from __future__ import annotations

import logging
import re
import sys
import time
import uuid
from typing import IO

from flask import Flask, g, has_request_context, request

log = logging.getLogger("fieldrep.request")

SANE_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
JSON_FIELDS = "%(asctime)s %(levelname)s %(name)s %(message)s"


def request_id() -> str | None:
    """The current request's id (None outside a request)."""
    return g.get("request_id") if has_request_context() else None


class RequestIdFilter(logging.Filter):
    """Puts ``request_id`` on every record logged while a request is handled."""

    def filter(self, record: logging.LogRecord) -> bool:
        """Always keep the record; add the id."""
        if not hasattr(record, "request_id"):
            record.request_id = request_id()
        return True


def json_handler(stream: IO[str] | None = None) -> logging.Handler:
    """A handler writing one JSON object per record, with the request id."""
    from pythonjsonlogger.json import JsonFormatter

    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(
        JsonFormatter(JSON_FIELDS, rename_fields={"levelname": "level", "asctime": "time"})
    )
    handler.addFilter(RequestIdFilter())
    handler._fieldrep_json = True  # type: ignore[attr-defined]
    return handler


def configure_logging(app: Flask, stream: IO[str] | None = None) -> None:
    """JSON logs on the root logger when ``LOG_FORMAT`` is ``json`` (once per process)."""
    if app.config.get("LOG_FORMAT") != "json":
        return
    root = logging.getLogger()
    if stream is None and any(getattr(h, "_fieldrep_json", False) for h in root.handlers):
        return
    root.addHandler(json_handler(stream))
    root.setLevel(app.config.get("LOG_LEVEL", "INFO"))
    # Flask's own handler would print every error a second time, as text.
    app.logger.handlers.clear()
    app.logger.propagate = True


def install(app: Flask) -> None:
    """Request ids in and out, and the per-request log line."""

    @app.before_request
    def _start() -> None:
        given = request.headers.get("X-Request-ID", "")
        g.request_id = given if SANE_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_started = time.perf_counter()

    @app.after_request
    def _finish(response):
        rid = g.get("request_id")
        if rid:
            response.headers["X-Request-ID"] = rid
        if app.config.get("LOG_FORMAT") == "json" and app.config.get("LOG_REQUESTS", True):
            from flask_login import current_user

            started = g.get("request_started", time.perf_counter())
            log.info(
                "request",
                extra={
                    "method": request.method,
                    "path": request.path,
                    "endpoint": request.endpoint,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": current_user.get_id() if current_user else None,
                    "remote_addr": request.remote_addr,
                },
            )
        return response
