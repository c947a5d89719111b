"""Request input the database or the parsers cannot take, refused at the edge with a 422.

PostgreSQL refuses NUL characters in text, no driver can encode a lone UTF-16 surrogate,
JSON nested a thousand deep exhausts Python's recursion, and ids past the database's integer
type overflow it. Each of these reached a service and answered 500; here they are answered once,
for every endpoint, before any view runs.
"""

from __future__ import annotations

import json
import re

from flask import Flask, current_app, request
from werkzeug.routing import IntegerConverter

from backend.core.errors import Invalid

# Deep enough for every document the API takes (the deepest, opening hours, is four levels).
MAX_JSON_DEPTH = 32
INT4_MAX = 2**31 - 1
_BAD_CHARS = re.compile("[\x00\ud800-\udfff]")
_JSON_TYPES = re.compile(r"^application/(.+\+)?json$")


class IdConverter(IntegerConverter):
    """``<int:...>`` in URLs, bounded by the database's INTEGER: a larger id is simply not found."""

    def __init__(self, map, *args, **kwargs):  # noqa: A002 - werkzeug's signature
        kwargs.setdefault("max", INT4_MAX)
        super().__init__(map, *args, **kwargs)


def _char_problem(text: str) -> str | None:
    match = _BAD_CHARS.search(text)
    if match is None:
        return None
    if match.group() == "\x00":
        return "Must not contain NUL characters."
    return "Must not contain unpaired UTF-16 surrogates."


def _nest(path: list, message: str) -> dict:
    """``["contacts", 0, "name"]`` -> ``{"contacts": {"0": {"name": [message]}}}``."""
    out: dict | list = [message]
    for key in reversed(path or ["_schema"]):
        out = {str(key): out}
    return out  # type: ignore[return-value]


def check_document(document) -> dict | None:
    """Field errors for the first bad string or excessive nesting in a decoded JSON document."""
    stack = [(document, [], 0)]
    while stack:
        value, path, depth = stack.pop()
        if depth > MAX_JSON_DEPTH:
            return _nest(path, f"Nested deeper than {MAX_JSON_DEPTH} levels.")
        if isinstance(value, str):
            problem = _char_problem(value)
            if problem:
                return _nest(path, problem)
        elif isinstance(value, dict):
            for key, item in value.items():
                problem = _char_problem(key)
                if problem:
                    return _nest([*path, key.encode("utf-8", "replace").decode()], problem)
                stack.append((item, [*path, key], depth + 1))
        elif isinstance(value, list):
            stack.extend((item, [*path, i], depth + 1) for i, item in enumerate(value))
    return None


def _check_request() -> None:
    for location, values in (("query", request.args), ("form", request.form)):
        for key, value in values.items(multi=True):
            if key is None:  # a multipart part without a name: nothing can read it
                raise Invalid(errors={location: {"_schema": ["A form field has no name."]}})
            problem = _char_problem(key) or _char_problem(value)
            if problem:
                raise Invalid(errors={location: {key: [problem]}})
    if not _JSON_TYPES.match(request.mimetype or "") or not request.content_length:
        return
    if request.endpoint in current_app.config.get("RAW_BODY_ENDPOINTS", ()):
        return
    raw = request.get_data(cache=True)
    try:
        document = json.loads(raw)
    except RecursionError:
        raise Invalid(
            errors={"json": {"_schema": [f"Nested deeper than {MAX_JSON_DEPTH} levels."]}}
        ) from None
    except ValueError:
        return  # the body parser answers malformed JSON with its own message
    errors = check_document(document)
    if errors:
        raise Invalid(errors={"json": errors})


def install(app: Flask) -> None:
    """Bound path ids (before any blueprint registers its rules) and check every request."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(_check_request)
