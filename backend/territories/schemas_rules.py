"""Schemas of territory rules, the assignment run and the quarterly review."""

from __future__ import annotations

import re

from marshmallow import ValidationError, fields, validate, validates_schema
from marshmallow.fields import Field

from backend.accounts.schemas import SIZE_BANDS
from backend.core.schemas import BaseSchema
from backend.territories.rules import CONDITIONS, AreaError, parse_area

KINDS = ("geo", "segment", "hybrid")
QUARTER = re.compile(r"^(\d{4})-?Q([1-4])$")


class GeoJSONArea(Field):
    """A GeoJSON Polygon or MultiPolygon, checked by shapely (shape and OGC validity)."""

    def _deserialize(self, value, attr, data, **kwargs):
        try:
            parse_area(value)
        except AreaError as err:
            raise ValidationError(str(err)) from None
        return {"type": value["type"], "coordinates": value["coordinates"]}


def _values(max_length: int, **kw) -> fields.List:
    return fields.List(
        fields.String(validate=validate.Length(min=1, max=max_length)),
        load_default=list,
        validate=validate.Length(max=200),
        **kw,
    )


class TerritoryRuleInSchema(BaseSchema):
    """One rule as a client writes it; ``id`` keeps an existing rule, none makes a new one."""

    id = fields.Integer(load_default=None, allow_none=True)
    name = fields.String(load_default="", validate=validate.Length(max=200))
    kind = fields.String(load_default=None, allow_none=True, validate=validate.OneOf(KINDS))
    geometry = GeoJSONArea(load_default=None, allow_none=True)
    industries = _values(100)
    size_bands = fields.List(fields.String(validate=validate.OneOf(SIZE_BANDS)), load_default=list)
    tiers = _values(16)
    postal_prefixes = _values(20)

    @validates_schema
    def _complete(self, data, **kwargs):
        """A rule says something; a declared kind must agree (a hybrid needs both parts)."""
        has_area = data.get("geometry") is not None
        has_segment = any(data.get(key) for key in CONDITIONS)
        if not has_area and not has_segment:
            raise ValidationError(
                "A rule needs an area (geometry), a segment condition, or both.", "_schema"
            )
        kind = data.pop("kind", None)
        if kind == "hybrid" and not (has_area and has_segment):
            missing = "geometry" if not has_area else "industries"
            raise ValidationError(
                {missing: ["A hybrid rule needs both an area and a segment condition."]}
            )
        if kind == "geo" and (has_segment or not has_area):
            raise ValidationError({"kind": ["A geo rule has an area and no segment condition."]})
        if kind == "segment" and (has_area or not has_segment):
            raise ValidationError({"kind": ["A segment rule has conditions and no area."]})


class RulesInSchema(BaseSchema):
    """The whole ordered rule list of a territory (PUT replaces it)."""

    rules = fields.List(
        fields.Nested(TerritoryRuleInSchema), required=True, validate=validate.Length(max=500)
    )


class TerritoryRuleSchema(BaseSchema):
    """A rule as the API shows it."""

    id = fields.Integer()
    position = fields.Integer()
    name = fields.String()
    kind = fields.String()
    geometry = fields.Dict(allow_none=True)
    industries = fields.List(fields.String())
    size_bands = fields.List(fields.String())
    tiers = fields.List(fields.String())
    postal_prefixes = fields.List(fields.String())
    updated_at = fields.AwareDateTime()


class TerritoryRulesSchema(BaseSchema):
    """A territory's rules, in order."""

    territory_id = fields.Integer()
    rules = fields.List(fields.Nested(TerritoryRuleSchema))


class AssignQuerySchema(BaseSchema):
    """``dry_run=1`` reports what would change and writes nothing."""

    dry_run = fields.Boolean(load_default=False)


class AssignConflictSchema(BaseSchema):
    """An account that two or more territories' rules match."""

    account_id = fields.Integer()
    territories = fields.List(fields.Integer())


class AssignMoveSchema(BaseSchema):
    """One account the rules place (or would place)."""

    account_id = fields.Integer()
    rule_id = fields.Integer()
    from_territory = fields.Integer(allow_none=True)
    to_territory = fields.Integer()
    from_owner = fields.Integer(allow_none=True)
    to_owner = fields.Integer(allow_none=True)


class AssignResultSchema(BaseSchema):
    """What the rules did or would do."""

    dry_run = fields.Boolean()
    assigned = fields.Integer()
    unchanged = fields.Integer()
    conflicts = fields.List(fields.Nested(AssignConflictSchema))
    gaps = fields.List(fields.Integer())
    locked = fields.List(fields.Integer(), metadata={"description": "Locked, rules disagree"})
    moves = fields.List(fields.Nested(AssignMoveSchema))


class ReviewQuerySchema(BaseSchema):
    """``quarter=2026Q4`` (or 2026-Q4; default the current one), ``format=csv`` to export."""

    quarter = fields.String(
        load_default=None,
        validate=validate.Regexp(QUARTER, error="Use a quarter like 2026Q4."),
    )
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class ReviewFiguresSchema(BaseSchema):
    """Touches the plan asks for in the quarter (all period kinds), done and credited."""

    required = fields.Integer()
    done = fields.Integer()
    credited = fields.Integer()
    percent = fields.Float(allow_none=True)


class ReviewRowSchema(BaseSchema):
    """One territory in the review."""

    territory_id = fields.Integer()
    name = fields.String()
    manager_id = fields.Integer(allow_none=True)
    reps = fields.Integer()
    accounts = fields.Integer()
    potential = fields.Float()
    visits_required = fields.Integer()
    visits_owed = fields.Integer()
    unmatched = fields.Integer()
    unowned = fields.Integer()
    never_touched = fields.Integer()
    compliance = fields.Nested(ReviewFiguresSchema)


class ReviewSchema(BaseSchema):
    """The quarterly territory review."""

    quarter = fields.String()
    first = fields.Date()
    last = fields.Date()
    as_of = fields.Date()
    territories = fields.List(fields.Nested(ReviewRowSchema))
    unmatched = fields.List(fields.Integer())
    conflicts = fields.List(fields.Nested(AssignConflictSchema))
    unowned = fields.List(fields.Integer())
    never_touched = fields.List(fields.Integer())
