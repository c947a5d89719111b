"""Domain exceptions and their one mapping to HTTP (the error envelope)."""

from __future__ import annotations

from http import HTTPStatus

from flask import Flask, jsonify
from werkzeug.exceptions import HTTPException

from backend.core.observability import request_id


class DomainError(Exception):
    """Base of the errors services raise; views never build HTTP errors themselves."""

    status = 400

    def __init__(self, message: str = "", errors: dict | None = None, extra: dict | None = None):
        super().__init__(message)
        self.message = message or HTTPStatus(self.status).phrase
        self.errors = errors
        self.extra = extra or {}


class NotFound(DomainError):
    """The object does not exist or is not in the caller's scope."""

    status = 404


class Forbidden(DomainError):
    """The caller's role may not do this."""

    status = 403


class Conflict(DomainError):
    """The object changed since the caller read it."""

    status = 409


class Invalid(DomainError):
    """Input that passed the schema but breaks a domain rule; ``errors`` maps field -> messages."""

    status = 422


class Unauthorized(DomainError):
    """Not logged in or wrong credentials."""

    status = 401


def envelope(status: int, message: str | None = None, errors: dict | None = None, **extra):
    """Build the one error body ``{code, status, message, errors}``."""
    body = {"code": status, "status": HTTPStatus(status).phrase}
    if message:
        body["message"] = message
    if errors:
        body["errors"] = errors
    body.update(extra)
    return jsonify(body), status


# Where webargs puts field messages; an ``Invalid`` without one of these is about the JSON body.
LOCATIONS = frozenset({"json", "query", "form", "files", "path", "headers", "cookies"})


def register_error_handlers(app: Flask) -> None:
    """Map domain errors and stray HTTP errors to the envelope; a 500 never leaks internals."""

    @app.errorhandler(DomainError)
    def _domain(err: DomainError):
        errors = err.errors
        if isinstance(err, Invalid) and errors and not LOCATIONS & set(errors):
            errors = {"json": errors}
        return envelope(err.status, err.message, errors, **err.extra)

    @app.errorhandler(HTTPException)
    def _http(err: HTTPException):
        data = getattr(err, "data", None) or {}
        messages = data.get("messages") if isinstance(data, dict) else None
        message = data.get("message") if isinstance(data, dict) else None
        code = err.code or 500
        if code >= 500:
            return envelope(code, request_id=request_id())
        if code == 413:
            limit = app.config.get("MAX_CONTENT_LENGTH") or 0
            message = (
                f"The request body is larger than the limit of {limit / 2**20:g} MB; "
                "split the file or ask the administrator to raise MAX_CONTENT_LENGTH."
            )
        return envelope(code, message or err.description, messages)

    @app.errorhandler(Exception)
    def _unexpected(err: Exception):
        app.logger.exception("unhandled error")
        # The id ties the user's report to the log line; the body says nothing else.
        return envelope(
            500,
            "Something went wrong on our side; quote this request id if you report it.",
            request_id=request_id(),
        )
