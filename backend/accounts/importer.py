"""CRM import: a CSV file of accounts, validated whole, written all or nothing."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable
from dataclasses import dataclass, field

from marshmallow import ValidationError, fields, validate
from sqlalchemy import select

from backend.accounts import audit, csv_text, geocoding, hooks
from backend.accounts.models import Account
from backend.accounts.schemas import SIZE_BANDS
from backend.core import changes
from backend.core.extensions import db
from backend.core.hours import HoursError, parse_hours
from backend.core.schemas import BaseSchema, Lat, Lon, OpeningHours
from backend.core.tiers import known_tiers
from backend.users.models import Territory, User
from backend.users.scope import managed_territory_ids
from sync.constants import ACCOUNT_STATUSES as STATUSES
from sync.constants import KARE_VALUES as KARE

COLUMNS = (
    "external_id",
    "name",
    "address",
    "lat",
    "lon",
    "tier",
    "kare",
    "status",
    "owner_email",
    "territory",
    "revenue",
    "cost_to_serve",
    "industry",
    "size_band",
    "postal_code",
    "potential",
    "locked",
    "opening_hours",
    "service_minutes",
    "notes",
)
ACCOUNT_FIELDS = (
    "name",
    "address",
    "lat",
    "lon",
    "tier",
    "kare",
    "status",
    "revenue",
    "cost_to_serve",
    "industry",
    "size_band",
    "postal_code",
    "potential",
    "locked",
    "opening_hours",
    "service_minutes",
    "notes",
    "owner_id",
    "territory_id",
)


class RowSchema(BaseSchema):
    """One CSV row after blank cells are dropped."""

    external_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    address = fields.String(validate=validate.Length(max=400))
    lat = Lat()
    lon = Lon()
    tier = fields.String(load_default="C")
    kare = fields.String(load_default="keep", validate=validate.OneOf(KARE))
    status = fields.String(load_default="customer", validate=validate.OneOf(STATUSES))
    owner_email = fields.Email()
    territory = fields.String()
    revenue = fields.Float(load_default=0.0, validate=validate.Range(min=0))
    cost_to_serve = fields.Float(load_default=0.0, validate=validate.Range(min=0))
    industry = fields.String(validate=validate.Length(max=100))
    size_band = fields.String(validate=validate.OneOf(SIZE_BANDS))
    postal_code = fields.String(validate=validate.Length(max=20))
    potential = fields.Float(load_default=0.0, validate=validate.Range(min=0))
    locked = fields.Boolean(load_default=False)
    opening_hours = OpeningHours(load_default=dict)
    service_minutes = fields.Integer(validate=validate.Range(1, 480))
    notes = fields.String(load_default="")


@dataclass
class ImportReport:
    """What an import did (or would do, on a dry run)."""

    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    geocoded: int = 0
    written: bool = False
    errors: list[dict] = field(default_factory=list)

    def fail(self, row: int, errors: dict) -> None:
        """Record the errors of one row (row numbers count the header as row 1)."""
        self.errors.append({"row": row, "errors": errors})


def _clean(raw: dict) -> tuple[dict, dict]:
    """Drop blank cells and columns we do not use, turn the hours text into a dict.

    CRM exports carry many other columns: they are ignored. csv.DictReader files cells beyond
    the header under the key None: that row is malformed.
    """
    data = {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
    data = {k: v for k, v in data.items() if v != "" and k in COLUMNS}
    errors: dict[str, list[str]] = {}
    if "opening_hours" in data:
        try:
            data["opening_hours"] = parse_hours(data["opening_hours"])
        except HoursError as err:
            errors["opening_hours"] = [str(err)]
            data.pop("opening_hours")
    if None in raw:
        errors["_row"] = ["More cells than headers."]
    return data, errors


def import_csv(
    text: str,
    *,
    actor: User,
    dry_run: bool = False,
    progress: Callable[[int], None] | None = None,
    geocoder: geocoding.Geocoder | None = None,
) -> ImportReport:
    """Validate every row, geocode what lacks coordinates, then upsert by external id.

    ``geocoder`` finds the coordinates (the boundary builds it with ``geocoding.from_config``;
    without one, the public Nominatim of the default config). Nothing is written unless every
    row is valid; the caller commits or rolls back.
    """
    report = ImportReport(dry_run=dry_run)
    reader = csv.DictReader(io.StringIO(text), dialect=csv_text.dialect(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    twice = csv_text.duplicated(headers)
    if twice:
        report.fail(1, {"_header": [f"Column(s) given twice: {', '.join(twice)}."]})
        return report
    missing = [h for h in ("external_id", "name") if h not in headers]
    if missing:
        report.fail(1, {"_header": [f"Missing column(s): {', '.join(missing)}."]})
        return report

    tiers = set(known_tiers())
    users = {u.email: u for u in db.session.scalars(select(User))}
    territories = {t.name: t for t in db.session.scalars(select(Territory))}
    allowed_territories = None if actor.role == "admin" else set(managed_territory_ids(actor))
    schema = RowSchema()
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}

    for index, raw in enumerate(reader, start=2):
        report.rows += 1
        data, errors = _clean(raw)
        try:
            row = schema.load(data)
        except ValidationError as err:
            errors.update(err.messages)
            row = {}
        if row:
            errors.update(_resolve_refs(row, tiers, users, territories, allowed_territories))
            ext = row["external_id"]
            if ext in seen:
                errors.setdefault("external_id", []).append(f"Repeats row {seen[ext]}.")
            seen.setdefault(ext, index)
            if ("lat" in row) != ("lon" in row):
                errors.setdefault("lat", []).append("Give both lat and lon, or neither.")
            elif "lat" not in row and not errors:
                if not row.get("address"):
                    errors["address"] = ["No coordinates and no address to geocode."]
                else:
                    geocoder = geocoder or geocoding.Geocoder()
                    try:
                        point = geocoder.locate(row["address"])
                    except geocoding.GeocodingUnavailable as err:
                        errors["address"] = [str(err)]
                        point = None
                    else:
                        if point is None:
                            errors["address"] = ["The geocoder found no such address."]
                    if point is not None:
                        row["lat"], row["lon"] = point
                        report.geocoded += 1
        if errors:
            report.fail(index, errors)
        else:
            parsed.append((index, row))
        if progress:
            progress(1)

    if report.errors:
        return report
    _upsert(parsed, report, allowed_territories, actor)
    report.written = not dry_run
    return report


def _resolve_refs(row, tiers, users, territories, allowed) -> dict[str, list[str]]:
    """Turn owner email and territory name into ids; check tier and scope."""
    errors: dict[str, list[str]] = {}
    if row["tier"] not in tiers:
        errors["tier"] = [f"Unknown tier; the plan has {', '.join(sorted(tiers))}."]
    row["owner_id"] = None
    if email := row.pop("owner_email", None):
        owner = users.get(email.lower())
        if owner is None:
            errors["owner_email"] = [f"No user {email}."]
        else:
            row["owner_id"] = owner.id
    row["territory_id"] = None
    if name := row.pop("territory", None):
        territory = territories.get(name)
        if territory is None:
            errors["territory"] = [f"No territory named {name}."]
        elif allowed is not None and territory.id not in allowed:
            errors["territory"] = [f"{name} is not one of your territories."]
        else:
            row["territory_id"] = territory.id
    elif allowed is not None:
        errors["territory"] = ["Managers must name one of their territories."]
    return errors


def _upsert(parsed: list[tuple[int, dict]], report: ImportReport, allowed, actor: User) -> None:
    """Create new accounts and update existing ones matched by external id."""
    existing: dict[str, Account] = {}
    ext_ids = [row["external_id"] for _, row in parsed]
    for start in range(0, len(ext_ids), 500):
        chunk = ext_ids[start : start + 500]
        for account in db.session.scalars(select(Account).where(Account.external_id.in_(chunk))):
            existing[account.external_id] = account
    touched: list[Account] = []
    before: dict[int, dict] = {}  # id(account) -> audited fields before the import
    for index, row in parsed:
        account = existing.get(row["external_id"])
        if account is None:
            account = Account(external_id=row["external_id"], contacts=[])
            for key in ACCOUNT_FIELDS:
                setattr(account, key, row.get(key))
            db.session.add(account)
            touched.append(account)
            before[id(account)] = {"owner_id": None, "territory_id": None}
            report.created += 1
            continue
        if allowed is not None and account.territory_id not in allowed:
            report.fail(index, {"external_id": ["Exists outside your territories."]})
            continue
        changed = account.deleted_at is not None
        before[id(account)] = audit.snapshot(account)
        for key in ACCOUNT_FIELDS:
            value = row.get(key)
            if getattr(account, key) != value:
                setattr(account, key, value)
                changed = True
        if changed:
            account.deleted_at = None
            account.version += 1
            touched.append(account)
            report.updated += 1
        else:
            report.unchanged += 1
    db.session.flush()
    for account in touched:
        was = before[id(account)]
        audit.record(account, actor=actor, source="import", before=was)
        changes.record(
            "account",
            account.id,
            previous_owner_id=was["owner_id"],
            previous_territory_id=was["territory_id"],
        )
    hooks.written(touched, actor)
