"""What a manager asks the simulator for over the API."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates

from backend.core.schemas import BaseSchema
from backend.simulation.policies import POLICIES
from backend.simulation.scenarios import SCENARIOS
from backend.simulation.world import parse_month


class SimulationInSchema(BaseSchema):
    """A comparison of policies over seeds on the team in the database."""

    month = fields.String(required=True, metadata={"example": "2026-12"})
    policies = fields.List(
        fields.String(validate=validate.OneOf(POLICIES)),
        load_default=lambda: list(POLICIES),
        validate=validate.Length(min=1, max=len(POLICIES)),
    )
    seeds = fields.List(
        fields.Integer(validate=validate.Range(min=0, max=10**6)),
        load_default=lambda: [1, 2, 3, 4, 5],
        validate=validate.Length(min=1, max=10),
    )
    scenario = fields.List(
        fields.String(validate=validate.OneOf(list(SCENARIOS))), load_default=list
    )

    @validates("month")
    def _month(self, value: str, **_kw) -> None:
        try:
            parse_month(value)
        except ValueError as err:
            raise ValidationError(str(err)) from err

    @validates("scenario")
    def _scenario(self, value: list[str], **_kw) -> None:
        if "leave" in value and "leave-unmanaged" in value:
            raise ValidationError("choose one of 'leave' and 'leave-unmanaged'")
