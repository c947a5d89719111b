"""Accounts and the CRM import."""

from flask import current_app, jsonify
from flask.views import MethodView
from flask_login import login_required
from flask_smorest.fields import Upload

from backend.accounts import audit, csv_text, geocoding, importer
from backend.accounts import jobs as account_jobs
from backend.accounts import service as accounts
from backend.accounts.schemas import (
    AccountInSchema,
    AccountPatchSchema,
    AccountQuerySchema,
    AccountSchema,
    AuditEntrySchema,
    AuditQuerySchema,
    ImportQuerySchema,
    ImportReportSchema,
)
from backend.accounts.scope import get_account
from backend.core import tracked
from backend.core.extensions import db
from backend.core.http import Blueprint, SelectPage, roles, user
from backend.core.jobs_http import job_answer
from backend.core.schemas import BaseSchema

blp = Blueprint("accounts", __name__, url_prefix="/api/accounts", description="Accounts")


class ImportFileSchema(BaseSchema):
    """The uploaded CSV."""

    file = Upload(required=True)


@blp.route("")
class Accounts(MethodView):
    """Accounts in scope."""

    decorators = [login_required]

    @blp.arguments(AccountQuerySchema, location="query")
    @blp.response(200, AccountSchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, filters):
        """List accounts in the caller's scope, with filters, search and pagination."""
        return accounts.query_accounts(user(), filters)

    @blp.arguments(AccountInSchema)
    @blp.response(201, AccountSchema)
    def post(self, data):
        """Create an account."""
        account = accounts.create_account(user(), data)
        db.session.commit()
        return account


@blp.route("/<int:account_id>")
class AccountsById(MethodView):
    """One account."""

    decorators = [login_required]

    @blp.response(200, AccountSchema)
    def get(self, account_id):
        """An account in scope (404 otherwise)."""
        return get_account(user(), account_id, readonly=True)

    @blp.arguments(AccountPatchSchema)
    @blp.response(200, AccountSchema)
    @blp.alt_response(409, description="Changed since base_version")
    def patch(self, data, account_id):
        """Change an account."""
        account = accounts.update_account(user(), account_id, data)
        db.session.commit()
        return account

    @blp.response(204)
    def delete(self, account_id):
        """Delete an account (managers and admins)."""
        accounts.delete_account(user(), account_id)
        db.session.commit()


IMPORT_REJECTED = "ImportRejected"


def document(api) -> None:
    """The import's 422 in the OpenAPI document: the row report when rows are invalid, the
    standard error when the request itself is (a missing file, a form part without a name)."""
    api.spec.components.response(
        IMPORT_REJECTED,
        {
            "description": "Some rows are invalid (the row report), or the request is",
            "content": {
                "application/json": {
                    "schema": {
                        "oneOf": [
                            {"$ref": "#/components/schemas/ImportReport"},
                            {"$ref": "#/components/schemas/Error"},
                        ]
                    }
                }
            },
        },
    )


@blp.route("/import")
class AccountsImport(MethodView):
    """CRM import."""

    @roles("admin", "manager")
    @blp.arguments(ImportQuerySchema, location="query")
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(422, response=IMPORT_REJECTED)
    @blp.alt_response(202, description="``async=1``: the job to poll at ``/api/jobs/<id>``")
    def post(self, query, files):
        """Import accounts from a CSV export; all or nothing; ``dry_run=1`` only reports."""
        text = csv_text.decode(files["file"].read())
        if query["run_async"]:
            return _import_job(text, query["dry_run"])
        geocoder = geocoding.from_config(current_app.config)
        report = importer.import_csv(
            text, actor=user(), dry_run=query["dry_run"], geocoder=geocoder
        )
        if report.errors:
            db.session.rollback()
            return ImportReportSchema().dump(report), 422
        if query["dry_run"]:
            db.session.rollback()
        else:
            db.session.commit()
        return report


def _import_job(text: str, dry_run: bool):
    """Start the import as a job; 202 with its record and where to follow it."""
    record = tracked.submit(
        current_app._get_current_object(),
        account_jobs.import_accounts,
        {"text": text, "actor_id": user().id, "dry_run": dry_run},
        user_id=user().id,
        kind="accounts.import",
    )
    url = f"/api/jobs/{record.id}"
    return jsonify(job_answer(record) | {"url": url}), 202, {"Location": url}


audit_blp = Blueprint("audit", __name__, url_prefix="/api/audit", description="Ownership audit")


@audit_blp.route("")
class Audit(MethodView):
    """Who changed which account's owner, territory or rule, when and why."""

    decorators = [login_required]

    @audit_blp.arguments(AuditQuerySchema, location="query")
    @audit_blp.response(200, AuditEntrySchema(many=True))
    @audit_blp.paginate(SelectPage)
    def get(self, filters):
        """Audit entries in scope, newest first (``account_id``, ``source``, ``since``...)."""
        return audit.entries_query(user(), filters)


BLUEPRINTS = (blp, audit_blp)
