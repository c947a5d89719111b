"""Sync schemas for the JSON endpoints besides push/pull (whose messages the sync library owns)."""

from __future__ import annotations

from marshmallow import fields, validate

from backend.core.schemas import BaseSchema


class RejectedQuerySchema(BaseSchema):
    """Filter rejected mutations to one device."""

    client_id = fields.String(validate=validate.Length(min=1, max=64))


class RejectedMutationSchema(BaseSchema):
    """A mutation the server refused, with what the phone sent and why."""

    id = fields.String(metadata={"description": "The mutation's UUID."})
    client_id = fields.String()
    mutation_id = fields.Integer()
    name = fields.String(allow_none=True)
    args = fields.Dict(allow_none=True, metadata={"description": "The mutation's args as sent."})
    reason = fields.String(allow_none=True)
    errors = fields.Dict(keys=fields.String(), values=fields.List(fields.String()), allow_none=True)
    rejected_at = fields.AwareDateTime()
