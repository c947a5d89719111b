"""Errors raised while reading sync messages; each carries the HTTP status the server answers."""

from __future__ import annotations

from collections.abc import Mapping


class ProtocolError(Exception):
    """A request the server cannot accept as a whole (422 unless a subclass says otherwise)."""

    status_code = 422

    def __init__(
        self,
        message: str,
        errors: Mapping[str, list[str]] | None = None,
        location: str = "json",
    ) -> None:
        super().__init__(message)
        self.message = message
        # Field path ("mutations.3.mutation_id") -> messages, as in the house error envelope.
        self.errors: dict[str, list[str]] = {k: list(v) for k, v in (errors or {}).items()}
        # "json" for bodies, "query" for pull's query string (flask-smorest's locations).
        self.location = location

    def envelope_errors(self) -> dict[str, dict[str, list[str]]]:
        """The `errors` member of the house error envelope."""
        return {self.location: dict(self.errors)}


class SchemaTooOld(ProtocolError):
    """The client's schema version is below the oldest one the server understands (426)."""

    status_code = 426


class BatchTooLarge(ProtocolError):
    """A push carries more mutations than MAX_BATCH (413)."""

    status_code = 413
