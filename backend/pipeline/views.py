"""Pipeline endpoints: opportunities, quotas, P.A.C.E. ratings, performance and profit reports."""

from flask import Response, current_app, request
from flask.views import MethodView
from flask_login import login_required
from flask_smorest.fields import Upload

from backend.cadence.service import today_in
from backend.core.errors import Invalid
from backend.core.extensions import db
from backend.core.http import Blueprint, SelectPage, roles, user
from backend.core.schemas import BaseSchema
from backend.pipeline import importer
from backend.pipeline.periods import current_quarter
from backend.pipeline.schemas import (
    DealImportQuerySchema,
    OpportunityInSchema,
    OpportunityPatchSchema,
    OpportunityQuerySchema,
    OpportunitySchema,
    PaceInSchema,
    PaceQuerySchema,
    PaceSchema,
    ProfitQuerySchema,
    QuotaInSchema,
    QuotaPatchSchema,
    QuotaQuerySchema,
    QuotaSchema,
    ReportQuerySchema,
    StageChangeSchema,
    SuggestQuerySchema,
)
from backend.pipeline.service import opportunities, pace, performance, profitability, quotas

blp = Blueprint(
    "opportunities", __name__, url_prefix="/api/opportunities", description="Opportunities"
)


def _if_match(data: dict) -> dict:
    """``If-Match: <version>`` is the same guard as ``base_version`` in the body."""
    header = request.headers.get("If-Match")
    if header is None:
        return data
    value = header.strip().strip('"').removeprefix("W/").strip('"')
    if not value.isdigit() or not 1 <= int(value) < 2**31:
        raise Invalid("Bad If-Match.", {"headers": {"If-Match": ["Give the version you read."]}})
    return {**data, "base_version": int(value)}


class DealImportFileSchema(BaseSchema):
    """The uploaded CSV."""

    file = Upload(required=True)


@blp.route("")
class Opportunities(MethodView):
    """Opportunities in scope."""

    decorators = [login_required]

    @blp.arguments(OpportunityQuerySchema, location="query")
    @blp.response(200, OpportunitySchema(many=True))
    @blp.paginate(SelectPage)
    def get(self, filters):
        """List opportunities in the caller's scope, with filters and pagination."""
        return opportunities.query_opportunities(user(), filters)

    @blp.arguments(OpportunityInSchema)
    @blp.response(201, OpportunitySchema)
    def post(self, data):
        """Create an opportunity on an account in scope."""
        opp = opportunities.create_opportunity(user(), data)
        db.session.commit()
        return opp


@blp.route("/<int:opportunity_id>")
class OpportunitiesById(MethodView):
    """One opportunity."""

    decorators = [login_required]

    @blp.response(200, OpportunitySchema)
    def get(self, opportunity_id):
        """An opportunity in scope (404 otherwise)."""
        return opportunities.get_opportunity(user(), opportunity_id)

    @blp.arguments(OpportunityPatchSchema)
    @blp.response(200, OpportunitySchema)
    @blp.alt_response(409, description="Changed since base_version / If-Match")
    def patch(self, data, opportunity_id):
        """Change an opportunity (stage moves are kept in its history)."""
        opp = opportunities.update_opportunity(user(), opportunity_id, _if_match(data))
        db.session.commit()
        return opp

    @blp.response(204)
    def delete(self, opportunity_id):
        """Delete an opportunity (a tombstone for offline clients)."""
        opportunities.delete_opportunity(user(), opportunity_id)
        db.session.commit()


@blp.route("/<int:opportunity_id>/history")
class OpportunityHistory(MethodView):
    """Stage history."""

    decorators = [login_required]

    @blp.response(200, StageChangeSchema(many=True))
    def get(self, opportunity_id):
        """The stage moves of an opportunity, oldest first."""
        return db.session.scalars(opportunities.history_query(user(), opportunity_id)).all()


@blp.route("/import")
class OpportunitiesImport(MethodView):
    """CRM import of deals."""

    @roles("admin", "manager")
    @blp.arguments(DealImportQuerySchema, location="query")
    @blp.arguments(DealImportFileSchema, location="files")
    @blp.response(200)
    @blp.alt_response(422, description="Some rows are invalid")
    def post(self, query, files):
        """Import opportunities from a CSV export; all or nothing; ``dry_run=1`` only reports."""
        report = importer.import_file(files["file"].read(), actor=user(), dry_run=query["dry_run"])
        if report["errors"]:
            db.session.rollback()
            return report, 422
        if query["dry_run"]:
            db.session.rollback()
        else:
            db.session.commit()
        return report


quota_blp = Blueprint("quotas", __name__, url_prefix="/api/quotas", description="Quotas")


@quota_blp.route("")
class Quotas(MethodView):
    """Quotas in scope."""

    decorators = [login_required]

    @quota_blp.arguments(QuotaQuerySchema, location="query")
    @quota_blp.response(200, QuotaSchema(many=True))
    @quota_blp.paginate(SelectPage)
    def get(self, filters):
        """List quotas (a rep sees their own and their territories')."""
        return quotas.query_quotas(user(), filters)

    @roles("admin", "manager")
    @quota_blp.arguments(QuotaInSchema)
    @quota_blp.response(201, QuotaSchema)
    def post(self, data):
        """Set a quota for one rep or one territory and period."""
        quota = quotas.create_quota(user(), data)
        db.session.commit()
        return quota


@quota_blp.route("/suggest")
class QuotaSuggest(MethodView):
    """Quotas from potential."""

    @roles("admin", "manager")
    @quota_blp.arguments(SuggestQuerySchema, location="query")
    @quota_blp.response(200)
    def get(self, query):
        """Suggested revenue quotas per territory and rep, proportional to potential."""
        return quotas.suggest(user(), query["period"], query.get("total"))


@quota_blp.route("/<int:quota_id>")
class QuotasById(MethodView):
    """One quota."""

    decorators = [login_required]

    @quota_blp.response(200, QuotaSchema)
    def get(self, quota_id):
        """A quota in scope."""
        return quotas.get_quota(user(), quota_id)

    @quota_blp.arguments(QuotaPatchSchema)
    @quota_blp.response(200, QuotaSchema)
    @quota_blp.alt_response(409, description="Changed since base_version")
    def patch(self, data, quota_id):
        """Change a quota (managers and admins)."""
        quota = quotas.update_quota(user(), quota_id, _if_match(data))
        db.session.commit()
        return quota

    @quota_blp.response(204)
    def delete(self, quota_id):
        """Remove a quota (managers and admins)."""
        quotas.delete_quota(user(), quota_id)
        db.session.commit()


pace_blp = Blueprint("pace", __name__, url_prefix="/api/pace", description="P.A.C.E. ratings")


@pace_blp.route("")
class Pace(MethodView):
    """P.A.C.E. ratings."""

    decorators = [login_required]

    @pace_blp.arguments(PaceQuerySchema, location="query")
    @pace_blp.response(200, PaceSchema(many=True))
    @pace_blp.paginate(SelectPage)
    def get(self, filters):
        """Ratings in scope (a rep sees their own)."""
        return pace.query_ratings(user(), filters)

    @roles("admin", "manager")
    @pace_blp.arguments(PaceInSchema)
    @pace_blp.response(200, PaceSchema)
    def post(self, data):
        """Record (or replace) a rep's rating for a period."""
        rating = pace.rate(user(), data)
        db.session.commit()
        return rating


reports_blp = Blueprint(
    "pipeline_reports", __name__, url_prefix="/api/reports", description="Pipeline reports"
)


def _wants_csv(query: dict) -> bool:
    if query["format"] == "csv":
        return True
    return request.accept_mimetypes.best_match(["application/json", "text/csv"]) == "text/csv"


def _csv(text: str, name: str) -> Response:
    return Response(
        text,
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}.csv"'},
    )


@reports_blp.route("/performance")
class Performance(MethodView):
    """Funnel, deals, quota and activity per territory or rep."""

    decorators = [login_required]

    @reports_blp.arguments(ReportQuerySchema, location="query")
    @reports_blp.response(200)
    @reports_blp.alt_response(200, content_type="text/csv", description="format=csv")
    def get(self, query):
        """The performance report in the caller's scope, with realignment flags; CSV on request."""
        today = today_in(user())
        label = query.get("period") or current_quarter(today)
        report = performance.performance_report(user(), label, query["group_by"], today=today)
        if _wants_csv(query):
            return _csv(performance.report_csv(report), f"performance-{report['period']}")
        return report


@reports_blp.route("/profitability")
class Profitability(MethodView):
    """Profit per account."""

    decorators = [login_required]

    @reports_blp.arguments(ProfitQuerySchema, location="query")
    @reports_blp.response(200)
    @reports_blp.alt_response(200, content_type="text/csv", description="format=csv")
    def get(self, query):
        """Accounts ranked by net profit, with KARE and tier advice and lookalikes; CSV too."""
        label = query.get("period") or current_quarter(today_in(user()))
        rates = profitability.rates_from_config(current_app.config)
        report = profitability.profitability_report(
            user(), label, rates, territory_id=query.get("territory_id")
        )
        if _wants_csv(query):
            return _csv(profitability.report_csv(report), f"profitability-{report['period']}")
        return report


BLUEPRINTS = (blp, quota_blp, pace_blp, reports_blp)
