"""Pipeline schemas: opportunities, stage history, quotas, P.A.C.E., report arguments."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from backend.core.schemas import BaseSchema, ChangeSchema
from backend.pipeline.models import STAGES
from backend.pipeline.periods import validate_label

_RATING = validate.Range(1, 5, error="Must be between 1 and 5.")


class OpportunitySchema(BaseSchema):
    """An opportunity as the API shows it."""

    id = fields.Integer()
    external_id = fields.String(allow_none=True)
    client_id = fields.String(allow_none=True)
    account_id = fields.Integer()
    owner_id = fields.Integer(allow_none=True)
    name = fields.String()
    stage = fields.String()
    amount = fields.Float()
    currency = fields.String()
    created_at = fields.AwareDateTime()
    closed_at = fields.AwareDateTime(allow_none=True)
    lost_reason = fields.String(allow_none=True)
    version = fields.Integer()
    updated_at = fields.AwareDateTime()


class OpportunityWriteFields(BaseSchema):
    """Fields an opportunity write may carry."""

    external_id = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))
    name = fields.String(validate=validate.Length(min=1, max=200))
    stage = fields.String(validate=validate.OneOf(STAGES))
    amount = fields.Float(validate=validate.Range(min=0, max=1e12))
    currency = fields.String(validate=validate.Regexp(r"^[A-Z]{3}$", error="Use ISO 4217."))
    closed_at = fields.AwareDateTime(allow_none=True)
    lost_reason = fields.String(allow_none=True, validate=validate.Length(max=500))
    owner_id = fields.Integer(allow_none=True)


class OpportunityInSchema(OpportunityWriteFields):
    """Create an opportunity on an account in scope."""

    account_id = fields.Integer(required=True)
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    # When the deal really started (a CRM import); defaults to now.
    created_at = fields.AwareDateTime()


class OpportunityPatchSchema(OpportunityWriteFields, ChangeSchema):
    """Change an opportunity; ``base_version`` (or ``If-Match``) guards concurrent edits."""

    base_version = fields.Integer(validate=validate.Range(min=1))


class OpportunityQuerySchema(BaseSchema):
    """Filters for the opportunity list."""

    account_id = fields.Integer()
    owner_id = fields.Integer()
    territory_id = fields.Integer()
    stage = fields.String(validate=validate.OneOf(STAGES))
    open = fields.Boolean()
    q = fields.String(validate=validate.Length(max=200))
    sort = fields.String(
        load_default="-created_at",
        validate=validate.OneOf(("-created_at", "-amount", "name", "-closed_at")),
    )


class StageChangeSchema(BaseSchema):
    """One stage move."""

    id = fields.Integer()
    opportunity_id = fields.Integer()
    from_stage = fields.String(allow_none=True)
    to_stage = fields.String()
    at = fields.AwareDateTime()
    actor_id = fields.Integer(allow_none=True)


class QuotaSchema(BaseSchema):
    """A quota as the API shows it."""

    id = fields.Integer()
    period = fields.String()
    rep_id = fields.Integer(allow_none=True)
    territory_id = fields.Integer(allow_none=True)
    revenue = fields.Float()
    new_accounts = fields.Integer()
    activity = fields.Dict()
    version = fields.Integer()
    updated_at = fields.AwareDateTime()


def _validate_activity(value: dict) -> None:
    for tier, per_type in value.items():
        if not isinstance(per_type, dict):
            raise ValidationError({tier: ["Must map touch types to minimum counts."]})
        for touch_type, count in per_type.items():
            if touch_type not in ("visit", "call", "email"):
                raise ValidationError({tier: [f"Unknown touch type {touch_type!r}."]})
            if not isinstance(count, int) or isinstance(count, bool) or not 0 <= count <= 10000:
                raise ValidationError({tier: [f"{touch_type}: a whole number 0-10000."]})


class QuotaWriteFields(BaseSchema):
    """Fields a quota write may carry."""

    revenue = fields.Float(
        validate=validate.Range(
            min=0, max=1e12, error="Give an amount from 0 to 1,000,000,000,000."
        )
    )
    new_accounts = fields.Integer(validate=validate.Range(min=0, max=100000))
    activity = fields.Dict(validate=_validate_activity)


class QuotaInSchema(QuotaWriteFields):
    """Create a quota for exactly one rep or one territory."""

    period = fields.String(required=True, validate=validate_label)
    rep_id = fields.Integer(allow_none=True)
    territory_id = fields.Integer(allow_none=True)

    @validates_schema
    def _one_target(self, data, **kwargs):
        if (data.get("rep_id") is None) == (data.get("territory_id") is None):
            raise ValidationError("Give exactly one of rep_id and territory_id.", "rep_id")


class QuotaPatchSchema(QuotaWriteFields, ChangeSchema):
    """Change a quota's figures."""

    base_version = fields.Integer(validate=validate.Range(min=1))


class QuotaQuerySchema(BaseSchema):
    """Filters for the quota list."""

    period = fields.String(validate=validate_label)
    rep_id = fields.Integer()
    territory_id = fields.Integer()


class SuggestQuerySchema(BaseSchema):
    """Quota suggestion: the period, and optionally a company total to split by potential."""

    period = fields.String(required=True, validate=validate_label)
    total = fields.Float(validate=validate.Range(min=0, max=1e12))


class ReportQuerySchema(BaseSchema):
    """Report options: ``period`` (2026, 2026-Q4, 2026-11, 2026-W48), grouping, format."""

    period = fields.String(validate=validate_label)
    group_by = fields.String(
        load_default="territory", validate=validate.OneOf(("territory", "rep"))
    )
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))


class ProfitQuerySchema(BaseSchema):
    """Profitability options."""

    period = fields.String(validate=validate_label)
    format = fields.String(load_default="json", validate=validate.OneOf(("json", "csv")))
    territory_id = fields.Integer()


class PaceSchema(BaseSchema):
    """A P.A.C.E. rating as the API shows it."""

    id = fields.Integer()
    rep_id = fields.Integer()
    period = fields.String()
    passion = fields.Integer()
    awareness = fields.Integer()
    curiosity = fields.Integer()
    energy = fields.Integer()
    note = fields.String()
    rated_by_id = fields.Integer(allow_none=True)
    updated_at = fields.AwareDateTime()


class PaceInSchema(BaseSchema):
    """Record (or replace) a rep's rating for a period."""

    rep_id = fields.Integer(required=True)
    period = fields.String(required=True, validate=validate_label)
    passion = fields.Integer(required=True, validate=_RATING)
    awareness = fields.Integer(required=True, validate=_RATING)
    curiosity = fields.Integer(required=True, validate=_RATING)
    energy = fields.Integer(required=True, validate=_RATING)
    note = fields.String(load_default="", validate=validate.Length(max=2000))


class PaceQuerySchema(BaseSchema):
    """Filters for ratings."""

    rep_id = fields.Integer()
    period = fields.String(validate=validate_label)


class DealImportQuerySchema(BaseSchema):
    """Import options."""

    dry_run = fields.Boolean(load_default=False)
