"""Cadence schemas: the plan, the due list, re-tiering and the compliance report."""

from __future__ import annotations

from marshmallow import ValidationError, fields, validate, validates_schema

from backend.cadence.engine.periods import PERIOD_KINDS, parse_period
from backend.cadence.engine.plan import TOUCH_TYPES
from backend.core.schemas import BaseSchema

GROUP_BY = ("rep", "tier", "touch_type", "territory", "kare")
STATUSES = ("overdue", "due", "upcoming")


def _period_label(value: str) -> None:
    try:
        parse_period(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


# --- the plan ---------------------------------------------------------------------------------


class TierSchema(BaseSchema):
    """A tier: its name, planned visit length and weight (urgency, routing value)."""

    tier = fields.String(required=True, validate=validate.Length(min=1, max=16))
    visit_minutes = fields.Integer(required=True, validate=validate.Range(min=1, max=480))
    weight = fields.Float(load_default=1.0, validate=validate.Range(min=0, min_inclusive=False))


class RuleSchema(BaseSchema):
    """``count`` touches of ``touch_type`` per ``period`` for accounts of ``tier``."""

    tier = fields.String(required=True, validate=validate.Length(min=1, max=16))
    touch_type = fields.String(required=True, validate=validate.OneOf(TOUCH_TYPES))
    count = fields.Integer(
        required=True, validate=validate.Range(min=0, max=1000, error="Must be 0 to 1000.")
    )
    period = fields.String(required=True, validate=validate.OneOf(PERIOD_KINDS))


class PlanInSchema(BaseSchema):
    """A new plan version; ``effective_from`` defaults to today."""

    effective_from = fields.Date(load_default=None)
    tiers = fields.List(
        fields.Nested(TierSchema), required=True, validate=validate.Length(min=1, max=50)
    )
    rules = fields.List(fields.Nested(RuleSchema), required=True, validate=validate.Length(max=500))

    @validates_schema
    def _consistent(self, data, **kwargs):
        errors: dict[str, list[str]] = {}
        names = [t["tier"] for t in data.get("tiers", [])]
        if len(set(names)) != len(names):
            errors["tiers"] = ["Each tier may appear only once."]
        seen: set[tuple[str, str]] = set()
        rule_errors: list[str] = []
        for i, rule in enumerate(data.get("rules", [])):
            key = (rule["tier"], rule["touch_type"])
            if rule["tier"] not in names:
                rule_errors.append(f"Rule {i + 1}: unknown tier {rule['tier']!r}.")
            if key in seen:
                rule_errors.append(
                    f"Rule {i + 1}: more than one rule for tier {key[0]} and {key[1]}."
                )
            seen.add(key)
        if rule_errors:
            errors["rules"] = rule_errors
        if errors:
            raise ValidationError(errors)


class PlanVersionRefSchema(BaseSchema):
    """One version in the plan's history."""

    id = fields.Integer(allow_none=True)
    effective_from = fields.Date()
    created_at = fields.AwareDateTime(allow_none=True)


class PlanSchema(BaseSchema):
    """The plan version in force on a date, and the list of all versions."""

    id = fields.Integer(allow_none=True)
    effective_from = fields.Date()
    tiers = fields.List(fields.Dict())
    rules = fields.List(fields.Dict())
    created_at = fields.AwareDateTime(allow_none=True)
    versions = fields.List(fields.Nested(PlanVersionRefSchema))


class PlanQuerySchema(BaseSchema):
    """Which day's plan (default today)."""

    date = fields.Date()


# --- due list ---------------------------------------------------------------------------------


class DueQuerySchema(BaseSchema):
    """Due list for one rep (id or email; default the caller) on one local date."""

    date = fields.Date()
    rep = fields.String(validate=validate.Length(max=254))
    status = fields.String(validate=validate.OneOf(STATUSES))


class DueItemSchema(BaseSchema):
    """One touch an account still needs this period."""

    account_id = fields.Integer()
    account_name = fields.String()
    tier = fields.String()
    touch_type = fields.String()
    required = fields.Integer()
    done = fields.Integer()
    remaining = fields.Integer()
    period = fields.String()
    due_date = fields.Date()
    overdue_days = fields.Integer()
    status = fields.String()
    urgency = fields.Function(lambda item: round(item.urgency, 2))
    reason = fields.String()


class DeskQuerySchema(BaseSchema):
    """Today's calls and emails for one rep (default the caller) on one local date."""

    date = fields.Date()
    rep = fields.String(validate=validate.Length(max=254))
    minutes = fields.Integer(
        validate=validate.Range(min=0, max=24 * 60),
        metadata={"description": "desk minutes a working day (default DESK_MINUTES)"},
    )


class DeskTouchSchema(BaseSchema):
    """One call or email: today's, one held for a later day, or one that fits nowhere."""

    account_id = fields.Integer()
    account_name = fields.String()
    tier = fields.String()
    touch_type = fields.String()
    minutes = fields.Integer()
    due_date = fields.Date()
    reason = fields.String()


class DeskSchema(BaseSchema):
    """The desk plan's answer for one day."""

    date = fields.Date()
    minutes = fields.Integer()
    minutes_left = fields.Integer()
    today = fields.List(fields.Nested(DeskTouchSchema))
    later = fields.List(fields.Nested(DeskTouchSchema))
    unplanned = fields.List(fields.Nested(DeskTouchSchema))


# --- re-tiering -------------------------------------------------------------------------------


class ThresholdSchema(BaseSchema):
    """Accounts with at least ``min_revenue`` get ``tier`` (the highest reached wins)."""

    tier = fields.String(required=True, validate=validate.Length(min=1, max=16))
    min_revenue = fields.Float(required=True)


class RetierInSchema(BaseSchema):
    """Re-tier accounts by revenue; ``dry_run`` only reports."""

    dry_run = fields.Boolean(load_default=True)
    thresholds = fields.List(
        fields.Nested(ThresholdSchema), load_default=None, validate=validate.Length(min=1)
    )


class RetierChangeSchema(BaseSchema):
    """One account whose tier changes."""

    account_id = fields.Integer()
    name = fields.String()
    revenue = fields.Float()
    old_tier = fields.String()
    new_tier = fields.String()


class RetierReportSchema(BaseSchema):
    """What re-tiering did, or would do."""

    dry_run = fields.Boolean()
    examined = fields.Integer()
    changed = fields.List(fields.Nested(RetierChangeSchema))


# --- compliance report ------------------------------------------------------------------------


class ComplianceQuerySchema(BaseSchema):
    """Report options: ``period`` like 2026-11, 2026-Q4 or 2026-W48; ``group_by`` a comma list."""

    period = fields.String(validate=_period_label)
    group_by = fields.String(load_default="rep,tier,touch_type")
    territory_id = fields.Integer()
    rep_id = fields.Integer()
    as_of = fields.Date()
    format = fields.String(validate=validate.OneOf(["json", "csv"]))

    @validates_schema
    def _group_by(self, data, **kwargs):
        names = [n.strip() for n in data.get("group_by", "").split(",") if n.strip()]
        unknown = [n for n in names if n not in GROUP_BY]
        if unknown:
            raise ValidationError(
                f"Unknown {', '.join(unknown)}; use {', '.join(GROUP_BY)}.", "group_by"
            )
        if len(set(names)) != len(names):
            raise ValidationError("Each name may appear only once.", "group_by")


class OverdueQuerySchema(BaseSchema):
    """Drill-down filters for the overdue accounts of a period."""

    period = fields.String(validate=_period_label)
    territory_id = fields.Integer()
    rep_id = fields.Integer()
    tier = fields.String(validate=validate.Length(max=16))
    touch_type = fields.String(validate=validate.OneOf(TOUCH_TYPES))
    as_of = fields.Date()
    format = fields.String(validate=validate.OneOf(["json", "csv"]))


class ComplianceGroupSchema(BaseSchema):
    """One group of the report (keys present only for the ``group_by`` names)."""

    rep_id = fields.Integer(allow_none=True)
    rep_name = fields.String(allow_none=True)
    tier = fields.String()
    touch_type = fields.String()
    territory_id = fields.Integer(allow_none=True)
    territory_name = fields.String(allow_none=True)
    kare = fields.String(allow_none=True)
    required = fields.Integer()
    done = fields.Integer()
    credited = fields.Integer()
    percent = fields.Float(allow_none=True)
    rate = fields.Float(allow_none=True)
    expected = fields.Integer()
    on_track = fields.Integer()
    expected_percent = fields.Float(allow_none=True)
    expected_rate = fields.Float(allow_none=True)
    overdue_accounts = fields.Integer()


class TrendPointSchema(BaseSchema):
    """Cumulative compliance at the end of one ISO week."""

    week = fields.String()
    as_of = fields.Date()
    required = fields.Integer()
    credited = fields.Integer()
    percent = fields.Float(allow_none=True)


class ComplianceReportSchema(BaseSchema):
    """The report: groups, their total, and the weekly trend."""

    period = fields.String()
    first = fields.Date()
    last = fields.Date()
    as_of = fields.Date()
    kind = fields.String()
    plan_effective_from = fields.Date(allow_none=True)
    group_by = fields.List(fields.String())
    rows = fields.List(fields.Nested(ComplianceGroupSchema))
    total = fields.Nested(ComplianceGroupSchema)
    trend = fields.List(fields.Nested(TrendPointSchema))


class CurrentQuerySchema(ComplianceQuerySchema):
    """``kinds``: a comma list of week, month, quarter (each block covers its current period)."""

    class Meta(ComplianceQuerySchema.Meta):
        exclude = ("period", "format")

    kinds = fields.String(load_default="week,month,quarter")

    @validates_schema
    def _kinds(self, data, **kwargs):
        names = [n.strip() for n in data.get("kinds", "").split(",") if n.strip()]
        unknown = [n for n in names if n not in ("week", "month", "quarter")]
        if unknown or not names:
            raise ValidationError("Use a comma list of week, month, quarter.", "kinds")
        if len(set(names)) != len(names):
            raise ValidationError("Each kind may appear only once.", "kinds")


class CurrentReportSchema(BaseSchema):
    """One report per period kind, each for its period containing ``as_of``."""

    as_of = fields.Date()
    blocks = fields.List(fields.Nested(ComplianceReportSchema))


class OverdueItemSchema(BaseSchema):
    """An account that is behind its plan for one touch type."""

    account_id = fields.Integer()
    account_name = fields.String()
    rep_id = fields.Integer(allow_none=True)
    territory_id = fields.Integer(allow_none=True)
    tier = fields.String()
    touch_type = fields.String()
    required = fields.Integer()
    done = fields.Integer()
    due_date = fields.Date()
    overdue_days = fields.Integer()
