"""``GET /api/jobs/<id>``: a background job's state, progress and result, for its owner only."""

from __future__ import annotations

import re

from flask import current_app
from flask.views import MethodView
from flask_login import login_required
from marshmallow import fields, validate

from backend.core import tracked
from backend.core.errors import NotFound
from backend.core.http import Blueprint, user
from backend.core.schemas import BaseSchema

blp = Blueprint("jobs", __name__, url_prefix="/api/jobs", description="Background jobs")

JOB_ID = re.compile(r"[0-9a-f]{32}")


class JobSchema(BaseSchema):
    """A job as its owner sees it."""

    id = fields.String(required=True)
    kind = fields.String(required=True)
    state = fields.String(
        required=True, validate=validate.OneOf(("queued", "running", "done", "failed"))
    )
    progress = fields.Float(required=True, metadata={"description": "0..1"})
    done = fields.Integer(required=True, metadata={"description": "items done so far"})
    total = fields.Integer(required=True, metadata={"description": "items in all (0: unknown)"})
    attempts = fields.Integer(required=True)
    result = fields.Raw(allow_none=True, metadata={"description": "when done"})
    error = fields.String(allow_none=True, metadata={"description": "when failed or retrying"})


def job_answer(record: tracked.JobRecord) -> dict:
    """The JSON of ``record`` (also the body of a 202 that starts one)."""
    return JobSchema().dump(record.to_dict())


@blp.route("/<string:job_id>")
class JobsById(MethodView):
    """One job."""

    decorators = [login_required]

    @blp.response(200, JobSchema)
    def get(self, job_id):
        """The job's state, progress and result (404 for a job someone else started)."""
        record = None
        if JOB_ID.fullmatch(job_id):
            record = tracked.find(current_app._get_current_object(), job_id, user_id=user().id)
        if record is None:
            raise NotFound("No such job (it may have expired).")
        return record.to_dict()
