"""What a manager asks the simulator for over the API."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates

from backend.core.schemas import BaseSchema
from backend.simulation.policies import POLICIES
from backend.simulation.scenarios import EXCLUSIVE, SCENARIOS, exclusive_message
from backend.simulation.service import MAX_SEEDS
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
        validate=validate.Length(min=1, max=MAX_SEEDS),
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
        for group in EXCLUSIVE:
            if sum(name in value for name in group) > 1:
                raise ValidationError(exclusive_message(group))


class ChoiceSchema(BaseSchema):
    """A policy or scenario: its name and what it means."""

    name = fields.String(required=True)
    label = fields.String(required=True)


class FigureSchema(ChoiceSchema):
    """A figure of the comparison."""

    lower_is_better = fields.Boolean(required=True)


class SimulationChoicesSchema(BaseSchema):
    """What the simulator offers."""

    policies = fields.List(fields.Nested(ChoiceSchema), required=True)
    scenarios = fields.List(fields.Nested(ChoiceSchema), required=True)
    exclusive = fields.List(
        fields.List(fields.String()),
        required=True,
        metadata={"description": "groups of scenarios of which a run takes at most one"},
    )
    figures = fields.List(fields.Nested(FigureSchema), required=True)
    max_seeds = fields.Integer(required=True)
