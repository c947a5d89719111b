"""Offline sync: push a batch of outbox mutations, pull changes since a cursor."""

from __future__ import annotations

import json

from flask import current_app, request
from flask.views import MethodView
from flask_login import login_required

import sync
from backend.core import metrics
from backend.core.errors import envelope
from backend.core.extensions import db
from backend.core.http import Blueprint, user
from backend.sync.schemas import RejectedMutationSchema, RejectedQuerySchema
from backend.sync.service import pull as sync_pull
from backend.sync.service import push as sync_push
from backend.sync.service import rejected as sync_rejected
from backend.touches.service import TouchRules

blp = Blueprint("sync", __name__, url_prefix="/api/sync", description="Sync")

# 1,000 touches with notes weigh about 0.5 MB; past this the client halves its batch (413).
DEFAULT_MAX_PUSH_BYTES = 2 * 1024 * 1024


@blp.errorhandler(sync.ProtocolError)
def _protocol_error(err: sync.ProtocolError):
    """422 / 413 / 426 with field messages, in the house envelope."""
    return envelope(err.status_code, err.message, err.envelope_errors())


def _json_body() -> object:
    """The request body as JSON, refusing oversize bodies before reading them whole."""
    limit = current_app.config.get("SYNC_MAX_PUSH_BYTES", DEFAULT_MAX_PUSH_BYTES)
    too_large = sync.BatchTooLarge(
        f"Request body too large: at most {limit} bytes per push; send fewer mutations.",
        {"_schema": [f"Longer than maximum size {limit} bytes."]},
    )
    if (request.content_length or 0) > limit:
        raise too_large
    raw = request.stream.read(limit + 1)
    if len(raw) > limit:
        raise too_large
    try:
        return json.loads(raw)
    except ValueError:
        raise sync.ProtocolError("Invalid push.", {"_schema": ["Not valid JSON."]}) from None


@blp.route("/push")
class Push(MethodView):
    """The outbox goes up."""

    decorators = [login_required]

    @blp.doc(responses={"413": {}, "422": {}, "426": {}})
    def post(self):
        """Apply outbox mutations exactly once and in order; one answer per mutation."""
        req = sync.parse_push_request(_json_body())
        rules = TouchRules.from_config(current_app.config)
        response = sync_push.push(user(), req, touch_rules=rules)
        db.session.commit()
        for result in response.results:
            metrics.SYNC_MUTATIONS.labels(str(result.status)).inc()
        return response.to_json()


@blp.route("/pull")
class Pull(MethodView):
    """Changes come down."""

    decorators = [login_required]

    @blp.doc(responses={"422": {}, "426": {}})
    def get(self):
        """A page of changes in the caller's scope after the cursor."""
        req = sync.parse_pull_request(request.args.to_dict())
        return sync_pull.pull(user(), req).to_json()


@blp.route("/rejected")
class Rejected(MethodView):
    """Mutations the server refused, kept with their content."""

    decorators = [login_required]

    @blp.arguments(RejectedQuerySchema, location="query")
    @blp.response(200, RejectedMutationSchema(many=True))
    def get(self, args):
        """The caller's rejected mutations (one device's with ``client_id``), newest first."""
        return sync_rejected.rejected_mutations(user(), args.get("client_id"))
