"""Input, query and output schemas of the territory manager's balancing API."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate

from backend.cadence.engine.periods import parse_period
from backend.core.schemas import BaseSchema


def _period(value: str) -> None:
    try:
        parse_period(value)
    except ValueError as err:
        raise ValidationError(str(err)) from None


class WorkloadQuerySchema(BaseSchema):
    """``period`` (2026-12, 2026-Q4, 2026-W48; default this month), ``territory_id``, ``format``."""

    period = fields.String(validate=_period)
    territory_id = fields.Integer()
    format = fields.String(validate=validate.OneOf(("json", "csv")), load_default="json")


class DriverSchema(BaseSchema):
    """An account behind a rep's load."""

    account_id = fields.Integer()
    name = fields.String()
    minutes = fields.Float()


class RepLoadSchema(BaseSchema):
    """One rep's workload in the period."""

    rep_id = fields.Integer()
    name = fields.String()
    capacity_minutes = fields.Integer()
    service_minutes = fields.Float()
    travel_minutes = fields.Float()
    load_pct = fields.Float(allow_none=True)
    accounts = fields.Integer()
    potential = fields.Float()
    drivers = fields.List(fields.Nested(DriverSchema))


class TeamMetricsSchema(BaseSchema):
    """Parity (max |w - mean| / mean), max/min ratio and coefficient of variation of minutes."""

    parity = fields.Float(allow_none=True)
    max_min_ratio = fields.Float(allow_none=True)
    cv = fields.Float(allow_none=True)
    mean_minutes = fields.Float(allow_none=True)


class WorkloadSchema(BaseSchema):
    """The workload report."""

    period = fields.String()
    territory_id = fields.Integer(allow_none=True)
    reps = fields.List(fields.Nested(RepLoadSchema))
    team = fields.Nested(TeamMetricsSchema)


class RebalanceInSchema(BaseSchema):
    """What to balance: a territory (default: all the caller's territories) and the limits."""

    territory_id = fields.Integer()
    max_moves = fields.Integer(validate=validate.Range(min=0, max=100_000))
    target_parity = fields.Float(validate=validate.Range(min=0.0, max=1.0))
    period = fields.String(validate=_period)


class MoveSchema(BaseSchema):
    """One account from one rep to another."""

    account_id = fields.Integer()
    from_rep = fields.Integer()
    to_rep = fields.Integer()


class RepChangeSchema(BaseSchema):
    """A rep's minutes and accounts before and after the proposal."""

    rep_id = fields.Integer()
    name = fields.String()
    before_minutes = fields.Float()
    after_minutes = fields.Float()
    accounts_before = fields.Integer()
    accounts_after = fields.Integer()


class ProposalSchema(BaseSchema):
    """A stored proposal (a what-if scenario until applied)."""

    id = fields.Integer()
    created_at = fields.DateTime()
    created_by_id = fields.Integer(allow_none=True)
    territory_id = fields.Integer(allow_none=True)
    territory_ids = fields.List(fields.Integer())
    period = fields.String()
    status = fields.String()
    params = fields.Dict()
    solver = fields.Dict()
    moves = fields.List(fields.Nested(MoveSchema))
    before = fields.Nested(TeamMetricsSchema)
    after = fields.Nested(TeamMetricsSchema)
    per_rep = fields.List(fields.Nested(RepChangeSchema))
    travel_before = fields.Float()
    travel_after = fields.Float()
    applied_at = fields.DateTime(allow_none=True)
    applied_by_id = fields.Integer(allow_none=True)


class ProposalSummarySchema(ProposalSchema):
    """A proposal in a list: the figures without the moves."""

    class Meta(ProposalSchema.Meta):
        exclude = ("moves", "per_rep")

    moves_count = fields.Method("_count")

    def _count(self, obj) -> int:
        return len(obj.moves)


def _ids(value: str) -> None:
    parts = [p.strip() for p in value.split(",")]
    if not parts or not all(p.isdigit() and 0 < int(p) < 2**31 for p in parts):
        raise ValidationError("Give proposal ids separated by commas, e.g. 1,2.")
    if len(parts) > 10:
        raise ValidationError("At most 10 proposals at once.")


class CompareQuerySchema(BaseSchema):
    """``ids``: the proposals to compare, e.g. ``1,2``."""

    ids = fields.String(required=True, validate=_ids)


class CompareSchema(BaseSchema):
    """Proposals side by side, and the accounts that every one of them moves."""

    proposals = fields.List(fields.Nested(ProposalSchema))
    shared_moves = fields.List(fields.Integer())
