"""Account schemas: output, create, patch, query args, import report."""

from __future__ import annotations

from marshmallow import fields, validate

from backend.accounts.models import AUDIT_FIELDS, AUDIT_SOURCES
from backend.core.schemas import BaseSchema, ChangeSchema, Lat, Lon, OpeningHours
from sync.constants import ACCOUNT_STATUSES as STATUSES
from sync.constants import KARE_VALUES as KARE

# Employee-count bands, as CRMs export them.
SIZE_BANDS = ("1-9", "10-49", "50-249", "250+")


class ContactSchema(BaseSchema):
    """A person at the account."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    phone = fields.String(load_default="", validate=validate.Length(max=50))
    email = fields.String(load_default="", validate=validate.Length(max=254))
    role = fields.String(load_default="", validate=validate.Length(max=100))


class AccountSchema(BaseSchema):
    """An account as the API shows it."""

    id = fields.Integer()
    external_id = fields.String(allow_none=True)
    name = fields.String()
    address = fields.String(allow_none=True)
    lat = fields.Float()
    lon = fields.Float()
    tier = fields.String()
    kare = fields.String()
    status = fields.String()
    revenue = fields.Float()
    cost_to_serve = fields.Float()
    industry = fields.String(allow_none=True)
    size_band = fields.String(allow_none=True)
    postal_code = fields.String(allow_none=True)
    potential = fields.Float()
    locked = fields.Boolean()
    opening_hours = fields.Dict()
    service_minutes = fields.Integer(allow_none=True)
    notes = fields.String()
    contacts = fields.List(fields.Dict())
    owner_id = fields.Integer(allow_none=True)
    territory_id = fields.Integer(allow_none=True)
    territory_rule_id = fields.Integer(allow_none=True, dump_only=True)
    version = fields.Integer()
    updated_at = fields.AwareDateTime()


class AccountWriteFields(BaseSchema):
    """Fields an account write may carry (all optional here; create requires some)."""

    external_id = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))
    name = fields.String(validate=validate.Length(min=1, max=200))
    address = fields.String(allow_none=True, validate=validate.Length(max=400))
    lat = Lat()
    lon = Lon()
    tier = fields.String(validate=validate.Length(min=1, max=16))
    kare = fields.String(validate=validate.OneOf(KARE))
    status = fields.String(validate=validate.OneOf(STATUSES))
    revenue = fields.Float(validate=validate.Range(min=0))
    cost_to_serve = fields.Float(validate=validate.Range(min=0))
    industry = fields.String(allow_none=True, validate=validate.Length(min=1, max=100))
    size_band = fields.String(allow_none=True, validate=validate.OneOf(SIZE_BANDS))
    postal_code = fields.String(allow_none=True, validate=validate.Length(min=1, max=20))
    potential = fields.Float(validate=validate.Range(min=0))
    locked = fields.Boolean()
    opening_hours = OpeningHours()
    service_minutes = fields.Integer(allow_none=True, validate=validate.Range(1, 480))
    notes = fields.String(validate=validate.Length(max=10000))
    contacts = fields.List(fields.Nested(ContactSchema), validate=validate.Length(max=50))
    owner_id = fields.Integer(allow_none=True)
    territory_id = fields.Integer(allow_none=True)


class AccountInSchema(AccountWriteFields):
    """Create an account."""

    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    lat = Lat(required=True)
    lon = Lon(required=True)


class AccountPatchSchema(AccountWriteFields, ChangeSchema):
    """Change an account; ``base_version`` guards against overwriting someone else's edit."""

    base_version = fields.Integer(validate=validate.Range(min=1))
    # Why the owner or territory changes: kept in the audit.
    reason = fields.String(validate=validate.Length(max=500))


class AccountQuerySchema(BaseSchema):
    """Filters for the account list."""

    q = fields.String(validate=validate.Length(max=200))
    tier = fields.String()
    kare = fields.String(validate=validate.OneOf(KARE))
    status = fields.String(validate=validate.OneOf(STATUSES))
    owner_id = fields.Integer()
    territory_id = fields.Integer()
    industry = fields.String(validate=validate.Length(max=100))
    size_band = fields.String(validate=validate.OneOf(SIZE_BANDS))
    locked = fields.Boolean()
    sort = fields.String(
        load_default="name", validate=validate.OneOf(("name", "-revenue", "tier", "-updated_at"))
    )


class ImportQuerySchema(BaseSchema):
    """Import options."""

    dry_run = fields.Boolean(load_default=False)
    run_async = fields.Boolean(
        data_key="async",
        load_default=False,
        metadata={"description": "Run as a background job: 202 with the job to poll."},
    )


class ImportRowErrorSchema(BaseSchema):
    """One bad row."""

    row = fields.Integer()
    errors = fields.Dict()


class ImportReportSchema(BaseSchema):
    """What an import did, or would do."""

    dry_run = fields.Boolean()
    rows = fields.Integer()
    created = fields.Integer()
    updated = fields.Integer()
    unchanged = fields.Integer()
    geocoded = fields.Integer()
    written = fields.Boolean()
    errors = fields.List(fields.Nested(ImportRowErrorSchema))


class AuditEntrySchema(BaseSchema):
    """One audited change of an account's owner, territory or matching rule."""

    id = fields.Integer()
    at = fields.AwareDateTime()
    actor_id = fields.Integer(allow_none=True)
    account_id = fields.Integer()
    field = fields.String()
    old_value = fields.Integer(allow_none=True)
    new_value = fields.Integer(allow_none=True)
    source = fields.String()
    reason = fields.String()
    ref = fields.String(allow_none=True)


class AuditQuerySchema(BaseSchema):
    """Filters for the audit."""

    account_id = fields.Integer()
    actor_id = fields.Integer()
    source = fields.String(validate=validate.OneOf(AUDIT_SOURCES))
    field = fields.String(validate=validate.OneOf(AUDIT_FIELDS))
    since = fields.AwareDateTime()
