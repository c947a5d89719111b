"""Departure and carve request and answer shapes."""

from __future__ import annotations

from marshmallow import fields, validate

from backend.core.schemas import BaseSchema
from backend.territories.departure.service import STRATEGY_NAMES

MAX_TRANSITION_DAYS = 90
DEFAULT_TRANSITION_DAYS = 14  # introductory visits are due within it


class DepartureTargetSchema(BaseSchema):
    """Who takes over: one rep, a mapping per account, or the pool the strategy picks from."""

    rep_id = fields.Integer(metadata={"description": "named: every (other) account to this rep"})
    accounts = fields.Dict(
        keys=fields.String(validate=validate.Regexp(r"^\d{1,9}$")),
        values=fields.Integer(),
        metadata={"description": "named: account id -> new owner"},
    )
    rep_ids = fields.List(
        fields.Integer(),
        validate=validate.Length(min=1, max=500),
        metadata={"description": "rule/proposal: only these reps receive accounts"},
    )


class DepartureInSchema(BaseSchema):
    """``POST /api/users/<id>/departure``."""

    strategy = fields.String(required=True, validate=validate.OneOf(STRATEGY_NAMES))
    to = fields.Nested(DepartureTargetSchema, load_default=dict)
    transition_days = fields.Integer(
        load_default=DEFAULT_TRANSITION_DAYS,
        validate=validate.Range(min=0, max=MAX_TRANSITION_DAYS),
    )
    dry_run = fields.Boolean(load_default=False)


class ReplanSchema(BaseSchema):
    """A route to re-plan: rep and local date."""

    rep_id = fields.Integer()
    date = fields.String()


class DepartureSchema(BaseSchema):
    """What a departure did (or, with ``dry_run``, would do)."""

    departure_id = fields.Integer(allow_none=True)
    audit_ref = fields.String(allow_none=True, metadata={"description": "ref of its audit entries"})
    moves = fields.Integer()
    by_owner = fields.Dict(keys=fields.String(), values=fields.Integer())
    account_ids = fields.List(fields.Integer())
    transition_until = fields.DateTime()
    deactivated = fields.Boolean()
    replanned = fields.List(fields.Nested(ReplanSchema))
    replan = fields.String(metadata={"description": "inline | queued | none"})
    dry_run = fields.Boolean()


class CarveInSchema(BaseSchema):
    """``POST /api/users/<id>/carve``."""

    territory_id = fields.Integer(required=True)
    accounts = fields.Integer(validate=validate.Range(min=1, max=100_000))
    dry_run = fields.Boolean(load_default=False)


class CarveSchema(BaseSchema):
    """What a carve moved (or, with ``dry_run``, would move): accounts taken from each neighbour."""

    moves = fields.Integer()
    from_owner = fields.Dict(keys=fields.String(), values=fields.Integer())
    audit_ref = fields.String()
    account_ids = fields.List(fields.Integer())
    replanned = fields.List(fields.Nested(ReplanSchema))
    replan = fields.String()
    dry_run = fields.Boolean()
