"""CRM import of opportunities: a CSV file validated whole, written all or nothing.

Rows are matched to deals by ``external_id`` (created or updated) and to accounts by
``account_external_id``; the account must be in the importer's scope. Row numbers count the
header as row 1, as in the account import.
"""

from __future__ import annotations

import csv
import io
from datetime import UTC
from typing import Any

from marshmallow import ValidationError, fields, validate
from sqlalchemy import select

from backend.accounts import csv_text
from backend.accounts.models import Account
from backend.accounts.scope import account_scope
from backend.accounts.service import assignable_owner_ids
from backend.core import changes
from backend.core.extensions import db
from backend.core.models import utcnow
from backend.core.schemas import BaseSchema
from backend.pipeline.models import CLOSED_STAGES, STAGES, Opportunity
from backend.pipeline.service.opportunities import advance_account, record_stage
from backend.users.models import User

COLUMNS = (
    "external_id",
    "account_external_id",
    "name",
    "stage",
    "amount",
    "currency",
    "owner_email",
    "created_at",
    "closed_at",
    "lost_reason",
)


class RowSchema(BaseSchema):
    """One CSV row after blank cells are dropped."""

    external_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    account_external_id = fields.String(required=True, validate=validate.Length(min=1, max=100))
    name = fields.String(required=True, validate=validate.Length(min=1, max=200))
    stage = fields.String(load_default="lead", validate=validate.OneOf(STAGES))
    amount = fields.Float(load_default=0.0, validate=validate.Range(min=0, max=1e12))
    currency = fields.String(load_default="EUR", validate=validate.Regexp(r"^[A-Z]{3}$"))
    owner_email = fields.String(validate=validate.Length(max=254))
    # CRM exports often give no offset: such a time is taken as UTC.
    created_at = fields.AwareDateTime(default_timezone=UTC)
    closed_at = fields.AwareDateTime(default_timezone=UTC)
    lost_reason = fields.String(validate=validate.Length(max=500))


def import_file(data: bytes, *, actor: User, dry_run: bool) -> dict[str, Any]:
    """Decode and import (see ``import_csv``)."""
    return import_csv(csv_text.decode(data), actor=actor, dry_run=dry_run)


def import_csv(text: str, *, actor: User, dry_run: bool) -> dict[str, Any]:
    """Validate every row, then upsert by external id when every row is valid (flush only)."""
    report: dict[str, Any] = {
        "dry_run": dry_run,
        "rows": 0,
        "created": 0,
        "updated": 0,
        "written": False,
        "errors": [],
    }
    reader = csv.DictReader(io.StringIO(text), dialect=csv_text.dialect(text))
    headers = [h.strip().lower() for h in (reader.fieldnames or [])]
    twice = csv_text.duplicated(headers)
    missing = [h for h in ("external_id", "account_external_id", "name") if h not in headers]
    if twice or missing:
        message = f"Column(s) given twice: {', '.join(twice)}." if twice else ""
        message = message or f"Missing column(s): {', '.join(missing)}."
        report["errors"].append({"row": 1, "errors": {"_header": [message]}})
        return report
    raw_rows = list(reader)
    report["rows"] = len(raw_rows)
    cells = [
        {k.strip().lower(): (v or "").strip() for k, v in raw.items() if k is not None}
        for raw in raw_rows
    ]
    account_exts = {c.get("account_external_id") for c in cells if c.get("account_external_id")}
    accounts = {
        a.external_id: a
        for a in db.session.scalars(
            select(Account).where(
                Account.external_id.in_(account_exts),
                account_scope(actor),
                Account.deleted_at.is_(None),
            )
        )
    }
    emails = {c.get("owner_email", "").lower() for c in cells if c.get("owner_email")}
    users = {
        u.email.lower(): u for u in db.session.scalars(select(User).where(User.email.in_(emails)))
    }
    allowed_owners = assignable_owner_ids(actor, [u.id for u in users.values()]) if users else set()
    existing = {
        o.external_id: o
        for o in db.session.scalars(
            select(Opportunity).where(
                Opportunity.external_id.in_({c.get("external_id") for c in cells})
            )
        )
    }
    schema = RowSchema()
    parsed: list[tuple[int, dict]] = []
    seen: dict[str, int] = {}
    for index, (raw, data) in enumerate(zip(raw_rows, cells, strict=True), start=2):
        data = {k: v for k, v in data.items() if v != "" and k in COLUMNS}
        errors: dict[str, list[str]] = {}
        if None in raw:
            errors["_row"] = ["More cells than headers."]
        try:
            row = schema.load(data)
        except ValidationError as err:
            errors.update(err.messages)
            row = {}
        if row:
            errors.update(_refs(row, actor, accounts, users, allowed_owners, existing))
            if row["external_id"] in seen:
                errors.setdefault("external_id", []).append(
                    f"Repeats row {seen[row['external_id']]}."
                )
            seen.setdefault(row["external_id"], index)
            created, closed = row.get("created_at"), row.get("closed_at")
            if created and closed and closed < created:
                errors.setdefault("closed_at", []).append("Closes before it was created.")
            if row["stage"] != "lost" and row.get("lost_reason"):
                errors.setdefault("lost_reason", []).append("Only a lost deal has a lost reason.")
        if errors:
            report["errors"].append({"row": index, "errors": errors})
        else:
            parsed.append((index, row))
    if report["errors"]:
        return report
    for _, row in parsed:
        _write(row, actor, accounts, users, existing, report)
    db.session.flush()
    report["written"] = not dry_run
    return report


def _refs(row, actor, accounts, users, allowed_owners, existing) -> dict[str, list[str]]:
    errors: dict[str, list[str]] = {}
    if row["account_external_id"] not in accounts:
        errors["account_external_id"] = ["No such account in your scope."]
    email = row.get("owner_email", "").lower()
    if email:
        user = users.get(email)
        if user is None or (
            user.id not in allowed_owners and not (actor.role == "rep" and user.id == actor.id)
        ):
            errors["owner_email"] = ["No such active rep in your territories."]
    opp = existing.get(row["external_id"])
    if opp is not None:
        account = accounts.get(row["account_external_id"])
        in_scope = account is not None and opp.account_id == account.id
        if not in_scope:
            errors["external_id"] = ["Already used by a deal on another account."]
    return errors


def _write(row, actor, accounts, users, existing, report) -> None:
    account = accounts[row["account_external_id"]]
    email = row.get("owner_email", "").lower()
    owner_id = users[email].id if email else account.owner_id
    now = utcnow()
    closed_at = row.get("closed_at") if row["stage"] in CLOSED_STAGES else None
    if row["stage"] in CLOSED_STAGES and closed_at is None:
        closed_at = now
    values = {
        "name": row["name"],
        "stage": row["stage"],
        "amount": row["amount"],
        "currency": row["currency"],
        "owner_id": owner_id,
        "closed_at": closed_at,
        "lost_reason": row.get("lost_reason"),
    }
    opp = existing.get(row["external_id"])
    if opp is None:
        opp = Opportunity(
            external_id=row["external_id"],
            account_id=account.id,
            created_at=row.get("created_at") or now,
            **values,
        )
        db.session.add(opp)
        db.session.flush()
        record_stage(opp, None, actor, closed_at or opp.created_at)
        report["created"] += 1
    else:
        before = opp.stage
        changed = {k: v for k, v in values.items() if getattr(opp, k) != v}
        if not changed:
            return
        for key, value in changed.items():
            setattr(opp, key, value)
        opp.version += 1
        db.session.flush()
        if opp.stage != before:
            record_stage(opp, before, actor, closed_at or now)
        report["updated"] += 1
    advance_account(account, opp.stage)
    changes.record("opportunity", opp.id)
